"""Whose registry entries a user may read (issue 20): an organiser's and a monitor's reach, as a condition
on Person that lists, searches and the duplicates page add to their statements."""
from __future__ import annotations

from sqlalchemy import exists, false, or_, select

from ...extensions import db
from ...models import Enrolment, Organisation, Person, Plan, PoolEntry, TrainingClass, User, plan_monitors
from ...rules.org_tree import subtree


def _province_of(org_id: int) -> set[int]:
    """The units hanging from the same top unit as `org_id` (its province), `org_id` included."""
    edges = db.session.execute(select(Organisation.id, Organisation.parent_id)).all()
    parent_of, top, seen = dict(edges), org_id, set()
    while parent_of.get(top) is not None and top not in seen:
        seen.add(top)
        top = parent_of[top]
    return subtree(edges, top)


def _province_people(org_id: int):
    """A condition on Person: the people of `org_id`'s province (working in one of its units, or in the
    planning pool of one), and the people nobody claims (no enrolment, no pool entry, no unit: a record of
    training outside the system), whom every organiser and monitor reads, as that register is
    (security.py, training_records.view)."""
    province = sorted(_province_of(org_id))
    pooled_here = exists().where(PoolEntry.person_id == Person.id, PoolEntry.organisation_id.in_(province))
    unclaimed = (Person.organisation_id.is_(None) & ~exists().where(Enrolment.person_id == Person.id)
                 & ~exists().where(PoolEntry.person_id == Person.id))
    return or_(Person.organisation_id.in_(province), pooled_here, unclaimed)


def people_in_reach(user: User):
    """A condition on Person: the people whose registry entry `user` may read (issue 20) — None for an
    admin, who may read everyone; for an organiser also the people she may decide about (merge).

    An organiser's are the people nominated to a class of a plan her organisation organises, and the
    people of her province (_province_people). A monitor's are given by `monitor_reach`. Anyone else
    reads nobody."""
    if user.role == "admin":
        return None
    if user.role == "monitor":
        return monitor_reach(user)
    if user.role != "organiser" or user.organisation_id is None:
        return false()
    nominated_here = exists().where(Enrolment.person_id == Person.id, Enrolment.class_id == TrainingClass.id,
                                    TrainingClass.plan_id == Plan.id, Plan.organiser_org_id == user.organisation_id)
    return or_(nominated_here, _province_people(user.organisation_id))


def monitor_reach(user: User):
    """A condition on Person: the people a monitor may read (issue 20) — None for an admin. Hers are the
    people nominated to a class of a plan her organisation monitors (plan_monitors), and the people of her
    province (_province_people); she decides about none of them."""
    if user.role == "admin":
        return None
    if user.role != "monitor" or user.organisation_id is None:
        return false()
    monitored = exists().where(Enrolment.person_id == Person.id, Enrolment.class_id == TrainingClass.id,
                               TrainingClass.plan_id == plan_monitors.c.plan_id,
                               plan_monitors.c.organisation_id == user.organisation_id)
    return or_(monitored, _province_people(user.organisation_id))

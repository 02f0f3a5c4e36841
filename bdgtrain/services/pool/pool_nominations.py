"""Nominating a woman of the planning pool to an upcoming class, from the report's drill-down.

The same records as a nominating agency's list (services/lists/lists.py): an enrolment "nominated" on
the class's roster and a nomination by the organiser's organisation, audited. The roster then
treats her like anyone else (confirm, decline, replace, check in).
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ...errors import DomainError
from ...extensions import db
from ...models import ClassSession, Enrolment, Nomination, Organisation, Person, PoolEntry, TrainingClass, User
from ..core import audit
from ..lists.seats import status_for_new
from .pool_register import subtree_ids


def upcoming_classes(now: datetime) -> list[TrainingClass]:
    """Classes not cancelled with a session still to start (the caller keeps those the user may manage)."""
    ahead = exists().where(ClassSession.class_id == TrainingClass.id, ClassSession.status == "scheduled",
                           ClassSession.starts_at > now)
    return list(db.session.scalars(select(TrainingClass).where(TrainingClass.status != "cancelled", ahead)
                                   .order_by(TrainingClass.id)))


def get_pool_person(person_id: int, unit: Organisation) -> Person:
    """A woman of the planning pool of `unit` or of a unit below it: the unit's page lists no one else, and
    its nominate page opens on no one else (issue 20)."""
    person = db.session.get(Person, person_id)
    if person is None or not db.session.scalar(select(exists().where(
            PoolEntry.person_id == person_id, PoolEntry.organisation_id.in_(subtree_ids(unit))))):
        raise DomainError("not_found", _l("Không tìm thấy người này trong diện quy hoạch."))
    return person


def nominate_from_pool(actor: User | None, cls: TrainingClass, person: Person, unit: Organisation,
                       now: datetime) -> Enrolment:
    if cls.is_cancelled:
        raise DomainError("lists.class_cancelled", _l("Lớp đã hủy: không thể cử thêm học viên."), field="class_id")
    if cls not in upcoming_classes(now):
        raise DomainError("reports.class_not_upcoming",
                          _l("Lớp %(code)s không còn buổi học nào sắp tới.", code=cls.code), field="class_id")
    if cls.eligible_sex and person.sex and cls.eligible_sex != person.sex:
        raise DomainError("reports.not_eligible", _l("Lớp %(code)s không dành cho người này (giới tính).",
                                                      code=cls.code), field="class_id")
    already = db.session.scalar(select(Enrolment).where(Enrolment.class_id == cls.id,
                                                        Enrolment.person_id == person.id))
    if already is not None:
        raise DomainError("lists.already_enrolled", _l("%(name)s đã có trong danh sách lớp %(code)s.",
                                                        name=person.full_name, code=cls.code), field="class_id")
    # A full class puts her on its waiting list (services/lists/seats.py).
    enrolment = Enrolment(class_id=cls.id, person_id=person.id, status=status_for_new(cls), body_org_id=unit.id)
    db.session.add(enrolment)
    db.session.flush()
    agency = actor.organisation_id if actor is not None and actor.organisation_id else unit.id
    db.session.add(Nomination(enrolment_id=enrolment.id, organisation_id=agency))
    audit.record(actor, "lists.enrolment.nominated_from_pool", enrolment,
                 after={"class": f"{cls.plan.code}/{cls.code}", "person_id": person.id, "unit": unit.code,
                        "status": enrolment.status},
                 summary=person.full_name)
    db.session.flush()
    return enrolment

"""Audience compliance and class outcomes of a plan, counted by the database.

Three statements whatever the number of classes and people: the classes with their held and
ended sessions, each active enrolment with her present and late marks (GROUP BY), and who
nominated whom. The decisions (attended, completed, late, no-show, outside the audience) are the
pure rules/compliance.py's, so a page, an export and the plan summary agree.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import Attendance, ClassSession, Enrolment, Nomination, Organisation, Person, Plan, TrainingClass
from ...rules.compliance import ClassFacts, Compliance, Nominee, Outcome, summarise
from ...rules.eligibility import guess_org_kind
from ...rules.names import fold
from ..core.paging import Pager
from ..lists.lists import ACTIVE_STATUSES


def class_facts(plan: Plan, now: datetime) -> list[ClassFacts]:
    held = ClassSession.status != "cancelled"
    rows = db.session.execute(
        select(TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.status,
               TrainingClass.completion_percent, TrainingClass.eligible_sex, TrainingClass.eligible_org_kinds,
               func.count(ClassSession.id).filter(held),
               func.count(ClassSession.id).filter(held, ClassSession.ends_at <= now))
        .outerjoin(ClassSession, ClassSession.class_id == TrainingClass.id)
        .where(TrainingClass.plan_id == plan.id)
        .group_by(TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.status,
                  TrainingClass.completion_percent, TrainingClass.eligible_sex, TrainingClass.eligible_org_kinds)
        .order_by(TrainingClass.code)).all()
    return [ClassFacts(id=r[0], code=r[1], title=r[2], cancelled=r[3] == "cancelled", percent=r[4],
                       eligible_sex=r[5], eligible_kinds=tuple(k for k in (r[6] or "").split(",") if k),
                       held=r[7] or 0, ended=r[8] or 0) for r in rows]


def nominees(plan: Plan, *, agency_id: int | None = None) -> list[Nominee]:
    """Every active enrolment of the plan's classes with her marks counted; only those `agency_id`
    nominated when given (a supplier's own rows)."""
    person_org, body = aliased(Organisation), aliased(Organisation)
    marks = (select(Attendance.enrolment_id,
                    func.count().filter(Attendance.status == "present").label("present"),
                    func.count().filter(Attendance.status == "late").label("late"))
             .join(ClassSession, ClassSession.id == Attendance.session_id)
             .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
             .where(ClassSession.status != "cancelled", TrainingClass.plan_id == plan.id)
             .group_by(Attendance.enrolment_id).subquery())
    query = (select(Enrolment.id, Enrolment.class_id, Person.full_name, Person.sex, Person.unit_name,
                    person_org.kind, body.name, func.coalesce(marks.c.present, 0), func.coalesce(marks.c.late, 0),
                    Enrolment.person_id)
             .join(Person, Person.id == Enrolment.person_id)
             .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
             .outerjoin(person_org, person_org.id == Person.organisation_id)
             .outerjoin(body, body.id == Enrolment.body_org_id)
             .outerjoin(marks, marks.c.enrolment_id == Enrolment.id)
             .where(TrainingClass.plan_id == plan.id, Enrolment.status.in_(ACTIVE_STATUSES))
             .order_by(Person.name_sort_key, Enrolment.id))
    nominations = (select(Nomination.enrolment_id, Organisation.name)
                   .join(Organisation, Organisation.id == Nomination.organisation_id)
                   .join(Enrolment, Enrolment.id == Nomination.enrolment_id)
                   .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
                   .where(TrainingClass.plan_id == plan.id))
    if agency_id is not None:
        query = query.where(exists().where(Nomination.enrolment_id == Enrolment.id,
                                           Nomination.organisation_id == agency_id))
        nominations = nominations.where(Nomination.organisation_id == agency_id)
    agencies = defaultdict(list)
    for enrolment_id, name in db.session.execute(nominations):
        agencies[enrolment_id].append(name)
    return [Nominee(enrolment_id=r[0], class_id=r[1], name=r[2], sex=r[3], unit_name=r[4],
                    unit_kind=r[5] or guess_org_kind(r[4]), district=r[6],
                    agencies=tuple(sorted(agencies.get(r[0], ()))), present=int(r[7]), late=int(r[8]),
                    person_id=r[9])
            for r in db.session.execute(query)]


def plan_compliance(plan: Plan, now: datetime, *, agency_id: int | None = None) -> Compliance:
    return summarise(class_facts(plan, now), nominees(plan, agency_id=agency_id))


PEOPLE_PER_PAGE = 100  # a plan of 200 classes can name tens of thousands: the pages show one page of them


@dataclass
class PeoplePage(Pager):
    """One page of the people a compliance page names (outside the audience first, then the no-shows):
    `rows` are (class code, "outside" or "no_show", outcome). The tallies stay whole in `Compliance`;
    only the names are paged. Shaped like Flask-SQLAlchemy's Pagination for the `pagination` macro."""
    rows: list[tuple[str, str, Outcome]]
    total: int              # the people matching `q`
    page: int
    per_page: int
    q: str
    outside_total: int      # before the search: which empty state to show
    no_show_total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def people_page(compliance: Compliance, *, q: str = "", page: int = 1,
                per_page: int = PEOPLE_PER_PAGE) -> PeoplePage:
    """The people outside their class's audience and the no-shows whose folded name contains the folded
    `q`, page `page` of them; a page past the last shows the last."""
    outside, absent = compliance.outside_people, compliance.no_show_people
    wanted = fold(q)
    found = [(code, kind, o) for kind, named in (("outside", outside), ("no_show", absent)) for code, o in named
             if not wanted or wanted in fold(o.nominee.name)]
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    return PeoplePage(rows=found[(page - 1) * per_page: page * per_page], total=len(found), page=page,
                      per_page=per_page, q=q, outside_total=len(outside), no_show_total=len(absent))

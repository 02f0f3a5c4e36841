"""What views look up: a plan, a class or a session by what the URL names (a DomainError("not_found") when
it is not there), and the plans, classes and sessions a user may see, each the query twin of its
permission. Changing plans and classes is planning.py's."""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ...errors import DomainError
from ...extensions import db
from ...models import ClassSession, Plan, TrainingClass, User, Venue, class_suppliers, plan_monitors
from ...security import reads_class_suppliers, user_can


def get_plan(code: str, *, with_units: bool = False) -> Plan:
    """The plan coded `code`; `with_units`: its issuing and organising units joined in, for a page that
    names them (one statement rather than three)."""
    query = select(Plan).where(Plan.code == code)
    if with_units:
        query = query.options(joinedload(Plan.issuing_org), joinedload(Plan.organiser_org))
    plan = db.session.scalar(query)
    if plan is None:
        raise DomainError("not_found", _l("Không tìm thấy kế hoạch \"%(code)s\".", code=code))
    return plan


def get_class(plan: Plan, code: str) -> TrainingClass:
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.plan_id == plan.id,
                                                        TrainingClass.code == code))
    if cls is None:
        raise DomainError("not_found", _l("Không tìm thấy lớp \"%(code)s\" trong kế hoạch %(plan)s.",
                                          code=code, plan=plan.code))
    return cls


def get_plan_and_class(code: str, class_code: str) -> tuple[Plan, TrainingClass]:
    """The plan coded `code` and its class `class_code` in one statement, as every class page loads them
    (issue 22: two statements were a fixed cost of each). When the pair is not found, get_plan and
    get_class tell which of the two is missing."""
    cls = db.session.scalar(select(TrainingClass).join(TrainingClass.plan)
                            .where(Plan.code == code, TrainingClass.code == class_code)
                            .options(contains_eager(TrainingClass.plan)))
    if cls is None:
        plan = get_plan(code)
        return plan, get_class(plan, class_code)
    return cls.plan, cls


def get_session(cls: TrainingClass, session_id: int) -> ClassSession:
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != cls.id:
        raise DomainError("not_found", _l("Không tìm thấy buổi học."))
    return session


def visible_plans_query(user: User):
    """Plans the user may see, the query twin of the `plan.view` permission."""
    query = (select(Plan).options(selectinload(Plan.classes), joinedload(Plan.organiser_org))
             .order_by(Plan.issued_on.desc().nulls_last(), Plan.code))
    if user.role == "admin":
        return query
    if user.role == "organiser":
        return query.where(Plan.organiser_org_id == user.organisation_id)
    if user.role == "monitor":
        return query.where(Plan.id.in_(select(plan_monitors.c.plan_id)
                                       .where(plan_monitors.c.organisation_id == user.organisation_id)))
    if user.role == "supplier":
        return query.where(Plan.id.in_(
            select(TrainingClass.plan_id).join(class_suppliers, class_suppliers.c.class_id == TrainingClass.id)
            .where(class_suppliers.c.organisation_id == user.organisation_id)))
    return query.where(False)


def visible_classes(user: User, plan: Plan, *, with_sessions: bool = True) -> list[TrainingClass]:
    """The plan's classes the user may see, in plan.classes' order, each with what the calendar and the
    access check read (sessions, venue, and for a supplier the suppliers) loaded in one statement each, not
    one per class. The plan's page reads its sessions' times as columns instead (status.class_statuses),
    with_sessions=False."""
    options = [joinedload(TrainingClass.venue)]
    if reads_class_suppliers(user):  # a supplier's access check reads them; nobody else's
        options.append(selectinload(TrainingClass.supplier_orgs))
    if with_sessions:
        options.append(selectinload(TrainingClass.sessions))
    classes = db.session.scalars(
        select(TrainingClass).where(TrainingClass.plan_id == plan.id).order_by(TrainingClass.code).options(*options))
    classes = list(classes)
    for cls in classes:  # their plan is this one: the access check reads it, not looked up 200 times
        set_committed_value(cls, "plan", plan)
    return [c for c in classes if user_can(user, "class.view", c)]


class PlanClassRow(NamedTuple):
    """A class as its plan's page lists it, plain columns: with its number of sessions and the span of
    those not cancelled (first start, last end), what status.class_statuses reads."""
    id: int
    code: str
    title: str
    date_expression: str | None
    venue_name: str | None
    status: str
    is_closed: bool
    session_count: int
    first_start: datetime | None
    last_end: datetime | None


def plan_class_rows(user: User, plan: Plan) -> list[PlanClassRow]:
    """visible_classes as the plan's page lists them, in one statement: columns, and the sessions counted
    and spanned by the database, rather than 200 entities, their venues and 400 sessions. Who sees a class
    is decided by its plan alone except for a supplier: class.view asked of the plan itself holds for the
    admin, the plan's organiser and its monitors, who see every class; a supplier's classes are still
    checked one by one, on the models (visible_classes)."""
    live = ClassSession.status != "cancelled"
    query = (select(TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.date_expression,
                    Venue.name, TrainingClass.status, TrainingClass.closed_at.is_not(None), func.count(ClassSession.id),
                    func.min(case((live, ClassSession.starts_at))), func.max(case((live, ClassSession.ends_at))))
             .outerjoin(Venue, Venue.id == TrainingClass.venue_id)
             .outerjoin(ClassSession, ClassSession.class_id == TrainingClass.id)
             .where(TrainingClass.plan_id == plan.id).group_by(TrainingClass.id, Venue.id).order_by(TrainingClass.code))
    if not user_can(user, "class.view", plan):
        query = query.where(TrainingClass.id.in_([c.id for c in visible_classes(user, plan, with_sessions=False)]))
    return [PlanClassRow(*row[:6], bool(row[6]), *row[7:]) for row in db.session.execute(query)]


def sessions_between(user: User, start: datetime, end: datetime, limit: int = 50) -> list[ClassSession]:
    """The sessions of classes the user may see that run at some time in [start, end), for the
    training-day panel of the dashboard (today and tomorrow, local time); cancelled ones left out.

    Overlap rather than start: a session begun before midnight and still running is today's work
    for the organiser at the door, and must stay a tap from the scanner."""
    plan_ids = select(visible_plans_query(user).subquery().c.id)
    query = (select(ClassSession).join(TrainingClass)
             .where(TrainingClass.plan_id.in_(plan_ids), ClassSession.ends_at > start,
                    ClassSession.starts_at < end, TrainingClass.status != "cancelled",
                    ClassSession.status == "scheduled")
             .options(joinedload(ClassSession.training_class).joinedload(TrainingClass.plan))
             .order_by(ClassSession.starts_at).limit(limit * 3))
    return [s for s in db.session.scalars(query) if user_can(user, "class.view", s.training_class)][:limit]


def upcoming_sessions(user: User, now: datetime, limit: int = 10) -> list[ClassSession]:
    """The next sessions of classes the user may see, for the dashboard."""
    plan_ids = select(visible_plans_query(user).subquery().c.id)
    query = (select(ClassSession).join(TrainingClass)
             .where(TrainingClass.plan_id.in_(plan_ids), ClassSession.ends_at >= now,
                    TrainingClass.status != "cancelled", ClassSession.status == "scheduled")
             .order_by(ClassSession.starts_at).limit(limit * 3))
    return [s for s in db.session.scalars(query) if user_can(user, "class.view", s.training_class)][:limit]

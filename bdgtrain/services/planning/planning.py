"""Plans and classes: creating, changing, cancelling, closing and deleting them, audited. What views look
up (a plan or class by its code, the plans and classes a user may see) is lookups.py's; a class's sessions
one by one are sessions.py's.

A class whose roll was called is never cancelled (its credit would vanish from every report): it is
closed, which cancels its sessions still to come and keeps the held ones and their attendance."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from ...errors import DomainError
from ...extensions import db
from ...localtime import local_to_utc, to_local
from ...models import (
    Attendance,
    ClassSession,
    Enrolment,
    Organisation,
    Plan,
    ReportDeadline,
    Trainer,
    TrainingClass,
    User,
)
from ...models.base import utcnow
from ...rules.dates import DateExpressionError, default_sessions, format_date_expression, parse_date_expression
from ...rules.deadlines import DeadlineError, DeadlineSpec, parse_deadlines
from ...rules.names import fold
from ..calendar import invitations
from ..core import audit
from ..lists.seats import check_capacity
from .seats import offer_open_seats
from .sessions import reopen_if_sessions_ahead, sessions_have_attendance, sessions_with_roll_call, set_session_cancelled

PLAN_FIELDS = ("code", "number", "title", "issuing_org_id", "organiser_org_id", "issued_on",
               "funding_source", "period_start", "period_end", "description")
CHECKIN_FIELDS = ("checkin_opens_minutes", "late_after_minutes", "room_code_seconds", "completion_percent")
CLASS_FIELDS = ("code", "title", "content", "audience", "eligible_sex", "eligible_org_kinds",
                "venue_id", "capacity", "status", "date_expression", "cancel_reason", "closed_at", "close_reason",
                *CHECKIN_FIELDS)


@dataclass
class PlanInput:
    code: str
    number: str
    title: str
    organiser_org_id: int
    issuing_org_id: int | None = None
    issued_on: date | None = None
    funding_source: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    description: str | None = None
    deadlines_text: str = ""
    monitor_org_ids: list[int] = field(default_factory=list)


@dataclass
class ClassInput:
    code: str
    title: str
    date_expression: str
    content: str | None = None
    audience: str | None = None
    eligible_sex: str | None = None
    eligible_org_kinds: list[str] = field(default_factory=list)
    venue_id: int | None = None
    capacity: int | None = None
    status: str = "planned"
    trainer_ids: list[int] = field(default_factory=list)
    supplier_org_ids: list[int] = field(default_factory=list)
    checkin_opens_minutes: int = 60
    late_after_minutes: int = 15
    room_code_seconds: int = 20
    completion_percent: int = 80


# Check-in settings: (field, lowest, highest) as the database's check constraints allow.
CHECKIN_SETTING_RANGES = (("checkin_opens_minutes", 0, 1440), ("late_after_minutes", 0, 1440),
                          ("room_code_seconds", 5, 3600), ("completion_percent", 1, 100))


# --- plans -------------------------------------------------------------------------------------

def _plan_snapshot(plan: Plan) -> dict:
    data = audit.snapshot(plan, PLAN_FIELDS)
    data["deadlines"] = [f"{d.label}: {d.due_day}/{d.due_month}" + (f"/{d.due_year}" if d.due_year else "")
                         for d in plan.report_deadlines]
    data["monitor_org_ids"] = sorted(o.id for o in plan.monitor_orgs)
    return data


def _parse_deadlines(text: str) -> list[DeadlineSpec]:
    try:
        return parse_deadlines(text or "")
    except DeadlineError as error:
        raise DomainError("plan.deadline_invalid", error.message, field="deadlines") from None


def _check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise DomainError("plan.period_reversed",
                          _l("Thời gian kết thúc của kế hoạch phải sau thời gian bắt đầu."), field="period_end")


def _orgs(ids: list[int]) -> list[Organisation]:
    if not ids:
        return []
    found = db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))).all()
    if len(found) != len(set(ids)):
        raise DomainError("org.unknown", _l("Có đơn vị được chọn không tồn tại."))
    return list(found)


def _apply_plan(plan: Plan, data: PlanInput, specs: list[DeadlineSpec]) -> None:
    for name in PLAN_FIELDS:
        if name != "code":
            setattr(plan, name, getattr(data, name))
    plan.search_text = fold(f"{plan.code} {plan.number} {plan.title}")
    plan.report_deadlines = [ReportDeadline(label=s.label, due_day=s.day, due_month=s.month, due_year=s.year)
                             for s in specs]
    plan.monitor_orgs = _orgs(data.monitor_org_ids)


def _check_code_characters(code: str) -> None:
    """A code is part of every URL of its plan or class: a slash would make them unreachable."""
    if any(c in "/\\" or ord(c) < 32 for c in code):
        raise DomainError("code.invalid_characters", _l("Mã không được chứa dấu gạch chéo (/ hoặc \\) hay ký tự "
                                                        "điều khiển, vì mã là một phần của đường dẫn."), field="code")


def create_plan(actor: User | None, data: PlanInput) -> Plan:
    code = data.code.strip().upper()
    _check_code_characters(code)
    if db.session.scalar(select(exists().where(func.upper(Plan.code) == code))):
        raise DomainError("plan.duplicate_code", _l("Mã kế hoạch \"%(code)s\" đã được dùng.", code=code), field="code")
    _check_period(data.period_start, data.period_end)
    specs = _parse_deadlines(data.deadlines_text)
    plan = Plan(code=code)
    _apply_plan(plan, data, specs)
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "plan.created", plan, after=_plan_snapshot(plan), summary=plan.number)
    return plan


def update_plan(actor: User | None, plan: Plan, data: PlanInput) -> Plan:
    _check_period(data.period_start, data.period_end)
    specs = _parse_deadlines(data.deadlines_text)
    before = _plan_snapshot(plan)
    _apply_plan(plan, data, specs)
    db.session.flush()
    old, new = audit.changed_fields(before, _plan_snapshot(plan))
    if new:
        audit.record(actor, "plan.updated", plan, before=old, after=new, summary=plan.number)
    return plan


def delete_plan(actor: User | None, plan: Plan) -> None:
    if plan.classes:
        raise DomainError("plan.has_classes",
                          _l("Kế hoạch còn lớp tập huấn: hãy xóa hoặc hủy các lớp trước khi xóa kế hoạch."))
    audit.record(actor, "plan.deleted", plan, before=_plan_snapshot(plan), summary=plan.number)
    db.session.delete(plan)
    db.session.flush()


# --- classes -----------------------------------------------------------------------------------

def _class_snapshot(cls: TrainingClass) -> dict:
    data = audit.snapshot(cls, CLASS_FIELDS)
    data["trainer_ids"] = sorted(t.id for t in cls.trainers)
    data["supplier_org_ids"] = sorted(o.id for o in cls.supplier_orgs)
    return data


def _parse_days(expression: str) -> list[date]:
    try:
        return parse_date_expression(expression)
    except DateExpressionError as error:
        raise DomainError(error.code, error.message, field="date_expression") from None


def _check_unique_code(plan: Plan, code: str, exclude_id: int | None = None) -> None:
    conditions = [TrainingClass.plan_id == plan.id, func.upper(TrainingClass.code) == code]
    if exclude_id is not None:
        conditions.append(TrainingClass.id != exclude_id)
    if db.session.scalar(select(exists().where(*conditions))):
        raise DomainError("class.duplicate_code",
                          _l("Mã lớp \"%(code)s\" đã có trong kế hoạch %(plan)s.", code=code, plan=plan.code),
                          field="code")


def _apply_class(cls: TrainingClass, data: ClassInput, code: str) -> None:
    if data.status not in ("planned", "confirmed"):
        raise DomainError("class.bad_status", _l("Trạng thái lớp không hợp lệ."), field="status")
    if data.capacity is not None and data.capacity <= 0:
        raise DomainError("class.bad_capacity", _l("Số học viên tối đa phải lớn hơn 0."), field="capacity")
    for name, lowest, highest in CHECKIN_SETTING_RANGES:
        value = getattr(data, name)
        if not isinstance(value, int) or not lowest <= value <= highest:
            raise DomainError("class.bad_checkin_setting",
                              _l("Giá trị phải từ %(low)s đến %(high)s.", low=lowest, high=highest), field=name)
    cls.code = code
    for name in ("title", "content", "audience", "eligible_sex", "venue_id", "capacity", *CHECKIN_FIELDS):
        setattr(cls, name, getattr(data, name))
    cls.eligible_org_kinds = ",".join(data.eligible_org_kinds) or None
    if not cls.is_cancelled:
        cls.status = data.status
    cls.trainers = list(db.session.scalars(select(Trainer).where(Trainer.id.in_(data.trainer_ids)))) \
        if data.trainer_ids else []
    cls.supplier_orgs = _orgs(data.supplier_org_ids)


def _new_sessions(days: list[date]) -> list[ClassSession]:
    return [ClassSession(label=slot.label, starts_at=local_to_utc(slot.day, slot.start),
                         ends_at=local_to_utc(slot.day, slot.end))
            for slot in default_sessions(days)]


def create_class(actor: User | None, plan: Plan, data: ClassInput) -> TrainingClass:
    code = data.code.strip().upper()
    _check_code_characters(code)
    _check_unique_code(plan, code)
    days = _parse_days(data.date_expression)
    cls = TrainingClass(date_expression=format_date_expression(days))
    db.session.add(cls)
    cls.plan = plan
    _apply_class(cls, data, code)
    cls.sessions = _new_sessions(days)
    db.session.flush()
    audit.record(actor, "plan.class.created", cls, after=_class_snapshot(cls), summary=f"{plan.code}/{code}")
    return cls



def _sync_sessions(cls: TrainingClass, days: list[date]) -> None:
    """Keep the sessions of days that remain (with their edits and calendar identity), add defaults
    for new days, remove those of days no longer in the expression unless someone attended them."""
    wanted = set(days)
    removed = [s for s in cls.sessions if to_local(s.starts_at).date() not in wanted]
    if sessions_have_attendance([s.id for s in removed if s.id is not None]):
        raise DomainError("class.session_has_attendance",
                          _l("Không thể bỏ ngày đã có điểm danh khỏi thời gian tổ chức của lớp."),
                          field="date_expression")
    if removed and invitations.was_invited(cls):
        raise DomainError("class.sessions_invited",
                          _l("Học viên đã nhận giấy mời có các buổi này: hãy hủy từng buổi (để lịch của họ được "
                             "cập nhật) thay vì bỏ ngày khỏi thời gian tổ chức."), field="date_expression")
    for session in removed:
        cls.sessions.remove(session)
    present = {to_local(s.starts_at).date() for s in cls.sessions}
    cls.sessions.extend(_new_sessions(sorted(wanted - present)))


def update_class(actor: User | None, cls: TrainingClass, data: ClassInput) -> TrainingClass:
    code = data.code.strip().upper()
    _check_code_characters(code)
    _check_unique_code(cls.plan, code, exclude_id=cls.id)
    days = _parse_days(data.date_expression)
    before = _class_snapshot(cls)
    session_count = len(cls.sessions)
    check_capacity(cls, data.capacity)  # not below the seats held (issue 21)
    _apply_class(cls, data, code)
    cls.date_expression = format_date_expression(days)
    _sync_sessions(cls, days)
    db.session.flush()
    reopen_if_sessions_ahead(actor, cls)
    old, new = audit.changed_fields(before, _class_snapshot(cls))
    if new:
        # The class's own row may not change (trainers live in a link table), yet its calendars do.
        cls.updated_at = utcnow()
        if "venue_id" in new or "status" in new:
            # Calendar clients apply a change of place or of status only when SEQUENCE grows.
            for session in cls.sessions:
                session.sequence += 1
        db.session.flush()
        audit.record(actor, "plan.class.updated", cls, before=old, after=new,
                     summary=f"{cls.plan.code}/{cls.code}")
    if "venue_id" in new or "status" in new or "date_expression" in new or len(cls.sessions) != session_count:
        invitations.notify_change(actor, cls)
    if "capacity" in new and not cls.is_cancelled:
        offer_open_seats(actor, cls)  # more seats: the waiting list moves up, in order
    return cls


def cancel_class(actor: User | None, cls: TrainingClass, reason: str) -> TrainingClass:
    if cls.is_cancelled:
        raise DomainError("class.already_cancelled", _l("Lớp này đã bị hủy."))
    if class_has_roll_call(cls):
        raise DomainError("class.has_attendance",
                          _l("Lớp đã có điểm danh nên không thể hủy: hủy lớp sẽ xóa kết quả của các buổi đã học "
                             "khỏi mọi báo cáo. Hãy dùng “Đóng lớp” để hủy các buổi chưa diễn ra mà vẫn giữ kết "
                             "quả các buổi đã học."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("class.cancel_reason_missing", _l("Vui lòng ghi lý do hủy lớp."), field="reason")
    before = _class_snapshot(cls)
    cls.status_before_cancel = cls.status
    cls.status = "cancelled"
    cls.cancelled_at = utcnow()
    cls.cancel_reason = reason
    for session in cls.sessions:
        session.sequence += 1  # calendars must learn of the cancellation
    db.session.flush()
    audit.record(actor, "plan.class.cancelled", cls, before=before, after=_class_snapshot(cls),
                 summary=f"{cls.plan.code}/{cls.code}")
    invitations.notify_change(actor, cls, cancelled=True)
    return cls


def restore_class(actor: User | None, cls: TrainingClass) -> TrainingClass:
    """Undo a cancellation: the class is planned again."""
    if not cls.is_cancelled:
        raise DomainError("class.not_cancelled", _l("Lớp này chưa bị hủy."))
    before = _class_snapshot(cls)
    cls.status = cls.status_before_cancel or "planned"
    cls.status_before_cancel = None
    cls.cancelled_at = None
    cls.cancel_reason = None
    for session in cls.sessions:
        session.sequence += 1
    db.session.flush()
    audit.record(actor, "plan.class.restored", cls, before=before, after=_class_snapshot(cls),
                 summary=f"{cls.plan.code}/{cls.code}")
    invitations.notify_change(actor, cls)
    return cls


@dataclass
class Closing:
    """What closing a class now would do: the sessions it cancels and those it keeps."""
    cancelled: list[ClassSession]
    kept: list[ClassSession]


def plan_closing(cls: TrainingClass, now: datetime) -> Closing:
    """Sessions not yet started and with no roll call are cancelled; those started (or already
    checked into, the door opens before the start) are kept with their attendance."""
    scheduled = [s for s in cls.sessions if s.status == "scheduled"]
    called = sessions_with_roll_call([s.id for s in scheduled])
    cancelled = [s for s in scheduled if s.starts_at > now and s.id not in called]
    return Closing(cancelled=cancelled, kept=[s for s in scheduled if s not in cancelled])


def close_class(actor: User | None, cls: TrainingClass, now: datetime, reason: str) -> TrainingClass:
    """Stop a class after some of its sessions were held: cancel the sessions still to come (each as
    cancelling one session does, so calendars and invitations follow) and keep the held ones."""
    if cls.is_cancelled:
        raise DomainError("class.already_cancelled", _l("Lớp này đã bị hủy."))
    if cls.is_closed:
        raise DomainError("class.already_closed", _l("Lớp này đã được đóng ngày %(date)s.",
                                                     date=to_local(cls.closed_at).strftime("%d/%m/%Y")))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("class.close_reason_missing", _l("Vui lòng ghi lý do đóng lớp."), field="reason")
    closing = plan_closing(cls, now)
    if not closing.kept:
        raise DomainError("class.nothing_held", _l("Lớp chưa có buổi nào diễn ra nên không cần đóng: hãy dùng "
                                                   "“Hủy lớp”."))
    if not closing.cancelled:
        raise DomainError("class.nothing_to_close", _l("Lớp không còn buổi nào chưa diễn ra: không có buổi nào "
                                                       "để hủy."))
    before = _class_snapshot(cls)
    for session in closing.cancelled:
        set_session_cancelled(actor, session, True)
    cls.closed_at, cls.close_reason = now, reason
    db.session.flush()
    after = _class_snapshot(cls)
    after["cancelled_session_ids"] = [s.id for s in closing.cancelled]
    audit.record(actor, "plan.class.closed", cls, before=before, after=after, summary=f"{cls.plan.code}/{cls.code}")
    return cls


def class_has_roll_call(cls: TrainingClass) -> bool:
    return bool(sessions_with_roll_call([s.id for s in cls.sessions]))


def class_has_attendance(cls: TrainingClass) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Attendance.session_id == ClassSession.id, ClassSession.class_id == cls.id))))


def class_has_enrolments(cls: TrainingClass) -> bool:
    return bool(db.session.scalar(select(exists().where(Enrolment.class_id == cls.id))))


def delete_class(actor: User | None, cls: TrainingClass) -> None:
    if class_has_attendance(cls):
        raise DomainError("class.has_attendance",
                          _l("Lớp đã có dữ liệu điểm danh nên không thể xóa."))
    if class_has_enrolments(cls):
        raise DomainError("class.has_enrolments",
                          _l("Lớp đã có danh sách học viên nên không thể xóa; hãy hủy lớp thay vì xóa."))
    audit.record(actor, "plan.class.deleted", cls, before=_class_snapshot(cls),
                 summary=f"{cls.plan.code}/{cls.code}")
    db.session.delete(cls)
    db.session.flush()

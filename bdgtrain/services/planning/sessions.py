"""A class's sessions one by one: adding, moving, cancelling and deleting a session, audited, with
the class's written dates and its participants' calendars following. A session whose roll was
called is never cancelled: its attendance is what the reports count."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from ...errors import DomainError
from ...extensions import db
from ...localtime import local_to_utc, to_local
from ...models import Attendance, ClassSession, TrainingClass, User, Venue
from ...models.base import utcnow
from ...rules.completion import ROLL_CALL
from ...rules.dates import format_date_expression
from ..calendar import invitations
from ..core import audit

SESSION_FIELDS = ("label", "starts_at", "ends_at", "status", "sequence", "note")


@dataclass
class SessionInput:
    day: date
    start: time
    end: time
    label: str
    note: str | None = None


class PrintedSession(NamedTuple):
    """A session as a printed sheet or card names it."""
    starts_at: datetime
    label: str
    status: str


def venue_and_sessions(cls: TrainingClass) -> tuple[str | None, list[PrintedSession]]:
    """The name of the class's venue (None without one) and its sessions in time order (cls.sessions'
    order), read as columns in one statement: the sign-in sheet and the cards loaded the venue and the
    sessions as objects in two (issue 22)."""
    rows = db.session.execute(
        select(Venue.name, ClassSession.starts_at, ClassSession.label, ClassSession.status)
        .select_from(TrainingClass).outerjoin(Venue, Venue.id == TrainingClass.venue_id)
        .outerjoin(ClassSession, ClassSession.class_id == TrainingClass.id).where(TrainingClass.id == cls.id)
        .order_by(ClassSession.starts_at, ClassSession.id)).all()
    venue = rows[0][0] if rows else None
    return venue, [PrintedSession(starts_at, label, status) for _venue, starts_at, label, status in rows
                   if starts_at is not None]


def sessions_have_attendance(session_ids: list[int]) -> bool:
    if not session_ids:
        return False
    return bool(db.session.scalar(select(exists().where(Attendance.session_id.in_(session_ids)))))


def sessions_with_roll_call(session_ids: list[int]) -> set[int]:
    """The sessions among these that were held: someone was marked present, late or absent."""
    if not session_ids:
        return set()
    return set(db.session.scalars(select(Attendance.session_id).distinct().where(
        Attendance.session_id.in_(session_ids), Attendance.status.in_(ROLL_CALL))))


def reopen_if_sessions_ahead(actor: User | None, cls: TrainingClass) -> None:
    """A closed class has no scheduled session to come after its closing (but those already checked
    into, kept when it closed): one added, moved or restored there opens the class again."""
    if cls.closed_at is None:
        return
    ahead = [s.id for s in cls.sessions if s.status == "scheduled" and s.starts_at > cls.closed_at]
    if not set(ahead) - sessions_with_roll_call(ahead):
        return
    before = audit.snapshot(cls, ("closed_at", "close_reason"))
    cls.closed_at, cls.close_reason = None, None
    cls.updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "plan.class.reopened", cls, before=before, after={"closed_at": None, "close_reason": None},
                 summary=f"{cls.plan.code}/{cls.code}")


def _session_times(data: SessionInput) -> tuple[datetime, datetime]:
    if not data.label.strip():
        raise DomainError("session.label_missing", _l("Vui lòng nhập tên buổi (ví dụ: Sáng, Chiều)."), field="label")
    if data.end <= data.start:
        raise DomainError("session.ends_before_start",
                          _l("Giờ kết thúc phải sau giờ bắt đầu của buổi."), field="end")
    return local_to_utc(data.day, data.start), local_to_utc(data.day, data.end)


def add_session(actor: User | None, cls: TrainingClass, data: SessionInput) -> ClassSession:
    starts_at, ends_at = _session_times(data)
    session = ClassSession(training_class=cls, label=data.label.strip(), starts_at=starts_at,
                           ends_at=ends_at, note=data.note)
    db.session.add(session)
    db.session.flush()
    _refresh_date_expression(cls)
    audit.record(actor, "plan.session.created", session, after=audit.snapshot(session, SESSION_FIELDS),
                 summary=f"{cls.plan.code}/{cls.code}")
    reopen_if_sessions_ahead(actor, cls)
    invitations.notify_change(actor, cls)
    return session


def update_session(actor: User | None, session: ClassSession, data: SessionInput) -> ClassSession:
    starts_at, ends_at = _session_times(data)
    before = audit.snapshot(session, SESSION_FIELDS)
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    if moved:
        session.sequence += 1
    session.label, session.starts_at, session.ends_at, session.note = (
        data.label.strip(), starts_at, ends_at, data.note)
    db.session.flush()
    _refresh_date_expression(session.training_class)
    old, new = audit.changed_fields(before, audit.snapshot(session, SESSION_FIELDS))
    if new:
        audit.record(actor, "plan.session.updated", session, before=old, after=new)
    reopen_if_sessions_ahead(actor, session.training_class)
    if moved:
        invitations.notify_change(actor, session.training_class)
    return session


def set_session_cancelled(actor: User | None, session: ClassSession, cancelled: bool) -> ClassSession:
    target = "cancelled" if cancelled else "scheduled"
    if session.status == target:
        return session
    if cancelled and sessions_with_roll_call([session.id]):
        raise DomainError("session.has_attendance",
                          _l("Buổi học đã được điểm danh nên không thể hủy: kết quả điểm danh của buổi này sẽ mất "
                             "khỏi mọi báo cáo. Nếu lớp dừng giữa chừng, hãy dùng “Đóng lớp” để hủy các buổi chưa "
                             "diễn ra mà vẫn giữ kết quả các buổi đã học."))
    before = audit.snapshot(session, SESSION_FIELDS)
    session.status = target
    session.sequence += 1
    db.session.flush()
    audit.record(actor, "plan.session.cancelled" if cancelled else "plan.session.restored", session,
                 before=before, after=audit.snapshot(session, SESSION_FIELDS))
    if not cancelled:
        reopen_if_sessions_ahead(actor, session.training_class)
    invitations.notify_change(actor, session.training_class, session=session if cancelled else None,
                              cancelled=cancelled)
    return session


def delete_session(actor: User | None, session: ClassSession) -> None:
    if sessions_have_attendance([session.id]):
        raise DomainError("session.has_attendance",
                          _l("Buổi học đã có điểm danh nên không thể xóa."))
    cls = session.training_class
    if invitations.was_invited(cls):
        raise DomainError("session.invited", _l("Học viên đã nhận giấy mời có buổi này: hãy hủy buổi để lịch "
                                                "của họ được cập nhật, thay vì xóa."))
    audit.record(actor, "plan.session.deleted", session, before=audit.snapshot(session, SESSION_FIELDS))
    cls.sessions.remove(session)
    cls.updated_at = utcnow()  # its calendars lose an event: their Last-Modified must move
    db.session.flush()
    _refresh_date_expression(cls)


def _refresh_date_expression(cls: TrainingClass) -> None:
    """The class's written dates follow its sessions when they are edited one by one."""
    days = sorted({to_local(s.starts_at).date() for s in cls.sessions})
    cls.date_expression = format_date_expression(days) if days else ""

"""Attendance written other than by a scan: an organiser's mark on the roster (audited with its
reason), and closing the sessions that have ended, where whoever is unmarked becomes absent."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, insert, select

from ...errors import DomainError
from ...extensions import db
from ...localtime import format_datetime
from ...models import ATTENDANCE_STATUSES, Attendance, ClassSession, Enrolment, TrainingClass, User
from ...models.base import utcnow
from ...rules import checkin as table
from ..core import audit

_ACTIVE = ("nominated", "confirmed")


def mark_attendance(actor: User, cls: TrainingClass, enrolment: Enrolment, session: ClassSession, status: str,
                    reason: str | None) -> Attendance:
    """An organiser's mark on the roster; every change is audited with the reason."""
    if status not in ATTENDANCE_STATUSES:
        raise DomainError("checkin.bad_status", str(_l("Trạng thái điểm danh không hợp lệ.")), field="status")
    if enrolment.class_id != cls.id or session.class_id != cls.id:
        raise DomainError("not_found", str(_l("Không tìm thấy học viên hoặc buổi học trong lớp này.")))
    reason = (reason or "").strip() or None
    if status in ("excused", "absent") and reason is None:
        raise DomainError("checkin.reason_missing", str(_l("Vui lòng ghi lý do.")), field="reason")
    row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                     Attendance.enrolment_id == enrolment.id))
    before = audit.snapshot(row, ("status", "reason", "checked_in_at")) if row is not None else {}
    if row is None:
        row = Attendance(session_id=session.id, enrolment_id=enrolment.id, status=status)
        db.session.add(row)
    row.status, row.reason, row.source, row.marked_by_id = status, reason, "manual", actor.id
    if status in table.ATTENDED and row.checked_in_at is None:
        row.checked_in_at = utcnow()
    db.session.flush()
    audit.record(actor, "checkin.manual.changed", row, before=before,
                 after=audit.snapshot(row, ("status", "reason", "checked_in_at")),
                 summary=f"{enrolment.person.full_name} — {session.label} {format_datetime(session.starts_at)}")
    return row


def _ended_sessions(now: datetime, cls: TrainingClass | None):
    ended = select(ClassSession.id, ClassSession.class_id).join(TrainingClass).where(
        ClassSession.ends_at <= now, ClassSession.status != "cancelled", TrainingClass.status != "cancelled")
    return ended if cls is None else ended.where(ClassSession.class_id == cls.id)


def close_sessions(now: datetime, cls: TrainingClass | None = None) -> int:
    """Unmarked active enrolments of every session that has ended become absent; returns rows written.

    The e-mail warnings that may follow are calendar.invitations.close_sessions_and_warn's."""
    written = 0
    for session_id, class_id in db.session.execute(_ended_sessions(now, cls)).all():
        missing = select(Enrolment.id).where(
            Enrolment.class_id == class_id, Enrolment.status.in_(_ACTIVE),
            ~exists().where(and_(Attendance.session_id == session_id, Attendance.enrolment_id == Enrolment.id)))
        ids = db.session.scalars(missing).all()
        if ids:
            stamp = utcnow()
            db.session.execute(insert(Attendance), [
                {"session_id": session_id, "enrolment_id": eid, "status": "absent", "source": "auto",
                 "created_at": stamp, "updated_at": stamp} for eid in ids])
            written += len(ids)
    return written


def sessions_ended_since(since: datetime, now: datetime, cls: TrainingClass | None = None) -> list[ClassSession]:
    """The sessions (not cancelled, of classes not cancelled) that ended between `since` and `now`."""
    ids = select(_ended_sessions(now, cls).where(ClassSession.ends_at >= since).subquery().c.id)
    return list(db.session.scalars(select(ClassSession).where(ClassSession.id.in_(ids)).order_by(ClassSession.id)))


def count_checked_in(session: ClassSession) -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.session_id == session.id, Attendance.status.in_(table.ATTENDED))) or 0

"""Sample attendance for a demo class that has already taken place, so the monitor's dashboard,
the certificates and the trained share have something to show (`flask --app wsgi demo attendance`).

Deterministic, by the roster's order: most people attend every session; every 4th arrives late to
the first session; every 6th comes only to the first session (attended, not completed); every 8th
never comes (a no-show). Idempotent: a mark already there is left alone. Sessions that have not
ended are not marked. The rows are written as the roster's hand marks would be (source "manual").
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import Attendance, TrainingClass
from ..checkin.attendance_view import active_enrolments


def _pattern(position: int, sessions: int) -> list[str | None]:
    number = position + 1
    if number % 8 == 0:
        return [None] * sessions
    if number % 6 == 0:
        return ["present"] + [None] * (sessions - 1)
    if number % 4 == 0:
        return ["late"] + ["present"] * (sessions - 1)
    return ["present"] * sessions


def mark_demo_attendance(cls: TrainingClass, now: datetime) -> int:
    """Write the sample marks for `cls`'s ended sessions; return how many rows were added."""
    sessions = [s for s in cls.sessions if s.status != "cancelled" and s.ends_at <= now]
    if not sessions:
        return 0
    existing = set(db.session.execute(select(Attendance.session_id, Attendance.enrolment_id).where(
        Attendance.session_id.in_([s.id for s in sessions]))).all())
    added = 0
    for position, enrolment in enumerate(active_enrolments(cls)):
        for session, status in zip(sessions, _pattern(position, len(sessions))):
            if status is None or (session.id, enrolment.id) in existing:
                continue
            arrived = session.starts_at + timedelta(minutes=40 if status == "late" else -5)
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status=status,
                                      checked_in_at=arrived, source="manual"))
            added += 1
    db.session.flush()
    return added

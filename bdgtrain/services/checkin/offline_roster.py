"""What an offline scanner downloads for a class day (digests of the tickets, never the tickets),
and the ticket behind a digest it sends back. Scans themselves go through services.checkin."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...models import Attendance, ClassSession, Enrolment, Person, TrainingClass
from ...rules import tokens
from ...security import ticket_token
from .checkin import class_label, window_of
from .tickets import REVOKED_STATUSES


def roster_snapshot(cls: TrainingClass, now: datetime) -> dict:
    """What a scanner keeps for the day: digests of the tickets (never the tickets), names, units."""
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.status, Person.full_name, Person.unit_name, Person.position, Person.name_folded)
        .join(Person, Person.id == Enrolment.person_id).where(Enrolment.class_id == cls.id)
        .order_by(Person.name_sort_key)).all()
    marks = {(a.enrolment_id, a.session_id): (a.status, a.checked_in_at) for a in db.session.execute(
        select(Attendance.enrolment_id, Attendance.session_id, Attendance.status, Attendance.checked_in_at)
        .join(ClassSession, ClassSession.id == Attendance.session_id).where(ClassSession.class_id == cls.id))}
    window = window_of(cls)
    return {
        "class": class_label(cls),
        "generated_at": now.isoformat(),
        "cancelled": cls.is_cancelled,
        "window": {"opens_minutes": window.opens_minutes, "late_after_minutes": window.late_after_minutes},
        "sessions": [{"id": s.id, "label": s.label, "starts_at": s.starts_at.isoformat(),
                      "ends_at": s.ends_at.isoformat(), "cancelled": s.status == "cancelled"}
                     for s in cls.sessions],
        "people": [{
            "digest": tokens.digest(ticket_token(row.id)),
            "name": row.full_name, "unit": row.unit_name or row.position, "folded": row.name_folded,
            "revoked": row.status in REVOKED_STATUSES,
            "marks": {str(s.id): {"status": marks[(row.id, s.id)][0],
                                  "at": marks[(row.id, s.id)][1].isoformat() if marks[(row.id, s.id)][1] else None}
                      for s in cls.sessions if (row.id, s.id) in marks},
        } for row in rows],
    }


def ticket_for_digest(cls: TrainingClass, digest: str) -> str | None:
    """The ticket of the class's enrolment whose digest the scanner sent (the roster search's tap)."""
    if not isinstance(digest, str) or len(digest) != 64:
        return None
    for enrolment_id in db.session.scalars(select(Enrolment.id).where(Enrolment.class_id == cls.id)):
        token = ticket_token(enrolment_id)
        if tokens.digest(token) == digest.lower():
            return token
    return None

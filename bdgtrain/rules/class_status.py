"""What a class and its sessions are now, from what happened: their times, their attendance, the day.

Stored are only the organiser's decisions (a class cancelled, closed, or confirmed as final; a session
cancelled); everything else follows from the sessions' times and whether anyone was checked in, seen
from `as_of`. A class from 2019 whose sessions all ended is held, whatever its plan said in advance.

Session, first match wins:
  cancelled (stored)                                  -> cancelled
  someone was marked present, late or absent          -> held
  as_of within its start and end                      -> running
  ended with no attendance recorded                   -> unrecorded
  otherwise                                           -> scheduled

Class, first match wins:
  cancelled (stored)                                  -> cancelled
  closed (stored)                                     -> closed
  no session that is not cancelled                    -> its stored planned / confirmed
  as_of at or after the end of its last session       -> held
  as_of at or after the start of its first session,
    or one of its sessions already has attendance     -> running
  otherwise                                           -> its stored planned / confirmed
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# Classes
PLANNED, CONFIRMED, RUNNING, HELD, CLOSED, CANCELLED = (
    "planned", "confirmed", "running", "held", "closed", "cancelled")
# Sessions (besides CANCELLED, RUNNING and HELD)
SCHEDULED, UNRECORDED = "scheduled", "unrecorded"


@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    ends_at: datetime
    cancelled: bool = False
    has_attendance: bool = False


def session_status(session: SessionFacts, as_of: datetime) -> str:
    if session.cancelled:
        return CANCELLED
    if session.has_attendance:
        return HELD
    if session.starts_at <= as_of < session.ends_at:
        return RUNNING
    if as_of >= session.ends_at:
        return UNRECORDED
    return SCHEDULED


@dataclass(frozen=True)
class SessionSpan:
    """What a class's status reads of its sessions that are not cancelled: the first one's start and the
    last one's end (both None when there is none), and whether any of them has attendance. A page of many
    classes can read the span in SQL (min and max) instead of every session."""
    first_start: datetime | None
    last_end: datetime | None
    has_attendance: bool = False


def session_span(sessions: Sequence[SessionFacts]) -> SessionSpan:
    live = [s for s in sessions if not s.cancelled]
    if not live:
        return SessionSpan(None, None)
    return SessionSpan(min(s.starts_at for s in live), max(s.ends_at for s in live),
                       any(s.has_attendance for s in live))


def class_status(stored: str, *, closed: bool, sessions: Sequence[SessionFacts], as_of: datetime) -> str:
    """`stored` is the class's own column: planned, confirmed or cancelled."""
    return class_status_of_span(stored, closed=closed, span=session_span(sessions), as_of=as_of)


def class_status_of_span(stored: str, *, closed: bool, span: SessionSpan, as_of: datetime) -> str:
    """class_status from the span of the class's sessions that are not cancelled."""
    if stored == CANCELLED:
        return CANCELLED
    if closed:
        return CLOSED
    before_start = stored if stored in (PLANNED, CONFIRMED) else PLANNED
    if span.last_end is None:
        return before_start
    if as_of >= span.last_end:
        return HELD
    if as_of >= span.first_start or span.has_attendance:
        return RUNNING
    return before_start


def attendance_decides(stored: str, *, closed: bool, sessions: Sequence[SessionFacts], as_of: datetime) -> bool:
    """Whether class_status can turn on the sessions' attendance: only for a class neither cancelled nor
    closed whose sessions (those not cancelled) have not started yet. Every other class's status follows
    from its stored facts and its sessions' times, whatever `has_attendance` says: a plan's page need not
    read the attendance of its classes that are over (26,600 rows for a plan of 200 classes)."""
    return attendance_decides_for_span(stored, closed=closed, span=session_span(sessions), as_of=as_of)


def attendance_decides_for_span(stored: str, *, closed: bool, span: SessionSpan, as_of: datetime) -> bool:
    """attendance_decides from the span of the class's sessions that are not cancelled."""
    if stored == CANCELLED or closed:
        return False
    return span.last_end is not None and as_of < span.last_end and as_of < span.first_start

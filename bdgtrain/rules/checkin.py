"""The check-in decision table: given what is known about a scan, the one answer to give.

Pure: plain values in, a Decision out. Every entry point (staff scanner, room code, roster search,
offline queue, API) reaches this table through services.checkin.perform_checkin, so the same scan
gets the same answer wherever it was made.

Order of the questions, first match wins:
  1. the token is not one we signed             -> invalid_token
  2. no such enrolment (removed from the list)   -> not_on_list
  3. the scanner is for another class            -> wrong_class
  4. she was replaced or declined                -> revoked
  5. the class is cancelled                      -> cancelled
  6. no session of the class is open at the scan -> outside_window (with when the next one opens)
  7. she is already present or late              -> already (with the time of her first scan)
  8. otherwise                                   -> checked_in, "present", or "late" after start + late_after
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

CHECKED_IN = "checked_in"
ALREADY = "already"
NOT_ON_LIST = "not_on_list"
WRONG_CLASS = "wrong_class"
OUTSIDE_WINDOW = "outside_window"
INVALID_TOKEN = "invalid_token"
REVOKED = "revoked"
CANCELLED = "cancelled"
CODE_EXPIRED = "code_expired"  # a room code older than two rotations (the room-code path only)
CONFLICT = "conflict"  # a scan nonce already recorded for another ticket (services.checkin, not this table)
ACCEPTED = (CHECKED_IN, ALREADY)

ATTENDED = ("present", "late")


@dataclass(frozen=True)
class SessionTimes:
    id: int
    starts_at: datetime
    ends_at: datetime
    cancelled: bool = False


@dataclass(frozen=True)
class Window:
    opens_minutes: int = 60
    late_after_minutes: int = 15

    def opens_at(self, session: SessionTimes) -> datetime:
        return session.starts_at - timedelta(minutes=self.opens_minutes)

    def is_open(self, session: SessionTimes, at: datetime) -> bool:
        return not session.cancelled and self.opens_at(session) <= at < session.ends_at


@dataclass(frozen=True)
class Decision:
    outcome: str
    session_id: int | None = None
    status: str | None = None           # for checked_in: "present" or "late"
    next_opens_at: datetime | None = None  # for outside_window, when there is a later session


def open_session(sessions: Sequence[SessionTimes], at: datetime, window: Window) -> SessionTimes | None:
    """The session whose check-in is open at `at`; when windows overlap, the one that ends first."""
    candidates = [s for s in sessions if window.is_open(s, at)]
    return min(candidates, key=lambda s: (s.ends_at, s.starts_at)) if candidates else None


def next_opening(sessions: Sequence[SessionTimes], at: datetime, window: Window) -> datetime | None:
    later = [window.opens_at(s) for s in sessions if not s.cancelled and window.opens_at(s) > at]
    return min(later) if later else None


def arrival_status(session: SessionTimes, at: datetime, window: Window) -> str:
    return "late" if at > session.starts_at + timedelta(minutes=window.late_after_minutes) else "present"


def decide(*, token_valid: bool, enrolment_found: bool, class_matches: bool, revoked: bool,
           class_cancelled: bool, sessions: Sequence[SessionTimes], window: Window, scanned_at: datetime,
           current_status: str | None = None) -> Decision:
    """`current_status` is the attendance already recorded for the open session, if any."""
    if not token_valid:
        return Decision(INVALID_TOKEN)
    if not enrolment_found:
        return Decision(NOT_ON_LIST)
    if not class_matches:
        return Decision(WRONG_CLASS)
    if revoked:
        return Decision(REVOKED)
    if class_cancelled:
        return Decision(CANCELLED)
    session = open_session(sessions, scanned_at, window)
    if session is None:
        return Decision(OUTSIDE_WINDOW, next_opens_at=next_opening(sessions, scanned_at, window))
    if current_status in ATTENDED:
        return Decision(ALREADY, session.id, current_status)
    return Decision(CHECKED_IN, session.id, arrival_status(session, scanned_at, window))

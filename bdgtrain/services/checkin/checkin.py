"""Check-in: the one path every scan takes, whoever made it and however it arrived.

perform_checkin reads the ticket, asks the decision table (rules.checkin) for the answer, writes
at most one attendance row per session and enrolment (the database refuses a second one; a
conflict is re-read, never raised), and logs the scan with its outcome. A nonce makes a queued
scan idempotent: sent twice, it is answered twice with the first answer and recorded once. When
two devices scanned the same person, the earliest scan time is kept.

A scan is the hot path (hundreds a minute at a door), so it reads what the answer needs as plain
columns in one statement and writes with statements built once: per new scan, one SELECT (the
enrolment, its person, class, plan organiser and sessions, and whether the nonce was seen) and two
INSERTs (attendance, scan log; one statement on PostgreSQL). On SQLite the reads run before the
write lock is taken (database.read_first / take_write_lock), so concurrent scans queue only for
their two INSERTs.

The answer and its wording are answers.py's. Beside it: the room code and a participant's own phone
(rooms.py), queued offline batches (batches.py), manual marks and closing sessions (marking.py), and
what an offline scanner downloads (offline_roster.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ... import database
from ...errors import DomainError
from ...extensions import db
from ...localtime import format_datetime
from ...models import Attendance, CheckinScan, ClassSession, Enrolment, Person, Plan, TrainingClass, User
from ...models.base import utcnow
from ...rules import checkin as table
from ...rules import tokens
from ...security import TICKET, ClassRef, PlanRef, read_token
from .answers import MESSAGES, CheckinResult, message_for
from .tickets import REVOKED_STATUSES

SOURCES_FROM_SCANS = ("scanner", "kiosk", "offline", "api")
# A device clock may run a little fast; a scan claimed further in the future is taken as now.
CLOCK_SKEW = timedelta(minutes=2)
# Queued scans older than this are not accepted: a lost phone found a week later is not attendance.
MAX_QUEUE_AGE = timedelta(days=2)
# One card held up once: the same ticket scanned again by the same device for the same class this close
# (by scan time) is the same scan, answered as the first and not logged again (static/js/scanner.js
# holds back the same code for as long). A scan naming no device (a script) is never taken for a repeat.
REPEAT_WINDOW = timedelta(seconds=5)

def window_of(cls: TrainingClass) -> table.Window:
    return table.Window(opens_minutes=cls.checkin_opens_minutes, late_after_minutes=cls.late_after_minutes)


def session_times(cls: TrainingClass) -> list[table.SessionTimes]:
    return [table.SessionTimes(s.id, s.starts_at, s.ends_at, s.status == "cancelled") for s in cls.sessions]


def open_session(cls: TrainingClass, at: datetime) -> ClassSession | None:
    found = table.open_session(session_times(cls), at, window_of(cls))
    return next((s for s in cls.sessions if found and s.id == found.id), None)


def next_opening(cls: TrainingClass, at: datetime) -> tuple[datetime, ClassSession] | None:
    """When check-in opens next (and for which session), when none is open at `at`."""
    opens = table.next_opening(session_times(cls), at, window_of(cls))
    if opens is None:
        return None
    upcoming = [s for s in cls.sessions if s.status != "cancelled"
                and s.starts_at - timedelta(minutes=cls.checkin_opens_minutes) == opens]
    return (opens, upcoming[0]) if upcoming else None


def class_label(cls: TrainingClass) -> str:
    return f"{cls.code} — {cls.title}"


def _scan_time(scanned_at: datetime | None, received_at: datetime) -> datetime:
    if scanned_at is None or scanned_at > received_at + CLOCK_SKEW:
        return received_at
    return scanned_at


# --- What a scan reads, as plain values -------------------------------------------------------

@dataclass(frozen=True)
class _SessionFacts:
    id: int
    label: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool


@dataclass(frozen=True)
class _ClassFacts:
    """What the decision and the answer need about a class, read from columns or from the model."""
    id: int
    label: str
    cancelled: bool
    window: table.Window
    sessions: tuple[_SessionFacts, ...]

    @classmethod
    def of(cls, training_class: TrainingClass) -> _ClassFacts:
        return cls(training_class.id, class_label(training_class), training_class.is_cancelled,
                   window_of(training_class),
                   tuple(_SessionFacts(s.id, s.label, s.starts_at, s.ends_at, s.status == "cancelled")
                         for s in training_class.sessions))

    def session_times(self) -> list[table.SessionTimes]:
        return [table.SessionTimes(s.id, s.starts_at, s.ends_at, s.cancelled) for s in self.sessions]

    def session(self, session_id: int) -> _SessionFacts:
        return next(s for s in self.sessions if s.id == session_id)


@dataclass(frozen=True)
class _Ticket:
    """The enrolment a ticket names, with its person and class; `ref` is what permissions are asked about."""
    enrolment_id: int
    revoked: bool
    person_name: str
    unit: str | None
    cls: _ClassFacts
    ref: ClassRef


_enrolments, _people, _classes, _plans = (m.__table__ for m in (Enrolment, Person, TrainingClass, Plan))
_sessions, _attendances, _scans = (m.__table__ for m in (ClassSession, Attendance, CheckinScan))

# A scan's reads in one statement, built once: the enrolment with its person, class and plan
# organiser, one row per session of the class (LEFT JOIN: a class may have none yet), and whether
# the nonce was seen before. Table columns, not ORM entities: nothing is loaded into the session.
_READ_TICKET = (
    select(_enrolments.c.status, _people.c.full_name, _people.c.unit_name, _people.c.position,
           _classes.c.id.label("class_id"),
           _classes.c.code, _classes.c.title, _classes.c.status.label("class_status"),
           _classes.c.checkin_opens_minutes, _classes.c.late_after_minutes, _classes.c.plan_id,
           _plans.c.organiser_org_id, _sessions.c.id.label("session_id"), _sessions.c.label,
           _sessions.c.starts_at, _sessions.c.ends_at, _sessions.c.status.label("session_status"),
           select(_scans.c.id).where(_scans.c.nonce == bindparam("nonce")).scalar_subquery().label("seen"),
           # The same card's scan this device logged for the same class an instant before (REPEAT_WINDOW);
           # the logging class is the scanner's, else the ticket's (_facts_of).
           select(_scans.c.id).where(
               _scans.c.enrolment_id == _enrolments.c.id,
               _scans.c.class_id == func.coalesce(bindparam("scanner_class_id", type_=_scans.c.class_id.type),
                                                  _classes.c.id),
               _scans.c.device == bindparam("device", type_=_scans.c.device.type),  # NULL: no device, no repeat
               _scans.c.scanned_at.between(bindparam("repeat_from", type_=_scans.c.scanned_at.type),
                                           bindparam("repeat_to", type_=_scans.c.scanned_at.type)))
           .order_by(_scans.c.id).limit(1).scalar_subquery().label("repeat_of"))
    .select_from(_enrolments.join(_people, _people.c.id == _enrolments.c.person_id)
                 .join(_classes, _classes.c.id == _enrolments.c.class_id)
                 .join(_plans, _plans.c.id == _classes.c.plan_id)
                 .outerjoin(_sessions, _sessions.c.class_id == _classes.c.id))
    .where(_enrolments.c.id == bindparam("enrolment_id"))
    .order_by(_sessions.c.starts_at, _sessions.c.id))  # the order of TrainingClass.sessions
_NONCE_SEEN = select(_scans.c.id).where(_scans.c.nonce == bindparam("nonce"))
_ATTENDANCE_OF = select(_attendances.c.id, _attendances.c.status, _attendances.c.checked_in_at).where(
    _attendances.c.session_id == bindparam("session_id"), _attendances.c.enrolment_id == bindparam("enrolment_id"))


# The check-in write, described once: which fact of a scan fills each column of its two rows. Every
# statement that writes them, on either database, is built from these two maps, and a scan binds
# one dict of facts (_facts_of) to whichever of them it runs.
_ATTENDANCE_FILLED_BY = {
    "session_id": "session_id", "enrolment_id": "enrolment_id", "status": "status", "checked_in_at": "at",
    "source": "source", "device": "device", "marked_by_id": "actor_id", "created_at": "written_at",
    "updated_at": "written_at"}
_SCAN_FILLED_BY = {
    "received_at": "received_at", "scanned_at": "at", "outcome": "outcome", "source": "source",
    "class_id": "class_id", "session_id": "session_id", "enrolment_id": "enrolment_id", "user_id": "actor_id",
    "device": "device", "nonce": "nonce", "scanned_text": "scanned_text"}


def _bound_facts() -> dict:
    """One bound parameter per fact, typed as the first column it fills (UTCDateTime converts on binding).
    No fact is named after a column it does not fill: an INSERT would take such a key as a column."""
    bound = {}
    for written, filled_by in ((_attendances, _ATTENDANCE_FILLED_BY), (_scans, _SCAN_FILLED_BY)):
        for column, fact in filled_by.items():
            bound.setdefault(fact, bindparam(fact, type_=written.c[column].type))
    return bound


_FACT = _bound_facts()


@dataclass(frozen=True)
class _Writes:
    """One database's statements for a scan's rows, built once at import."""
    insert_attendance: object  # RETURNING her row's id only when this insert won
    insert_scan: object
    arrive_and_log: object | None  # both rows in one statement, where the database can


def _writes_for(dialect, *, together: bool) -> _Writes:
    """`together` (PostgreSQL): also her attendance and the scan's log in ONE statement (a data-modifying
    WITH, which SQLite lacks), the log written only if the attendance was; it answers how many of each
    were inserted (0 or 1). A scan was four round trips (the ticket, two INSERTs, the commit); this
    saves one for every first scan."""
    attendance = (dialect.insert(_attendances)
                  .values({column: _FACT[fact] for column, fact in _ATTENDANCE_FILLED_BY.items()})
                  .on_conflict_do_nothing(index_elements=["session_id", "enrolment_id"])
                  .returning(_attendances.c.id))
    scan = (dialect.insert(_scans).values({column: _FACT[fact] for column, fact in _SCAN_FILLED_BY.items()})
            .on_conflict_do_nothing(index_elements=["nonce"]))
    if not together:
        return _Writes(attendance, scan, None)
    arrived = attendance.cte("arrived")
    logged = (dialect.insert(_scans)
              .from_select(list(_SCAN_FILLED_BY),
                           select(*(_FACT[fact] for fact in _SCAN_FILLED_BY.values())).select_from(arrived))
              .on_conflict_do_nothing(index_elements=["nonce"])
              .returning(_scans.c.id).cte("logged"))
    return _Writes(attendance, scan, select(select(func.count()).select_from(arrived).scalar_subquery(),
                                            select(func.count()).select_from(logged).scalar_subquery()))


_WRITES = {"postgresql": _writes_for(postgresql, together=True), "sqlite": _writes_for(sqlite, together=False)}


def _facts_of(decision: table.Decision, ticket: _Ticket | None, class_id: int | None, at: datetime,
              received_at: datetime, source: str, device: str | None, nonce: str | None,
              actor: User | None) -> dict:
    """What a scan writes, by fact (_ATTENDANCE_FILLED_BY, _SCAN_FILLED_BY); the outcome is the decision's
    until the write says otherwise (_log_scan)."""
    return {"session_id": decision.session_id, "enrolment_id": ticket.enrolment_id if ticket is not None else None,
            # Logged under the class whose scanner made it: a card of LOP-3 shown at LOP-A's door is
            # LOP-A's refused scan (the API without a scanner class logs it under the ticket's class).
            "class_id": class_id if class_id is not None else (ticket.cls.id if ticket is not None else None),
            "status": decision.status,
            "outcome": decision.outcome, "at": at, "received_at": received_at, "source": source,
            "device": (device or None) and device[:80], "nonce": nonce,
            "actor_id": actor.id if actor is not None else None, "written_at": utcnow(), "scanned_text": None}


def _read_ticket(enrolment_id: int | None, nonce: str | None, *, scanner_class_id: int | None = None,
                 device: str | None = None, at: datetime | None = None) -> tuple[_Ticket | None, bool, int | None]:
    """The ticket's enrolment (None if there is none), whether `nonce` was already recorded, and the id of
    the logged scan this one repeats (same card, device and class within REPEAT_WINDOW of `at`), if any."""
    at = at or utcnow()
    rows = db.session.execute(_READ_TICKET, {
        "enrolment_id": enrolment_id, "nonce": nonce, "scanner_class_id": scanner_class_id, "device": device,
        "repeat_from": at - REPEAT_WINDOW, "repeat_to": at + REPEAT_WINDOW}).all() if enrolment_id is not None else []
    if not rows:
        seen = nonce is not None and db.session.execute(_NONCE_SEEN, {"nonce": nonce}).first() is not None
        return None, seen, None
    first = rows[0]
    sessions = tuple(_SessionFacts(r.session_id, r.label, r.starts_at, r.ends_at, r.session_status == "cancelled")
                     for r in rows if r.session_id is not None)
    facts = _ClassFacts(first.class_id, f"{first.code} — {first.title}", first.class_status == "cancelled",
                        table.Window(first.checkin_opens_minutes, first.late_after_minutes), sessions)
    ref = ClassRef(first.class_id, PlanRef(first.plan_id, first.organiser_org_id))
    # Where she works: Hội LHPN's lists put it in "Chức vụ, đơn vị", so the position stands in.
    ticket = _Ticket(enrolment_id, first.status in REVOKED_STATUSES, first.full_name, first.unit_name or first.position,
                     facts, ref)
    return ticket, first.seen is not None, first.repeat_of


def perform_checkin(scanned_text: str | None, *, source: str, scanner_class: TrainingClass | None = None,
                    scanned_at: datetime | None = None, device: str | None = None, nonce: str | None = None,
                    actor: User | None = None, received_at: datetime | None = None,
                    may_scan: Callable[[TrainingClass | ClassRef], bool] | None = None) -> CheckinResult:
    """Check in whoever `scanned_text` (a ticket token or its URL) names; every entry point calls this.

    `may_scan`, when given, is asked about the ticket's class (a `security.ClassRef`) once it is
    read (an API user may scan only for the classes she organises); a refusal raises
    DomainError("forbidden") and writes nothing.
    """
    received_at = received_at or utcnow()
    at = _scan_time(scanned_at, received_at)
    nonce = (nonce or "").strip()[:80] or None
    device = (device or "").strip()[:80] or None  # the attendance row's column holds 80 (PostgreSQL refuses more)
    enrolment_id = read_token(TICKET, scanned_text)
    ticket, seen, repeat_of = _read_ticket(enrolment_id, nonce, scanner_class_id=scanner_class.id if scanner_class
                                           else None, device=device, at=at)
    if seen:
        earlier = _answer_for_nonce(nonce, scanner_class, may_scan, ticket)
        if earlier is not None and earlier.outcome == table.CONFLICT:
            return _refuse_conflict(earlier, ticket, scanner_class, at, received_at, source, device, actor)
        if earlier is not None:
            return earlier
    if repeat_of is not None:  # the camera saw the card twice, or a button was pressed twice: one scan
        earlier = _answer_for_scan(_scans.c.id == repeat_of, scanner_class, may_scan, ticket)
        if earlier is not None:
            return earlier

    cls = ticket.cls if ticket is not None else (_ClassFacts.of(scanner_class) if scanner_class else None)
    if may_scan is not None and ticket is not None and scanner_class is None and not may_scan(ticket.ref):
        raise DomainError("forbidden", _l("Bạn không có quyền điểm danh cho lớp này."))
    too_old = source == "offline" and at < received_at - MAX_QUEUE_AGE
    decision = table.decide(
        token_valid=enrolment_id is not None,
        enrolment_found=ticket is not None,
        class_matches=ticket is not None and (scanner_class is None or ticket.cls.id == scanner_class.id),
        revoked=ticket is not None and ticket.revoked,
        class_cancelled=cls is not None and cls.cancelled,
        sessions=[] if (cls is None or too_old) else cls.session_times(),
        window=cls.window if cls is not None else table.Window(),
        scanned_at=at,
    )
    database.take_write_lock(db.session)  # SQLite: the reads above ran beside other writers
    writes = _WRITES[db.session.get_bind().dialect.name]
    facts = _facts_of(decision, ticket, scanner_class.id if scanner_class else None, at, received_at, source,
                      device, nonce, actor)
    if decision.outcome == table.CHECKED_IN and writes.arrive_and_log is not None:
        inserted, _logged = db.session.execute(writes.arrive_and_log, facts).one()
        if inserted:
            return _result(decision, ticket, table.CHECKED_IN, decision.status, at)
        result = _apply(writes, decision, ticket, facts, inserted=False)  # her row was there: nothing written
    else:
        result = _apply(writes, decision, ticket, facts)
    _log_scan(writes, result, facts, scanned_text)
    return result


def _apply(writes: _Writes, decision: table.Decision, ticket: _Ticket | None, facts: dict, *,
           inserted: bool | None = None) -> CheckinResult:
    outcome, status, checked_in_at = decision.outcome, decision.status, None
    if outcome == table.CHECKED_IN:
        outcome, status, checked_in_at = _record_arrival(writes, decision, ticket, facts, inserted)
    return _result(decision, ticket, outcome, status, checked_in_at)


def _result(decision: table.Decision, ticket: _Ticket | None, outcome: str, status: str | None,
            checked_in_at: datetime | None) -> CheckinResult:
    result = CheckinResult(outcome, message_for(outcome, at=checked_in_at, next_opens_at=decision.next_opens_at),
                           next_opens_at=decision.next_opens_at, status=status, checked_in_at=checked_in_at)
    if ticket is not None and outcome not in (table.INVALID_TOKEN, table.NOT_ON_LIST):
        result.person_name = ticket.person_name
        result.unit = ticket.unit
        result.class_label = ticket.cls.label
        result.enrolment_id = ticket.enrolment_id
        if decision.session_id is not None:
            session = ticket.cls.session(decision.session_id)
            result.session_label = f"{session.label} {format_datetime(session.starts_at)[:10]}"
    return result


def _record_arrival(writes: _Writes, decision: table.Decision, ticket: _Ticket, facts: dict,
                    inserted: bool | None = None) -> tuple[str, str, datetime]:
    """Insert her attendance, or find the row a concurrent or earlier scan wrote and keep the earliest time.
    `inserted=False`: the insert was already tried (writes.arrive_and_log) and lost."""
    session_id, at = decision.session_id, facts["at"]
    if inserted is None:
        # A row back only when this insert won; rowcount is not reliable across drivers.
        inserted = db.session.execute(writes.insert_attendance, facts).first() is not None
    if inserted:
        return table.CHECKED_IN, decision.status, at
    row = db.session.execute(_ATTENDANCE_OF, {"session_id": session_id, "enrolment_id": ticket.enrolment_id}).one()
    session = ticket.cls.session(session_id)
    times = table.SessionTimes(session.id, session.starts_at, session.ends_at)
    window = ticket.cls.window
    if row.status in table.ATTENDED:
        if row.checked_in_at is not None and at < row.checked_in_at:
            # An offline device scanned her before the scan that reached us first: its time is the truth.
            earliest_status = table.arrival_status(times, at, window)
            db.session.execute(update(Attendance).where(Attendance.id == row.id, Attendance.checked_in_at > at)
                               .values(checked_in_at=at, status=earliest_status, updated_at=utcnow()))
            return table.ALREADY, earliest_status, at
        return table.ALREADY, row.status, row.checked_in_at or at
    # Marked absent or excused before she arrived (by hand, or when an earlier close ran): she is here.
    db.session.execute(update(Attendance).where(Attendance.id == row.id).values(
        status=decision.status, checked_in_at=at, source=facts["source"], device=facts["device"],
        updated_at=utcnow(), marked_by_id=facts["actor_id"]))
    return table.CHECKED_IN, decision.status, at


def _log_scan(writes: _Writes, result: CheckinResult, facts: dict, scanned_text: str | None) -> None:
    shown = (tokens.token_in(scanned_text) or "")[:12] if result.outcome == table.INVALID_TOKEN else None
    db.session.execute(writes.insert_scan, {**facts, "outcome": result.outcome, "scanned_text": shown or None})


def _answer_for_nonce(nonce: str, scanner_class: TrainingClass | None,
                      may_scan: Callable[[TrainingClass | ClassRef], bool] | None,
                      ticket: _Ticket | None) -> CheckinResult | None:
    """The first answer given to this nonce, replayed when the retry names the same ticket (a retry of a
    queued scan). A nonce sent again with another ticket is a conflict: the first scan stands, and the
    answer names nobody (it named the first person to whoever sent the second ticket)."""
    return _answer_for_scan(_scans.c.nonce == nonce, scanner_class, may_scan, ticket)


def _answer_for_scan(which, scanner_class: TrainingClass | None,
                     may_scan: Callable[[TrainingClass | ClassRef], bool] | None,
                     ticket: _Ticket | None) -> CheckinResult | None:
    """The answer the logged scan `which` (a condition on checkin_scans) was given, replayed for `ticket`."""
    scan = db.session.execute(select(_scans.c.outcome, _scans.c.enrolment_id, _scans.c.session_id)
                              .where(which)).first()
    if scan is None:
        return None
    if may_scan is not None and ticket is not None and scanner_class is None and not may_scan(ticket.ref):
        raise DomainError("forbidden", _l("Bạn không có quyền điểm danh cho lớp này."))
    if scan.enrolment_id != (ticket.enrolment_id if ticket is not None else None):
        return CheckinResult(table.CONFLICT, str(MESSAGES[table.CONFLICT]))
    attendance = None
    if ticket is not None and scan.session_id is not None:
        attendance = db.session.execute(_ATTENDANCE_OF, {"session_id": scan.session_id,
                                                         "enrolment_id": ticket.enrolment_id}).first()
    decision = table.Decision(scan.outcome, scan.session_id, attendance.status if attendance else None)
    result = CheckinResult(scan.outcome, "", status=decision.status,
                           checked_in_at=attendance.checked_in_at if attendance else None)
    result.message = message_for(scan.outcome, at=result.checked_in_at)
    if ticket is not None and scan.outcome not in (table.INVALID_TOKEN, table.NOT_ON_LIST):
        result.person_name, result.unit = ticket.person_name, ticket.unit
        result.class_label, result.enrolment_id = ticket.cls.label, ticket.enrolment_id
    return result


def _refuse_conflict(result: CheckinResult, ticket: _Ticket | None, scanner_class: TrainingClass | None,
                     at: datetime, received_at: datetime, source: str, device: str | None,
                     actor: User | None) -> CheckinResult:
    """Log the second scan of a reused nonce (without the nonce, which is the first scan's) and answer it."""
    database.take_write_lock(db.session)
    facts = _facts_of(table.Decision(table.CONFLICT), ticket, scanner_class.id if scanner_class else None, at,
                      received_at, source, device, None, actor)
    db.session.execute(_WRITES[db.session.get_bind().dialect.name].insert_scan, facts)
    return result


def refuse_scan(outcome: str, *, class_id: int | None, at: datetime, received_at: datetime, source: str,
                device: str | None, scanned_text: str | None) -> CheckinResult:
    """A scan refused before any ticket is read (a stale room code): answered and logged like any other."""
    result = CheckinResult(outcome, str(MESSAGES[outcome]))
    facts = _facts_of(table.Decision(outcome), None, class_id, at, received_at, source, device, None, None)
    _log_scan(_WRITES[db.session.get_bind().dialect.name], result, facts, scanned_text)
    return result

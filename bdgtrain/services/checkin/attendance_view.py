"""Reading attendance for the pages: the grid of marks, completion, the live view, the scan log, the session
a manual mark names.

Read-only; the writes are in services.checkin. A session that has closed without a mark for
someone shows as absent here even before `flask checkin close-sessions` writes the row, so the
figures never depend on when the close ran.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, and_, case, exists, false, func, literal, or_, select
from sqlalchemy.orm import joinedload

from ...errors import DomainError
from ...extensions import db
from ...models import Attendance, CheckinScan, ClassSession, Enrolment, Nomination, Organisation, Person, TrainingClass
from ...rules import checkin as table
from ...rules import tokens
from ...rules.completion import Completion, completion, completion_of_count
from ...rules.names import fold
from ...security import ticket_token
from ..core.paging import PER_PAGE, ListPage, page_of_list, page_of_query
from ..lists import seats
from ..lists.lists import ACTIVE_STATUSES
from .checkin import open_session


def get_session(session_id: int) -> ClassSession:
    """The session an organiser's mark names; `checkin.mark_attendance` checks that it is of the class."""
    session = db.session.get(ClassSession, session_id)
    if session is None:
        raise DomainError("not_found", _l("Không tìm thấy buổi học trong lớp này."))
    return session


def active_enrolments_query(cls: TrainingClass):
    """The class's active enrolments with their person, in Vietnamese name order."""
    return (select(Enrolment).join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))
            .options(joinedload(Enrolment.person)).order_by(Person.name_sort_key, Person.id))


def card_page(cls: TrainingClass, batch: int = 1, per_batch: int = PER_PAGE) -> ListPage:
    """A batch of the invitation cards, in active_enrolments_query's order, as tuples of what a card prints
    beside its class: (enrolment id, full name, unit or else position or ""). The batch is chosen on the
    name order alone and read as plain columns, not as enrolments and people (issue 22)."""
    ids = (select(Enrolment.id).join(Person, Person.id == Enrolment.person_id)
           .where(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))
           .order_by(Person.name_sort_key, Person.id))

    def read(limited):
        chosen = limited.subquery()
        rows = db.session.execute(
            select(Enrolment.id, Person.full_name, Person.unit_name, Person.position)
            .select_from(chosen).join(Enrolment, Enrolment.id == chosen.c.id)
            .join(Person, Person.id == Enrolment.person_id).order_by(Person.name_sort_key, Person.id))
        return [(enrolment_id, full_name, unit_name or position or "")
                for enrolment_id, full_name, unit_name, position in rows]

    # Counted on the enrolments alone (each has its person): the join the order needs would triple the count's cost.
    return page_of_query(ids, batch, per_batch, rows_of=read, total=expected_count(cls))


def active_enrolments(cls: TrainingClass) -> list[Enrolment]:
    return list(db.session.scalars(active_enrolments_query(cls)))


def expected_count(cls: TrainingClass) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))) or 0


def _matching(query, q: str):
    """Every word of `q` (folded) starting a word of her name or unit, in any order; or 4+ digits of her phone."""
    words = fold(q).split()
    digits = "".join(ch for ch in q if ch.isdigit())
    # Each word must start a word of her name or unit: "hanh" finds Hạnh, not Thanh or "thành phố".
    name, unit = literal(" ") + Person.name_folded, literal(" ") + func.coalesce(Person.unit_folded, "")
    by_words = and_(*(or_(name.contains(" " + word, autoescape=True), unit.contains(" " + word, autoescape=True))
                      for word in words)) if words else None
    conditions = [c for c in (by_words,) if c is not None]
    if len(digits) >= 4:
        conditions.append(Person.phone.contains(digits, autoescape=True))
    return query.where(or_(*conditions)) if conditions else query


@dataclass
class SearchMatch:
    enrolment: Enrolment
    digest: str
    status: str | None  # her mark in the session open now


def search_roster(cls: TrainingClass, q: str, now: datetime | None = None, limit: int = 30) -> list[SearchMatch]:
    """The scanner's fallback: people of the class by name (without diacritics), unit or phone digits."""
    query = _matching(select(Enrolment).join(Person, Person.id == Enrolment.person_id)
                      .where(Enrolment.class_id == cls.id).options(joinedload(Enrolment.person))
                      .order_by(Person.name_sort_key, Person.id).limit(limit), q)
    enrolments = list(db.session.scalars(query))
    session = open_session(cls, now) if now is not None else None
    marks = {}
    if session is not None and enrolments:
        marks = dict(db.session.execute(select(Attendance.enrolment_id, Attendance.status).where(
            Attendance.session_id == session.id, Attendance.enrolment_id.in_([e.id for e in enrolments]))).all())
    return [SearchMatch(e, tokens.digest(ticket_token(e.id)), marks.get(e.id)) for e in enrolments]


def grid_query(cls: TrainingClass, q: str = ""):
    """The grid's people, in Vietnamese name order, as rows of what a row shows of her (enrolment id, full
    name, unit, position): not 50 enrolments and 50 people loaded as objects a page."""
    query = (select(Enrolment.id, Person.full_name, Person.unit_name, Person.position)
             .join(Person, Person.id == Enrolment.person_id)
             .where(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))
             .order_by(Person.name_sort_key, Person.id))
    return _matching(query, q) if q else query


@dataclass
class GridRow:
    enrolment: Row | Enrolment  # a row of grid_query (or an enrolment): the grid reads its id
    cells: list  # per session: (status or None, its mark (a row: status, checked_in_at, reason) or None, closed)
    completion: Completion


def _held(cls: TrainingClass) -> list[ClassSession]:
    return [s for s in cls.sessions if s.status != "cancelled"]


def _marks(cls: TrainingClass, enrolment_ids: list[int] | None = None) -> dict:
    """(enrolment id, session id) -> the mark as a plain row (its status, checked_in_at and reason): the grid
    reads nothing else, and a page's 200 marks as Attendance objects were a good part of its time (issue 22)."""
    query = (select(Attendance.enrolment_id, Attendance.session_id, Attendance.status, Attendance.checked_in_at,
                    Attendance.reason)
             .join(ClassSession, ClassSession.id == Attendance.session_id).where(ClassSession.class_id == cls.id))
    if enrolment_ids is not None:
        if not enrolment_ids:
            return {}
        query = query.where(Attendance.enrolment_id.in_(enrolment_ids))
    return {(a.enrolment_id, a.session_id): a for a in db.session.execute(query)}


def completion_by_marks(cls: TrainingClass, marks: dict, now: datetime) -> Callable[[int], Completion]:
    """enrolment id -> her Completion in `cls` at `now` from `marks` (of _marks): her status in each held
    session, and how many of them have not ended. The held sessions are found once for a whole page."""
    held = _held(cls)
    held_ids, remaining = [s.id for s in held], sum(1 for s in held if s.ends_at > now)

    def of(enrolment_id: int) -> Completion:
        statuses = [marks[(enrolment_id, i)].status if (enrolment_id, i) in marks else None for i in held_ids]
        return completion(statuses, held=len(held_ids), remaining=remaining, percent=cls.completion_percent)

    return of


def _completion(cls: TrainingClass, enrolment_id: int, marks: dict, now: datetime) -> Completion:
    return completion_by_marks(cls, marks, now)(enrolment_id)


def grid(cls: TrainingClass, enrolments: list, now: datetime) -> list[GridRow]:
    """One row per enrolment on the page (a row of grid_query, or an enrolment): her mark in each session and
    her completion (as _completion)."""
    marks = _marks(cls, [e.id for e in enrolments])
    # Each session's facts, read once for the page rather than once per cell and row.
    sessions = [(s.id, s.ends_at <= now and s.status != "cancelled") for s in cls.sessions]
    completion_of_enrolment = completion_by_marks(cls, marks, now)
    rows = []
    for enrolment in enrolments:
        enrolment_id, cells = enrolment.id, []
        for session_id, closed in sessions:
            mark = marks.get((enrolment_id, session_id))
            status = mark.status if mark else ("absent" if closed else None)
            cells.append((status, mark, closed))
        rows.append(GridRow(enrolment, cells, completion_of_enrolment(enrolment_id)))
    return rows


def completion_of(cls: TrainingClass, enrolment_id: int, now: datetime) -> Completion:
    return _completion(cls, enrolment_id, _marks(cls, [enrolment_id]), now)


def completions(cls: TrainingClass, now: datetime) -> dict[int, Completion]:
    """Every active enrolment's completion, for reporting and the live view."""
    ids = db.session.scalars(select(Enrolment.id).where(
        Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))).all()
    of = completion_by_attended(cls, now)
    attended = attended_counts(cls)
    return {i: of(attended.get(i, 0)) for i in ids}


def attended_counts(cls: TrainingClass) -> dict[int, int]:
    """Per enrolment with any, the held (not cancelled) sessions of the class she was present or late in.

    Counted by the database: completion depends on nothing else (rules.completion), and reading the
    marks of a class of 3,000 (12,000 rows) to count them in Python took most of the class page and
    the live view (bench/pages.py). One mark per session and enrolment (a unique constraint)."""
    return dict(db.session.execute(
        select(Attendance.enrolment_id, func.count())
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(ClassSession.class_id == cls.id, ClassSession.status != "cancelled",
               Attendance.status.in_(table.ATTENDED))
        .group_by(Attendance.enrolment_id)).all())


def completion_by_attended(cls: TrainingClass, now: datetime):
    """attended -> Completion for `cls` at `now`; one Completion per count, shared by everyone with it."""
    held = _held(cls)
    remaining = sum(1 for s in held if s.ends_at > now)
    known: dict[int, Completion] = {}

    def of(attended: int) -> Completion:
        if attended not in known:
            known[attended] = completion_of_count(attended, held=len(held), remaining=remaining,
                                                  percent=cls.completion_percent)
        return known[attended]

    return of


@dataclass
class SessionCount:
    session: ClassSession
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late


@dataclass
class Live:
    expected: int
    sessions: list[SessionCount]
    current: ClassSession | None
    by_agency: list[tuple[str, int, int]] = field(default_factory=list)  # (name, expected, here now)
    by_unit: list[tuple[str, int, int]] = field(default_factory=list)
    missing: ListPage | None = None  # of Enrolment, those not here in the open session; None when none is open
    below_threshold: ListPage = field(default_factory=lambda: page_of_list([]))  # of (Enrolment, Completion)
    completed: int = 0


def live(cls: TrainingClass, now: datetime, missing_page: int = 1, below_page: int = 1,
         per_page: int = PER_PAGE) -> Live:
    """The live view: each session's marks, who is here now by agency and by unit, who is not (a page
    of them), who completed and who is below the completion threshold (a page of them).

    The tallies are grouped in SQL and completion is decided on plain rows, so that the class of 3,000
    is never loaded as objects: only the people of the two pages shown are (issue 22)."""
    active = and_(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))
    current = open_session(cls, now)
    expected = expected_count(cls)
    by_status = defaultdict(Counter)
    for session_id, status, n in db.session.execute(
            select(Attendance.session_id, Attendance.status, func.count())
            .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .where(active, ClassSession.class_id == cls.id).group_by(Attendance.session_id, Attendance.status)):
        by_status[session_id][status] += n
    counts = []
    for session in cls.sessions:
        marked, count = by_status[session.id], SessionCount(session)
        for status, n in marked.items():
            setattr(count, status, getattr(count, status) + n)
        if session.ends_at <= now and session.status != "cancelled":
            count.absent += expected - sum(marked.values())  # no mark once it closed: absent
        counts.append(count)
    here = false()
    if current is not None:
        here = exists().where(Attendance.enrolment_id == Enrolment.id, Attendance.session_id == current.id,
                              Attendance.status.in_(table.ATTENDED))
    here_id = case((and_(active, here), Enrolment.id), else_=None)
    by_agency = sorted(tuple(row) for row in db.session.execute(
        select(Organisation.name, func.count(func.distinct(case((active, Enrolment.id), else_=None))),
               func.count(func.distinct(here_id)))
        .select_from(Nomination).join(Organisation, Organisation.id == Nomination.organisation_id)
        .join(Enrolment, Enrolment.id == Nomination.enrolment_id).where(Enrolment.class_id == cls.id)
        .group_by(Organisation.name)))
    unit = case((func.coalesce(Person.unit_name, "") == "", "—"), else_=Person.unit_name)
    by_unit = sorted(tuple(row) for row in db.session.execute(
        select(unit, func.count(), func.count(here_id)).select_from(Enrolment)
        .join(Person, Person.id == Enrolment.person_id).where(active).group_by(unit)))
    result = Live(expected=expected, sessions=counts, current=current, by_agency=by_agency, by_unit=by_unit)
    if current is not None:
        result.missing = page_of_query(active_enrolments_query(cls).where(~here), missing_page, per_page)
    # Completion of everyone from the attended counts, in name order, then the page of those below.
    of, attended = completion_by_attended(cls, now), attended_counts(cls)
    below = []
    for enrolment_id in db.session.scalars(select(Enrolment.id).join(Person, Person.id == Enrolment.person_id)
                                           .where(active).order_by(Person.name_sort_key, Person.id)):
        done = of(attended.get(enrolment_id, 0))
        result.completed += done.completed
        if done.below_threshold and not done.completed:
            below.append((enrolment_id, done))
    page = page_of_list(below, below_page, per_page)
    if page.items:
        loaded = {e.id: e for e in db.session.scalars(select(Enrolment).options(joinedload(Enrolment.person))
                                                      .where(Enrolment.id.in_([i for i, _ in page.items])))}
        page = replace(page, items=[(loaded[i], done) for i, done in page.items])
    result.below_threshold = page
    return result


def scan_log_query(cls: TrainingClass, refused_only: bool = True):
    query = (select(CheckinScan).where(CheckinScan.class_id == cls.id)
             .options(joinedload(CheckinScan.enrolment).joinedload(Enrolment.person), joinedload(CheckinScan.user))
             .order_by(CheckinScan.received_at.desc(), CheckinScan.id.desc()))
    if refused_only:
        query = query.where(CheckinScan.outcome.not_in(table.ACCEPTED))
    return query


@dataclass(frozen=True)
class ClassFigures:
    """What the class page opens with: seats taken, who is here now (in the open session), who completed."""
    seats_taken: int
    capacity: int | None
    open_session: ClassSession | None
    checked_in_now: int
    completed: int
    waiting: int = 0


def class_figures(cls: TrainingClass, now: datetime) -> ClassFigures:
    current = open_session(cls, now)
    here = 0
    if current is not None:
        here = db.session.scalar(select(func.count()).select_from(Attendance).where(
            Attendance.session_id == current.id, Attendance.status.in_(table.ATTENDED))) or 0
    done = sum(1 for c in completions(cls, now).values() if c.completed)
    return ClassFigures(expected_count(cls), cls.capacity, current, here, done, seats.waiting_count(cls))

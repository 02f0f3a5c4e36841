"""The roster of a class as the organiser reads it: who is on it, who sent her, seats per body, the
waiting list, and its pages and files. Her decisions on it (quotas, confirm, decline, replace) are
services/lists/roster_decisions.py; whose registry entries a user reads is services/lists/reach.py; the
people the matcher could only flag are settled in services/lists/duplicates.py."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ...extensions import db
from ...localtime import local_today
from ...models import (
    Enrolment,
    Nomination,
    Organisation,
    Person,
    SeatQuota,
    TrainingClass,
    class_suppliers,
)
from ...rules.eligibility import eligibility_warnings, guess_org_kind
from ...rules.names import fold, text_sort_key
from ..core.paging import PER_PAGE, ListPage, page_of_query
from . import seats
from .lists import ACTIVE_STATUSES, seats_filled
from .seats import WAITING


@dataclass
class RosterFilters:
    q: str = ""
    agency_id: int | None = None
    unit: str = ""
    status: str = ""
    only_agency_id: int | None = None  # a supplier sees only the people her agency nominated

    @property
    def narrows(self) -> bool:
        """Whether the roster shows fewer than all the class's enrolments."""
        return bool(self.q or self.agency_id or self.unit or self.status or self.only_agency_id)

    @property
    def agency_alone(self) -> int | None:
        """The agency whose nominees the roster shows, when nothing else narrows it (a supplier's roster)."""
        agencies = {self.agency_id, self.only_agency_id} - {None, 0}
        return agencies.pop() if len(agencies) == 1 and not (self.q or self.unit or self.status) else None


@dataclass
class SeatLine:
    organisation: Organisation | Body
    seats: int | None
    filled: int
    waiting: int = 0  # its people on the class's waiting list: they fill none of its seats

    @property
    def open(self) -> int | None:
        return None if self.seats is None else max(self.seats - self.filled, 0)

    @property
    def over(self) -> bool:
        return self.seats is not None and self.filled > self.seats


@dataclass
class RosterRow:
    enrolment: Enrolment
    agencies: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def roster_query(cls: TrainingClass, filters: RosterFilters):
    # The person's organisation gives her unit's kind for the eligibility warnings (roster_rows).
    return _filtered(select(Enrolment).options(
        joinedload(Enrolment.person).joinedload(Person.organisation), joinedload(Enrolment.body_org),
        selectinload(Enrolment.nominations).joinedload(Nomination.organisation),
        joinedload(Enrolment.replaced_by).joinedload(Enrolment.person)), cls, filters)


def signin_page(cls: TrainingClass, filters: RosterFilters, batch: int = 1, per_batch: int = PER_PAGE) -> ListPage:
    """A batch of the sign-in sheet, in roster order: those holding a seat unless a status is asked for. Its
    rows are what the sheet prints, as tuples (full name, year of birth, position, unit; "" for a missing
    one), not objects: a batch of 500 enrolments and people as objects took half of the sheet's time, and
    reading their attributes in the template a good part of the rest (issue 22)."""
    ids = _filtered(select(Enrolment.id), cls, filters)
    if not filters.status:
        ids = ids.where(Enrolment.status.in_(ACTIVE_STATUSES))

    def read(limited):
        chosen = limited.subquery()
        rows = db.session.execute(
            select(Person.full_name, Person.birth_date, Person.birth_year, Person.position, Person.unit_name)
            .select_from(chosen).join(Enrolment, Enrolment.id == chosen.c.id)
            .join(Person, Person.id == Enrolment.person_id).order_by(Person.name_sort_key, Person.id))
        return [(full_name, birth_date.year if birth_date else (birth_year or ""), position or "", unit_name or "")
                for full_name, birth_date, birth_year, position, unit_name in rows]

    return page_of_query(ids, batch, per_batch, rows_of=read)


_BY_AGENCY, _BY_ONLY_AGENCY = aliased(Nomination), aliased(Nomination)


def _filtered(query, cls: TrainingClass, filters: RosterFilters):
    query = (query.join(Person, Person.id == Enrolment.person_id).where(Enrolment.class_id == cls.id)
             .order_by(Person.name_sort_key, Person.id))
    if filters.q:
        query = query.where(Person.name_folded.contains(fold(filters.q), autoescape=True))
    if filters.unit:
        query = query.where(Person.unit_folded.contains(fold(filters.unit), autoescape=True))
    if filters.status:
        query = query.where(Enrolment.status == filters.status)
    # Her nomination by the agency, joined (one at most: unique per enrolment and agency) rather than asked
    # for with EXISTS for each of the class's enrolments (0.6 against 0.8 ms on SQLite for 3,000).
    for nomination, agency_id in ((_BY_AGENCY, filters.agency_id), (_BY_ONLY_AGENCY, filters.only_agency_id)):
        if agency_id:
            query = query.join(nomination, (nomination.enrolment_id == Enrolment.id)
                               & (nomination.organisation_id == agency_id))
    return query


def roster_rows(cls: TrainingClass, enrolments: list[Enrolment]) -> list[RosterRow]:
    kinds = cls.eligible_org_kind_list
    rows = []
    for enrolment in enrolments:
        person = enrolment.person
        kind = (person.organisation.kind if person.organisation_id and person.organisation
                else guess_org_kind(person.unit_name))
        rows.append(RosterRow(enrolment, sorted(n.organisation.name for n in enrolment.nominations),
                              eligibility_warnings(person.sex, kind, cls.eligible_sex, kinds)))
    return rows


class RosterLine(NamedTuple):
    """One row of the roster page, as plain values: what roster_rows gives the page of an enrolment, read
    without building her enrolment, person, organisations and nominations as objects (issue 22: some 700 of
    them for a page of 100 took half of the page's time); a named tuple, the quickest to make. It carries its
    two joined cells as the page draws them, so that the template escapes one string for each."""
    enrolment_id: int
    status: str
    status_note: str | None
    replaced_by_name: str | None  # the person who came in her place, when her enrolment names one
    full_name: str
    sex: str | None
    birth_date: date | None
    birth_year: int | None
    position: str | None
    unit_name: str | None
    agencies: list[str]
    warnings: list
    position_and_unit: str  # the column's "position, unit", or either alone
    agencies_shown: str  # the agencies, comma-separated


# Made once: SQLAlchemy works out an alias's columns once for each alias, and a page's statement made with
# new aliases took as long to build as to run (issue 22).
_REPLACEMENT, _REPLACEMENT_PERSON, _AGENCY = aliased(Enrolment), aliased(Person), aliased(Organisation)


def roster_page(cls: TrainingClass, filters: RosterFilters, page: int = 1, per_page: int = PER_PAGE,
                total: int | None = None) -> ListPage[RosterLine]:
    """Page `page` of the filtered roster in its order (roster_query's rows, roster_rows' facts), in two
    statements: the count (none when the caller knows `total`: roster_figures counts an unfiltered roster)
    and the page's columns with its agencies (its enrolments chosen on the name order alone, then joined to
    what is shown, one row per nomination)."""
    kinds = cls.eligible_org_kind_list
    replacement, replacement_person, agency = _REPLACEMENT, _REPLACEMENT_PERSON, _AGENCY

    def read(limited):
        chosen = limited.subquery()
        rows = db.session.execute(
            select(Enrolment.id, Enrolment.status, Enrolment.status_note, replacement_person.full_name,
                   Person.full_name, Person.sex, Person.birth_date, Person.birth_year, Person.position,
                   Person.unit_name, Organisation.id, Organisation.kind, agency.name)
            .select_from(chosen).join(Enrolment, Enrolment.id == chosen.c.id)
            .join(Person, Person.id == Enrolment.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .outerjoin(replacement, replacement.id == Enrolment.replaced_by_id)
            .outerjoin(replacement_person, replacement_person.id == replacement.person_id)
            .outerjoin(Nomination, Nomination.enrolment_id == Enrolment.id)
            .outerjoin(agency, agency.id == Nomination.organisation_id)
            .order_by(Person.name_sort_key, Person.id)).all()
        # Her rows (one per agency that nominated her, one with none when none did) made into one.
        agencies: dict[int, list[str]] = {}
        firsts = []
        for row in rows:
            names = agencies.get(row[0])
            if names is None:
                names = agencies[row[0]] = []
                firsts.append(row)
            if row[12] is not None:
                names.append(row[12])
        lines = []
        for (enrolment_id, status, note, replaced_by_name, full_name, sex, birth_date, birth_year, position,
             unit_name, organisation_id, organisation_kind, _agency) in firsts:
            # Her unit's kind as roster_rows reads it: her organisation's, else guessed from the unit's name.
            kind = organisation_kind if organisation_id is not None else guess_org_kind(unit_name)
            names = sorted(agencies[enrolment_id])
            lines.append(RosterLine(enrolment_id, status, note, replaced_by_name, full_name, sex, birth_date,
                                    birth_year, position, unit_name, names,
                                    eligibility_warnings(sex, kind, cls.eligible_sex, kinds),
                                    ", ".join(part for part in (position, unit_name) if part), ", ".join(names)))
        return lines

    return page_of_query(_filtered(select(Enrolment.id), cls, filters), page, per_page, rows_of=read, total=total)


EXPORT_BATCH = 500  # rows read (and their nominations loaded) at a time while a file is sent


def iter_roster_rows(cls: TrainingClass, filters: RosterFilters):
    """Every row of the filtered roster, read EXPORT_BATCH at a time as a file is written: a few
    statements per batch, and never the whole class's objects at once."""
    result = db.session.scalars(roster_query(cls, filters).execution_options(yield_per=EXPORT_BATCH))
    for batch in result.partitions():
        yield from roster_rows(cls, batch)


def count_roster(cls: TrainingClass, filters: RosterFilters) -> int:
    return db.session.scalar(select(func.count()).select_from(roster_query(cls, filters).order_by(None)
                                                               .subquery())) or 0


@dataclass
class WaitingRow:
    enrolment: Enrolment
    position: int  # 1: offered the next free seat
    agencies: list[str] = field(default_factory=list)


@dataclass
class WaitingLine:
    """A row of the waiting list's head on the roster (waiting_preview), as plain values."""
    enrolment_id: int
    place: int  # 1: offered the next free seat
    full_name: str
    position: str | None
    unit_name: str | None
    agencies: list[str]


def waiting_query(cls: TrainingClass, only_agency_id: int | None = None):
    """The waiting list in its order (a supplier: only the people her agency nominated)."""
    query = seats.waiting_query(cls).options(
        joinedload(Enrolment.person), selectinload(Enrolment.nominations).joinedload(Nomination.organisation))
    if only_agency_id:
        query = query.where(exists().where(Nomination.enrolment_id == Enrolment.id,
                                           Nomination.organisation_id == only_agency_id))
    return query


def waiting_rows(cls: TrainingClass, enrolments: list[Enrolment]) -> list[WaitingRow]:
    """`enrolments` (of waiting_query) with their place in the whole list."""
    if not enrolments:
        return []
    ahead = select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == cls.id, Enrolment.status == WAITING, Enrolment.id < enrolments[0].id)
    first = (db.session.scalar(ahead) or 0) + 1
    ids = list(db.session.scalars(select(Enrolment.id).where(
        Enrolment.class_id == cls.id, Enrolment.status == WAITING, Enrolment.id >= enrolments[0].id,
        Enrolment.id <= enrolments[-1].id).order_by(Enrolment.id)))
    place = {enrolment_id: first + i for i, enrolment_id in enumerate(ids)}
    return [WaitingRow(e, place[e.id], sorted(n.organisation.name for n in e.nominations)) for e in enrolments]


def seat_lines(cls: TrainingClass) -> list[SeatLine]:
    """Filled and open seats per nominating body, and its people waiting: every body with a quota or with
    someone enrolled or waiting."""
    waiting = dict(db.session.execute(select(Enrolment.body_org_id, func.count()).where(
        Enrolment.class_id == cls.id, Enrolment.status == WAITING).group_by(Enrolment.body_org_id)).all())
    return _seat_lines(cls, seats_filled(cls), waiting)


def _seat_lines(cls: TrainingClass, filled: dict, waiting: dict) -> list[SeatLine]:
    quotas = {q.organisation_id: q.seats
              for q in db.session.scalars(select(SeatQuota).where(SeatQuota.class_id == cls.id))}
    ids = [i for i in set(filled) | set(quotas) | set(waiting) if i is not None]
    orgs = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))} if ids else {}
    return _sorted_lines([SeatLine(orgs[i], quotas.get(i), filled.get(i, 0), waiting.get(i, 0)) for i in ids])


def _sorted_lines(lines: list[SeatLine]) -> list[SeatLine]:
    return sorted(lines, key=lambda line: line.organisation.name)


class Body(NamedTuple):
    """An organisation as the roster names it (seat lines, the agency filter, the quota form), read as
    columns rather than as an object."""
    id: int
    code: str
    name: str


@dataclass
class RosterFigures:
    counts: dict[str, int]  # the class's enrolments by status (status_counts)
    seats: list[SeatLine]  # seat_lines, each line's organisation a Body
    suppliers: list[Body]  # the class's suppliers (its supplier_orgs), by id
    quota_bodies: list[Body] | None  # list_quota_bodies, when asked for
    nominated: int | None = None  # how many the agency asked for nominated (roster_figures' nominated_by)

    def roster_total(self, filters: RosterFilters) -> int | None:
        """The filtered roster's count when these figures hold it (roster_page's `total`), else None."""
        if not filters.narrows:
            return sum(self.counts.values())
        return self.nominated if self.nominated is not None and filters.agency_alone else None


# The roster's figures, made once (a page's two statements took as long to build as to run): the class's
# enrolments counted by status and nominating body, then every organisation they name with its seats, the
# class's suppliers and the districts (for the quota form).
_COUNTS = (select(Enrolment.status, Enrolment.body_org_id, func.count())
           .where(Enrolment.class_id == bindparam("class_id")).group_by(Enrolment.status, Enrolment.body_org_id))
# ... and of those an agency nominated (one nomination at most per enrolment and agency).
_COUNTS_NOMINATED = (
    select(Enrolment.status, Enrolment.body_org_id, func.count(), func.count(Nomination.id))
    .outerjoin(Nomination, (Nomination.enrolment_id == Enrolment.id)
               & (Nomination.organisation_id == bindparam("agency_id")))
    .where(Enrolment.class_id == bindparam("class_id")).group_by(Enrolment.status, Enrolment.body_org_id))
_SUPPLIER = class_suppliers.c.organisation_id.is_not(None)
_NAMED_BODIES = (
    select(Organisation.id, Organisation.code, Organisation.name, Organisation.kind, Organisation.valid_from,
           Organisation.valid_to, SeatQuota.seats, _SUPPLIER)
    .outerjoin(SeatQuota, (SeatQuota.organisation_id == Organisation.id)
               & (SeatQuota.class_id == bindparam("class_id")))
    .outerjoin(class_suppliers, (class_suppliers.c.organisation_id == Organisation.id)
               & (class_suppliers.c.class_id == bindparam("class_id")))
    .where(or_(SeatQuota.id.is_not(None), _SUPPLIER, Organisation.kind == "district",
               Organisation.id.in_(bindparam("counted", expanding=True))))
    .order_by(Organisation.id))


def roster_figures(cls: TrainingClass, with_quota_bodies: bool = False,
                   nominated_by: int | None = None) -> RosterFigures:
    """What the roster page shows besides its rows, in two statements where status_counts, seat_lines,
    the class's supplier_orgs and list_quota_bodies took six: one count of the class's enrolments by status
    and nominating body (and of those `nominated_by` nominated: a supplier's roster's count), then the
    organisations they name with their seats (the bodies counted, those with a quota, the suppliers and the
    districts)."""
    counts, filled, waiting = Counter(), Counter(), Counter()
    nominated = 0 if nominated_by else None
    for status, body_org_id, n, *of_agency in db.session.execute(
            _COUNTS_NOMINATED if nominated_by else _COUNTS, {"class_id": cls.id, "agency_id": nominated_by}):
        counts[status] += n
        if of_agency:
            nominated += of_agency[0]
        if status in ACTIVE_STATUSES:
            filled[body_org_id] += n
        elif status == WAITING:
            waiting[body_org_id] += n
    counted = [i for i in set(filled) | set(waiting) if i is not None]
    lines, suppliers, districts = [], [], []
    today = local_today()
    for org_id, code, name, kind, valid_from, valid_to, seats_given, is_supplier in db.session.execute(
            _NAMED_BODIES, {"class_id": cls.id, "counted": counted}):
        body = Body(org_id, code, name)
        if seats_given is not None or org_id in filled or org_id in waiting:
            lines.append(SeatLine(body, seats_given, filled.get(org_id, 0), waiting.get(org_id, 0)))
        if is_supplier:
            suppliers.append(body)
        elif kind == "district" and with_quota_bodies:
            # Ended districts last (issue 21), as list_quota_bodies sorts them.
            active = (valid_from is None or valid_from <= today) and (valid_to is None or today <= valid_to)
            districts.append((not active, text_sort_key(name), body))
    quota_bodies = None
    if with_quota_bodies:
        quota_bodies = (sorted(suppliers, key=lambda body: text_sort_key(body.name))
                        + [body for _ended, _key, body in sorted(districts, key=lambda d: d[:2])])
    return RosterFigures(dict(counts), _sorted_lines(lines), suppliers, quota_bodies, nominated)


def waiting_preview(cls: TrainingClass, shown: int, only_agency_id: int | None = None) -> tuple[list[WaitingLine], int]:
    """The first `shown` people of the waiting list (a supplier: of those her agency nominated), each with
    her place in the whole list, and how many there are: one statement where waiting_query, waiting_rows
    and a count took up to five (the page, its nominations, the count ahead, the places, the total)."""
    numbered = (select(Enrolment.id, func.row_number().over(order_by=Enrolment.id).label("place"))
                .join(Person, Person.id == Enrolment.person_id)
                .where(Enrolment.class_id == cls.id, Enrolment.status == WAITING).subquery())
    head = select(numbered.c.id, numbered.c.place, func.count().over().label("total"))
    if only_agency_id:
        head = head.where(exists().where(Nomination.enrolment_id == numbered.c.id,
                                         Nomination.organisation_id == only_agency_id))
    head = head.order_by(numbered.c.id).limit(shown).subquery()
    agency = _AGENCY
    lines: dict[int, WaitingLine] = {}
    total = 0
    for enrolment_id, place, of_all, full_name, position, unit_name, agency_name in db.session.execute(
            select(head.c.id, head.c.place, head.c.total, Person.full_name, Person.position, Person.unit_name,
                   agency.name)
            .select_from(head).join(Enrolment, Enrolment.id == head.c.id)
            .join(Person, Person.id == Enrolment.person_id)
            .outerjoin(Nomination, Nomination.enrolment_id == Enrolment.id)
            .outerjoin(agency, agency.id == Nomination.organisation_id).order_by(head.c.id)):
        total = of_all
        line = lines.get(enrolment_id)
        if line is None:
            line = lines[enrolment_id] = WaitingLine(enrolment_id, place, full_name, position, unit_name, [])
        if agency_name is not None:
            line.agencies.append(agency_name)
    for line in lines.values():
        line.agencies.sort()
    return list(lines.values()), total


def status_counts(cls: TrainingClass) -> dict[str, int]:
    return dict(db.session.execute(select(Enrolment.status, func.count()).where(Enrolment.class_id == cls.id)
                                   .group_by(Enrolment.status)).all())


def list_quota_bodies(cls: TrainingClass) -> list[Organisation]:
    """Bodies that can hold seats: the class's suppliers, then the districts."""
    today = local_today()
    districts = sorted(db.session.scalars(select(Organisation).where(Organisation.kind == "district")),
                       key=lambda o: (not o.is_active_on(today), text_sort_key(o.name)))  # ended last (issue 21)
    suppliers = sorted(cls.supplier_orgs, key=lambda o: text_sort_key(o.name))
    return suppliers + [d for d in districts if d not in cls.supplier_orgs]

"""The planning pool as a register kept through the years: a unit's pool for a cycle, adding a person,
leaving, joining again, carrying into the next cycle, and the history of a person's entries.

History is never rewritten: leaving sets `left_on` and a reason on the entry, joining again and
carrying into the next cycle are new entries. An entry counts from `added_on`, never past its cycle's
last day (docs/MEASURES.md): carrying her into the next cycle is an explicit act, one entry or a whole
unit's at once, and the new entry starts on the next cycle's first day. Every change is audited
(`pool.entry.added`, `pool.entry.left`, `pool.entry.rejoined`, `pool.entry.carried`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, case, exists, func, or_, select, true
from sqlalchemy.orm import aliased

from ...errors import DomainError
from ...extensions import db
from ...models import LEAVE_REASONS, Organisation, Person, PoolEntry, User
from ...rules.names import fold, normalise_name, sort_key
from ...rules.trained_share import CycleError, parse_cycle
from ..core import audit
from ..core.paging import CountedPager

PER_PAGE = 50


def parse_pool_cycle(text: str | None, field: str = "cycle") -> tuple[str, date, date]:
    """"2021-2026" → ("2021-2026", 1/1/2021, 31/12/2026); a DomainError naming `field` otherwise, saying
    so when the years are the wrong way round ("2026-2021")."""
    try:
        return parse_cycle(text or "")
    except CycleError:
        pass
    try:  # the same two years in order would be read: they are reversed
        years = (text or "").replace("–", "-").split("-")
        reversed_cycle = len(years) == 2 and parse_cycle(f"{years[1].strip()}-{years[0].strip()}")
    except CycleError:
        reversed_cycle = None
    if reversed_cycle:
        raise DomainError("pool.bad_cycle", _l("Nhiệm kỳ “%(cycle)s”: năm đầu phải trước năm cuối (ví dụ %(fixed)s).",
                                               cycle=text, fixed=reversed_cycle[0]), field=field)
    raise DomainError("pool.bad_cycle", _l("Nhiệm kỳ “%(cycle)s” không hợp lệ; hãy viết như 2021-2026.",
                                           cycle=text or ""), field=field)


def next_cycle(cycle: str) -> str:
    """The cycle that follows, of the same length, starting in the year this one ends: 2016-2021 → 2021-2026."""
    _label, starts, ends = parse_pool_cycle(cycle)
    return f"{ends.year}-{ends.year + ends.year - starts.year}"


def check_joined_within(cycle: tuple[str, date, date], added_on: date, field: str = "added_on") -> None:
    """A day of joining after the cycle's last day is refused: the entry would never count."""
    if added_on > cycle[2]:
        raise DomainError("pool.added_after_cycle", _l(
            "Ngày vào quy hoạch %(day)s sau khi nhiệm kỳ %(cycle)s kết thúc (%(end)s).",
            day=added_on.strftime("%d/%m/%Y"), cycle=cycle[0], end=cycle[2].strftime("%d/%m/%Y")), field=field)


# --- reading ------------------------------------------------------------------------------------

def find_entry(entry_id: int) -> PoolEntry:
    """The entry with this number (the command line's `pool leave --entry`)."""
    entry = db.session.get(PoolEntry, entry_id)
    if entry is None:
        raise DomainError("not_found", _l("Không có mục quy hoạch số %(id)s.", id=entry_id), field="entry")
    return entry


def get_entry(entry_id: int, unit: Organisation) -> PoolEntry:
    """The entry of `unit`'s pool with this id (404 for another unit's: its URL names the unit)."""
    entry = db.session.get(PoolEntry, entry_id)
    if entry is None or entry.organisation_id != unit.id:
        raise DomainError("not_found", _l("Không tìm thấy mục này trong diện quy hoạch của đơn vị."))
    return entry


def unit_cycles(unit: Organisation) -> list[str]:
    """The cycles of `unit`'s entries, newest first (by their latest first day, then by name).

    A unit has a handful of cycles but may have tens of thousands of entries: rather than grouping them
    all, each cycle is found from the one before by a probe of ix_pool_entries_unit_cycle (the next
    cycle name above it), and its latest first day by another.
    """
    rows = db.session.execute(_cycles_statement(), {"unit_id": unit.id}).all()
    return [cycle for cycle, _start in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]


@cache
def _cycles_statement():
    """unit_cycles' statement, built once (see _page_statement): the unit's cycles and their latest first days."""
    own = PoolEntry.organisation_id == bindparam("unit_id")
    found = select(func.min(PoolEntry.cycle).label("cycle")).where(own).cte("unit_cycles", recursive=True)
    following = select(func.min(PoolEntry.cycle)).where(own, PoolEntry.cycle > found.c.cycle).scalar_subquery()
    found = found.union_all(select(following).where(found.c.cycle.is_not(None)))
    latest_start = (select(func.max(PoolEntry.cycle_starts_on)).where(own, PoolEntry.cycle == found.c.cycle)
                    .scalar_subquery())
    return select(found.c.cycle, latest_start).where(found.c.cycle.is_not(None))


@dataclass
class EntryView:
    """An entry as the pages show it: its state on `today` and where it was carried."""
    entry: PoolEntry
    state: str                      # in_pool, left, ended (with its cycle), carried
    carried_to: str | None = None   # the cycle it was carried into


@dataclass(frozen=True)
class PoolRow:
    """An entry as a unit's pool page lists it: the columns it shows, its state on the day and where it was
    carried (read as plain columns, not as PoolEntry and Person entities: the page changes nothing)."""
    id: int
    person_id: int
    full_name: str
    sex: str | None
    planned_posts: str | None
    added_on: date
    left_on: date | None
    leave_reason: str | None
    cycle_ends_on: date
    carried_to: str | None          # the cycle it was carried into
    state: str = ""                 # in_pool, left, ended (with its cycle), carried


@dataclass
class PoolListing(CountedPager):
    unit: Organisation
    cycle: str
    search: str
    rows: list[PoolRow]
    total: int
    page: int
    per_page: int
    open_not_carried: int = 0       # entries a bulk carry would take


def _carried_to(entry_ids: list[int]) -> dict[int, str]:
    if not entry_ids:
        return {}
    return dict(db.session.execute(select(PoolEntry.carried_from_id, PoolEntry.cycle)
                                   .where(PoolEntry.carried_from_id.in_(entry_ids))).all())


def entry_state(entry: PoolEntry, today: date, carried_to: str | None) -> str:
    """The state of `entry` (or of a row with its `left_on` and `cycle_ends_on`) on `today`."""
    if entry.left_on is not None:
        return "left"
    if carried_to:
        return "carried"
    return "ended" if entry.cycle_ends_on < today else "in_pool"


def _views(entries: list[PoolEntry], today: date) -> list[EntryView]:
    carried = _carried_to([e.id for e in entries])
    return [EntryView(e, entry_state(e, today, carried.get(e.id)), carried.get(e.id)) for e in entries]


def _not_carried():
    later = aliased(PoolEntry)
    return ~exists().where(later.carried_from_id == PoolEntry.id)


def list_pool(unit: Organisation, cycle: str, today: date, search: str = "", page: int = 1,
              per_page: int = PER_PAGE) -> PoolListing:
    """`unit`'s entries for `cycle` (those who left too: it is a register), in Vietnamese name order,
    `search` matching names without diacritics; one page of them."""
    label = parse_pool_cycle(cycle)[0]
    searching = bool(search.strip())
    asked = {"unit_id": unit.id, "cycle": label}
    if searching:
        asked["name_like"] = _contains_pattern(fold(search))
    total, open_count = db.session.execute(_count_statement(searching), asked).one()
    page = max(1, page)
    rows = [PoolRow(*row, state=entry_state(row, today, row.carried_to))
            for row in db.session.execute(_page_statement(searching),
                                          {**asked, "limit": per_page, "offset": (page - 1) * per_page})]
    return PoolListing(unit, label, search, rows, total, page, per_page, open_count)


# The page's two statements are built once, their values bound on each request: building them (a subquery,
# aliases, a dozen columns) cost more than PostgreSQL took to answer them.

def _contains_pattern(text: str) -> str:
    """A LIKE pattern for names containing `text`, its own `%`, `_` and `/` escaped with `/`, as
    `contains(..., autoescape=True)` does (the pattern is bound, so the escaping is done here)."""
    return "%" + text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _name_matches():
    return Person.name_folded.like(bindparam("name_like"), escape="/")


@cache
def _page_statement(searching: bool):
    """One page of a unit's entries of a cycle in name order, with the cycle each was carried into, in one
    statement: the page is chosen first (a subquery), so that where it was carried is asked of its rows
    only, not of the tens of thousands sorted to find them (the latest carry, should there be several)."""
    in_order = (Person.name_sort_key, Person.id, PoolEntry.added_on, PoolEntry.id)
    chosen = (select(PoolEntry.id, PoolEntry.person_id, Person.full_name, Person.sex, PoolEntry.planned_posts,
                     PoolEntry.added_on, PoolEntry.left_on, PoolEntry.leave_reason, PoolEntry.cycle_ends_on,
                     *(column.label(f"order_{n}") for n, column in enumerate(in_order)))
              .join(PoolEntry.person)
              .where(PoolEntry.organisation_id == bindparam("unit_id"), PoolEntry.cycle == bindparam("cycle"),
                     *([_name_matches()] if searching else []))
              .order_by(*in_order).limit(bindparam("limit")).offset(bindparam("offset")).subquery("chosen"))
    later = aliased(PoolEntry)
    carried_to = (select(later.cycle).where(later.carried_from_id == chosen.c.id)
                  .order_by(later.id.desc()).limit(1).scalar_subquery())
    return (select(chosen.c.id, chosen.c.person_id, chosen.c.full_name, chosen.c.sex, chosen.c.planned_posts,
                   chosen.c.added_on, chosen.c.left_on, chosen.c.leave_reason, chosen.c.cycle_ends_on,
                   carried_to.label("carried_to"))
            .order_by(*(chosen.c[f"order_{n}"] for n in range(len(in_order)))))


@cache
def _count_statement(searching: bool):
    """A unit's entries of a cycle (those whose name matches, when `searching`) and its open entries not
    carried yet (whatever the name), in one statement that reads ix_pool_entries_unit_cycle once.

    An entry was carried when a later one names it (`carried_from_id`): rather than asking for each of the
    unit's entries whether one does, the open ones are counted and those that some later entry names
    (found from the few entries that name one) are taken away.
    """
    this_cycle = and_(PoolEntry.organisation_id == bindparam("unit_id"), PoolEntry.cycle == bindparam("cycle"))
    carrier, carried = aliased(PoolEntry), aliased(PoolEntry)
    open_carried = (select(func.count(func.distinct(carrier.carried_from_id)))
                    .join(carried, carried.id == carrier.carried_from_id)
                    .where(carrier.carried_from_id.is_not(None), carried.organisation_id == bindparam("unit_id"),
                           carried.cycle == bindparam("cycle"), carried.left_on.is_(None)).scalar_subquery())
    open_not_carried = func.count() - func.count(PoolEntry.left_on) - open_carried
    counted = select(func.count(case((_name_matches(), 1))) if searching else func.count(), open_not_carried)
    if searching:  # every entry has its person (a foreign key that is never null): the join drops none
        counted = counted.select_from(PoolEntry).join(PoolEntry.person)
    return counted.where(this_cycle)


def person_history(person: Person, today: date) -> list[EntryView]:
    """Every pool entry of `person`, in every unit and cycle, oldest first."""
    entries = list(db.session.scalars(select(PoolEntry).where(PoolEntry.person_id == person.id)
                                      .order_by(PoolEntry.cycle_starts_on, PoolEntry.added_on, PoolEntry.id)))
    return _views(entries, today)


def get_unit_person(person_id: int, unit: Organisation) -> Person:
    """A person with at least one entry in `unit`'s pool (404 otherwise: her history is reached from there)."""
    person = db.session.get(Person, person_id)
    if person is None or not db.session.scalar(select(exists().where(
            PoolEntry.person_id == person_id, PoolEntry.organisation_id == unit.id))):
        raise DomainError("not_found", _l("Không tìm thấy người này trong diện quy hoạch của đơn vị."))
    return person


def find_people(search: str, limit: int = 20) -> list[Person]:
    """People of the registry whose name contains `search` (without diacritics), for adding one to a pool."""
    if len(fold(search or "")) < 2:
        return []
    return list(db.session.scalars(select(Person).where(Person.erased_at.is_(None),
                                                        Person.name_folded.contains(fold(search), autoescape=True))
                                   .order_by(Person.name_sort_key, Person.id).limit(limit)))


# --- changing -----------------------------------------------------------------------------------

@dataclass
class NewPerson:
    full_name: str
    sex: str | None = None
    birth_year: int | None = None
    phone: str | None = None
    position: str | None = None


def _open_entry(person_id: int, unit_id: int, cycle: str) -> PoolEntry | None:
    return db.session.scalar(select(PoolEntry).where(PoolEntry.person_id == person_id,
                                                     PoolEntry.organisation_id == unit_id, PoolEntry.cycle == cycle,
                                                     PoolEntry.left_on.is_(None)))


def _create_person(actor: User | None, data: NewPerson, unit: Organisation) -> Person:
    name = normalise_name(data.full_name or "")
    if not name:
        raise DomainError("pool.name_required", _l("Hãy nhập họ và tên."), field="full_name")
    if data.sex not in (None, "F", "M"):
        raise DomainError("pool.bad_sex", _l("Giới tính không hợp lệ."), field="sex")
    if data.birth_year is not None and not 1900 <= data.birth_year <= 2100:
        raise DomainError("pool.bad_birth_year", _l("Năm sinh không hợp lệ."), field="birth_year")
    phone = "".join(c for c in (data.phone or "") if c.isdigit()) or None
    # Someone already known by her phone, or by her name and year of birth, is chosen, not typed again.
    same = [Person.phone == phone] if phone else []
    if data.birth_year is not None:
        same.append(and_(Person.name_folded == fold(name), Person.birth_year == data.birth_year))
    known = db.session.scalar(select(Person).where(or_(*same)).order_by(Person.id).limit(1)) if same else None
    if known is not None:
        raise DomainError("pool.person_exists", _l(
            "Đã có %(name)s trong danh sách người (cùng tên và năm sinh, hoặc cùng số điện thoại): hãy chọn "
            "người đã có.", name=known.full_name), field="full_name")
    person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), sex=data.sex,
                    birth_year=data.birth_year, phone=phone, position=(data.position or "").strip() or None,
                    unit_name=unit.name, unit_folded=fold(unit.name), organisation_id=unit.id)
    db.session.add(person)
    db.session.flush()
    audit.record(actor, "person.created", person, after={"full_name": name, "unit": unit.code},
                 summary=name)
    return person


def add_to_pool(actor: User | None, unit: Organisation, cycle: str, *, person: Person | None = None,
                new_person: NewPerson | None = None, added_on: date | None = None, planned_posts: str | None = None,
                note: str | None = None) -> PoolEntry:
    """Put a person of the registry (or a new one) in `unit`'s pool for `cycle`, from `added_on`
    (default: the cycle's first day; never after its last)."""
    label, starts, ends = cycle_of = parse_pool_cycle(cycle)
    joined = added_on or starts
    check_joined_within(cycle_of, joined)
    if person is None and new_person is None:
        raise DomainError("pool.person_required", _l("Hãy chọn một người hoặc nhập người mới."), field="person_id")
    if person is not None:
        if person.erased_at is not None:
            raise DomainError("pool.person_erased", _l("Dữ liệu của người này đã bị xóa."), field="person_id")
        if _open_entry(person.id, unit.id, label) is not None:
            raise DomainError("pool.already_in", _l("%(name)s đã có trong diện quy hoạch nhiệm kỳ %(cycle)s của "
                                                    "đơn vị.", name=person.full_name, cycle=label), field="person_id")
    else:
        person = _create_person(actor, new_person, unit)
    entry = PoolEntry(person_id=person.id, organisation_id=unit.id, cycle=label, cycle_starts_on=starts,
                      cycle_ends_on=ends, added_on=joined, planned_posts=(planned_posts or "").strip() or None,
                      note=(note or "").strip() or None)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "pool.entry.added", entry, after={"unit": unit.code, "cycle": label, "person_id": person.id,
                                                          "added_on": joined.isoformat()}, summary=person.full_name)
    return entry


def check_leaving(entry: PoolEntry, left_on: date | None, reason: str | None, field: str = "left_on") -> None:
    """Why `entry` cannot leave on `left_on` for `reason`, as a DomainError naming the field."""
    if reason not in LEAVE_REASONS:
        raise DomainError("pool.bad_reason", _l("Lý do rời diện quy hoạch không hợp lệ."), field="reason")
    if entry.left_on is not None:
        raise DomainError("pool.already_left", _l("Người này đã rời diện quy hoạch."))
    if left_on is None:
        raise DomainError("pool.left_on_required", _l("Hãy nhập ngày rời diện quy hoạch."), field=field)
    if left_on < entry.added_on:
        raise DomainError("pool.left_before_added", _l(
            "Ngày rời diện quy hoạch (%(left)s) trước ngày vào (%(added)s).", left=left_on.strftime("%d/%m/%Y"),
            added=entry.added_on.strftime("%d/%m/%Y")), field=field)
    if left_on > entry.cycle_ends_on + timedelta(days=1):
        raise DomainError("pool.left_after_cycle", _l(
            "Nhiệm kỳ %(cycle)s đã kết thúc ngày %(end)s: mục này đã hết nhiệm kỳ, không cần ghi rời.",
            cycle=entry.cycle, end=entry.cycle_ends_on.strftime("%d/%m/%Y")), field=field)


def leave_pool(actor: User | None, entry: PoolEntry, left_on: date, reason: str, note: str | None = None) -> None:
    """She leaves the pool on `left_on` (her first day out); the entry stays, with the reason."""
    check_leaving(entry, left_on, reason)
    entry.left_on, entry.leave_reason, entry.note = left_on, reason, (note or "").strip() or entry.note
    audit.record(actor, "pool.entry.left", entry, after={"left_on": left_on.isoformat(), "leave_reason": reason},
                 summary=entry.person.full_name if entry.person else "")
    db.session.flush()


def rejoin_pool(actor: User | None, entry: PoolEntry, added_on: date | None, note: str | None = None) -> PoolEntry:
    """She joins `entry`'s unit and cycle again on `added_on`: a new entry; the one she left stays."""
    if entry.left_on is None:
        raise DomainError("pool.not_left", _l("Người này vẫn đang trong diện quy hoạch."))
    if added_on is None:
        raise DomainError("pool.added_on_required", _l("Hãy nhập ngày vào lại diện quy hoạch."), field="added_on")
    if _open_entry(entry.person_id, entry.organisation_id, entry.cycle) is not None:
        raise DomainError("pool.already_in", _l("Người này đã vào lại diện quy hoạch nhiệm kỳ %(cycle)s.",
                                                cycle=entry.cycle), field="added_on")
    last_left = db.session.scalar(select(func.max(PoolEntry.left_on)).where(
        PoolEntry.person_id == entry.person_id, PoolEntry.organisation_id == entry.organisation_id,
        PoolEntry.cycle == entry.cycle))
    if added_on < last_left:
        raise DomainError("pool.rejoined_before_left", _l(
            "Ngày vào lại (%(day)s) trước ngày rời diện quy hoạch (%(left)s).", day=added_on.strftime("%d/%m/%Y"),
            left=last_left.strftime("%d/%m/%Y")), field="added_on")
    check_joined_within((entry.cycle, entry.cycle_starts_on, entry.cycle_ends_on), added_on)
    again = PoolEntry(person_id=entry.person_id, organisation_id=entry.organisation_id, cycle=entry.cycle,
                      cycle_starts_on=entry.cycle_starts_on, cycle_ends_on=entry.cycle_ends_on, added_on=added_on,
                      planned_posts=entry.planned_posts, note=(note or "").strip() or None)
    db.session.add(again)
    db.session.flush()
    audit.record(actor, "pool.entry.rejoined", again, after={"added_on": added_on.isoformat(), "after_entry": entry.id},
                 summary=entry.person.full_name)
    return again


# --- carrying into the next cycle ----------------------------------------------------------------

def check_next_cycle(from_cycle: tuple[str, date, date], to_cycle: tuple[str, date, date],
                     field: str = "to_cycle") -> None:
    """The next cycle starts when the previous one ends (2016-2021 → 2021-2026) or later."""
    if to_cycle[1].year < from_cycle[2].year or to_cycle[2] <= from_cycle[2]:
        raise DomainError("pool.cycle_not_after", _l(
            "Nhiệm kỳ chuyển sang (%(to)s) phải là nhiệm kỳ sau nhiệm kỳ %(from_)s.", to=to_cycle[0],
            from_=from_cycle[0]), field=field)


@dataclass
class CarryResult:
    carried: list[PoolEntry] = field(default_factory=list)     # the new entries
    already: int = 0       # already in the next cycle's pool of the unit (carried before, or imported)
    skipped_left: int = 0  # left the pool: nothing to carry

    def as_report(self) -> dict:
        return {"carried": len(self.carried), "already": self.already, "left": self.skipped_left}


def _carry_one(actor: User | None, entry: PoolEntry, to_cycle: tuple[str, date, date], result: CarryResult,
               already_open: set[tuple[int, int]]) -> None:
    if entry.left_on is not None:
        result.skipped_left += 1
        return
    if (entry.person_id, entry.organisation_id) in already_open:
        result.already += 1
        return
    label, starts, ends = to_cycle
    carried = PoolEntry(person_id=entry.person_id, organisation_id=entry.organisation_id, cycle=label,
                        cycle_starts_on=starts, cycle_ends_on=ends, added_on=max(starts, entry.added_on),
                        planned_posts=entry.planned_posts, carried_from_id=entry.id)
    db.session.add(carried)
    db.session.flush()
    already_open.add((entry.person_id, entry.organisation_id))
    audit.record(actor, "pool.entry.carried", carried, after={"from_cycle": entry.cycle, "to_cycle": label,
                                                              "carried_from": entry.id,
                                                              "added_on": carried.added_on.isoformat()})
    result.carried.append(carried)


def carry_entries(actor: User | None, entries: list[PoolEntry], to_cycle: str) -> CarryResult:
    """Carry each open entry into `to_cycle`, a cycle after its own: a new entry from the next cycle's
    first day (or her day of joining, if later). One that left is skipped; one already in the next
    cycle's pool of the unit is left as it is."""
    target = parse_pool_cycle(to_cycle, field="to_cycle")
    for entry in entries:
        check_next_cycle((entry.cycle, entry.cycle_starts_on, entry.cycle_ends_on), target)
    people = {e.person_id for e in entries}
    already_open = set(db.session.execute(select(PoolEntry.person_id, PoolEntry.organisation_id).where(
        PoolEntry.cycle == target[0], PoolEntry.left_on.is_(None),
        PoolEntry.person_id.in_(people) if len(people) < 5000 else true())).all()) if people else set()
    result = CarryResult()
    for entry in entries:
        _carry_one(actor, entry, target, result, already_open)
    return result


def carry_entry(actor: User | None, entry: PoolEntry, to_cycle: str) -> PoolEntry:
    """Carry one entry (the pool page's button): refused, with a message, when there is nothing to carry."""
    if entry.left_on is not None:
        raise DomainError("pool.already_left", _l("Người này đã rời diện quy hoạch: không thể chuyển sang "
                                                  "nhiệm kỳ sau."))
    result = carry_entries(actor, [entry], to_cycle)
    if not result.carried:
        raise DomainError("pool.already_in", _l("Người này đã có trong diện quy hoạch nhiệm kỳ %(cycle)s của "
                                                "đơn vị.", cycle=parse_pool_cycle(to_cycle)[0]), field="to_cycle")
    return result.carried[0]


def entries_to_carry(from_cycle: str, unit: Organisation | None, subtree: bool = True) -> list[PoolEntry]:
    """The open entries of `from_cycle` (of `unit`, and the units below it unless not `subtree`) that
    were not carried yet."""
    label = parse_pool_cycle(from_cycle, field="from_cycle")[0]
    query = select(PoolEntry).where(PoolEntry.cycle == label, PoolEntry.left_on.is_(None), _not_carried())
    if unit is not None:
        query = query.where(PoolEntry.organisation_id.in_(subtree_ids(unit) if subtree else [unit.id]))
    return list(db.session.scalars(query.order_by(PoolEntry.organisation_id, PoolEntry.id)))


def subtree_ids(unit: Organisation) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in db.session.execute(select(Organisation.id, Organisation.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    ids, todo = [], [unit.id]
    while todo:
        current = todo.pop()
        if current in ids:
            continue
        ids.append(current)
        todo.extend(children.get(current, []))
    return ids


def carry_unit(actor: User | None, unit: Organisation, from_cycle: str, to_cycle: str) -> CarryResult:
    """The pool page's "carry everyone": `unit`'s own open entries of `from_cycle`."""
    parse_pool_cycle(to_cycle, field="to_cycle")
    return carry_entries(actor, entries_to_carry(from_cycle, unit, subtree=False), to_cycle)

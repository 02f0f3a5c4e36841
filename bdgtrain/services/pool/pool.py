"""The planning pool (diện quy hoạch): importing Sở Nội vụ's pool files.

Imports work as the participant lists do (services/lists/lists.py): the same reader, the same person
registry matching, two phases — `plan_pool_import` reads and decides without writing,
`apply_pool_import` writes everything in bulk inside the caller's transaction — and a file with
any rejected row is refused whole. History is kept: leaving sets `left_on`, re-joining is a new entry
(services/pool/pool_register.py keeps the register itself).

A row without a day of joining of its own joins on its cycle's first day (or `added_on`, which must
fall within the cycle), and the import's notes say which day was used; a day after the cycle's last
day is refused. Re-importing a cycle's list shows who is **no longer on it**: the open entries of the
units and cycles the file covers whose person it does not list; they leave the pool on a day the user
confirms (`leave_missing_on`), or stay as they are.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from ...errors import DomainError
from ...extensions import db
from ...importers.person_list import PersonRow, ReadResult, RowProblem
from ...messages import Message
from ...models import DuplicateFlag, Organisation, Person, PoolEntry, PoolImport, User
from ...models.base import utcnow
from ...rules.dates import DateExpressionError, parse_vn_date
from ...rules.names import fold
from ...rules.trained_share import CycleError, parse_cycle
from ..core import audit
from ..core.bulk import collector_paused, insert_rows
from ..core.paging import page_of_list, page_of_query

# The registry and bulk-writing helpers of the list import, shared so both imports match people alike.
from ..lists.lists import read_upload, refuse_if_withdrawn
from ..lists.registry import (
    district_finder,
    identity_of,
    load_registry,
    person_values,
    reserve_ids,
    taken_id_numbers,
)
from . import pool_preview
from .pool_register import check_leaving, leave_pool, parse_pool_cycle, subtree_ids

__all__ = ["PoolPlan", "PoolRowPlan", "apply_pool_import", "import_pool_file", "leave_pool", "plan_pool_import"]
MISSING_REASON = "removed"  # no longer on the unit's list: taken out of the pool (đưa ra khỏi quy hoạch)


@dataclass
class PoolRowPlan:
    row: PersonRow
    outcome: str                     # added, matched, flagged, in_file, unchanged
    unit_id: int
    cycle: tuple[str, date, date]
    added_on: date
    person_id: int | None = None
    same_as_row: int | None = None
    reason: str = ""


@dataclass
class PoolPlan:
    read: ReadResult
    rows: list[PoolRowPlan]
    problems: list[RowProblem] = field(default_factory=list)  # the reader's and the pool's
    notes: list = field(default_factory=list)                 # the pool's own: which day of joining was used
    missing: list[PoolEntry] = field(default_factory=list)    # open entries the file no longer lists (when loaded)
    covered: set[tuple[int, str]] = field(default_factory=set)  # the (unit, cycle) pairs the file covers
    leave_missing_on: date | None = None                      # the day they leave, once the user confirmed it

    def as_report(self, written: bool) -> dict:
        counts = Counter(r.outcome for r in self.rows)
        rejected_rows = {p.row for p in self.problems}
        return {
            "rows": len({r.row.row for r in self.rows} | rejected_rows),
            "added": counts["added"] + counts["flagged"],
            "matched": counts["matched"] + counts["in_file"],
            "unchanged": counts["unchanged"],
            "flagged": [{"row": r.row.row, "name": r.row.full_name} for r in self.rows if r.outcome == "flagged"],
            "rejected": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
            "missing": [{"entry": e.id, "name": e.person.full_name, "unit": e.organisation.code, "cycle": e.cycle,
                         "added_on": e.added_on.isoformat()} for e in self.missing],
            "left": len(self.missing) if written and self.leave_missing_on else 0,
            "leave_missing_on": self.leave_missing_on.isoformat() if self.leave_missing_on else None,
            "notes": [*self.read.notes, *self.notes],
            "written": written,
        }


def _row_date(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text[:10])  # a date cell, as the reader gives it
    except ValueError:
        return parse_vn_date(text)


def _column(read: ReadResult, name: str) -> str:
    return next((c.header for c in read.columns if c.field == name), name)


def _default_day_notes(used: Counter, added_on: date | None) -> list[Message]:
    """Which day of joining the rows without one of their own were given."""
    notes = []
    for (cycle, day), count in sorted(used.items()):
        if added_on is not None:
            notes.append(Message("%(num)s dòng không ghi ngày vào quy hoạch: dùng ngày %(day)s (--added-on).",
                                 num=count, day=day.strftime("%d/%m/%Y")))
        else:
            notes.append(Message("%(num)s dòng không ghi ngày vào quy hoạch: dùng ngày %(day)s, ngày đầu nhiệm kỳ "
                                 "%(cycle)s.", num=count, day=day.strftime("%d/%m/%Y"), cycle=cycle))
    return notes


@collector_paused()
def plan_pool_import(read: ReadResult, cycle: str, org: Organisation | None, added_on: date | None = None,
                     within: Organisation | None = None, load_missing: bool = True) -> PoolPlan:
    """What each row would do, and who the file no longer lists. The unit: the district the row names,
    else `org`. A row without a day of joining joins on `added_on` (which must fall within the cycle)
    or else on its cycle's first day. With `within` (a unit's own page), only its "Huyện" column is read
    and it must name `within` or a unit below it. Without `load_missing` (a preview, which pages them
    through `missing_query`), `plan.missing` stays empty."""
    default_cycle = parse_pool_cycle(cycle)
    if added_on is not None and not default_cycle[1] <= added_on <= default_cycle[2]:
        raise DomainError("pool.added_on_outside_cycle", _l(
            "Ngày vào quy hoạch %(day)s không thuộc nhiệm kỳ %(cycle)s (%(start)s - %(end)s).",
            day=added_on.strftime("%d/%m/%Y"), cycle=default_cycle[0], start=default_cycle[1].strftime("%d/%m/%Y"),
            end=default_cycle[2].strftime("%d/%m/%Y")), field="added_on")
    registry, find_district = load_registry(), district_finder()
    open_entries = set(db.session.execute(select(PoolEntry.person_id, PoolEntry.organisation_id, PoolEntry.cycle)
                                          .where(PoolEntry.left_on.is_(None))).all())
    last_left = {(p, o, c): d for p, o, c, d in db.session.execute(
        select(PoolEntry.person_id, PoolEntry.organisation_id, PoolEntry.cycle, func.max(PoolEntry.left_on))
        .where(PoolEntry.left_on.is_not(None))
        .group_by(PoolEntry.person_id, PoolEntry.organisation_id, PoolEntry.cycle))}
    allowed = set(subtree_ids(within)) if within is not None else None
    plan = PoolPlan(read, [], list(read.problems))
    seen: set[tuple[int, int, str]] = set()
    covered: set[tuple[int, str]] = {(org.id, default_cycle[0])} if org is not None else set()
    default_days: Counter = Counter()
    for row in read.rows:
        extra = row.extra or {}
        if allowed is not None:
            named = find_district(extra["district"]) if extra.get("district") else None
            if extra.get("district") and named not in allowed:
                plan.problems.append(RowProblem(row.row, _column(read, "district"), Message(
                    "“%(name)s” không thuộc %(unit)s: hãy nhập danh sách này ở trang của đơn vị đó.",
                    name=extra["district"], unit=within.name)))
                continue
            unit_id = named or org.id
        else:
            unit_id = find_district(extra.get("district") or row.unit_name) or (org.id if org else None)
        if unit_id is None:
            plan.problems.append(RowProblem(row.row, _column(read, "unit"), Message(
                "Không xác định được đơn vị có diện quy hoạch; hãy ghi huyện hoặc chọn đơn vị khi nhập.")))
            continue
        try:
            row_cycle = parse_cycle(extra["cycle"]) if extra.get("cycle") else default_cycle
        except CycleError:
            plan.problems.append(RowProblem(row.row, _column(read, "cycle"), Message(
                "Nhiệm kỳ “%(cycle)s” không hợp lệ; hãy viết như 2021-2026 (năm đầu trước năm cuối).",
                cycle=extra["cycle"])))
            continue
        try:
            own_day = _row_date(extra.get("pool_added_on"), None) if extra.get("pool_added_on") else None
        except DateExpressionError as error:
            plan.problems.append(RowProblem(row.row, _column(read, "pool_added_on"), error.message))
            continue
        if own_day is not None and own_day > row_cycle[2]:
            plan.problems.append(RowProblem(row.row, _column(read, "pool_added_on"), Message(
                "Ngày vào quy hoạch %(day)s sau khi nhiệm kỳ %(cycle)s kết thúc (%(end)s).",
                day=own_day.strftime("%d/%m/%Y"), cycle=row_cycle[0], end=row_cycle[2].strftime("%d/%m/%Y"))))
            continue
        if own_day is None and added_on is not None and not row_cycle[1] <= added_on <= row_cycle[2]:
            plan.problems.append(RowProblem(row.row, _column(read, "cycle"), Message(
                "Ngày vào quy hoạch %(day)s (--added-on) không thuộc nhiệm kỳ %(cycle)s của dòng này.",
                day=added_on.strftime("%d/%m/%Y"), cycle=row_cycle[0])))
            continue
        joined = own_day or added_on or row_cycle[1]
        covered.add((unit_id, row_cycle[0]))
        identity = identity_of(("row", row.row), row)
        match = registry.match(identity)
        row_plan = PoolRowPlan(row, "added", unit_id, row_cycle, joined, reason=match.reason)
        known_row = isinstance(match.key, tuple)
        if match.outcome == "same" and known_row:
            row_plan.outcome, row_plan.same_as_row = "in_file", match.key[1]
        elif match.outcome == "same":
            row_plan.person_id = match.key
            key = (match.key, unit_id, row_cycle[0])
            row_plan.outcome = "unchanged" if key in open_entries or key in seen else "matched"
            left = last_left.get(key)
            if row_plan.outcome == "matched" and left is not None and joined < left:
                if own_day is not None:  # she joins again: not before the day she left
                    plan.problems.append(RowProblem(row.row, _column(read, "pool_added_on"), Message(
                        "Ngày vào quy hoạch %(day)s trước ngày người này rời diện quy hoạch (%(left)s).",
                        day=joined.strftime("%d/%m/%Y"), left=left.strftime("%d/%m/%Y"))))
                    continue
                row_plan.added_on = joined = left
            seen.add(key)
        elif match.outcome == "possible":
            row_plan.outcome = "flagged"
            row_plan.person_id = None if known_row else match.key
            row_plan.same_as_row = match.key[1] if known_row else None
        if own_day is None and row_plan.outcome != "unchanged":
            default_days[row_cycle[0], joined] += 1
        if row_plan.outcome in ("added", "flagged"):
            registry.add(identity)
        plan.rows.append(row_plan)
    plan.notes = _default_day_notes(default_days, added_on)
    plan.covered = covered
    if load_missing:
        plan.missing = _missing(plan)
    return plan


def missing_query(plan: PoolPlan, q: str = ""):
    """The open entries of the (unit, cycle) pairs the file covers whose person it does not list (whose
    name holds `q`, folded, when given), by name: a SELECT, so that a preview counts and pages them in the
    database; None when the file covers nothing."""
    if not plan.covered:
        return None
    listed: dict[tuple[int, str], set[int]] = {pair: set() for pair in plan.covered}
    for r in plan.rows:
        if r.person_id and r.outcome != "flagged" and (r.unit_id, r.cycle[0]) in listed:
            listed[r.unit_id, r.cycle[0]].add(r.person_id)
    pairs = [and_(PoolEntry.organisation_id == unit_id, PoolEntry.cycle == cycle,
                  *([PoolEntry.person_id.not_in(sorted(people))] if people else []))
             for (unit_id, cycle), people in sorted(listed.items())]
    query = (select(PoolEntry).join(PoolEntry.person).options(contains_eager(PoolEntry.person))
             .where(PoolEntry.left_on.is_(None), or_(*pairs)).order_by(Person.name_sort_key, PoolEntry.id))
    if q and fold(q):
        query = query.where(Person.name_folded.contains(fold(q), autoescape=True))
    return query


def _missing(plan: PoolPlan) -> list[PoolEntry]:
    query = missing_query(plan)
    if query is None:
        return []
    return list(db.session.scalars(query.options(selectinload(PoolEntry.organisation))))


PREVIEW_GROUPS = {"new": ("added", "flagged", "matched", "in_file"), "unchanged": ("unchanged",)}
PREVIEW_LISTS = ("rejected", "new", "unchanged", "missing")  # each paged by 100 on the preview


def preview_pages(plan: PoolPlan, pages: dict[str, int], q: str = "") -> dict:
    """The preview's lists one page each (`pages`: the page of each of PREVIEW_LISTS): the rejected rows,
    the new, the unchanged, and those who would leave (counted and paged in the database); the rows and
    those leaving whose name holds `q` (folded), when given. Their totals, whatever `q`, in "counts"."""
    key = fold(q) if q else ""
    result: dict = {"rejected": page_of_list(plan.problems, pages.get("rejected", 1))}
    counts = {"rejected": len(plan.problems)}
    for name, outcomes in PREVIEW_GROUPS.items():
        rows = [r for r in plan.rows if r.outcome in outcomes]
        counts[name] = len(rows)
        result[name] = page_of_list([r for r in rows if key in fold(r.row.full_name or "")] if key else rows,
                                    pages.get(name, 1))
    query = missing_query(plan, q)
    result["missing"] = page_of_query(query, pages.get("missing", 1)) if query is not None else page_of_list([])
    counts["missing"] = result["missing"].total
    if key and query is not None:
        everyone = missing_query(plan)
        counts["missing"] = db.session.scalar(select(func.count()).select_from(everyone.order_by(None).subquery()))
    result["counts"] = counts
    return result


def check_missing_leaving(plan: PoolPlan, leave_on: date | None) -> None:
    """Whether everyone the file no longer lists may leave on `leave_on` (a DomainError otherwise)."""
    if leave_on is None:
        return
    for entry in plan.missing:
        check_leaving(entry, leave_on, MISSING_REASON, field="leave_missing_on")
    plan.leave_missing_on = leave_on


@collector_paused()
def apply_pool_import(actor: User | None, plan: PoolPlan, filename: str, data: bytes, cycle: str,
                      org: Organisation | None, pool_import: PoolImport | None = None) -> dict:
    """Write new people and pool entries in bulk, and the leaving of those no longer listed when the
    plan has their day (`check_missing_leaving`); refuses a plan with any rejected row. `pool_import`:
    the upload kept in preview on a unit's page, which becomes the applied import."""
    if plan.problems:
        raise DomainError("pool.rows_rejected", _l("Tệp có dòng lỗi nên không được ghi; hãy sửa các dòng được "
                                                   "liệt kê rồi nhập lại."))
    now = utcnow()
    if pool_import is None:
        pool_import = PoolImport(filename=filename[:255] or "quy-hoach", sha256=hashlib.sha256(data).hexdigest(),
                                 cycle=parse_pool_cycle(cycle)[0], organisation=org, imported_by=actor)
        db.session.add(pool_import)
    pool_import.status, pool_import.content = "applied", None
    db.session.flush()
    orgs_by_name = {fold(name): org_id
                    for org_id, name in db.session.execute(select(Organisation.id, Organisation.name))}
    new_rows = [p for p in plan.rows if p.outcome in ("added", "flagged")]
    new_ids = reserve_ids(Person, len(new_rows))
    sort_keys: dict[str, str] = {}
    # A flagged row may give an ID number its look-alike holds (rules.matching): she is written without it.
    taken = taken_id_numbers(p.row.id_number for p in new_rows if p.outcome == "flagged")
    insert_rows(Person.__table__, ("id", "full_name", "name_folded", "name_sort_key", "sex", "birth_date",
                                   "birth_year", "ethnicity", "position", "unit_name", "unit_folded",
                                   "organisation_id", "phone", "email", "id_number", "created_at", "updated_at"),
                [person_values(person_id, p.row, orgs_by_name.get(fold(p.row.unit_name or "")), sort_keys, now,
                               taken)
                 for p, person_id in zip(new_rows, new_ids, strict=True)])
    person_of_row = {p.row.row: person_id for p, person_id in zip(new_rows, new_ids, strict=True)}
    for p in plan.rows:
        if p.person_id and p.outcome != "flagged":
            person_of_row[p.row.row] = p.person_id
    for p in plan.rows:
        if p.outcome == "in_file":
            person_of_row[p.row.row] = person_of_row[p.same_as_row]
    written: set[tuple[int, int, str]] = set()
    entries = []
    for p in plan.rows:
        key = (person_of_row[p.row.row], p.unit_id, p.cycle[0])
        if p.outcome == "unchanged" or key in written:
            continue
        written.add(key)
        entries.append((key[0], p.unit_id, (p.row.extra or {}).get("planned_posts"), *p.cycle, p.added_on,
                        pool_import.id, p.row.row, now, now))
    insert_rows(PoolEntry.__table__, ("person_id", "organisation_id", "planned_posts", "cycle", "cycle_starts_on",
                                      "cycle_ends_on", "added_on", "pool_import_id", "source_row", "created_at",
                                      "updated_at"), entries)
    flags = [(p.person_id or person_of_row.get(p.same_as_row), person_of_row[p.row.row], p.reason, "open", now, now)
             for p in plan.rows if p.outcome == "flagged"]
    insert_rows(DuplicateFlag.__table__, ("person_id", "other_person_id", "reason", "status", "created_at",
                                          "updated_at"), [f for f in flags if f[0] and f[0] != f[1]])
    if plan.leave_missing_on is not None:
        for entry in plan.missing:
            leave_pool(actor, entry, plan.leave_missing_on, MISSING_REASON,
                       note=str(Message("Không còn trong danh sách nhập %(file)s", file=pool_import.filename)))
    report = plan.as_report(written=True)
    pool_import.summary = {k: (len(v) if isinstance(v, list) else v) for k, v in report.items()}
    audit.record(actor, "pool.import.applied", pool_import, after=pool_import.summary,
                 summary=f"{pool_import.cycle} ← {pool_import.filename}")
    db.session.flush()
    return report


def import_pool_file(actor: User | None, filename: str, data: bytes, cycle: str, org: Organisation | None,
                     added_on: date | None, today: date, dry_run: bool = False,
                     leave_missing_on: date | None = None) -> tuple[dict, bool]:
    """Read, plan and (unless `dry_run` or a row is refused) apply a pool file: (its report, whether
    anything was written). A file that cannot be read at all, or a leaving day that does not suit
    everyone no longer listed, raises DomainError."""
    read = read_upload(filename, data, today)
    plan = plan_pool_import(read, cycle, org, added_on)
    check_missing_leaving(plan, leave_missing_on)
    written = not dry_run and not plan.problems
    report = apply_pool_import(actor, plan, filename, data, cycle, org) if written else plan.as_report(written=False)
    return report, written


# --- a unit's upload, kept from its preview to its confirmation -----------------------------------

def store_pool_upload(actor: User | None, unit: Organisation, cycle: str, filename: str, data: bytes,
                      today: date) -> PoolImport:
    """Keep an upload for `unit`'s pool in preview (nothing of the pool is written yet). A file that
    cannot be read at all is refused now."""
    label = parse_pool_cycle(cycle)[0]
    read = read_upload(filename, data, today)
    pool_import = PoolImport(filename=(filename or "quy-hoach")[:255], sha256=hashlib.sha256(data).hexdigest(),
                             cycle=label, organisation=unit, imported_by=actor, status="preview", content=data)
    db.session.add(pool_import)
    db.session.flush()
    # Planned once, here, from the file as just read: the preview's pages read the kept plan.
    key = pool_preview.state_key(pool_import, today)  # taken first: a change while planning gives another
    _keep(pool_import, plan_pool_import(read, label, unit, None, within=unit, load_missing=False), key)
    audit.record(actor, "pool.import.uploaded", pool_import, after={"unit": unit.code, "cycle": label},
                 summary=pool_import.filename)
    return pool_import


def get_pool_upload(import_id: int, unit: Organisation) -> PoolImport:
    pool_import = db.session.get(PoolImport, import_id)
    if pool_import is None or pool_import.organisation_id != unit.id:
        raise DomainError("not_found", _l("Không tìm thấy tệp đã tải lên."))
    return pool_import


def preview_pool_upload(pool_import: PoolImport, today: date, load_missing: bool = True) -> PoolPlan:
    """What confirming the upload would write, as of now (the pool may have changed since the upload),
    planned from the file."""
    _refuse_unless_preview(pool_import)
    read = read_upload(pool_import.filename, pool_import.content or b"", today)
    return plan_pool_import(read, pool_import.cycle, pool_import.organisation, None, within=pool_import.organisation,
                            load_missing=load_missing)


def kept_pool_preview(pool_import: PoolImport, today: date) -> PoolPlan:
    """The upload's plan for its preview page, without those who would leave (`missing_query` pages
    them): as kept with the upload while nothing it depends on has changed (pool_preview.state_key),
    else planned from the file again and kept. The request commits it with the view's access-log entry."""
    _refuse_unless_preview(pool_import)
    key = pool_preview.state_key(pool_import, today)
    if pool_import.preview_key == key and pool_import.preview is not None:
        kept = pool_preview.decode(pool_import.preview)
        return PoolPlan(kept.read, [PoolRowPlan(*row) for row in kept.rows], kept.problems, covered=kept.covered)
    plan = preview_pool_upload(pool_import, today, load_missing=False)
    _keep(pool_import, plan, key)
    return plan


def _refuse_unless_preview(pool_import: PoolImport) -> None:
    refuse_if_withdrawn(pool_import)
    if pool_import.status != "preview":
        raise DomainError("pool.import_done", _l("Tệp này đã được xử lý."))


def _keep(pool_import: PoolImport, plan: PoolPlan, key: str) -> None:
    pool_import.preview, pool_import.preview_key = pool_preview.encode(plan), key
    db.session.flush()


def confirm_pool_upload(actor: User | None, pool_import: PoolImport, today: date, leave_missing_on: date | None,
                        keep_missing: bool = False) -> dict:
    """Write the upload, all or nothing: those no longer listed leave on `leave_missing_on`, unless the
    user chose to keep them as they are."""
    plan = preview_pool_upload(pool_import, today)
    if plan.missing and not keep_missing and leave_missing_on is None:
        raise DomainError("pool.leave_day_required", _l(
            "Hãy nhập ngày rời diện quy hoạch của những người không còn trong danh sách, hoặc chọn giữ nguyên."),
            field="leave_missing_on")
    check_missing_leaving(plan, None if keep_missing else leave_missing_on)
    pool_preview.forget_preview(pool_import)
    return apply_pool_import(actor, plan, pool_import.filename, pool_import.content or b"", pool_import.cycle,
                             pool_import.organisation, pool_import=pool_import)


def discard_pool_upload(actor: User | None, pool_import: PoolImport) -> None:
    if pool_import.status != "preview":
        raise DomainError("pool.import_done", _l("Tệp này đã được xử lý."))
    pool_import.status, pool_import.content = "discarded", None
    pool_preview.forget_preview(pool_import)
    audit.record(actor, "pool.import.discarded", pool_import, summary=pool_import.filename)
    db.session.flush()

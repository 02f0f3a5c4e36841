"""The planning pool (diện quy hoạch): importing Sở Nội vụ's pool files, and leaving the pool.

Imports work as the participant lists do (services/lists/lists.py): the same reader, the same person
registry matching, two phases — `plan_pool_import` reads and decides without writing,
`apply_pool_import` writes everything in bulk inside the caller's transaction — and a file with
any rejected row is refused whole. History is kept: leaving sets `left_on`, re-joining is a new entry.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...importers.person_list import PersonRow, ReadResult, RowProblem
from ...messages import Message
from ...models import LEAVE_REASONS, DuplicateFlag, Organisation, Person, PoolEntry, PoolImport, User
from ...models.base import utcnow
from ...rules.dates import DateExpressionError, parse_vn_date
from ...rules.names import fold
from ...rules.trained_share import CycleError, parse_cycle
from ..core import audit
from ..core.bulk import collector_paused, insert_rows

# The registry and bulk-writing helpers of the list import, shared so both imports match people alike.
from ..lists.lists import read_upload
from ..lists.registry import district_finder, identity_of, load_registry, person_values, reserve_ids


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
            "notes": list(self.read.notes),
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


@collector_paused()
def plan_pool_import(read: ReadResult, cycle: str, org: Organisation | None, added_on: date) -> PoolPlan:
    """What each row would do. The unit: the district the row names, else `org`."""
    try:
        default_cycle = parse_cycle(cycle)
    except CycleError:
        raise DomainError("pool.bad_cycle", _l("Nhiệm kỳ “%(cycle)s” không hợp lệ; hãy viết như 2021-2026.",
                                               cycle=cycle), field="cycle") from None
    registry, find_district = load_registry(), district_finder()
    open_entries = set(db.session.execute(select(PoolEntry.person_id, PoolEntry.organisation_id, PoolEntry.cycle)
                                          .where(PoolEntry.left_on.is_(None))).all())
    plan = PoolPlan(read, [], list(read.problems))
    seen: set[tuple[int, int, str]] = set()
    for row in read.rows:
        extra = row.extra or {}
        unit_id = find_district(extra.get("district") or row.unit_name) or (org.id if org else None)
        if unit_id is None:
            plan.problems.append(RowProblem(row.row, _column(read, "unit"), Message(
                "Không xác định được đơn vị có diện quy hoạch; hãy ghi huyện hoặc chọn đơn vị khi nhập.")))
            continue
        try:
            row_cycle = parse_cycle(extra["cycle"]) if extra.get("cycle") else default_cycle
        except CycleError:
            plan.problems.append(RowProblem(row.row, _column(read, "cycle"), Message(
                "Nhiệm kỳ “%(cycle)s” không hợp lệ; hãy viết như 2021-2026.", cycle=extra["cycle"])))
            continue
        try:
            joined = _row_date(extra.get("pool_added_on"), added_on)
        except DateExpressionError as error:
            plan.problems.append(RowProblem(row.row, _column(read, "pool_added_on"), error.message))
            continue
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
            seen.add(key)
        elif match.outcome == "possible":
            row_plan.outcome = "flagged"
            row_plan.person_id = None if known_row else match.key
            row_plan.same_as_row = match.key[1] if known_row else None
        if row_plan.outcome in ("added", "flagged"):
            registry.add(identity)
        plan.rows.append(row_plan)
    return plan


@collector_paused()
def apply_pool_import(actor: User | None, plan: PoolPlan, filename: str, data: bytes, cycle: str,
                      org: Organisation | None) -> dict:
    """Write new people and pool entries in bulk; refuses a plan with any rejected row."""
    if plan.problems:
        raise DomainError("pool.rows_rejected", _l("Tệp có dòng lỗi nên không được ghi; hãy sửa các dòng được "
                                                   "liệt kê rồi nhập lại."))
    now = utcnow()
    pool_import = PoolImport(filename=filename[:255] or "quy-hoach", sha256=hashlib.sha256(data).hexdigest(),
                             cycle=parse_cycle(cycle)[0], organisation=org, imported_by=actor)
    db.session.add(pool_import)
    db.session.flush()
    orgs_by_name = {fold(name): org_id
                    for org_id, name in db.session.execute(select(Organisation.id, Organisation.name))}
    new_rows = [p for p in plan.rows if p.outcome in ("added", "flagged")]
    new_ids = reserve_ids(Person, len(new_rows))
    sort_keys: dict[str, str] = {}
    insert_rows(Person.__table__, ("id", "full_name", "name_folded", "name_sort_key", "sex", "birth_date",
                                   "birth_year", "ethnicity", "position", "unit_name", "unit_folded",
                                   "organisation_id", "phone", "email", "id_number", "created_at", "updated_at"),
                [person_values(person_id, p.row, orgs_by_name.get(fold(p.row.unit_name or "")), sort_keys, now)
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
    report = plan.as_report(written=True)
    pool_import.summary = {k: (len(v) if isinstance(v, list) else v) for k, v in report.items()}
    audit.record(actor, "pool.import.applied", pool_import, after=pool_import.summary,
                 summary=f"{pool_import.cycle} ← {pool_import.filename}")
    db.session.flush()
    return report


def import_pool_file(actor: User | None, filename: str, data: bytes, cycle: str, org: Organisation | None,
                     added_on: date, today: date, dry_run: bool = False) -> tuple[dict, bool]:
    """Read, plan and (unless `dry_run` or a row is refused) apply a pool file: (its report, whether
    anything was written). A file that cannot be read at all raises DomainError."""
    read = read_upload(filename, data, today)
    plan = plan_pool_import(read, cycle, org, added_on)
    written = not dry_run and not plan.problems
    report = apply_pool_import(actor, plan, filename, data, cycle, org) if written else plan.as_report(written=False)
    return report, written


def leave_pool(actor: User | None, entry: PoolEntry, left_on: date, reason: str, note: str | None = None) -> None:
    """She leaves the pool on `left_on` (her first day out); the entry stays, with the reason."""
    if reason not in LEAVE_REASONS:
        raise DomainError("pool.bad_reason", _l("Lý do rời diện quy hoạch không hợp lệ."), field="reason")
    if entry.left_on is not None:
        raise DomainError("pool.already_left", _l("Người này đã rời diện quy hoạch."))
    if left_on < entry.added_on:
        raise DomainError("pool.left_before_added", _l("Ngày rời diện quy hoạch trước ngày vào."), field="left_on")
    entry.left_on, entry.leave_reason, entry.note = left_on, reason, note or entry.note
    audit.record(actor, "pool.entry.left", entry, after={"left_on": left_on.isoformat(), "leave_reason": reason})
    db.session.flush()

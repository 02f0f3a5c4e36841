"""Participant lists: reading an agency's file, matching it against the person registry, and
writing it as one roster, all or nothing.

Two phases, as every import here: `plan_import` reads and decides what each row would do
(no writes); `apply_import` writes the whole plan in bulk, inside the caller's transaction.
"""
from __future__ import annotations

import hashlib
import operator
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import reduce

from flask import current_app
from flask_babel import lazy_gettext as _l, lazy_ngettext
from sqlalchemy import String, case, func, or_, select, text

from ...errors import DomainError
from ...extensions import db
from ...importers.person_list import PersonRow, ReadError, ReadResult, read_person_list
from ...importers.results import RowProblem
from ...messages import Message
from ...models import (
    DuplicateFlag, Enrolment, ListImport, Nomination, Organisation, Person, SeatQuota, TrainingClass, User,
)
from ...models.base import utcnow
from ...rules.eligibility import DistrictFinder, eligibility_warnings, guess_org_kind
from ...rules.matching import Identity, Registry
from ...rules.names import fold, sort_key
from ..core import audit
from ..core.bulk import collector_paused, insert_rows, update_rows

ACTIVE_STATUSES = ("nominated", "confirmed")  # enrolments that hold a seat
_IN_CHUNK = 5000  # ids per IN (...): SQLite allows 32,766 parameters a statement, PostgreSQL 65,535
PERSON_FILLABLE = ("sex", "birth_date", "birth_year", "ethnicity", "position", "unit_name", "phone", "email",
                   "id_number")

OUTCOME_LABELS = {
    "added": _l("Người mới"),
    "matched": _l("Đã có trong hệ thống"),
    "merged": _l("Đã được đơn vị khác cử"),
    "unchanged": _l("Đã có trong danh sách này"),
    "flagged": _l("Có thể trùng người"),
    "in_file": _l("Trùng dòng trong tệp"),
}


@dataclass
class RowPlan:
    row: PersonRow
    outcome: str                      # a key of OUTCOME_LABELS
    person_id: int | None = None      # the known person ("matched", "merged", "unchanged", "flagged" look-alike)
    same_as_row: int | None = None    # "in_file": the earlier row she repeats; "flagged" may point at a row too
    reason: str = ""
    body_org_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ImportPlan:
    training_class: TrainingClass
    source_org: Organisation
    read: ReadResult
    rows: list[RowPlan]
    quota_warnings: list[str]
    flagged_names: dict[int, str]     # person id -> name, for the look-alikes of flagged rows
    conflicts: list[RowProblem] = field(default_factory=list)  # rows the reader accepted but the registry cannot
    # load_blank_fields(), when loaded with the registry (plan_upload); apply_import loads it otherwise
    blank_fields: dict[int, int] | None = None

    @property
    def rejected(self) -> list[RowProblem]:
        return self.read.problems + self.conflicts

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.rows)

    def as_report(self, written: bool) -> dict:
        """What the CLI prints with --json and what the import keeps as its summary."""
        counts = self.counts
        return {
            "rows": len(self.rows) + len({p.row for p in self.read.problems}),  # the reader drops its bad rows
            "added": counts["added"],
            "matched": counts["matched"],
            "merged": counts["merged"],
            "unchanged": counts["unchanged"] + counts["in_file"],
            "flagged": [{"row": r.row.row, "name": r.row.full_name,
                         "like": self.flagged_names.get(r.person_id) if r.person_id else None,
                         "like_row": r.same_as_row} for r in self.rows if r.outcome == "flagged"],
            "rejected": [{"row": p.row, "column": p.column, "message": p.message} for p in self.rejected],
            "quota": self.quota_warnings,
            "notes": list(self.read.notes),
            "written": written,
        }


def read_upload(filename: str, data: bytes, today: date) -> ReadResult:
    try:
        return read_person_list(data, filename, today=today, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ReadError as error:
        raise DomainError(error.code, error.message, field="file") from None


# --- planning an import ------------------------------------------------------------------------

def load_registry() -> Registry:
    # A Core select on the connection (the ORM's would build each row through its loading machinery),
    # in the order of Identity's fields, which the registry takes as they come. Ordered by id so that,
    # where several known people share a phone or ID, the same (earliest) one is matched on SQLite and
    # PostgreSQL alike.
    rows = db.session.connection().execute(select(Person.id, Person.name_folded, Person.birth_date, Person.birth_year,
                                                  Person.phone, Person.id_number, Person.unit_folded)
                                           .order_by(Person.id)).all()
    return Registry(rows)


def _blank_mask():
    """An SQL expression: bit i set where PERSON_FILLABLE[i] is empty (NULL, or '' for a text column)."""
    table, bits = Person.__table__, []
    for i, name in enumerate(PERSON_FILLABLE):
        column = table.c[name]
        empty = or_(column.is_(None), column == "") if isinstance(column.type, String) else column.is_(None)
        bits.append(case((empty, 1 << i), else_=0))
    return reduce(operator.add, bits)


def load_blank_fields() -> dict[int, int]:
    """Person id -> which of her PERSON_FILLABLE fields are empty, for everyone with one: what an import
    may fill in. One scan, run while the file is read (plan_upload), so that writing needs no select
    of the known people first."""
    mask = _blank_mask()
    return dict(db.session.connection().execute(select(Person.id, mask.label("blank")).where(mask != 0)).all())


def identity_of(key, row: PersonRow) -> Identity:
    return Identity(key, fold(row.full_name), row.birth_date, row.birth_year, row.phone, row.id_number,
                    fold(row.unit_name) if row.unit_name else None)


def district_finder() -> DistrictFinder:
    return DistrictFinder(db.session.execute(select(Organisation.id, Organisation.name)
                                             .where(Organisation.kind == "district")).all())


class _PerValue(dict):
    """f(value), computed once per distinct value: a list repeats its names, units and districts."""

    def __init__(self, function):
        super().__init__()
        self._function = function

    def __missing__(self, value):
        result = self[value] = self._function(value)
        return result


def plan_upload(cls: TrainingClass, source_org: Organisation, filename: str, data: bytes, today: date) -> ImportPlan:
    """read_upload then plan_import, with the registry loaded while the file is read.

    python-calamine lets go of the GIL while it parses a sheet (most of its time), and SQLite while it
    steps through the registry, so the two overlap on a second core: for 100,000 rows against 100,000
    people, most of the registry's load is hidden behind the parse. The reader is pure (no Flask, no
    session): only this thread touches the database.
    """
    max_bytes = current_app.config["MAX_CONTENT_LENGTH"]
    # The collector paused here for both threads: the reader's own pause must not switch it back on
    # while the registry loads.
    with collector_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="list-reader") as reader:
        reading = reader.submit(read_person_list, data, filename, today=today, max_bytes=max_bytes)
        registry, blank_fields = load_registry(), load_blank_fields()
        try:
            read = reading.result()
        except ReadError as error:
            raise DomainError(error.code, error.message, field="file") from None
    return plan_import(cls, source_org, read, registry, blank_fields)


@collector_paused()
def plan_import(cls: TrainingClass, source_org: Organisation, read: ReadResult,
                registry: Registry | None = None, blank_fields: dict[int, int] | None = None) -> ImportPlan:
    """What each row would do; `registry` is load_registry() when the caller already loaded it, and
    `blank_fields` load_blank_fields(), kept in the plan for writing (a plan only shown needs none)."""
    if registry is None:
        registry = load_registry()
    enrolled: dict[int, set[int]] = defaultdict(set)  # person id -> agencies that nominated her here
    for person_id, org_id in db.session.execute(
            select(Enrolment.person_id, Nomination.organisation_id)
            .join(Nomination, Nomination.enrolment_id == Enrolment.id, isouter=True)
            .where(Enrolment.class_id == cls.id)):
        enrolled[person_id].add(org_id)
    find_district = district_finder()
    eligible_sex, eligible_kinds = cls.eligible_sex, cls.eligible_org_kind_list  # not read per row from the ORM
    source_id = source_org.id
    folded = _PerValue(lambda text: fold(text) if text else None)
    kind_of = _PerValue(guess_org_kind)
    body_of = _PerValue(lambda text: find_district(text) or source_id)
    warnings_of = _PerValue(lambda sex_kind: eligibility_warnings(*sex_kind, eligible_sex, eligible_kinds))
    plans: list[RowPlan] = []
    for row in read.rows:
        unit = row.unit_name
        identity = Identity(("row", row.row), folded[row.full_name], row.birth_date, row.birth_year, row.phone,
                            row.id_number, folded[unit])
        match = registry.match(identity)
        district = row.extra.get("district") if row.extra else None
        plan = RowPlan(row=row, outcome="added", reason=match.reason, body_org_id=body_of[district or unit],
                       warnings=list(warnings_of[row.sex, kind_of[unit]]))
        known_row = isinstance(match.key, tuple)
        if match.outcome == "same" and known_row:
            plan.outcome, plan.same_as_row = "in_file", match.key[1]
        elif match.outcome == "same":
            plan.person_id = match.key
            if match.key in enrolled:
                plan.outcome = "unchanged" if source_id in enrolled[match.key] else "merged"
            else:
                plan.outcome = "matched"
        elif match.outcome == "possible":
            plan.outcome = "flagged"
            if known_row:
                plan.same_as_row = match.key[1]
            else:
                plan.person_id = match.key
        if plan.outcome in ("added", "flagged"):
            registry.add(identity)
        plans.append(plan)
    flagged_ids = [p.person_id for p in plans if p.outcome == "flagged" and p.person_id]
    names = {}
    for start in range(0, len(flagged_ids), _IN_CHUNK):
        names.update(db.session.execute(select(Person.id, Person.full_name)
                                        .where(Person.id.in_(flagged_ids[start:start + _IN_CHUNK]))).all())
    return ImportPlan(cls, source_org, read, plans, _quota_warnings(cls, plans), names,
                      _id_number_conflicts(read, plans), blank_fields)


def _id_number_conflicts(read: ReadResult, plans: list[RowPlan]) -> list[RowProblem]:
    """Rows that would give one new ID number to two different people (a new person, or a known one whose
    number is still blank): the database holds each number once, and which of them is right is for the
    sender to say. A number somebody already holds is not new: the matcher found its holder."""
    # Only a number given in two rows or more can be given to two people: most lists have none.
    given = Counter(p.row.id_number for p in plans if p.row.id_number)
    repeated = {number for number, rows in given.items() if rows > 1}
    if not repeated:
        return []
    with_number = [p for p in plans if p.row.id_number in repeated]
    known_ids = list({p.person_id for p in with_number if p.person_id and p.outcome != "flagged"})
    blank: set[int] = set()
    for start in range(0, len(known_ids), _IN_CHUNK):
        blank.update(db.session.scalars(select(Person.id).where(
            Person.id.in_(known_ids[start:start + _IN_CHUNK]), Person.id_number.is_(None))))
    person_of_row: dict[int, object] = {}
    first_row_of: dict[str, tuple[object, int]] = {}  # number -> (who gets it, the first row giving it)
    column = next((c.header for c in read.columns if c.field == "id_number"), "CCCD")
    conflicts = []
    for p in plans:
        if p.outcome == "in_file":
            person_of_row[p.row.row] = person_of_row.get(p.same_as_row, ("row", p.same_as_row))
        elif p.person_id and p.outcome != "flagged":
            person_of_row[p.row.row] = p.person_id
        else:
            person_of_row[p.row.row] = ("row", p.row.row)
        number, who = p.row.id_number, person_of_row[p.row.row]
        if number not in repeated or (isinstance(who, int) and who not in blank):
            continue  # a number given once, or a known person keeps the number she has
        first = first_row_of.setdefault(number, (who, p.row.row))
        if first[0] != who:
            conflicts.append(RowProblem(p.row.row, column, Message(
                "Số CCCD %(number)s đã được ghi cho một người khác ở dòng %(row)s: hai người không thể có cùng một số. "
                "Hãy kiểm tra lại số của hai người này.", number=number, row=first[1])))
    return conflicts


def _quota_warnings(cls: TrainingClass, plans: list[RowPlan]) -> list[str]:
    quotas = {q.organisation_id: q for q in db.session.scalars(select(SeatQuota).where(SeatQuota.class_id == cls.id))}
    if not quotas:
        return []
    filled = seats_filled(cls)
    for plan in plans:
        if plan.outcome in ("added", "matched", "flagged"):
            filled[plan.body_org_id] += 1
    return [Message("%(org)s: %(num)s người, vượt chỉ tiêu %(seats)s chỗ.", org=q.organisation.name,
                    num=filled[org_id], seats=q.seats)
            for org_id, q in quotas.items() if filled[org_id] > q.seats]


def seats_filled(cls: TrainingClass) -> Counter:
    rows = db.session.execute(select(Enrolment.body_org_id, func.count()).where(
        Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES)).group_by(Enrolment.body_org_id))
    return Counter(dict(rows.all()))


# --- writing an import -------------------------------------------------------------------------

# Enrolments and nominations get new ids and one class, so they land at the end of their indexes:
# several rows a statement (bulk.insert_rows). New people do not (names, phones), so one a statement.
_ROWS_PER_STATEMENT = 500
_PERSON_COLUMNS = ("id", "full_name", "name_folded", "name_sort_key", "sex", "birth_date", "birth_year", "ethnicity",
                   "position", "unit_name", "unit_folded", "organisation_id", "phone", "email", "id_number",
                   "created_at", "updated_at")


def person_values(person_id: int, row: PersonRow, organisation_id: int | None, sort_keys: dict[str, str],
                   now) -> tuple:
    """A new person's row in _PERSON_COLUMNS order; sort keys are computed once per distinct name."""
    name, unit = row.full_name, row.unit_name
    key = sort_keys.get(name)
    if key is None:
        key = sort_keys[name] = sort_key(name)
    return (person_id, name, fold(name), key, row.sex, row.birth_date, row.birth_year, row.ethnicity, row.position,
            unit, fold(unit) if unit else None, organisation_id, row.phone, row.email, row.id_number, now, now)


@collector_paused()
def apply_import(actor: User | None, plan: ImportPlan, list_import: ListImport | None = None) -> dict:
    """Write the plan: new people, enrolments, nominations and duplicate flags, in bulk. Refuses a plan
    with rejected rows: a file with any bad row is refused whole."""
    if plan.rejected:
        rows = len({p.row for p in plan.rejected})
        raise DomainError("lists.rows_rejected", lazy_ngettext(
            "Tệp có %(num)s dòng lỗi nên không được ghi; hãy sửa các dòng được liệt kê rồi tải lên lại.",
            "Tệp có %(num)s dòng lỗi nên không được ghi; hãy sửa các dòng được liệt kê rồi tải lên lại.", rows))
    cls, source = plan.training_class, plan.source_org
    class_id, source_id = cls.id, source.id  # read once, not per row through the ORM
    orgs_by_name = {fold(name): org_id for org_id, name in db.session.execute(select(Organisation.id, Organisation.name))}
    import_id = list_import.id if list_import is not None else None
    now = utcnow()

    new_rows = [p for p in plan.rows if p.outcome in ("added", "flagged")]
    new_ids = reserve_ids(Person, len(new_rows))
    sort_keys: dict[str, str] = {}
    insert_rows(Person.__table__, _PERSON_COLUMNS, [
        person_values(person_id, p.row, orgs_by_name.get(fold(p.row.unit_name or "")), sort_keys, now)
        for p, person_id in zip(new_rows, new_ids, strict=True)])
    person_of_row: dict[int, int] = {}
    for p, person_id in zip(new_rows, new_ids, strict=True):
        person_of_row[p.row.row] = person_id
    for p in plan.rows:
        if p.person_id and p.outcome != "flagged":
            person_of_row[p.row.row] = p.person_id
    for p in plan.rows:
        if p.outcome == "in_file":
            person_of_row[p.row.row] = person_of_row[p.same_as_row]

    _fill_blanks(plan, now)

    # Enrolments for people not yet in the class, one per person however often she appears.
    existing = dict(db.session.execute(select(Enrolment.person_id, Enrolment.id).where(Enrolment.class_id == cls.id)).all())
    to_enrol: dict[int, RowPlan] = {}
    for p in plan.rows:
        person_id = person_of_row[p.row.row]
        if person_id not in existing and person_id not in to_enrol:
            to_enrol[person_id] = p
    if to_enrol:
        ids = reserve_ids(Enrolment, len(to_enrol))
        insert_rows(Enrolment.__table__, ("id", "class_id", "person_id", "status", "body_org_id", "created_at",
                                          "updated_at"),
                    [(enrolment_id, class_id, person_id, "nominated", p.body_org_id, now, now)
                     for enrolment_id, (person_id, p) in zip(ids, to_enrol.items(), strict=True)],
                    rows_per_statement=_ROWS_PER_STATEMENT)
        existing.update(zip(to_enrol, ids, strict=True))

    nominated = {e for (e,) in db.session.execute(select(Nomination.enrolment_id).join(Enrolment).where(
        Enrolment.class_id == cls.id, Nomination.organisation_id == source.id))}
    nominations = []
    for p in plan.rows:
        enrolment_id = existing[person_of_row[p.row.row]]
        if enrolment_id not in nominated:
            nominated.add(enrolment_id)
            nominations.append((enrolment_id, source_id, import_id, p.row.row))
    insert_rows(Nomination.__table__, ("enrolment_id", "organisation_id", "list_import_id", "source_row"), nominations,
                rows_per_statement=_ROWS_PER_STATEMENT)

    flags = []
    for p in plan.rows:
        if p.outcome == "flagged":
            other = p.person_id or person_of_row.get(p.same_as_row)
            if other and other != person_of_row[p.row.row]:
                flags.append((other, person_of_row[p.row.row], p.reason, "open", import_id, now, now))
    insert_rows(DuplicateFlag.__table__, ("person_id", "other_person_id", "reason", "status", "list_import_id",
                                          "created_at", "updated_at"), flags)

    report = plan.as_report(written=True)
    audit.record(actor, "lists.import.applied", list_import or cls,
                 after={k: (len(v) if isinstance(v, list) else v) for k, v in report.items()},
                 summary=f"{cls.plan.code}/{cls.code} ← {source.code}")
    db.session.flush()
    return report


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for a bulk insert, known before it runs, so that the enrolments and nominations
    of the same import can refer to them without RETURNING (which SQLAlchemy splices row by row)."""
    if count == 0:
        return []
    if db.engine.dialect.name == "postgresql":
        return list(db.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                            "FROM generate_series(1, :n)"), {"table": model.__tablename__, "n": count}))
    # SQLite: every transaction here began with BEGIN IMMEDIATE, so no other writer can take these ids.
    start = db.session.scalar(select(func.coalesce(func.max(model.id), 0))) + 1
    return list(range(start, start + count))


def _fill_blanks(plan: ImportPlan, now) -> None:
    """A list may know more about a known person than the registry: fill what is empty, never overwrite."""
    # Her empty fields, as loaded with the registry (or now, for a plan made without them): one scan,
    # not a select of these people by id. A person in two rows is filled from the later one.
    blank_fields = plan.blank_fields if plan.blank_fields is not None else load_blank_fields()
    known = {p.person_id: p.row for p in plan.rows
             if p.outcome in ("matched", "merged", "unchanged") and blank_fields.get(p.person_id)}
    updates = []
    for person_id, row in known.items():
        mask, values = blank_fields[person_id], {}
        for i, name in enumerate(PERSON_FILLABLE):
            if mask >> i & 1 and (new := getattr(row, name)):
                values[name] = new
        if values:
            updates.append((person_id, values))
    # An ID number another person holds is left for a human.
    wanted = list({values["id_number"] for _, values in updates if "id_number" in values})
    table, taken = Person.__table__, set()
    for start in range(0, len(wanted), _IN_CHUNK):
        taken.update(db.session.scalars(select(table.c.id_number).where(
            table.c.id_number.in_(wanted[start:start + _IN_CHUNK]))))
    # One executemany per set of columns filled (not the ORM, which would send one per row). The
    # statement itself keeps a value stored since the registry was read: filling never overwrites.
    by_columns: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    for person_id, values in updates:
        if values.get("id_number") in taken:
            del values["id_number"]
        if "unit_name" in values:
            values["unit_folded"] = fold(values["unit_name"])
        if values:
            columns = tuple(sorted(values))
            by_columns[columns].append((*(values[name] for name in columns), now, person_id))
    for columns, rows in by_columns.items():
        empty_only = {name: "unit_name" if name == "unit_folded" else name for name in columns}
        update_rows(table, (*columns, "updated_at"), rows, where_empty=empty_only)


# --- the import as the UI and the CLI drive it ---------------------------------------------------

def check_can_supply(cls: TrainingClass, source_org: Organisation) -> None:
    if cls.is_cancelled:
        raise DomainError("lists.class_cancelled", _l("Lớp đã hủy: không nhận danh sách."))
    if source_org not in cls.supplier_orgs:
        raise DomainError("lists.not_a_supplier",
                          _l("%(org)s không phải là đơn vị cung cấp danh sách của lớp %(code)s.",
                             org=source_org.name, code=cls.code))


def store_upload(actor: User | None, cls: TrainingClass, source_org: Organisation, filename: str,
                 data: bytes) -> ListImport:
    list_import = ListImport(training_class=cls, source_org=source_org, uploaded_by=actor,
                             filename=filename[:255] or "danh-sach", sha256=hashlib.sha256(data).hexdigest(),
                             size=len(data), content=data, status="preview")
    db.session.add(list_import)
    db.session.flush()
    return list_import


def previous_submission(list_import: ListImport) -> ListImport | None:
    """The same file, already submitted for this class by this agency."""
    return db.session.scalar(select(ListImport).where(
        ListImport.class_id == list_import.class_id, ListImport.source_org_id == list_import.source_org_id,
        ListImport.sha256 == list_import.sha256, ListImport.status == "submitted", ListImport.id != list_import.id))


@collector_paused()
def import_file(actor: User | None, cls: TrainingClass, source_org: Organisation, filename: str, data: bytes,
                today: date, dry_run: bool = False) -> tuple[dict, bool]:
    """The whole import as the CLI runs it: (the report, whether it was written). Writes nothing when a
    row is rejected or on a dry run; the caller commits or rolls back.

    One pause of the collector for reading, planning and writing: the plan (100,000 rows, their
    registry entries) is freed when this returns, before the collector runs again, so that no
    collection walks it. Pausing each step apart cost a large import a collection of all of it after
    each (0.4-0.8 s together for 100,000 rows, measured with gc.callbacks)."""
    check_can_supply(cls, source_org)
    plan = plan_upload(cls, source_org, filename, data, today)
    written = not dry_run and not plan.rejected
    return (apply_import(actor, plan) if written else plan.as_report(written=False)), written


@collector_paused()
def submit_import(actor: User | None, list_import: ListImport, today: date) -> dict:
    if list_import.status != "preview":
        raise DomainError("lists.already_submitted", _l("Danh sách này đã được gửi hoặc đã bị hủy."))
    check_can_supply(list_import.training_class, list_import.source_org)
    plan = plan_upload(list_import.training_class, list_import.source_org, list_import.filename, list_import.content,
                       today)
    report = apply_import(actor, plan, list_import)
    list_import.status, list_import.submitted_at = "submitted", utcnow()
    list_import.summary = {k: (len(v) if isinstance(v, list) else v) for k, v in report.items()}
    db.session.flush()
    return report


def discard_import(actor: User | None, list_import: ListImport) -> None:
    if list_import.status != "preview":
        raise DomainError("lists.already_submitted", _l("Danh sách này đã được gửi hoặc đã bị hủy."))
    list_import.status = "discarded"
    list_import.content = None  # nothing of an abandoned upload is kept
    audit.record(actor, "lists.import.discarded", list_import, summary=list_import.filename)
    db.session.flush()


def get_import(import_id: int) -> ListImport:
    list_import = db.session.get(ListImport, import_id)
    if list_import is None:
        raise DomainError("not_found", _l("Không tìm thấy danh sách đã tải lên."))
    return list_import


def imports_of_class(cls: TrainingClass, source_org_id: int | None = None) -> list[ListImport]:
    query = select(ListImport).where(ListImport.class_id == cls.id, ListImport.status != "discarded")
    if source_org_id is not None:
        query = query.where(ListImport.source_org_id == source_org_id)
    return list(db.session.scalars(query.order_by(ListImport.created_at.desc())))

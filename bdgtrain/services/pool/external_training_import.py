"""Training outside the system imported from an .xlsx file, all or nothing (the records themselves, by
hand, and their list are services/pool/external_training.py).

The import works as the participant lists and the pool do: the same reader (its extra columns "Loại hình",
"Nội dung/Tên khóa", "Cơ sở đào tạo", "Từ ngày", "Đến ngày", "Tính vào chỉ tiêu", "Số chứng chỉ/Quyết định"),
the same registry matching (new people created, possible duplicates flagged), two phases —
`plan_training_import` reads and decides without writing, `apply_training_import` writes everything in bulk
inside the caller's transaction — and a file with any rejected row is refused whole. A record already held
(same person, kind, title and dates) is not written twice, so importing a file again changes nothing.
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
from ...importers.training_template import EXAMPLE_NOTE, FIELD_HEADERS
from ...messages import Message
from ...models import DuplicateFlag, ExternalTraining, ExternalTrainingImport, Organisation, Person, User
from ...models.base import utcnow
from ...rules.external_training import RecordError, TrainingRecord, check_record, counts_of, kind_of, read_date
from ...rules.names import fold
from ..core import audit
from ..core.bulk import collector_paused, insert_rows
from ..lists.lists import read_upload, refuse_if_withdrawn
from ..lists.reach import people_in_reach
from ..lists.registry import (
    PERSON_COLUMNS,
    identity_of,
    load_registry,
    person_values,
    reserve_ids,
    taken_id_numbers,
)

RECORD_COLUMNS = ("person_id", "kind", "title", "provider", "started_on", "ended_on", "evidence",
                  "counts_towards_measures", "training_import_id", "source_row", "created_at", "updated_at")
# The reader's extra field of each record field, for naming the column of a refused cell.
_EXTRA_OF = {"kind": "training_kind", "title": "training_title", "provider": "training_provider",
             "started_on": "training_started_on", "ended_on": "training_ended_on",
             "counts_towards_measures": "training_counts", "evidence": "training_evidence"}


@dataclass
class TrainingRowPlan:
    row: PersonRow
    record: TrainingRecord
    outcome: str                 # the person: added, matched, flagged, in_file
    person_id: int | None = None
    same_as_row: int | None = None
    reason: str = ""
    held: bool = False           # the person already has this record (or an earlier row gives it): not written


@dataclass
class TrainingPlan:
    read: ReadResult
    rows: list[TrainingRowPlan]
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flagged_names: dict[int, str] = field(default_factory=dict)

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.rows)

    def as_report(self, written: bool) -> dict:
        counts = self.counts
        rejected_rows = {p.row for p in self.problems}
        return {
            "rows": len({r.row.row for r in self.rows} | rejected_rows),
            "records": sum(not r.held for r in self.rows),
            "already_held": sum(r.held for r in self.rows),
            "people_added": counts["added"] + counts["flagged"],
            "people_matched": counts["matched"] + counts["in_file"],
            "flagged": [{"row": r.row.row, "name": r.row.full_name} for r in self.rows if r.outcome == "flagged"],
            "rejected": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
            "notes": list(self.read.notes) + list(self.notes),
            "written": written,
        }


def _column(read: ReadResult, name: str, fallback: str) -> str:
    return next((c.header for c in read.columns if c.field == name), fallback)


def _row_record(read: ReadResult, row: PersonRow, today: date) -> tuple[TrainingRecord | None, list[RowProblem]]:
    """The record a row gives, or the problems of its cells (each naming its column)."""
    extra = row.extra or {}
    problems: list[RowProblem] = []

    def problem(name: str, message: Message) -> None:
        problems.append(RowProblem(row.row, _column(read, name, FIELD_HEADERS[name]), message))

    written_kind = extra.get("training_kind")
    kind = kind_of(written_kind)
    if not written_kind:
        problem("training_kind", Message("Chưa ghi loại hình (tập huấn, bồi dưỡng, lý luận chính trị, quản lý nhà "
                                         "nước, thạc sĩ, tiến sĩ hoặc khác)"))
    elif kind is None:
        problem("training_kind", Message("Loại hình “%(kind)s” không có trong danh mục (tập huấn, bồi dưỡng, lý "
                                         "luận chính trị, quản lý nhà nước, thạc sĩ, tiến sĩ, khác)",
                                         kind=written_kind[:60]))
    days: dict[str, date | None] = {}
    for name, key in (("started_on", "training_started_on"), ("ended_on", "training_ended_on")):
        try:
            days[name] = read_date(extra.get(key))
        except ValueError as error:  # DateExpressionError
            problem(key, getattr(error, "message", Message("Ngày không đọc được")))
            days[name] = None
    counts = counts_of(extra.get("training_counts"))
    if counts is None:
        problem("training_counts", Message("“%(value)s” không rõ: ghi Có hoặc Không",
                                           value=extra["training_counts"][:60]))
    if problems:
        return None, problems
    try:
        record = check_record(TrainingRecord(kind, extra.get("training_title") or "", extra.get("training_provider"),
                                             days["started_on"], days["ended_on"], extra.get("training_evidence"),
                                             counts), today)
    except RecordError as error:
        problem(_EXTRA_OF[error.field], error.message)
        return None, problems
    return record, []


def _record_key(person, record: TrainingRecord) -> tuple:
    return (person, record.kind, fold(record.title), record.started_on, record.ended_on)


@collector_paused()
def plan_training_import(read: ReadResult, today: date) -> TrainingPlan:
    """What each row would do: which person it is (matched into the registry as lists are) and its record."""
    plan = TrainingPlan(read, [], list(read.problems))
    if not any(c.field == "training_title" for c in read.columns):
        plan.problems.append(RowProblem(read.header_row, FIELD_HEADERS["training_title"], Message(
            "Tệp không có cột “Nội dung/Tên khóa”: đây không phải là danh sách đào tạo, bồi dưỡng. Hãy dùng tệp "
            "mẫu.")))
        return plan
    registry = load_registry()
    held = {(p, k, fold(t), s, e) for p, k, t, s, e in db.session.execute(
        select(ExternalTraining.person_id, ExternalTraining.kind, ExternalTraining.title,
               ExternalTraining.started_on, ExternalTraining.ended_on))}
    example = fold(EXAMPLE_NOTE)
    for row in read.rows:
        if row.note and fold(row.note) == example:
            plan.notes.append(Message("Bỏ qua dòng %(row)s: dòng ví dụ của tệp mẫu.", row=row.row))
            continue
        record, problems = _row_record(read, row, today)
        if problems:
            plan.problems.extend(problems)
            continue
        identity = identity_of(("row", row.row), row)
        match = registry.match(identity)
        row_plan = TrainingRowPlan(row, record, "added", reason=match.reason)
        known_row = isinstance(match.key, tuple)
        if match.outcome == "same" and known_row:
            row_plan.outcome, row_plan.same_as_row = "in_file", match.key[1]
        elif match.outcome == "same":
            row_plan.outcome, row_plan.person_id = "matched", match.key
        elif match.outcome == "possible":
            row_plan.outcome = "flagged"
            row_plan.person_id = None if known_row else match.key
            row_plan.same_as_row = match.key[1] if known_row else None
        if row_plan.outcome in ("added", "flagged"):
            registry.add(identity)
        plan.rows.append(row_plan)
    # A record is held when its person already has it, or an earlier row of the file gives it to her.
    person_of_row: dict[int, object] = {}
    for p in plan.rows:
        if p.outcome == "in_file":
            who = person_of_row.get(p.same_as_row, ("row", p.same_as_row))
        elif p.outcome == "matched":
            who = p.person_id
        else:
            who = ("row", p.row.row)
        person_of_row[p.row.row] = who
        key = _record_key(who, p.record)
        if key in held:
            p.held = True
        held.add(key)
    plan.problems.sort(key=lambda problem: problem.row)
    flagged = [p.person_id for p in plan.rows if p.outcome == "flagged" and p.person_id]
    if flagged:
        plan.flagged_names = dict(db.session.execute(select(Person.id, Person.full_name)
                                                     .where(Person.id.in_(flagged[:1000]))).all())
    return plan


@collector_paused()
def apply_training_import(actor: User | None, plan: TrainingPlan, training_import: ExternalTrainingImport) -> dict:
    """Write the new people, their records and the possible duplicates in bulk; refuses a plan with any
    rejected row (nothing written)."""
    if plan.problems:
        raise DomainError("external_training.rows_rejected", _l(
            "Tệp có dòng lỗi nên không được ghi; hãy sửa các dòng được liệt kê rồi nhập lại."), field="file")
    if training_import.status != "preview":
        raise DomainError("external_training.import_done", _l("Tệp này đã được nhập hoặc đã bị hủy."))
    now = utcnow()
    new_rows = [p for p in plan.rows if p.outcome in ("added", "flagged")]
    new_ids = reserve_ids(Person, len(new_rows))
    sort_keys: dict[str, str] = {}
    # A flagged row may give an ID number its look-alike holds (rules.matching): she is written without it.
    taken = taken_id_numbers(p.row.id_number for p in new_rows if p.outcome == "flagged")
    orgs_by_name = {fold(name): org_id
                    for org_id, name in db.session.execute(select(Organisation.id, Organisation.name))}
    insert_rows(Person.__table__, PERSON_COLUMNS,
                [person_values(person_id, p.row, orgs_by_name.get(fold(p.row.unit_name or "")), sort_keys, now,
                               taken)
                 for p, person_id in zip(new_rows, new_ids, strict=True)])
    person_of_row = {p.row.row: person_id for p, person_id in zip(new_rows, new_ids, strict=True)}
    for p in plan.rows:
        if p.outcome == "matched":
            person_of_row[p.row.row] = p.person_id
    for p in plan.rows:
        if p.outcome == "in_file":
            person_of_row[p.row.row] = person_of_row[p.same_as_row]
    records = [(person_of_row[p.row.row], p.record.kind, p.record.title, p.record.provider, p.record.started_on,
                p.record.ended_on, p.record.evidence, p.record.counts_towards_measures, training_import.id, p.row.row,
                now, now) for p in plan.rows if not p.held]
    insert_rows(ExternalTraining.__table__, RECORD_COLUMNS, records)
    flags = [(p.person_id or person_of_row.get(p.same_as_row), person_of_row[p.row.row], p.reason, "open", now, now)
             for p in plan.rows if p.outcome == "flagged"]
    insert_rows(DuplicateFlag.__table__, ("person_id", "other_person_id", "reason", "status", "created_at",
                                          "updated_at"), [f for f in flags if f[0] and f[0] != f[1]])
    report = plan.as_report(written=True)
    training_import.status, training_import.content = "applied", None
    training_import.summary = {k: (len(v) if isinstance(v, list) else v) for k, v in report.items()}
    audit.record(actor, "pool.external_training.imported", training_import, after=training_import.summary,
                 summary=training_import.filename)
    db.session.flush()
    return report


def read_training_file(filename: str, data: bytes, today: date, user: User | None = None) -> TrainingPlan:
    """Read and plan a file (a DomainError refuses the whole file: empty, not a spreadsheet, no header).
    Shown to `user`, a look-alike of the registry is named only when she is within her reach (issue 20)."""
    plan = plan_training_import(read_upload(filename, data, today), today)
    if user is not None and plan.flagged_names and (reach := people_in_reach(user)) is not None:
        shown = set(db.session.scalars(select(Person.id).where(Person.id.in_(plan.flagged_names), reach)))
        plan.flagged_names = {k: v for k, v in plan.flagged_names.items() if k in shown}
    return plan


def store_upload(actor: User | None, filename: str, data: bytes) -> ExternalTrainingImport:
    """Keep an uploaded file for its preview (its content goes once it is applied or discarded)."""
    training_import = ExternalTrainingImport(filename=(filename or "")[:255] or "dao-tao-ngoai",
                                             sha256=hashlib.sha256(data).hexdigest(), size=len(data), content=data,
                                             status="preview", uploaded_by=actor)
    db.session.add(training_import)
    db.session.flush()
    return training_import


def get_import(import_id: int, user: User) -> ExternalTrainingImport:
    """An upload of `user`'s organisation (its preview names the file's people and the registry's look-alikes);
    another organisation's answers as an unknown id. An admin reads every one."""
    training_import = db.session.get(ExternalTrainingImport, import_id)
    uploader = training_import.uploaded_by if training_import is not None else None
    mine = user.role == "admin" or (uploader is not None and user.organisation_id is not None
                                    and uploader.organisation_id == user.organisation_id)
    if training_import is None or not mine:
        raise DomainError("not_found", _l("Không tìm thấy tệp đã tải lên."))
    return training_import


def preview_import(training_import: ExternalTrainingImport, today: date,
                   user: User | None = None) -> TrainingPlan | None:
    """The plan of a file waiting in preview (as `user` may see it); None once it was applied or discarded."""
    if training_import.status != "preview" or training_import.content is None:
        return None
    return read_training_file(training_import.filename, training_import.content, today, user)


def confirm_import(actor: User | None, training_import: ExternalTrainingImport, today: date) -> dict:
    """Apply a previewed file: read and planned again (the registry may have changed since), all or nothing."""
    refuse_if_withdrawn(training_import)
    plan = preview_import(training_import, today)
    if plan is None:
        raise DomainError("external_training.import_done", _l("Tệp này đã được nhập hoặc đã bị hủy."))
    return apply_training_import(actor, plan, training_import)


def discard_import(actor: User | None, training_import: ExternalTrainingImport) -> None:
    if training_import.status != "preview":
        raise DomainError("external_training.import_done", _l("Tệp này đã được nhập hoặc đã bị hủy."))
    training_import.status, training_import.content = "discarded", None
    audit.record(actor, "pool.external_training.import_discarded", training_import, summary=training_import.filename)
    db.session.flush()


def import_training_file(actor: User | None, filename: str, data: bytes, today: date,
                         dry_run: bool = False) -> tuple[dict, bool]:
    """The whole import as the CLI runs it: (its report, whether anything was written)."""
    plan = read_training_file(filename, data, today)
    if dry_run or plan.problems:
        return plan.as_report(written=False), False
    return apply_training_import(actor, plan, store_upload(actor, filename, data)), True

"""Participant lists: reading an agency's file, matching it against the person registry, and
writing it as one roster, all or nothing.

Two phases, as every import here: `plan_import` reads and decides what each row would do
(no writes, an import_plan.ImportPlan); import_writing.apply_import writes the whole plan in bulk,
inside the caller's transaction. Below them, the steps the UI and the CLI drive.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...errors import DomainError
from ...extensions import db
from ...importers.person_list import ReadError, ReadResult, read_person_list
from ...importers.results import RowProblem
from ...messages import Message
from ...models import Enrolment, ListImport, Nomination, Organisation, Person, SeatQuota, TrainingClass, User
from ...models.base import utcnow
from ...rules import numbers
from ...rules.eligibility import eligibility_warnings, guess_org_kind
from ...rules.matching import Identity, Registry
from ...rules.names import fold
from ..core import audit
from ..core.bulk import collector_paused
from . import import_preview
from .import_plan import ImportPlan, RowPlan
from .import_writing import apply_import
from .registry import IN_CHUNK, district_finder, load_blank_fields, load_registry
from .seats import ACTIVE_STATUSES, free_seats

__all__ = ["ACTIVE_STATUSES"]  # where the other areas have always read it


def read_upload(filename: str, data: bytes, today: date, max_rows: int | None = None) -> ReadResult:
    try:
        read = read_person_list(data, filename, today=today, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ReadError as error:
        raise DomainError(error.code, error.message, field="file") from None
    check_row_cap(read, max_rows)
    return read


def list_max_rows() -> int:
    """The most people one participant list may hold in the UI (config LIST_MAX_ROWS)."""
    return int(current_app.config["LIST_MAX_ROWS"])


def read_list_upload(filename: str, data: bytes, today: date) -> ReadResult:
    """A participant list as uploaded in the UI: read_upload, refused past LIST_MAX_ROWS."""
    return read_upload(filename, data, today, list_max_rows())


def _number(value: int) -> str:
    return numbers.integer(value)  # 200.000, as written in Vietnamese


def check_row_cap(read: ReadResult, max_rows: int | None) -> None:
    if max_rows is not None and len(read.rows) > max_rows:
        raise DomainError("lists.too_many_rows", _l(
            "Danh sách có %(found)s người, quá giới hạn %(limit)s người cho một danh sách. Hãy kiểm tra lại tệp "
            "(có thể gửi nhầm tệp) hoặc chia thành nhiều danh sách nhỏ hơn.",
            found=_number(len(read.rows)), limit=_number(max_rows)), field="file")


# --- planning an import ------------------------------------------------------------------------

class _PerValue(dict):
    """f(value), computed once per distinct value: a list repeats its names, units and districts."""

    def __init__(self, function):
        super().__init__()
        self._function = function

    def __missing__(self, value):
        result = self[value] = self._function(value)
        return result


def plan_upload(cls: TrainingClass, source_org: Organisation, filename: str, data: bytes, today: date,
                max_rows: int | None = None, for_writing: bool = True) -> ImportPlan:
    """read_upload then plan_import, with the registry loaded while the file is read (refused past
    `max_rows` people, when given).

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
        # The blanks a list may fill in matter only to a plan that is written (a preview shows none).
        registry, blank_fields = load_registry(), (load_blank_fields() if for_writing else None)
        try:
            read = reading.result()
        except ReadError as error:
            raise DomainError(error.code, error.message, field="file") from None
    check_row_cap(read, max_rows)
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
    for start in range(0, len(flagged_ids), IN_CHUNK):
        names.update(db.session.execute(select(Person.id, Person.full_name)
                                        .where(Person.id.in_(flagged_ids[start:start + IN_CHUNK]))).all())
    filled = seats_filled(cls)
    _mark_waiting(cls.capacity, sum(filled.values()), plans)
    return ImportPlan(cls, source_org, read, plans, _quota_warnings(cls, plans, filled), names,
                      _id_number_conflicts(read, plans), blank_fields, cls.capacity)


def _mark_waiting(capacity: int | None, taken: int, plans: list[RowPlan]) -> None:
    """The rows that would find the class full: each new enrolment in row order takes a free seat while
    one is left, the others go to the waiting list (what import_writing then writes, counted again under
    the class's lock). A person in several rows is enrolled once."""
    left = free_seats(capacity, taken)
    if left is None:
        return
    seen: set = set()
    for plan in plans:
        if plan.outcome in ("added", "flagged"):
            key: object = ("row", plan.row.row)
        elif plan.outcome == "matched":
            key = plan.person_id
        else:
            continue  # on the roster already, or a repeat of a row above
        if key in seen:
            continue
        seen.add(key)
        if left > 0:
            left -= 1
        else:
            plan.waiting = True


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
    for start in range(0, len(known_ids), IN_CHUNK):
        blank.update(db.session.scalars(select(Person.id).where(
            Person.id.in_(known_ids[start:start + IN_CHUNK]), Person.id_number.is_(None))))
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


def _quota_warnings(cls: TrainingClass, plans: list[RowPlan], filled: Counter) -> list[str]:
    """The bodies that would hold more seats than allotted to them (SeatQuota: "suất"); a person on the
    waiting list holds none."""
    quotas = {q.organisation_id: q for q in db.session.scalars(select(SeatQuota).where(SeatQuota.class_id == cls.id))}
    if not quotas:
        return []
    filled = Counter(filled)
    for plan in plans:
        if plan.outcome in ("added", "matched", "flagged") and not plan.waiting:
            filled[plan.body_org_id] += 1
    return [Message("%(org)s: %(num)s người, vượt số suất được phân bổ (%(seats)s suất).", org=q.organisation.name,
                    num=filled[org_id], seats=q.seats)
            for org_id, q in quotas.items() if filled[org_id] > q.seats]


def seats_filled(cls: TrainingClass) -> Counter:
    rows = db.session.execute(select(Enrolment.body_org_id, func.count()).where(
        Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES)).group_by(Enrolment.body_org_id))
    return Counter(dict(rows.all()))


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


# The summary of an upload withdrawn in preview because it named a person whose data was erased
# (privacy.erase_person): submitting or confirming it says why, and writes nothing.
WITHDRAWN_FOR_ERASURE = {"withdrawn": "erasure"}


def refuse_if_withdrawn(upload) -> None:
    """A ListImport, PoolImport or ExternalTrainingImport withdrawn by an erasure is refused with the reason."""
    if upload.status == "discarded" and (upload.summary or {}).get("withdrawn") == "erasure":
        raise DomainError("import.withdrawn_for_erasure", _l(
            "Bản tải lên này đã bị hủy vì trong tệp có người đã được xóa thông tin cá nhân theo yêu cầu; không có gì "
            "được ghi. Hãy tải lên lại tệp sau khi bỏ người đó ra."))


def kept_preview(list_import: ListImport, today: date) -> ImportPlan:
    """An upload's plan for its preview page: as stored with it while nothing it depends on has changed
    (import_preview.state_key), else planned from the file again and stored, so that a file of 3,000 rows
    is read and matched against the registry once, not at every page of its preview. The request commits
    the stored preview with the view's access-log entry."""
    key = import_preview.state_key(list_import, today)
    if list_import.preview_key == key and list_import.preview is not None:
        return import_preview.decode(list_import, list_import.preview)
    plan = plan_upload(list_import.training_class, list_import.source_org, list_import.filename,
                       list_import.content, today, for_writing=False)
    _keep(list_import, plan, key)
    return plan


def preview_upload(list_import: ListImport, read: ReadResult, today: date) -> ImportPlan:
    """Plan a new upload from the file as the upload read it, and keep the plan for its preview pages."""
    key = import_preview.state_key(list_import, today)  # taken first: a change while planning gives another
    plan = plan_import(list_import.training_class, list_import.source_org, read)
    _keep(list_import, plan, key)
    return plan


def _keep(list_import: ListImport, plan: ImportPlan, key: str) -> None:
    list_import.preview, list_import.preview_key = import_preview.encode(plan), key
    db.session.flush()


@collector_paused()
def submit_import(actor: User | None, list_import: ListImport, today: date) -> dict:
    refuse_if_withdrawn(list_import)
    if list_import.status != "preview":
        raise DomainError("lists.already_submitted", _l("Danh sách này đã được gửi hoặc đã bị hủy."))
    check_can_supply(list_import.training_class, list_import.source_org)
    plan = plan_upload(list_import.training_class, list_import.source_org, list_import.filename, list_import.content,
                       today, list_max_rows())
    report = apply_import(actor, plan, list_import)
    list_import.status, list_import.submitted_at = "submitted", utcnow()
    import_preview.forget_preview(list_import)
    list_import.summary = {k: (len(v) if isinstance(v, list) else v) for k, v in report.items()}
    db.session.flush()
    return report


def discard_import(actor: User | None, list_import: ListImport) -> None:
    if list_import.status != "preview":
        raise DomainError("lists.already_submitted", _l("Danh sách này đã được gửi hoặc đã bị hủy."))
    list_import.status = "discarded"
    list_import.content = None  # nothing of an abandoned upload is kept
    import_preview.forget_preview(list_import)
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

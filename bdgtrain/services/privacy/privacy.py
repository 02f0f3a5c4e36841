"""Personal-data protection (Law 91/2025/QH15, Decree 356/2025): a person's dossier, erasure, retention.

- `person_dossier`: everything held about one person, as plain JSON-safe values (registry fields,
  enrolments, attendance, pool entries, outside training, e-mails sent to her, audit events and
  access-log entries about her): the machine-readable export.json; `workbook` writes the Vietnamese
  .xlsx made of it for her (web/privacy/citizen_export.py).
- `erase_person`: irreversible. Her identifying fields are removed; the rows the measures count
  (enrolments, attendance, pool entries, outside training) stay, attached to an anonymous record
  that keeps only what the figures are broken down by (sex, ethnic group, unit). Every class's
  attendance totals and every trained-share figure are therefore the same before and after
  (docs/PRIVACY.md, tests/services/test_privacy.py). Free text about her and her values inside audit
  events are removed too, and so is the content of every stored upload (lists, pool files, training
  records) that names her, whether or not a row of it was written; such an upload still in preview is
  withdrawn, so that submitting it cannot bring her back.
- `purge_imports`: the retention of uploaded list files (IMPORT_RETENTION_DAYS).
"""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import delete, or_, select, update

from ...errors import DomainError
from ...extensions import db
from ...importers.person_list import PersonRow, ReadError, read_person_list
from ...localtime import local_today
from ...models import (
    Attendance,
    AuditEvent,
    Certificate,
    CheckinScan,
    ClassSession,
    DuplicateFlag,
    Enrolment,
    ExternalTraining,
    ExternalTrainingImport,
    FeedbackReceipt,
    ListImport,
    MailMessage,
    Nomination,
    Person,
    PoolEntry,
    PoolImport,
    User,
)
from ...models.base import utcnow
from ...rules.names import fold, sort_key
from ..core import audit, exports
from ..lists.lists import WITHDRAWN_FOR_ERASURE
from . import access_log

ERASED = "[đã xóa]"
# Fields removed by erasure; sex, ethnicity and organisation_id stay (the measures count by them).
ERASED_FIELDS = ("birth_date", "birth_year", "position", "unit_name", "unit_folded", "phone", "email", "id_number")
PERSON_FIELDS = ("full_name", "sex", "birth_date", "birth_year", "ethnicity", "position", "unit_name", "phone",
                 "email", "id_number")


def get_person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise DomainError("not_found", _l("Không tìm thấy người này trong danh bạ."))
    return person


def find_person(person_id: int) -> Person | None:
    """The person an access-log search is filtered by; None when the id names nobody (the search still runs)."""
    return db.session.get(Person, person_id)


def find_people(text: str, limit: int = 50) -> list[Person]:
    """People whose name (without diacritics), phone, e-mail or ID number matches `text`."""
    text = (text or "").strip()
    if len(text) < 2:
        raise DomainError("privacy.search_too_short", _l("Nhập ít nhất 2 ký tự để tìm."), field="q")
    folded = fold(text)
    query = select(Person).where(or_(Person.name_folded.contains(folded), Person.phone == text,
                                     Person.email == text.lower(), Person.id_number == text))
    return list(db.session.scalars(query.order_by(Person.name_sort_key, Person.id).limit(limit)))


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _iso(getattr(obj, name)) for name in fields}


# --- what is held about her ----------------------------------------------------------------------

def _personal_values(person: Person) -> list[str]:
    """Her values as they may appear in free text and audit snapshots (longest first)."""
    values = {person.full_name, person.phone, person.email, person.id_number,
              person.birth_date.isoformat() if person.birth_date else None}
    return sorted((v for v in values if v and len(v) >= 4), key=len, reverse=True)


def _related_ids(person: Person) -> dict[str, list[int]]:
    enrolments = list(db.session.scalars(select(Enrolment.id).where(Enrolment.person_id == person.id)))
    return {
        "Person": [person.id],
        "Enrolment": enrolments,
        "Attendance": list(db.session.scalars(select(Attendance.id).where(Attendance.enrolment_id.in_(enrolments)))),
        "PoolEntry": list(db.session.scalars(select(PoolEntry.id).where(PoolEntry.person_id == person.id))),
        "ExternalTraining": list(db.session.scalars(
            select(ExternalTraining.id).where(ExternalTraining.person_id == person.id))),
        "DuplicateFlag": list(db.session.scalars(select(DuplicateFlag.id).where(or_(
            DuplicateFlag.person_id == person.id, DuplicateFlag.other_person_id == person.id)))),
    }


def _audit_events_about(person: Person, related: dict[str, list[int]]) -> list[AuditEvent]:
    """Events on her or her rows, and events whose summary names her (audit JSON is searched in Python)."""
    conditions = [(AuditEvent.object_type == kind) & AuditEvent.object_id.in_(ids)
                  for kind, ids in related.items() if ids]
    conditions += [AuditEvent.summary.contains(value) for value in _personal_values(person)]
    return list(db.session.scalars(select(AuditEvent).where(or_(*conditions))
                                   .order_by(AuditEvent.occurred_at, AuditEvent.id)))


def person_dossier(person: Person) -> dict[str, Any]:
    """Everything held about her, JSON-safe; what an admin hands over on a request for access."""
    related = _related_ids(person)
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == person.id)
                                         .order_by(Enrolment.id)))
    attendance = db.session.execute(
        select(Attendance, ClassSession, Enrolment).join(ClassSession, ClassSession.id == Attendance.session_id)
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id).where(Enrolment.person_id == person.id)
        .order_by(ClassSession.starts_at)).all()
    pool = db.session.scalars(select(PoolEntry).where(PoolEntry.person_id == person.id).order_by(PoolEntry.id))
    external = db.session.scalars(select(ExternalTraining).where(ExternalTraining.person_id == person.id)
                                  .order_by(ExternalTraining.id))
    mails = db.session.scalars(select(MailMessage).join(Enrolment).where(Enrolment.person_id == person.id)
                               .order_by(MailMessage.id))
    certificates = db.session.scalars(select(Certificate).join(Enrolment).where(Enrolment.person_id == person.id)
                                      .order_by(Certificate.id))
    # That she answered a class's feedback form (never what: on an anonymous plan nothing joins it to her).
    receipts = db.session.scalars(select(FeedbackReceipt).join(Enrolment).where(Enrolment.person_id == person.id)
                                  .order_by(FeedbackReceipt.id))
    return {
        "generated_at": utcnow().isoformat(),
        "person": {"id": person.id, **_row(person, PERSON_FIELDS),
                   "organisation": person.organisation.name if person.organisation else None,
                   "created_at": _iso(person.created_at), "erased_at": _iso(person.erased_at)},
        "enrolments": [{
            "plan": e.training_class.plan.code, "class": e.training_class.code, "class_title": e.training_class.title,
            "status": e.status, "status_note": e.status_note, "created_at": _iso(e.created_at),
            "nominated_by": [n.organisation.name for n in e.nominations],
        } for e in enrolments],
        "attendance": [{
            "class": e.training_class.code, "session": s.label, "session_starts_at": _iso(s.starts_at),
            "status": a.status, "checked_in_at": _iso(a.checked_in_at), "source": a.source, "reason": a.reason,
        } for a, s, e in attendance],
        "pool_entries": [{
            "organisation": p.organisation.name, "cycle": p.cycle, "planned_posts": p.planned_posts,
            "added_on": _iso(p.added_on), "left_on": _iso(p.left_on), "leave_reason": p.leave_reason, "note": p.note,
        } for p in pool],
        "external_trainings": [_row(t, ("title", "provider", "started_on", "ended_on", "evidence",
                                        "counts_towards_measures")) for t in external],
        "emails": [_row(m, ("kind", "status", "recipient", "subject", "created_at", "sent_at")) for m in mails],
        "certificates": [{
            "class": c.enrolment.training_class.code, "number": c.number, "issued_at": _iso(c.issued_at),
            "revoked_at": _iso(c.revoked_at), "revoke_reason": c.revoke_reason,
        } for c in certificates],
        "feedback_answered": [{
            "class": r.enrolment.training_class.code, "kind": r.kind, "answered_on": _iso(r.answered_on),
        } for r in receipts],
        "audit_events": [{
            "occurred_at": _iso(e.occurred_at), "actor": e.actor_label, "action": e.action,
            "object": f"{e.object_type} #{e.object_id}", "summary": e.summary, "before": e.before, "after": e.after,
        } for e in _audit_events_about(person, related)],
        "access_log": [{
            "occurred_at": _iso(a.occurred_at), "actor": a.actor_label, "action": a.action,
            "scope": a.scope_label or f"person #{a.person_id}", "people_count": a.people_count, "detail": a.detail,
        } for a in access_log.accesses_about(person)],
    }


def workbook(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """(sheet name, headings, rows) as a workbook, one sheet each (web/privacy/citizen_export.py gives her
    export's); cells that a spreadsheet would run are defused."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([exports.defuse(_cell(value)) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


# --- erasure -------------------------------------------------------------------------------------

def _scrub(value: Any, secrets: list[str], whole: bool) -> Any:
    """Her values replaced by ERASED; with `whole` (an event on her own record) every personal field too."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, ERASED)
        return value
    if isinstance(value, dict):
        return {k: (ERASED if whole and k in ERASABLE_KEYS and v not in (None, "") else _scrub(v, secrets, whole))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secrets, whole) for v in value]
    return value


ERASABLE_KEYS = set(PERSON_FIELDS) - {"sex", "ethnicity"}


class ImportRetention:
    """The object of the purge's audit event: the uploaded files as a whole."""

    id = None


def erase_person(actor: User | None, person: Person) -> dict[str, int]:
    """Remove her personal data for good; her counted rows stay, anonymous. Returns what was changed."""
    if person.erased_at is not None:
        raise DomainError("privacy.already_erased", _l("Thông tin cá nhân của người này đã được xóa trước đó."))
    related = _related_ids(person)
    secrets = _personal_values(person)
    counts: dict[str, int] = {}

    events = _audit_events_about(person, related)
    for event in events:
        whole = event.object_type == "Person" and event.object_id == person.id
        event.summary = _scrub(event.summary or "", secrets, whole)
        event.before = _scrub(event.before, secrets, whole) if event.before is not None else None
        event.after = _scrub(event.after, secrets, whole) if event.after is not None else None
    counts["audit_events"] = len(events)

    enrolment_ids = related["Enrolment"]
    # The uploaded files she came from hold her row: their content goes (previews cannot be sent any more).
    imports = select(Nomination.list_import_id).where(Nomination.enrolment_id.in_(enrolment_ids),
                                                      Nomination.list_import_id.is_not(None))
    referenced = set(db.session.scalars(select(ListImport.id).where(ListImport.id.in_(imports),
                                                                    ListImport.content.is_not(None))))
    stored = _stored_files_naming(person, referenced)
    for model, ids in stored.items():
        _withdraw(model, ids)
    counts["list_files"] = len(stored[ListImport])
    counts["pool_files"] = len(stored[PoolImport])
    counts["training_record_files"] = len(stored[ExternalTrainingImport])
    db.session.execute(update(Nomination).where(Nomination.enrolment_id.in_(enrolment_ids)).values(source_row=None),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(Enrolment).where(Enrolment.id.in_(enrolment_ids)).values(status_note=None),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(Attendance).where(Attendance.enrolment_id.in_(enrolment_ids)).values(reason=None),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(CheckinScan).where(CheckinScan.enrolment_id.in_(enrolment_ids))
                       .values(scanned_text=None), execution_options={"synchronize_session": False})
    db.session.execute(update(MailMessage).where(MailMessage.enrolment_id.in_(enrolment_ids))
                       .values(recipient=ERASED, last_error=None), execution_options={"synchronize_session": False})
    db.session.execute(update(MailMessage).where(MailMessage.enrolment_id.in_(enrolment_ids),
                                                 MailMessage.status.in_(("queued", "failed")))
                       .values(status="skipped"), execution_options={"synchronize_session": False})
    db.session.execute(update(PoolEntry).where(PoolEntry.person_id == person.id)
                       .values(note=None, planned_posts=None, source_row=None),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(ExternalTraining).where(ExternalTraining.person_id == person.id).values(evidence=None),
                       execution_options={"synchronize_session": False})
    counts["duplicate_flags"] = db.session.execute(delete(DuplicateFlag).where(or_(
        DuplicateFlag.person_id == person.id, DuplicateFlag.other_person_id == person.id)),
        execution_options={"synchronize_session": False}).rowcount or 0
    counts.update(enrolments=len(enrolment_ids), attendance=len(related["Attendance"]),
                  pool_entries=len(related["PoolEntry"]), external_trainings=len(related["ExternalTraining"]))

    label = f"[Đã xóa #{person.id}]"
    person.full_name, person.name_folded, person.name_sort_key = label, fold(label), sort_key(label)
    for name in ERASED_FIELDS:
        setattr(person, name, None)
    person.erased_at = utcnow()
    db.session.flush()
    db.session.expire_all()  # the bulk updates above bypassed the identity map
    audit.record(actor, "privacy.person.erased", person, after=counts,
                 summary="Xóa thông tin cá nhân theo yêu cầu; số liệu điểm danh được giữ ẩn danh.")
    db.session.flush()
    return counts


STORED_UPLOADS = (ListImport, PoolImport, ExternalTrainingImport)


def _stored_files_naming(person: Person, referenced: set[int]) -> dict[type, list[int]]:
    """Ids of the stored uploads, of each kind, whose rows name her (`referenced`: list files known to).

    Every stored file is read again (they are few: their content goes on submission for pool and
    training-record files, and after IMPORT_RETENTION_DAYS for lists); one that can no longer be read
    counts as naming her, since nobody can tell that it does not."""
    today = local_today()  # the day the import read it by: Hà Tĩnh's, as every reader of an upload is given
    found: dict[type, list[int]] = {model: [] for model in STORED_UPLOADS}
    for model in STORED_UPLOADS:
        candidates = db.session.execute(select(model.id, model.filename).where(model.content.is_not(None))
                                        .order_by(model.id)).all()
        for upload_id, filename in candidates:
            if model is ListImport and upload_id in referenced:
                found[model].append(upload_id)
                continue
            content = db.session.scalar(select(model.content).where(model.id == upload_id))
            if content is not None and _file_names_her(content, filename, person, today):
                found[model].append(upload_id)
    return found


def _file_names_her(content: bytes, filename: str, person: Person, today: date) -> bool:
    try:
        read = read_person_list(content, filename, today=today, max_bytes=max(len(content), 1))
    except ReadError:
        return True
    return any(_row_names_her(row, person) for row in read.rows)


def _row_names_her(row: PersonRow, person: Person) -> bool:
    """Her phone, ID number or e-mail, or her name with her birth year (or a birth year unknown on either side)."""
    if (person.phone and row.phone == person.phone) or (person.id_number and row.id_number == person.id_number):
        return True
    if person.email and row.email and row.email.lower() == person.email.lower():
        return True
    if not row.full_name or fold(row.full_name) != person.name_folded:
        return False
    return row.birth_year is None or person.birth_year is None or row.birth_year == person.birth_year


def _preview_gone(model: type) -> dict:
    """A list's or a pool upload's kept preview (its rows as matched) goes with its file."""
    return {"preview": None, "preview_key": None} if model in (ListImport, PoolImport) else {}


def _withdraw(model: type, ids: list[int]) -> None:
    """Their content goes; those still in preview are discarded, marked so that submitting says why."""
    if not ids:
        return
    db.session.execute(update(model).where(model.id.in_(ids)).values(content=None, **_preview_gone(model)),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(model).where(model.id.in_(ids), model.status == "preview")
                       .values(status="discarded", summary=WITHDRAWN_FOR_ERASURE),
                       execution_options={"synchronize_session": False})


# --- retention of uploaded files -----------------------------------------------------------------

def purge_imports(now: datetime, days: int, *, dry_run: bool = False) -> dict[str, int]:
    """Remove the content of uploaded files (participant lists, external training) older than `days`; previews
    left that long are discarded."""
    if days < 0:
        raise DomainError("privacy.bad_retention", _l("Số ngày lưu giữ phải lớn hơn hoặc bằng 0."))
    cutoff = now - timedelta(days=days)
    files = previews = 0
    for model in (ListImport, ExternalTrainingImport):
        old = (model.created_at < cutoff)
        files += db.session.scalar(select(db.func.count()).select_from(model)
                                   .where(old, model.content.is_not(None))) or 0
        previews += db.session.scalar(select(db.func.count()).select_from(model)
                                      .where(old, model.status == "preview")) or 0
        if not dry_run:
            db.session.execute(update(model).where(old, model.status == "preview").values(status="discarded"),
                               execution_options={"synchronize_session": False})
            db.session.execute(update(model).where(old, model.content.is_not(None))
                               .values(content=None, **_preview_gone(model)),
                               execution_options={"synchronize_session": False})
    if not dry_run:
        if files or previews:
            audit.record(None, "privacy.imports.purged", ImportRetention(),
                         after={"files": files, "previews": previews, "days": days, "cutoff": cutoff.isoformat()})
        db.session.flush()
    return {"files": files, "previews": previews, "days": days}

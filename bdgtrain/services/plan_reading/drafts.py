"""Reading a Kế hoạch into a draft, editing the draft, and confirming it into a plan (issue 23).

read_into_draft: the text (from importers/plan_text) is read by rules/plan_reading; a reading with
errors (a day that does not exist, a share over 100%, not a plan at all) is refused and nothing is
stored. Otherwise one draft per organisation and text digest: the same file read twice shows the same
draft, with the organiser's edits. confirm_draft creates the plan, its venue and trainers (found by
name, or created), its classes with their default sessions ("dự kiến" ones as status "planned"), its
targets and report deadlines through the same services a typed plan goes through, all inside one
savepoint: a refusal anywhere leaves nothing. A confirmed draft returns its plan: confirming twice
creates one plan. Audited as plan.reading.drafted / .edited / .confirmed.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...errors import DomainError
from ...extensions import db
from ...models import MEASURES, Organisation, PlanReadingDraft, Trainer, User, Venue
from ...models.base import utcnow
from ...models.planning import Plan
from ...rules.dates import DateExpressionError, format_vn_date, parse_date_expression, parse_vn_date
from ...rules.deadlines import DeadlineSpec, format_deadlines
from ...rules.names import fold
from ...rules.plan_reading import PlanReading, read_plan_text
from ..core import audit
from ..planning import planning
from ..planning.directory import TrainerInput, VenueInput, save_trainer, save_venue
from ..reporting.targets import TargetInput, create_target

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

MAX_FIELD_CHARS = 5000


def text_digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _initial_fields(reading: PlanReading, digest: str) -> dict:
    data = reading.to_json()
    year = reading.year
    period = reading.period or ((date(year, 1, 1), date(year, 12, 31), "") if year else None)
    women_lists = any("can bo nu" in fold(s.source) for s in reading.suppliers)
    classes = []
    for c in data["classes"]:
        for_women = "nu" in fold(c["audience"] or "").split()
        classes.append({"code": c["code"], "name": c["name"], "content": c["content"] or "",
                        "audience": c["audience"] or "", "date_expression": c["date_expression"],
                        "tentative": c["tentative"], "venue": c["venue"] or "",
                        "suppliers": bool(reading.suppliers) and (for_women or not women_lists)})
    return {
        "code": f"KH-{year or 'X'}-{digest[:4].upper()}",
        "number": data["number"] or "", "title": data["title"] or "",
        "issuing_body": data["issuing_body"] or "", "issued_on": _shown_day(data["issued_on"]),
        "period_start": format_vn_date(period[0]) if period else "",
        "period_end": format_vn_date(period[1]) if period else "",
        "venue_note": data["venue_note"] or "",
        "trainers": [{k: t[k] for k in ("name", "academic_title", "affiliation")} for t in data["trainers"]],
        "organiser": data["organiser"] or "", "suppliers": data["suppliers"],
        "classes": classes,
        "targets": [{"text": t["text"], "subject": t["subject"], "percent": round(t["share"] * 100),
                     "year": t["year"] or year, "measure": t["measure"] or "", "include": bool(t["measure"])}
                    for t in data["targets"]],
        "deadlines": [{"label": d["label"], "day": d["day"], "month": d["month"], "year": d["year"]}
                      for d in data["report_deadlines"]],
        "recipients": data["recipients"],
    }


def read_text(text: str) -> PlanReading:
    """The reading of a text, refused (DomainError, in Vietnamese) when it holds an error."""
    reading = read_plan_text(text)
    if reading.errors:
        raise DomainError("plan.reading_invalid", "; ".join(str(e.message) for e in reading.errors))
    return reading


def read_into_draft(actor: User | None, organisation: Organisation, text: str,
                    source_name: str = "") -> PlanReadingDraft:
    digest = text_digest(text)
    existing = db.session.scalar(select(PlanReadingDraft).where(PlanReadingDraft.organisation_id == organisation.id,
                                                                PlanReadingDraft.digest == digest))
    if existing is not None:
        return existing
    reading = read_text(text)
    draft = PlanReadingDraft(token=secrets.token_urlsafe(18), organisation_id=organisation.id,
                             created_by_id=actor.id if actor else None, digest=digest,
                             source_name=(source_name or "")[:255], text=text, reading=reading.to_json(),
                             fields=_initial_fields(reading, digest))
    db.session.add(draft)
    db.session.flush()
    audit.record(actor, "plan.reading.drafted", draft, after={"source_name": draft.source_name, "digest": digest,
                                                              "classes": len(reading.classes),
                                                              "targets": len(reading.targets)},
                 summary=draft.source_name or digest[:12])
    return draft


def get_draft(user: User, token: str) -> PlanReadingDraft:
    """The draft, to its own organisation's people (and admins) only; anyone else gets not_found."""
    draft = db.session.scalar(select(PlanReadingDraft).where(PlanReadingDraft.token == (token or "")[:40]))
    if draft is None or (user.role != "admin" and draft.organisation_id != user.organisation_id):
        raise DomainError("not_found", _l("Không tìm thấy bản nháp kế hoạch."))
    return draft


def _text(value, limit: int = MAX_FIELD_CHARS) -> str:
    return " ".join(str(value or "").split())[:limit]


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def clean_fields(fields: dict) -> dict:
    """The editable fields as plain, bounded values (whatever a form or a script sent)."""
    out = {name: _text(fields.get(name)) for name in ("title", "issuing_body", "venue_note", "organiser")}
    limits = {"code": 40, "number": 80, "issued_on": 10, "period_start": 10, "period_end": 10}  # the columns' own
    out.update({name: _text(fields.get(name), limit) for name, limit in limits.items()})
    out["trainers"] = [{k: _text(t.get(k), 255) or None for k in ("name", "academic_title", "affiliation")}
                       for t in fields.get("trainers") or [] if _text(t.get("name"))][:50]
    out["suppliers"] = [_text(s, 255) for s in fields.get("suppliers") or [] if _text(s)][:20]
    out["classes"] = [{"code": _text(c.get("code"), 40), "name": _text(c.get("name"), 255),
                       "content": _text(c.get("content")), "audience": _text(c.get("audience")),
                       "date_expression": _text(c.get("date_expression"), 120), "tentative": bool(c.get("tentative")),
                       "venue": _text(c.get("venue"), 255), "suppliers": bool(c.get("suppliers"))}
                      for c in fields.get("classes") or []][:100]
    out["targets"] = [{"text": _text(t.get("text"), 255), "subject": _text(t.get("subject")),
                       "percent": _int(t.get("percent")), "year": _int(t.get("year")),
                       "measure": _text(t.get("measure"), 40), "include": bool(t.get("include"))}
                      for t in fields.get("targets") or []][:100]
    out["deadlines"] = [{"label": _text(d.get("label"), 120), "day": _int(d.get("day")), "month": _int(d.get("month")),
                         "year": _int(d.get("year"))} for d in fields.get("deadlines") or []][:50]
    out["recipients"] = [_text(r, 255) for r in fields.get("recipients") or [] if _text(r)][:100]
    return out


def update_draft(actor: User | None, draft: PlanReadingDraft, fields: dict) -> PlanReadingDraft:
    if draft.plan_id is not None:
        raise DomainError("plan.reading_confirmed", _l("Bản nháp này đã được xác nhận thành kế hoạch."))
    before = draft.fields
    draft.fields = clean_fields(fields)
    db.session.flush()
    old, new = audit.changed_fields(before, draft.fields)
    if new:
        audit.record(actor, "plan.reading.edited", draft, before=old, after=new, summary=draft.source_name)
    return draft


def _shown_day(iso: str | None) -> str:
    """A day as the review page shows and takes it: dd/mm/yyyy."""
    return format_vn_date(date.fromisoformat(iso)) if iso else ""


def _day(text: str, what: str) -> date | None:
    """A day typed on the review page, dd/mm/yyyy (an ISO day from an older draft still reads)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else parse_vn_date(text)
    except (ValueError, DateExpressionError):
        raise DomainError("plan.reading_bad_day", _l("%(what)s “%(text)s” không phải một ngày.", what=what,
                                                     text=text)) from None


def _validate(fields: dict) -> list[DeadlineSpec]:
    if not fields["title"]:
        raise DomainError("plan.reading_no_title", _l("Kế hoạch chưa có tên."), field="title")
    if not fields["code"]:
        raise DomainError("plan.reading_no_code", _l("Kế hoạch chưa có mã."), field="code")
    for c in fields["classes"]:
        if not c["date_expression"]:
            raise DomainError("plan.reading_class_no_date", _l("%(name)s chưa có ngày tổ chức.", name=c["name"]))
        try:
            parse_date_expression(c["date_expression"])
        except DateExpressionError as error:
            raise DomainError(error.code, _l("%(name)s: %(problem)s", name=c["name"], problem=error.message)) from None
    for t in fields["targets"]:
        if not t["include"]:
            continue
        if t["percent"] is None or not 1 <= t["percent"] <= 100:
            raise DomainError("target.value_range", _l("Chỉ tiêu “%(text)s”: giá trị phải từ 1 đến 100 phần trăm.",
                                                       text=t["text"]))
        if t["measure"] not in MEASURES:
            raise DomainError("target.unknown_measure", _l("Chỉ tiêu “%(text)s”: hãy chọn thước đo, hoặc bỏ chọn "
                                                           "chỉ tiêu này.", text=t["text"]))
        if t["year"] is None or not 1900 <= t["year"] <= 2100:
            raise DomainError("target.deadline_missing", _l("Chỉ tiêu “%(text)s”: hãy nhập năm phải đạt.",
                                                            text=t["text"]))
    specs = []
    for d in fields["deadlines"]:
        try:
            date(d["year"] or 2000, d["month"] or 0, d["day"] or 0)
        except (ValueError, TypeError):
            raise DomainError("plan.deadline_invalid", _l("Hạn báo cáo “%(label)s”: ngày %(day)s/%(month)s không "
                                                          "tồn tại.", label=d["label"], day=d["day"],
                                                          month=d["month"])) from None
        specs.append(DeadlineSpec(d["label"] or "Báo cáo", d["day"], d["month"], d["year"]))
    return specs


def _venue(actor: User | None, name: str, note: str) -> Venue | None:
    if not name:
        return None
    found = db.session.scalar(select(Venue).where(func.lower(Venue.name) == name.lower()))
    return found or save_venue(actor, VenueInput(name=name, address=note or None))


def _trainer(actor: User | None, data: dict) -> Trainer:
    found = db.session.scalar(select(Trainer).where(func.lower(Trainer.name) == data["name"].lower()))
    return found or save_trainer(actor, TrainerInput(name=data["name"], academic_title=data["academic_title"],
                                                     affiliation=data["affiliation"]))


def _org_named(name: str) -> Organisation | None:
    key = fold(name)
    for org in db.session.scalars(select(Organisation)):
        if fold(org.name) == key or fold(org.name).startswith(key + " ("):
            return org
    return None


def confirm_draft(actor: User | None, draft: PlanReadingDraft) -> Plan:
    """The plan the draft becomes; the same plan when it was already confirmed."""
    # Two clicks at once on PostgreSQL: the second waits here for the first, then finds its plan.
    db.session.flush()  # keep unflushed edits: refresh reloads the row
    db.session.refresh(draft, with_for_update=True)
    if draft.plan_id is not None and draft.plan is not None:
        return draft.plan
    fields = clean_fields(draft.fields)
    specs = _validate(fields)
    with db.session.begin_nested():  # a refusal below undoes the plan, classes and targets made before it
        issuing = _org_named(fields["issuing_body"]) if fields["issuing_body"] else None
        plan = planning.create_plan(actor, planning.PlanInput(
            code=fields["code"], number=fields["number"], title=fields["title"],
            organiser_org_id=draft.organisation_id, issuing_org_id=issuing.id if issuing else None,
            issued_on=_day(fields["issued_on"], _l("Ngày ban hành")),
            period_start=_day(fields["period_start"], _l("Ngày bắt đầu")),
            period_end=_day(fields["period_end"], _l("Ngày kết thúc")),
            description=f"Đọc từ “{draft.source_name}”." if draft.source_name else None,
            deadlines_text=format_deadlines(specs)))
        trainers = [_trainer(actor, t) for t in fields["trainers"]]
        suppliers = [org for org in (_org_named(s) for s in fields["suppliers"]) if org is not None]
        for c in fields["classes"]:
            venue = _venue(actor, c["venue"], fields["venue_note"])
            planning.create_class(actor, plan, planning.ClassInput(
                code=c["code"], title=c["name"], date_expression=c["date_expression"], content=c["content"] or None,
                audience=c["audience"] or None, venue_id=venue.id if venue else None,
                status="planned" if c["tentative"] else "confirmed", trainer_ids=[t.id for t in trainers],
                supplier_org_ids=[o.id for o in suppliers] if c["suppliers"] else []))
        for t in fields["targets"]:
            if t["include"]:
                create_target(actor, plan, TargetInput(measure=t["measure"], value_percent=t["percent"],
                                                       deadline=date(t["year"], 12, 31),
                                                       source=(t["subject"] or t["text"])[:1000]))
        draft.plan = plan
        draft.confirmed_at = utcnow()
        db.session.flush()
        audit.record(actor, "plan.reading.confirmed", draft, after={"plan": plan.code,
                                                                    "classes": len(fields["classes"])},
                     summary=plan.code)
    return plan

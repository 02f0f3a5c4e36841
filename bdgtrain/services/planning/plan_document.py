"""A plan's Kế hoạch as an official document (issue 23, "write a plan"): its facts, its editable texts, its files.

The facts (classes, venue, trainers, suppliers, monitors, targets, report deadlines, funding) are read from
the plan; rules/plan_document.py words them in the seeds' structure. The organiser may rewrite every
generated section, the number, place and day, the signer and the recipients before issue: they are kept per
plan (PlanDocument); without a saved row the document says what is generated from the plan as it is now.
The classes part is always the plan's own classes (edit a class to change it). The document is laid out by
documents/ (Decree 30/2020), dated on its own issue day, so the same plan gives the same bytes. Services
flush and audit (`plan.document.*`); the request commits.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...documents.docx_writer import write_docx
from ...documents.model import Document, Heading, Paragraph, Signature
from ...documents.pdf_writer import write_pdf
from ...errors import DomainError
from ...extensions import db
from ...localtime import to_local
from ...models import Organisation, Plan, PlanDocument, TrainingClass, User
from ...rules import plan_document as words
from ...rules.dates import DateExpressionError, parse_date_expression
from ...rules.official_documents import recipient_lines
from ..core import audit
from .document_settings import check_signer, document_defaults, document_header, signature_of
from .orgs import name_on

FORMATS = {"docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", write_docx),
           "pdf": ("application/pdf", write_pdf)}
KIND = "KẾ HOẠCH"
TEXT_LIMIT = 20000
FIELD_LIMITS = {"number": 80, "place": 120, "signer_authority": 120, "signer_title": 120, "signer_name": 120,
                "recipients": 4000, **{name: TEXT_LIMIT for name in words.SECTIONS}}
SECTION_LABELS = {
    "preamble": _l("Câu mở đầu (căn cứ ban hành)"), "purpose": _l("Mục đích"), "requirements": _l("Yêu cầu"),
    "venue": _l("Địa điểm"), "materials": _l("Tài liệu và phương pháp"), "trainers": _l("Giảng viên"),
    "assignments": _l("Phân công thực hiện"), "funding": _l("Kinh phí"), "closing": _l("Câu kết"),
    "number": _l("Số hiệu"), "place": _l("Địa danh"), "issued_on": _l("Ngày ban hành"),
    "signer_title": _l("Chức vụ người ký"), "signer_name": _l("Họ tên người ký"), "recipients": _l("Nơi nhận"),
}


@dataclass
class PlanDocumentInput:
    """What the organiser may change before issue; the texts one paragraph a line."""

    number: str
    place: str
    issued_on: date | None
    preamble: str = ""
    purpose: str = ""
    requirements: str = ""
    venue: str = ""
    materials: str = ""
    trainers: str = ""
    assignments: str = ""
    funding: str = ""
    closing: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: str = ""


def _natural(code: str) -> tuple:
    """"LOP-2" before "LOP-10": the plan's numbering, not the string order."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def plan_classes(plan: Plan) -> list[TrainingClass]:
    """The classes the Kế hoạch lists: all but the cancelled ones, in the plan's numbering; with their
    sessions, trainers and suppliers (what the document reads) in one statement each, not one per class."""
    classes = db.session.scalars(
        select(TrainingClass).where(TrainingClass.plan_id == plan.id)
        .options(selectinload(TrainingClass.sessions), selectinload(TrainingClass.trainers),
                 selectinload(TrainingClass.supplier_orgs), joinedload(TrainingClass.venue)))
    return sorted((c for c in classes if not c.is_cancelled), key=lambda c: _natural(c.code))


def class_days(cls: TrainingClass) -> tuple[date, ...]:
    """The class's days as its plan wrote them; from its sessions when the expression does not read."""
    try:
        return tuple(parse_date_expression(cls.date_expression))
    except DateExpressionError:
        return tuple(sorted({to_local(s.starts_at).date() for s in cls.sessions if s.status != "cancelled"}))


def _venue(cls: TrainingClass) -> str:
    if cls.venue is None:
        return ""
    address = " ".join((cls.venue.address or "").split())
    return f"{cls.venue.name} ({address})" if address else cls.venue.name


def _trainers(classes: list[TrainingClass]) -> tuple[str, ...]:
    seen: dict[int, str] = {}
    for cls in classes:
        for trainer in cls.trainers:
            affiliation = " ".join((trainer.affiliation or "").split())
            seen.setdefault(trainer.id, f"{trainer.display_name}, {affiliation}" if affiliation
                            else trainer.display_name)
    return tuple(seen.values())


def _lead_order(org: Organisation) -> tuple:
    """Among a class's suppliers the department leads the lists (seed 004: Sở Nội vụ chủ trì, phối hợp với Hội
    LHPN), then the others in the order they were made."""
    return (org.kind != "department", org.id)


def _agencies(plan: Plan, classes: list[TrainingClass], day: date) -> tuple[words.AgencyFacts, ...]:
    order: list[Organisation] = []
    supplies: dict[int, list[str]] = {}
    leads: dict[int, bool] = {}
    partners: dict[int, list[str]] = {}
    for cls in classes:
        suppliers = sorted(cls.supplier_orgs, key=_lead_order)
        for index, org in enumerate(suppliers):
            if org.id == plan.organiser_org_id:
                continue
            if org not in order:
                order.append(org)
            supplies.setdefault(org.id, []).append(" ".join(cls.title.split()))
            leads[org.id] = leads.get(org.id, False) or index == 0
            for other in suppliers:
                name = name_on(other, day)
                if other.id != org.id and name not in partners.setdefault(org.id, []):
                    partners[org.id].append(name)
    monitors = {org.id for org in plan.monitor_orgs}
    order += sorted((o for o in plan.monitor_orgs if o not in order and o.id != plan.organiser_org_id),
                    key=lambda o: o.id)
    return tuple(words.AgencyFacts(name=name_on(org, day), supplies=tuple(supplies.get(org.id, ())),
                                   leads=leads.get(org.id, False), partners=tuple(partners.get(org.id, ())),
                                   monitors=org.id in monitors) for org in order)


def issuer_of(plan: Plan) -> Organisation:
    return plan.issuing_org or plan.organiser_org


def plan_facts(plan: Plan, day: date, classes: list[TrainingClass] | None = None) -> words.PlanFacts:
    """What the plan says, as the rules take it; names as they were on `day` (the document's issue day).
    `classes`: plan_classes(plan) when the caller has read them already."""
    classes = plan_classes(plan) if classes is None else classes
    return words.PlanFacts(
        title=plan.title, issuing_body=name_on(issuer_of(plan), day), organiser=name_on(plan.organiser_org, day),
        basis=plan.description or "", funding_source=plan.funding_source or "",
        classes=tuple(words.ClassFacts(title=c.title, content=c.content or "", audience=c.audience or "",
                                       days=class_days(c), tentative=c.status == "planned", venue=_venue(c))
                      for c in classes),
        trainers=_trainers(classes), agencies=_agencies(plan, classes, day),
        targets=tuple(words.TargetFacts(t.measure, t.value_percent, t.deadline) for t in getattr(plan, "targets", [])),
        deadlines=tuple(words.DeadlineFacts(d.label, d.due_day, d.due_month, d.due_year)
                        for d in plan.report_deadlines))


def default_issue_day(plan: Plan, classes: list[TrainingClass] | None = None) -> date:
    """The plan's own issue day, else its first day, else its first class's: never today, so that the same plan
    gives the same file on any day."""
    if plan.issued_on:
        return plan.issued_on
    if plan.period_start:
        return plan.period_start
    days = [d for c in (plan_classes(plan) if classes is None else classes) for d in class_days(c)]
    return min(days) if days else to_local(plan.created_at).date()


def default_input(plan: Plan) -> PlanDocumentInput:
    """What a plan's Kế hoạch says before anyone edits it."""
    return _generated(plan, plan_classes(plan))[0]


def _generated(plan: Plan, classes: list[TrainingClass]) -> tuple[PlanDocumentInput, words.PlanFacts]:
    """The generated texts and the facts they were worded from (dated on the default issue day)."""
    issued_on = default_issue_day(plan, classes)
    facts = plan_facts(plan, issued_on, classes)
    sections = words.default_sections(facts)
    issuer = issuer_of(plan)
    settings = document_defaults(issuer)
    if settings.has_signer:
        signer = (settings.signer_authority, settings.signer_title, settings.signer_name)
    elif words.is_peoples_committee(facts.issuing_body):
        signer = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "")
    else:
        signer = ("", "", "")
    place = settings.place or words.place_of(facts.issuing_body) or document_defaults(plan.organiser_org).place
    return PlanDocumentInput(number=plan.number, place=place, issued_on=issued_on,
                             **{name: getattr(sections, name) for name in words.SECTIONS},
                             signer_authority=signer[0], signer_title=signer[1], signer_name=signer[2],
                             recipients=words.default_recipients(facts)), facts


def saved_document(plan: Plan) -> PlanDocument | None:
    return getattr(plan, "document", None)


def document_input(plan: Plan) -> PlanDocumentInput:
    """The texts the plan's document prints: the saved ones, else the generated ones."""
    kept = saved_document(plan)
    if kept is None:
        return default_input(plan)
    return _kept_input(kept)


def _kept_input(kept: PlanDocument) -> PlanDocumentInput:
    return PlanDocumentInput(**{f.name: getattr(kept, f.name) for f in fields(PlanDocumentInput)})


def document_and_facts(plan: Plan) -> tuple[PlanDocumentInput, words.PlanFacts]:
    """The texts the document prints and the plan's facts on its issue day, the plan's classes read once
    (the Kế hoạch of 204 classes read them three times a page: 24 statements, 1 s)."""
    classes = plan_classes(plan)
    kept = saved_document(plan)
    if kept is None:
        return _generated(plan, classes)
    data = _kept_input(kept)
    return data, plan_facts(plan, data.issued_on, classes)


def _clean(data: PlanDocumentInput) -> dict:
    values = {}
    for f in fields(PlanDocumentInput):
        value = getattr(data, f.name)
        if f.name == "issued_on":
            values[f.name] = value
        elif f.name == "recipients":
            values[f.name] = "\n".join(recipient_lines(value or ""))
        elif f.name in words.SECTIONS:
            values[f.name] = "\n".join(line.strip() for line in (value or "").replace("\r\n", "\n").split("\n")
                                       if line.strip())
        else:
            values[f.name] = " ".join((value or "").split())
    return values


def _check(values: dict) -> None:
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            raise DomainError("plan_document.too_long", _l("%(field)s quá dài (tối đa %(limit)s ký tự).",
                                                           field=SECTION_LABELS.get(name, name), limit=limit),
                              field=name)
    for name in ("number", "place", *words.REQUIRED_SECTIONS):
        if not values[name]:
            raise DomainError("plan_document.missing", _l("Hãy nhập “%(field)s”.", field=SECTION_LABELS[name]),
                              field=name)
    if values["issued_on"] is None:
        raise DomainError("plan_document.missing", _l("Hãy nhập “%(field)s”.", field=SECTION_LABELS["issued_on"]),
                          field="issued_on")
    if values["signer_title"] or values["signer_name"]:
        check_signer(values["signer_title"], values["signer_name"])


def save_plan_document(actor: User | None, plan: Plan, data: PlanDocumentInput) -> PlanDocument:
    """Keep the edited texts; refused (nothing written) when a required part is empty or a text too long."""
    values = _clean(data)
    _check(values)
    kept = saved_document(plan)
    before = None
    if kept is None:
        kept = PlanDocument(plan=plan)
        db.session.add(kept)
    else:
        before = {name: getattr(kept, name) for name in values}
    for name, value in values.items():
        setattr(kept, name, value)
    db.session.flush()
    changed = sorted(name for name in values if before is None or before[name] != values[name])
    audit.record(actor, "plan.document.saved", plan, after={"changed": changed, "number": values["number"],
                                                            "issued_on": values["issued_on"].isoformat()},
                 summary=plan.code)
    return kept


def reset_plan_document(actor: User | None, plan: Plan) -> None:
    """Forget the edits: the document says again what is generated from the plan."""
    kept = saved_document(plan)
    if kept is None:
        return
    before = {name: value.isoformat() if isinstance(value, date) else value
              for name, value in asdict(document_input(plan)).items()}
    plan.document = None
    db.session.flush()
    audit.record(actor, "plan.document.reset", plan, before=before, summary=plan.code)


def _outline(text: str) -> list:
    return [Paragraph(line) if level == 0 else Heading(line, level) for level, line in words.outline(text)]


def _classes_part(plan: Plan, facts: words.PlanFacts) -> list:
    parts = words.class_parts(facts.classes)
    if not parts:
        return [Paragraph("Chưa có lớp tập huấn.")]
    blocks: list = []
    for part in parts:
        blocks += [Heading(part.heading, 3), *(Paragraph(line) for line in part.lines)]
    return blocks


def _signature(data: PlanDocumentInput) -> Signature | None:
    """The signer, none until both title and name are given. A People's Committee's deputy signs under two
    authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"; seed 004), typed with a slash between them."""
    if not (data.signer_title.strip() and data.signer_name.strip()):
        return None
    signature = signature_of("", data.signer_title, data.signer_name)
    lines = [" ".join(part.split()).upper() for part in data.signer_authority.split("/") if part.strip()]
    return replace(signature, authority="\n".join(lines))


def plan_document(plan: Plan, data: PlanDocumentInput | None = None) -> Document:
    """The Kế hoạch as documents.model.Document, from `data` (default: what is saved or generated)."""
    if data is None:
        data, facts = document_and_facts(plan)
    else:
        facts = plan_facts(plan, data.issued_on)
    heads = words.HEADINGS
    body: list = _outline(data.preamble)
    body += [Heading(heads["purposes"], 1), Heading(heads["purpose"], 2), *_outline(data.purpose),
             Heading(heads["requirements"], 2), *_outline(data.requirements),
             Heading(heads["content"], 1), Heading(heads["classes"], 2), *_classes_part(plan, facts)]
    for name in ("venue", "materials", "trainers"):
        if getattr(data, name).strip():
            body += [Heading(heads[name], 2), *_outline(getattr(data, name))]
    body += [Heading(heads["assignments"], 1), *_outline(data.assignments),
             Heading(heads["funding"], 1), *_outline(data.funding), *_outline(data.closing)]
    header = document_header(issuer_of(plan), data.number, data.place, data.issued_on)
    signature = _signature(data)
    summary = words.summary_of(plan.title)
    return Document(header=header, kind=KIND, summary=summary, body=tuple(body), signature=signature,
                    recipients=recipient_lines(data.recipients), title=f"{KIND} {summary}",
                    meta={"subject": f"{plan.code}: Kế hoạch số {data.number}"})


def plan_document_file(plan: Plan, fmt: str) -> bytes:
    """The plan's Kế hoạch as .docx or PDF bytes; the same plan and texts give the same bytes."""
    if fmt not in FORMATS:
        raise DomainError("plan_document.format", _l("Chỉ xuất được .docx hoặc .pdf."))
    return FORMATS[fmt][1](plan_document(plan))

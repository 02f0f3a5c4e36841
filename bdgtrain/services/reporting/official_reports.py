"""A periodic report's life as an official document: a draft written and rewritten, then issued and frozen.

Issuing checks what the state requires of a document sent (a signer, a number not used yet that year
by the same agency), draws its .docx, PDF and .xlsx once and keeps them: they download again byte for
byte. An issued report is never edited; a correction is a new draft that says which report it
replaces. Services flush and audit (`plan.report.*`); the request commits.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import Organisation, PeriodicReport, PeriodicReportFile, Plan, User
from ...models.base import utcnow
from ...rules.official_documents import report_label, statistical_period
from ..core import audit
from ..planning.document_settings import check_signer, document_defaults
from .periodic_reports import ReportInput, apply_input, report_issuer
from .report_document import render_files, sha256

# Within this long after a period's end a report is usually dated today; later, it is dated on the period's
# end by default (a 2019 report written in 2026 is dated as of when it would have been sent).
RECENT = timedelta(days=30)


def _refuse_unless_draft(report: PeriodicReport) -> None:
    if report.is_issued:
        raise DomainError("report.issued_frozen", _l("Báo cáo đã ban hành không sửa được; hãy lập bản đính chính."))


def update_report(actor: User | None, report: PeriodicReport, data: ReportInput) -> PeriodicReport:
    """Rewrite a draft with `data`; its figures are computed again."""
    _refuse_unless_draft(report)
    apply_input(report, report.plan, data)
    db.session.flush()
    audit.record(actor, "plan.report.updated", report, after={"label": report.label, "number": report.number},
                 summary=f"{report.plan.code}: {report.label}")
    return report


def _number_taken(report: PeriodicReport) -> PeriodicReport | None:
    return db.session.scalar(select(PeriodicReport).where(
        PeriodicReport.status == "issued", PeriodicReport.id != report.id,
        PeriodicReport.issuer_org_id == report.issuer_org_id, PeriodicReport.number_year == report.number_year,
        PeriodicReport.number == report.number))


def issue_report(actor: User | None, report: PeriodicReport, now: datetime | None = None) -> PeriodicReport:
    """Freeze a draft: refuse without a signer or with a number already issued by its agency that year; else
    draw its three files once and keep them. Nothing is written when it is refused."""
    _refuse_unless_draft(report)
    check_signer(report.signer_title, report.signer_name)
    taken = _number_taken(report)
    if taken is not None:
        raise DomainError("report.number_taken", _l(
            "Số %(number)s đã được dùng cho báo cáo “%(label)s” của cùng cơ quan trong năm %(year)s: hãy nhập số khác.",
            number=report.number, label=taken.label, year=report.number_year), field="number")
    report.status, report.issued_at, report.issued_by_id = "issued", now or utcnow(), actor.id if actor else None
    for fmt, content in render_files(report).items():
        report.files.append(PeriodicReportFile(format=fmt, content=content, sha256=sha256(content)))
    db.session.flush()
    audit.record(actor, "plan.report.issued", report, after={
        "label": report.label, "number": report.number, "issued_on": report.issued_on.isoformat(),
        "files": {f.format: f.sha256 for f in report.files},
        "replaces": report.replaces_id}, summary=f"{report.plan.code}: {report.label} {report.number}")
    return report


def start_correction(actor: User | None, report: PeriodicReport) -> PeriodicReport:
    """A new draft copying an issued report, that says it replaces it; it needs a number of its own."""
    if not report.is_issued:
        raise DomainError("report.not_issued", _l("Chỉ lập bản đính chính cho báo cáo đã ban hành."))
    copy = PeriodicReport(status="draft", generated_by_id=actor.id if actor else None, replaces_id=report.id,
                          figures=dict(report.figures))
    for name in ("plan_id", "organisation_id", "issuer_org_id", "label", "kind", "period_start", "period_end",
                 "as_of", "number", "number_year", "place", "issued_on", "results_text", "shortcomings_text",
                 "tasks_text", "recommendations_text", "signer_authority", "signer_title", "signer_name",
                 "recipients"):
        setattr(copy, name, getattr(report, name))
    db.session.add(copy)
    db.session.flush()
    audit.record(actor, "plan.report.correction_started", copy, after={"replaces": report.id},
                 summary=f"{report.plan.code}: {report.label}")
    return copy


def delete_draft(actor: User | None, report: PeriodicReport) -> None:
    _refuse_unless_draft(report)
    audit.record(actor, "plan.report.draft_deleted", report, before={"label": report.label, "number": report.number},
                 summary=f"{report.plan.code}: {report.label}")
    db.session.delete(report)
    db.session.flush()


def previous_report(plan: Plan, organisation_id: int | None, before: date | None = None) -> PeriodicReport | None:
    """The latest report of the same plan and unit (issued first), whose text a new draft starts from."""
    query = select(PeriodicReport).where(PeriodicReport.plan_id == plan.id,
                                         PeriodicReport.organisation_id.is_(None) if organisation_id is None
                                         else PeriodicReport.organisation_id == organisation_id)
    if before is not None:
        query = query.where(PeriodicReport.period_end < before)
    return db.session.scalar(query.order_by((PeriodicReport.status == "issued").desc(),
                                            PeriodicReport.period_end.desc(), PeriodicReport.id.desc()).limit(1))


@dataclass
class DraftDefaults:
    data: ReportInput
    carried_from: PeriodicReport | None  # the report whose text it starts from
    signer_from_settings: bool  # the signer and recipients come from the issuing agency's saved defaults


def default_issue_day(period_end: date, today: date) -> date:
    return today if period_end <= today <= period_end + RECENT else period_end


def draft_defaults(plan: Plan, kind: str, year: int, org: Organisation | None, today: date) -> DraftDefaults:
    """What a new report of `kind` for `year` starts from: the decree's period, its label, the issuing agency's
    place, signer and recipients, and the text of the previous report of the same plan and unit."""
    start, end = statistical_period(kind, year)
    issued_on = default_issue_day(end, today)
    issuer = report_issuer(plan, org, issued_on)
    settings = document_defaults(issuer)
    suffix = settings.number_suffix or "BC"
    data = ReportInput(label=report_label(kind, year), period_start=start, period_end=end, number=f"/{suffix}",
                       place=settings.place, issued_on=issued_on, organisation_id=org.id if org else None, kind=kind,
                       signer_authority=settings.signer_authority, signer_title=settings.signer_title,
                       signer_name=settings.signer_name, recipients=settings.recipients)
    previous = previous_report(plan, org.id if org else None, before=end)
    if previous is not None:
        for name in ReportInput.TEXTS:
            setattr(data, name, getattr(previous, name))
    return DraftDefaults(data, previous, settings.has_signer)


def input_of(report: PeriodicReport) -> ReportInput:
    """A kept report as the input that would write it again (the edit form, the command line)."""
    names = {f.name for f in fields(ReportInput)}
    return ReportInput(**{name: getattr(report, name) for name in names})


def report_of_year(plan: Plan, kind: str, year: int, org: Organisation | None) -> PeriodicReport | None:
    """The plan's report of `kind` whose period ends in `year`, for the unit: the latest issued version if any,
    else the latest draft."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return db.session.scalar(select(PeriodicReport).where(
        PeriodicReport.plan_id == plan.id, PeriodicReport.kind == kind,
        PeriodicReport.period_end.between(start, end),
        PeriodicReport.organisation_id.is_(None) if org is None else PeriodicReport.organisation_id == org.id)
        .order_by((PeriodicReport.status == "issued").desc(), PeriodicReport.id.desc()).limit(1))

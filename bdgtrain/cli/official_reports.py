"""`flask report issue`: a periodic report issued and written as .docx, PDF or .xlsx, for scripts and checks.

It takes the plan's report of that kind and year for the unit: an issued one is written as it was sent;
a draft is issued with its saved text, signer and recipients (what it lacks from the issuing agency's
defaults); with neither, a report is made from the defaults and issued. It says which it used.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import DomainError
from ..extensions import db
from ..localtime import format_date, local_today
from ..services.planning.document_settings import document_defaults
from ..services.reporting import official_reports, periodic_reports, report_document
from .common import find_org, find_plan
from .reporting import report_group

KIND_OPTIONS = {"annual": "annual", "six-month": "six_month"}


def _fill_from_defaults(data: periodic_reports.ReportInput, issuer) -> list[str]:
    """Fill what a saved draft left empty from the issuing agency's defaults; name what was taken."""
    defaults = document_defaults(issuer)
    taken = []
    if not (data.signer_title and data.signer_name) and defaults.has_signer:
        data.signer_authority, data.signer_title, data.signer_name = (
            defaults.signer_authority, defaults.signer_title, defaults.signer_name)
        taken.append("người ký")
    if not data.recipients.strip() and defaults.recipients:
        data.recipients = defaults.recipients
        taken.append("nơi nhận")
    return taken


def _issue(plan, kind: str, year: int, org, number: str | None) -> tuple[object, list[str]]:
    report = official_reports.report_of_year(plan, kind, year, org)
    if report is not None and report.is_issued:
        return report, [f"Báo cáo số {report.number} đã ban hành ngày {format_date(report.issued_on)}: "
                        "ghi tệp đúng như đã gửi."]
    if report is not None:
        data = official_reports.input_of(report)
        said = ["Dùng nội dung, người ký và nơi nhận đã lưu của dự thảo."]
    else:
        defaults = official_reports.draft_defaults(plan, kind, year, org, local_today())
        data = defaults.data
        said = ["Chưa có báo cáo: lập từ mặc định của cơ quan ban hành."]
        if defaults.carried_from is not None:
            said.append(f"Phần lời chép từ báo cáo số {defaults.carried_from.number}.")
    if number:
        data.number = number
    elif report is None:
        raise click.ClickException("Chưa có báo cáo này: hãy cho --number (số hiệu văn bản).")
    issuer = periodic_reports.report_issuer(plan, org, data.issued_on)
    taken = _fill_from_defaults(data, issuer)
    if taken:
        said.append(f"Lấy {', '.join(taken)} từ mặc định của {issuer.name}.")
    if report is None:
        report = periodic_reports.generate_report(None, plan, data)
    else:
        official_reports.update_report(None, report, data)
    official_reports.issue_report(None, report)
    said.append(f"Đã ban hành báo cáo số {report.number} ngày {format_date(report.issued_on)}.")
    return report, said


@report_group.command("issue")
@click.option("--plan", "plan_code", required=True)
@click.option("--kind", type=click.Choice(list(KIND_OPTIONS)), required=True)
@click.option("--year", type=int, required=True)
@click.option("--org", "org_code", help="A unit's own report (its header, number and signer); default: the province.")
@click.option("--number", help="The number to issue under (needed when no report of that kind and year exists yet).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.docx, FILE.pdf or FILE.xlsx")
def report_issue(plan_code, kind, year, org_code, number, out):
    """Issue the plan's 6-month or annual report for YEAR (or take the one issued) and write it to --out."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in report_document.FORMATS:
        raise click.ClickException("--out phải là tệp .docx, .pdf hoặc .xlsx.")
    plan = find_plan(plan_code)
    org = find_org(org_code) if org_code else None
    try:
        report, said = _issue(plan, KIND_OPTIONS[kind], year, org, number)
    except DomainError as error:
        db.session.rollback()
        field = f" ({error.field})" if error.field else ""
        raise click.ClickException(f"{error.message}{field} Không ban hành gì.") from None
    db.session.commit()
    out.write_bytes(report_document.report_file(report, fmt))
    for line in said:
        click.echo(line)
    click.echo(f"Đã ghi {out}.")

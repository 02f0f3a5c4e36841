"""The monitor's pages: her plans, a plan's dashboard, audience compliance, the plan summary report
(a page and, as an official document, its .docx, PDF and .xlsx).

All read-only (GET): a monitor reads everything about the plans she monitors and changes nothing.
A supplier reaches the compliance page of a plan she sends lists to, with her own agency's rows only.
"""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

from ...documents.docx_writer import write_docx
from ...documents.model import MOTTO, NATIONAL_HEADING, RECIPIENTS_TITLE
from ...documents.pdf_writer import write_pdf
from ...documents.xlsx_writer import write_xlsx
from ...i18n import translate
from ...localtime import local_today
from ...models import Plan
from ...models.base import utcnow
from ...rules.compliance import place_of
from ...rules.dates import DateExpressionError, parse_vn_date
from ...security import require
from ...services.monitoring import monitoring, monitoring_exports
from ...services.monitoring.compliance import ClassesPage, PeoplePage, classes_page, people_page
from ...services.monitoring.summary_document import summary_document
from ...services.planning import visible_plans
from ...services.planning.document_settings import document_defaults
from .. import access_log
from ..common import page_arg, read_pages_beside_writers
from ..downloads import streamed_xlsx
from ..loaders import load_plan

bp = Blueprint("monitoring", __name__)
read_pages_beside_writers(bp)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _agency_filter() -> int | None:
    """A supplier reads her own agency's rows; everyone else who may see the plan reads them all."""
    return current_user.organisation_id if current_user.role == "supplier" else None


def _log_people_shown(action: str, plan: Plan, named, detail: str = "") -> None:
    """One access-log row for a plan-level page or file that names people (no-shows, people outside the
    audience), naming each of those it shows: `named` holds (class code, ..., outcome) rows, a page's
    rows or a whole file's; docs/PRIVACY.md: plan-level rows carry the plan in `detail`."""
    access_log.record_access(action, people=[row[-1].nominee.person_id for row in named],
                             people_count=len(named), detail=f"plan {plan.code} {detail}".strip())


def _everyone_named(view) -> list:
    return view.compliance.outside_people + view.compliance.no_show_people


def _people_page(view) -> PeoplePage:
    """The page of people the request asks for (?q=, a name folded; ?page=, past the last shows the last)."""
    return people_page(view.compliance, q=(request.args.get("q") or "").strip()[:100], page=page_arg())


def _classes_page(view) -> ClassesPage:
    """The page of classes the request asks for (?class_q=, a code or title folded; ?class_page=)."""
    return classes_page(view.compliance, q=(request.args.get("class_q") or "").strip()[:100],
                        page=page_arg("class_page"))


def _beyond_first(listing) -> int | None:
    """A list's page number for the other list's links to keep: none for the first page."""
    return listing.page if listing.page > 1 else None


def _link_args(plan: Plan, people: PeoplePage, **more) -> dict:
    """What the people list's page links keep: the plan, the search, and the page's own settings."""
    return {"code": plan.code, **({"q": people.q} if people.q else {}), **{k: v for k, v in more.items() if v}}


def _download(body: bytes, name: str, mimetype: str = XLSX) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", name)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@bp.route("/monitor/")
@login_required
@require("monitor.dashboard")
def index():
    # Practice plans (the demo's "Lớp thực hành") are nothing to monitor.
    plans = [p for p in visible_plans.list_visible_plans(current_user) if not p.is_practice]
    return render_template("monitoring/index.html", plans=plans)


@bp.route("/monitor/<code>")
@login_required
def plan_dashboard(code):
    plan = load_plan(code, "monitor.view")
    view = monitoring.overview(plan, utcnow())
    people = _people_page(view)
    _log_people_shown("monitoring.dashboard.viewed", plan, people.rows)
    return render_template("monitoring/dashboard.html", plan=plan, view=view, people=people,
                           people_args=_link_args(plan, people))


@bp.route("/plans/<code>/compliance")
@login_required
def compliance(code):
    plan = load_plan(code, "compliance.view")
    view = monitoring.overview(plan, utcnow(), with_trained_share=False, with_evaluation=False,
                               agency_id=_agency_filter())
    people, classes = _people_page(view), _classes_page(view)
    _log_people_shown("compliance.viewed", plan, people.rows)
    # Each list's links and search keep the other list's search and page.
    return render_template("monitoring/compliance.html", plan=plan, view=view, people=people, classes=classes,
                           people_args=_link_args(plan, people, class_q=classes.q, class_page=_beyond_first(classes)),
                           class_args={"code": plan.code, **{k: v for k, v in (
                               ("class_q", classes.q), ("q", people.q), ("page", _beyond_first(people))) if v}})


@bp.route("/plans/<code>/compliance.xlsx")
@login_required
def export_compliance(code):
    plan = load_plan(code, "compliance.view")
    view = monitoring.overview(plan, utcnow(), with_trained_share=False, with_evaluation=False,
                               agency_id=_agency_filter())
    _log_people_shown("compliance.exported", plan, _everyone_named(view), "xlsx")
    return streamed_xlsx(monitoring_exports.compliance_xlsx(view), f"thanh-phan-{plan.code}.xlsx")


def _place_and_day(plan: Plan) -> tuple[str, date, str | None]:
    """Where and when the report is dated, settable on the page (?place=&date=dd/mm/yyyy): the place
    defaults to the organiser's saved one, else to the province read from the issuing body's name; a
    date that does not parse leaves today's, with the problem to show."""
    place = ((request.args.get("place") or "").strip()[:80] or document_defaults(plan.organiser_org).place
             or place_of((plan.issuing_org.name if plan.issuing_org else "") or plan.organiser_org.name))
    day, problem = local_today(), None
    typed = (request.args.get("date") or "").strip()
    if typed:
        try:
            day = parse_vn_date(typed)
        except DateExpressionError as error:
            problem = translate(error.message)
    return place, day, problem


def _summary(code: str, action: str, detail: str = "", people: bool = False):
    """The plan, its overview, its summary report as a Document, the date's problem if any, and with
    `people` the page of people the page shows. Same permission for the page and its three files; the
    access-log row names those the page shows, or for a file everyone the report is about. The page
    draws the report's sections from the overview: its Document is the frame only (no body)."""
    plan = load_plan(code, "monitor.view")
    place, day, problem = _place_and_day(plan)
    view = monitoring.overview(plan, utcnow())
    shown = _people_page(view) if people else None
    _log_people_shown(action, plan, shown.rows if shown else _everyone_named(view), detail)
    return plan, view, summary_document(view, place, day, with_body=not people), problem, shown


@bp.route("/plans/<code>/summary")
@login_required
def plan_summary(code):
    plan, view, document, problem, people = _summary(code, "plan.summary.viewed", people=True)
    link_args = _link_args(plan, people, place=request.args.get("place"), date=request.args.get("date"))
    return render_template("monitoring/summary.html", plan=plan, view=view, document=document,
                           people=people, people_args=link_args,
                           national_heading=NATIONAL_HEADING, motto=MOTTO, recipients_title=RECIPIENTS_TITLE,
                           place=document.header.place, day=document.header.issued_on, date_problem=problem)


@bp.route("/plans/<code>/summary.xlsx")
@login_required
def export_summary(code):
    plan, _view, document, _problem, _people = _summary(code, "plan.summary.exported", "xlsx")
    return _download(write_xlsx(document), f"bao-cao-ket-qua-{plan.code}.xlsx")


@bp.route("/plans/<code>/summary.docx")
@login_required
def export_summary_docx(code):
    plan, _view, document, _problem, _people = _summary(code, "plan.summary.exported", "docx")
    return _download(write_docx(document), f"bao-cao-ket-qua-{plan.code}.docx", DOCX)


@bp.route("/plans/<code>/summary.pdf")
@login_required
def export_summary_pdf(code):
    plan, _view, document, _problem, _people = _summary(code, "plan.summary.exported", "pdf")
    return _download(write_pdf(document), f"bao-cao-ket-qua-{plan.code}.pdf", PDF)

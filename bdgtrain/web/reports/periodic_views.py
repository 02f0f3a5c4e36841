"""Periodic reports (6-month, annual) as official documents: write a draft, issue it, download what was sent,
correct it by a new version. Routes of the reports blueprint (views.py imports this module)."""
from __future__ import annotations

import re
from typing import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...localtime import local_today
from ...rules.official_documents import KINDS, SIX_MONTH, kind_of_label
from ...services.planning.orgs import get_org, org_choices
from ...services.reporting import official_reports, periodic_reports, report_document, report_files
from ..common import choices, paginate, refused
from ..forms import ConfirmForm
from ..loaders import load_plan
from .forms import ReportForm
from .views import _context, bp

FORM = "reports/periodic_form.html"


@bp.route("/<code>/periodic")
@login_required
def list_reports(code):
    plan = load_plan(code, "report.view")
    due = periodic_reports.due_reports([plan], local_today())
    return render_template("reports/periodic_list.html", page=paginate(periodic_reports.reports_of_plan(plan)),
                           due=due, **_context(plan))


def _form_input(form: ReportForm) -> periodic_reports.ReportInput:
    return periodic_reports.ReportInput(
        label=form.label.data, period_start=form.period_start.data, period_end=form.period_end.data,
        number=form.number.data, place=form.place.data, issued_on=form.issued_on.data,
        organisation_id=form.organisation_id.data, kind=form.kind.data or None,
        **{name: getattr(form, name).data or "" for name in
           periodic_reports.ReportInput.TEXTS + periodic_reports.ReportInput.SIGNER + ("recipients",)})


def _report_form(obj=None) -> ReportForm:
    form = ReportForm(obj=obj)
    form.organisation_id.choices = choices([("", _("— Toàn tỉnh (tất cả đơn vị) —"))] + org_choices())
    return form


def _draft_choice(plan) -> tuple[str, int, object]:
    """The kind, year and unit asked for in the query string (from a deadline's link or the choice form)."""
    kind = request.args.get("kind") or kind_of_label(request.args.get("label", "")) or SIX_MONTH
    kind = kind if kind in KINDS else SIX_MONTH
    due = request.args.get("due", "")
    year = request.args.get("year", type=int) or (int(due[:4]) if re.fullmatch(r"\d{4}-\d\d-\d\d", due) else None)
    year = year if year and 1990 <= year <= 2100 else local_today().year
    org = None
    if request.args.get("org"):
        try:
            org = get_org(request.args["org"])
        except DomainError:
            org = None
    return kind, year, org


@bp.route("/<code>/periodic/new", methods=["GET", "POST"])
@login_required
def new_report(code):
    plan = load_plan(code, "report.manage")
    kind, year, org = _draft_choice(plan)
    defaults = official_reports.draft_defaults(plan, kind, year, org, local_today())
    form = _report_form(defaults.data if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = kind
    context = dict(defaults=defaults, choice=(kind, year, org), report=None, **_context(plan))
    if form.validate_on_submit():
        try:
            report = periodic_reports.generate_report(current_user, plan, _form_input(form))
        except DomainError as error:
            return refused(FORM, form, error, **context)
        flash(_("Đã lưu dự thảo báo cáo; kiểm tra rồi bấm “Ban hành” để phát hành."), "success")
        return redirect(url_for("reports.view_report", code=plan.code, report_id=report.id), 303)
    if request.method == "POST":
        return refused(FORM, form, **context)
    return render_template(FORM, form=form, **context)


@bp.route("/<code>/periodic/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit_report(code, report_id):
    plan = load_plan(code, "report.manage")
    report = periodic_reports.get_report(plan, report_id)
    if report.is_issued:
        flash(_("Báo cáo đã ban hành không sửa được; hãy lập bản đính chính."), "error")
        return redirect(url_for("reports.view_report", code=plan.code, report_id=report.id), 303)
    form = _report_form(official_reports.input_of(report) if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = report.kind or ""
    context = dict(defaults=None, choice=None, report=report, **_context(plan))
    if form.validate_on_submit():
        try:
            official_reports.update_report(current_user, report, _form_input(form))
        except DomainError as error:
            return refused(FORM, form, error, **context)
        flash(_("Đã lưu dự thảo; số liệu được tính lại."), "success")
        return redirect(url_for("reports.view_report", code=plan.code, report_id=report.id), 303)
    if request.method == "POST":
        return refused(FORM, form, **context)
    return render_template(FORM, form=form, **context)


@bp.route("/<code>/periodic/<int:report_id>")
@login_required
def view_report(code, report_id):
    plan = load_plan(code, "report.view")
    report = periodic_reports.get_report(plan, report_id)
    return render_template("reports/periodic_view.html", report=report, f=report.figures,
                           lines=report_files.figure_lines(report.figures),
                           window_phrase=report_files.window_phrase(report.figures),
                           summary_line=report_document.summary_line(report),
                           document=report_document.report_document(report), **_context(plan))


def _confirm_then(code: str, report_id: int, action: str, act: Callable[[object], str]):
    """The three actions on a report share one shape: GET shows what will happen, a confirmed POST
    does it (`act` returns where to go next), and a refusal shows the same page with the reason."""
    plan = load_plan(code, "report.manage")
    report = periodic_reports.get_report(plan, report_id)
    form = ConfirmForm()
    template = "reports/periodic_confirm.html"
    if form.validate_on_submit():
        try:
            return redirect(act(report), 303)
        except DomainError as error:
            return refused(template, form, error, report=report, action=action, **_context(plan))
    return render_template(template, form=form, report=report, action=action, **_context(plan))


@bp.route("/<code>/periodic/<int:report_id>/issue", methods=["GET", "POST"])
@login_required
def issue_report(code, report_id):
    def issue(report):
        official_reports.issue_report(current_user, report)
        flash(_("Đã ban hành báo cáo số %(number)s; các tệp được lưu đúng như đã gửi.", number=report.number),
              "success")
        return url_for("reports.view_report", code=code, report_id=report.id)
    return _confirm_then(code, report_id, "issue", issue)


@bp.route("/<code>/periodic/<int:report_id>/correct", methods=["GET", "POST"])
@login_required
def correct_report(code, report_id):
    def correct(report):
        copy = official_reports.start_correction(current_user, report)
        flash(_("Đã lập dự thảo đính chính; hãy sửa nội dung và nhập số hiệu mới."), "success")
        return url_for("reports.edit_report", code=code, report_id=copy.id)
    return _confirm_then(code, report_id, "correct", correct)


@bp.route("/<code>/periodic/<int:report_id>/delete", methods=["GET", "POST"])
@login_required
def delete_report(code, report_id):
    def delete(report):
        official_reports.delete_draft(current_user, report)
        flash(_("Đã xóa dự thảo."), "success")
        return url_for("reports.list_reports", code=code)
    return _confirm_then(code, report_id, "delete", delete)


def _download(plan, report, fmt: str) -> Response:
    safe_code = re.sub(r"[^A-Za-z0-9_-]", "-", plan.code)  # the header carries only plain ASCII
    state = "" if report.is_issued else "-du-thao"
    name = f"bao-cao-{safe_code}-{report.period_end:%Y%m%d}-{report.id}{state}.{fmt}"
    return Response(report_document.report_file(report, fmt), mimetype=report_document.FORMATS[fmt][0],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


@bp.route("/<code>/periodic/<int:report_id>.xlsx")
@login_required
def report_xlsx(code, report_id):
    plan = load_plan(code, "report.view")
    return _download(plan, periodic_reports.get_report(plan, report_id), "xlsx")


@bp.route("/<code>/periodic/<int:report_id>.<fmt>")
@login_required
def report_document_file(code, report_id, fmt):
    if fmt not in ("docx", "pdf"):
        abort(404)
    plan = load_plan(code, "report.view")
    return _download(plan, periodic_reports.get_report(plan, report_id), fmt)

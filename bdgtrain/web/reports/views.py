"""Training-rate reports of a plan: the unit tree beside its targets, a unit's untrained women (and
nominating them), targets, and the periodic reports (page, .xlsx, kept figures)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ...errors import DomainError
from ...localtime import format_date, local_today
from ...models import Plan
from ...models.base import utcnow
from ...rules.dates import DateExpressionError, parse_vn_date
from ...security import can
from ...services.planning.orgs import org_choices
from ...services.pool import pool_nominations
from ...services.reporting import forecast, headcounts, measures, targets
from .. import access_log
from ..common import choices, read_pages_beside_writers, refused
from ..forms import ConfirmForm
from ..labels import MEASURE_LABELS, STATUS_LABELS
from ..loaders import load_plan, load_plan_unit
from .forms import HeadcountForm, HeadcountImportForm, NominateForm, TargetForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
read_pages_beside_writers(bp)
PER_PAGE = 50


class Filters:
    """as_of, window and fold read from the query string (dd/mm/yyyy); bad input gets a message."""

    def __init__(self, args):
        self.errors: dict[str, str] = {}
        self.raw = {k: args.get(k, "").strip() for k in ("as_of", "from", "to")}
        self.as_of = self._date("as_of", _("Tính đến ngày")) or local_today()
        start, end = self._date("from", _("Từ ngày")), self._date("to", _("Đến ngày"))
        self.window = None
        if (start is None) != (end is None) and not self.errors:
            self.errors["to"] = _("Hãy nhập cả hai ngày của khoảng thời gian, "
                                  "hoặc để trống cả hai (tính theo thời kỳ của chỉ tiêu).")
        elif start and end:
            if end < start:
                self.errors["to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
            else:
                self.window = (start, end)
        self.fold = args.get("fold") == "1"

    def _date(self, name: str, label: str) -> date | None:
        text = self.raw[name]
        if not text:
            return None
        try:
            return parse_vn_date(text)
        except DateExpressionError:
            self.errors[name] = _("%(label)s: \"%(text)s\" không phải ngày hợp lệ (dd/mm/yyyy).",
                                  label=label, text=text)
            return None

    def query(self) -> dict:
        values = {k: v for k, v in self.raw.items() if v}
        if self.fold:
            values["fold"] = "1"
        return values


def _context(plan: Plan):
    return {"plan": plan, "MEASURE_LABELS": MEASURE_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "format_date": format_date, "iso_date": lambda text: format_date(date.fromisoformat(text)) if text else ""}


# --- the unit tree ----------------------------------------------------------------------------------

@bp.route("/<code>")
@login_required
def plan_report(code):
    plan = load_plan(code, "report.view")
    filters = Filters(request.args)
    if filters.errors:
        return render_template("reports/plan_report.html", filters=filters, table=None, chart=None,
                               **_context(plan)), 422
    specs = targets.target_specs(plan)
    table = measures.measure_table(filters.as_of, specs, window=filters.window, fold_successors=filters.fold)
    measures.add_breakdowns(table)
    chart = url_for("reports.trend_chart", code=plan.code, **filters.query())
    class_shares, plan_shares = measures.trainee_table(plan)
    return render_template("reports/plan_report.html", filters=filters, table=table, chart=chart,
                           class_shares=class_shares, plan_shares=plan_shares, **_context(plan))


@bp.route("/<code>/units/<org_code>")
@login_required
def unit_report(code, org_code):
    plan, unit = load_plan_unit(code, org_code, "report.view")
    filters = Filters(request.args)
    if filters.errors:
        return render_template("reports/unit_report.html", unit=unit, filters=filters, row=None, people=[],
                               total=0, page=1, pages=0, chart=None, **_context(plan)), 422
    specs = targets.target_specs(plan)
    page = max(request.args.get("page", 1, type=int), 1)
    # The subtree's figures and this page of its untrained women, from one statement.
    table = measures.measure_table(filters.as_of, specs, window=filters.window, fold_successors=filters.fold,
                                   root=unit.id, subtree_only=True, untrained_page=(page, PER_PAGE))
    row = table.rows[0] if table.rows else None
    people, total, chart, outlook = [], 0, None, None
    if row is not None:
        # At the pace of the last years: the sentences beside the target (the chart draws the same line).
        outlook = forecast.forecast_table(filters.as_of, specs, window=table.window, fold_successors=filters.fold,
                                          root=unit.id, current=(table.report, table.info)).of(unit.id)
        people, total = measures.untrained_page_people(table, unit.id), row["women"] - row["trained"]
        chart = url_for("reports.trend_chart", code=plan.code, unit=unit.code, **filters.query())
        # The women listed belong to a unit's pool, not to a class: each is named (docs/PRIVACY.md).
        access_log.record_access("pool.untrained.viewed", people=[p.person_id for p in people],
                                 people_count=len(people), detail=f"plan {plan.code} unit {unit.code}")
    pages = (total + PER_PAGE - 1) // PER_PAGE
    return render_template("reports/unit_report.html", unit=unit, filters=filters, row=row, sub_rows=table.rows[1:],
                           people=people, total=total, page=page, pages=pages, chart=chart, table=table,
                           outlook=outlook, can_nominate=can("report.manage", plan), **_context(plan))


@bp.route("/<code>/trend.svg")
@login_required
def trend_chart(code):
    """The yearly trend against the target line, as an SVG image of its own, so the page it sits on does not
    wait for one province-wide count per year."""
    plan = load_plan(code, "report.view")
    filters = Filters(request.args)
    # The plan authorises the chart; the unit is one of the plan's reach, as on the unit's page.
    unit = load_plan_unit(code, request.args["unit"], "report.view")[1] if request.args.get("unit") else None
    specs = targets.target_specs(plan)
    if unit is not None:
        title = _("Tỷ lệ được tập huấn của %(name)s theo năm", name=unit.name)
    else:
        title = _("Tỷ lệ cán bộ nữ trong diện quy hoạch được tập huấn, toàn tỉnh, theo năm")
    projection = None
    if unit is not None:
        outlook = forecast.forecast_table(filters.as_of, specs, window=filters.window, fold_successors=filters.fold,
                                          root=unit.id).of(unit.id)
        projection = forecast.projection_points(outlook.forecast) if outlook else None
    _points, svg = measures.trend(unit.id if unit else None,
                                  measures.trend_years(filters.as_of, specs, plan.period_start), filters.as_of,
                                  specs, fold_successors=filters.fold, window=filters.window, title=title,
                                  projection=projection)
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@bp.route("/<code>/units/<org_code>/nominate/<int:person_id>", methods=["GET", "POST"])
@login_required
def nominate(code, org_code, person_id):
    plan, unit = load_plan_unit(code, org_code, "report.manage")
    person = pool_nominations.get_pool_person(person_id, unit)
    now = utcnow()
    classes = [c for c in pool_nominations.upcoming_classes(now) if can("roster.manage", c)]
    form = NominateForm()
    form.class_id.choices = choices([("", _("— Chọn lớp —"))] + [
        (c.id, f"{c.plan.code} / {c.code} — {c.title} ({c.date_expression})") for c in classes])
    back = url_for("reports.unit_report", code=plan.code, org_code=unit.code, **Filters(request.args).query())
    access_log.record_access("person.viewed", person=person, detail="nominate from pool")
    context = dict(unit=unit, person=person, classes=classes, back=back, **_context(plan))
    if form.validate_on_submit():
        cls = next((c for c in classes if c.id == form.class_id.data), None)
        if cls is None:
            form.class_id.errors = [_("Hãy chọn một lớp sắp tổ chức mà bạn quản lý.")]
            return render_template("reports/nominate.html", form=form, **context), 422
        try:
            enrolment = pool_nominations.nominate_from_pool(current_user, cls, person, unit, now)
        except DomainError as error:
            return refused("reports/nominate.html", form, error, **context)
        if enrolment.status == "waiting":
            flash(_("Lớp %(code)s đã đủ chỗ: %(name)s được đưa vào danh sách chờ và sẽ được xếp chỗ khi có người "
                    "không tham gia.", name=person.full_name, code=cls.code), "warning")
        else:
            flash(_("Đã cử %(name)s vào lớp %(code)s (trạng thái: được cử).", name=person.full_name,
                    code=cls.code), "success")
        return redirect(back, 303)
    if request.method == "POST":
        return refused("reports/nominate.html", form, **context)
    return render_template("reports/nominate.html", form=form, **context)


# --- targets ------------------------------------------------------------------------------------------

def _fill_target_form(form: TargetForm) -> None:
    form.scope_org_id.choices = choices([("", _("— Tất cả đơn vị —"))] + org_choices())


def _target_input(form: TargetForm) -> targets.TargetInput:
    return targets.TargetInput(measure=form.measure.data, value_percent=form.value_percent.data,
                               deadline=form.deadline.data, starts_on=form.starts_on.data,
                               window_starts_on=form.window_starts_on.data, window_ends_on=form.window_ends_on.data,
                               scope_org_id=form.scope_org_id.data, source=form.source.data or None)


@bp.route("/<code>/targets/new", methods=["GET", "POST"])
@login_required
def new_target(code):
    plan = load_plan(code, "report.manage")
    form = TargetForm()
    _fill_target_form(form)
    if request.method == "GET" and plan.period_start and plan.period_end:
        # A target usually belongs to the plan that sets it: its period is the counting window.
        form.window_starts_on.data, form.window_ends_on.data = plan.period_start, plan.period_end
    if form.validate_on_submit():
        try:
            targets.create_target(current_user, plan, _target_input(form))
        except DomainError as error:
            return refused("reports/target_form.html", form, error, target=None, **_context(plan))
        flash(_("Đã thêm chỉ tiêu."), "success")
        return redirect(url_for("plans.view_plan", code=plan.code) + "#targets-heading", 303)
    if request.method == "POST":
        return refused("reports/target_form.html", form, target=None, **_context(plan))
    return render_template("reports/target_form.html", form=form, target=None, **_context(plan))


@bp.route("/<code>/targets/<int:target_id>/edit", methods=["GET", "POST"])
@login_required
def edit_target(code, target_id):
    plan = load_plan(code, "report.manage")
    target = targets.get_target(plan, target_id)
    form = TargetForm(obj=target)
    _fill_target_form(form)
    if form.validate_on_submit():
        try:
            targets.update_target(current_user, target, _target_input(form))
        except DomainError as error:
            return refused("reports/target_form.html", form, error, target=target, **_context(plan))
        flash(_("Đã lưu chỉ tiêu."), "success")
        return redirect(url_for("plans.view_plan", code=plan.code) + "#targets-heading", 303)
    if request.method == "POST":
        return refused("reports/target_form.html", form, target=target, **_context(plan))
    return render_template("reports/target_form.html", form=form, target=target, **_context(plan))


@bp.route("/<code>/targets/<int:target_id>/delete", methods=["GET", "POST"])
@login_required
def delete_target(code, target_id):
    plan = load_plan(code, "report.manage")
    target = targets.get_target(plan, target_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        targets.delete_target(current_user, target)
        flash(_("Đã xóa chỉ tiêu."), "success")
        return redirect(url_for("plans.view_plan", code=plan.code) + "#targets-heading", 303)
    return render_template("reports/confirm_delete_target.html", form=form, target=target, **_context(plan))


# --- unit headcounts -----------------------------------------------------------------------------------

@bp.route("/<code>/headcounts")
@login_required
def headcount_report(code):
    plan = load_plan(code, "report.view")
    year = request.args.get("year", type=int) or local_today().year - 1
    if not 2000 <= year <= 2100:
        year = local_today().year - 1
    fold = request.args.get("fold") == "1"
    table = headcounts.headcount_table(year, targets.target_specs(plan), fold_successors=fold)
    return render_template("reports/headcounts.html", table=table, year=year, fold=fold,
                           import_form=HeadcountImportForm(), problems=[], **_context(plan))


@bp.route("/<code>/headcounts/import", methods=["POST"])
@login_required
def import_headcounts(code):
    """All or nothing: a file with any refused row writes nothing and lists every problem by its row."""
    plan = load_plan(code, "report.manage")
    form = HeadcountImportForm()
    year = request.form.get("year", type=int) or local_today().year - 1
    problems = []
    if form.validate_on_submit():
        saved, problems = headcounts.import_headcounts(current_user, form.file.data.read())
        if not problems:
            flash(ngettext("Đã ghi số liệu của %(num)s đơn vị-năm.", "Đã ghi số liệu của %(num)s đơn vị-năm.", saved),
                  "success")
            return redirect(url_for("reports.headcount_report", code=plan.code, year=year), 303)
    table = headcounts.headcount_table(year, targets.target_specs(plan))
    return render_template("reports/headcounts.html", table=table, year=year, fold=False, import_form=form,
                           problems=problems, **_context(plan)), 422


@bp.route("/<code>/headcounts/<org_code>/<int:year>", methods=["GET", "POST"])
@login_required
def edit_headcount(code, org_code, year):
    plan, unit = load_plan_unit(code, org_code, "report.manage")
    row = headcounts.get_headcount(unit, year)
    form = HeadcountForm(obj=row)
    if request.method == "GET" and row is not None:
        form.key_leadership_has_woman.data = {True: "1", False: "0"}.get(row.key_leadership_has_woman, "")
    context = dict(unit=unit, year=year, **_context(plan))
    if form.validate_on_submit():
        try:
            headcounts.save_headcount(current_user, unit, year, headcounts.HeadcountInput(
                **{name: getattr(form, name).data for name in headcounts.FIELDS}))
        except DomainError as error:
            return refused("reports/headcount_form.html", form, error, **context)
        flash(_("Đã lưu số liệu năm %(year)s của %(name)s.", year=year, name=unit.name), "success")
        return redirect(url_for("reports.headcount_report", code=plan.code, year=year), 303)
    if request.method == "POST":
        return refused("reports/headcount_form.html", form, **context)
    return render_template("reports/headcount_form.html", form=form, **context)

"""Plans, their classes and sessions: list, view, create, edit, cancel, close, delete."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ...errors import DomainError
from ...localtime import to_local
from ...models.base import utcnow
from ...rules.deadlines import DeadlineSpec, format_deadlines
from ...security import require
from ...services.checkin import attendance_view
from ...services.planning import directory, lookups, planning, sessions, status, visible_plans
from ...services.planning.orgs import org_choices
from ..common import choices, paginate, refused
from ..forms import ConfirmForm
from ..loaders import load_class, load_plan
from .forms import CancelForm, ClassForm, CloseForm, PlanForm, SessionForm

bp = Blueprint("plans", __name__, url_prefix="/plans")


# --- form plumbing -----------------------------------------------------------------------------

def _fill_plan_choices(form: PlanForm) -> None:
    orgs = org_choices()
    form.issuing_org_id.choices = choices([("", _("— Chưa chọn —"))] + orgs)
    if current_user.role == "admin":
        form.organiser_org_id.choices = choices(orgs)
    else:  # an organiser plans for her own organisation only
        org = current_user.organisation
        form.organiser_org_id.choices = choices([(org.id, org.name)])
        form.organiser_org_id.data = org.id
    form.monitor_org_ids.choices = choices(orgs)


def _plan_input(form: PlanForm, code: str) -> planning.PlanInput:
    organiser_org_id = form.organiser_org_id.data
    if current_user.role != "admin":
        organiser_org_id = current_user.organisation_id
    return planning.PlanInput(
        code=code, number=form.number.data, title=form.title.data, organiser_org_id=organiser_org_id,
        issuing_org_id=form.issuing_org_id.data, issued_on=form.issued_on.data,
        funding_source=form.funding_source.data or None, period_start=form.period_start.data,
        period_end=form.period_end.data, description=form.description.data or None,
        deadlines_text=form.deadlines.data or "", monitor_org_ids=form.monitor_org_ids.data or [])


def _fill_class_choices(form: ClassForm) -> None:
    form.venue_id.choices = choices([("", _("— Chưa xác định —"))] + [(v.id, v.name) for v in directory.list_venues()])
    form.trainer_ids.choices = choices((t.id, t.display_name) for t in directory.list_trainers())
    form.supplier_org_ids.choices = choices(org_choices(include_ended=False))


def _class_input(form: ClassForm) -> planning.ClassInput:
    return planning.ClassInput(
        code=form.code.data, title=form.title.data, date_expression=form.date_expression.data,
        content=form.content.data or None, audience=form.audience.data or None,
        eligible_sex=form.eligible_sex.data, eligible_org_kinds=form.eligible_org_kinds.data or [],
        venue_id=form.venue_id.data, capacity=form.capacity.data, status=form.status.data,
        trainer_ids=form.trainer_ids.data or [], supplier_org_ids=form.supplier_org_ids.data or [],
        # A blank setting takes the default (what the form shows for a new class).
        **{name: getattr(form, name).data for name in planning.CHECKIN_FIELDS if getattr(form, name).data is not None})


def _session_input(form: SessionForm) -> sessions.SessionInput:
    return sessions.SessionInput(day=form.day.data, start=form.start.data, end=form.end.data,
                                 label=form.label.data, note=form.note.data or None)


# --- plans -------------------------------------------------------------------------------------

@bp.route("/")
@login_required
@require("plan.list")
def list_plans():
    q = request.args.get("q", "").strip()
    return render_template("plans/list.html", page=paginate(visible_plans.query_plans(current_user, q)), q=q)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require("plan.create")
def create_plan():
    form = PlanForm()
    _fill_plan_choices(form)
    if form.validate_on_submit():
        try:
            plan = planning.create_plan(current_user, _plan_input(form, form.code.data))
        except DomainError as error:
            return refused("plans/plan_form.html", form, error, plan=None)
        flash(_("Đã tạo kế hoạch %(code)s.", code=plan.code), "success")
        return redirect(url_for("plans.view_plan", code=plan.code), 303)
    if request.method == "POST":
        return refused("plans/plan_form.html", form, plan=None)
    return render_template("plans/plan_form.html", form=form, plan=None)


@bp.route("/<code>")
@login_required
def view_plan(code):
    plan = load_plan(code, "plan.view", with_units=True)
    # The user behind the proxy, once: the access check of 200 classes reads it a thousand times.
    classes = lookups.plan_class_rows(current_user._get_current_object(), plan)
    return render_template("plans/detail.html", plan=plan, classes=classes,
                           class_statuses=status.class_statuses(classes, utcnow()))


@bp.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(code):
    plan = load_plan(code, "plan.edit")
    form = PlanForm(obj=plan)
    _fill_plan_choices(form)
    if request.method == "GET":
        form.deadlines.data = format_deadlines([DeadlineSpec(d.label, d.due_day, d.due_month, d.due_year)
                                                for d in plan.report_deadlines])
        form.monitor_org_ids.data = [o.id for o in plan.monitor_orgs]
    form.code.data = plan.code  # the code is fixed once the plan exists
    if form.validate_on_submit():
        try:
            planning.update_plan(current_user, plan, _plan_input(form, plan.code))
        except DomainError as error:
            return refused("plans/plan_form.html", form, error, plan=plan)
        flash(_("Đã lưu kế hoạch."), "success")
        return redirect(url_for("plans.view_plan", code=plan.code), 303)
    if request.method == "POST":
        return refused("plans/plan_form.html", form, plan=plan)
    return render_template("plans/plan_form.html", form=form, plan=plan)


@bp.route("/<code>/delete", methods=["GET", "POST"])
@login_required
def delete_plan(code):
    plan = load_plan(code, "plan.edit")
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            planning.delete_plan(current_user, plan)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("plans.view_plan", code=plan.code), 303)
        flash(_("Đã xóa kế hoạch %(code)s.", code=code), "success")
        return redirect(url_for("plans.list_plans"), 303)
    return render_template("plans/confirm_delete_plan.html", plan=plan, form=form)


# --- classes -----------------------------------------------------------------------------------

@bp.route("/<code>/classes/new", methods=["GET", "POST"])
@login_required
def create_class(code):
    plan = load_plan(code, "class.create")
    form = ClassForm()
    _fill_class_choices(form)
    if form.validate_on_submit():
        try:
            cls = planning.create_class(current_user, plan, _class_input(form))
        except DomainError as error:
            return refused("plans/class_form.html", form, error, plan=plan, cls=None)
        flash(ngettext("Đã tạo lớp %(code)s với %(num)s buổi.", "Đã tạo lớp %(code)s với %(num)s buổi.",
                       len(cls.sessions), code=cls.code), "success")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    if request.method == "POST":
        return refused("plans/class_form.html", form, plan=plan, cls=None)
    return render_template("plans/class_form.html", form=form, plan=plan, cls=None)


@bp.route("/<code>/classes/<class_code>")
@login_required
def view_class(code, class_code):
    plan, cls = load_class(code, class_code, "class.view")
    now = utcnow()
    class_statuses, session_statuses = status.statuses([cls], now)
    return render_template("plans/class_detail.html", plan=plan, cls=cls,
                           class_statuses=class_statuses, session_statuses=session_statuses,
                           figures=attendance_view.class_figures(cls, now),
                           has_attendance=planning.class_has_attendance(cls),
                           roll_called=sessions.sessions_with_roll_call([s.id for s in cls.sessions]),
                           cancel_form=ConfirmForm())


@bp.route("/<code>/classes/<class_code>/edit", methods=["GET", "POST"])
@login_required
def edit_class(code, class_code):
    plan, cls = load_class(code, class_code, "class.edit")
    form = ClassForm(obj=cls)
    _fill_class_choices(form)
    if request.method == "GET":
        form.eligible_org_kinds.data = cls.eligible_org_kind_list
        form.trainer_ids.data = [t.id for t in cls.trainers]
        form.supplier_org_ids.data = [o.id for o in cls.supplier_orgs]
        form.status.data = cls.status if cls.status != "cancelled" else "planned"
    if form.validate_on_submit():
        try:
            planning.update_class(current_user, cls, _class_input(form))
        except DomainError as error:
            return refused("plans/class_form.html", form, error, plan=plan, cls=cls)
        flash(_("Đã lưu lớp %(code)s.", code=cls.code), "success")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    if request.method == "POST":
        return refused("plans/class_form.html", form, plan=plan, cls=cls)
    return render_template("plans/class_form.html", form=form, plan=plan, cls=cls)


@bp.route("/<code>/classes/<class_code>/cancel", methods=["GET", "POST"])
@login_required
def cancel_class(code, class_code):
    plan, cls = load_class(code, class_code, "class.cancel")
    form = CancelForm()
    if form.validate_on_submit():
        try:
            planning.cancel_class(current_user, cls, form.reason.data)
        except DomainError as error:
            return refused("plans/confirm_cancel_class.html", form, error, plan=plan, cls=cls,
                           roll_called=planning.class_has_roll_call(cls))
        flash(_("Đã hủy lớp %(code)s. Có thể khôi phục lại nếu cần.", code=cls.code), "success")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    roll_called = planning.class_has_roll_call(cls)
    if request.method == "POST":
        return refused("plans/confirm_cancel_class.html", form, plan=plan, cls=cls, roll_called=roll_called)
    return render_template("plans/confirm_cancel_class.html", form=form, plan=plan, cls=cls, roll_called=roll_called)


@bp.route("/<code>/classes/<class_code>/close", methods=["GET", "POST"])
@login_required
def close_class(code, class_code):
    plan, cls = load_class(code, class_code, "class.close")
    form, now = CloseForm(), utcnow()
    closing = planning.plan_closing(cls, now)
    if form.validate_on_submit():
        try:
            planning.close_class(current_user, cls, now, form.reason.data)
        except DomainError as error:
            return refused("plans/confirm_close_class.html", form, error, plan=plan, cls=cls, closing=closing)
        flash(ngettext("Đã đóng lớp %(code)s: đã hủy %(num)s buổi chưa diễn ra; kết quả các buổi đã học được giữ.",
                       "Đã đóng lớp %(code)s: đã hủy %(num)s buổi chưa diễn ra; kết quả các buổi đã học được giữ.",
                       len(closing.cancelled), code=cls.code), "success")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    if request.method == "POST":
        return refused("plans/confirm_close_class.html", form, plan=plan, cls=cls, closing=closing)
    return render_template("plans/confirm_close_class.html", form=form, plan=plan, cls=cls, closing=closing)


@bp.route("/<code>/classes/<class_code>/restore", methods=["POST"])
@login_required
def restore_class(code, class_code):
    plan, cls = load_class(code, class_code, "class.cancel")
    if ConfirmForm().validate_on_submit():
        try:
            planning.restore_class(current_user, cls)
            flash(_("Đã khôi phục lớp %(code)s.", code=cls.code), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)


@bp.route("/<code>/classes/<class_code>/delete", methods=["GET", "POST"])
@login_required
def delete_class(code, class_code):
    plan, cls = load_class(code, class_code, "class.delete")
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            planning.delete_class(current_user, cls)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
        flash(_("Đã xóa lớp %(code)s.", code=class_code), "success")
        return redirect(url_for("plans.view_plan", code=plan.code), 303)
    return render_template("plans/confirm_delete_class.html", form=form, plan=plan, cls=cls,
                           has_attendance=planning.class_has_attendance(cls))


# --- sessions ----------------------------------------------------------------------------------

@bp.route("/<code>/classes/<class_code>/sessions/new", methods=["GET", "POST"])
@login_required
def add_session(code, class_code):
    plan, cls = load_class(code, class_code, "class.edit")
    form = SessionForm()
    if form.validate_on_submit():
        try:
            sessions.add_session(current_user, cls, _session_input(form))
        except DomainError as error:
            return refused("plans/session_form.html", form, error, plan=plan, cls=cls, session=None)
        flash(_("Đã thêm buổi học."), "success")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    if request.method == "POST":
        return refused("plans/session_form.html", form, plan=plan, cls=cls, session=None)
    return render_template("plans/session_form.html", form=form, plan=plan, cls=cls, session=None)


@bp.route("/<code>/classes/<class_code>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(code, class_code, session_id):
    plan, cls = load_class(code, class_code, "class.edit")
    session = lookups.get_session(cls, session_id)
    form = SessionForm()
    if request.method == "GET":
        start, end = to_local(session.starts_at), to_local(session.ends_at)
        form.label.data, form.day.data, form.note.data = session.label, start.date(), session.note
        form.start.data, form.end.data = start.time(), end.time()
    if form.validate_on_submit():
        try:
            sessions.update_session(current_user, session, _session_input(form))
        except DomainError as error:
            return refused("plans/session_form.html", form, error, plan=plan, cls=cls, session=session)
        flash(_("Đã lưu buổi học."), "success")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    if request.method == "POST":
        return refused("plans/session_form.html", form, plan=plan, cls=cls, session=session)
    return render_template("plans/session_form.html", form=form, plan=plan, cls=cls, session=session)


@bp.route("/<code>/classes/<class_code>/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel_session(code, class_code, session_id):
    return _toggle_session(code, class_code, session_id, cancelled=True)


@bp.route("/<code>/classes/<class_code>/sessions/<int:session_id>/restore", methods=["POST"])
@login_required
def restore_session(code, class_code, session_id):
    return _toggle_session(code, class_code, session_id, cancelled=False)


def _toggle_session(code, class_code, session_id, cancelled: bool):
    plan, cls = load_class(code, class_code, "class.edit")
    session = lookups.get_session(cls, session_id)
    if ConfirmForm().validate_on_submit():
        try:
            sessions.set_session_cancelled(current_user, session, cancelled)
            flash(_("Đã hủy buổi học.") if cancelled else _("Đã khôi phục buổi học."), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)


@bp.route("/<code>/classes/<class_code>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@login_required
def delete_session(code, class_code, session_id):
    plan, cls = load_class(code, class_code, "class.edit")
    session = lookups.get_session(cls, session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            sessions.delete_session(current_user, session)
            flash(_("Đã xóa buổi học."), "success")
        except DomainError as error:
            flash(error.message, "error")
        return redirect(url_for("plans.view_class", code=plan.code, class_code=cls.code), 303)
    return render_template("plans/confirm_delete_session.html", form=form, plan=plan, cls=cls,
                           session=session)

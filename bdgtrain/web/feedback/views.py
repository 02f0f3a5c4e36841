"""Feedback pages: the participant's form and pre-class quiz (reached from her ticket or the kiosk's QR),
results per class and per plan (charts, free text, .xlsx), the plan's settings, trainers' result links.

Participants never log in: the ticket token identifies her, or, from the kiosk's QR, the ticket
remembered on her phone or her phone number and birth year. Every answer goes through
services.feedback.submit_feedback / submit_pre_quiz.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...extensions import limiter
from ...i18n import translate
from ...models.base import utcnow
from ...services.checkin import tickets
from ...services.core import qr
from ...services.feedback import feedback, feedback_output, trainer_links
from ..checkin.views import _identify, _known_enrolment
from ..common import confirmation_page, is_confirmed, link_base, refused
from ..loaders import load_class, load_plan, load_ticket
from .forms import FeedbackSettingsForm

bp = Blueprint("feedback", __name__)


def _answer_limit() -> str:
    return current_app.config.get("ROOM_CHECKIN_RATE_LIMIT", "20 per minute")


def _private(response: Response | str, status: int = 200) -> Response:
    response = response if isinstance(response, Response) else Response(response, status=status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _form_values() -> dict[str, str]:
    return {key: value for key, value in request.form.items() if key[:1] in ("q", "k")}


# --- the participant's form -------------------------------------------------------------------------

def _form_page(cls, *, enrolment=None, action: str, errors=None, values=None, problem=None, identify=False,
               status=200, phone="", birth_year=""):
    config = feedback.form_config(cls.plan_id)
    answered = enrolment is not None and feedback.has_answered(enrolment, "form")
    closed = feedback.closed_message(cls, config, utcnow())
    if enrolment is not None and tickets.is_revoked(enrolment):
        closed = _("Giấy mời này không còn hiệu lực nên không thể gửi phiếu.")
    return _private(render_template(
        "feedback/form.html", cls=cls, config=config, enrolment=enrolment, action=action, answered=answered,
        closed=closed, errors={k: translate(v) for k, v in (errors or {}).items()}, values=values or {},
        problem=problem, identify=identify, phone=phone, birth_year=birth_year), status)


@bp.route("/T/<token>/feedback", methods=["GET", "POST"])
@bp.route("/t/<token>/feedback", methods=["GET", "POST"], alias=True)
@limiter.limit(_answer_limit, methods=["POST"])
def ticket_form(token):
    enrolment = load_ticket(token)
    cls = enrolment.training_class
    action = url_for("feedback.ticket_form", token=token)
    if request.method == "GET":
        return _form_page(cls, enrolment=enrolment, action=action)
    return _submit(cls, enrolment, action)


@bp.route("/F/<form_token>", methods=["GET", "POST"])
@bp.route("/f/<form_token>", methods=["GET", "POST"], alias=True)
@limiter.limit(_answer_limit, methods=["POST"])
def class_form(form_token):
    """The kiosk's QR: she proves she is on the list with the ticket on her phone, or her phone and birth year."""
    cls = feedback.class_for_form_token(form_token)
    if cls is None:
        abort(404)
    action = url_for("feedback.class_form", form_token=form_token)
    known = _known_enrolment(cls)
    if request.method == "GET":
        return _form_page(cls, enrolment=known, action=action, identify=known is None)
    enrolment = known
    if enrolment is None:
        enrolment, problem = _identify(cls)
        if enrolment is None:
            return _form_page(cls, action=action, identify=True, values=_form_values(), problem=problem, status=422,
                              phone=request.form.get("phone", ""), birth_year=request.form.get("birth_year", ""))
    return _submit(cls, enrolment, action, identify=known is None)


def _submit(cls, enrolment, action, identify=False):
    try:
        feedback.submit_feedback(enrolment, request.form.to_dict(), utcnow())
    except feedback.FeedbackInvalid as error:
        return _form_page(cls, enrolment=None if identify else enrolment, action=action, errors=error.errors,
                          values=_form_values(), problem=error.message, identify=identify, status=422,
                          phone=request.form.get("phone", ""), birth_year=request.form.get("birth_year", ""))
    except DomainError as error:
        # Already answered, closed, not a participant: a polite page, nothing stored.
        return _private(render_template("feedback/thanks.html", cls=cls, problem=error.message), error.http_status)
    return _private(render_template("feedback/thanks.html", cls=cls, problem=None))


@bp.route("/T/<token>/quiz", methods=["GET", "POST"])
@bp.route("/t/<token>/quiz", methods=["GET", "POST"], alias=True)
@limiter.limit(_answer_limit, methods=["POST"])
def ticket_quiz(token):
    """The knowledge quiz before the class (the same questions come back on the feedback form)."""
    enrolment = load_ticket(token)
    cls = enrolment.training_class
    config = feedback.form_config(cls.plan_id)
    errors, problem, status = {}, None, 200
    if request.method == "POST":
        try:
            feedback.submit_pre_quiz(enrolment, request.form.to_dict(), utcnow())
            return _private(render_template("feedback/thanks.html", cls=cls, problem=None, quiz=True))
        except feedback.FeedbackInvalid as error:
            errors, problem, status = error.errors, error.message, 422
        except DomainError as error:
            return _private(render_template("feedback/thanks.html", cls=cls, problem=error.message, quiz=True),
                            error.http_status)
    return _private(render_template(
        "feedback/quiz.html", cls=cls, config=config, closed=feedback.pre_quiz_message(cls, config, utcnow()),
        answered=feedback.has_answered(enrolment, "pre_quiz"), errors={k: translate(v) for k, v in errors.items()},
        values=_form_values(), problem=problem, token=token), status)


# --- results ------------------------------------------------------------------------------------------

def _class_results(plan, cls, *, trainer_view=False):
    config = feedback.form_config(plan)
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    enrolled = feedback.enrolled_counts([cls.id])[cls.id]
    named = [] if trainer_view else feedback.named_entries(cls)
    charts = {q.question.key: feedback_output.distribution_svg(q, q.question.text)
              for q in summary.questions if q.question.kind == "scale"}
    window = feedback.form_window(cls, config)
    return dict(plan=plan, cls=cls, config=config, summary=summary, enrolled=enrolled, named=named, charts=charts,
                window=window, trainer_view=trainer_view)


@bp.route("/plans/<code>/classes/<class_code>/feedback")
@login_required
def class_results(code, class_code):
    plan, cls = load_class(code, class_code, "feedback.view")
    context = _class_results(plan, cls)
    links = trainer_links.trainer_links(cls)
    return render_template("feedback/class_results.html", links=links,
                           link_token=trainer_links.trainer_link_token, form_url=feedback.form_url(cls, link_base()),
                           **context)


@bp.route("/plans/<code>/classes/<class_code>/feedback.xlsx")
@login_required
def class_results_xlsx(code, class_code):
    plan, cls = load_class(code, class_code, "feedback.view")
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    enrolled = feedback.enrolled_counts([cls.id])[cls.id]
    named = feedback.named_entries(cls)
    body = feedback_output.results_xlsx(plan, [(cls, summary, enrolled)], {cls.id: named} if named else None)
    return _xlsx(body, f"danh-gia-{plan.code}-{cls.code}.xlsx")


def _xlsx(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/plans/<code>/classes/<class_code>/feedback/qr")
@login_required
def feedback_poster(code, class_code):
    """The feedback QR for the projector at the end of the class (the kiosk shows it too once the form opens)."""
    plan, cls = load_class(code, class_code, "checkin.run")
    url = feedback.form_url(cls, link_base())
    config = feedback.form_config(plan)
    return render_template("feedback/poster.html", plan=plan, cls=cls, url=url,
                           svg=qr.qr_svg(url, scale=10, title=_("Mã QR phiếu đánh giá"), fluid=True),
                           closed=feedback.closed_message(cls, config, utcnow()))


@bp.route("/plans/<code>/feedback")
@login_required
def plan_results(code):
    plan = load_plan(code, "feedback.view")
    result = feedback.summarise_plan_feedback(plan)
    scale = [q for q in result.config.questions if q.kind == "scale"]
    charts = {q.key: feedback_output.averages_svg(
        [c.code for c in result.classes], [_average(result.by_class[c.id], q.key) for c in result.classes], q.text)
        for q in scale}
    distributions = {key: feedback_output.distribution_svg(q, q.question.text)
                     for key, q in result.distributions.items()}
    return render_template("feedback/plan_results.html", plan=plan, result=result, scale=scale, charts=charts,
                           distributions=distributions, average=_average)


def _average(summary, key):
    return summary.average(key)


@bp.route("/plans/<code>/feedback.xlsx")
@login_required
def plan_results_xlsx(code):
    plan = load_plan(code, "feedback.view")
    result = feedback.summarise_plan_feedback(plan)
    rows = [(c, result.by_class[c.id], result.enrolled[c.id]) for c in result.classes]
    named = None if result.config.anonymous else {c.id: feedback.named_entries(c) for c in result.classes}
    return _xlsx(feedback_output.results_xlsx(plan, rows, named), f"danh-gia-{plan.code}.xlsx")


@bp.route("/KQ/<link_token>")
@bp.route("/kq/<link_token>", alias=True)
def trainer_results(link_token):
    """A trainer's own class, read-only, from the link the organiser gave her (no names, even on a named plan)."""
    link = trainer_links.find_trainer_link(link_token)
    if link is None:
        abort(404)
    cls = link.training_class
    context = _class_results(cls.plan, cls, trainer_view=True)
    return _private(render_template("feedback/class_results.html", trainer=link.trainer, links=[], **context))


# --- settings and trainers' links ------------------------------------------------------------------

@bp.route("/plans/<code>/feedback/settings", methods=["GET", "POST"])
@login_required
def edit_settings(code):
    plan = load_plan(code, "feedback.manage")
    form = FeedbackSettingsForm()
    locked = feedback.plan_has_answers(plan)
    if request.method == "GET":
        config = feedback.form_config(plan)
        form.anonymous.data = config.anonymous
        form.opens_when.data = config.opens_when
        form.close_after_days.data = config.close_after_days
        form.questions_text.data = "\n".join(q.as_line() for q in config.questions)
        form.quiz_text.data = "\n\n".join(q.as_block() for q in config.quiz)
        return render_template("feedback/settings.html", plan=plan, form=form, locked=locked)
    if form.validate_on_submit():
        try:
            feedback.save_settings(current_user, plan, feedback.SettingsInput(
                anonymous=bool(form.anonymous.data), opens_when=form.opens_when.data,
                close_after_days=form.close_after_days.data or 0, questions_text=form.questions_text.data or "",
                quiz_text=form.quiz_text.data or ""))
        except DomainError as error:
            return refused("feedback/settings.html", form, error, plan=plan, locked=locked)
        flash(_("Đã lưu phiếu đánh giá của kế hoạch."), "success")
        return redirect(url_for("feedback.plan_results", code=plan.code), 303)
    return refused("feedback/settings.html", form, plan=plan, locked=locked)


@bp.route("/plans/<code>/classes/<class_code>/feedback/trainers/<int:trainer_id>/link", methods=["POST"])
@login_required
def issue_trainer_link(code, class_code, trainer_id):
    plan, cls = load_class(code, class_code, "feedback.manage")
    try:
        trainer_links.issue_trainer_link(current_user, cls, trainer_id, utcnow())
        flash(_("Đã tạo liên kết xem kết quả mới; liên kết cũ (nếu có) không còn dùng được."), "success")
    except DomainError as error:
        if error.code == "not_found":  # not a trainer of this class: as any unknown id
            raise
        flash(error.message, "error")
    return redirect(url_for("feedback.class_results", code=code, class_code=class_code) + "#trainers", 303)


@bp.route("/plans/<code>/classes/<class_code>/feedback/trainers/<int:trainer_id>/revoke", methods=["POST"])
@login_required
def revoke_trainer_link(code, class_code, trainer_id):
    plan, cls = load_class(code, class_code, "feedback.manage")
    back = url_for("feedback.class_results", code=code, class_code=class_code) + "#trainers"
    if not is_confirmed():
        # Not a trainer of this class answers 404 before anything is asked, as any unknown id.
        trainer = trainer_links.class_trainer(cls, trainer_id)
        return confirmation_page(
            title=_("Thu hồi liên kết của giảng viên %(name)s?", name=trainer.display_name),
            consequences=[_("Liên kết xem kết quả đánh giá đã gửi cho giảng viên sẽ ngừng hoạt động ngay."),
                          _("Muốn cho giảng viên xem lại phải tạo và gửi liên kết mới.")],
            confirm_label=_("Thu hồi"), cancel_url=back)
    try:
        trainer_links.revoke_trainer_link(current_user, cls, trainer_id, utcnow())
        flash(_("Đã thu hồi liên kết xem kết quả của giảng viên."), "success")
    except DomainError as error:
        if error.code == "not_found":  # not a trainer of this class: as any unknown id
            raise
        flash(error.message, "error")
    return redirect(url_for("feedback.class_results", code=code, class_code=class_code) + "#trainers", 303)


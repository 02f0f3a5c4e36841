"""Logging in and out."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ...extensions import limiter
from ...services.accounts import login_sessions
from ...services.accounts.accounts import authenticate
from ..boundary import commit_request
from ..common import FORM_REFUSED, safe_next
from .forms import EndSessionsForm, LoginForm

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _fresh_session() -> None:
    """A new session (no fixation) that keeps only the language the person chose."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            _fresh_session()
            login_sessions.start(user, request.user_agent.string)
            login_user(user, remember=form.remember.data)
            flash(_("Đăng nhập thành công."), "success")
            return redirect(safe_next(form.next.data, url_for("main.dashboard")))
        commit_request()  # the refusal answers 422, which commits nothing: keep its audit event
        form.form_errors.append(_("E-mail hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."))
    status = FORM_REFUSED if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    login_sessions.end(current_user._get_current_object())  # a copy of this cookie is worth nothing from now on
    logout_user()
    _fresh_session()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/sessions")
@login_required
def sessions():
    """Where she is logged in, with a button that ends every session but this one."""
    return render_template("auth/sessions.html", sessions=login_sessions.open_sessions(current_user),
                           this=login_sessions.current(current_user), form=EndSessionsForm(),
                           describe_browser=login_sessions.describe_browser)


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if EndSessionsForm().validate_on_submit():
        ended = login_sessions.end_others(current_user._get_current_object())
        flash(_("Đã đăng xuất %(num)s phiên khác.", num=ended) if ended else _("Không có phiên nào khác."), "success")
    return redirect(url_for("auth.sessions"), 303)

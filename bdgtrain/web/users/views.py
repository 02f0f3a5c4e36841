"""Accounts: list, create, edit (admins only)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ...errors import DomainError
from ...security import require
from ...services.accounts import accounts
from ...services.planning.orgs import org_choices
from ..common import choices, paginate, refused
from ..labels import ROLE_LABELS
from .forms import UserForm

bp = Blueprint("users", __name__, url_prefix="/users")


def _input(form: UserForm) -> accounts.UserInput:
    return accounts.UserInput(email=form.email.data, full_name=form.full_name.data or "", role=form.role.data,
                              organisation_id=form.organisation_id.data,
                              is_active_account=form.is_active_account.data)


@bp.route("/")
@login_required
@require("user.manage")
def list_users():
    q = request.args.get("q", "").strip()
    return render_template("users/list.html", page=paginate(accounts.query_users(q)), q=q, role_labels=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require("user.manage")
def create_user():
    form = UserForm()
    form.organisation_id.choices = choices([("", _("— Không có —"))] + org_choices(include_ended=False))
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Vui lòng đặt mật khẩu cho tài khoản mới.")]
            return refused("users/form.html", form, user=None)
        try:
            user = accounts.create_user(current_user, _input(form), form.password.data)
        except DomainError as error:
            return refused("users/form.html", form, error, user=None)
        flash(_("Đã tạo tài khoản %(email)s.", email=user.email), "success")
        return redirect(url_for("users.list_users"), 303)
    if request.method == "POST":
        return refused("users/form.html", form, user=None)
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
@require("user.manage")
def edit_user(user_id):
    user = accounts.get_user(user_id)
    form = UserForm(obj=user)
    form.organisation_id.choices = choices([("", _("— Không có —"))] + org_choices())
    if form.validate_on_submit():
        try:
            accounts.update_user(current_user, user, _input(form))
            if form.password.data:
                accounts.set_password(current_user, user, form.password.data)
                if user.id == current_user.id:
                    # Her other sessions end with the old version; this one goes on under the new one.
                    login_user(user)
        except DomainError as error:
            return refused("users/form.html", form, error, user=user)
        flash(_("Đã lưu tài khoản %(email)s.", email=user.email), "success")
        return redirect(url_for("users.list_users"), 303)
    if request.method == "POST":
        return refused("users/form.html", form, user=user)
    return render_template("users/form.html", form=form, user=user)

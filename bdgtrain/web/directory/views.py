"""Trainers and venues: lists, forms, deletion."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...security import require
from ...services.planning import directory
from ..common import confirmation_page, is_confirmed, paginate, refused
from ..forms import ConfirmForm
from .forms import TrainerForm, VenueForm

bp = Blueprint("directory", __name__)


@bp.route("/trainers/")
@login_required
@require("directory.view")
def list_trainers():
    return render_template("directory/trainers.html", page=paginate(directory.query_trainers()))


@bp.route("/trainers/new", methods=["GET", "POST"], defaults={"trainer_id": None})
@bp.route("/trainers/<int:trainer_id>/edit", methods=["GET", "POST"])
@login_required
@require("directory.manage")
def edit_trainer(trainer_id):
    trainer = directory.get_trainer(trainer_id) if trainer_id else None
    form = TrainerForm(obj=trainer)
    if form.validate_on_submit():
        try:
            directory.save_trainer(current_user, directory.TrainerInput(
                name=form.name.data, academic_title=form.academic_title.data or None,
                affiliation=form.affiliation.data or None, email=form.email.data or None), trainer)
        except DomainError as error:
            return refused("directory/trainer_form.html", form, error, trainer=trainer)
        flash(_("Đã lưu giảng viên."), "success")
        return redirect(url_for("directory.list_trainers"), 303)
    if request.method == "POST":
        return refused("directory/trainer_form.html", form, trainer=trainer)
    return render_template("directory/trainer_form.html", form=form, trainer=trainer)


@bp.route("/trainers/<int:trainer_id>/delete", methods=["POST"])
@login_required
@require("directory.manage")
def delete_trainer(trainer_id):
    trainer = directory.get_trainer(trainer_id)
    if ConfirmForm().validate_on_submit() and not is_confirmed():
        return confirmation_page(title=_("Xóa giảng viên %(name)s?", name=trainer.display_name),
                                 consequences=[_("Giảng viên bị xóa khỏi danh bạ; không hoàn tác được.")],
                                 confirm_label=_("Xóa"), cancel_url=url_for("directory.list_trainers"))
    if ConfirmForm().validate_on_submit():
        try:
            directory.delete_trainer(current_user, trainer)
            flash(_("Đã xóa giảng viên."), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("directory.list_trainers"), 303)


@bp.route("/venues/")
@login_required
@require("directory.view")
def list_venues():
    return render_template("directory/venues.html", page=paginate(directory.query_venues()))


@bp.route("/venues/new", methods=["GET", "POST"], defaults={"venue_id": None})
@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@login_required
@require("directory.manage")
def edit_venue(venue_id):
    venue = directory.get_venue(venue_id) if venue_id else None
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            directory.save_venue(current_user, directory.VenueInput(
                name=form.name.data, address=form.address.data or None, capacity=form.capacity.data), venue)
        except DomainError as error:
            return refused("directory/venue_form.html", form, error, venue=venue)
        flash(_("Đã lưu địa điểm."), "success")
        return redirect(url_for("directory.list_venues"), 303)
    if request.method == "POST":
        return refused("directory/venue_form.html", form, venue=venue)
    return render_template("directory/venue_form.html", form=form, venue=venue)


@bp.route("/venues/<int:venue_id>/delete", methods=["POST"])
@login_required
@require("directory.manage")
def delete_venue(venue_id):
    venue = directory.get_venue(venue_id)
    if ConfirmForm().validate_on_submit() and not is_confirmed():
        return confirmation_page(title=_("Xóa địa điểm %(name)s?", name=venue.name),
                                 consequences=[_("Địa điểm bị xóa khỏi danh bạ; không hoàn tác được.")],
                                 confirm_label=_("Xóa"), cancel_url=url_for("directory.list_venues"))
    if ConfirmForm().validate_on_submit():
        try:
            directory.delete_venue(current_user, venue)
            flash(_("Đã xóa địa điểm."), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("directory.list_venues"), 303)

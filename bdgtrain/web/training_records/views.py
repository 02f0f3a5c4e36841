"""Training outside the system (đào tạo, bồi dưỡng ngoài hệ thống): the list with its search, filters and
.xlsx export, a person's records with the form to add, change or delete one, and the .xlsx import (upload,
preview, confirm) with its template. Organisers manage; monitors read; every page naming people is logged.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...importers.training_template import template_workbook
from ...localtime import local_today
from ...models import EXTERNAL_TRAINING_KINDS
from ...rules.external_training import TrainingRecord
from ...security import require
from ...services.pool import external_training, external_training_import
from .. import access_log
from ..common import content_disposition, discard_preview, paginate, refused
from ..downloads import streamed_xlsx
from ..forms import ConfirmForm
from ..labels import EXTERNAL_TRAINING_KIND_LABELS, IMPORT_FIELD_LABELS
from .forms import PersonSearchForm, TrainingForm, UploadForm

bp = Blueprint("training_records", __name__, url_prefix="/training-records")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> external_training.TrainingFilters:
    year = request.args.get("year", type=int)
    kind = request.args.get("kind", "")
    return external_training.TrainingFilters(q=request.args.get("q", "").strip()[:120],
                                             kind=kind if kind in EXTERNAL_TRAINING_KINDS else "",
                                             year=year if year and 1900 <= year <= 2100 else None)


def _filter_args(filters: external_training.TrainingFilters) -> dict:
    return {k: v for k, v in (("q", filters.q), ("kind", filters.kind), ("year", filters.year)) if v}


# --- the list ----------------------------------------------------------------------------------------

@bp.route("/")
@login_required
@require("training_records.view")
def list_records():
    filters = _filters()
    page = paginate(external_training.query_trainings(filters, current_user), per_page=50)
    people = {t.person_id for t in page.items}
    if people:
        access_log.record_access("training_records.viewed", people=people, people_count=len(people))
    return render_template("training_records/list.html", page=page, filters=filters, args=_filter_args(filters),
                           kinds=EXTERNAL_TRAINING_KIND_LABELS)


@bp.route("/export.xlsx")
@login_required
@require("training_records.view")
def export_records():
    filters = _filters()
    people = external_training.export_people(filters, current_user)
    access_log.record_access("training_records.exported", people=people, people_count=len(people), detail="xlsx")
    response = streamed_xlsx(external_training.export_file(external_training.export_query(filters, current_user)),
                             "dao-tao-ngoai.xlsx")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- a person's records ------------------------------------------------------------------------------

@bp.route("/people", methods=["GET", "POST"])
@login_required
@require("training_records.manage")
def find_people():
    form = PersonSearchForm()
    people = None
    if form.validate_on_submit():
        try:
            people = external_training.find_people(form.q.data, current_user)
        except DomainError as error:
            return refused("training_records/people.html", form, error, people=None)
        access_log.record_access("training_records.person.searched", people=[p.id for p in people],
                                 people_count=len(people))
    elif request.method == "POST":
        return refused("training_records/people.html", form, people=None)
    return render_template("training_records/people.html", form=form, people=people)


@bp.route("/people/<int:person_id>")
@login_required
@require("training_records.view")
def person_records(person_id):
    person = external_training.get_person(person_id, current_user)
    access_log.record_access("training_records.person.viewed", person=person)
    return render_template("training_records/person.html", person=person,
                           trainings=external_training.trainings_of(person), kinds=EXTERNAL_TRAINING_KIND_LABELS)


def _record(form: TrainingForm) -> TrainingRecord:
    return TrainingRecord(kind=form.kind.data or "", title=form.title.data or "", provider=form.provider.data,
                          started_on=form.started_on.data, ended_on=form.ended_on.data, evidence=form.evidence.data,
                          counts_towards_measures=bool(form.counts_towards_measures.data))


@bp.route("/people/<int:person_id>/new", methods=["GET", "POST"])
@login_required
@require("training_records.manage")
def new_record(person_id):
    person = external_training.get_person(person_id, current_user)
    form = TrainingForm()
    if form.validate_on_submit():
        try:
            external_training.create_training(current_user, person, _record(form), local_today())
        except DomainError as error:
            return refused("training_records/form.html", form, error, person=person, training=None)
        flash(_("Đã ghi khóa đào tạo, bồi dưỡng."), "success")
        return redirect(url_for("training_records.person_records", person_id=person.id), 303)
    if request.method == "POST":
        return refused("training_records/form.html", form, person=person, training=None)
    access_log.record_access("training_records.person.viewed", person=person, detail="new")
    return render_template("training_records/form.html", form=form, person=person, training=None)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
@require("training_records.manage")
def edit_record(record_id):
    training = external_training.get_training(record_id, current_user)
    form = TrainingForm(obj=training)
    context = {"person": training.person, "training": training}
    if form.validate_on_submit():
        try:
            external_training.update_training(current_user, training, _record(form), local_today())
        except DomainError as error:
            return refused("training_records/form.html", form, error, **context)
        flash(_("Đã lưu khóa đào tạo, bồi dưỡng."), "success")
        return redirect(url_for("training_records.person_records", person_id=training.person_id), 303)
    if request.method == "POST":
        return refused("training_records/form.html", form, **context)
    access_log.record_access("training_records.person.viewed", person=training.person, detail="edit")
    return render_template("training_records/form.html", form=form, **context)


@bp.route("/<int:record_id>/delete", methods=["GET", "POST"])
@login_required
@require("training_records.manage")
def delete_record(record_id):
    training = external_training.get_training(record_id, current_user)
    form = ConfirmForm()
    person_id = training.person_id
    if form.validate_on_submit():
        external_training.delete_training(current_user, training)
        flash(_("Đã xóa khóa đào tạo, bồi dưỡng."), "success")
        return redirect(url_for("training_records.person_records", person_id=person_id), 303)
    if request.method == "POST":
        return refused("training_records/confirm_delete.html", form, training=training,
                       kinds=EXTERNAL_TRAINING_KIND_LABELS)
    access_log.record_access("training_records.person.viewed", person=training.person, detail="delete")
    return render_template("training_records/confirm_delete.html", form=form, training=training,
                           kinds=EXTERNAL_TRAINING_KIND_LABELS)


# --- import ------------------------------------------------------------------------------------------

@bp.route("/template.xlsx")
@login_required
@require("training_records.view")
def download_template():
    return Response(template_workbook(), mimetype=XLSX,
                    headers={"Content-Disposition": content_disposition("mau-dao-tao-ngoai.xlsx")})


@bp.route("/import", methods=["GET", "POST"])
@login_required
@require("training_records.manage")
def upload_import():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        filename = upload.filename or ""
        try:
            plan = external_training_import.read_training_file(filename, data, local_today(), current_user)
        except DomainError as error:
            return refused("training_records/upload.html", form, error)
        if plan.problems:  # refused whole: shown at once, nothing kept
            access_log.record_access("training_records.import.viewed", people_count=len(plan.rows),
                                     detail=filename[:100])
            return render_template("training_records/import.html", plan=plan, training_import=None, filename=filename,
                                   confirm_form=ConfirmForm(), field_labels=IMPORT_FIELD_LABELS,
                                   kinds=EXTERNAL_TRAINING_KIND_LABELS), 422
        training_import = external_training_import.store_upload(current_user, filename, data)
        return redirect(url_for("training_records.view_import", training_import_id=training_import.id), 303)
    if request.method == "POST":
        return refused("training_records/upload.html", form)
    return render_template("training_records/upload.html", form=form)


@bp.route("/imports/<int:training_import_id>")
@login_required
@require("training_records.manage")
def view_import(training_import_id):
    training_import = external_training_import.get_import(training_import_id, current_user)
    plan = external_training_import.preview_import(training_import, local_today(), current_user)
    access_log.record_access("training_records.import.viewed", detail=f"import {training_import.id}",
                             people_count=len(plan.rows) if plan else (training_import.summary or {}).get("rows"))
    return render_template("training_records/import.html", plan=plan, training_import=training_import,
                           filename=training_import.filename, confirm_form=ConfirmForm(),
                           field_labels=IMPORT_FIELD_LABELS, kinds=EXTERNAL_TRAINING_KIND_LABELS)


@bp.route("/imports/<int:training_import_id>/confirm", methods=["POST"])
@login_required
@require("training_records.manage")
def confirm_import(training_import_id):
    training_import = external_training_import.get_import(training_import_id, current_user)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("training_records.view_import", training_import_id=training_import_id), 303)
    try:
        report = external_training_import.confirm_import(current_user, training_import, local_today())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("training_records.view_import", training_import_id=training_import_id), 303)
    flash(_("Đã nhập %(records)s khóa đào tạo, bồi dưỡng: %(added)s người mới, %(matched)s người đã có.",
            records=report["records"], added=report["people_added"], matched=report["people_matched"]), "success")
    return redirect(url_for("training_records.view_import", training_import_id=training_import_id), 303)


@bp.route("/imports/<int:training_import_id>/discard", methods=["POST"])
@login_required
@require("training_records.manage")
def discard_import(training_import_id):
    training_import = external_training_import.get_import(training_import_id, current_user)
    return discard_preview(
        filename=training_import.filename,
        nothing_written=_("Bản xem trước của tệp “%(name)s” sẽ bị hủy; không có quá trình đào tạo nào được ghi."),
        bring_back=_("Muốn dùng lại tệp này thì phải tải lên lần nữa."),
        preview_url=url_for("training_records.view_import", training_import_id=training_import_id),
        done_url=url_for("training_records.upload_import"),
        discard=lambda: external_training_import.discard_import(current_user, training_import))

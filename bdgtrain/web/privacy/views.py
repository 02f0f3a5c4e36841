"""Personal-data protection (admin only): who saw whose data, what is held about a person, erasure.

Person pages are found by a POST search (no name or phone in a URL) and addressed by the registry
id; every page and file about a person is itself written to the access log.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...rules.dates import DateExpressionError, parse_vn_date
from ...rules.names import fold
from ...security import require
from ...services.accounts import accounts
from ...services.privacy import privacy
from ...services.privacy.access_log import people_names, search_query
from .. import access_log
from ..common import paginate, refused
from ..labels import ACCESS_ACTION_LABELS
from . import citizen_export
from .forms import EraseForm, PersonSearchForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



def _date_arg(name: str, errors: list[str]):
    text = request.args.get(name, "").strip()
    if not text:
        return None, ""
    try:
        return parse_vn_date(text), text
    except DateExpressionError:
        errors.append(_("Ngày \"%(text)s\" không hợp lệ; hãy viết theo dạng dd/mm/yyyy.", text=text))
        return None, text


@bp.route("/access-log")
@login_required
@require("privacy.manage")
def access_log_page():
    errors: list[str] = []
    person_id = request.args.get("person", type=int)
    user_id = request.args.get("user", type=int)
    first, first_text = _date_arg("from", errors)
    last, last_text = _date_arg("to", errors)
    if first and last and last < first:
        errors.append(_("Ngày kết thúc phải sau ngày bắt đầu."))
        first = last = None
    person = privacy.find_person(person_id) if person_id else None
    action = request.args.get("action", "").strip()
    page = paginate(search_query(person_id=person_id, user_id=user_id, first=first, last=last, action=action))
    users = accounts.list_users()
    filters = {"person": person_id or "", "user": user_id or "", "action": action, "from": first_text,
               "to": last_text}
    actions = sorted(((code, str(text)) for code, text in ACCESS_ACTION_LABELS.items()),
                     key=lambda choice: fold(choice[1]))
    return render_template("privacy/access_log.html", page=page, users=users, person=person, errors=errors,
                           filters=filters, actions=actions, names=people_names(page.items),
                           filtered=any(filters.values())), 422 if errors else 200


@bp.route("/people", methods=["GET", "POST"])
@login_required
@require("privacy.manage")
def find_people():
    form = PersonSearchForm()
    people = None
    if form.validate_on_submit():
        try:
            people = privacy.find_people(form.q.data)
        except DomainError as error:
            return refused("privacy/people.html", form, error, people=None)
        access_log.record_access("person.searched", people=[p.id for p in people], people_count=len(people))
    elif request.method == "POST":
        return refused("privacy/people.html", form, people=None)
    return render_template("privacy/people.html", form=form, people=people)


@bp.route("/people/<int:person_id>")
@login_required
@require("privacy.manage")
def view_person(person_id):
    person = privacy.get_person(person_id)
    dossier = privacy.person_dossier(person)
    access_log.record_access("person.viewed", person=person)
    return render_template("privacy/person.html", person=person, dossier=dossier)


@bp.route("/people/<int:person_id>/export.<any(json, xlsx):kind>")
@login_required
@require("privacy.manage")
def export_person(person_id, kind):
    person = privacy.get_person(person_id)
    dossier = privacy.person_dossier(person)
    access_log.record_access("person.exported", person=person, detail=kind)
    name = f"du-lieu-ca-nhan-{person.id}.{kind}"  # an id, never her name, in the file name
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    if kind == "json":
        return Response(json.dumps(dossier, ensure_ascii=False, indent=2), mimetype="application/json",
                        headers=headers)
    return Response(privacy.workbook(citizen_export.sheets(dossier)), mimetype=XLSX, headers=headers)


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@login_required
@require("privacy.manage")
def erase_person(person_id):
    person = privacy.get_person(person_id)
    form = EraseForm()
    context = {"person": person, "dossier": privacy.person_dossier(person)}
    if person.erased_at is not None:
        flash(_("Thông tin cá nhân của người này đã được xóa trước đó."), "info")
        return redirect(url_for("privacy.view_person", person_id=person.id), 303)
    if form.validate_on_submit():
        try:
            privacy.erase_person(current_user, person)
        except DomainError as error:
            return refused("privacy/confirm_erase.html", form, error, **context)
        flash(_("Đã xóa vĩnh viễn thông tin cá nhân. Số liệu điểm danh và báo cáo được giữ ở dạng ẩn danh."),
              "success")
        return redirect(url_for("privacy.view_person", person_id=person_id), 303)
    if request.method == "POST":
        return refused("privacy/confirm_erase.html", form, **context)
    access_log.record_access("person.viewed", person=person, detail="erase")
    return render_template("privacy/confirm_erase.html", form=form, **context)

"""Organisations: the tree, creating, editing, deleting units, and their dated moves, renames and ends."""
from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from ...errors import DomainError
from ...localtime import format_date
from ...models import Organisation
from ...security import require, user_can
from ...services.planning import document_settings as settings
from ...services.planning import orgs
from ..common import choices, code_links, id_links, refused
from ..forms import ConfirmForm
from ..labels import ORG_KIND_LABELS
from ..loaders import load_org
from .forms import DocumentSettingsForm, EndForm, MoveForm, OrgForm, RenameForm

bp = Blueprint("orgs", __name__, url_prefix="/organisations")
TREE_PAGE_SIZE = 200  # a province has a few hundred units; paging keeps a national tree usable


def _fill_choices(form: OrgForm, org=None) -> None:
    """Every unit, except (when editing) the unit itself and those below it."""
    below = orgs.subtree_ids(org) if org is not None else set()
    options = choices([("", _("— Không có —"))] + [(i, label) for i, label in orgs.org_choices() if i not in below])
    form.parent_id.choices = options
    form.successor_id.choices = options


def _input(form: OrgForm) -> orgs.OrgInput:
    return orgs.OrgInput(code=form.code.data, name=form.name.data, kind=form.kind.data,
                         parent_id=form.parent_id.data, valid_from=form.valid_from.data,
                         valid_to=form.valid_to.data, successor_id=form.successor_id.data,
                         note=form.note.data or None)


@bp.route("/")
@login_required
@require("org.view")
def list_organisations():
    q = request.args.get("q", "").strip()
    rows = orgs.org_tree_rows(query=q or None)
    page = request.args.get("page", 1, type=int)
    pages = max(1, -(-len(rows) // TREE_PAGE_SIZE))
    page = min(max(page, 1), pages)
    return render_template("orgs/list.html", rows=_tree_rows(rows[(page - 1) * TREE_PAGE_SIZE: page * TREE_PAGE_SIZE]),
                           total=len(rows), page=page, pages=pages, q=q)


class TreeRow(NamedTuple):
    """A row of the unit tree as the page draws it, worked out once a row by the view rather than by the
    template's loop (two permission checks, four links, a label and two dates a row: most of the page's
    time). The links to the calendar and the documents' defaults are None where the user may not open them."""
    org: Organisation
    name: Markup                  # escaped once: the row shows it five times
    indent: int                   # its depth, at most 6
    kind: str                     # its kind's word
    starts: str                   # valid_from, valid_to as the page writes them ("" for none)
    ends: str
    calendar_link: str | None
    documents_link: str | None
    edit_link: str
    add_child_link: str


def _tree_rows(rows: list) -> list[TreeRow]:
    user = current_user._get_current_object()  # the user behind the proxy, once
    # The kinds' words translated once for the page, not once a row (the labels are lazy strings).
    kind_labels = {kind: str(text) for kind, text in ORG_KIND_LABELS.items()}
    calendar_link, documents_link = code_links("calendar.org_calendar", "org_code"), code_links(
        "orgs.document_settings", "code")
    edit_link, add_child_link = code_links("orgs.edit_organisation", "code"), id_links(
        "orgs.create_organisation", "parent")
    return [TreeRow(org, escape(org.name), min(depth, 6), kind_labels.get(org.kind, org.kind),
                    format_date(org.valid_from), format_date(org.valid_to),
                    calendar_link(org.code) if user_can(user, "calendar.org", org) else None,
                    documents_link(org.code) if user_can(user, "org.documents", org) else None,
                    edit_link(org.code), add_child_link(org.id)) for org, depth in rows]


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require("org.manage")
def create_organisation():
    form = OrgForm(parent_id=request.args.get("parent", type=int))
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            org = orgs.create_org(current_user, _input(form))
        except DomainError as error:
            return refused("orgs/form.html", form, error, org=None)
        flash(_("Đã thêm đơn vị %(name)s.", name=org.name), "success")
        return redirect(url_for("orgs.list_organisations"), 303)
    if request.method == "POST":
        return refused("orgs/form.html", form, org=None)
    return render_template("orgs/form.html", form=form, org=None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@login_required
@require("org.manage")
def edit_organisation(code):
    org = load_org(code)  # require("org.manage") above has decided, whatever the unit
    form = OrgForm(obj=org)
    _fill_choices(form, org)
    if form.validate_on_submit():
        try:
            orgs.update_org(current_user, org, _input(form))
        except DomainError as error:
            return refused("orgs/form.html", form, error, org=org, history=orgs.org_history(org))
        flash(_("Đã lưu đơn vị %(name)s.", name=org.name), "success")
        return redirect(url_for("orgs.list_organisations"), 303)
    if request.method == "POST":
        return refused("orgs/form.html", form, org=org, history=orgs.org_history(org))
    return render_template("orgs/form.html", form=form, org=org, history=orgs.org_history(org))


@bp.route("/<code>/delete", methods=["GET", "POST"])
@login_required
@require("org.manage")
def delete_organisation(code):
    org = load_org(code)  # require("org.manage") above has decided, whatever the unit
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            orgs.delete_org(current_user, org)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("orgs.edit_organisation", code=org.code), 303)
        flash(_("Đã xóa đơn vị %(name)s.", name=org.name), "success")
        return redirect(url_for("orgs.list_organisations"), 303)
    return render_template("orgs/confirm_delete.html", form=form, org=org, in_use=orgs.org_in_use(org))


def _unit_choices(org, *, none_label=None) -> list:
    """Every unit but `org` (with its state today), for the dated changes' selects."""
    first = [("", none_label)] if none_label else []
    return choices(first + [(i, label) for i, label in orgs.org_choices() if i != org.id])


@bp.route("/<code>/move", methods=["GET", "POST"])
@login_required
@require("org.manage")
def move_organisation(code):
    org = load_org(code)  # require("org.manage") above has decided, whatever the unit
    form = MoveForm(parent_id=org.parent_id)
    form.parent_id.choices = _unit_choices(org, none_label=_("— Không có —"))
    if form.validate_on_submit():
        try:
            orgs.move_org(current_user, org, form.moved_on.data, form.parent_id.data)
        except DomainError as error:
            return refused("orgs/change.html", form, error, org=org, change="move")
        flash(_("Đã chuyển đơn vị %(name)s từ ngày %(day)s.", name=org.name, day=format_date(form.moved_on.data)),
              "success")
        return redirect(url_for("orgs.edit_organisation", code=org.code), 303)
    if request.method == "POST":
        return refused("orgs/change.html", form, org=org, change="move")
    return render_template("orgs/change.html", form=form, org=org, change="move")


@bp.route("/<code>/rename", methods=["GET", "POST"])
@login_required
@require("org.manage")
def rename_organisation(code):
    org = load_org(code)  # require("org.manage") above has decided, whatever the unit
    form = RenameForm()
    if form.validate_on_submit():
        try:
            orgs.rename_org(current_user, org, form.renamed_on.data, form.name.data)
        except DomainError as error:
            return refused("orgs/change.html", form, error, org=org, change="rename")
        flash(_("Đã đổi tên đơn vị thành %(name)s.", name=form.name.data), "success")
        return redirect(url_for("orgs.edit_organisation", code=org.code), 303)
    if request.method == "POST":
        return refused("orgs/change.html", form, org=org, change="rename")
    return render_template("orgs/change.html", form=form, org=org, change="rename")


@bp.route("/<code>/end", methods=["GET", "POST"])
@login_required
@require("org.manage")
def end_organisation(code):
    """Two steps: the form, then a confirmation of what will be recorded (the same fields, confirmed)."""
    org = load_org(code)  # require("org.manage") above has decided, whatever the unit
    form = EndForm(valid_to=org.valid_to, successor_ids=[link.successor_id for link in org.successor_links])
    form.successor_ids.choices = _unit_choices(org)
    if form.validate_on_submit():
        try:
            if form.confirmed.data != "yes":
                successors = orgs.check_end(org, form.valid_to.data, form.successor_ids.data)
                form.confirmed.data = "yes"
                return render_template("orgs/end.html", form=form, org=org, confirming=True, successors=successors)
            orgs.end_org(current_user, org, form.valid_to.data, form.successor_ids.data, form.note.data or None)
        except DomainError as error:
            form.confirmed.data = ""
            return refused("orgs/end.html", form, error, org=org, confirming=False)
        flash(_("Đã ghi ngày kết thúc của đơn vị %(name)s.", name=org.name), "success")
        return redirect(url_for("orgs.edit_organisation", code=org.code), 303)
    if request.method == "POST":
        return refused("orgs/end.html", form, org=org, confirming=False)
    return render_template("orgs/end.html", form=form, org=org, confirming=False)


@bp.route("/<code>/documents", methods=["GET", "POST"])
@login_required
def document_settings(code):
    org = load_org(code, "org.documents")
    defaults = settings.document_defaults(org)
    form = DocumentSettingsForm(obj=defaults if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            settings.save_document_defaults(current_user, org, settings.DocumentDefaults(
                **{name: getattr(form, name).data or "" for name in settings.FIELD_LIMITS}))
        except DomainError as error:
            return refused("orgs/documents.html", form, error, org=org)
        flash(_("Đã lưu mặc định văn bản của %(name)s.", name=org.name), "success")
        return redirect(url_for("orgs.document_settings", code=org.code), 303)
    if request.method == "POST":
        return refused("orgs/documents.html", form, org=org)
    return render_template("orgs/documents.html", form=form, org=org)

"""Uploading lists, the roster of a class with its exports, and the organiser's decisions."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup

from ...errors import DomainError
from ...importers.person_list import LIST_SHAPES, template_workbook
from ...localtime import local_today
from ...models import ENROLMENT_STATUSES
from ...rules.names import text_sort_key
from ...security import authorise, can, require
from ...services.core.paging import page_of_list
from ...services.lists import contacts, duplicates, lists, roster, roster_decisions, roster_files
from ...services.lists.import_plan import preview_rows, supplier_figures
from ...services.planning import seats as planning_seats
from ...services.planning import sessions as planning_sessions
from .. import access_log
from ..common import (
    FORM_REFUSED,
    attach_error,
    choices,
    confirmation_page,
    content_disposition,
    discard_preview,
    id_links,
    is_confirmed,
    page_arg,
    paginate,
    refused,
)
from ..downloads import streamed_csv, streamed_xlsx
from ..forms import ConfirmForm
from ..labels import IMPORT_FIELD_LABELS, label
from ..loaders import load_class
from .forms import ContactForm, EnrolmentForm, QuotaForm, UploadForm
from .rows import RosterWords, roster_rows, signin_rows

bp = Blueprint("lists", __name__)


def _as_seen(report):
    """A supplier never reads that another agency nominated someone, nor whom a row looks like (issue 20)."""
    return report.for_supplier() if report is not None and current_user.role == "supplier" else report


def _sources(cls):
    """A supplier sends for her own agency; an organiser may upload on behalf of any of the class's suppliers."""
    if current_user.role == "supplier":
        return [current_user.organisation]
    return sorted(cls.supplier_orgs, key=lambda o: text_sort_key(o.name))


# --- upload and preview ------------------------------------------------------------------------

@bp.route("/plans/<code>/classes/<class_code>/lists/upload", methods=["GET", "POST"])
@login_required
def upload_list(code, class_code):
    plan, cls = load_class(code, class_code, "list.upload")
    form = UploadForm()
    form.source_org_id.choices = choices((o.id, o.name) for o in _sources(cls))
    context = dict(plan=plan, cls=cls, imports=lists.imports_of_class(
        cls, current_user.organisation_id if current_user.role == "supplier" else None), shapes=LIST_SHAPES)
    if form.validate_on_submit():
        source = next((o for o in _sources(cls) if o.id == form.source_org_id.data), None)
        if source is None:
            return refused("lists/upload.html", form, DomainError(
                "lists.not_a_supplier", _("Hãy chọn đơn vị gửi danh sách."), field="source_org_id"), **context)
        upload = form.file.data
        data = upload.read()
        try:
            lists.check_can_supply(cls, source)
            read = lists.read_list_upload(upload.filename or "", data, local_today())
        except DomainError as error:
            return refused("lists/upload.html", form, error, **context)
        if read.problems:
            plan_ = _as_seen(lists.plan_import(cls, source, read))
            return render_template("lists/import.html", plan=plan, cls=cls, report=plan_, list_import=None,
                                   filename=upload.filename, previous=None, confirm_form=ConfirmForm(),
                                   field_labels=IMPORT_FIELD_LABELS, **_preview_pages(plan_),
                                   reveal_agencies=current_user.role != "supplier"), 422
        list_import = lists.store_upload(current_user, cls, source, upload.filename or "", data)
        lists.preview_upload(list_import, read, local_today())  # matched once, here: its pages read the result
        return redirect(url_for("lists.view_import", import_id=list_import.id), 303)
    if request.method == "POST":
        return refused("lists/upload.html", form, **context)
    return render_template("lists/upload.html", form=form, **context)


@bp.route("/lists/imports/<int:import_id>")
@login_required
def view_import(import_id):
    list_import = lists.get_import(import_id)
    authorise("list.view_import", list_import)
    cls = list_import.training_class
    report, summary = None, list_import.summary or {}
    if list_import.status == "preview":
        report = _as_seen(lists.kept_preview(list_import, local_today()))
    if current_user.role == "supplier":
        summary = supplier_figures(summary)
    pages = _preview_pages(report)
    # The page names the people of one page of the preview; a sent import's page names nobody.
    shown = len(pages["rows_page"].items) if report is not None else (list_import.summary or {}).get("rows")
    access_log.record_access("list.import.viewed", cls=cls, people_count=shown, detail=f"import {list_import.id}")
    return render_template("lists/import.html", plan=cls.plan, cls=cls, report=report, list_import=list_import,
                           filename=list_import.filename, previous=lists.previous_submission(list_import),
                           confirm_form=ConfirmForm(), field_labels=IMPORT_FIELD_LABELS, summary=summary,
                           reveal_agencies=current_user.role != "supplier", **pages)


def _preview_pages(report) -> dict:
    """The preview's rows (or, for a refused file, its problems) 100 at a time: a file of 3,000 rows
    made a page of megabytes. ?q= finds a name (without diacritics), ?attention=1 keeps the rows to look at."""
    if report is None:
        return {}
    q, attention = request.args.get("q", "").strip()[:100], request.args.get("attention") == "1"
    page = page_arg()
    return {"rows_page": page_of_list(preview_rows(report, q=q, attention=attention), page),
            "problems_page": page_of_list(report.rejected, page),
            "preview_args": {k: v for k, v in (("q", q), ("attention", "1" if attention else "")) if v},
            "attention_count": sum(1 for r in report.rows if r.needs_attention)}


@bp.route("/lists/imports/<int:import_id>/submit", methods=["POST"])
@login_required
def submit_import(import_id):
    list_import = lists.get_import(import_id)
    authorise("list.view_import", list_import)
    authorise("list.upload", list_import.training_class)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("lists.view_import", import_id=import_id), 303)
    try:
        report = lists.submit_import(current_user, list_import, local_today())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("lists.view_import", import_id=import_id), 303)
    if current_user.role == "supplier":
        figures = supplier_figures(report)
        flash(_("Đã gửi danh sách: %(added)s người mới, %(matched)s người đã có.",
                added=figures["added"], matched=figures["matched"]), "success")
    else:
        flash(_("Đã gửi danh sách: %(added)s người mới, %(matched)s người đã có, %(merged)s người trùng với đơn vị "
                "khác.", added=report["added"], matched=report["matched"], merged=report["merged"]), "success")
    return redirect(url_for("lists.view_import", import_id=import_id), 303)


@bp.route("/lists/imports/<int:import_id>/discard", methods=["POST"])
@login_required
def discard_import(import_id):
    list_import = lists.get_import(import_id)
    authorise("list.view_import", list_import)
    cls = list_import.training_class
    return discard_preview(
        filename=list_import.filename,
        nothing_written=_("Bản xem trước của tệp “%(name)s” sẽ bị hủy; không ai được ghi vào danh sách."),
        bring_back=_("Muốn dùng lại danh sách này thì phải tải tệp lên lần nữa."),
        preview_url=url_for("lists.view_import", import_id=import_id),
        done_url=url_for("lists.upload_list", code=cls.plan.code, class_code=cls.code),
        discard=lambda: lists.discard_import(current_user, list_import))


@bp.route("/lists/templates/<shape>.xlsx")
@login_required
def download_template(shape):
    if shape not in LIST_SHAPES:
        raise DomainError("not_found", _("Không có mẫu danh sách này."))
    return Response(template_workbook(shape), mimetype=XLSX,
                    headers={"Content-Disposition": content_disposition(f"mau-danh-sach-{shape}.xlsx")})


# --- the roster --------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(cls) -> roster.RosterFilters:
    filters = roster.RosterFilters(q=request.args.get("q", "").strip(), unit=request.args.get("unit", "").strip(),
                                   status=(request.args.get("status", "")
                                           if request.args.get("status") in ENROLMENT_STATUSES else ""),
                                   agency_id=request.args.get("agency", type=int))
    if current_user.role == "supplier":
        filters.only_agency_id = current_user.organisation_id
    return filters


@bp.route("/plans/<code>/classes/<class_code>/roster")
@login_required
def view_roster(code, class_code):
    plan, cls = load_class(code, class_code, "roster.view")
    filters = _filters(cls)
    manage = can("roster.manage", cls)
    figures = roster.roster_figures(cls, with_quota_bodies=manage, nominated_by=filters.agency_alone)
    # 100 a page with its search (?q=): a class of 3,000 is read a page at a time (issue 22), counted by
    # the figures when they can.
    page = roster.roster_page(cls, filters, page_arg(), total=figures.roster_total(filters))
    access_log.record_access("roster.viewed", cls=cls, people_count=len(page.items))
    # The forms and the rows' links are drawn for those who manage the roster only: made for them only.
    quota_form = confirm_form = edit_url = None
    if manage:
        quota_form, confirm_form = QuotaForm(), ConfirmForm()
        quota_form.organisation_id.choices = choices([(body.id, body.name) for body in figures.quota_bodies])
        edit_url = id_links("lists.edit_enrolment", "enrolment_id", code=plan.code, class_code=cls.code)
    # The rows' words translated once for the page; the rows drawn in Python (web/lists/rows.py).
    words = RosterWords(man=Markup(_("nam")), replaced_by=_("Thay bằng %(name)s"), change=Markup(_("Thay đổi")),
                        statuses={status: label(status, "enrolment") for status in ENROLMENT_STATUSES})
    return render_template("lists/roster.html", plan=plan, cls=cls, page=page, rows=page.items,
                           drawn_rows=roster_rows(page.items, page.offset, words, edit_url),
                           filters=filters, seats=figures.seats, counts=figures.counts,
                           agencies=figures.suppliers, quota_form=quota_form, confirm_form=confirm_form,
                           waiting=_waiting_preview(cls, filters, figures.counts.get("waiting", 0)))


WAITING_SHOWN = 10  # the roster shows the head of the waiting list; its own page shows all of it, paged


def _waiting_preview(cls, filters, waiting_count: int):
    if not waiting_count:  # nobody waits in the class: nobody of her agency either
        return {"rows": [], "total": 0}
    rows, total = roster.waiting_preview(cls, WAITING_SHOWN, filters.only_agency_id)
    return {"rows": rows, "total": total}


@bp.route("/plans/<code>/classes/<class_code>/waiting")
@login_required
def view_waiting(code, class_code):
    """The whole waiting list in its order, paged."""
    plan, cls = load_class(code, class_code, "roster.view")
    only = current_user.organisation_id if current_user.role == "supplier" else None
    page = paginate(roster.waiting_query(cls, only))
    access_log.record_access("roster.viewed", cls=cls, people_count=len(page.items), detail="waiting")
    return render_template("lists/waiting.html", plan=plan, cls=cls, page=page,
                           rows=roster.waiting_rows(cls, page.items))


def _export(code, class_code, kind: str):
    """The filtered roster as a file sent while its rows are read (a class of 3,000 took 63 s to build)."""
    plan, cls = load_class(code, class_code, "roster.view")
    filters = _filters(cls)
    access_log.record_access("roster.exported", cls=cls, people_count=roster.count_roster(cls, filters), detail=kind)
    chunks = roster_files.roster_file(cls.id, filters, kind)
    filename = f"danh-sach-{plan.code}-{cls.code}.{kind}"
    return streamed_xlsx(chunks, filename) if kind == "xlsx" else streamed_csv(chunks, filename)


@bp.route("/plans/<code>/classes/<class_code>/roster.xlsx")
@login_required
def export_roster_xlsx(code, class_code):
    return _export(code, class_code, "xlsx")


@bp.route("/plans/<code>/classes/<class_code>/roster.csv")
@login_required
def export_roster_csv(code, class_code):
    return _export(code, class_code, "csv")


SIGNIN_PER_BATCH = 500  # 20 A4 pages a print job, about 140 kB of HTML


@bp.route("/plans/<code>/classes/<class_code>/sign-in-sheet")
@login_required
def signin_sheet(code, class_code):
    """The sheet to sign, SIGNIN_PER_BATCH people at a time (?batch=N), as the invitation cards: the class
    of 3,000 on one sheet made 834 kB and 615 ms; each batch links to the others and numbers on from them."""
    plan, cls = load_class(code, class_code, "roster.view")
    filters = _filters(cls)
    batch = roster.signin_page(cls, filters, page_arg("batch"), SIGNIN_PER_BATCH)
    venue, sessions = planning_sessions.venue_and_sessions(cls)
    access_log.record_access("signin_sheet.printed", cls=cls, people_count=len(batch.items),
                             detail=f"batch {batch.page}/{batch.pages}" if batch.pages > 1 else None)
    sessions = [s for s in sessions if s.status == "scheduled"]
    return render_template("lists/signin_sheet.html", plan=plan, cls=cls, batch=batch, venue=venue, sessions=sessions,
                           rows=signin_rows(batch.items, batch.offset, len(sessions)),
                           filter_args={k: v for k, v in request.args.items() if k != "batch"})


@bp.route("/plans/<code>/classes/<class_code>/roster/confirm", methods=["POST"])
@login_required
def confirm_roster(code, class_code):
    plan, cls = load_class(code, class_code, "roster.manage")
    back = url_for("lists.view_roster", code=code, class_code=class_code)
    if not ConfirmForm().validate_on_submit():
        return redirect(back, 303)
    if not is_confirmed():
        nominated = roster.status_counts(cls).get("nominated", 0)
        return confirmation_page(
            title=_("Xác nhận tất cả người được cử?"),
            consequences=[_("%(n)s người đang ở trạng thái “Được cử” sẽ chuyển sang “Đã xác nhận”.", n=nominated),
                          _("Không thể hoàn tác cho cả danh sách cùng lúc: phải sửa từng người.")],
            confirm_label=_("Xác nhận %(n)s người", n=nominated), cancel_url=back, danger=False)
    try:
        count = roster_decisions.confirm_nominated(current_user, cls)
        flash(_("Đã xác nhận %(n)s người.", n=count), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(back, 303)


@bp.route("/plans/<code>/classes/<class_code>/quotas", methods=["POST"])
@login_required
def set_quota(code, class_code):
    plan, cls = load_class(code, class_code, "roster.manage")
    form = QuotaForm()
    form.organisation_id.choices = choices([(o.id, o.name) for o in roster.list_quota_bodies(cls)])
    if form.validate_on_submit() and form.organisation_id.data:
        try:
            roster_decisions.set_quota(current_user, cls, form.organisation_id.data, form.seats.data)
            flash(_("Đã lưu số suất được phân bổ."), "success")
        except DomainError as error:
            flash(error.message, "error")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("lists.view_roster", code=code, class_code=class_code) + "#suat", 303)


ACTIONS = [("confirmed", _l("Xác nhận tham gia")), ("nominated", _l("Đưa về trạng thái được cử")),
           ("declined", _l("Không tham gia")), ("replaced", _l("Thay bằng người khác"))]


REPLACEMENTS_SHOWN = 50


@bp.route("/plans/<code>/classes/<class_code>/roster/<int:enrolment_id>", methods=["GET", "POST"])
@login_required
def edit_enrolment(code, class_code, enrolment_id):
    plan, cls = load_class(code, class_code, "roster.manage")
    enrolment = roster_decisions.get_enrolment(cls, enrolment_id)
    form = EnrolmentForm()
    form.action.choices = choices((k, str(label)) for k, label in ACTIONS)
    # The first REPLACEMENTS_SHOWN who may replace her, found by name (?q=): a class of 3,000 made a
    # drop-down of 3,000 names (issue 22). The choice is checked when saved (change_enrolment).
    q = request.args.get("q", "").strip()[:100]
    form.replacement_id.choices = choices([("", _("— Chọn người thay thế —"))] + [
        (e.id, f"{e.person.full_name} — {e.person.unit_name or ''}"
               + (f" ({_('danh sách chờ')})" if e.status == "waiting" else ""))
        for e in roster_decisions.list_replacements(enrolment, q, REPLACEMENTS_SHOWN)])
    contact_form = ContactForm(prefix="contact", formdata=None, obj=enrolment.person)
    context = dict(plan=plan, cls=cls, enrolment=enrolment, contact_form=contact_form, replacement_q=q,
                   replacements_total=roster_decisions.count_replacements(enrolment, q),
                   replacements_shown=REPLACEMENTS_SHOWN)
    if form.validate_on_submit():
        try:
            replacement = None
            if form.action.data == "replaced":
                replacement = (roster_decisions.get_enrolment(cls, form.replacement_id.data)
                               if form.replacement_id.data else None)
                if replacement is None:
                    raise DomainError("lists.bad_replacement", _("Vui lòng chọn người thay thế."),
                                      field="replacement_id")
            promoted = planning_seats.change_enrolment(current_user, enrolment, form.action.data, form.note.data,
                                                       replacement)
        except DomainError as error:
            return refused("lists/enrolment.html", form, error, **context)
        flash(_("Đã cập nhật %(name)s.", name=enrolment.person.full_name), "success")
        if promoted:
            flash(_("Có chỗ trống: đã xếp chỗ cho người kế tiếp trong danh sách chờ: %(names)s.",
                    names=", ".join(e.person.full_name for e in promoted)), "info")
        return redirect(url_for("lists.view_roster", code=code, class_code=class_code), 303)
    if request.method == "POST":
        return refused("lists/enrolment.html", form, **context)
    form.action.data = enrolment.status if enrolment.status != "replaced" else "replaced"
    form.note.data = enrolment.status_note
    access_log.record_access("enrolment.viewed", cls=cls, person=enrolment.person)
    return render_template("lists/enrolment.html", form=form, **context)


@bp.route("/plans/<code>/classes/<class_code>/roster/<int:enrolment_id>/contact", methods=["POST"])
@login_required
def edit_contact(code, class_code, enrolment_id):
    """Her e-mail and phone, from the roster's "Thay đổi" page (person.contact.changed)."""
    plan, cls = load_class(code, class_code, "roster.manage")
    enrolment = roster_decisions.get_enrolment(cls, enrolment_id)  # another class's person: 404
    form = ContactForm(prefix="contact")
    enrolment_form = EnrolmentForm(formdata=None)
    enrolment_form.action.choices = choices((k, str(label)) for k, label in ACTIONS)
    enrolment_form.replacement_id.choices = []
    enrolment_form.action.data, enrolment_form.note.data = enrolment.status, enrolment.status_note
    if form.validate_on_submit():
        try:
            changed = contacts.change_contact(current_user, enrolment.person, form.email.data, form.phone.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Đã lưu thông tin liên hệ của %(name)s.", name=enrolment.person.full_name) if changed
                  else _("Thông tin liên hệ không thay đổi."), "success" if changed else "info")
            return redirect(url_for("lists.edit_enrolment", code=code, class_code=class_code,
                                    enrolment_id=enrolment.id), 303)
    return render_template("lists/enrolment.html", form=enrolment_form, contact_form=form, plan=plan, cls=cls,
                           enrolment=enrolment), FORM_REFUSED


# --- possible duplicates -----------------------------------------------------------------------

FLAG_REASONS = {"name_birth_year": _l("Cùng họ tên và năm sinh, khác đơn vị"),
                "phone": _l("Cùng số điện thoại, khác họ tên hoặc năm sinh"),
                "id_number": _l("Cùng số CCCD, khác họ tên hoặc năm sinh")}

@bp.route("/lists/duplicates")
@login_required
@require("person.merge")
def list_duplicates():
    page = paginate(duplicates.open_flags(current_user))
    access_log.record_access("duplicates.viewed", people=[p for flag in page.items
                                                          for p in (flag.person_id, flag.other_person_id)],
                             people_count=2 * len(page.items))
    return render_template("lists/duplicates.html", page=page, confirm_form=ConfirmForm(), reasons=FLAG_REASONS)


@bp.route("/lists/duplicates/<int:flag_id>/<any(merge, distinct):decision>", methods=["POST"])
@login_required
@require("person.merge")
def resolve_duplicate(flag_id, decision):
    flag = duplicates.get_flag(flag_id)
    if not duplicates.flag_in_reach(current_user, flag):
        abort(403)  # another province's people, or nominees of plans she does not organise (issue 20)
    if decision == "merge" and ConfirmForm().validate_on_submit() and not is_confirmed():
        # Merging removes the newer entry for good (the audit keeps its history): asked first.
        return confirmation_page(
            title=_("Gộp hai người thành một?"),
            consequences=[_("Các lượt cử, ghi danh và mọi dữ liệu khác của người mới chuyển sang người đã có; "
                            "các ô còn trống được điền."),
                          _("Người mới bị xóa. Không hoàn tác được.")],
            confirm_label=_("Là một người: gộp"), cancel_url=url_for("lists.list_duplicates"))
    if ConfirmForm().validate_on_submit():
        try:
            if decision == "merge":
                person = duplicates.merge_people(current_user, flag)
                flash(_("Đã gộp thành một người: %(name)s.", name=person.full_name), "success")
            else:
                duplicates.mark_distinct(current_user, flag)
                flash(_("Đã ghi nhận là hai người khác nhau."), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("lists.list_duplicates"), 303)

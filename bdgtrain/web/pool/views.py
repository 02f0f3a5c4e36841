"""A unit's planning pool kept through the years: its list for a cycle, adding, leaving, joining again,
carrying into the next cycle, a person's history, and re-importing a cycle's list (upload, preview of
new / unchanged / no longer listed, confirm with a leaving day). Organisers of the province and the
unit's own accounts manage it (`pool.manage`); monitors read (`pool.view`)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from ...errors import DomainError
from ...localtime import local_today
from ...security import can
from ...services.planning.orgs import org_tree_rows
from ...services.pool import pool, pool_register
from .. import access_log
from ..common import (
    attach_error,
    choices,
    discard_preview,
    id_links,
    page_arg,
    read_pages_beside_writers,
    refused,
)
from ..forms import ConfirmForm
from ..loaders import load_org
from .forms import LEAVE_REASON_LABELS, AddEntryForm, CarryForm, ConfirmUploadForm, LeaveForm, RejoinForm, UploadForm

bp = Blueprint("pool", __name__, url_prefix="/pool")
read_pages_beside_writers(bp)

STATE_LABELS = {"in_pool": _l("Đang trong diện quy hoạch"), "left": _l("Đã rời"), "ended": _l("Hết nhiệm kỳ"),
                "carried": _l("Đã chuyển sang nhiệm kỳ sau")}


def _context(unit, **extra):
    return dict(unit=unit, reasons=LEAVE_REASON_LABELS, can_manage=can("pool.manage", unit), **extra)


def _cycle_of_request(cycles: list[str]) -> str | None:
    """The cycle named in the query string, else the unit's newest of `cycles`."""
    asked = request.args.get("cycle", "").strip()
    if asked:
        return asked
    return cycles[0] if cycles else None


def _back(unit, cycle: str | None):
    return url_for("pool.unit_pool", org_code=unit.code, cycle=cycle) if cycle else url_for(
        "pool.unit_pool", org_code=unit.code)


@bp.route("/")
@login_required
def index():
    """The units whose pool the user may read."""
    units = [(o, depth) for o, depth in org_tree_rows() if can("pool.view", o)]
    return render_template("pool/index.html", units=units)


@bp.route("/<org_code>")
@login_required
def unit_pool(org_code):
    unit = load_org(org_code, "pool.view")
    cycles = pool_register.unit_cycles(unit)
    cycle = _cycle_of_request(cycles)
    search = request.args.get("q", "").strip()
    listing, error = None, None
    if cycle:
        try:
            listing = pool_register.list_pool(unit, cycle, local_today(), search,
                                              page=request.args.get("page", 1, type=int))
        except DomainError as refusal:
            error = refusal.message
    if listing is not None and listing.rows:
        # The people listed belong to a unit's pool, not to a class: each is named (docs/PRIVACY.md).
        access_log.record_access("pool.list.viewed", people=[row.person_id for row in listing.rows],
                                 people_count=len(listing.rows), detail=f"unit {unit.code} cycle {listing.cycle}")
    # The states' words translated once for the page (each lazy label is translated again at each row).
    states = {state: str(label) for state, label in STATE_LABELS.items()}
    context = _context(unit, listing=listing, cycle=cycle or "", search=search, error=error,
                       cycles=cycles, states=states, links=_row_links(unit),
                       next_cycle=pool_register.next_cycle(listing.cycle) if listing else "")
    return render_template("pool/unit_pool.html", **context), 422 if error else 200


def _row_links(unit) -> dict:
    """Each row's links, built once for the page (id_links) rather than once a row."""
    return {"history": id_links("pool.person_history", "person_id", org_code=unit.code),
            **{name: id_links(f"pool.{name}_entry", "entry_id", org_code=unit.code)
               for name in ("leave", "carry", "rejoin")}}


@bp.route("/<org_code>/add", methods=["GET", "POST"])
@login_required
def add_entry(org_code):
    unit = load_org(org_code, "pool.manage")
    form = AddEntryForm()
    if request.method == "GET":
        form.cycle.data = request.args.get("cycle", "")
    find = request.values.get("find", "").strip()
    found = pool_register.find_people(find)
    form.person_id.choices = choices((str(p.id), p.full_name) for p in found)
    if found:
        access_log.record_access("person.searched", people=[p.id for p in found], people_count=len(found),
                                 detail=f"pool add, unit {unit.code}")
    context = _context(unit, find=find, found=found)
    if request.method == "POST" and request.form.get("action") != "find" and form.validate_on_submit():
        chosen = next((p for p in found if str(p.id) == form.person_id.data), None)
        sex = form.sex.data if form.sex.data in ("F", "M") else None
        new_person = None if chosen else pool_register.NewPerson(
            full_name=form.full_name.data or "", sex=sex, birth_year=form.birth_year.data, phone=form.phone.data,
            position=form.position.data)
        if chosen is None and not form.full_name.data:
            return refused("pool/add.html", form, DomainError("pool.person_required", _(
                "Hãy chọn một người đã có hoặc nhập họ và tên người mới."), field="full_name"), **context)
        try:
            entry = pool_register.add_to_pool(current_user, unit, form.cycle.data, person=chosen,
                                              new_person=new_person, added_on=form.added_on.data,
                                              planned_posts=form.planned_posts.data)
        except DomainError as error:
            return refused("pool/add.html", form, error, **context)
        flash(_("Đã thêm %(name)s vào diện quy hoạch nhiệm kỳ %(cycle)s.", name=entry.person.full_name,
                cycle=entry.cycle), "success")
        return redirect(_back(unit, entry.cycle), 303)
    if request.method == "POST" and request.form.get("action") != "find":
        return refused("pool/add.html", form, **context)
    return render_template("pool/add.html", form=form, **context)


def _entry_page(org_code, entry_id, template, form_class, act, done):
    """The leave / rejoin / carry pages: a confirmation form about one entry, then one service call."""
    unit = load_org(org_code, "pool.manage")
    entry = pool_register.get_entry(entry_id, unit)
    form = form_class()
    access_log.record_access("person.viewed", person=entry.person, detail=f"pool entry {entry.id}")
    context = _context(unit, entry=entry, back=_back(unit, entry.cycle))
    if request.method == "GET" and hasattr(form, "to_cycle"):
        form.to_cycle.data = pool_register.next_cycle(entry.cycle)
    if form.validate_on_submit():
        try:
            act(entry, form)
        except DomainError as error:
            return refused(template, form, error, **context)
        flash(done(entry, form), "success")
        return redirect(context["back"], 303)
    if request.method == "POST":
        return refused(template, form, **context)
    return render_template(template, form=form, **context)


@bp.route("/<org_code>/entries/<int:entry_id>/leave", methods=["GET", "POST"])
@login_required
def leave_entry(org_code, entry_id):
    return _entry_page(
        org_code, entry_id, "pool/leave.html", LeaveForm,
        lambda entry, form: pool_register.leave_pool(current_user, entry, form.left_on.data, form.reason.data,
                                                     form.note.data),
        lambda entry, form: _("Đã ghi %(name)s rời diện quy hoạch.", name=entry.person.full_name))


@bp.route("/<org_code>/entries/<int:entry_id>/rejoin", methods=["GET", "POST"])
@login_required
def rejoin_entry(org_code, entry_id):
    return _entry_page(
        org_code, entry_id, "pool/rejoin.html", RejoinForm,
        lambda entry, form: pool_register.rejoin_pool(current_user, entry, form.added_on.data, form.note.data),
        lambda entry, form: _("Đã ghi %(name)s vào lại diện quy hoạch.", name=entry.person.full_name))


@bp.route("/<org_code>/entries/<int:entry_id>/carry", methods=["GET", "POST"])
@login_required
def carry_entry(org_code, entry_id):
    return _entry_page(
        org_code, entry_id, "pool/carry.html", CarryForm,
        lambda entry, form: pool_register.carry_entry(current_user, entry, form.to_cycle.data),
        lambda entry, form: _("Đã chuyển %(name)s sang nhiệm kỳ %(cycle)s.", name=entry.person.full_name,
                              cycle=form.to_cycle.data))


@bp.route("/<org_code>/carry", methods=["GET", "POST"])
@login_required
def carry_all(org_code):
    """Carry every open entry of the unit's cycle into the next one, after a confirmation."""
    unit = load_org(org_code, "pool.manage")
    try:
        cycle = pool_register.parse_pool_cycle(request.args.get("cycle", ""))[0]
    except DomainError as error:
        flash(error.message, "error")
        return redirect(_back(unit, None), 303)
    waiting = len(pool_register.entries_to_carry(cycle, unit, subtree=False))
    form = CarryForm()
    if request.method == "GET":
        form.to_cycle.data = pool_register.next_cycle(cycle)
    context = _context(unit, cycle=cycle, waiting=waiting, back=_back(unit, cycle))
    if form.validate_on_submit():
        try:
            result = pool_register.carry_unit(current_user, unit, cycle, form.to_cycle.data)
        except DomainError as error:
            return refused("pool/carry_all.html", form, error, **context)
        report = result.as_report()
        flash(ngettext("Đã chuyển %(num)s người sang nhiệm kỳ %(cycle)s.",
                       "Đã chuyển %(num)s người sang nhiệm kỳ %(cycle)s.", report["carried"],
                       cycle=form.to_cycle.data), "success")
        return redirect(_back(unit, form.to_cycle.data), 303)
    if request.method == "POST":
        return refused("pool/carry_all.html", form, **context)
    return render_template("pool/carry_all.html", form=form, **context)


@bp.route("/<org_code>/people/<int:person_id>")
@login_required
def person_history(org_code, person_id):
    unit = load_org(org_code, "pool.view")
    person = pool_register.get_unit_person(person_id, unit)
    access_log.record_access("person.viewed", person=person, detail=f"pool history, unit {unit.code}")
    # Her entries in units the reader may see: another province's pool stays its own.
    history = [v for v in pool_register.person_history(person, local_today()) if can("pool.view", v.entry.organisation)]
    return render_template("pool/history.html", person=person, history=history, states=STATE_LABELS,
                           **_context(unit))


# --- re-importing a cycle's list ------------------------------------------------------------------

@bp.route("/<org_code>/import", methods=["GET", "POST"])
@login_required
def upload(org_code):
    unit = load_org(org_code, "pool.manage")
    form = UploadForm()
    if request.method == "GET":
        form.cycle.data = request.args.get("cycle", "")
    context = _context(unit)
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            kept = pool.store_pool_upload(current_user, unit, form.cycle.data, form.file.data.filename or "", data,
                                          local_today())
        except DomainError as error:
            return refused("pool/upload.html", form, error, **context)
        return redirect(url_for("pool.view_upload", org_code=unit.code, pool_import_id=kept.id), 303)
    if request.method == "POST":
        return refused("pool/upload.html", form, **context)
    return render_template("pool/upload.html", form=form, **context)


def _preview(unit, pool_import, form, status=200):
    """The upload's preview: its kept plan, each list 100 at a time (?rejected_page, ?new_page,
    ?unchanged_page, ?missing_page), ?q= finding a name (without diacritics) in the rows and those leaving."""
    try:
        plan = pool.kept_pool_preview(pool_import, local_today())
    except DomainError as error:
        flash(error.message, "error")
        return redirect(_back(unit, pool_import.cycle), 303)
    q = request.args.get("q", "").strip()[:100]
    pages = pool.preview_pages(plan, {name: page_arg(f"{name}_page") for name in pool.PREVIEW_LISTS}, q)
    # The page names the people it shows: its rows' known people and those leaving on this page.
    named = [r.person_id for name in pool.PREVIEW_GROUPS for r in pages[name].items if r.person_id]
    named += [e.person_id for e in pages["missing"].items]
    access_log.record_access("pool.import.viewed", people=named,
                             people_count=sum(len(pages[name].items) for name in ("new", "unchanged", "missing")),
                             detail=f"pool import {pool_import.id}, unit {unit.code}")
    return render_template("pool/preview.html", pool_import=pool_import, plan=plan, pages=pages, q=q,
                           notes=[*plan.read.notes, *plan.notes], preview_args={"q": q} if q else {}, form=form,
                           discard_form=ConfirmForm(), **_context(unit)), status


@bp.route("/<org_code>/imports/<int:pool_import_id>")
@login_required
def view_upload(org_code, pool_import_id):
    unit = load_org(org_code, "pool.manage")
    pool_import = pool.get_pool_upload(pool_import_id, unit)
    return _preview(unit, pool_import, ConfirmUploadForm())


@bp.route("/<org_code>/imports/<int:pool_import_id>/confirm", methods=["POST"])
@login_required
def confirm_upload(org_code, pool_import_id):
    unit = load_org(org_code, "pool.manage")
    pool_import = pool.get_pool_upload(pool_import_id, unit)
    form = ConfirmUploadForm()
    if not form.validate_on_submit():
        return _preview(unit, pool_import, form, 422)
    try:
        report = pool.confirm_pool_upload(current_user, pool_import, local_today(), form.leave_missing_on.data,
                                          keep_missing=form.keep_missing.data)
    except DomainError as error:
        if error.code in ("pool.rows_rejected", "pool.import_done", "import.withdrawn_for_erasure"):
            flash(error.message, "error")
            return redirect(_back(unit, pool_import.cycle), 303)
        attach_error(form, error)
        return _preview(unit, pool_import, form, 422)
    flash(_("Đã ghi danh sách: %(added)s người mới, %(matched)s người đã có được thêm, %(unchanged)s không đổi, "
            "%(left)s người rời diện quy hoạch.", added=report["added"], matched=report["matched"],
            unchanged=report["unchanged"], left=report["left"]), "success")
    return redirect(_back(unit, pool_import.cycle), 303)


@bp.route("/<org_code>/imports/<int:pool_import_id>/discard", methods=["POST"])
@login_required
def discard_upload(org_code, pool_import_id):
    unit = load_org(org_code, "pool.manage")
    pool_import = pool.get_pool_upload(pool_import_id, unit)
    return discard_preview(
        filename=pool_import.filename,
        nothing_written=_("Bản xem trước của tệp “%(name)s” sẽ bị hủy; nguồn quy hoạch không thay đổi."),
        bring_back=_("Muốn dùng lại tệp này thì phải tải lên lần nữa."),
        preview_url=url_for("pool.view_upload", org_code=unit.code, pool_import_id=pool_import_id),
        done_url=_back(unit, pool_import.cycle),
        discard=lambda: pool.discard_pool_upload(current_user, pool_import))

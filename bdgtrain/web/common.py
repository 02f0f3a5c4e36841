"""What every area of the web layer shares: Vietnamese date/time fields, form error plumbing, paging."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, time
from functools import wraps
from typing import Callable
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from babel import support
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import SelectPagination
from flask_wtf import FlaskForm
from sqlalchemy.orm import lazyload
from wtforms import Field, SelectChoice, StringField
from wtforms.i18n import messages_path
from wtforms.validators import StopValidation

from .. import database
from ..errors import DomainError
from ..extensions import db
from ..i18n import translate
from ..localtime import format_date
from ..rules import numbers
from ..rules.dates import DateExpressionError, parse_vn_date
from .boundary import commit_request

FORM_REFUSED = 422  # the status of a form shown again with its errors: nothing was saved


class _WTFormsMessages:
    """WTForms' built-in messages ("Not a valid integer value.", "Field cannot be longer than 255
    characters.") in the request's language. WTForms ships no Vietnamese, so Vietnamese comes from
    translations/vi/LC_MESSAGES/wtforms.po; other languages from WTForms' own catalogues."""

    _catalogues: dict[tuple[str, str], support.NullTranslations] = {}

    def _catalogue(self) -> support.NullTranslations:
        locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
        folder = (current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0] if locale == "vi"
                  else messages_path())
        found = self._catalogues.get((folder, locale))
        if found is None:
            found = self._catalogues[folder, locale] = support.Translations.load(folder, [locale], domain="wtforms")
        return found

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


_WTFORMS_MESSAGES = _WTFormsMessages()


class Form(FlaskForm):
    """The base of every form here: FlaskForm (CSRF), with WTForms' own messages in Vietnamese."""

    class Meta:
        def get_translations(self, form):
            return _WTFORMS_MESSAGES


class ParsedTextField(StringField):
    """A text input parsed into a value: when the text cannot be read, that one message is
    enough, so the validators (which would only see an empty value) do not run."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class VnDateField(ParsedTextField):
    """A date typed the Vietnamese way, dd/mm/yyyy; empty means None."""

    def __init__(self, *args, **kwargs):
        # data-vn-date: static/js/widgets.js adds a calendar button that writes the day back as dd/mm/yyyy.
        kwargs.setdefault("render_kw", {}).update({"placeholder": _l("dd/mm/yyyy"), "inputmode": "numeric",
                                                   "autocomplete": "off", "data-vn-date": ""})
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_date(self.data) if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = parse_vn_date(text)
        except DateExpressionError as error:
            self.data = None
            raise ValueError(translate(error.message)) from None


_TIME = re.compile(r"^\s*(\d{1,2})\s*[:hg.]\s*(\d{2})\s*$", re.IGNORECASE)


class VnTimeField(ParsedTextField):
    """A 24-hour time, "07:30" (also "7h30", "7.30")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {}).update({"placeholder": _l("hh:mm"), "inputmode": "numeric",
                                                   "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        match = _TIME.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self.data = None
            raise ValueError(_("Giờ \"%(text)s\" không hợp lệ; hãy viết theo dạng 24 giờ, ví dụ 07:30.", text=text))
        self.data = time(int(match[1]), int(match[2]))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def coerce_optional_int(value):
    """For SelectFields whose first choice is "none"."""
    if value in ("", None, "None"):
        return None
    return int(value)


def attach_error(form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field: Field | None = getattr(form, error.field, None) if error.field else None
    if field is not None and isinstance(field, Field):
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def refused(template: str, form, error: DomainError | None = None, **context):
    """Render a form again with what the user typed and why it was refused (nothing saved)."""
    if error is not None:
        attach_error(form, error)
    return render_template(template, form=form, **context), FORM_REFUSED


def link_base() -> str:
    """The base of the absolute links a page hands out (tickets, feeds, forms): the address this request
    came to, so that a hall laptop's LAN address keeps working (request.url_root: the host and any prefix
    the app is mounted under, what url_for(_external=True) used)."""
    return request.url_root


_MARK = "9876543210"  # a value no id and no code takes, standing in for the row's own in a link built once
_PATH_SAFE = "!$&'()*+,/:;=@"  # what werkzeug's default converter leaves unquoted in a path segment


def id_links(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """url_for(endpoint, **values, key=id) for a whole page of ids at the cost of one url_for (some 10 us
    each: three links on each of 100 rows were a tenth of a list's time): the link is built once with a
    mark for the id, then the id is put in the mark's place. `key` is a rule's int argument or a query one."""
    return _marked_links(endpoint, key, values, lambda row_id: str(int(row_id)))


def id_link_parts(endpoint: str, key: str, **values) -> tuple[str, str]:
    """id_links' link as the text before and after the id, for a template that writes a row's link as head,
    id, tail without a call a row. The mark grows until it is found once only (a plan coded 9876543210 holds
    the short one), which it is once no other value of the link holds so long a run of digits."""
    mark = _MARK
    while True:
        parts = url_for(endpoint, **values, **{key: mark}).split(mark)
        if len(parts) == 2:
            return parts[0], parts[1]
        mark += _MARK


def code_links(endpoint: str, key: str, **values) -> Callable[[str], str]:
    """id_links for a rule's text argument (a class's code), quoted as the rule's converter quotes it."""
    return _marked_links(endpoint, key, values, lambda code: quote(str(code), safe=_PATH_SAFE))


def _marked_links(endpoint: str, key: str, values: dict, shown: Callable) -> Callable:
    parts = url_for(endpoint, **values, **{key: _MARK}).split(_MARK)
    if len(parts) != 2:  # the mark is in another value too (a plan coded 9876543210): each link built whole
        return lambda value: url_for(endpoint, **values, **{key: value})
    head, tail = parts
    return lambda value: f"{head}{shown(value)}{tail}"


MAX_PAGE = 1_000_000  # far past any list's last page; a larger number overflowed the OFFSET (a 500)
_PAGE = re.compile(r"[0-9]{1,7}")


def page_arg(name: str = "page") -> int:
    """The page number in the query string: 1 when absent or empty; anything else that is not a whole
    number from 1 to MAX_PAGE (text, 0, -1, 99999999999999999999) answers 400 with a message."""
    text = (request.args.get(name) or "").strip()
    if not text:
        return 1
    if not _PAGE.fullmatch(text) or not 1 <= int(text) <= MAX_PAGE:
        raise DomainError("bad_request", _l("Số trang không hợp lệ: cần một số nguyên từ 1 đến %(max)s.",
                                            max=numbers.integer(MAX_PAGE, str(get_locale() or "vi"))))
    return int(text)


class _Pagination(SelectPagination):
    """Flask-SQLAlchemy's page of a SELECT, without the COUNT when the page itself tells the total: a page
    that is not full is the last one, so the rows are those before it and on it (a list of ten accounts
    is one statement, not two). A full page, or an empty one past the end, still counts; with
    count_alongside, a page's rows carry the count (a scalar subquery the database works out once), so a
    full page is one statement too."""

    _counted: int | None = None

    def _count_query(self):
        select = self._query_args["select"]
        return sa.select(sa.func.count()).select_from(
            select.options(lazyload("*")).order_by(None).subquery())

    def _query_items(self) -> list:
        if not self._query_args.get("count_alongside"):
            return super()._query_items()
        select = self._query_args["select"]
        counted = select.add_columns(self._count_query().scalar_subquery().label("total_count"))
        rows = self._query_args["session"].execute(counted.limit(self.per_page).offset(self._query_offset)).all()
        if rows:
            self._counted = rows[0].total_count
        # One entity a row: the entities; rows of columns as they are (their total_count besides).
        return [row[0] for row in rows] if len(select.column_descriptions) == 1 else rows

    def _query_count(self) -> int:
        if self._counted is not None:
            return self._counted
        if len(self.items) < self.per_page and (self.items or self.page == 1):
            return self._query_offset + len(self.items)
        if self._query_args.get("total") is not None:
            return self._query_args["total"]()
        return self._query_args["session"].execute(self._count_query()).scalar()


class _RowsPagination(_Pagination):
    """_Pagination of a SELECT of columns: its items are the rows, not each row's first column."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate(query, per_page: int | None = None, *, rows: bool = False, total: Callable[[], int] | None = None,
             count_alongside: bool = False):
    """A page (?page=) of `query`'s entities, or of its rows when `rows` (a SELECT of columns). `total`, when
    given, counts `query`'s rows in its stead (a cheaper COUNT the caller knows to be equal: without a join
    that drops no row). count_alongside: for a list whose pages are usually full (a log), the total read with
    the rows rather than by a second statement (rows are not made unique: no joined collections); not with
    `rows`, whose pages read their rows as they are."""
    if rows and count_alongside:
        raise ValueError("count_alongside reads its own rows: not with rows=True")
    return (_RowsPagination if rows else _Pagination)(
        select=query, session=db.session(), page=page_arg(), per_page=per_page or current_app.config["PAGE_SIZE"],
        max_per_page=None, error_out=False, total=total, count_alongside=count_alongside)


def safe_next(target: str | None, default: str) -> str:
    """Only local paths may be redirected to, never another host (open redirect)."""
    if not target:
        return default
    if any(ord(c) <= 32 or ord(c) == 127 for c in target):
        return default  # browsers drop tabs and newlines: "/\t/evil.example" would become "//evil.example"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class VnIntegerField(ParsedTextField):
    """A whole number, optional; WTForms' own IntegerField has no Vietnamese message."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip().replace(".", "").replace(" ", "")
        if not text:
            self.data = None
            return
        if not text.isdigit():
            self.data = None
            raise ValueError(_("\"%(text)s\" không phải là số nguyên dương.", text=valuelist[0]))
        self.data = int(text)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants select options."""
    return [SelectChoice(value, label) for value, label in pairs]


_D_WITH_STROKE = {0x0111: "d", 0x0110: "D"}


def content_disposition(filename: str, kind: str = "attachment") -> str:
    """A Content-Disposition naming `filename` safely: an ASCII fallback (no quote, no CR/LF, nothing a
    header cannot carry: a plan code may hold Vietnamese letters or a quote) and the exact name in
    RFC 5987 form for the browsers that read it."""
    folded = unicodedata.normalize("NFKD", filename.translate(_D_WITH_STROKE))  # NFKD keeps đ/Đ as they are
    fallback = re.sub(r"[^A-Za-z0-9._]+", "-", folded.encode("ascii", "ignore").decode()).strip("-.") or "tep"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def commits_before_response(view):
    """Commit as soon as `view` returns a successful answer (a dict, or a (dict, status) pair), before
    Flask serialises it and runs the after-request hooks; the request boundary then finds nothing
    left to commit. For the scan endpoints: a scan's transaction holds SQLite's write lock, which the
    workers take in turn, so it must span the scan's INSERTs and not the building of its answer
    (measured on SQLite: 0.58-0.64x the bare endpoint's throughput with the commit after the hooks,
    0.71-0.75x with it here; docs/BENCHMARKS.md). An exception or an error status commits nothing."""
    @wraps(view)
    def committed(*args, **kwargs):
        answer = view(*args, **kwargs)
        status = answer[1] if isinstance(answer, tuple) and len(answer) > 1 and isinstance(answer[1], int) else 200
        if status < 400:
            commit_request()
        return answer

    return committed


def read_pages_beside_writers(bp) -> None:
    """GET pages of `bp` read without SQLite's write lock (database.read_first): a report that counts a
    whole province for seconds must not hold check-ins back. A page that logs an access takes the
    lock for that one INSERT (web.access_log.write_pending). Writes (POST) begin IMMEDIATE as usual."""
    @bp.before_request
    def _read_first():
        if request.method in ("GET", "HEAD"):
            database.read_first(db.session)


# --- confirmation of irreversible and mass actions (issue 21) -------------------------------------
# One mechanism for every POST that cannot be undone or touches many rows at once: the form posts
# as it always did; without confirmed=yes the view changes nothing and answers confirmation_page()
# (what will happen, with counts, a confirm button and a cancel link), which posts the same fields
# back with confirmed=yes. With JavaScript on, static/js/widgets.js asks in a dialog instead (from the
# button's or form's data-confirm text) and adds confirmed=yes itself, so the page is skipped.

CONFIRMED = "yes"


def is_confirmed() -> bool:
    """Did this POST come from a confirmation (the page's button or the dialog)?"""
    return request.form.get("confirmed") == CONFIRMED


def confirmation_page(*, title: str, consequences: list[str], confirm_label: str, cancel_url: str,
                      danger: bool = True):
    """The page that asks before an irreversible or mass action: `consequences` say what will happen
    (with counts); the form repeats this request's fields (the button pressed included) with
    confirmed=yes to the same URL. Nothing was changed, so 200."""
    kept = [(name, value) for name, value in request.form.items(multi=True)
            if name not in ("csrf_token", "confirmed")]
    return render_template("common/confirm.html", title=title, consequences=consequences,
                           confirm_label=confirm_label, cancel_url=safe_next(cancel_url, "/"),
                           action_url=request.script_root + request.path, kept=kept, danger=danger)


def discard_preview(*, filename: str, nothing_written: str, bring_back: str, preview_url: str, done_url: str,
                   discard) -> Response:
    """Discard an upload's preview (a list, a pool file, a file of outside training), the same way
    everywhere: ask first, since the reviewed preview and the choices made on it are gone for good;
    then `discard()` (a DomainError is told, not raised), say that nothing was written, and go to
    `done_url`. `nothing_written` and `bring_back` are the consequences to tell; the first names the
    file with %(name)s."""
    if Form().validate_on_submit():   # the CSRF token only, as forms.ConfirmForm
        if not is_confirmed():
            return confirmation_page(title=_("Hủy bản tải lên?"),
                                     consequences=[nothing_written % {"name": filename}, bring_back],
                                     confirm_label=_("Hủy bản tải lên"), cancel_url=preview_url)
        try:
            discard()
            flash(_("Đã hủy bản tải lên, không có gì được ghi."), "info")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(done_url, 303)

"""Calendar feeds (what Google, Outlook and Apple subscribe to), the pages that offer them, .ics
downloads, and the organiser's invitation page.

The feed endpoints are the hot path: a client polling a feed it already holds gets its 304 from
the feed's version (services.calendar_feeds) without the feed being built. An unknown or revoked
token, or a plan whose calendars are not public, is a bare 404 that says nothing about why.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.http import http_date, is_resource_modified

from ...errors import DomainError
from ...models.base import utcnow
from ...rules import ical
from ...services.calendar import calendar_content, calendar_feeds, invitations
from ...services.calendar.calendar_content import Scope
from ...services.checkin import tickets
from ...services.lists import contacts
from ...services.planning import lookups
from .. import access_log
from ..common import confirmation_page, content_disposition, is_confirmed, link_base, page_arg, paginate
from ..forms import ConfirmForm
from ..loaders import load_class, load_org, load_plan, load_ticket, load_trainer, ticket_not_found

bp = Blueprint("calendar", __name__)

CALENDAR_MIMETYPE = "text/calendar; charset=utf-8"


# --- feeds --------------------------------------------------------------------------------------

def _not_found() -> Response:
    return Response("Not Found\n", 404, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def _calendar_response(state: calendar_feeds.FeedState | None) -> Response:
    if state is None:
        return _not_found()
    version = state.version
    headers = {
        "ETag": f'"{version.etag}"',
        "Cache-Control": f"{'public' if state.public else 'private'}, max-age={calendar_feeds.cache_seconds()}",
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex",
    }
    # HTTP dates have whole seconds: a Last-Modified given out during the second of the change could
    # hide a second change within that same second from If-Modified-Since (RFC 9110 8.8.2.2), so it is
    # given only once that second has passed; until then clients revalidate with the ETag alone.
    if utcnow() - version.last_modified >= timedelta(seconds=1):
        headers["Last-Modified"] = http_date(version.last_modified)
    # If-None-Match decides when present (weak comparison, "*", lists); If-Modified-Since only otherwise.
    if not is_resource_modified(request.environ, etag=version.etag, last_modified=version.last_modified):
        return Response(status=304, headers=headers)
    body = calendar_content.build_feed(state.scope, base_url=link_base())
    response = Response(body, content_type=CALENDAR_MIMETYPE, headers=headers)
    response.headers["Content-Disposition"] = 'inline; filename="lich.ics"'
    return response


@bp.route("/cal/<token>.ics")
def feed(token):
    return _calendar_response(calendar_feeds.state_for_token(token, link_base()))


@bp.route("/cal/p/<code>.ics")
def public_plan_feed(code):
    return _calendar_response(calendar_feeds.state_for_public(code, base_url=link_base()))


@bp.route("/cal/p/<code>/<class_code>.ics")
def public_class_feed(code, class_code):
    return _calendar_response(calendar_feeds.state_for_public(code, class_code, base_url=link_base()))


def _download(scope: Scope, filename: str, tickets_by_class: dict[int, int] | None = None) -> Response:
    events = calendar_content.session_events(calendar_content.sessions_in_scope(scope), tickets_by_class,
                                             base_url=link_base())
    body = ical.build_calendar(ical.CalendarData(name=calendar_content.feed_name(scope),
                                                 refresh=calendar_content.refresh_interval(), events=events))
    response = Response(body, content_type=CALENDAR_MIMETYPE)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- pages that offer feeds ---------------------------------------------------------------------

def _feed_panel(kind: str, target_id: int, manage_url: str | None, public_url: str | None = None) -> dict:
    feed = calendar_feeds.current_feed(kind, target_id)
    return {"links": calendar_feeds.subscribe_links(calendar_feeds.feed_url(feed, link_base())) if feed else None,
            "public": calendar_feeds.subscribe_links(public_url) if public_url else None,
            "manage_url": manage_url, "form": ConfirmForm()}


def _manage(kind: str, target_id: int, back: str, actor=None):
    """Rotate (or start) or revoke a feed link, as the form's `action` asks."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action = request.form.get("action", "rotate")
    # Both end the link in use: every calendar subscribed with it stops updating, and it cannot be
    # brought back. Only starting a first link needs no question.
    if not is_confirmed() and calendar_feeds.current_feed(kind, target_id) is not None:
        revoking = action == "revoke"
        return confirmation_page(
            title=_("Thu hồi đường dẫn lịch?") if revoking else _("Tạo đường dẫn lịch mới?"),
            consequences=[_("Đường dẫn lịch đang dùng sẽ ngừng hoạt động ngay và không thể khôi phục."),
                          _("Mọi lịch (Google, Outlook, Apple) đã đăng ký bằng đường dẫn này sẽ không cập nhật nữa."),
                          _("Không có đường dẫn mới: muốn đăng ký lại phải tạo đường dẫn mới.") if revoking
                          else _("Một đường dẫn mới được tạo; cần gửi lại đường dẫn mới cho những ai dùng lịch.")],
            confirm_label=_("Thu hồi đường dẫn") if revoking else _("Tạo đường dẫn mới"), cancel_url=back)
    try:
        if action == "revoke":
            calendar_feeds.revoke_feed(actor, kind, target_id)
            flash(_("Đã thu hồi đường dẫn lịch: các lịch đã đăng ký bằng đường dẫn cũ sẽ không cập nhật nữa."),
                  "success")
        else:
            calendar_feeds.rotate_feed(actor, kind, target_id)
            flash(_("Đã tạo đường dẫn lịch mới; đường dẫn cũ (nếu có) không còn dùng được."), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(back, 303)



@bp.route("/plans/<code>/calendar")
@login_required
def plan_calendar(code):
    plan = load_plan(code, "calendar.view")
    manage = url_for("calendar.manage_plan_feed", code=code)
    public = calendar_feeds.public_url(plan, base_url=link_base()) if plan.calendar_access == "public" else None
    return render_template("calendar/plan.html", plan=plan, panel=_feed_panel("plan", plan.id, manage, public),
                           classes=lookups.visible_classes(current_user, plan))


@bp.route("/plans/<code>/calendar/feed", methods=["POST"])
@login_required
def manage_plan_feed(code):
    plan = load_plan(code, "calendar.manage")
    return _manage("plan", plan.id, url_for("calendar.plan_calendar", code=code), current_user)


@bp.route("/plans/<code>/calendar/access", methods=["POST"])
@login_required
def set_plan_access(code):
    plan = load_plan(code, "calendar.manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        calendar_feeds.set_plan_access(current_user, plan, request.form.get("access", "token"))
        flash(_("Đã lưu chế độ chia sẻ lịch."), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for("calendar.plan_calendar", code=code), 303)


@bp.route("/plans/<code>/classes/<class_code>/calendar")
@login_required
def class_calendar(code, class_code):
    plan, cls = load_class(code, class_code, "calendar.view")
    manage = url_for("calendar.manage_class_feed", code=code, class_code=class_code)
    public = calendar_feeds.public_url(plan, cls, base_url=link_base()) if plan.calendar_access == "public" else None
    return render_template("calendar/class.html", plan=plan, cls=cls,
                           panel=_feed_panel("class", cls.id, manage, public))


@bp.route("/plans/<code>/classes/<class_code>/calendar/feed", methods=["POST"])
@login_required
def manage_class_feed(code, class_code):
    plan, cls = load_class(code, class_code, "calendar.manage")
    return _manage("class", cls.id, url_for("calendar.class_calendar", code=code, class_code=class_code), current_user)


@bp.route("/plans/<code>/classes/<class_code>/calendar.ics")
@login_required
def class_ics(code, class_code):
    plan, cls = load_class(code, class_code, "calendar.view")
    return _download(Scope("class", cls.id), f"{cls.code}.ics")


@bp.route("/organisations/<org_code>/calendar")
@login_required
def org_calendar(org_code):
    org = load_org(org_code, "calendar.org")
    panel = _feed_panel("organisation", org.id, url_for("calendar.manage_org_feed", org_code=org_code))
    return render_template("calendar/subject.html", title=_("Lịch tập huấn của %(name)s", name=org.name),
                           intro=_("Mọi buổi học mà cán bộ của đơn vị được cử tham dự, để bộ phận tổ chức cán bộ "
                                   "theo dõi lịch vắng mặt."), panel=panel)


@bp.route("/organisations/<org_code>/calendar/feed", methods=["POST"])
@login_required
def manage_org_feed(org_code):
    org = load_org(org_code, "calendar.org")
    return _manage("organisation", org.id, url_for("calendar.org_calendar", org_code=org_code), current_user)


@bp.route("/trainers/<int:trainer_id>/calendar")
@login_required
def trainer_calendar(trainer_id):
    trainer = load_trainer(trainer_id, "calendar.trainer")
    panel = _feed_panel("trainer", trainer.id, url_for("calendar.manage_trainer_feed", trainer_id=trainer_id))
    return render_template("calendar/subject.html", title=_("Lịch giảng dạy của %(name)s", name=trainer.display_name),
                           intro=_("Mọi buổi của các lớp mà giảng viên được phân công. Gửi đường dẫn này cho "
                                   "giảng viên để lịch của họ tự cập nhật."), panel=panel)


@bp.route("/trainers/<int:trainer_id>/calendar/feed", methods=["POST"])
@login_required
def manage_trainer_feed(trainer_id):
    trainer = load_trainer(trainer_id, "calendar.trainer")
    return _manage("trainer", trainer.id, url_for("calendar.trainer_calendar", trainer_id=trainer_id), current_user)


# --- the participant's own calendar (her ticket is her credential) --------------------------------

def _ticket(token):
    """Her ticket, as long as it still admits her: a declined or replaced enrolment has no calendar."""
    enrolment = load_ticket(token)
    if tickets.is_revoked(enrolment):
        ticket_not_found()
    return enrolment


@bp.route("/T/<token>/calendar")
@bp.route("/t/<token>/calendar", alias=True)
def my_calendar(token):
    enrolment = _ticket(token)
    panel = _feed_panel("person", enrolment.person_id, url_for("calendar.manage_my_feed", token=token))
    response = Response(render_template("calendar/mine.html", enrolment=enrolment, cls=enrolment.training_class,
                                        token=token, panel=panel))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/T/<token>/calendar/feed", methods=["POST"])
@bp.route("/t/<token>/calendar/feed", methods=["POST"], alias=True)
def manage_my_feed(token):
    enrolment = _ticket(token)
    return _manage("person", enrolment.person_id, url_for("calendar.my_calendar", token=token))


@bp.route("/T/<token>/lop.ics")
@bp.route("/t/<token>/lop.ics", alias=True)
def my_class_ics(token):
    enrolment = _ticket(token)
    cls = enrolment.training_class
    return _download(Scope("class", cls.id), f"{cls.code}.ics", {cls.id: enrolment.id})


# --- invitations by e-mail ------------------------------------------------------------------------

@bp.route("/plans/<code>/classes/<class_code>/invitations")
@login_required
def class_invitations(code, class_code):
    plan, cls = load_class(code, class_code, "calendar.invite")
    # Who was sent what, 100 a page (?list_page=), the figures counted in SQL: a class of 3,000 made a
    # page of 461 kB (issue 22).
    rows = invitations.overview_page(cls, page_arg("list_page"))
    access_log.record_access("invitations.viewed", cls=cls, people_count=len(rows.items))
    # Those without an address, a page at a time, each with an input to fill it in (issue 21).
    missing = paginate(contacts.without_email_query(cls), per_page=MISSING_PER_PAGE)
    return render_template("calendar/invitations.html", plan=plan, cls=cls, rows=rows,
                           counts=invitations.class_counts(cls), form=ConfirmForm(), missing=missing)


MISSING_PER_PAGE = 25


@bp.route("/plans/<code>/classes/<class_code>/invitations/emails", methods=["POST"])
@login_required
def fill_emails(code, class_code):
    """The addresses typed in the invitation page's list of those without one; all or none are saved."""
    plan, cls = load_class(code, class_code, "calendar.invite")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    addresses = {}
    for name, value in request.form.items():
        if name.startswith("email-"):
            try:
                addresses[int(name[6:])] = value
            except ValueError:
                abort(400)
    page = request.form.get("page", type=int) or 1
    back = url_for("calendar.class_invitations", code=code, class_code=class_code,
                   page=page if page > 1 else None) + "#khong-co-email"
    try:
        saved = contacts.fill_emails(current_user, cls, addresses)
    except DomainError as error:
        if error.code == "not_found":
            raise
        flash(error.message, "error")
        return redirect(back, 303)
    flash(_("Đã lưu %(n)s địa chỉ e-mail.", n=saved) if saved else _("Chưa nhập địa chỉ nào."),
          "success" if saved else "info")
    return redirect(back, 303)


@bp.route("/plans/<code>/classes/<class_code>/invitations", methods=["POST"])
@login_required
def send_invitations(code, class_code):
    """Only queues: `flask mail send` delivers (docs/CALENDAR.md)."""
    plan, cls = load_class(code, class_code, "calendar.invite")
    back = url_for("calendar.class_invitations", code=code, class_code=class_code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action = request.form.get("action", "invite")
    if action == "invite" and not is_confirmed():
        # A mail to each participant not yet invited: sent mail cannot be called back either.
        counts = invitations.class_counts(cls)
        return confirmation_page(
            title=_("Gửi giấy mời cho người chưa được mời?"),
            consequences=[_("%(n)s học viên có e-mail chưa được mời sẽ nhận giấy mời.", n=counts["to_invite"]),
                          _("%(n)s học viên không có e-mail sẽ không nhận được thư.", n=counts["without_email"]),
                          _("Thư đã gửi đi thì không thu hồi được.")],
            confirm_label=_("Gửi %(n)s giấy mời", n=counts["to_invite"]), cancel_url=back, danger=False)
    if action == "resend" and not is_confirmed():
        # A mail to every participant again, those already invited included: it cannot be called back.
        counts = invitations.class_counts(cls)
        return confirmation_page(
            title=_("Gửi lại giấy mời cho tất cả?"),
            consequences=[_("%(n)s học viên có e-mail sẽ nhận lại giấy mời, kể cả người đã nhận.",
                            n=counts["people"] - counts["without_email"]),
                          _("%(n)s học viên không có e-mail sẽ không nhận được thư.", n=counts["without_email"]),
                          _("Thư đã gửi đi thì không thu hồi được.")],
            confirm_label=_("Gửi lại cho tất cả"), cancel_url=back, danger=False)
    try:
        if action == "retry":
            count = invitations.retry_failed(current_user, cls)
            flash(_("Đã đưa %(count)s thư lỗi vào hàng đợi để gửi lại.", count=count), "success")
            return redirect(back, 303)
        result = invitations.enqueue_invitations(current_user, cls, resend=action == "resend")
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back, 303)
    flash(_("Đã xếp %(count)s giấy mời vào hàng đợi gửi thư.", count=result.queued), "success")
    if result.without_email:
        # The flash lives in the session cookie (4 KB): name a few, count the rest (the page lists them all).
        shown: list[str] = []
        for enrolment in result.without_email[:FLASHED_NAMES]:
            if sum(map(len, shown)) + len(enrolment.person.full_name) > FLASHED_CHARACTERS:
                break
            shown.append(enrolment.person.full_name)
        names, more = ", ".join(shown), len(result.without_email) - len(shown)
        if more and shown:
            names = _("%(names)s và %(more)s người khác", names=names, more=more)
        elif more:
            names = _("%(more)s người", more=more)
        flash(_("Không có địa chỉ e-mail nên chưa mời được: %(names)s. Hãy in giấy mời có mã QR cho những người này.",
                names=names), "warning")
    return redirect(back, 303)


# Names in the message after sending invitations, at most so many and so long: the session cookie holds ~4 KB.
FLASHED_NAMES, FLASHED_CHARACTERS = 10, 400

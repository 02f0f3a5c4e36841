"""Tickets and invitation cards, the staff scanner, the kiosk's room code, attendance marking, the live view.

Participants never log in: their ticket link (/T/<token>) is their identity, and opening it once
remembers it on the phone (a signed cookie) for the room code. Every check-in goes through
services.checkin.perform_checkin.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone

import limits
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import TooManyRequests

from ...errors import DomainError
from ...extensions import limiter
from ...importers import cells
from ...localtime import format_date, format_time
from ...models import ATTENDANCE_STATUSES
from ...models.base import utcnow
from ...security import ticket_token
from ...services.certificates import certificates
from ...services.checkin import answers, attendance_view, checkin, marking, offline_roster, rooms, tickets
from ...services.core import qr
from ...services.feedback import feedback
from ...services.lists import roster_decisions
from ...services.planning import sessions as planning_sessions
from .. import access_log
from ..common import content_disposition, link_base, page_arg, paginate
from ..forms import ConfirmForm
from ..loaders import load_class, load_ticket

bp = Blueprint("checkin", __name__)

REMEMBER_COOKIE = "bdg_tickets"
REMEMBER_SECONDS = 400 * 24 * 3600
SCAN_PROOF_SECONDS = 15 * 60  # how long a participant may take to identify herself after scanning



def _room_limit() -> str:
    """Check-ins from a participant's own phone, per address: enough for a hall's Wi-Fi behind one NAT."""
    return current_app.config.get("ROOM_CHECKIN_RATE_LIMIT", "20 per minute")


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _remembered_tickets() -> list[str]:
    raw = request.cookies.get(REMEMBER_COOKIE)
    if not raw:
        return []
    try:
        value = _serializer("remembered-tickets").loads(raw, max_age=REMEMBER_SECONDS)
    except BadSignature:
        return []
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


# --- the participant's own pages --------------------------------------------------------------

@bp.route("/T/<token>")
@bp.route("/t/<token>", alias=True)  # some scanners lower-case what they read
def ticket(token):
    enrolment = load_ticket(token)
    response = Response(_ticket_page(enrolment))
    own = ticket_token(enrolment.id)
    remembered = [own] + [t for t in _remembered_tickets() if t != own]
    response.set_cookie(REMEMBER_COOKIE, _serializer("remembered-tickets").dumps(remembered[:20]),
                        max_age=REMEMBER_SECONDS, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", True))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/T/<token>/code", methods=["POST"])
@bp.route("/t/<token>/code", methods=["POST"], alias=True)
@limiter.limit(_room_limit)
def ticket_room_code(token):
    """The room code typed on her own ticket page, for a phone whose camera cannot read the projector."""
    enrolment = load_ticket(token)
    result = rooms.checkin_by_room_code(enrolment.training_class, request.form.get("room_code", ""), utcnow(),
                                          token, device="ticket")
    return _ticket_page(enrolment, result)


def _ticket_page(enrolment, result=None) -> str:
    url = tickets.ticket_url(enrolment, link_base())
    return render_template("checkin/ticket.html", enrolment=enrolment, cls=enrolment.training_class, ticket_url=url,
                           result=result, qr_svg=qr.qr_svg(url, title=_("Mã QR điểm danh"), fluid=True),
                           revoked=tickets.is_revoked(enrolment),
                           has_quiz=bool(feedback.form_config(enrolment.training_class.plan_id).quiz),
                           has_certificate=certificates.current_for_enrolment(enrolment.id) is not None)


@bp.route("/T/<token>/qr.<kind>")
@bp.route("/t/<token>/qr.<kind>", alias=True)
def ticket_qr(token, kind):
    enrolment = load_ticket(token)
    if kind not in ("png", "svg"):
        abort(404)
    url = tickets.ticket_url(enrolment, link_base())
    if kind == "png":
        body, mimetype = qr.qr_png(url), "image/png"
    else:
        body, mimetype = qr.qr_svg(url), "image/svg+xml"
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Disposition"] = content_disposition(f"ve-{enrolment.training_class.code}.{kind}",
                                                                  "inline")
    return response


# --- invitation cards -------------------------------------------------------------------------

CARDS_PER_BATCH = 100  # a print job a browser lays out in a second: 13 A4 sheets of 8 cards


@bp.route("/plans/<code>/classes/<class_code>/cards")
@login_required
def print_cards(code, class_code):
    """The invitation cards, 100 at a time (?batch=N): the cards of a 3,000-person class in one page
    took 11 s and 6 MB to print; each batch links to the others."""
    plan, cls = load_class(code, class_code, "checkin.run")
    batch = attendance_view.card_page(cls, page_arg("batch"), CARDS_PER_BATCH)
    urls = tickets.ticket_urls([enrolment_id for enrolment_id, _name, _unit in batch.items], link_base())
    cards = [(name, unit, qr.qr_svg(url, scale=3, fluid=True))
             for (_enrolment_id, name, unit), url in zip(batch.items, urls)]
    venue, sessions = planning_sessions.venue_and_sessions(cls)
    access_log.record_access("cards.printed", cls=cls, people_count=len(cards),
                             detail=f"batch {batch.page}/{batch.pages}" if batch.pages > 1 else None)
    return render_template("checkin/cards.html", plan=plan, cls=cls, cards=cards, batch=batch, venue=venue,
                           first_session_at=sessions[0].starts_at if sessions else None)


# --- staff scanner ----------------------------------------------------------------------------

@bp.route("/plans/<code>/classes/<class_code>/scanner", methods=["GET", "POST"])
@login_required
def scanner(code, class_code):
    """The camera page; without JavaScript, a roster search whose buttons check people in."""
    plan, cls = load_class(code, class_code, "checkin.run")
    result = None
    if request.method == "POST":
        token = offline_roster.ticket_for_digest(cls, request.form.get("digest", ""))
        result = checkin.perform_checkin(token or request.form.get("token"), source="scanner",
                                         scanner_class=cls, actor=current_user, device="web")
    q = request.args.get("q", "").strip()
    now = utcnow()
    matches = attendance_view.search_roster(cls, q, now) if q else []
    response = Response(render_template("checkin/scanner.html", plan=plan, cls=cls, q=q, matches=matches,
                                        result=result, session=checkin.open_session(cls, now)))
    # The QR decoder used when the browser has none (static/vendor/zxing-wasm) is WebAssembly, which
    # Chromium compiles only under 'wasm-unsafe-eval'; this page alone gets it, no other eval.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    return response


@bp.route("/scanner-sw.js")
def scanner_service_worker():
    """The offline scanner's service worker, served from the root so that its scope covers the scanner pages."""
    response = send_from_directory(current_app.static_folder, "js/scanner-sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


# --- kiosk and room code ------------------------------------------------------------------------

@bp.route("/plans/<code>/classes/<class_code>/kiosk")
@login_required
def kiosk(code, class_code):
    plan, cls = load_class(code, class_code, "checkin.run")
    # At the end of the class, the feedback form's QR (services/feedback/feedback.py).
    feedback_url = feedback_svg = None
    if feedback.form_state(cls, feedback.form_config(plan), utcnow()) == "open":
        feedback_url = feedback.form_url(cls, link_base())
        feedback_svg = qr.qr_svg(feedback_url, scale=6, title=_("Mã QR phiếu đánh giá"), fluid=True)
    return render_template("checkin/kiosk.html", plan=plan, cls=cls, state=_kiosk_state(cls), feedback_svg=feedback_svg,
                           feedback_url=feedback_url)


@bp.route("/plans/<code>/classes/<class_code>/kiosk/state")
@login_required
def kiosk_state(code, class_code):
    plan, cls = load_class(code, class_code, "checkin.run")
    response = jsonify(_kiosk_state(cls))
    response.headers["Cache-Control"] = "no-store"
    return response


def _kiosk_state(cls) -> dict:
    """What the projector shows. With no session open, the server gives no room code at all (a code on
    the wall before the door opens only gets refused), and says when check-in opens instead."""
    now = utcnow()
    session = checkin.open_session(cls, now)
    state = {"code": None, "url": None, "seconds_left": None, "period": cls.room_code_seconds, "svg": None,
             "session": session.label if session else None, "opens": None,
             "checked_in": marking.count_checked_in(session) if session else 0,
             "expected": attendance_view.expected_count(cls),
             # The page adds the feedback form's QR when it opens (static/js/kiosk.js reloads once).
             "feedback_open": feedback.form_state(cls, feedback.form_config(cls.plan_id), now) == "open"}
    if session is None:
        upcoming = checkin.next_opening(cls, now)
        if upcoming is not None:
            opens_at, next_session = upcoming
            state["opens"] = _("Điểm danh mở lúc %(time)s ngày %(date)s (buổi %(label)s).",
                               time=format_time(opens_at), date=format_date(opens_at), label=next_session.label)
        else:
            state["opens"] = _("Lớp không còn buổi nào sắp tới.")
        return state
    code, seconds_left = rooms.current_room_code(cls, now)
    url = qr.compact_url(url_for("checkin.room", room=rooms.room_token(cls), room_code=code, _external=True))
    state.update(code=code, url=url, seconds_left=seconds_left,
                 svg=qr.qr_svg(url, scale=10, title=_("Mã QR điểm danh của phòng"), fluid=True))
    return state


# The proof of one opening of the projector's code is bound to the browser that opened it: the page
# carries a signed proof holding the digest of a secret that only this browser's HttpOnly cookie holds
# (a proof copied to another phone is worthless), and the check-in is recorded under the proof's nonce,
# so one proof checks in one person (sent again for someone else: `conflict`, services.checkin).
# Wrong identifications are counted per proof (ROOM_PROOF_FAILURES, then scan again) and per address
# (ROOM_IDENTIFY_FAILURE_LIMIT, then 429) in the rate limiter's storage.
ROOM_PROOF_COOKIE = "bdg_room_proof"
ROOM_PROOF_FAILURES = 3


def _room_failure_limit() -> str:
    return current_app.config.get("ROOM_IDENTIFY_FAILURE_LIMIT", "30 per 15 minutes")


def _binding(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:40]


@bp.route("/R/<room>/<room_code>", methods=["GET"])
@bp.route("/r/<room>/<room_code>", methods=["GET"], alias=True)
def room(room, room_code):
    """Her phone opened the projector's code: remember when, then ask her to confirm (and identify herself)."""
    cls = rooms.class_for_room(room)
    if cls is None:
        abort(404)
    secret = secrets.token_urlsafe(24)
    proof = _serializer("room-scan").dumps({"code": room_code, "at": utcnow().timestamp(), "bind": _binding(secret)})
    response = _room_page(cls, room, proof=proof)
    response.set_cookie(ROOM_PROOF_COOKIE, secret, max_age=SCAN_PROOF_SECONDS, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", True))
    return response


@bp.route("/R/<room>", methods=["POST"])
@bp.route("/r/<room>", methods=["POST"], alias=True)
@limiter.limit(_room_limit)
def room_checkin(room):
    cls = rooms.class_for_room(room)
    if cls is None:
        abort(404)
    proof = _room_proof()
    if proof is None:
        result = answers.CheckinResult("code_expired", _("Mã phòng không đúng hoặc đã hết hạn: "
                                                         "hãy quét (hoặc nhập) mã đang hiển thị trên màn hình."))
        return _room_page(cls, room, result=result, spent=True)
    scanned_at = datetime.fromtimestamp(proof["at"], tz=timezone.utc)
    known = _known_enrolment(cls)
    ticket_text = ticket_token(known.id) if known is not None else None
    if known is None:
        _refuse_after_too_many_failures()
        enrolment, problem = _identify(cls)
        if enrolment is None:
            _count_failure(proof["bind"])
            flash(problem, "error")
            # The same answer whether the phone is unknown or the birth year wrong: no membership oracle.
            return _room_page(cls, room, proof=request.form.get("proof"), status=422,
                              phone=request.form.get("phone", ""), birth_year=request.form.get("birth_year", ""))
        ticket_text = ticket_token(enrolment.id)
    result = rooms.checkin_by_room_code(cls, proof.get("code"), scanned_at, ticket_text, device="kiosk",
                                        nonce=f"room:{proof['bind']}")
    # 200 even for a refusal: the answer is the page, and the refused scan must reach the failed-scan log.
    return _room_page(cls, room, result=result, spent=True)


def _room_page(cls, room, *, proof: str = "", result=None, status: int = 200, spent: bool = False,
               **form) -> Response:
    response = Response(render_template("checkin/room.html", cls=cls, room=room, proof=proof,
                                        known=_known_enrolment(cls), result=result, **form), status=status)
    response.headers["Cache-Control"] = "private, no-store"
    if spent:
        response.delete_cookie(ROOM_PROOF_COOKIE, httponly=True, samesite="Lax",
                               secure=current_app.config.get("SESSION_COOKIE_SECURE", True))
    return response


def _room_proof() -> dict | None:
    """The posted proof, if it is signed, fresh, opened in this browser and not spent by wrong guesses."""
    try:
        proof = _serializer("room-scan").loads(request.form.get("proof", ""), max_age=SCAN_PROOF_SECONDS)
    except BadSignature:
        return None
    if not isinstance(proof, dict) or not isinstance(proof.get("bind"), str) or \
            not isinstance(proof.get("at"), (int, float)):
        return None  # a proof signed before proofs were bound to a browser
    secret = request.cookies.get(ROOM_PROOF_COOKIE, "")
    if not secret or not hmac.compare_digest(_binding(secret), proof["bind"]):
        return None
    if limiter.enabled and not limiter.limiter.test(_proof_failures(), "room-proof", proof["bind"]):
        return None
    return proof


def _proof_failures():
    return limits.parse(f"{ROOM_PROOF_FAILURES} per {SCAN_PROOF_SECONDS} seconds")


def _address_failures() -> list:
    return limits.parse_many(_room_failure_limit())


def _refuse_after_too_many_failures() -> None:
    if limiter.enabled and not all(limiter.limiter.test(item, "room-identify", get_remote_address())
                                   for item in _address_failures()):
        raise TooManyRequests()


def _count_failure(binding: str) -> None:
    """A wrong phone or birth year: counted against the proof and against the address."""
    if not limiter.enabled:
        return
    limiter.limiter.hit(_proof_failures(), "room-proof", binding)
    for item in _address_failures():
        limiter.limiter.hit(item, "room-identify", get_remote_address())


def _known_enrolment(cls):
    for token in _remembered_tickets():
        enrolment = tickets.find_ticket(token)
        if enrolment is not None and enrolment.class_id == cls.id:
            return enrolment
    return None


def _identify(cls):
    try:
        phone, _restored = cells.phone(request.form.get("phone", "").strip())
    except cells.CellError:
        phone = None
    year_text = request.form.get("birth_year", "").strip()
    if not phone:
        return None, _("Số điện thoại không hợp lệ.")
    if not (year_text.isdigit() and len(year_text) == 4):
        return None, _("Năm sinh phải gồm 4 chữ số, ví dụ 1980.")
    enrolment = rooms.find_by_phone_and_birth_year(cls, phone, int(year_text))
    if enrolment is None:
        return None, _("Không tìm thấy người có số điện thoại và năm sinh này trong danh sách lớp.")
    return enrolment, None


# --- attendance: manual marks, live view, scan log ---------------------------------------------------

@bp.route("/plans/<code>/classes/<class_code>/attendance")
@login_required
def attendance(code, class_code):
    plan, cls = load_class(code, class_code, "checkin.view")
    q = request.args.get("q", "").strip()
    # Without a search, the grid's people are the class's active enrolments: counted without the join to people.
    page = paginate(attendance_view.grid_query(cls, q), rows=True,
                    total=None if q else lambda: attendance_view.expected_count(cls))
    grid = attendance_view.grid(cls, page.items, utcnow())
    access_log.record_access("attendance.viewed", cls=cls, people_count=len(page.items))
    return render_template("checkin/attendance.html", plan=plan, cls=cls, page=page, grid=grid, q=q,
                           statuses=ATTENDANCE_STATUSES)


@bp.route("/plans/<code>/classes/<class_code>/attendance/mark", methods=["POST"])
@login_required
def mark(code, class_code):
    plan, cls = load_class(code, class_code, "checkin.run")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = url_for("checkin.attendance", code=code, class_code=class_code, q=request.form.get("q", ""))
    try:
        enrolment = roster_decisions.get_enrolment(cls, request.form.get("enrolment_id", type=int) or 0)
        session = attendance_view.get_session(request.form.get("session_id", type=int) or 0)
        marking.mark_attendance(current_user, cls, enrolment, session, request.form.get("status", ""),
                                request.form.get("reason"))
        flash(_("Đã ghi điểm danh của %(name)s.", name=enrolment.person.full_name), "success")
    except DomainError as error:
        flash(str(error.message), "error")
    return redirect(back, 303)


@bp.route("/plans/<code>/classes/<class_code>/live")
@login_required
def live(code, class_code):
    plan, cls = load_class(code, class_code, "checkin.view")
    # Those not here and those below the threshold, 100 a page each (?page=, ?below_page=).
    state = attendance_view.live(cls, utcnow(), page_arg(), page_arg("below_page"))
    access_log.record_access("attendance.live.viewed", cls=cls,
                             people_count=len(state.missing.items if state.missing else [])
                             + len(state.below_threshold.items))
    return render_template("checkin/live.html", plan=plan, cls=cls, live=state)


@bp.route("/plans/<code>/classes/<class_code>/scans")
@login_required
def scan_log(code, class_code):
    plan, cls = load_class(code, class_code, "checkin.run")
    refused_only = request.args.get("all") != "1"
    page = paginate(attendance_view.scan_log_query(cls, refused_only))
    access_log.record_access("scans.viewed", cls=cls, people_count=len(page.items))
    return render_template("checkin/scans.html", plan=plan, cls=cls, page=page, refused_only=refused_only)

"""JSON API v1 for scanners and scripts.

Authentication: `Authorization: Bearer bdg_...` (a token from `flask api-token create`), or the
browser session of a logged-in organiser with its CSRF token in `X-CSRFToken` (the scanner page).
Every scan answers 200 with a `status` among checked_in, already, not_on_list, wrong_class,
outside_window, invalid_token, revoked, cancelled; errors of the request itself (no auth,
malformed JSON, no permission) answer 4xx with {"error": {"code", "message"}}.
"""
from __future__ import annotations

import json
import time
from functools import lru_cache, wraps
from pathlib import Path

from flask import Blueprint, after_this_request, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from ... import database
from ...errors import DomainError
from ...extensions import csrf, db, limiter
from ...models.base import utcnow
from ...security import can
from ...services.accounts import api_tokens
from ...services.checkin import batches, checkin, offline_roster
from .. import access_log
from ..common import commits_before_response
from ..loaders import find_class

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer requests carry no cookie to forge; cookie requests are checked in _authenticate
MAX_BATCH = 500
# hand-written; tests/web/test_openapi.py holds it to the routes
OPENAPI_FILE = Path(__file__).with_name("openapi.json")
PUBLIC_ENDPOINTS = {"api.openapi"}  # the description is documentation, not data
# All a check-in token (a door scanner's) may call; any other endpoint answers it 403.
CHECKIN_ENDPOINTS = frozenset({"api.create_checkin", "api.create_checkin_batch", "api.roster_snapshot"})


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    # Scans read first and take SQLite's write lock only for their INSERTs (services.checkin).
    database.read_first(db.session)
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        found = api_tokens.user_and_scope_for_token(header[7:].strip())
        if found is None:
            raise DomainError("unauthorized", _("Mã truy cập API không hợp lệ hoặc đã bị thu hồi."))
        user, scope = found
        if scope != api_tokens.FULL_SCOPE and request.endpoint not in CHECKIN_ENDPOINTS:
            raise DomainError("forbidden", _("Mã truy cập này chỉ dùng để điểm danh."))
        g.api_user = user
        return None
    if not current_user.is_authenticated:
        raise DomainError("unauthorized", _("Cần đăng nhập hoặc mã truy cập API (Authorization: Bearer)."))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    g.api_user = current_user._get_current_object()
    return None


@lru_cache(maxsize=1)
def _openapi_document() -> dict:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@bp.route("/openapi.json")
def openapi():
    response = jsonify(_openapi_document())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _limit_key() -> str:
    user = getattr(g, "api_user", None)
    return f"user:{user.id}" if user is not None else request.remote_addr or "anonymous"


def _scan_limit() -> str:
    return current_app.config.get("CHECKIN_RATE_LIMIT", "600 per minute")


@lru_cache(maxsize=16)
def _parsed_limits(text: str) -> tuple:
    return tuple(parse_many(text))


def _scan_rate_limited(view):
    """CHECKIN_RATE_LIMIT per API user and route, counted in the rate limiter's own storage
    (memory:// or redis://, as every other limit) with its strategy, as `limiter.limit` did: 429 past
    it, and the same X-RateLimit-* and Retry-After headers on every answer. Flask-Limiter's decorator
    looked up limits, exemptions and scopes generically on every scan, about 7 % of a scan's
    instructions (docs/BENCHMARKS.md); this asks the storage directly."""

    @wraps(view)
    def limited(*args, **kwargs):
        if not limiter.enabled:
            return view(*args, **kwargs)
        identifiers = (_limit_key(), request.endpoint)
        strategy = limiter.limiter
        shown, breached = None, False
        for item in sorted(_parsed_limits(_scan_limit())):
            if not strategy.hit(item, *identifiers):
                shown, breached = item, True
                break
            shown = shown or item
        if shown is not None:
            reset, remaining = strategy.get_window_stats(shown, *identifiers)

            @after_this_request
            def _headers(response):
                response.headers["X-RateLimit-Limit"] = str(shown.amount)
                response.headers["X-RateLimit-Remaining"] = str(remaining)
                response.headers["X-RateLimit-Reset"] = str(int(reset + 1))
                response.headers["Retry-After"] = str(int(reset + 1 - time.time()))
                return response
        if breached:
            raise TooManyRequests()
        return view(*args, **kwargs)

    return limited


def _json_body() -> dict | list:
    body = request.get_json(silent=True)
    if body is None:
        raise DomainError("bad_request", _("Nội dung yêu cầu phải là JSON."))
    return body


def _scanner_class(body: dict):
    """The class a scanner works for, when it says so ("HT-2019/LOP-3"); checked against the user's rights."""
    ref = body.get("class")
    if ref is None:
        return None
    if not isinstance(ref, str) or "/" not in ref:
        raise DomainError("bad_request", _("Trường “class” phải có dạng MÃ-KẾ-HOẠCH/MÃ-LỚP."))
    plan_code, class_code = ref.split("/", 1)
    _plan, cls = find_class(plan_code, class_code)
    _require_checkin(cls)
    return cls


def _may_scan(cls) -> bool:
    return can("checkin.run", cls, user=g.api_user)


def _require_checkin(cls) -> None:
    if not can("checkin.run", cls, user=g.api_user):
        raise DomainError("forbidden", _("Bạn không có quyền điểm danh cho lớp này."))


@bp.route("/checkins", methods=["POST"])
@_scan_rate_limited
@commits_before_response
def create_checkin():
    body = _json_body()
    if not isinstance(body, dict) or not isinstance(body.get("token", body.get("digest")), str):
        raise DomainError("bad_request", _("Cần trường “token” (nội dung mã QR hoặc đường dẫn vé)."))
    for name in ("token", "digest", "nonce", "device", "source"):
        _optional_text(body, name)
    scanner_class = _scanner_class(body)
    token = body.get("token")
    if token is None and scanner_class is None:
        raise DomainError("bad_request", _("Trường “digest” cần đi kèm trường “class” (MÃ-KẾ-HOẠCH/MÃ-LỚP)."))
    if token is None:
        token = offline_roster.ticket_for_digest(scanner_class, body["digest"]) or ""
    scanned_at = batches.parse_instant(body.get("scanned_at"))
    if body.get("scanned_at") is not None and scanned_at is None:
        raise DomainError("bad_request", _("Thời điểm quét “scanned_at” không hợp lệ (ISO 8601 có múi giờ)."))
    result = checkin.perform_checkin(
        token, source="api" if body.get("source") != "scanner" else "scanner", scanner_class=scanner_class,
        scanned_at=scanned_at, device=_text(body.get("device")), nonce=_text(body.get("nonce")), actor=g.api_user,
        may_scan=_may_scan)
    return result.as_json()


@bp.route("/checkins/batch", methods=["POST"])
@_scan_rate_limited
@commits_before_response
def create_checkin_batch():
    body = _json_body()
    items = body.get("scans") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise DomainError("bad_request", _("Cần danh sách “scans”."))
    if len(items) > MAX_BATCH:
        raise DomainError("bad_request", _("Mỗi lần gửi tối đa %(n)s lượt quét.", n=MAX_BATCH))
    if isinstance(body, dict):
        _optional_text(body, "device")
    scanner_class = _scanner_class(body) if isinstance(body, dict) else None
    answers = batches.redeem_batch(items, actor=g.api_user, scanner_class=scanner_class, may_scan=_may_scan,
                                   default_device=_text(body.get("device")) if isinstance(body, dict) else None)
    return {"results": answers,
            "accepted": sum(1 for a in answers if a.get("accepted")),
            "refused": sum(1 for a in answers if not a.get("accepted"))}


@bp.route("/classes/<plan_code>/<class_code>/roster")
def roster_snapshot(plan_code, class_code):
    _plan, cls = find_class(plan_code, class_code)
    _require_checkin(cls)
    snapshot = offline_roster.roster_snapshot(cls, utcnow())
    access_log.record_access("roster.snapshot.downloaded", actor=g.api_user, cls=cls,
                             people_count=len(snapshot["people"]), detail="api")
    response = jsonify(snapshot)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _optional_text(body: dict, name: str) -> str | None:
    """A text field that may be left out (or null); any other type is a malformed request."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise DomainError("bad_request", _("Trường “%(field)s” phải là chuỗi ký tự.", field=name))
    return value


def _text(value) -> str | None:
    return value[:80] if isinstance(value, str) and value.strip() else None

"""CSRF on every state change, session fixation, open redirects, security headers and rate limits.

The CSRF test walks `app.url_map`: a write route added later is covered without being listed.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent
from bdgtrain.security import ticket_token
from bdgtrain.services.accounts import api_tokens
from tests import factories as make
from tests.conftest import Browserless
from tests.web.security_support import (  # noqa: F401  (fixtures, taken by name)
    WRITE_METHODS,
    build,
    collection_rules,
    find_rule,
    logged_in_client,
    rule_id,
    security_world,
    world,
)

WRITE_RULES = [r for r in collection_rules() if set(r.methods) & set(WRITE_METHODS)]
FORM_WRITE_RULES = [r for r in WRITE_RULES if not r.rule.startswith("/api/")]
API_WRITE_RULES = [r for r in WRITE_RULES if r.rule.startswith("/api/")]


def _audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


# --- CSRF --------------------------------------------------------------------------------------

@pytest.mark.parametrize("collected", FORM_WRITE_RULES, ids=rule_id)
def test_every_form_write_without_a_csrf_token_is_refused(app, security_world, collected):
    """As the admin (whom no permission stops, so only the token can) and as a visitor; no token, a
    token from another session, a made-up token: 400 with the Vietnamese message, nothing written."""
    accounts, ids = security_world
    rule = find_rule(app, collected.rule, collected.endpoint)
    url = build(rule, ids)
    other_session_token = Browserless(app.test_client()).csrf("/login")
    clients = {role: logged_in_client(app, accounts, role) for role in ("admin", "anonymous")}
    before = _audit_count()  # after the logins, which are audited
    for role, client in clients.items():
        for method in sorted(set(rule.methods) & set(WRITE_METHODS)):
            for data in ({}, {"csrf_token": other_session_token}, {"csrf_token": "IjEyMyI.forged.token"}):
                response = client.open(url, method=method, data=data)
                assert response.status_code == 400, (role, method, data, response.status_code)
                assert "tải lại trang" in response.get_data(as_text=True)
    assert _audit_count() == before


def test_csrf_protection_is_on_in_the_tests_and_in_production(app):
    from bdgtrain.config import ProductionConfig

    assert app.config["WTF_CSRF_ENABLED"] is True
    assert getattr(ProductionConfig, "WTF_CSRF_ENABLED", True) is True


@pytest.fixture
def scanner(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org, "KH-QR")
    cls, enrolments = make.class_open_now(plan, "LOP-QR", people=1)
    token, _row = api_tokens.create_token(None, organiser, "máy quét 1")
    db.session.commit()
    return cls, enrolments[0], token


@pytest.mark.parametrize("collected", API_WRITE_RULES, ids=rule_id)
def test_api_writes_refuse_a_session_cookie_without_its_csrf_header(app, scanner, collected):
    """The API is exempt from the form check because a bearer token cannot be forged by another site;
    a browser session (the scanner page) must still send X-CSRFToken, or it is refused."""
    cls, enrolment, _token = scanner
    rule = find_rule(app, collected.rule, collected.endpoint)
    url = rule.build({}, append_unknown=False)[1]
    client = logged_in_client(app, {"organiser": "tochuc@test.vn"}, "organiser")
    body = {"token": ticket_token(enrolment.id), "scans": [{"token": ticket_token(enrolment.id), "nonce": "n1"}]}
    for headers in ({}, {"X-CSRFToken": "forged"}):
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 400, (headers, response.status_code)
        assert response.is_json and response.get_json()["error"]["message"]
    # No browser may read the API from another origin either: no CORS header is ever sent.
    assert "Access-Control-Allow-Origin" not in response.headers
    from bdgtrain.models import Attendance

    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_api_with_a_bearer_token_needs_no_csrf_header(app, client, scanner):
    cls, enrolment, token = scanner
    response = client.post("/api/v1/checkins", json={"token": ticket_token(enrolment.id)},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["status"] == "checked_in"


# --- session fixation --------------------------------------------------------------------------

@pytest.fixture
def admin(app):
    make.user("a@b.vn", "admin")
    make.commit()
    return "a@b.vn"


def test_a_session_cookie_from_before_login_does_not_carry_the_login(app, admin):
    """The attacker's planted cookie (from the login page) stays anonymous after the victim logs in."""
    attacker = app.test_client()
    attacker.get("/login")
    planted = attacker.get_cookie("session").value

    victim = app.test_client()
    victim.set_cookie("session", planted)
    assert Browserless(victim).login(admin).status_code == 302
    after = victim.get_cookie("session").value
    assert after != planted
    assert victim.get("/").status_code == 200  # the victim is in ...

    replay = app.test_client()  # ... and the planted cookie is not
    replay.set_cookie("session", planted)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_starts_a_fresh_session_keeping_only_the_language(app, admin):
    client = app.test_client()
    web = Browserless(client)
    web.post("/locale", {"lang": "en", "next": "/login"}, token_page="/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    web.login(admin)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "en"
        assert session.get("_user_id")


def test_logout_clears_the_session_cookie_content(app, admin):
    client = app.test_client()
    web = Browserless(client)
    web.login(admin)
    logged_in = client.get_cookie("session").value
    response = web.post("/logout")
    assert response.status_code == 302
    assert client.get_cookie("session") is None or client.get_cookie("session").value != logged_in
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app, admin):
    from bdgtrain.config import ProductionConfig

    client = app.test_client()
    Browserless(client).login(admin)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert ProductionConfig.SESSION_COOKIE_SECURE is True or ProductionConfig.SESSION_COOKIE_SECURE  # from env


def test_a_tampered_session_cookie_is_anonymous(app, admin):
    client = app.test_client()
    Browserless(client).login(admin)
    value = client.get_cookie("session").value
    client.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/").status_code == 302


def _change_password(app, admin_client, user, password="mat-khau-moi-2026"):
    web = Browserless(admin_client)
    return web.post(f"/users/{user.id}/edit", {
        "email": user.email, "full_name": user.full_name, "role": user.role, "organisation_id": "",
        "is_active_account": "y", "password": password, "password_again": password}, token_page="/users/")


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(app, admin):
    from bdgtrain.models import User

    make.user("nv@b.vn", "admin")
    make.commit()
    victim_session = app.test_client()
    Browserless(victim_session).login("nv@b.vn")
    assert victim_session.get("/").status_code == 200
    admin_client = app.test_client()
    Browserless(admin_client).login(admin)
    user = db.session.scalar(select(User).where(User.email == "nv@b.vn"))
    assert _change_password(app, admin_client, user).status_code == 303
    assert victim_session.get("/").status_code == 302  # the stolen or forgotten session is over


def test_changing_ones_own_password_keeps_this_session_only(app, admin):
    from bdgtrain.models import User

    other_device, this_device = app.test_client(), app.test_client()
    Browserless(other_device).login(admin)
    Browserless(this_device).login(admin)
    me = db.session.scalar(select(User).where(User.email == admin))
    assert _change_password(app, this_device, me).status_code == 303
    assert this_device.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


# --- open redirect -----------------------------------------------------------------------------

HOSTILE_TARGETS = [
    "https://evil.example/", "http://evil.example", "//evil.example", "///evil.example", "////evil.example",
    "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\t/evil.example", "/\n/evil.example",
    " //evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "https:evil.example", "http:/evil.example", "/%09/evil.example", "evil.example", "@evil.example",
    "/\x00/evil.example", "https://127.0.0.1.evil.example/",
]


def _stays_on_site(location: str) -> bool:
    from urllib.parse import urlsplit

    if any(ord(c) <= 32 for c in location) or "\\" in location:
        return False
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith("//")


def _refused_before_any_view(target: str, response) -> bool:
    """A NUL byte is refused with 400 by the input guard: no redirect at all, which is on-site too."""
    if "\x00" in target:
        assert response.status_code == 400 and "Location" not in response.headers
        return True
    return False


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_next_stays_on_site(app, admin, target):
    client = app.test_client()
    token = Browserless(client).csrf("/login")
    response = client.post("/login", data={"email": admin, "password": make.PASSWORD, "csrf_token": token,
                                           "next": target})
    if _refused_before_any_view(target, response):
        return
    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_page_next_query_stays_on_site(app, admin, target):
    """The login page carries ?next= into its form: what comes back out is still a local path."""
    from urllib.parse import quote

    client = app.test_client()
    page = client.get(f"/login?next={quote(target, safe='')}")
    if _refused_before_any_view(target, page):
        return
    assert page.status_code == 200
    token = Browserless(client).csrf("/login")
    import re

    from tests.conftest import CSRF_RE  # noqa: F401

    carried = re.search(r'name="next"[^>]*value="([^"]*)"', page.get_data(as_text=True))
    import html

    next_value = html.unescape(carried.group(1)) if carried else ""
    response = client.post("/login", data={"email": admin, "password": make.PASSWORD, "csrf_token": token,
                                           "next": next_value})
    assert _stays_on_site(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_language_switch_next_stays_on_site(app, client, target):
    response = Browserless(client).post("/locale", {"lang": "en", "next": target}, token_page="/login")
    if _refused_before_any_view(target, response):
        return
    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_local_next_is_kept(app, admin, client):
    token = Browserless(client).csrf("/login")
    response = client.post("/login", data={"email": admin, "password": make.PASSWORD, "csrf_token": token,
                                           "next": "/plans/?page=2"})
    assert response.headers["Location"] == "/plans/?page=2"


# --- security headers --------------------------------------------------------------------------

def test_every_page_sends_the_security_headers(app, client):
    for url in ("/login", "/healthz", "/static/css/app.css" if False else "/login", "/no-such-page"):
        response = client.get(url)
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        csp = headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        policy = headers["Permissions-Policy"]
        assert "camera=(self)" in policy and "microphone=()" in policy and "geolocation=()" in policy
        assert "Strict-Transport-Security" not in headers  # plain http: no HSTS


def test_hsts_only_over_https_behind_the_proxy(database_url):
    from tests.conftest import make_app

    app = make_app(database_url, PROXY_HOPS=1, HSTS_SECONDS=31536000)
    client = app.test_client()
    https = client.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.7"})
    assert https.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    http = client.get("/login", headers={"X-Forwarded-Proto": "http", "X-Forwarded-For": "10.0.0.7"})
    assert "Strict-Transport-Security" not in http.headers
    off = make_app(database_url, PROXY_HOPS=1, HSTS_SECONDS=0).test_client()
    assert "Strict-Transport-Security" not in off.get("/login", headers={"X-Forwarded-Proto": "https"}).headers


def test_without_proxy_hops_a_forged_forwarded_proto_is_ignored(database_url):
    from tests.conftest import make_app

    client = make_app(database_url, PROXY_HOPS=0).test_client()
    assert "Strict-Transport-Security" not in client.get("/login", headers={"X-Forwarded-Proto": "https"}).headers


# --- rate limits -------------------------------------------------------------------------------

def test_login_rate_limit_answers_429_in_vietnamese(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    client = app.test_client()
    web = Browserless(client)
    statuses = [web.login(admin, "sai-mat-khau-roi").status_code for _ in range(3)]
    assert statuses == [422, 422, 422]
    response = web.login(admin)  # even the right password waits
    assert response.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/").status_code == 302  # not logged in


def test_login_rate_limit_is_per_address(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    first = app.test_client()
    for _ in range(3):
        Browserless(first).login(admin, "sai-mat-khau-roi")
    other = app.test_client()
    token = Browserless(other).csrf("/login")
    response = other.post("/login", data={"email": admin, "password": make.PASSWORD, "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302


def test_api_checkin_rate_limit_answers_429_json_in_vietnamese(app, client, scanner, monkeypatch):
    cls, enrolment, token = scanner
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "2 per minute")
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [client.post("/api/v1/checkins", json={"token": ticket_token(enrolment.id), "nonce": f"n{i}"},
                            headers=headers) for i in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    body = statuses[-1].get_json()
    assert body["error"]["code"] == "too_many_requests"
    assert "Bạn đã thử quá nhiều lần" in body["error"]["message"]


def test_room_checkin_rate_limit_answers_429_in_vietnamese(app, client, scanner, monkeypatch):
    from bdgtrain.services.checkin.rooms import room_token

    cls, enrolment, _token = scanner
    monkeypatch.setitem(app.config, "ROOM_CHECKIN_RATE_LIMIT", "2 per minute")
    url = f"/R/{room_token(cls)}"
    token = Browserless(client).csrf("/login")
    statuses = [client.post(url, data={"csrf_token": token, "proof": "x"}) for _ in range(3)]
    assert [r.status_code for r in statuses][:2] == [200, 200]
    assert statuses[2].status_code == 429
    assert "Bạn đã thử quá nhiều lần" in statuses[2].get_data(as_text=True)


# --- input no database can store ---------------------------------------------------------------

def test_a_nul_byte_anywhere_is_refused_with_400_before_any_view(app, admin, scanner):
    """PostgreSQL cannot store NUL in text: without the guard these were server errors there, and
    stored on SQLite."""
    client = app.test_client()
    web = Browserless(client)
    web.login(admin)
    token = web.csrf("/")
    assert client.get("/plans/?q=a%00b").status_code == 400
    assert client.get("/plans/KH%00/").status_code in (400, 404)
    response = client.post("/plans/new", data={"csrf_token": token, "code": "KH\x00", "title": "x"})
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.get_data(as_text=True)
    cls, enrolment, bearer_token = scanner
    headers = {"Authorization": f"Bearer {bearer_token}"}
    for body in ({"token": "a\x00"}, {"token": ticket_token(enrolment.id), "device": "\x00"},
                 {"scans": [{"token": ticket_token(enrolment.id), "nonce": "n\x00"}]}, {"\x00": 1}):
        url = "/api/v1/checkins/batch" if "scans" in body else "/api/v1/checkins"
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request", body
    from bdgtrain.models import Plan

    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1  # the scanner fixture's plan only


def test_json_nested_beyond_reason_is_refused_not_a_crash(app, client, scanner):
    cls, enrolment, bearer_token = scanner
    headers = {"Authorization": f"Bearer {bearer_token}", "Content-Type": "application/json"}
    for depth in (100, 100_000):
        body = "[" * depth + "]" * depth
        response = client.post("/api/v1/checkins/batch", data=body, headers=headers)
        assert response.status_code == 400, depth


def test_an_upload_too_large_is_refused_in_vietnamese(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    client = app.test_client()
    token = Browserless(client).csrf("/login")
    response = client.post("/login", data={"csrf_token": token, "email": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "Tệp tải lên quá lớn" in response.get_data(as_text=True)


def test_a_digest_without_its_class_is_a_malformed_request(app, client, scanner):
    """Found by schemathesis: it was answered 200 invalid_token, as if a ticket had been scanned."""
    cls, enrolment, bearer_token = scanner
    response = client.post("/api/v1/checkins", json={"digest": "abc"},
                           headers={"Authorization": f"Bearer {bearer_token}"})
    assert response.status_code == 400
    assert "“digest” cần đi kèm trường “class”" in response.get_json()["error"]["message"]
    from bdgtrain.models import CheckinScan

    assert db.session.scalar(select(func.count()).select_from(CheckinScan)) == 0


@pytest.mark.parametrize("body", [{"nonce": 7}, {"device": ["x"]}, {"source": {"a": 1}}, {"digest": 5}])
def test_api_fields_of_the_wrong_type_are_refused_not_ignored(app, client, scanner, body):
    """Found by schemathesis: a number as nonce or device was silently dropped and the scan accepted."""
    cls, enrolment, bearer_token = scanner
    response = client.post("/api/v1/checkins", json={"token": ticket_token(enrolment.id), **body},
                           headers={"Authorization": f"Bearer {bearer_token}"})
    assert response.status_code == 400
    assert "phải là chuỗi ký tự" in response.get_json()["error"]["message"]


def test_scan_times_as_rfc3339_allows_them(app):
    from bdgtrain.services.checkin.batches import parse_instant

    assert parse_instant("2020-01-01t07:00:00z").isoformat() == "2020-01-01T07:00:00+00:00"
    assert parse_instant("2020-06-30T23:59:60Z").isoformat() == "2020-06-30T23:59:59+00:00"  # a leap second
    assert parse_instant("0001-01-01T00:00:00+14:00") is None  # before year 1 in UTC: refused, not a crash

"""Logging in and out: CSRF, rate limits, no open redirect, a fresh session, secure cookie flags."""
from __future__ import annotations

from tests import factories as make


def test_login_then_dashboard_then_logout(app, web, client):
    make.user("a@b.vn", "admin")
    make.commit()
    response = web.login("a@b.vn")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    response = web.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_wrong_password_gets_one_vietnamese_message_and_422(app, web):
    make.user("a@b.vn", "admin")
    make.commit()
    response = web.login("a@b.vn", "sai-mat-khau-roi")
    assert response.status_code == 422
    assert "E-mail hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app, client):
    make.user("a@b.vn", "admin")
    make.commit()
    response = client.post("/login", data={"email": "a@b.vn", "password": make.PASSWORD})
    assert response.status_code == 400
    assert "tải lại trang" in response.get_data(as_text=True)


def test_login_attempts_are_rate_limited(app, web):
    make.user("a@b.vn", "admin")
    make.commit()
    statuses = [web.login("a@b.vn", "sai-mat-khau-roi").status_code for _ in range(12)]
    assert statuses[:10] == [422] * 10
    assert statuses[10:] == [429, 429]


def test_next_parameter_cannot_send_the_user_to_another_site(app, web, client):
    make.user("a@b.vn", "admin")
    make.commit()
    token = web.csrf("/login")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/login", data={"email": "a@b.vn", "password": make.PASSWORD,
                                               "csrf_token": token, "next": target})
        assert response.headers["Location"] == "/", target
        web.post("/logout")
        token = web.csrf("/login")


def test_next_parameter_returns_to_a_local_page(app, web, client):
    make.user("a@b.vn", "admin")
    make.commit()
    token = web.csrf("/login")
    response = client.post("/login", data={"email": "a@b.vn", "password": make.PASSWORD,
                                           "csrf_token": token, "next": "/plans/"})
    assert response.headers["Location"] == "/plans/"


def test_session_cookie_changes_at_login(app, web, client):
    """No session fixation: the session a visitor had before logging in is not the one after."""
    make.user("a@b.vn", "admin")
    make.commit()
    client.get("/login")
    before = client.get_cookie("session").value
    web.login("a@b.vn")
    after = client.get_cookie("session")
    assert after is not None and after.value != before
    assert after.http_only


def test_disabled_account_loses_its_open_session(app, web, client):
    user = make.user("a@b.vn", "admin")
    make.commit()
    web.login("a@b.vn")
    user.is_active_account = False
    user.session_version += 1
    make.commit()
    assert client.get("/").status_code == 302


def test_language_switch_to_english_and_back(app, web, client):
    make.user("a@b.vn", "admin")
    make.commit()
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)
    web.post("/locale", {"lang": "en", "next": "/login"}, token_page="/login")
    assert 'lang="en"' in client.get("/login").get_data(as_text=True)


def test_security_headers_are_set(app, client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_healthz_reports_the_database(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}

"""Logging out ends the session on the server: a copy of the cookie (from a shared computer in a
training hall) opens nothing afterwards; she can see where she is logged in and end the others."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, LoginSession
from bdgtrain.models.base import utcnow
from bdgtrain.services.accounts.login_sessions import describe_browser
from tests import factories as make
from tests.conftest import Browserless

CHROME_ANDROID = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/120.0.0.0 Mobile Safari/537.36")
EDGE_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0")


@pytest.fixture
def organiser(app):
    make.user("to-chuc@ha-tinh.gov.vn", "organiser", make.org("SNV", "Sở Nội vụ"))
    make.commit()
    return "to-chuc@ha-tinh.gov.vn"


def _logged_in(app, email, user_agent="pytest"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    assert Browserless(client).login(email).status_code == 302
    return client


def _copy(app, client):
    """Another browser holding a copy of this one's cookies."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _is_logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_copied_session_cookie_stops_working_when_she_logs_out(app, organiser):
    hall = _logged_in(app, organiser)
    thief = _copy(app, hall)
    assert _is_logged_in(thief)  # a copy works while she is logged in (as any session cookie does) ...

    assert Browserless(hall).post("/logout").status_code == 302
    assert not _is_logged_in(hall)
    response = thief.get("/")  # ... and no longer once she has logged out
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    events = db.session.execute(select(AuditEvent.action, AuditEvent.object_type)
                                .where(AuditEvent.action.like("user.log%"))).all()
    assert sorted(events) == [("user.login", "User"), ("user.logout", "User")]


def test_a_remember_me_cookie_also_dies_with_the_logout(app, organiser):
    client = app.test_client()
    web = Browserless(client)
    web.client.post("/login", data={"email": organiser, "password": "mat-khau-thu-nghiem", "remember": "y",
                                    "csrf_token": web.csrf("/login")})
    remember = client.get_cookie("remember_token").value
    later = app.test_client()  # the browser reopened: no session cookie, the remember-me cookie only
    later.set_cookie("remember_token", remember)
    assert _is_logged_in(later)

    web.post("/logout")
    reopened = app.test_client()
    reopened.set_cookie("remember_token", remember)
    assert not _is_logged_in(reopened)


def test_logging_out_on_one_browser_keeps_her_others(app, organiser):
    laptop, phone = _logged_in(app, organiser), _logged_in(app, organiser)
    Browserless(laptop).post("/logout")
    assert _is_logged_in(phone) and not _is_logged_in(laptop)


def test_she_sees_her_sessions_and_ends_the_others(app, organiser):
    laptop = _logged_in(app, organiser, EDGE_WINDOWS)
    phone = _logged_in(app, organiser, CHROME_ANDROID)
    page = laptop.get("/sessions").get_data(as_text=True)
    assert "Edge · Windows" in page and "Chrome · Android" in page and "Phiên này" in page
    assert "Đăng xuất tất cả phiên khác" in page

    response = Browserless(laptop).post("/sessions/end-others", token_page="/sessions", follow_redirects=True)
    assert "Đã đăng xuất 1 phiên khác." in response.get_data(as_text=True)
    assert _is_logged_in(laptop) and not _is_logged_in(phone)
    page = laptop.get("/sessions").get_data(as_text=True)
    assert "Chrome · Android" not in page and "Không có phiên nào khác." in page
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "user.sessions.ended_others")) == 1


def test_a_session_older_than_the_remember_me_duration_is_over(app, organiser):
    client = _logged_in(app, organiser)
    db.session.execute(LoginSession.__table__.update().values(
        created_at=utcnow() - app.config["REMEMBER_COOKIE_DURATION"] - timedelta(minutes=1)))
    db.session.commit()
    assert not _is_logged_in(client)


def test_a_new_login_removes_her_ended_sessions(app, organiser):
    for _ in range(3):
        Browserless(_logged_in(app, organiser)).post("/logout")
    _logged_in(app, organiser)
    rows = db.session.execute(select(LoginSession.ended_at)).all()
    assert [ended for (ended,) in rows] == [None]  # the three ended ones are gone, the open one stays


def test_only_the_hash_of_the_token_is_stored(app, organiser):
    client = _logged_in(app, organiser)
    with client.session_transaction() as session:
        token = session["_user_id"].rsplit(":", 1)[1]
    assert len(token) >= 32
    stored = db.session.scalars(select(LoginSession.token_hash)).one()
    assert token not in stored and len(stored) == 64


@pytest.mark.parametrize("agent, shown", [
    (CHROME_ANDROID, "Chrome · Android"),
    (EDGE_WINDOWS, "Edge · Windows"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/118.0.0 "
     "Chrome/112.0.0.0 Safari/537.36", "Cốc Cốc · Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.1 Mobile/15E148 Safari/604.1", "Safari · iPhone"),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "Firefox · Linux"),
    ("curl/8.4.0", ""),
])
def test_a_browser_is_described_by_its_name_and_system(agent, shown):
    assert describe_browser(agent) == shown

"""Feeds over HTTP (content type, ETag, 304, revoked links), the pages that offer them, the CLI."""
from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
import vobject
from werkzeug.http import http_date

from bdgtrain.extensions import db
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.calendar import calendar_feeds
from bdgtrain.services.planning import planning, sessions
from tests import calendar_world


@pytest.fixture
def world(app):
    with app.test_request_context():
        result = calendar_world.build()
    return result


def _feed_path(kind, target_id):
    feed = calendar_feeds.ensure_feed(None, kind, target_id)
    db.session.commit()
    return f"/cal/{calendar_feeds.feed_token(feed)}.ics"


def test_feed_is_text_calendar_without_any_accept_header(client, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    response = client.get(_feed_path("class", cls.id), headers={"Accept": ""})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"')
    assert "max-age=" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    body = response.get_data()
    assert len(list(icalendar.Calendar.from_ical(body).walk("VEVENT"))) == 4
    assert len(vobject.readOne(body.decode()).vevent_list) == 4


def test_etag_gives_304_and_a_change_gives_a_new_feed(client, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    path = _feed_path("class", cls.id)
    first = client.get(path)
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(path).get_data() == first.get_data()  # byte-identical while nothing changes
    sessions.set_session_cancelled(organiser, cls.sessions[0], True)
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"STATUS:CANCELLED" in changed.get_data()


def test_if_modified_since_is_compared_correctly(client, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    for row in [cls, cls.venue, trainer, *cls.sessions]:
        row.updated_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    path = _feed_path("class", cls.id)
    last_modified = client.get(path).headers["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date(utcnow() - timedelta(hours=3))
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    # An ETag that does not match wins over a date that would: If-None-Match decides when present.
    assert client.get(path, headers={"If-Modified-Since": last_modified,
                                     "If-None-Match": '"stale"'}).status_code == 200
    planning.update_class(organiser, cls, planning.ClassInput(
        code=cls.code, title="Tên mới", date_expression=cls.date_expression, venue_id=cls.venue_id,
        trainer_ids=[trainer.id]))
    db.session.commit()
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 200


def test_recent_change_withholds_last_modified(client, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    sessions.set_session_cancelled(organiser, cls.sessions[0], True)  # changed just now
    db.session.commit()
    response = client.get(_feed_path("class", cls.id))
    assert response.status_code == 200 and "ETag" in response.headers
    assert "Last-Modified" not in response.headers


def test_unknown_revoked_or_altered_token_is_a_plain_404(client, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    path = _feed_path("class", cls.id)
    calendar_feeds.revoke_feed(organiser, "class", cls.id)
    db.session.commit()
    for url in (path, path.replace(path[5:9], "AAAA"), "/cal/nothing.ics",
                f"/cal/{ticket_token(enrolments[0].id)}.ics"):  # a ticket is not a feed
        response = client.get(url)
        assert response.status_code == 404 and response.mimetype == "text/plain"
        assert response.get_data() == b"Not Found\n"


def test_public_feeds_only_when_the_plan_says_so(client, web, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    assert client.get(f"/cal/p/{plan.code}.ics").status_code == 404
    web.login(organiser.email)
    assert web.post(f"/plans/{plan.code}/calendar/access", {"access": "public"}).status_code == 303
    response = client.get(f"/cal/p/{plan.code}/{cls.code}.ics")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    assert client.get(f"/cal/p/{plan.code}.ics").status_code == 200
    page = client.get(f"/plans/{plan.code}/calendar").get_data(as_text=True)
    assert f"webcal://localhost/cal/p/{plan.code}.ics" in page


def test_class_page_offers_webcal_google_and_copyable_link(client, web, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    web.login(organiser.email)
    url = f"/plans/{plan.code}/classes/{cls.code}/calendar"
    assert "Tạo đường dẫn lịch" in client.get(url).get_data(as_text=True)
    web.post(f"{url}/feed", {"action": "rotate"})
    page = client.get(url).get_data(as_text=True)
    feed = calendar_feeds.current_feed("class", cls.id)
    token = calendar_feeds.feed_token(feed)
    assert f'href="webcal://localhost/cal/{token}.ics"' in page
    assert f"https://calendar.google.com/calendar/render?cid=webcal://localhost/cal/{token}.ics" in page
    assert f'value="http://localhost/cal/{token}.ics"' in page
    assert "js/copy-link.js" in page and "Outlook" in page and "Apple" in page
    asked = web.post(f"{url}/feed", {"action": "revoke"})
    assert asked.status_code == 200 and "Thu hồi đường dẫn lịch?" in asked.get_data(as_text=True)
    assert client.get(f"/cal/{token}.ics").status_code == 200, "unconfirmed, the link still works"
    web.post(f"{url}/feed", {"action": "revoke", "confirmed": "yes"})
    assert client.get(f"/cal/{token}.ics").status_code == 404
    download = client.get(f"{url}.ics")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert len(list(icalendar.Calendar.from_ical(download.get_data()).walk("VEVENT"))) == 4


def test_participant_reaches_her_feed_from_her_ticket(client, web, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    token = ticket_token(enrolments[0].id)
    ticket_page = client.get(f"/T/{token}").get_data(as_text=True)
    assert f"/T/{token}/calendar" in ticket_page
    assert web.post(f"/T/{token}/calendar/feed", {"action": "rotate"},
                    token_page=f"/T/{token}/calendar").status_code == 303
    page = client.get(f"/T/{token}/calendar").get_data(as_text=True)
    feed = calendar_feeds.current_feed("person", enrolments[0].person_id)
    assert f"/cal/{calendar_feeds.feed_token(feed)}.ics" in page
    ics = client.get(f"/T/{token}/lop.ics").get_data(as_text=True)
    assert token in ics.replace("\r\n ", "")  # her own ticket link, in the description
    enrolments[0].status = "declined"
    db.session.commit()
    assert client.get(f"/T/{token}/calendar").status_code == 404


def test_org_and_trainer_pages(client, web, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    web.login(organiser.email)
    web.post(f"/organisations/{unit.code}/calendar/feed", {"action": "rotate"})
    web.post(f"/trainers/{trainer.id}/calendar/feed", {"action": "rotate"})
    for kind, target in (("organisation", unit.id), ("trainer", trainer.id)):
        feed = calendar_feeds.current_feed(kind, target)
        body = client.get(f"/cal/{calendar_feeds.feed_token(feed)}.ics").get_data()
        assert len(list(icalendar.Calendar.from_ical(body).walk("VEVENT"))) == 4


def test_organiser_finds_each_units_calendar_from_the_organisation_list(client, web, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    web.login(organiser.email)
    page = client.get("/organisations/").get_data(as_text=True)
    assert f"/organisations/{unit.code}/calendar" in page


def test_cli_prints_feed_urls(runner, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    result = runner.invoke(args=["calendar", "url", "--class", cls.code])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("http://127.0.0.1:5000/cal/") and url.endswith(".ics")
    assert runner.invoke(args=["calendar", "url", "--class", cls.code]).output.strip() == url  # same link again
    path = runner.invoke(args=["calendar", "url", "--person", str(enrolments[0].person_id), "--path"]).output.strip()
    assert path.startswith("/cal/") and "://" not in path
    assert runner.invoke(args=["calendar", "url", "--org", unit.code]).exit_code == 0
    assert runner.invoke(args=["calendar", "url", "--org", "KHONG-CO"]).exit_code != 0
    plan.calendar_access = "public"
    db.session.commit()
    assert runner.invoke(args=["calendar", "url", "--plan", plan.code]).output.strip().endswith(
        f"/cal/p/{plan.code}.ics")

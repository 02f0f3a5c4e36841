"""Irreversible and mass actions ask first (issue 21): a POST without confirmed=yes changes nothing and
answers the one confirmation page (what will happen, with counts, a confirm button that posts the same
fields back with confirmed=yes, and a way back); the posted confirmation does the work."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import MailMessage
from bdgtrain.services.calendar import calendar_feeds
from tests import seats_world as world
from tests.conftest import Browserless

CLASS = "/plans/KH-2019/classes/LOP-3"


@pytest.fixture
def w(app):
    built = world.build(capacity=None)
    world.send_list(built.cls, built.snv, world.people(3, emails=True))
    return built


@pytest.fixture
def organiser(app, w) -> Browserless:
    web = Browserless(app.test_client())
    assert web.login("org@example.vn").status_code == 302
    return web


def _mails() -> int:
    return db.session.scalar(select(func.count()).select_from(MailMessage))


def _asks(response, *texts: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    assert 'name="confirmed" value="yes"' in page
    for text in texts:
        assert text in page
    return page


def test_confirm_all_nominees_asks_with_the_count_and_changes_nothing_until_confirmed(organiser, w):
    roster = f"{CLASS}/roster"
    before = world.statuses(w.cls)
    assert set(before.values()) == {"nominated"}
    page = _asks(organiser.post(f"{roster}/confirm", {}, token_page=roster),
                 "Xác nhận tất cả người được cử?", "3 người đang ở trạng thái", "Xác nhận 3 người")
    assert f'href="{roster}"' in page, "a way back to the roster"
    db.session.expire_all()
    assert world.statuses(w.cls) == before
    assert organiser.post(f"{roster}/confirm", {"confirmed": "yes"}, token_page=roster).status_code == 303
    db.session.expire_all()
    assert set(world.statuses(w.cls).values()) == {"confirmed"}


def test_sending_the_invitations_asks_with_the_count_and_queues_nothing_until_confirmed(organiser, w):
    page = f"{CLASS}/invitations"
    asked = _asks(organiser.post(page, {"action": "invite"}, token_page=page),
                  "Gửi giấy mời cho người chưa được mời?", "3 học viên có e-mail chưa được mời", "Gửi 3 giấy mời")
    assert 'name="action" value="invite"' in asked, "the button pressed is posted back"
    assert _mails() == 0
    assert organiser.post(page, {"action": "invite", "confirmed": "yes"}, token_page=page).status_code == 303
    assert _mails() == 3
    # Once they are invited, asking again counts nobody left to invite.
    _asks(organiser.post(page, {"action": "invite"}, token_page=page), "0 học viên có e-mail chưa được mời")


def test_resending_every_invitation_asks_with_the_count_and_queues_nothing_until_confirmed(organiser, w):
    page = f"{CLASS}/invitations"
    assert organiser.post(page, {"action": "invite", "confirmed": "yes"}, token_page=page).status_code == 303
    sent = _mails()
    assert sent == 3
    asked = _asks(organiser.post(page, {"action": "resend"}, token_page=page),
                  "Gửi lại giấy mời cho tất cả?", "3 học viên có e-mail sẽ nhận lại giấy mời")
    assert 'name="action" value="resend"' in asked, "the button pressed is posted back"
    assert _mails() == sent
    assert organiser.post(page, {"action": "resend", "confirmed": "yes"}, token_page=page).status_code == 303
    assert _mails() == 2 * sent


def test_revoking_or_replacing_a_calendar_link_asks_but_starting_one_does_not(organiser, w):
    page = f"{CLASS}/calendar"
    assert organiser.post(f"{page}/feed", {"action": "rotate"}, token_page=page).status_code == 303
    feed = calendar_feeds.current_feed("class", w.cls.id)
    assert feed is not None
    token = calendar_feeds.feed_token(feed)
    for action, title in (("revoke", "Thu hồi đường dẫn lịch?"), ("rotate", "Tạo đường dẫn lịch mới?")):
        _asks(organiser.post(f"{page}/feed", {"action": action}, token_page=page), title,
              "sẽ ngừng hoạt động ngay")
        assert organiser.client.get(f"/cal/{token}.ics").status_code == 200, "unconfirmed: the link still works"
    assert organiser.post(f"{page}/feed", {"action": "revoke", "confirmed": "yes"}, token_page=page).status_code == 303
    assert organiser.client.get(f"/cal/{token}.ics").status_code == 404


def test_the_confirmation_page_works_without_javascript_and_offers_the_dialog_text(organiser, w):
    roster = organiser.client.get(f"{CLASS}/roster").get_data(as_text=True)
    assert ('data-confirm="3 người đang ở trạng thái “Được cử” sẽ chuyển sang “Đã xác nhận”. Tiếp tục?"'
            in roster), "widgets.js asks in a dialog from this text, whole"
    invitations = organiser.client.get(f"{CLASS}/invitations").get_data(as_text=True)
    assert 'value="resend"' in invitations and "data-confirm=" in invitations
    page = _asks(organiser.post(f"{CLASS}/roster/confirm", {}, token_page=f"{CLASS}/roster"))
    assert "<script" not in page.split("</main>")[0].split('<main')[1], "the question itself needs no script"


def test_deleting_a_venue_asks_and_keeps_it_until_confirmed(organiser, w):
    from bdgtrain.models import Venue
    from bdgtrain.services.planning import directory

    venue = directory.save_venue(None, directory.VenueInput(name="Hội trường Sở Lao động"))
    db.session.commit()
    venue_id = venue.id
    listing = organiser.client.get("/venues/").get_data(as_text=True)
    assert 'data-confirm="Xóa địa điểm Hội trường Sở Lao động khỏi danh bạ?"' in listing
    _asks(organiser.post(f"/venues/{venue_id}/delete", {}, token_page="/venues/"),
          "Xóa địa điểm Hội trường Sở Lao động?", "không hoàn tác được")
    db.session.expire_all()
    assert db.session.get(Venue, venue_id) is not None
    organiser.post(f"/venues/{venue_id}/delete", {"confirmed": "yes"}, token_page="/venues/")
    db.session.expire_all()
    assert db.session.get(Venue, venue_id) is None

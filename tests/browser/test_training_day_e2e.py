"""The training day in Chromium, at 1366×900 and on a 390×844 phone: the dashboard's session of today is
one tap from the scanner; the class page shows its facts before its actions; the kiosk fits a projector
(1366×768, 1920×1080) with the QR, the six digits and the count on one screen; a card held up in front of
the camera for several seconds is one scan."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import CheckinScan
from bdgtrain.security import ticket_token
from tests import factories as make
from tests.browser.fakecam import write_y4m

ORGANISER = "tochuc@test.vn"
PLAN, CLASS = "KH-NGAY", "LOP-NAY"
CLASS_PAGE = f"/plans/{PLAN}/classes/{CLASS}"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SLOW_MS = 30_000  # the first decode compiles zxing's WebAssembly


@pytest.fixture
def hall(app):
    org = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.user(ORGANISER, "organiser", org)
    plan = make.plan(org, code=PLAN)
    cls, enrolments = make.class_open_now(plan, CLASS, people=3, started_minutes_ago=15, capacity=40)
    people = [{"id": e.id, "name": e.person.full_name, "token": ticket_token(e.id)} for e in enrolments]
    db.session.commit()
    db.session.close()
    return {"people": people}


def _within(box, viewport) -> bool:
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= viewport["width"] + 0.5
            and box["y"] + box["height"] <= viewport["height"] + 0.5)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x900", "390x844"])
def test_dashboard_session_of_today_is_one_tap_from_the_scanner(live_server, hall, new_page, login, viewport):
    page = new_page(viewport=viewport)
    login(ORGANISER, page=page)
    page.goto(live_server.url + "/")
    today = page.locator(".training-day .day-session").first
    expect(today).to_contain_text(CLASS)
    today.get_by_role("button", name="Quét mã điểm danh").click()
    expect(page).to_have_url(f"{live_server.url}{CLASS_PAGE}/scanner")
    expect(page.locator("#scanner-session")).to_contain_text("Đang điểm danh: Buổi 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x900", "390x844"])
def test_class_page_shows_its_facts_on_the_first_screen_before_its_actions(live_server, hall, new_page, login,
                                                                           viewport):
    page = new_page(viewport=viewport)
    login(ORGANISER, page=page)
    page.goto(live_server.url + CLASS_PAGE)
    facts = page.locator(".class-facts")
    expect(facts).to_contain_text("Đang diễn ra")
    expect(page.locator("#fact-seats")).to_have_text("3/40")
    assert _within(facts.bounding_box(), viewport)
    before = page.locator("#moment-before")
    assert before.bounding_box()["y"] > facts.bounding_box()["y"] + facts.bounding_box()["height"] - 1
    # The folded groups are one line each: the actions of the other moments do not fill the screen.
    expect(page.get_by_role("button", name="Sửa lớp")).to_be_hidden()
    expect(page.get_by_role("button", name="Quét mã điểm danh")).to_be_visible()
    page.locator("#moment-before > summary").click()
    expect(page.get_by_role("button", name="Sửa lớp")).to_be_visible()


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}],
                         ids=["1366x768", "1920x1080"])
def test_kiosk_fits_a_projector_with_qr_digits_and_count_on_one_screen(live_server, hall, new_page, login,
                                                                       viewport):
    page = new_page(viewport=viewport)
    login(ORGANISER, page=page)
    page.goto(f"{live_server.url}{CLASS_PAGE}/kiosk")
    qr, digits, count = page.locator("#kiosk-qr svg"), page.locator("#kiosk-code"), page.locator("#kiosk-count")
    expect(qr).to_be_visible()
    expect(digits).to_have_text(re.compile(r"^\d{6}$"))
    # The six digits shown are the code the page holds: read together in the page, since the code may
    # rotate between two reads from here (a code read, then rotated, then the text compared, failed once).
    page.wait_for_function("() => document.getElementById('kiosk-code').textContent.trim()"
                           " === document.getElementById('kiosk').dataset.code")
    assert page.evaluate("window.scrollY") == 0
    for part in (qr, digits, count):
        assert _within(part.bounding_box(), viewport), (part, part.bounding_box())
    assert qr.bounding_box()["width"] >= 300  # readable from the back of the hall
    assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"] + 1 or \
        _within(count.bounding_box(), viewport)


def test_a_card_held_up_for_seconds_is_one_scan_in_the_log(live_server, hall, browser_factory, new_page, login,
                                                           tmp_path):
    hoa = hall["people"][0]
    video = write_y4m(tmp_path / "card.y4m", f"{live_server.url}/T/{hoa['token']}".upper())
    browser = browser_factory(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                               f"--use-file-for-fake-video-capture={video}"])
    phone = new_page(browser, permissions=["camera"], viewport=PHONE)
    login(ORGANISER, page=phone)
    phone.goto(f"{live_server.url}{CLASS_PAGE}/scanner")
    expect(phone.locator("#scan-answer .scan-result.scan-ok .scan-name")).to_have_text(hoa["name"], timeout=SLOW_MS)
    phone.wait_for_timeout(7000)  # the camera keeps seeing the card, well past the 3 s repeat window
    try:
        scans = db.session.scalars(select(CheckinScan.outcome).where(CheckinScan.enrolment_id == hoa["id"])).all()
    finally:
        db.session.rollback()
    assert scans == ["checked_in"]

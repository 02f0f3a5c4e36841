"""End to end in Chromium: an organiser logs in, writes a plan, adds a class from a document date
("11-12/7/2019") and finds its four default sessions; a date that does not exist is refused on the
form; the login page can be used from the keyboard alone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import ClassSession, TrainingClass
from tests import factories as make

EMAIL = "tochuc@test.vn"
PLAN_CODE = "HT-2019"


@pytest.fixture
def organiser(app) -> str:
    """An organiser of Sở LĐ-TB&XH; returns her e-mail. The test session ends its transaction so
    that the server threads can write (SQLite: BEGIN IMMEDIATE)."""
    org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user(EMAIL, "organiser", org)
    db.session.commit()
    db.session.close()
    return EMAIL


@pytest.fixture
def organiser_with_plan(app) -> str:
    org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user(EMAIL, "organiser", org)
    make.plan(org, code=PLAN_CODE)
    db.session.commit()
    db.session.close()
    return EMAIL


def _count(model) -> int:
    try:
        return db.session.scalar(select(func.count()).select_from(model))
    finally:
        db.session.rollback()  # never leave the write lock (SQLite) held while the browser works


def _session_rows(page):
    table = page.get_by_role("region", name="Các buổi học")
    return table.get_by_role("row").filter(has=page.get_by_role("cell"))


def test_organiser_creates_plan_and_class_with_four_sessions(live_server, organiser, login, page, tmp_path):
    login(organiser)

    main_nav = page.get_by_role("navigation", name="Điều hướng chính")
    main_nav.get_by_role("link", name="Kế hoạch", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch")
    # The list shows the button twice while it is empty (actions and the empty state): same target.
    page.get_by_role("button", name="Tạo kế hoạch").first.click()
    expect(page).to_have_url(f"{live_server.url}/plans/new")

    page.get_by_label("Mã kế hoạch").fill(PLAN_CODE)
    page.get_by_label("Số hiệu văn bản").fill("110/KH-SLĐTBXH")
    page.get_by_label("Tên kế hoạch").fill("Kế hoạch tập huấn bình đẳng giới năm 2019")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/plans/{PLAN_CODE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kế hoạch {PLAN_CODE}")
    expect(page.get_by_role("status")).to_contain_text(f"Đã tạo kế hoạch {PLAN_CODE}.")

    page.get_by_role("button", name="Thêm lớp").first.click()
    expect(page).to_have_url(f"{live_server.url}/plans/{PLAN_CODE}/classes/new")
    page.get_by_label("Mã lớp").fill("LOP-1")
    page.get_by_label("Tên lớp").fill("Lớp tập huấn cán bộ cấp xã")
    page.get_by_label("Thời gian tổ chức").fill("11-12/7/2019")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/plans/{PLAN_CODE}/classes/LOP-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lớp LOP-1")
    expect(page.get_by_role("status")).to_contain_text("Đã tạo lớp LOP-1 với 4 buổi.")

    rows = _session_rows(page)
    expect(rows).to_have_count(4)
    shown = [tuple(text.strip() for text in rows.nth(i).get_by_role("cell").all_inner_texts()[:3])
             for i in range(4)]
    assert shown == [
        ("11/07/2019", "Sáng", "07:30–11:30"),
        ("11/07/2019", "Chiều", "13:30–17:00"),
        ("12/07/2019", "Sáng", "07:30–11:30"),
        ("12/07/2019", "Chiều", "13:30–17:00"),
    ]

    screenshot = tmp_path / "class-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0

    page.set_viewport_size({"width": 360, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"the class page scrolls sideways at 360px: scrollWidth={scroll_width}"


def test_date_that_does_not_exist_is_refused_next_to_the_field(live_server, organiser_with_plan, login, page):
    login(organiser_with_plan)
    page.goto(f"{live_server.url}/plans/{PLAN_CODE}")
    page.get_by_role("button", name="Thêm lớp").first.click()

    page.get_by_label("Mã lớp").fill("LOP-1")
    page.get_by_label("Tên lớp").fill("Giữ nguyên tên này")
    page.get_by_label("Thời gian tổ chức").fill("31/2/2019")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/plans/{PLAN_CODE}/classes/new")
    dates = page.get_by_label("Thời gian tổ chức")
    expect(dates).to_have_value("31/2/2019")
    expect(dates).to_have_attribute("aria-invalid", "true")
    expect(dates).to_have_accessible_description(re.compile(r"Ngày 31/2/2019 không tồn tại"))
    # Next to the field: the message sits in the field's own block, right after the input.
    error_next_to_field = dates.locator("xpath=following-sibling::*[1]")
    expect(error_next_to_field).to_contain_text("Ngày 31/2/2019 không tồn tại.")
    expect(error_next_to_field).to_have_class(re.compile(r"\bfield-error\b"))
    expect(error_next_to_field).to_be_visible()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=re.compile("Thời gian tổ chức"))).to_have_attribute(
        "href", "#date_expression")
    expect(page.get_by_label("Tên lớp")).to_have_value("Giữ nguyên tên này")
    expect(page.get_by_label("Mã lớp")).to_have_value("LOP-1")

    assert _count(TrainingClass) == 0 and _count(ClassSession) == 0
    page.get_by_role("link", name=PLAN_CODE, exact=True).click()
    expect(page.get_by_text("Kế hoạch chưa có lớp nào.")).to_be_visible()


def test_keyboard_reaches_skip_link_then_login_form(live_server, organiser, page):
    page.goto(f"{live_server.url}/login")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Bỏ qua đến nội dung chính")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # hidden off-screen until focused, then shown

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail")).to_be_focused()
    page.keyboard.type(organiser)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mật khẩu")).to_be_focused()
    page.keyboard.type(make.PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ghi nhớ đăng nhập trên máy này")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Đăng nhập", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(page.get_by_text(organiser)).to_be_visible()

"""End to end in Chromium (issue 23): an organiser reads a unit's forecast, opens the draft of next year's plan
from the plan's report, edits a class and confirms; the plan exists with its classes and seats; going back and
confirming the same draft again creates no second plan."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Plan
from tests.web.test_next_year_draft import AS_OF, build_world

EMAIL = "tc@test.vn"


@pytest.fixture
def world(app):
    build_world()
    db.session.close()  # no transaction left open while the browser works (SQLite: BEGIN IMMEDIATE)


def _plans() -> list[tuple[str, list[tuple[str, int]]]]:
    try:
        plans = db.session.scalars(select(Plan).order_by(Plan.code)).all()
        return [(p.code, sorted((c.code, c.capacity) for c in p.classes)) for p in plans]
    finally:
        db.session.rollback()


def test_organiser_drafts_next_years_plan_from_the_forecast(live_server, world, login, page):
    login(EMAIL)
    page.goto(f"{live_server.url}/reports/KH-2024/units/HX?as_of={AS_OF}")
    forecast = page.get_by_role("region", name="Dự báo")
    expect(forecast).to_contain_text("Với tốc độ hiện nay, Huyện X đạt 75% vào năm 2025.")

    page.goto(f"{live_server.url}/reports/KH-2024?as_of={AS_OF}")
    page.get_by_role("button", name="Dự thảo kế hoạch năm sau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dự thảo kế hoạch năm 2025")
    expect(page.get_by_label("Mã kế hoạch")).to_have_value("KH-2025")
    first = page.get_by_role("group", name="Lớp 1")
    first.get_by_label("Số học viên").fill("45")
    first.get_by_label("Tên lớp").fill("Lớp tập huấn cán bộ nữ 2025")
    second = page.get_by_role("group", name="Lớp 2")
    expect(second.get_by_label("Thời gian (dự kiến)")).to_have_value("15-16/7/2025")
    second.get_by_label("Thời gian (dự kiến)").fill("5-6/8/2025")
    page.get_by_role("button", name="Lập kế hoạch năm 2025").click()

    expect(page).to_have_url(re.compile(r"/plans/KH-2025$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch KH-2025")
    expect(page.get_by_text("Lớp tập huấn cán bộ nữ 2025")).to_be_visible()
    plans = dict(_plans())
    assert set(plans) == {"KH-2024", "KH-2025"}
    assert plans["KH-2025"][0] == ("LOP-1", 45) and len(plans["KH-2025"]) == 2

    # Back to the draft (as the browser kept it) and confirm again: the same plan, no second one.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dự thảo kế hoạch năm 2025")
    page.get_by_role("button", name="Lập kế hoạch năm 2025").click()
    expect(page).to_have_url(re.compile(r"/plans/KH-2025$"))
    expect(page.get_by_text("đã được lập thành kế hoạch KH-2025")).to_be_visible()
    assert [code for code, _classes in _plans()] == ["KH-2024", "KH-2025"]
    try:
        assert db.session.scalar(select(func.count()).select_from(Plan)) == 2
    finally:
        db.session.rollback()

"""The report's unit table in Chromium (issue 21): at 1366×900 it fits its container, with grouped
headers, two distinct assessment columns and short unit names whose full name is on hover; on a
390×844 phone it scrolls inside its own region while the unit column stays in view."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.tour import ACCOUNTS, DESKTOP, PHONE, build_world

REPORT = "/reports/HT-2019"


@pytest.fixture
def report_page(app, live_server, new_page, login):
    build_world(app)

    def open_at(viewport):
        page = new_page(viewport=viewport)
        login(ACCOUNTS["organiser"], page=page)
        page.goto(live_server.url + REPORT)
        return page

    return open_at


def test_unit_table_fits_1366_with_grouped_headers_and_short_names(report_page):
    page = report_page(DESKTOP)
    table = page.locator("table.unit-table")
    groups = table.locator("thead tr.group-row th[scope=colgroup]")
    expect(groups).to_have_text(["Nữ trong diện quy hoạch được tập huấn", "Tỷ lệ nữ trong diện quy hoạch", "Nữ DTTS"])
    headers = table.locator("thead th").all_inner_texts()
    assert "Đánh giá" not in headers
    assert headers.count("Đánh giá tập huấn") == 1 and headers.count("Đánh giá tỷ lệ nữ") == 1, headers
    # The last column is not clipped: the table is no wider than its container.
    wrap = page.evaluate("(() => { const w = document.querySelector('.unit-table').parentElement;"
                         " return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] <= wrap[1] + 1, wrap
    duc_tho = table.locator("tr[data-unit='HT-DT'] th[scope=row]")
    short = duc_tho.locator(".unit-short")
    expect(short).to_have_text("H. Đức Thọ")
    expect(short).to_have_attribute("title", "Huyện Đức Thọ")
    expect(duc_tho.locator(".sr-only")).to_have_text("Huyện Đức Thọ")  # what a screen reader says
    line = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.unit-short')).lineHeight)"))
    assert short.bounding_box()["height"] < 1.5 * line  # one line, not a word per line


def test_on_a_phone_the_table_scrolls_in_its_region_and_keeps_the_unit_column(report_page):
    page = report_page(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    region = page.get_by_role("region", name="Tỷ lệ theo đơn vị")
    region.scroll_into_view_if_needed()
    unit = page.locator("table.unit-table tr[data-unit='HT-DT'] th[scope=row]")
    before = unit.bounding_box()["x"]
    region.evaluate("element => { element.scrollLeft = 400; }")
    assert region.evaluate("element => element.scrollLeft") > 100  # it did scroll
    page.wait_for_timeout(50)
    assert abs(unit.bounding_box()["x"] - before) <= 1  # sticky: the names stay where they were
    figure = page.locator("table.unit-table tr[data-unit='HT-DT'] td").first
    assert figure.bounding_box()["x"] < before + 50  # while the figures moved under them

"""End to end in Chromium, at a desk's and a phone's width (issue 21): a full class's supplier reads in the
preview who will wait; the organiser finds the waiting list on the roster, declines someone and sees the
next in line promoted, then fills in a missing e-mail address on the invitation page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Person
from tests import seats_world as world

WIDTHS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def full_class(app):
    w = world.build(capacity=3)
    db.session.commit()
    db.session.close()
    return w


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_waiting_list_and_missing_addresses(live_server, full_class, login, new_page, tmp_path, size):
    page = new_page(viewport=WIDTHS[size])
    rows = world.people(5)
    login("snv@example.vn", page=page)
    page.goto(f"{live_server.url}/plans/KH-2019/classes/LOP-3/lists/upload")
    path = tmp_path / "ds.xlsx"
    path.write_bytes(world.list_xlsx(rows))
    page.get_by_label("Tệp danh sách (.xlsx, .xls, .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    expect(page.locator("#danh-sach-cho")).to_contain_text("2 người vào danh sách chờ")
    page.screenshot(path=str(tmp_path / f"preview-{size}.png"), full_page=True)
    page.get_by_role("button", name="Gửi danh sách").click()
    page.context.clear_cookies()

    login("org@example.vn", page=page)
    page.goto(f"{live_server.url}/plans/KH-2019/classes/LOP-3/roster")
    waiting = page.locator("#danh-sach-cho")
    expect(waiting).to_contain_text(rows[3]["name"])
    expect(waiting).to_contain_text(rows[4]["name"])
    page.screenshot(path=str(tmp_path / f"roster-{size}.png"), full_page=True)
    page.get_by_role("link", name=f"Thay đổi {rows[0]['name']}").click()
    page.get_by_label("Thay đổi").select_option("declined")
    page.get_by_label("Lý do, ghi chú").fill("Đi công tác nước ngoài")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("body")).to_contain_text("đã xếp chỗ cho người kế tiếp trong danh sách chờ")
    expect(page.locator("#danh-sach-cho")).not_to_contain_text(rows[3]["name"])

    page.goto(f"{live_server.url}/plans/KH-2019/classes/LOP-3/invitations")
    expect(page.get_by_role("heading", name="3 người chưa có địa chỉ e-mail")).to_be_visible()
    page.get_by_label(rows[1]["name"]).fill("lan.tt@hatinh.gov.vn")
    page.screenshot(path=str(tmp_path / f"invitations-{size}.png"), full_page=True)
    page.get_by_role("button", name="Lưu địa chỉ").click()
    expect(page.locator("body")).to_contain_text("Đã lưu 1 địa chỉ e-mail")
    expect(page.get_by_role("heading", name="2 người chưa có địa chỉ e-mail")).to_be_visible()
    try:
        assert db.session.scalar(select(Person.email).where(Person.full_name == rows[1]["name"])) == \
            "lan.tt@hatinh.gov.vn"
    finally:
        db.session.rollback()

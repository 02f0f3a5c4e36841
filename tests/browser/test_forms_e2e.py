"""End to end in Chromium, at a desk's and a phone's width (issue 21): the confirmation dialog (cancelled,
nothing changes; confirmed, the action is done), the searchable multi-select (a filter box and checkboxes,
no Ctrl-click) and the date picker that keeps dd/mm/yyyy in the field the server reads."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Plan, TrainingClass
from tests import seats_world as world

WIDTHS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def hall(app):
    w = world.build(capacity=None)
    world.send_list(w.cls, w.snv, world.people(3))
    db.session.commit()
    db.session.close()
    return w


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_confirm_dialog_multi_select_and_date_picker(live_server, hall, login, new_page, tmp_path, size):
    page = new_page(viewport=WIDTHS[size])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login("org@example.vn", page=page)

    # 1. A mass action asks first, in a dialog; "Hủy" leaves everyone nominated.
    page.goto(f"{live_server.url}/plans/KH-2019/classes/LOP-3/roster")
    confirm_all = page.get_by_role("button", name="Xác nhận tất cả người được cử (3)")
    confirm_all.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("3 người đang ở trạng thái “Được cử” sẽ chuyển sang “Đã xác nhận”. Tiếp tục?")
    page.screenshot(path=str(tmp_path / f"confirm-dialog-{size}.png"))
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("body")).to_contain_text("Được cử: 3")
    confirm_all.click()
    page.get_by_role("dialog").get_by_role("button", name="Xác nhận tất cả người được cử (3)").click()
    expect(page.locator("body")).to_contain_text("Đã xác nhận 3 người.")
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    assert set(world.statuses(cls).values()) == {"confirmed"}
    db.session.rollback()

    # 2. The plan's monitoring units: a filter box and checkboxes instead of a Ctrl-click list.
    page.goto(f"{live_server.url}/plans/KH-2019/edit")
    plain_select = page.locator("select[name=monitor_org_ids]")
    expect(plain_select).to_be_hidden()
    picker = page.locator(".multi-pick")
    picker.get_by_role("searchbox").fill("hoi lien hiep")  # no marks typed: "Hội Liên hiệp" is found
    expect(picker.get_by_role("checkbox", name="Hội Liên hiệp Phụ nữ tỉnh")).to_be_visible()
    expect(picker.get_by_role("checkbox", name="Sở Nội vụ", exact=True)).to_be_hidden()
    picker.get_by_role("checkbox", name="Hội Liên hiệp Phụ nữ tỉnh").check()
    expect(picker).to_contain_text("Đã chọn: 1")

    # 3. The date picker writes the day back as dd/mm/yyyy (the native input stands in for the calendar).
    start = page.get_by_label("Thời gian thực hiện từ ngày", exact=True)
    expect(page.locator(".date-pick", has=start).get_by_role("button", name="Chọn ngày")).to_be_visible()
    expect(page.get_by_label("Thời gian thực hiện từ ngày")).to_have_count(1)  # the label names the field alone
    native = page.locator(".date-pick", has=start).locator(".date-pick-native")
    native.fill("2019-03-05")
    expect(start).to_have_value("05/03/2019")
    start.fill("17/07/2019")
    assert native.input_value() == "2019-07-17"
    page.screenshot(path=str(tmp_path / f"plan-form-{size}.png"), full_page=True)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("body")).not_to_contain_text("không hợp lệ")

    plan = db.session.scalar(select(Plan).where(Plan.code == "KH-2019"))
    assert plan.period_start == date(2019, 7, 17)
    assert [o.code for o in plan.monitor_orgs] == ["HLHPN"]
    db.session.rollback()
    assert not errors, errors

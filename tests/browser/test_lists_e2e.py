"""End to end in Chromium: Sở Nội vụ's supplier uploads her Excel list for Lớp 3, reads the preview,
sends it; Hội LHPN sends hers; the organiser finds one roster with the overlap merged and confirms it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Organisation
from bdgtrain.services.demo.demo import load_demo
from tests import factories as make
from tests import list_files as files


@pytest.fixture
def demo(app):
    load_demo()

    def org(code):
        return db.session.scalar(select(Organisation).where(Organisation.code == code))

    make.user("noivu@test.vn", "supplier", org("SNV"))
    make.user("phunu@test.vn", "supplier", org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    db.session.commit()
    db.session.close()


def _enrolments() -> int:
    try:
        return db.session.scalar(select(func.count()).select_from(Enrolment))
    finally:
        db.session.rollback()


def _send(page, live_server, login, email, filename, data, tmp_path):
    login(email, page=page)
    page.goto(f"{live_server.url}/plans/HT-2019/classes/LOP-3")
    page.get_by_role("button", name="Tải danh sách lên").click()
    path = tmp_path / filename
    path.write_bytes(data)
    page.get_by_label("Tệp danh sách (.xlsx, .xls, .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(filename)
    return page


def test_two_agencies_send_lists_and_the_organiser_confirms_one_roster(live_server, demo, login, browser,
                                                                         new_page, tmp_path):
    snv = _send(new_page(), live_server, login, "noivu@test.vn", "snv.xlsx", files.snv_xlsx(files.SNV_LOP3), tmp_path)
    expect(snv.get_by_text("Người mới: 4")).to_be_visible()
    assert _enrolments() == 0  # the preview wrote nothing
    snv.get_by_role("button", name="Gửi danh sách").click()
    expect(snv.get_by_text("Đã gửi danh sách")).to_be_visible()

    women = _send(new_page(), live_server, login, "phunu@test.vn", "hoi.xlsx", files.hlhpn_xlsx(files.HLHPN_LOP3),
                  tmp_path)
    # Two of hers were sent by Sở Nội vụ too: she sees them as known, never that another agency sent them (issue 20).
    expect(women.get_by_text("Đã có trong hệ thống: 2")).to_be_visible()
    expect(women.get_by_text("gộp làm một")).to_have_count(0)
    women.get_by_role("button", name="Gửi danh sách").click()
    expect(women.get_by_text("Đã gửi danh sách")).to_be_visible()
    assert _enrolments() == 5

    boss = new_page()
    login("tochuc@test.vn", page=boss)
    boss.goto(f"{live_server.url}/plans/HT-2019/classes/LOP-3/roster")
    rows = boss.get_by_role("region", name="Học viên").get_by_role("row")
    expect(rows).to_have_count(6)  # header + 5 people
    hoa = rows.filter(has_text="Nguyễn Thị Hoa")
    expect(hoa).to_contain_text("Hội Liên hiệp Phụ nữ tỉnh")
    expect(hoa).to_contain_text("Sở Nội vụ")
    boss.get_by_role("button", name="Xác nhận tất cả người được cử (5)").click()
    # A mass action asks first (static/js/widgets.js); the dialog's button carries the same words.
    boss.get_by_role("dialog").get_by_role("button", name="Xác nhận tất cả người được cử (5)").click()
    expect(boss.get_by_text("Đã xác nhận 5 người.")).to_be_visible()

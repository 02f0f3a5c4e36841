"""End to end in Chromium: at the end of a class the kiosk shows the feedback QR; a participant opens it on
her phone, proves she is on the list, answers (a missing answer is named first), and the organiser sees
the result, with its chart, on the class's results page."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import FeedbackBox, FeedbackReceipt
from tests.feedback_world import ORGANISER, PLAN, build

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def ended_class(app):
    _plan, cls, enrolments, _trainer = build(people=3)
    data = {"class": cls.code, "phone": enrolments[0].person.phone, "name": enrolments[0].person.full_name}
    db.session.commit()
    db.session.close()
    return data


def _counts():
    try:
        receipts = db.session.scalar(select(func.count()).select_from(FeedbackReceipt))
        entries = db.session.scalar(select(FeedbackBox.entries)) or []
        return receipts, entries
    finally:
        db.session.rollback()


def test_scan_the_kiosk_feedback_qr_answer_on_a_phone_and_see_the_result(live_server, ended_class, login, page,
                                                                          new_page, tmp_path,
                                                                          every_feedback_answer_shown):
    login(ORGANISER)
    page.goto(f"{live_server.url}/plans/{PLAN}/classes/{ended_class['class']}/kiosk")
    qr = page.locator("#kiosk-feedback svg")
    expect(qr).to_be_visible()
    url = page.locator(".kiosk-feedback-url a").inner_text().strip()
    zbarimg = shutil.which("zbarimg")
    if zbarimg:  # what a phone's camera reads from the projector is that same address
        shot = tmp_path / "feedback-qr.png"
        page.locator("#kiosk-feedback .kiosk-qr").screenshot(path=str(shot))
        decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=30)
        assert decoded.stdout.strip() == url
    assert url.upper().startswith(live_server.url.upper() + "/F/")

    phone = new_page(**PHONE)
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Phiếu đánh giá lớp tập huấn")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    phone.get_by_label("Số điện thoại").fill(ended_class["phone"])
    phone.get_by_label("Năm sinh").fill("1980")
    content = phone.get_by_role("group", name="Mức độ hữu ích của nội dung tập huấn")
    content.get_by_label("5").check()
    phone.get_by_role("group", name="Giảng viên (kiến thức, cách truyền đạt)").get_by_label("4").check()
    phone.get_by_label("Nội dung nào hữu ích nhất với Anh/Chị?").fill("Phần <b>luật</b> bình đẳng giới")
    phone.get_by_role("button", name="Gửi phiếu đánh giá").click()
    # The third score is missing: the form says which, keeps what she chose, stores nothing.
    expect(phone.locator("#q3-error")).to_contain_text("Công tác tổ chức lớp")
    expect(phone.get_by_role("group", name="Mức độ hữu ích của nội dung tập huấn").get_by_label("5")).to_be_checked()
    assert _counts() == (0, [])
    phone.get_by_role("group", name="Công tác tổ chức lớp (thời gian, địa điểm, tài liệu)").get_by_label("3").check()
    phone.get_by_role("button", name="Gửi phiếu đánh giá").click()
    expect(phone.get_by_role("status")).to_contain_text("Đã nhận phiếu đánh giá")
    receipts, entries = _counts()
    assert receipts == 1 and entries == [{"a": {"q1": 5, "q2": 4, "q3": 3, "q4": "Phần <b>luật</b> bình đẳng giới"}}]

    page.goto(f"{live_server.url}/plans/{PLAN}/classes/{ended_class['class']}/feedback")
    expect(page.locator(".feedback-count")).to_contain_text("1 / 3")
    expect(page.get_by_text("Phần <b>luật</b> bình đẳng giới")).to_be_visible()  # shown as text, not markup
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator(".feedback-texts b").count() == 0

"""End to end in Chromium: the monitor reads the plan's dashboard; the organiser issues the certificates
of Lớp 4, prints them (one A4 page each), and a stranger's phone opens the QR's verification page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Organisation
from tests import factories as make
from tests import monitoring_world


@pytest.fixture
def world(app):
    plan, _people = monitoring_world.build()
    monitoring_world.save_signer(plan)

    def org(code):
        return db.session.scalar(select(Organisation).where(Organisation.code == code))

    make.user("giamsat@test.vn", "monitor", org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    db.session.commit()
    db.session.close()


def test_monitor_reads_the_dashboard_without_any_button_that_changes_things(live_server, world, login, page):
    login("giamsat@test.vn")
    page.get_by_role("link", name="Giám sát").first.click()
    page.get_by_role("link", name="HT-2019").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng giám sát kế hoạch HT-2019")
    expect(page.locator("#classes")).to_contain_text("đã tổ chức: 2; đã hủy: 1")
    expect(page.locator("#compliance")).to_contain_text("Lê Văn Minh")
    expect(page.locator("#compliance")).to_contain_text("Phạm Thị Cúc")
    expect(page.locator("#trained-share")).to_be_visible()
    # Nothing on the page writes: the only forms are the logout and the language switch.
    assert page.locator("main form[method=post]").count() == 0


def test_organiser_issues_prints_and_the_qr_opens_the_verification_page(live_server, world, login, page, new_page):
    login("tochuc@test.vn")
    page.goto(f"{live_server.url}/plans/HT-2019/classes/LOP-4")
    page.get_by_role("button", name="Giấy chứng nhận").click()
    page.get_by_role("button", name="Cấp cho mọi học viên hoàn thành").click()
    # The form offers the class's last day and the saved signer; the organiser keeps them.
    expect(page.get_by_label("Ngày cấp")).to_have_value("19/07/2019")
    expect(page.get_by_label("Họ và tên người ký")).to_have_value("Nguyễn Văn Bình")
    page.get_by_role("button", name="Cấp giấy chứng nhận").click()
    expect(page.locator(".flash-success")).to_have_text("Đã cấp 2 giấy chứng nhận.")
    page.get_by_role("button", name="In cả lớp (A4)").click()
    expect(page.locator("article.certificate")).to_have_count(2)
    expect(page.locator("article.certificate").first).to_contain_text("GIẤY CHỨNG NHẬN")
    # Printed: the site's navigation disappears and each certificate takes its own A4 page.
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("article.certificate .certificate-qr svg").first).to_be_visible()  # the QR prints
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2
    page.emulate_media(media="screen")
    # The QR's link, opened on a phone that is not logged in.
    svg_title = page.locator("article.certificate").first.locator("svg title")
    expect(svg_title).to_have_count(1)
    with live_server.app.test_request_context(base_url=live_server.url):
        from bdgtrain.models import Certificate
        from bdgtrain.services.certificates.certificates import verification_url
        certificate = db.session.scalars(select(Certificate).order_by(Certificate.id)).first()
        url = verification_url(certificate, live_server.url)
        db.session.rollback()
    phone = new_page()
    phone.goto(url)
    expect(phone.locator(".verify-valid")).to_contain_text("CÒN HIỆU LỰC")
    expect(phone.locator("dl")).to_contain_text("Lớp tập huấn 4")

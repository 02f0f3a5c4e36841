"""The header's menu (web/layout.py) is drawn once per locale, visible entries and current section and kept:
what each user sees must still follow her permissions, the page she is on and her language, request by
request."""
from __future__ import annotations

import re

from bdgtrain.extensions import db
from tests import factories as make

NAV = re.compile(r'<nav class="container main-nav"[^>]*>(.*?)</nav>', re.S)
ENTRY = re.compile(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>')


def _menu(client, path: str) -> list[tuple[str, bool, str]]:
    page = client.get(path)
    assert page.status_code == 200, path
    found = NAV.search(page.get_data(as_text=True))
    assert found, f"no menu on {path}"
    return [(href, bool(current), label) for href, current, label in ENTRY.findall(found.group(1))]


def _labels(menu) -> list[str]:
    return [label for _href, _current, label in menu]


def test_each_role_sees_the_sections_it_may_open(app, web):
    unit = make.org("SNV", "Sở Nội vụ")
    make.user("admin@test.vn", "admin")
    make.user("to-chuc@test.vn", "organiser", unit)
    make.user("cung-cap@test.vn", "supplier", unit)
    make.commit()

    web.login("to-chuc@test.vn")
    organiser = _labels(_menu(web.client, "/"))
    assert "Nghi trùng" in organiser and "Diện quy hoạch" in organiser
    assert "Tài khoản" not in organiser and "Nhật ký" not in organiser

    web.client.post("/logout", data={"csrf_token": web.csrf("/")})
    web.login("cung-cap@test.vn")
    supplier = _labels(_menu(web.client, "/"))
    assert supplier == ["Tổng quan", "Kế hoạch"]

    web.client.post("/logout", data={"csrf_token": web.csrf("/")})
    web.login("admin@test.vn")
    admin = _labels(_menu(web.client, "/"))
    assert {"Tài khoản", "Nhật ký", "Dữ liệu cá nhân", "Nghi trùng"} <= set(admin)
    for href, _current, _label in _menu(web.client, "/"):  # every entry opens for the one who sees it
        assert web.client.get(href).status_code == 200, href


def test_the_current_section_is_marked_on_the_page_that_is_in_it(app, web):
    unit = make.org("SLD", "Sở Lao động")
    make.user("to-chuc@test.vn", "organiser", unit)
    make.commit()
    web.login("to-chuc@test.vn")
    for path, section in (("/", "Tổng quan"), ("/plans/", "Kế hoạch"), ("/organisations/", "Đơn vị"),
                          ("/venues/", "Địa điểm"), ("/trainers/", "Giảng viên")):
        current = [label for _href, is_current, label in _menu(web.client, path) if is_current]
        assert current == [section], path


def test_a_new_role_changes_the_menu_on_the_next_request(app, web):
    unit = make.org("SNV", "Sở Nội vụ")
    account = make.user("nguoi@test.vn", "organiser", unit)
    make.commit()
    web.login("nguoi@test.vn")
    assert "Nghi trùng" in _labels(_menu(web.client, "/"))
    account.role = "supplier"
    db.session.commit()
    assert "Nghi trùng" not in _labels(_menu(web.client, "/"))


def test_the_menu_follows_the_language_of_each_request(app, web):
    unit = make.org("SNV", "Sở Nội vụ")
    make.user("to-chuc@test.vn", "organiser", unit)
    make.commit()
    web.login("to-chuc@test.vn")
    assert "Kế hoạch" in _labels(_menu(web.client, "/"))
    web.post("/locale", {"lang": "en", "next": "/"})
    english = _labels(_menu(web.client, "/"))
    assert "Kế hoạch" not in english and "Planning pool" in english
    web.post("/locale", {"lang": "vi", "next": "/"})
    assert "Diện quy hoạch" in _labels(_menu(web.client, "/"))

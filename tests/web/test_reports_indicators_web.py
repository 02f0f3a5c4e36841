"""The seeds' other indicators on the pages: the headcount page and form, the .xlsx upload with the new
columns, and the periodic report (page and .xlsx) that keeps them."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import PeriodicReport, UnitHeadcount
from bdgtrain.services.reporting.headcounts import get_headcount
from tests.services.test_headcounts import HEADER
from tests.web.test_reports_web import _org, _row, demo_world  # noqa: F401

URL = "/reports/HT-2019/headcounts/HT-HS/2019"
FORM = {"staff_total": "40", "staff_women": "20", "staff_dtts": "2", "women_dtts": "1",
        "staff_sent_to_training": "20", "women_sent_to_training": "11", "key_leadership_has_woman": "1",
        "committee_total": "10", "committee_women": "3", "masters_places_total": "4", "masters_places_women": "1",
        "masters_total": "8", "masters_women": "4", "doctorates_total": "2", "doctorates_women": "1",
        "specialised_total": "5", "specialised_trained": "4"}


def _other(html: str, code: str) -> str:
    match = re.search(rf'<tr data-other="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_form_enters_the_indicators_and_the_page_shows_them_beside_the_seeds_targets(demo_world, web):
    web.login("tochuc@test.vn")
    form = web.client.get(URL).get_data(as_text=True)
    for name in ("staff_sent_to_training", "committee_women", "masters_places_total", "doctorates_women",
                 "specialised_trained"):
        assert f'name="{name}"' in form
    assert web.post(URL, FORM, token_page=URL).status_code == 303
    page = web.client.get("/reports/HT-2019/headcounts?year=2019").get_data(as_text=True)
    staff = _row(page, "HT-HS")
    assert "55,0% (11/20)" in staff and "Đạt" in staff  # 11 women of the 20 sent, seed 001's 50%
    other = _other(page, "HT-HS")
    assert "30,0% (3/10)" in other  # party committee, seed 001's 20%: met
    assert "25,0% (1/4)" in other and "Chậm tiến độ" in other  # master's places, seed 001's 30% by 31/12/2019
    assert "50,0% (4/8)" in other and "50,0% (1/2)" in other and "80,0% (4/5)" in other
    # A unit that entered nothing: no figure, never 0%.
    assert "0,0%" not in _other(page, "HT-VQ") and "Chưa có số liệu" in _other(page, "HT-VQ")
    # The demo's own headcounts give the province its figures.
    assert "%" in _other(page, "total") and "Các chỉ tiêu khác do đơn vị nhập" in page
    again = web.client.get(URL).get_data(as_text=True)
    assert 'value="10"' in again and 'value="3"' in again  # the form shows what was saved


def test_a_part_above_its_whole_is_refused_on_the_form_naming_the_field(demo_world, web):
    web.login("tochuc@test.vn")
    for field, value, message in [
        ("committee_women", "11", "Số nữ trong cấp ủy không thể lớn hơn tổng số cấp ủy viên."),
        ("specialised_trained", "6", "Số cán bộ chuyên trách được bồi dưỡng không thể lớn hơn tổng số cán bộ "
                                     "chuyên trách."),
        ("staff_sent_to_training", "", "Hãy nhập tổng số người được cử đi đào tạo, bồi dưỡng trong năm"),
        ("masters_women", "", "Hãy nhập số nữ có học vị thạc sĩ (đã nhập tổng số)."),
    ]:
        refused = web.post(URL, dict(FORM, **{field: value}), token_page=URL)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422 and message in html, field
        assert re.search(rf'id="{field}-error-1"', html), field  # shown at the field it names
        assert get_headcount(_org("HT-HS"), 2019) is None


def _upload(web, rows):
    wb = Workbook()
    wb.active.append(HEADER)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return web.post("/reports/HT-2019/headcounts/import", {"year": "2019", "file": (out, "so-lieu.xlsx")},
                    token_page="/reports/HT-2019/headcounts?year=2019", content_type="multipart/form-data")


def test_the_upload_reads_the_indicator_columns_all_or_nothing(demo_world, web):
    web.login("tochuc@test.vn")
    before = db.session.scalar(select(func.count()).select_from(UnitHeadcount))
    good = ["HT-HS", 2019, 40, 20, 2, 1, 20, 11, "Có", 10, 3, 4, 1, 8, 4, 2, 1, 5, 4]
    bad = _upload(web, [good, ["HT-DT", 2019, 30, 10, 0, 0, None, 0, "", None, None, None, None, 6, 7]])
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Dòng 3" in html and "Số nữ thạc sĩ không thể lớn hơn tổng số người có học vị thạc sĩ." in html
    assert db.session.scalar(select(func.count()).select_from(UnitHeadcount)) == before
    assert _upload(web, [good]).status_code == 303
    row = get_headcount(_org("HT-HS"), 2019)
    assert (row.staff_sent_to_training, row.committee_women, row.specialised_trained) == (20, 3, 4)


def test_the_periodic_report_shows_and_downloads_the_indicators(demo_world, web):
    web.login("tochuc@test.vn")
    response = web.post("/reports/HT-2019/periodic/new", {
        "label": "Báo cáo năm", "organisation_id": "", "period_start": "01/01/2019", "period_end": "18/12/2019",
        "number": "40/BC", "place": "Hà Tĩnh", "issued_on": "18/12/2019"}, token_page="/reports/HT-2019/periodic/new")
    assert response.status_code == 303
    kept = db.session.scalar(select(PeriodicReport))
    assert {i["measure"] for i in kept.figures["indicators"]["rows"]} >= {
        "women_sent_share", "women_committee_share", "women_masters_places_share", "women_masters_share",
        "women_doctorates_share", "specialised_trained_share", "women_pool_share", "dtts_women",
        "women_leader_units"}
    page = web.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "IV. Các chỉ tiêu khác (số liệu cán bộ năm 2019)" in page
    sent = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(
        r'<tr data-indicator="women_sent_share">(.*?)</tr>', page, re.S).group(1))).strip()
    assert "71/123" in sent and "57,7%" in sent and "50,0%" in sent and "Đạt" in sent and "Seed 001" in sent
    pool = re.search(r'<tr data-indicator="women_pool_share">(.*?)</tr>', page, re.S).group(1)
    assert "/15" in pool  # the demo pool: 12 women of 15
    sheet = load_workbook(io.BytesIO(web.client.get(f"/reports/HT-2019/periodic/{kept.id}.xlsx").data)).active
    lines = [r for r in sheet.iter_rows(values_only=True) if r and r[0]]
    section = next(i for i, r in enumerate(lines) if str(r[0]).startswith("3. Các chỉ tiêu khác"))
    sent_line = next(r for r in lines[section:] if str(r[0]).startswith("Tỷ lệ nữ trong tổng số cán bộ"))
    assert sent_line[1] == "71/123" and sent_line[2] == pytest.approx(71 / 123, abs=1e-4)  # a number, not text
    assert sent_line[3:5] == (0.5, "Đạt")


def test_a_report_kept_before_the_indicators_still_shows_as_it_was(demo_world, web):
    web.login("tochuc@test.vn")
    web.post("/reports/HT-2019/periodic/new", {
        "label": "Báo cáo năm", "organisation_id": "", "period_start": "01/01/2019", "period_end": "18/12/2019",
        "number": "40/BC", "place": "Hà Tĩnh", "issued_on": "18/12/2019"}, token_page="/reports/HT-2019/periodic/new")
    kept = db.session.scalar(select(PeriodicReport))
    old = {k: v for k, v in kept.figures.items() if k != "indicators"}
    old["targets"] = [{"measure": "women_staff_trained", "value": 50, "deadline": "2019-12-31", "scope": None}]
    kept.figures = old
    db.session.commit()
    page = web.client.get(f"/reports/HT-2019/periodic/{kept.id}").get_data(as_text=True)
    assert "IV. Các chỉ tiêu khác" not in page
    assert "Tỷ lệ nữ cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng trong năm: 50%" in page
    assert web.client.get(f"/reports/HT-2019/periodic/{kept.id}.xlsx").status_code == 200

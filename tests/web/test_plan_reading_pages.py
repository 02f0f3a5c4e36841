"""Reading a Kế hoạch from a file or pasted text, reviewing it beside its sentences, confirming it."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Plan, PlanReadingDraft, TrainingClass
from tests import factories as make
from tests.plan_files import docx_bytes, pdf_bytes, scanned_pdf_bytes, seed_text


@pytest.fixture
def organiser(app, web):
    org = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.org("SNV", "Sở Nội vụ")
    make.user("to-chuc@example.vn", "organiser", org)
    make.user("khac@example.vn", "organiser", make.org("KHAC", "Sở khác"))
    make.user("snv@example.vn", "supplier", org)
    db.session.commit()
    assert web.login("to-chuc@example.vn").status_code == 302
    return org


def upload(web, data: bytes, name: str):
    return web.post("/plans/read", {"file": (io.BytesIO(data), name), "text": ""}, token_page="/plans/read",
                    content_type="multipart/form-data")


def draft_url(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_plan_list_links_to_reading(organiser, client):
    assert 'href="/plans/read"' in client.get("/plans/").get_data(as_text=True)


def test_a_docx_is_shown_beside_its_sentences_and_confirmed(organiser, web, client):
    url = draft_url(upload(web, docx_bytes(seed_text("004")), "ke-hoach.docx"))
    page = client.get(url).get_data(as_text=True)
    assert "Lớp tập huấn 3" in page and 'value="15-16/7/2019"' in page
    assert "Câu gốc: - Thời gian: Dự kiến ngày 15-16/7/2019." in page
    assert "Mời một số đồng chí lãnh đạo tỉnh tham gia tập huấn." in page  # not understood, listed
    assert count(Plan) == 0
    response = web.post(url, _form_of(page, action="confirm"), token_page=url)
    assert response.status_code == 303 and response.headers["Location"].startswith("/plans/KH-2019-")
    assert count(Plan) == 1 and count(TrainingClass) == 4
    # Confirming again (a second click, a reload) creates nothing more.
    web.post(url, _form_of(page, action="confirm"), token_page=url)
    assert count(Plan) == 1
    assert "đã được xác nhận thành kế hoạch" in client.get(url).get_data(as_text=True)


def test_edits_on_the_review_page_become_the_plan(organiser, web, client):
    url = draft_url(upload(web, pdf_bytes(seed_text("004")), "ke-hoach.pdf"))
    form = _form_of(client.get(url).get_data(as_text=True), action="confirm")
    form.update({"code": "HT-DOC", "class-0-date_expression": "9/7/2019", "class-0-tentative": None})
    form = {k: v for k, v in form.items() if v is not None}
    assert web.post(url, form, token_page=url).headers["Location"] == "/plans/HT-DOC"
    first = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-1"))
    assert (first.date_expression, first.status) == ("9/7/2019", "confirmed")


def test_the_review_page_shows_and_takes_days_as_dd_mm_yyyy(organiser, web, client):
    url = draft_url(upload(web, pdf_bytes(seed_text("004")), "ke-hoach.pdf"))
    page = client.get(url).get_data(as_text=True)
    assert 'name="period_start" value="01/01/2019"' in page and 'name="period_end" value="31/12/2019"' in page
    form = {k: v for k, v in _form_of(page, action="confirm").items() if v is not None}
    form.update({"code": "HT-NGAY", "period_end": "30/11/2019"})
    assert web.post(url, form, token_page=url).headers["Location"] == "/plans/HT-NGAY"
    plan = db.session.scalar(select(Plan).where(Plan.code == "HT-NGAY"))
    assert (plan.period_start, plan.period_end) == (date(2019, 1, 1), date(2019, 11, 30))


def test_pasted_text_with_targets_and_deadlines(organiser, web, client):
    response = web.post("/plans/read", {"text": seed_text("001")}, token_page="/plans/read")
    page = client.get(draft_url(response)).get_data(as_text=True)
    assert "đạt tối thiểu 30%" in page and 'value="25"' in page and 'value="18"' in page


def test_the_same_file_twice_gives_the_same_draft(organiser, web):
    data = docx_bytes(seed_text("004"))
    assert draft_url(upload(web, data, "a.docx")) == draft_url(upload(web, data, "b.docx"))
    assert count(PlanReadingDraft) == 1


@pytest.mark.parametrize("data, name, words", [
    (scanned_pdf_bytes(), "scan.pdf", "bản quét"),
    ("KẾ HOẠCH\nThử\n1. Lớp tập huấn 1\n- Thời gian: ngày 31/2/2019".encode(), "sai.txt", "31/2/2019"),
    ("Hôm nay trời đẹp.".encode(), "thu.txt", "Không nhận ra đây là một kế hoạch"),
])
def test_bad_files_are_told_plainly_and_nothing_is_stored(organiser, web, data, name, words):
    response = upload(web, data, name)
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert count(PlanReadingDraft) == 0 and count(Plan) == 0


def test_a_class_without_a_date_is_refused_at_confirm(organiser, web, client):
    text = "KẾ HOẠCH\nTập huấn năm 2019\n1. Lớp tập huấn 1\n- Thời gian: Quý III năm 2019"
    url = draft_url(web.post("/plans/read", {"text": text}, token_page="/plans/read"))
    response = web.post(url, _form_of(client.get(url).get_data(as_text=True), action="confirm"), token_page=url)
    assert response.status_code == 422 and "chưa có ngày tổ chức" in response.get_data(as_text=True)
    assert count(Plan) == 0


def test_another_organisations_organiser_gets_404(organiser, web, client, app):
    url = draft_url(upload(web, docx_bytes(seed_text("004")), "ke-hoach.docx"))
    other = app.test_client()
    from tests.conftest import Browserless
    assert Browserless(other).login("khac@example.vn").status_code == 302
    assert other.get(url).status_code == 404


def test_a_supplier_may_not_read_plans(organiser, app):
    from tests.conftest import Browserless
    client = app.test_client()
    assert Browserless(client).login("snv@example.vn").status_code == 302
    assert client.get("/plans/read").status_code == 403


_INPUT = re.compile(r'<(input|textarea|select)\b([^>]*)>(.*?)(?=</textarea>|</select>|$)', re.S)


def _form_of(page: str, action: str) -> dict:
    """What a browser would post from the review page as shown."""
    data: dict = {"action": action}
    for tag in re.finditer(r"<input\b[^>]*>", page):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group()))
        name = attrs.get("name")
        if not name or name == "csrf_token":
            continue
        if attrs.get("type") == "checkbox":
            if " checked" in tag.group():
                data[name] = attrs.get("value", "on")
        else:
            data[name] = _unescape(attrs.get("value", ""))
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[match.group(1)] = _unescape(match.group(2))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    return data


def _unescape(text: str) -> str:
    import html
    return html.unescape(text)

"""Feedback through the web: the participant's form from her ticket and from the kiosk's QR, the refusals,
escaping, the results pages and exports, the plan's settings, and trainers' links."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import FeedbackReceipt
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.feedback import feedback, trainer_links
from tests.feedback_world import GOOD, MONITOR, ORGANISER, PLAN, build

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hall(app):
    plan, cls, enrolments, trainer = build(people=3)
    data = {"class": cls.code, "tokens": [ticket_token(e.id) for e in enrolments],
            "people": [(e.person.phone, e.person.full_name) for e in enrolments], "trainer_id": trainer.id,
            "form_token": feedback.form_token(cls), "class_id": cls.id}
    db.session.commit()
    return data


def _receipts() -> int:
    return db.session.scalar(select(func.count()).select_from(FeedbackReceipt))


def test_she_answers_from_her_ticket_once(client, web, hall):
    token = hall["tokens"][0]
    ticket = client.get(f"/T/{token}").get_data(as_text=True)
    assert f"/T/{token}/feedback" in ticket  # the button on her ticket page
    page = client.get(f"/T/{token}/feedback")
    assert page.status_code == 200 and "Giảng viên (kiến thức, cách truyền đạt)" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    done = web.post(f"/T/{token}/feedback", GOOD, token_page=f"/T/{token}/feedback")
    assert done.status_code == 200 and "Đã nhận phiếu đánh giá" in done.get_data(as_text=True)
    assert _receipts() == 1
    again = web.post(f"/T/{token}/feedback", GOOD, token_page=f"/T/{token}")
    assert again.status_code == 422 and "chỉ gửi một lần" in again.get_data(as_text=True)
    assert "đã gửi phiếu đánh giá" in client.get(f"/T/{token}/feedback").get_data(as_text=True)
    assert _receipts() == 1


def test_missing_answers_are_named_and_what_she_typed_is_kept(web, hall):
    token = hall["tokens"][0]
    response = web.post(f"/T/{token}/feedback", {"q1": "4", "q4": "Phần thảo luận"}, token_page=f"/T/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Phiếu chưa đầy đủ" in html
    assert "Câu này bắt buộc: &#34;Giảng viên (kiến thức, cách truyền đạt)&#34;" in html
    assert 'id="q3-error"' in html and 'id="q1-error"' not in html
    assert re.search(r'value="4" checked', html) and "Phần thảo luận</textarea>" in html
    assert _receipts() == 0


def test_very_long_text_is_refused_and_hostile_text_is_escaped_everywhere(client, web, hall,
                                                                           every_feedback_answer_shown):
    token = hall["tokens"][0]
    long = web.post(f"/T/{token}/feedback", dict(GOOD, q5="x" * 5000), token_page=f"/T/{token}")
    assert long.status_code == 422 and "tối đa 1000 ký tự" in long.get_data(as_text=True)
    assert web.post(f"/T/{token}/feedback", dict(GOOD, q5=HOSTILE), token_page=f"/T/{token}").status_code == 200
    web.login(ORGANISER)
    html = client.get(f"/plans/{PLAN}/classes/{hall['class']}/feedback").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_from_the_kiosk_qr_she_proves_she_is_on_the_list_without_a_ticket(client, web, hall):
    url = f"/F/{hall['form_token']}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="phone"' in page and 'name="birth_year"' in page
    wrong = web.post(url, dict(GOOD, phone="0900000000", birth_year="1980"), token_page=url)
    assert wrong.status_code == 422 and "Không tìm thấy người" in wrong.get_data(as_text=True)
    assert 'value="5" checked' in wrong.get_data(as_text=True)  # her answers are still there
    phone, _name = hall["people"][1]
    done = web.post(url, dict(GOOD, phone=phone, birth_year="1980"), token_page=url)
    assert done.status_code == 200 and "Đã nhận phiếu" in done.get_data(as_text=True)
    again = web.post(url, dict(GOOD, phone=phone, birth_year="1980"), token_page=url)
    assert again.status_code == 422 and "chỉ gửi một lần" in again.get_data(as_text=True)
    assert _receipts() == 1


def test_a_phone_that_opened_her_ticket_is_recognised_by_the_kiosk_qr(client, web, hall):
    client.get(f"/T/{hall['tokens'][2]}")  # remembered on this phone
    url = f"/F/{hall['form_token']}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="phone"' not in page and hall["people"][2][1] in page
    assert web.post(url, GOOD, token_page=url).status_code == 200
    receipt = db.session.scalar(select(FeedbackReceipt))
    assert receipt.enrolment.person.full_name == hall["people"][2][1]


def test_a_class_that_has_not_ended_says_when_the_form_opens(app, client, web):
    _plan, cls, enrolments, _trainer = build(ended_minutes_ago=-120)
    token = ticket_token(enrolments[0].id)
    db.session.commit()
    assert "Lớp học chưa kết thúc. Phiếu đánh giá mở từ" in client.get(f"/T/{token}/feedback").get_data(as_text=True)
    refused = web.post(f"/T/{token}/feedback", GOOD, token_page=f"/T/{token}")
    assert refused.status_code == 422 and "chưa kết thúc" in refused.get_data(as_text=True)
    assert _receipts() == 0


def test_an_unknown_form_or_ticket_token_is_not_found(client, hall):
    assert client.get("/F/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get(f"/F/{hall['tokens'][0]}").status_code == 404  # a ticket is not a form token
    assert client.get("/T/AAAAAAAAAAAAAAAAAAAAAAAA/feedback").status_code == 404


def test_organiser_and_monitor_read_results_and_export(client, web, hall, every_feedback_answer_shown):
    for token, score in zip(hall["tokens"], ["5", "3"]):
        web.post(f"/T/{token}/feedback", dict(GOOD, q1=score, q4="=1+1"), token_page=f"/T/{token}")
    web.login(MONITOR)
    html = client.get(f"/plans/{PLAN}/classes/{hall['class']}/feedback").get_data(as_text=True)
    assert "<svg" in html and "4,00" in html and "2</strong> / 3" in html
    assert "Liên kết xem kết quả" not in html  # a monitor reads, she does not manage links
    plan_page = client.get(f"/plans/{PLAN}/feedback").get_data(as_text=True)
    # per score question: averages, distribution
    assert "Tổng số phiếu: 2." in plan_page and plan_page.count("<svg") == 2 * 3
    export = client.get(f"/plans/{PLAN}/feedback.xlsx")
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(export.data))["Ý kiến"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1].startswith("Nội dung")] == \
        ["'=1+1", "'=1+1"]
    assert client.get(f"/plans/{PLAN}/feedback/settings").status_code == 403


def test_organiser_changes_questions_until_someone_answers(client, web, hall):
    web.login(ORGANISER)
    settings = f"/plans/{PLAN}/feedback/settings"
    form = client.get(settings).get_data(as_text=True)
    assert "[1-5] Mức độ hữu ích" in form
    bad = web.post(settings, {"opens_when": "last_ended", "close_after_days": "7", "questions_text": "Câu không loại",
                              "anonymous": "y"}, token_page=settings)
    assert bad.status_code == 422 and "Dòng 1" in bad.get_data(as_text=True)
    ok = web.post(settings, {"opens_when": "last_ended", "close_after_days": "3", "anonymous": "y",
                             "questions_text": "* [1-5] Nội dung\n[văn bản] Góp ý"}, token_page=settings)
    assert ok.status_code == 303
    token = hall["tokens"][0]
    page = client.get(f"/T/{token}/feedback").get_data(as_text=True)
    assert "Góp ý" in page and "Giảng viên (kiến thức" not in page
    assert web.post(f"/T/{token}/feedback", {"q1": "4"}, token_page=f"/T/{token}").status_code == 200
    locked = web.post(settings, {"opens_when": "last_ended", "close_after_days": "3", "anonymous": "y",
                                 "questions_text": "* [1-5] Khác"}, token_page=settings)
    assert locked.status_code == 422 and "không thể đổi câu hỏi" in locked.get_data(as_text=True)


def test_a_trainer_reads_her_class_through_a_revocable_link(client, web, hall, app):
    web.login(ORGANISER)
    base = f"/plans/{PLAN}/classes/{hall['class']}/feedback"
    assert web.post(f"{base}/trainers/{hall['trainer_id']}/link", {}, token_page=base).status_code == 303
    html = client.get(base).get_data(as_text=True)
    link = re.search(r'value="http://[^"]*(/KQ/[A-Z2-7]{24})"', html)
    assert link, "the organiser sees the trainer's link"
    trainer = app.test_client()
    page = trainer.get(link.group(1))
    assert page.status_code == 200 and "Kết quả đánh giá lớp" in page.get_data(as_text=True)
    assert "Tiến sĩ Đặng Ngọc Toàn" in page.get_data(as_text=True)
    asked = web.post(f"{base}/trainers/{hall['trainer_id']}/revoke", {}, token_page=base)
    assert asked.status_code == 200 and "Thu hồi liên kết của giảng viên " in asked.get_data(as_text=True)
    assert trainer.get(link.group(1)).status_code == 200, "unconfirmed, the link still works"
    assert web.post(f"{base}/trainers/{hall['trainer_id']}/revoke", {"confirmed": "yes"},
                    token_page=base).status_code == 303
    assert trainer.get(link.group(1)).status_code == 404


def test_the_kiosk_shows_the_feedback_qr_once_the_form_is_open(client, web, hall):
    web.login(ORGANISER)
    kiosk = client.get(f"/plans/{PLAN}/classes/{hall['class']}/kiosk").get_data(as_text=True)
    assert 'id="kiosk-feedback"' in kiosk and "Phiếu đánh giá lớp học" in kiosk
    poster = client.get(f"/plans/{PLAN}/classes/{hall['class']}/feedback/qr").get_data(as_text=True)
    assert f"/F/{hall['form_token']}".upper() in poster.upper() and "<svg" in poster


def test_named_plan_shows_names_to_the_organiser_but_not_to_the_trainer(app, client, web):
    plan, cls, enrolments, trainer = build(people=2, named=True)
    token = ticket_token(enrolments[0].id)
    link = trainer_links.trainer_link_token(trainer_links.issue_trainer_link(None, cls, trainer.id, utcnow()))
    db.session.commit()
    page = client.get(f"/T/{token}/feedback").get_data(as_text=True)
    assert "câu trả lời được lưu kèm tên" in page
    web.post(f"/T/{token}/feedback", GOOD, token_page=f"/T/{token}")
    web.login(ORGANISER)
    html = client.get(f"/plans/{PLAN}/classes/{cls.code}/feedback").get_data(as_text=True)
    assert "Phiếu theo người trả lời" in html and enrolments[0].person.full_name in html
    trainer_page = app.test_client().get(f"/KQ/{link}").get_data(as_text=True)
    assert GOOD["q4"] in trainer_page and enrolments[0].person.full_name not in trainer_page


QUIZ = ("Luật Bình đẳng giới được thông qua năm nào?\n- 2004\n* 2006\n\n"
        "Chỉ tiêu nữ trong diện quy hoạch 2025?\n* 40%\n- 10%")


def test_pre_class_quiz_from_her_ticket(app, client, web, every_feedback_answer_shown):
    _plan, cls, enrolments, _trainer = build(ended_minutes_ago=-120, quiz_text=QUIZ)  # the first session is on now
    token = ticket_token(enrolments[0].id)
    db.session.commit()
    assert f"/T/{token}/quiz" in client.get(f"/T/{token}").get_data(as_text=True)
    missing = web.post(f"/T/{token}/quiz", {"k1": "1"}, token_page=f"/T/{token}/quiz")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and 'id="k2-error"' in html and 'value="1" checked' in html
    assert web.post(f"/T/{token}/quiz", {"k1": "1", "k2": "1"}, token_page=f"/T/{token}").status_code == 200
    assert "đã làm bài kiểm tra đầu khóa rồi" in client.get(f"/T/{token}/quiz").get_data(as_text=True)
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    assert (summary.pre_count, summary.pre_average) == (1, 0.5)


def test_ticket_page_offers_no_quiz_when_the_plan_has_none(client, hall):
    token = hall["tokens"][0]
    html = client.get(f"/T/{token}").get_data(as_text=True)
    assert f"/T/{token}/feedback" in html and f"/T/{token}/quiz" not in html
    assert "không có bài kiểm tra" in client.get(f"/T/{token}/quiz").get_data(as_text=True)


def test_a_revoked_ticket_is_told_before_she_fills_the_form(app, client):
    _plan, _cls, enrolments, _trainer = build()
    enrolments[0].status = "declined"
    token = ticket_token(enrolments[0].id)
    db.session.commit()
    html = client.get(f"/T/{token}/feedback").get_data(as_text=True)
    assert "không còn hiệu lực" in html and "Gửi phiếu đánh giá" not in html


def test_a_participant_who_reads_english_gets_the_form_and_its_refusals_in_english(client, web, hall):
    token = hall["tokens"][0]
    page = f"/T/{token}/feedback"
    web.post("/locale", {"lang": "en", "next": page}, token_page=page)
    html = client.get(page).get_data(as_text=True)
    assert "Training class feedback form" in html and "Send feedback" in html
    refused = web.post(page, {"q1": "4"}, token_page=page).get_data(as_text=True)
    assert "The form is incomplete" in refused and "This question is required" in refused


def test_the_kiosk_state_says_when_the_feedback_form_is_open(app, client, web):
    _plan, cls, _enrolments, _trainer = build(ended_minutes_ago=-60)
    db.session.commit()
    web.login(ORGANISER)
    state = client.get(f"/plans/{PLAN}/classes/{cls.code}/kiosk/state").get_json()
    assert state["feedback_open"] is False
    assert 'id="kiosk-feedback"' not in client.get(f"/plans/{PLAN}/classes/{cls.code}/kiosk").get_data(as_text=True)
    for session in cls.sessions:
        session.ends_at = session.starts_at + (session.ends_at - session.starts_at) / 4  # so it ended two hours ago
    db.session.commit()
    assert client.get(f"/plans/{PLAN}/classes/{cls.code}/kiosk/state").get_json()["feedback_open"] is True


def test_one_anonymous_answer_is_not_shown_to_the_organiser(client, web, hall):
    token = hall["tokens"][0]
    web.post(f"/T/{token}/feedback", dict(GOOD, q1="1", q4="Lớp học quá dài"), token_page=f"/T/{token}")
    web.login(ORGANISER)
    html = client.get(f"/plans/{PLAN}/classes/{hall['class']}/feedback").get_data(as_text=True)
    assert "Lớp học quá dài" not in html
    assert "ít nhất 3 phiếu" in html and "<strong>1</strong>" in html
    plan_page = client.get(f"/plans/{PLAN}/feedback").get_data(as_text=True)
    assert "điểm ẩn: dưới 3 phiếu" in plan_page

"""Personal-data protection through the UI: the participant notice, the access log, a person's export and erasure."""
from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Enrolment, Person, PersonalDataAccess
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.checkin import rooms
from bdgtrain.services.privacy import access_log
from tests import factories as make
from tests.conftest import csrf_from

ROSTER = "/plans/KH-1/classes/LOP-QR/roster"


@pytest.fixture
def hall(app):
    organiser_org = make.org("SLD", "Sở LĐ-TB&XH")
    make.user("admin@test.vn", "admin")
    make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org)
    cls, enrolments = make.class_open_now(plan, people=12)
    hoa = enrolments[0].person
    hoa.id_number, hoa.email = "042180000001", "hoa@example.vn"
    make.commit()
    return cls, enrolments


def accesses():
    return list(db.session.scalars(select(PersonalDataAccess).order_by(PersonalDataAccess.id)))


def test_participant_pages_carry_the_notice_in_vietnamese_and_english(client, hall):
    cls, (hoa, *_) = hall
    token = ticket_token(hoa.id)
    code, _left = rooms.current_room_code(cls, utcnow())
    pages = [f"/T/{token}", f"/T/{token}/calendar", f"/R/{rooms.room_token(cls)}/{code}"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "Thông báo về xử lý dữ liệu cá nhân" in html, url
        assert "91/2025/QH15" in html and "356/2025/NĐ-CP" in html and "Sở LĐ-TB&amp;XH" in html
    client.post("/locale", data={"lang": "en", "csrf_token": csrf_from(client.get(pages[0]).get_data(as_text=True))})
    html = client.get(pages[0]).get_data(as_text=True)
    assert "Notice on the processing of personal data" in html and "91/2025/QH15" in html


def test_a_roster_of_twelve_is_one_access_row_written_by_one_insert(web, hall, count_queries):
    cls, enrolments = hall
    web.login("tochuc@test.vn")
    with count_queries() as counter:
        assert web.client.get(ROSTER).status_code == 200
    inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT INTO PERSONAL_DATA_ACCESSES")]
    assert len(inserts) == 1
    (row,) = accesses()
    assert (row.action, row.class_id, row.people_count, row.actor_label) == ("roster.viewed", cls.id, 12,
                                                                            "tochuc@test.vn")
    for url, action in [(ROSTER + ".xlsx", "roster.exported"), (ROSTER + ".csv", "roster.exported"),
                        ("/plans/KH-1/classes/LOP-QR/sign-in-sheet", "signin_sheet.printed"),
                        ("/plans/KH-1/classes/LOP-QR/attendance", "attendance.viewed"),
                        (f"{ROSTER}/{enrolments[0].id}", "enrolment.viewed")]:
        assert web.client.get(url).status_code == 200
        assert accesses()[-1].action == action
    assert accesses()[-1].person_id == enrolments[0].person_id
    # The organiser sees no link to the admin's personal-data page; the admin does.
    assert "/privacy/people/" not in web.client.get(f"{ROSTER}/{enrolments[0].id}").get_data(as_text=True)
    assert [a.detail for a in accesses() if a.action == "roster.exported"] == ["xlsx", "csv"]


def test_a_refused_request_writes_no_access_row(web, hall):
    web.login("tochuc@test.vn")
    assert web.client.get(ROSTER + "/999999").status_code == 404
    assert accesses() == []


def test_api_roster_download_is_logged_for_the_token_owner(client, hall):
    from bdgtrain.models import User
    from bdgtrain.services.accounts import api_tokens

    organiser = db.session.scalar(select(User).where(User.email == "tochuc@test.vn"))
    token, _row = api_tokens.create_token(None, organiser, "máy quét")
    make.commit()
    response = client.get("/api/v1/classes/KH-1/LOP-QR/roster", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    (row,) = accesses()
    assert (row.action, row.user_id, row.people_count) == ("roster.snapshot.downloaded", organiser.id, 12)


# An entry's action as its row shows it (the filter's drop-down names every action once more).
ROSTER_VIEWED, ENROLMENT_VIEWED = "<td>Xem danh sách học viên", "<td>Xem hồ sơ ghi danh"


def test_access_log_page_searches_by_person_user_and_date(web, hall, app):
    cls, (hoa, lan, *_) = hall
    other_cls, _ = make.class_open_now(cls.plan, code="LOP-KHAC", people=1)
    make.commit()
    web.login("tochuc@test.vn")
    web.client.get(ROSTER)
    web.client.get("/plans/KH-1/classes/LOP-KHAC/roster")  # a class Hoa is not in
    web.client.get(f"{ROSTER}/{lan.id}")  # about Lan only
    old = PersonalDataAccess(occurred_at=utcnow() - timedelta(days=40), action="roster.viewed", actor_label="cli",
                             class_id=cls.id, scope_label="KH-1/LOP-QR", people_count=12)
    db.session.add(old)
    make.commit()
    web.client.post("/logout", data={"csrf_token": web.csrf("/")})
    web.login("admin@test.vn")

    page = web.client.get(f"/privacy/access-log?person={hoa.person_id}").get_data(as_text=True)
    # Hoa's data was on the roster just now (she was enrolled); the old view predates her enrolment.
    assert page.count(ROSTER_VIEWED) == 1 and "LOP-KHAC" not in page and ENROLMENT_VIEWED not in page
    page = web.client.get(f"/privacy/access-log?person={lan.person_id}").get_data(as_text=True)
    assert ENROLMENT_VIEWED in page
    admin_id = db.session.scalar(select(Person.id).limit(1))  # any id: a user filter that matches nobody
    organiser_id = db.session.scalar(select(PersonalDataAccess.user_id).where(PersonalDataAccess.user_id.is_not(None)))
    page = web.client.get(f"/privacy/access-log?user={organiser_id}").get_data(as_text=True)
    assert page.count("<tr>") == 1 + 3  # header + her three views (the old one was the CLI's)
    today = utcnow().strftime("%d/%m/%Y")
    earlier = (utcnow() - timedelta(days=41)).strftime("%d/%m/%Y")
    before = (utcnow() - timedelta(days=30)).strftime("%d/%m/%Y")
    page = web.client.get(f"/privacy/access-log?from={earlier}&to={before}").get_data(as_text=True)
    assert page.count("<tr>") == 1 + 1
    bad = web.client.get("/privacy/access-log?from=31/02/2026")
    assert bad.status_code == 422 and "không hợp lệ" in bad.get_data(as_text=True)
    assert admin_id is not None and today


def test_the_people_a_search_found_find_it_in_who_saw_their_data(web, hall):
    _cls, (hoa, lan, *_) = hall
    web.login("admin@test.vn")
    page = web.post("/privacy/people", {"q": hoa.person.id_number}, token_page="/privacy/people")
    assert page.status_code == 200 and hoa.person.full_name in page.get_data(as_text=True)
    (row,) = accesses()
    assert (row.action, row.people_count) == ("person.searched", 1)
    assert access_log.accesses_about(hoa.person) == [row] and access_log.accesses_about(lan.person) == []


def test_access_log_is_paginated(web, hall, app):
    db.session.add_all([PersonalDataAccess(action="roster.viewed", actor_label="cli", people_count=1)
                        for _ in range(app.config["PAGE_SIZE"] + 5)])
    make.commit()
    web.login("admin@test.vn")
    first = web.client.get("/privacy/access-log").get_data(as_text=True)
    second = web.client.get("/privacy/access-log?page=2").get_data(as_text=True)
    assert first.count(ROSTER_VIEWED) == app.config["PAGE_SIZE"] and second.count(ROSTER_VIEWED) == 5


def test_admin_finds_her_by_post_and_exports_everything(web, hall):
    cls, (hoa, *_) = hall
    web.login("admin@test.vn")
    assert "Nguyễn Thị Hoa" not in web.client.get("/privacy/people").get_data(as_text=True)
    short = web.post("/privacy/people", {"q": "n"}, token_page="/privacy/people")
    assert short.status_code == 422 and "từ 2 đến 120 ký tự" in short.get_data(as_text=True)
    found = web.post("/privacy/people", {"q": "nguyen thi hoa lop-qr 000"}, token_page="/privacy/people")
    assert found.status_code == 200 and f"/privacy/people/{hoa.person_id}" in found.get_data(as_text=True)
    by_phone = web.post("/privacy/people", {"q": hoa.person.phone}, token_page="/privacy/people")
    assert f"/privacy/people/{hoa.person_id}" in by_phone.get_data(as_text=True)

    exported = web.client.get(f"/privacy/people/{hoa.person_id}/export.json")
    assert exported.status_code == 200
    assert hoa.person.full_name not in exported.headers["Content-Disposition"]
    dossier = json.loads(exported.data)
    assert dossier["person"]["id_number"] == "042180000001"
    enrolment_page = web.client.get(f"{ROSTER}/{hoa.id}").get_data(as_text=True)
    assert f"/privacy/people/{hoa.person_id}" in enrolment_page
    assert [e["class"] for e in dossier["enrolments"]] == ["LOP-QR"]
    xlsx = web.client.get(f"/privacy/people/{hoa.person_id}/export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert {"Thông tin cá nhân", "Các lớp", "Điểm danh", "Diện quy hoạch", "Đào tạo ngoài hệ thống",
            "Nhật ký thay đổi", "Nhật ký truy cập"} <= set(book.sheetnames)
    assert [a.action for a in accesses()] == ["person.searched", "person.searched", "person.exported",
                                              "enrolment.viewed", "person.exported"]
    assert accesses()[-1].person_id == hoa.person_id


def test_erasure_asks_for_confirmation_then_is_irreversible(web, hall):
    cls, (hoa, lan, *_) = hall
    web.login("admin@test.vn")
    url = f"/privacy/people/{hoa.person_id}/erase"
    page = web.client.get(url).get_data(as_text=True)
    assert "Không thể hoàn tác" in page
    unconfirmed = web.post(url, {}, token_page=url)
    assert unconfirmed.status_code == 422 and "đánh dấu xác nhận" in unconfirmed.get_data(as_text=True)
    assert db.session.get(Person, hoa.person_id).erased_at is None

    done = web.post(url, {"confirm": "y"}, token_page=url)
    assert done.status_code == 303
    person = db.session.get(Person, hoa.person_id)
    assert person.erased_at is not None and person.phone is None and person.id_number is None
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 12  # the class keeps its count
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.person.erased"))
    assert event.actor_label == "admin@test.vn" and "Hoa" not in (event.summary + json.dumps(event.after))
    assert "đã bị xóa vĩnh viễn" in web.client.get(f"/privacy/people/{hoa.person_id}").get_data(as_text=True)
    again = web.client.get(url)
    assert again.status_code == 303
    roster = web.client.get(ROSTER).get_data(as_text=True)
    assert re.search(r"\[Đã xóa #\d+\]", roster) and lan.person.full_name in roster

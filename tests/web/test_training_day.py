"""The training day in the pages: the dashboard's today and tomorrow, the class page's facts first and
actions by moment, derived statuses, the kiosk with and without an open session, scans logged under the
scanner's class."""
from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.localtime import local_to_utc, local_today
from bdgtrain.models import Attendance, ClassSession, TrainingClass
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.checkin import checkin, rooms
from tests import factories as make
from tests import monitoring_world

ORGANISER = "tochuc@test.vn"


@pytest.fixture
def day(app):
    """KH-NGAY: LOP-NAY open now (3 people, one checked in), LOP-MAI tomorrow, LOP-QUA yesterday."""
    org = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.user(ORGANISER, "organiser", org)
    plan = make.plan(org, code="KH-NGAY")
    today_cls, people = make.class_open_now(plan, "LOP-NAY", people=3, started_minutes_ago=20, capacity=40)
    tomorrow = local_today() + timedelta(days=1)
    make.training_class(plan, "LOP-MAI", date_expression=f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year}")
    yesterday = local_today() - timedelta(days=1)
    make.training_class(plan, "LOP-QUA", date_expression=f"{yesterday.day}/{yesterday.month}/{yesterday.year}")
    now = utcnow()
    checkin.perform_checkin(ticket_token(people[0].id), source="scanner", scanner_class=today_cls, scanned_at=now,
                            received_at=now)
    db.session.commit()
    return plan, today_cls, people


def _html(web, path: str) -> str:
    response = web.client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_dashboard_lists_today_and_tomorrow_a_tap_from_the_scanner_room_code_and_live_roster(day, web):
    web.login(ORGANISER)
    page = _html(web, "/")
    panel = page[page.index('id="training-day-heading"'):page.index('id="plans-heading"')]
    today_part, tomorrow_part = panel.split("Ngày mai, ", 1)
    assert f"Hôm nay, {local_today():%d/%m/%Y}" in today_part
    base = "/plans/KH-NGAY/classes/LOP-NAY"
    for link in (f"{base}/scanner", f"{base}/kiosk", f"{base}/live"):
        assert f'href="{link}"' in today_part
    assert "LOP-MAI" in tomorrow_part and "/plans/KH-NGAY/classes/LOP-MAI/scanner" in tomorrow_part
    assert "LOP-MAI" not in today_part
    assert "LOP-QUA" not in panel


def test_a_session_running_across_midnight_is_todays_and_one_over_by_midnight_is_not(app, web):
    """At 00:05 the organiser at the door needs the scanner of the session begun at 23:30 yesterday."""
    org = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.user(ORGANISER, "organiser", org)
    plan = make.plan(org, code="KH-DEM")
    today = local_today()
    for code, starts, ends in (("LOP-DEM", time(23, 30), time(1, 30)), ("LOP-TOI", time(21, 0), time(23, 59))):
        cls = make.training_class(plan, code)
        for generated in list(cls.sessions):
            cls.sessions.remove(generated)
        db.session.flush()
        ends_day = today if ends < starts else today - timedelta(days=1)
        db.session.add(ClassSession(class_id=cls.id, label="Buổi tối",
                                    starts_at=local_to_utc(today - timedelta(days=1), starts),
                                    ends_at=local_to_utc(ends_day, ends)))
    db.session.commit()
    web.login(ORGANISER)
    page = _html(web, "/")
    panel = page[page.index('id="training-day-heading"'):page.index('id="plans-heading"')]
    today_part = panel.split("Ngày mai, ", 1)[0]
    assert 'href="/plans/KH-DEM/classes/LOP-DEM/scanner"' in today_part
    assert f"<strong>{today - timedelta(days=1):%d/%m/%Y} 23:30–01:30</strong>" in today_part  # begun yesterday
    assert "LOP-TOI" not in panel


def test_dashboard_without_sessions_today_or_tomorrow_has_no_training_day_panel(app, web):
    org = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.user(ORGANISER, "organiser", org)
    make.training_class(make.plan(org, code="KH-CU"), "LOP-CU")
    db.session.commit()
    web.login(ORGANISER)
    assert 'id="training-day-heading"' not in _html(web, "/")


def test_class_page_opens_with_its_facts_then_actions_by_moment(day, web):
    web.login(ORGANISER)
    page = _html(web, "/plans/KH-NGAY/classes/LOP-NAY")
    facts = page.index('class="class-facts"')
    first_action = page.index('id="moment-before"')
    assert facts < first_action
    assert page.index("moment-before") < page.index("moment-day") < page.index("moment-after")
    assert re.search(r'id="fact-seats">3/40<', page)
    assert re.search(r'id="fact-here">1 <small>\(Buổi 1\)</small>', page)
    assert 'id="fact-completed">' in page
    assert 'data-status="running"' in page and "Đang diễn ra" in page
    # The day's group is open while the class runs; before and after are folded.
    assert re.search(r'<details class="moment" id="moment-day" open>', page)
    assert re.search(r'<details class="moment" id="moment-before">', page)
    base = "/plans/KH-NGAY/classes/LOP-NAY"
    for link in ("/scanner", "/kiosk", "/cards", "/attendance", "/live", "/scans", "/certificates", "/edit",
                 "/sessions/new", "/close"):
        assert f'href="{base}{link}"' in page, link
    for words in ("Danh sách học viên", "Tải danh sách lên", "Giấy mời qua e-mail", "Kết quả đánh giá",
                  "Lịch (Google, Outlook, Apple)"):
        assert words in page


def test_finished_2019_class_says_held_not_planned_and_its_sessions_held(app, web):
    plan, _people = monitoring_world.build()
    make.user(ORGANISER, "organiser", plan.organiser_org)
    db.session.commit()
    web.login(ORGANISER)
    page = _html(web, "/plans/HT-2019/classes/LOP-3")
    facts = page[page.index('class="class-facts"'):page.index('id="moment-before"')]
    assert "Đã tổ chức" in facts and "Dự kiến" not in facts
    sessions = page[page.index('id="sessions-heading"'):]
    assert "Theo lịch" not in sessions
    assert sessions.count('data-status="held"') == 4
    # Sau lớp is the open group of a held class.
    assert re.search(r'<details class="moment" id="moment-after" open>', page)
    plan_page = _html(web, "/plans/HT-2019")
    assert 'data-status="held"' in plan_page and 'data-status="cancelled"' in plan_page  # LOP-1 cancelled
    assert "Dự kiến" not in plan_page[plan_page.index("<table"):]


def _current_code(cls_id: int) -> str:
    code, _left = rooms.current_room_code(db.session.get(TrainingClass, cls_id), utcnow())
    return code


def test_kiosk_with_no_session_open_says_when_check_in_opens_and_shows_no_code(day, web):
    plan, today_cls, _people = day
    tomorrow_cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-MAI"))
    web.login(ORGANISER)
    page = _html(web, "/plans/KH-NGAY/classes/LOP-MAI/kiosk")
    kiosk = page[page.index('id="kiosk"'):page.index("</section>")]
    assert _current_code(tomorrow_cls.id) not in kiosk
    assert 'data-code=""' in kiosk and 'data-open="0"' in kiosk
    assert 'id="kiosk-qr"' not in kiosk and "<svg" not in kiosk and 'id="kiosk-code"' not in kiosk
    first = min(s.starts_at for s in tomorrow_cls.sessions)
    opens = first - timedelta(minutes=tomorrow_cls.checkin_opens_minutes)
    tomorrow = local_today() + timedelta(days=1)
    assert "Điểm danh mở lúc" in kiosk and f"{tomorrow:%d/%m/%Y}" in kiosk
    assert local_to_utc(tomorrow, time(0)) < opens
    state = web.client.get("/plans/KH-NGAY/classes/LOP-MAI/kiosk/state").get_json()
    assert state["code"] is None and state["svg"] is None and state["url"] is None
    assert state["opens"].startswith("Điểm danh mở lúc")


def test_kiosk_of_a_class_without_sessions_ahead_says_so(day, web):
    web.login(ORGANISER)
    page = _html(web, "/plans/KH-NGAY/classes/LOP-QUA/kiosk")
    assert "Lớp không còn buổi nào sắp tới." in page and 'data-code=""' in page


def test_kiosk_with_a_session_open_shows_the_code_and_count(day, web):
    plan, today_cls, _people = day
    web.login(ORGANISER)
    page = _html(web, "/plans/KH-NGAY/classes/LOP-NAY/kiosk")
    code = re.search(r'data-code="(\d{6})"', page).group(1)
    assert f'<strong id="kiosk-code">{code}</strong>' in page
    assert 'id="kiosk-qr"' in page and "<svg" in page
    assert '<span id="kiosk-count">1</span>' in page
    assert web.client.get("/plans/KH-NGAY/classes/LOP-NAY/kiosk/state").get_json()["code"] == code


def test_wrong_class_scan_shows_on_the_scanners_class_page_not_the_tickets(day, web):
    plan, today_cls, people = day
    other, _others = make.class_open_now(plan, "LOP-A", people=1)
    db.session.commit()
    web.login(ORGANISER)
    response = web.client.post("/api/v1/checkins", json={
        "token": ticket_token(people[1].id), "class": "KH-NGAY/LOP-A", "nonce": "n-wrong", "source": "scanner"},
        headers={"X-CSRFToken": web.csrf("/plans/KH-NGAY/classes/LOP-A/scanner")})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "wrong_class"
    name = people[1].person.full_name
    assert name in _html(web, "/plans/KH-NGAY/classes/LOP-A/scans")
    assert name not in _html(web, "/plans/KH-NGAY/classes/LOP-NAY/scans")
    assert db.session.scalar(select(Attendance.id).where(Attendance.enrolment_id == people[1].id)) is None


def test_same_scan_sent_twice_is_one_row_in_the_scan_log(day, web):
    plan, today_cls, people = day
    web.login(ORGANISER)
    token = web.csrf("/plans/KH-NGAY/classes/LOP-NAY/scanner")
    body = {"token": ticket_token(people[2].id), "class": "KH-NGAY/LOP-NAY", "nonce": "card-once",
            "source": "scanner"}
    answers = [web.client.post("/api/v1/checkins", json=body, headers={"X-CSRFToken": token}).get_json()
               for _ in range(2)]
    assert [a["status"] for a in answers] == ["checked_in", "checked_in"]
    log = _html(web, "/plans/KH-NGAY/classes/LOP-NAY/scans?all=1")
    assert log.count(people[2].person.full_name) == 1


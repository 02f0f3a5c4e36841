"""Issue 23: the forecast on the report pages, and next year's plan drafted from it: proposed, edited, confirmed
into a plan with its classes, seats and the same targets; confirming twice creates one plan."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Organisation, Person, Plan, PoolEntry, Target
from bdgtrain.services.reporting.targets import TargetInput, create_target
from tests import factories as make
from tests.services.test_forecast import WINDOW, _district

AS_OF = "31/12/2024"


def _new_pool(unit, women: int, added_on: date):
    people = [Person(full_name=f"Trần Thị {unit.code} {n:03d}", name_folded=f"tran thi {n:03d}",
                     name_sort_key=f"{unit.code} {n:03d}", sex="F") for n in range(women)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(PoolEntry(person_id=p.id, organisation_id=unit.id, cycle="2020-2030",
                                 cycle_starts_on=date(2020, 1, 1), cycle_ends_on=date(2030, 12, 31),
                                 added_on=added_on) for p in people)


def build_world() -> Plan:
    """Huyện X: 7 of 10 women trained, at a pace (tests/services/test_forecast.py); Huyện W: 80 untrained women
    since June 2024 (no pace yet). Targets 75% by 2025 and 90% by 2030; one class of 40 seats in the plan."""
    province = make.org("P", "Tỉnh Thử", kind="province")
    organiser = make.org("SO", "Sở Nội vụ", parent=province)
    plan = make.plan(organiser, code="KH-2024", title="Kế hoạch tập huấn năm 2024",
                     period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), deadlines_text="Báo cáo năm: 18/12")
    make.training_class(plan, "LOP-1", date_expression="15-16/7/2024", capacity=40)
    _district(province, "HX", "Huyện X")
    _new_pool(make.org("HW", "Huyện W", kind="district", parent=province), 80, date(2024, 6, 1))
    for value, year in ((75, 2025), (90, 2030)):
        create_target(None, plan, TargetInput(measure="trained_share", value_percent=value,
                                              deadline=date(year, 12, 31), starts_on=date(2019, 1, 1),
                                              window_starts_on=WINDOW[0], window_ends_on=WINDOW[1]))
    make.user("tc@test.vn", "organiser", organiser)
    other = make.org("Q", "Tỉnh Khác", kind="province")
    make.user("khac@test.vn", "organiser", make.org("SOQ", "Sở khác", parent=other))
    db.session.commit()
    return plan


@pytest.fixture
def world(app):
    return build_world()


def _fields(html: str) -> dict:
    """The draft form's fields as the browser would send them (checked boxes only)."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.update(re.findall(r'<input name="([^"]+)" value="([^"]*)"', html))
    data.update((name, value) for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    data.update((name, "1") for name in re.findall(r'<input type="checkbox" name="([^"]+)" value="1" checked>', html))
    return {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in data.items()}


def test_the_unit_page_says_the_forecast_in_plain_words(world, web):
    web.login("tc@test.vn")
    page = web.client.get(f"/reports/KH-2024/units/HX?as_of={AS_OF}").get_data(as_text=True)
    # Hand computation in tests/services/test_forecast.py: 85.7% at the end of 2025, 100% in 2026.
    assert "Với tốc độ hiện nay, Huyện X đạt 75% vào năm 2025." in page
    assert "Với tốc độ hiện nay, Huyện X đạt 90% vào năm 2026." in page
    assert "Cần khoảng 1 lượt đào tạo mỗi năm để đạt 75% vào năm 2025." in page
    other = web.client.get(f"/reports/KH-2024/units/HW?as_of={AS_OF}").get_data(as_text=True)
    # No pace (the pool began in 2024): 0.75 × 80 = 60 in 2025; 0.9 × 80 / 6 years = 12.
    assert "Cần khoảng 60 lượt đào tạo mỗi năm để đạt 75% vào năm 2025." in other
    assert "Cần khoảng 12 lượt đào tạo mỗi năm để đạt 90% vào năm 2030." in other
    assert "Chưa đủ số liệu cuối năm" in other
    chart = web.client.get(f"/reports/KH-2024/trend.svg?as_of={AS_OF}&unit=HX").get_data(as_text=True)
    assert 'class="projection"' in chart
    table = web.client.get(f"/reports/KH-2024/forecast?as_of={AS_OF}").get_data(as_text=True)
    assert "Huyện X" in table and "Huyện W" in table and "Không đạt vào năm 2025" in table


def test_draft_edit_confirm_makes_one_plan_with_its_classes_seats_and_targets(world, web):
    web.login("tc@test.vn")
    url = f"/reports/KH-2024/next-year?as_of={AS_OF}"
    html = web.client.get(url).get_data(as_text=True)
    assert "Dự thảo kế hoạch năm 2025" in html
    data = _fields(html)
    # Needs: Huyện X 1 (at most its 3 untrained; the 2025 target asks 1), Huyện W 60: 61 seats in classes of 40.
    assert data["classes"] == "2" and data["code"] == "KH-2025"
    assert sorted([int(data["class-1-seats"]), int(data["class-2-seats"])]) == [21, 40]
    assert data["class-1-dates"] == "15-16/7/2025"  # the plan's class a year on, tentative
    assert "Huyện W" in data["class-1-audience"] + data["class-2-audience"]
    data.update({"class-1-seats": "45", "class-1-title": "Lớp tập huấn 1 (sửa)", "class-2-dates": "5/8/2025",
                 "title": "Kế hoạch tập huấn năm 2025 (dự thảo)"})
    first = web.post("/reports/KH-2024/next-year", data, token_page=url)
    assert first.status_code == 303 and first.headers["Location"].endswith("/plans/KH-2025")
    again = web.post("/reports/KH-2024/next-year", data, token_page=url)
    assert again.status_code == 303 and again.headers["Location"].endswith("/plans/KH-2025")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 2
    plan = db.session.scalar(select(Plan).where(Plan.code == "KH-2025"))
    assert plan.title == "Kế hoạch tập huấn năm 2025 (dự thảo)"
    assert (plan.period_start, plan.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    classes = sorted(plan.classes, key=lambda c: c.code)
    assert [(c.code, c.title, c.capacity, c.date_expression, c.status, c.eligible_sex) for c in classes] == [
        ("LOP-1", "Lớp tập huấn 1 (sửa)", 45, "15-16/7/2025", "planned", "F"),
        ("LOP-2", classes[1].title, int(data["class-2-seats"]), "5/8/2025", "planned", "F")]
    assert len(classes[0].sessions) == 4  # two days, morning and afternoon
    targets = db.session.scalars(select(Target).where(Target.plan_id == plan.id).order_by(Target.deadline)).all()
    assert [(t.measure, t.value_percent, t.deadline) for t in targets] == [
        ("trained_share", 75, date(2025, 12, 31)), ("trained_share", 90, date(2030, 12, 31))]
    assert [(d.label, d.due_day, d.due_month) for d in plan.report_deadlines] == [("Báo cáo năm", 18, 12)]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "plan.next_year.created")) == 1


def test_a_bad_date_or_no_class_kept_is_refused_and_nothing_is_written(world, web):
    web.login("tc@test.vn")
    url = f"/reports/KH-2024/next-year?as_of={AS_OF}"
    data = _fields(web.client.get(url).get_data(as_text=True))
    bad = dict(data, **{"class-2-dates": "31/2/2025"})
    response = web.post("/reports/KH-2024/next-year", bad, token_page=url)
    assert response.status_code == 422
    assert "Lớp 2:" in response.get_data(as_text=True)
    none_kept = {k: v for k, v in data.items() if not k.endswith("-keep")}
    response = web.post("/reports/KH-2024/next-year", none_kept, token_page=url)
    assert response.status_code == 422 and "ít nhất một lớp" in response.get_data(as_text=True)
    no_seats = dict(data, **{"class-1-seats": "0"})
    assert web.post("/reports/KH-2024/next-year", no_seats, token_page=url).status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1


def test_another_provinces_organiser_is_refused_as_on_every_page_of_the_plan(world, web):
    # Another province's plan answers 403 to its organisers, as the plan's other report pages do (security.authorise).
    web.login("khac@test.vn")
    assert web.client.get(f"/reports/KH-2024/next-year?as_of={AS_OF}").status_code == 403
    assert web.client.get("/reports/KH-2024/forecast").status_code == 403
    assert web.client.get("/reports/KH-NONE/next-year").status_code == 404
    response = web.post("/reports/KH-2024/next-year", {"year": "2025", "classes": "1", "code": "KH-X",
                                                       "title": "X", "class-1-keep": "1", "class-1-title": "L",
                                                       "class-1-seats": "5", "class-1-dates": "1/8/2025"},
                        token_page="/")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1


def test_forecast_and_draft_pages_read_a_fixed_number_of_statements(world, web, count_queries):
    web.login("tc@test.vn")
    urls = [f"/reports/KH-2024/forecast?as_of={AS_OF}", f"/reports/KH-2024/next-year?as_of={AS_OF}"]
    for url in urls:
        web.client.get(url)  # the units kept by the process: both counts below are warm
    before = []
    for url in urls:
        with count_queries() as counter:
            assert web.client.get(url).status_code == 200
        before.append(counter.count)
    province = db.session.scalar(select(Organisation).where(Organisation.code == "P"))
    for n in range(3):
        _district(province, f"HV{n}", f"Huyện V{n}")
    db.session.commit()
    for url in urls:
        web.client.get(url)
    after = []
    for url in urls:
        with count_queries() as counter:
            page = web.client.get(url)
        assert page.status_code == 200 and "Huyện V2" in page.get_data(as_text=True)
        after.append(counter.count)
    assert after == before, (before, after)

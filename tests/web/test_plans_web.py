"""Plans and classes through their HTML forms: refusals keep what was typed and save nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, ClassSession, Plan, TrainingClass
from tests import factories as make


@pytest.fixture
def organiser(app, web):
    org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user("tochuc@test.vn", "organiser", org)
    plan = make.plan(org, code="HT-2019")
    make.commit()
    web.login("tochuc@test.vn")
    return plan


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _class_form(**changes):
    data = {"code": "LOP-1", "title": "Lớp tập huấn 1", "date_expression": "11-12/7/2019", "status": "planned",
            "eligible_sex": "", "venue_id": "", "capacity": ""}
    data.update(changes)
    return data


def test_create_class_from_a_document_date_makes_four_sessions(organiser, web):
    response = web.post("/plans/HT-2019/classes/new", _class_form())
    assert response.status_code == 303
    page = web.client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("07:30") == 2 and page.count("13:30") == 2
    assert "11/07/2019" in page and "12/07/2019" in page
    assert _count(ClassSession) == 4


@pytest.mark.parametrize("expression, words", [
    ("31/2/2019", "không tồn tại"),
    ("12-10/7/2019", "bị ngược"),
    ("hôm nay", "Không hiểu"),
])
def test_bad_date_is_refused_with_vietnamese_message_and_typed_value_kept(organiser, web, expression, words):
    response = web.post("/plans/HT-2019/classes/new", _class_form(date_expression=expression, title="Giữ nguyên"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert words in html
    assert f'value="{expression}"' in html and 'value="Giữ nguyên"' in html
    assert _count(TrainingClass) == 0 and _count(ClassSession) == 0


def test_empty_date_is_refused_as_required(organiser, web):
    response = web.post("/plans/HT-2019/classes/new", _class_form(date_expression=""))
    assert response.status_code == 422
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)


def test_duplicate_class_code_is_refused_and_the_first_class_kept(organiser, web):
    assert web.post("/plans/HT-2019/classes/new", _class_form()).status_code == 303
    response = web.post("/plans/HT-2019/classes/new", _class_form(title="Bản sao"))
    assert response.status_code == 422
    assert "đã có trong kế hoạch" in response.get_data(as_text=True)
    assert _count(TrainingClass) == 1


def test_session_ending_before_it_starts_is_refused_on_the_form(organiser, web):
    web.post("/plans/HT-2019/classes/new", _class_form())
    session_id = db.session.scalars(select(ClassSession.id).order_by(ClassSession.starts_at)).first()
    response = web.post(f"/plans/HT-2019/classes/LOP-1/sessions/{session_id}/edit",
                        {"label": "Sáng", "day": "11/07/2019", "start": "11:00", "end": "08:00"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Giờ kết thúc phải sau giờ bắt đầu" in html and 'value="08:00"' in html
    db.session.expire_all()
    session = db.session.get(ClassSession, session_id)
    assert session.sequence == 0


def test_cancel_then_restore_a_class_through_the_pages(organiser, web):
    web.post("/plans/HT-2019/classes/new", _class_form())
    assert web.post("/plans/HT-2019/classes/LOP-1/cancel", {"reason": ""}).status_code == 422
    assert web.post("/plans/HT-2019/classes/LOP-1/cancel", {"reason": "Hoãn"}).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(TrainingClass.status)) == "cancelled"
    assert web.post("/plans/HT-2019/classes/LOP-1/restore").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(TrainingClass.status)) == "planned"


def test_delete_class_after_confirmation(organiser, web):
    web.post("/plans/HT-2019/classes/new", _class_form())
    confirm = web.client.get("/plans/HT-2019/classes/LOP-1/delete")
    assert confirm.status_code == 200 and _count(TrainingClass) == 1  # a GET never deletes
    assert web.post("/plans/HT-2019/classes/LOP-1/delete").status_code == 303
    assert _count(TrainingClass) == 0 and _count(ClassSession) == 0


def test_create_plan_with_deadlines_and_bad_period(organiser, web):
    form = {"code": "ht-2020", "number": "12/KH-UBND", "title": "Kế hoạch 2020", "issuing_org_id": "",
            "organiser_org_id": "", "period_start": "01/01/2020", "period_end": "31/12/2019",
            "deadlines": "Báo cáo 6 tháng: 25/5"}
    response = web.post("/plans/new", form)
    assert response.status_code == 422
    assert "phải sau thời gian bắt đầu" in response.get_data(as_text=True)
    assert _count(Plan) == 1
    form["period_end"] = "31/12/2020"
    response = web.post("/plans/new", form)
    assert response.status_code == 303 and response.headers["Location"].endswith("/plans/HT-2020")
    plan = db.session.scalar(select(Plan).where(Plan.code == "HT-2020"))
    assert plan.organiser_org.code == "SLDTBXH"  # an organiser plans for her own organisation
    assert [(d.due_day, d.due_month) for d in plan.report_deadlines] == [(25, 5)]


def test_impossible_calendar_date_in_a_date_field(organiser, web):
    response = web.post("/plans/new", {"code": "X", "number": "1", "title": "T", "issued_on": "30/02/2020"})
    assert response.status_code == 422
    assert 'value="30/02/2020"' in response.get_data(as_text=True)


def test_every_change_through_the_ui_is_audited_with_the_user(organiser, web):
    web.post("/plans/HT-2019/classes/new", _class_form())
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.class.created")).one()
    assert event.actor_label == "tochuc@test.vn" and event.after["code"] == "LOP-1"


def test_plan_search_ignores_diacritics_and_case(organiser, web):
    response = web.client.get("/plans/?q=KE HOACH THU")
    assert "HT-2019" in response.get_data(as_text=True)
    response = web.client.get("/plans/?q=khong co")
    assert "HT-2019" not in response.get_data(as_text=True)


def test_restoring_a_confirmed_class_makes_it_confirmed_again(organiser, web):
    web.post("/plans/HT-2019/classes/new", _class_form(status="confirmed"))
    web.post("/plans/HT-2019/classes/LOP-1/cancel", {"reason": "Hoãn"})
    web.post("/plans/HT-2019/classes/LOP-1/restore")
    assert db.session.scalar(select(TrainingClass.status)) == "confirmed"


def test_plan_list_query_count_does_not_grow_with_plans(organiser, web, count_queries):
    def statements_for_list():
        with count_queries() as counter:
            assert web.client.get("/plans/").status_code == 200
        return counter.count

    few = statements_for_list()
    for n in range(15):
        plan = make.plan(organiser.organiser_org, code=f"KH-{n}")
        make.training_class(plan, code="LOP-1", date_expression="1/8/2019")
    make.commit()
    assert statements_for_list() == few


def test_plan_page_reads_its_classes_with_their_sessions_in_one_statement(organiser, web, count_queries):
    """The classes come as columns with their sessions counted and spanned by the database (the page of a
    plan of 200 classes sent 10 statements and read 200 entities and 400 sessions); the plan's units joined."""
    for n in range(6):
        make.training_class(organiser, code=f"LOP-{n}", date_expression="1-2/8/2019")
    make.commit()
    with count_queries() as counter:
        page = web.client.get("/plans/HT-2019").get_data(as_text=True)
    assert "LOP-5" in page
    assert sum("class_sessions" in statement for statement in counter.statements) == 1
    assert sum("FROM organisations" in statement for statement in counter.statements) <= 1  # the monitors only
    assert counter.count <= 7

"""Reading a Kế hoạch into a draft and confirming it, through the service, on both databases."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Plan, PlanReadingDraft, Target, TrainingClass
from bdgtrain.services.plan_reading import drafts as plan_reading
from tests import factories as make

SEED_004 = next((Path(__file__).resolve().parents[1] / "documents" / "seeds").glob("004_*.txt")).read_text("utf-8")
SEED_000 = next((Path(__file__).resolve().parents[1] / "documents" / "seeds").glob("000_*.txt")).read_text("utf-8")


@pytest.fixture
def world(app):
    organiser = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.org("SNV", "Sở Nội vụ")
    make.org("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", kind="union")
    user = make.user("to-chuc@example.vn", "organiser", organiser)
    db.session.commit()
    return organiser, user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_confirming_the_ha_tinh_plan_creates_it_as_if_typed(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, SEED_004, "ke-hoach-ha-tinh.docx")
    plan = plan_reading.confirm_draft(user, draft)
    db.session.commit()
    assert plan.title.startswith("Kế hoạch tổ chức tập huấn nâng cao năng lực")
    assert plan.organiser_org_id == organiser.id
    assert (plan.period_start, plan.period_end) == (date(2019, 1, 1), date(2019, 12, 31))
    classes = plan.classes
    assert [(c.code, c.date_expression, c.status) for c in classes] == [
        ("LOP-1", "10/7/2019", "planned"), ("LOP-2", "11-12/7/2019", "planned"),
        ("LOP-3", "15-16/7/2019", "planned"), ("LOP-4", "17-19/7/2019", "planned")]
    assert [len(c.sessions) for c in classes] == [2, 4, 4, 6]
    assert {c.venue.name for c in classes} == {"Thành phố Hà Tĩnh"}
    assert [t.display_name for t in classes[0].trainers] == ["Tiến sĩ Đặng Ngọc Toàn"]
    # The lists of women cadres (Sở Nội vụ with the Women's Union) are for the class of women cadres.
    assert sorted(o.code for o in classes[2].supplier_orgs) == ["HLHPN", "SNV"]
    assert [o.code for o in classes[0].supplier_orgs] == []
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"plan.reading.drafted", "plan.reading.confirmed", "plan.created", "plan.class.created"} <= actions


def test_the_same_text_read_twice_gives_the_same_draft_and_one_plan(world):
    organiser, user = world
    first = plan_reading.read_into_draft(user, organiser, SEED_004, "a.docx")
    again = plan_reading.read_into_draft(user, organiser, SEED_004 + "\n\n", "b.pdf")
    assert again.id == first.id
    plan = plan_reading.confirm_draft(user, first)
    db.session.commit()
    assert plan_reading.confirm_draft(user, again).id == plan.id
    db.session.commit()
    assert count(Plan) == 1 and count(TrainingClass) == 4 and count(PlanReadingDraft) == 1


def test_targets_and_deadlines_are_created_through_their_services(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, SEED_000)
    plan = plan_reading.confirm_draft(user, draft)
    db.session.commit()
    targets = db.session.scalars(select(Target).where(Target.plan_id == plan.id).order_by(Target.id)).all()
    assert [(t.measure, t.value_percent, t.deadline) for t in targets] == [
        ("women_leader_units", 60, date(2025, 12, 31)), ("women_leader_units", 75, date(2030, 12, 31)),
        ("women_pool_share", 40, date(2025, 12, 31)), ("women_pool_share", 50, date(2030, 12, 31)),
        ("trained_share", 75, date(2025, 12, 31)), ("trained_share", 90, date(2030, 12, 31))]
    assert (plan.period_start, plan.period_end) == (date(2021, 1, 1), date(2030, 12, 31))


def test_report_deadlines_become_the_plans(world):
    organiser, user = world
    text = ("KẾ HOẠCH\nThực hiện công tác bình đẳng giới năm 2019\nTổng hợp gửi báo cáo 6 tháng trước ngày 25/5 "
            "và báo cáo năm trước ngày 18/12.")
    plan = plan_reading.confirm_draft(user, plan_reading.read_into_draft(user, organiser, text))
    db.session.commit()
    assert [(d.label, d.due_day, d.due_month, d.due_year) for d in plan.report_deadlines] == [
        ("Báo cáo 6 tháng", 25, 5, None), ("Báo cáo năm", 18, 12, None)]


@pytest.mark.parametrize("text, code", [
    ("Hôm nay trời đẹp, chúng tôi đi chơi.", "plan.reading_invalid"),
    ("KẾ HOẠCH\nThử\n1. Lớp tập huấn 1\n- Thời gian: ngày 31/2/2019", "plan.reading_invalid"),
    ("KẾ HOẠCH\nThử\nTỷ lệ cán bộ nữ được đào tạo đạt 120% vào năm 2025.", "plan.reading_invalid"),
])
def test_bad_text_is_refused_and_nothing_is_stored(world, text, code):
    organiser, user = world
    with pytest.raises(DomainError) as caught:
        plan_reading.read_into_draft(user, organiser, text)
    assert caught.value.code == code
    db.session.rollback()
    assert count(PlanReadingDraft) == 0 and count(Plan) == 0


def test_a_class_with_no_date_is_refused_at_confirm_and_nothing_is_created(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, "KẾ HOẠCH\nThử năm 2019\n1. Lớp tập huấn 1\n"
                                                          "- Thời gian: Quý III năm 2019\n2. Lớp tập huấn 2\n"
                                                          "- Thời gian: ngày 5/8/2019")
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        plan_reading.confirm_draft(user, draft)
    assert caught.value.code == "plan.reading_class_no_date" and "Lớp tập huấn 1" in caught.value.message
    db.session.rollback()
    assert count(Plan) == 0 and count(TrainingClass) == 0


def test_a_refusal_late_in_confirming_undoes_what_was_made_before(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, SEED_004)
    fields = dict(draft.fields)
    fields["classes"] = [dict(c) for c in fields["classes"]]
    fields["classes"][3]["code"] = fields["classes"][0]["code"]  # two classes with one code
    plan_reading.update_draft(user, draft, fields)
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        plan_reading.confirm_draft(user, draft)
    assert caught.value.code == "class.duplicate_code"
    db.session.commit()
    assert count(Plan) == 0 and count(TrainingClass) == 0 and draft.plan_id is None


def test_an_edited_target_over_100_is_refused(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, SEED_000)
    fields = dict(draft.fields)
    fields["targets"] = [dict(t) for t in fields["targets"]]
    fields["targets"][0]["percent"] = 150
    plan_reading.update_draft(user, draft, fields)
    with pytest.raises(DomainError) as caught:
        plan_reading.confirm_draft(user, draft)
    assert caught.value.code == "target.value_range"
    db.session.rollback()
    assert count(Plan) == 0


def test_another_organisation_cannot_load_the_draft(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, SEED_004)
    stranger = make.user("khac@example.vn", "organiser", make.org("KHAC", "Sở khác"))
    db.session.commit()
    assert plan_reading.get_draft(user, draft.token).id == draft.id
    with pytest.raises(DomainError) as caught:
        plan_reading.get_draft(stranger, draft.token)
    assert caught.value.code == "not_found"


def test_whatever_a_form_sends_is_bounded_or_refused_plainly(world):
    organiser, user = world
    draft = plan_reading.read_into_draft(user, organiser, SEED_004)
    fields = dict(draft.fields, number="9" * 500, code="X" * 300, issued_on="31/02/2019")
    fields["deadlines"] = [{"label": "Báo cáo", "day": "abc", "month": "13", "year": None}]
    plan_reading.update_draft(user, draft, fields)
    assert len(draft.fields["number"]) == 80 and len(draft.fields["code"]) == 40
    with pytest.raises(DomainError) as caught:
        plan_reading.confirm_draft(user, draft)
    assert caught.value.code == "plan.deadline_invalid"
    draft.fields = dict(draft.fields, deadlines=[])
    with pytest.raises(DomainError) as caught:
        plan_reading.confirm_draft(user, draft)
    assert caught.value.code == "plan.reading_bad_day"
    db.session.rollback()
    assert count(Plan) == 0

"""Plans, classes and sessions through the services, on both databases."""
from __future__ import annotations

from datetime import date, time, timezone

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.localtime import to_local
from bdgtrain.models import Attendance, AuditEvent, ClassSession, Enrolment, Person, TrainingClass
from bdgtrain.services.planning import lookups, planning, sessions
from tests import factories as make


@pytest.fixture
def plan(app):
    organiser = make.org("SLDTBXH")
    return make.plan(organiser)


def local_slots(cls):
    return [(to_local(s.starts_at).strftime("%d/%m/%Y %H:%M"), to_local(s.ends_at).strftime("%H:%M"), s.label)
            for s in sorted(cls.sessions, key=lambda s: s.starts_at)]


def test_two_day_class_gets_four_default_sessions_in_vietnam_time(plan):
    cls = make.training_class(plan, date_expression="11-12/7/2019")
    db.session.commit()
    db.session.expire_all()
    assert local_slots(db.session.get(TrainingClass, cls.id)) == [
        ("11/07/2019 07:30", "11:30", "Sáng"), ("11/07/2019 13:30", "17:00", "Chiều"),
        ("12/07/2019 07:30", "11:30", "Sáng"), ("12/07/2019 13:30", "17:00", "Chiều"),
    ]


def test_sessions_are_stored_in_utc(plan):
    cls = make.training_class(plan, date_expression="10/7/2019")
    db.session.commit()
    first = db.session.scalars(select(ClassSession).where(ClassSession.class_id == cls.id)
                               .order_by(ClassSession.starts_at)).first()
    assert first.starts_at.tzinfo == timezone.utc
    assert (first.starts_at.hour, first.starts_at.minute) == (0, 30)  # 07:30 at UTC+7


def test_range_across_months_makes_a_session_pair_per_day(plan):
    cls = make.training_class(plan, date_expression="30/7-02/8/2019")
    assert len(cls.sessions) == 8
    assert cls.date_expression == planning.format_date_expression(
        [date(2019, 7, 30), date(2019, 7, 31), date(2019, 8, 1), date(2019, 8, 2)])


@pytest.mark.parametrize("expression, code", [
    ("31/2/2019", "date.invalid"),
    ("12-10/7/2019", "date.reversed"),
    ("", "date.empty"),
    ("sáng thứ hai", "date.syntax"),
])
def test_bad_date_expression_is_refused_and_nothing_is_written(plan, expression, code):
    with pytest.raises(DomainError) as refused:
        make.training_class(plan, date_expression=expression)
    assert refused.value.code == code
    assert refused.value.field == "date_expression"
    assert refused.value.message  # Vietnamese text from rules.dates, shown under the field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)) == 0
    assert db.session.scalar(select(func.count()).select_from(ClassSession)) == 0


def test_duplicate_class_code_in_a_plan_is_refused_whatever_its_case(plan):
    make.training_class(plan, code="LOP-1")
    with pytest.raises(DomainError) as refused:
        make.training_class(plan, code="lop-1")
    assert refused.value.code == "class.duplicate_code"
    assert refused.value.field == "code"
    assert "LOP-1" in refused.value.message


def test_same_class_code_in_another_plan_is_fine(plan):
    other = make.plan(plan.organiser_org, code="KH-2")
    make.training_class(plan, code="LOP-1")
    assert make.training_class(other, code="LOP-1").code == "LOP-1"


def test_a_class_is_found_only_under_its_own_plan_and_a_miss_says_which_code_is_wrong(plan):
    other = make.plan(plan.organiser_org, code="KH-2")
    mine, theirs = make.training_class(plan, code="LOP-1"), make.training_class(other, code="LOP-2")
    make.commit()
    assert lookups.get_plan_and_class("KH-1", "LOP-1") == (plan, mine)
    assert lookups.get_plan_and_class("KH-2", "LOP-2") == (other, theirs)
    with pytest.raises(DomainError, match="trong kế hoạch KH-1"):
        lookups.get_plan_and_class("KH-1", "LOP-2")  # another plan's class
    with pytest.raises(DomainError, match="kế hoạch \"KH-9\""):
        lookups.get_plan_and_class("KH-9", "LOP-1")


def test_session_that_ends_before_it_starts_is_refused(plan):
    cls = make.training_class(plan)
    session = cls.sessions[0]
    before = (session.starts_at, session.ends_at, session.sequence)
    with pytest.raises(DomainError) as refused:
        sessions.update_session(None, session, sessions.SessionInput(
            day=date(2019, 7, 11), start=time(14, 0), end=time(13, 0), label="Chiều"))
    assert refused.value.code == "session.ends_before_start"
    assert (session.starts_at, session.ends_at, session.sequence) == before


def test_moving_a_session_bumps_its_sequence_and_is_audited(plan):
    cls = make.training_class(plan, date_expression="11/7/2019")
    session = cls.sessions[0]
    sessions.update_session(None, session, sessions.SessionInput(
        day=date(2019, 7, 11), start=time(8, 0), end=time(11, 0), label="Sáng"))
    assert session.sequence == 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.session.updated")).one()
    assert set(event.after) == {"starts_at", "ends_at", "sequence"}


def test_changing_the_dates_keeps_the_sessions_of_days_that_remain(plan):
    cls = make.training_class(plan, date_expression="11-12/7/2019")
    db.session.flush()
    kept = {s.id for s in cls.sessions if to_local(s.starts_at).day == 12}
    planning.update_class(None, cls, planning.ClassInput(code=cls.code, title=cls.title,
                                                         date_expression="12-13/7/2019"))
    db.session.flush()
    days = sorted({to_local(s.starts_at).day for s in cls.sessions})
    assert days == [12, 13]
    assert kept <= {s.id for s in cls.sessions}
    assert cls.date_expression == "12-13/7/2019"


def _attend(cls):
    person = Person(full_name="Nguyễn Thị Hoa", name_folded="nguyen thi hoa", name_sort_key="x")
    enrolment = Enrolment(training_class=cls, person=person)
    db.session.add(Attendance(session=cls.sessions[0], enrolment=enrolment, status="present"))
    db.session.flush()


def test_class_with_attendance_can_be_neither_deleted_nor_cancelled(plan):
    cls = make.training_class(plan)
    _attend(cls)
    with pytest.raises(DomainError) as refused:
        planning.delete_class(None, cls)
    assert refused.value.code == "class.has_attendance"
    with pytest.raises(DomainError) as refused:
        planning.cancel_class(None, cls, "Trùng lịch họp của tỉnh")
    assert refused.value.code == "class.has_attendance"
    assert cls.status == "planned" and all(s.sequence == 0 for s in cls.sessions)


def test_class_without_attendance_is_cancelled_and_calendars_learn_of_it(plan):
    cls = make.training_class(plan)
    planning.cancel_class(None, cls, "Trùng lịch họp của tỉnh")
    assert cls.status == "cancelled"
    assert all(s.sequence == 1 for s in cls.sessions)


def test_dropping_an_attended_day_from_the_dates_is_refused(plan):
    cls = make.training_class(plan, date_expression="11-12/7/2019")
    _attend(cls)  # the first session: 11/7 morning
    with pytest.raises(DomainError) as refused:
        planning.update_class(None, cls, planning.ClassInput(code=cls.code, title=cls.title,
                                                             date_expression="12/7/2019"))
    assert refused.value.code == "class.session_has_attendance"


def test_class_without_attendance_is_deleted_with_its_sessions(plan):
    cls = make.training_class(plan)
    db.session.flush()
    planning.delete_class(None, cls)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ClassSession)) == 0
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()[-1] == "plan.class.deleted"


def test_cancel_needs_a_reason_and_restore_undoes_it(plan):
    cls = make.training_class(plan)
    with pytest.raises(DomainError):
        planning.cancel_class(None, cls, "  ")
    planning.cancel_class(None, cls, "Thiếu kinh phí")
    planning.restore_class(None, cls)
    assert (cls.status, cls.cancel_reason, cls.cancelled_at) == ("planned", None, None)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "TrainingClass")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["plan.class.created", "plan.class.cancelled", "plan.class.restored"]


def test_audit_of_an_update_records_before_and_after_of_changed_fields_only(plan):
    cls = make.training_class(plan, title="Lớp cũ")
    planning.update_class(None, cls, planning.ClassInput(code=cls.code, title="Lớp mới",
                                                         date_expression=cls.date_expression))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.class.updated")).one()
    assert event.before == {"title": "Lớp cũ"}
    assert event.after == {"title": "Lớp mới"}
    assert event.actor_label == "cli"


def test_plan_deadlines_are_parsed_and_bad_lines_refused(plan):
    data = planning.PlanInput(code=plan.code, number=plan.number, title=plan.title,
                              organiser_org_id=plan.organiser_org_id,
                              deadlines_text="Báo cáo 6 tháng: 25/5\nBáo cáo năm: trước 18/12")
    planning.update_plan(None, plan, data)
    assert [(d.label, d.due_day, d.due_month) for d in plan.report_deadlines] == [
        ("Báo cáo 6 tháng", 25, 5), ("Báo cáo năm", 18, 12)]
    data.deadlines_text = "Báo cáo quý: 31/4"
    with pytest.raises(DomainError) as refused:
        planning.update_plan(None, plan, data)
    assert refused.value.field == "deadlines" and "31/4" in refused.value.message


def test_plan_period_must_not_be_reversed(app):
    organiser = make.org("SLDTBXH")
    with pytest.raises(DomainError) as refused:
        make.plan(organiser, period_start=date(2020, 1, 1), period_end=date(2019, 1, 1))
    assert refused.value.field == "period_end"


def test_plan_with_classes_cannot_be_deleted(plan):
    make.training_class(plan)
    with pytest.raises(DomainError) as refused:
        planning.delete_plan(None, plan)
    assert refused.value.code == "plan.has_classes"


def test_the_plan_pages_statuses_and_session_counts_are_those_of_the_sessions_themselves(app):
    """lookups.plan_class_rows (sessions counted and spanned by the database) and status.class_statuses
    (attendance asked for only where it decides) give each class the status status.statuses gives and its
    number of sessions, before, during and long after the classes, a cancelled class and one without anybody
    included, and once a later session is cancelled."""
    from datetime import timedelta

    from bdgtrain.services.planning import status
    from tests import monitoring_world

    plan, _people = monitoring_world.build()
    admin = make.user("quantri-status@test.vn", "admin")
    classes = list(db.session.scalars(select(TrainingClass).where(TrainingClass.plan_id == plan.id)))
    every_session = [s for cls in classes for s in cls.sessions]
    first = min(s.starts_at for s in every_session)
    last = max(s.ends_at for s in every_session)
    moments = [first - timedelta(days=30), first, first + timedelta(hours=1), last - timedelta(minutes=1), last,
               last + timedelta(days=3000)]
    for cancelling in (False, True):
        if cancelling:
            every_session[-1].status = "cancelled"
            db.session.flush()
        for as_of in moments:
            rows = lookups.plan_class_rows(admin, plan)
            assert status.class_statuses(rows, as_of) == status.statuses(classes, as_of)[0], as_of
            assert {row.id: row.session_count for row in rows} == {cls.id: len(cls.sessions) for cls in classes}

"""A target's counting window: the period of the document that set it decides which training counts."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, ExternalTraining, Person, PoolEntry, Target
from bdgtrain.rules.targets import TargetSpec, counting_window
from bdgtrain.services.reporting.measures import measure_table
from bdgtrain.services.reporting.targets import TargetInput, create_target, target_specs, update_target
from tests import factories as make

PROGRAMME = (date(2021, 1, 1), date(2030, 12, 31))


@pytest.fixture
def world(app):
    """One woman of the 2021-2026 pool, joined in June 2019 and trained in July 2019; one untrained."""
    province = make.org("P", "Tỉnh", kind="province")
    district = make.org("D", "Huyện", kind="district", parent=province)
    plan = make.plan(province, code="KH-2019")
    for name, trained in (("Trần Thị An", True), ("Lê Thị Bình", False)):
        person = Person(full_name=name, name_folded=name.lower(), name_sort_key=name, sex="F")
        db.session.add(person)
        db.session.flush()
        db.session.add(PoolEntry(person_id=person.id, organisation_id=district.id, cycle="2021-2026",
                                 cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                                 added_on=date(2019, 6, 1)))
        if trained:
            db.session.add(ExternalTraining(person_id=person.id, title="Tập huấn BĐG", started_on=date(2019, 7, 15),
                                            ended_on=date(2019, 7, 20)))
    db.session.commit()
    return plan, province, district


def _target(plan, window, scope=None):
    return create_target(None, plan, TargetInput(measure="trained_share", value_percent=75, deadline=date(2025, 12, 31),
                                                 starts_on=date(2021, 1, 1), scope_org_id=scope,
                                                 window_starts_on=window[0] if window else None,
                                                 window_ends_on=window[1] if window else None))


def test_training_inside_the_targets_window_counts_before_she_joined_or_her_cycle_began(world):
    plan, _province, district = world
    _target(plan, (date(2019, 1, 1), date(2030, 12, 31)))
    table = measure_table(date(2022, 6, 30), target_specs(plan))
    assert table.window == (date(2019, 1, 1), date(2030, 12, 31)) and not table.window_given
    row = next(r for r in table.rows if r["id"] == district.id)
    assert (row["trained"], row["women"]) == (1, 2)


def test_training_before_the_window_does_not_count(world):
    plan, _province, district = world
    _target(plan, PROGRAMME)  # seed 000: the programme 2021-2030
    table = measure_table(date(2022, 6, 30), target_specs(plan))
    assert (table.total["trained"], table.total["women"]) == (0, 2)


def test_without_a_window_each_entrys_cycle_counts_and_a_given_window_wins(world):
    plan, _province, _district = world
    _target(plan, None)
    assert measure_table(date(2022, 6, 30), target_specs(plan)).window is None
    assert measure_table(date(2022, 6, 30), target_specs(plan)).total["trained"] == 0  # July 2019 < 2021
    given = measure_table(date(2022, 6, 30), target_specs(plan), window=(date(2019, 1, 1), date(2019, 12, 31)))
    assert given.window_given and given.total["trained"] == 1


def test_the_cli_counts_over_the_targets_window_and_says_so(world, runner):
    plan, _province, _district = world
    _target(plan, (date(2019, 1, 1), date(2030, 12, 31)))
    db.session.commit()
    out = json.loads(runner.invoke(args=["report", "trained-share", "--as-of", "2022-06-30", "--plan", plan.code,
                                         "--json"]).output)
    assert out["window"] == ["2019-01-01", "2030-12-31"] and out["total"]["trained"] == 1
    out = json.loads(runner.invoke(args=["report", "trained-share", "--as-of", "2022-06-30", "--plan", plan.code,
                                         "--from", "2021-01-01", "--to", "2030-12-31", "--json"]).output)
    assert out["window"] == ["2021-01-01", "2030-12-31"] and out["total"]["trained"] == 0


@pytest.mark.parametrize("window, field", [
    ((date(2030, 12, 31), date(2021, 1, 1)), "window_ends_on"),
    ((date(2021, 1, 1), None), "window_ends_on"),
    ((None, date(2030, 12, 31)), "window_starts_on"),
])
def test_a_window_that_ends_before_it_starts_or_is_half_given_is_refused(world, window, field):
    plan, _province, _district = world
    with pytest.raises(DomainError) as refused:
        create_target(None, plan, TargetInput(measure="trained_share", value_percent=75, deadline=date(2025, 12, 31),
                                              window_starts_on=window[0], window_ends_on=window[1]))
    assert refused.value.field == field and "Thời kỳ tính" in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Target)) == 0


def test_changing_the_window_is_audited(world):
    plan, _province, _district = world
    target = _target(plan, PROGRAMME)
    update_target(None, target, TargetInput(measure="trained_share", value_percent=75, deadline=date(2025, 12, 31),
                                            window_starts_on=date(2019, 1, 1), window_ends_on=date(2030, 12, 31)))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.target.updated"))
    assert event.after["window_starts_on"] == "2019-01-01" and event.before["window_starts_on"] == "2021-01-01"


def test_the_province_targets_window_is_the_reports():
    every = TargetSpec(1, "trained_share", 0.75, date(2025, 12, 31), None, None, window=PROGRAMME)
    later = TargetSpec(2, "trained_share", 0.9, date(2030, 12, 31), None, None, window=(date(2026, 1, 1),
                                                                                       date(2030, 12, 31)))
    scoped = TargetSpec(3, "trained_share", 0.8, date(2025, 12, 31), None, 7, window=(date(2019, 1, 1),
                                                                                    date(2019, 12, 31)))
    assert counting_window([every, later, scoped], date(2024, 1, 1)) == PROGRAMME
    assert counting_window([every, later, scoped], date(2027, 1, 1)) == (date(2026, 1, 1), date(2030, 12, 31))
    assert counting_window([scoped], date(2024, 1, 1)) is None  # a unit's own target is not the province's
    top = TargetSpec(4, "trained_share", 0.8, date(2025, 12, 31), None, 7, window=PROGRAMME, scope_is_top=True)
    assert counting_window([scoped, top], date(2024, 1, 1)) == PROGRAMME
    assert counting_window([], date(2024, 1, 1)) is None


@pytest.mark.parametrize("window", [(date(2019, 1, 1), date(2030, 12, 31)), None])
def test_women_part_way_through_a_class_are_shown_beside_the_trained(world, window):
    """Part-way: attended the first held session of a class that counts; not trained, listed."""
    from bdgtrain.models import Attendance, ClassSession, Enrolment
    from bdgtrain.services.reporting.measures import add_breakdowns

    plan, _province, district = world
    _target(plan, window)  # the target's window, or (None) each entry's cycle, 2021-2026: March 2022 is in both
    cls = make.training_class(plan, code="LOP-P", date_expression="10-11/3/2022")
    binh = db.session.scalar(select(Person).where(Person.full_name == "Lê Thị Bình"))
    enrolment = Enrolment(class_id=cls.id, person_id=binh.id, status="confirmed")
    db.session.add(enrolment)
    db.session.flush()
    sessions = db.session.scalars(select(ClassSession).where(ClassSession.class_id == cls.id)
                                  .order_by(ClassSession.starts_at)).all()
    db.session.add(Attendance(session_id=sessions[0].id, enrolment_id=enrolment.id, status="present"))
    db.session.commit()
    table = measure_table(date(2022, 6, 30), target_specs(plan))
    add_breakdowns(table)
    row = next(r for r in table.rows if r["id"] == district.id)
    trained_before = 1 if window else 0  # An's July 2019 training is outside the cycle 2021-2026
    assert (row["trained"], row["women"], row["partial"]) == (trained_before, 2, 1)
    assert table.total["partial"] == 1
    # Before the session she had attended nothing; after completing the class she is trained, not partial.
    before = measure_table(date(2022, 3, 9), target_specs(plan))
    add_breakdowns(before)
    assert before.total["partial"] == 0
    db.session.add_all([Attendance(session_id=s.id, enrolment_id=enrolment.id, status="late") for s in sessions[1:]])
    db.session.commit()
    after = measure_table(date(2022, 6, 30), target_specs(plan))
    add_breakdowns(after)
    assert (after.total["trained"], after.total["partial"]) == (trained_before + 1, 0)

"""The report pages' services: targets judged per unit, the untrained women of a unit (equal to the pure
rule), kept periodic reports, reports due, classes held with attendance, and nominating from the pool."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Organisation, Person, PoolEntry
from bdgtrain.rules import targets as rules_targets
from bdgtrain.rules.deadlines import DeadlineSpec
from bdgtrain.rules.targets import TargetSpec
from bdgtrain.rules.trained_share import Figure, snapshot, trained_women
from bdgtrain.services.pool import pool_nominations
from bdgtrain.services.reporting import official_reports, periodic_reports, targets
from bdgtrain.services.reporting.measures import measure_table, untrained_page_people
from bdgtrain.services.reporting.reporting import compute_trained_share, province_totals
from tests import factories as make
from tests.services.test_reporting import build_world


def untrained_women(unit_id: int, as_of: date, *, window=None, fold: bool = False, page: int = 1, per_page: int = 1000):
    """The unit's untrained women as its report page gets them (one page), and how many there are."""
    table = measure_table(as_of, [], window=window, fold_successors=fold, root=unit_id, subtree_only=True,
                          untrained_page=(page, per_page))
    if not table.rows:
        return [], 0
    return untrained_page_people(table, unit_id), table.rows[0]["women"] - table.rows[0]["trained"]


@pytest.mark.parametrize("seed", [1, 2])
def test_untrained_women_are_the_rules_women_minus_its_trained(app, seed):
    units, memberships, trainings = build_world(seed)
    db.session.commit()
    rng = random.Random(seed)
    for _ in range(3):
        as_of = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        window = rng.choice([None, (date(2019, 1, 1), date(2030, 12, 31))])
        fold = rng.random() < 0.5
        report, _info = compute_trained_share(as_of, window=window, fold_successors=fold)
        counting = [m for m in memberships if m.counts_on(as_of)]
        trained = trained_women(counting, trainings, as_of, window)
        tree = snapshot(units, as_of, fold_successors=fold, with_members={m.unit_id for m in counting})
        for unit_id in list(report.units)[:5]:
            inside = [m for m in counting if unit_id in tree.ancestors.get(tree.home[m.unit_id], [])]
            women = {m.person_id for m in inside if m.sex == "F"}
            expected = women - {m.person_id for m in inside if (m.person_id, m.unit_id) in trained}
            people, total = untrained_women(unit_id, as_of, window=window, fold=fold)
            assert {p.person_id for p in people} == expected, (unit_id, as_of, window, fold)
            assert total == len(expected) == report.units[unit_id].women - report.units[unit_id].trained


def test_untrained_women_page_in_name_order(app):
    unit = make.org("H", "Huyện", kind="district")
    people = [Person(full_name=f"Chị {n}", name_folded=f"chi {n}", name_sort_key=f"{n:03d}", sex="F") for n in range(7)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(PoolEntry(person_id=p.id, organisation_id=unit.id, cycle="2021-2026",
                                 planned_posts="Phó Chủ tịch",
                                 cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                                 added_on=date(2021, 1, 1)) for p in people)
    db.session.commit()
    first, total = untrained_women(unit.id, date(2022, 1, 1), page=1, per_page=3)
    third, _ = untrained_women(unit.id, date(2022, 1, 1), page=3, per_page=3)
    assert total == 7 and [p.full_name for p in first] == ["Chị 0", "Chị 1", "Chị 2"]
    assert [p.full_name for p in third] == ["Chị 6"] and third[0].planned_posts == "Phó Chủ tịch"
    assert third[0].unit_name == "Huyện"


def test_a_units_trend_counts_nothing_in_the_years_before_it_existed(app, count_queries):
    from bdgtrain.services.reporting.measures import trend

    province, a, _b, _c, _people = _small_world()
    newer = make.org("N", "Xã mới", kind="commune", parent=a, valid_from=date(2023, 1, 1))
    db.session.commit()
    points, _svg = trend(newer.id, range(2021, 2025), date(2024, 6, 30), [], title="x")
    assert [p.value for p in points] == [None, None, None, None]  # before 2023 not in the tree; after, no pool
    with count_queries() as before:
        report, _info = compute_trained_share(date(2022, 12, 31), root=newer.id)
    assert report.units == {} and report.total == Figure()
    # the units and the units holding members; no figures statement for a unit not in that day's tree
    assert len([s for s in before.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]) == 2
    report, _info = compute_trained_share(date(2023, 12, 31), root=a.id)
    assert set(report.units) == {a.id, newer.id} and report.total == report.units[a.id]
    assert report.total.pool == 2 and report.units[newer.id] == Figure()


def _small_world():
    province = make.org("T", "Tỉnh", kind="province")
    a = make.org("A", "Huyện A", kind="district", parent=province)
    b = make.org("B", "Huyện B", kind="district", parent=province)
    c = make.org("C", "Huyện C", kind="district", parent=province)  # empty pool
    people = []
    for n, (unit, sex) in enumerate([(a, "F"), (a, "F"), (b, "F"), (b, "M")]):
        person = Person(full_name=f"P{n}", name_folded=f"p{n}", name_sort_key=f"{n}", sex=sex)
        db.session.add(person)
        db.session.flush()
        db.session.add(PoolEntry(person_id=person.id, organisation_id=unit.id, cycle="2021-2026",
                                 cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                                 added_on=date(2020, 6, 1)))
        people.append(person)
    from bdgtrain.models import ExternalTraining
    db.session.add(ExternalTraining(person_id=people[0].id, title="Bồi dưỡng", ended_on=date(2022, 3, 1)))
    db.session.flush()
    return province, a, b, c, people


@pytest.mark.parametrize("seed", [3, 4])
def test_a_units_page_computes_its_subtree_alone_with_the_same_rows_as_the_whole_table(app, seed):
    units, _memberships, _trainings = build_world(seed)
    db.session.commit()
    province = units[0].id
    # Targets set above the unit, with a start before the day: inherited, and judged against a baseline.
    specs = [TargetSpec(1, "trained_share", 0.6, date(2025, 12, 31), date(2019, 1, 1), province),
             TargetSpec(2, "women_pool_share", 0.5, date(2025, 12, 31), date(2019, 1, 1), None)]
    rng = random.Random(seed)
    grandchildren_left_out = 0
    for _ in range(3):
        as_of = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
        window = rng.choice([None, (date(2019, 1, 1), date(2030, 12, 31))])
        fold = rng.random() < 0.5
        whole = measure_table(as_of, specs, window=window, fold_successors=fold)
        for row in whole.rows[:6]:
            mine = measure_table(as_of, specs, window=window, fold_successors=fold, root=row["id"], subtree_only=True)
            inside = measure_table(as_of, specs, window=window, fold_successors=fold, root=row["id"])
            # The unit's page lists it and the units directly below it.
            assert mine.rows == [r for r in inside.rows if r["depth"] <= 1], (as_of, window, fold, row["code"])
            grandchildren_left_out += sum(1 for r in inside.rows if r["depth"] > 1)
            assert dict(mine.rows[0], depth=row["depth"]) == row  # depths count from the root
            assert mine.total["trained"] == row["trained"] and mine.total["women"] == row["women"]
            people, total = untrained_women(row["id"], as_of, window=window, fold=fold)
            assert total == row["women"] - row["trained"] == len(people)
            # Pages of three: the same figures on each, and the same women in the same order in all.
            listed = []
            for page in range(1, total // 3 + 2):
                paged = measure_table(as_of, specs, window=window, fold_successors=fold, root=row["id"],
                                      subtree_only=True, untrained_page=(page, 3))
                assert paged.rows == mine.rows
                listed += untrained_page_people(paged, row["id"])
            assert listed == people, (as_of, window, fold, row["code"])
    # Where the tree is deep enough, the top unit's page left its grandchildren out.
    assert grandchildren_left_out or not any(r["depth"] >= 2 for r in whole.rows)


def test_measure_table_judges_each_unit_against_its_target(app):
    province, a, b, c, _people = _small_world()
    specs = [TargetSpec(1, "trained_share", 0.75, date(2025, 12, 31), date(2021, 1, 1), province.id),
             TargetSpec(2, "women_pool_share", 0.5, date(2025, 12, 31), date(2021, 1, 1), province.id)]
    table = measure_table(date(2022, 6, 30), specs)
    rows = {r["code"]: r for r in table.rows}
    # A: 1 of 2 women trained in 1.5 years: the line reaches 75% long before 2025.
    assert (rows["A"]["trained_share"], rows["A"]["target"], rows["A"]["status"]) == (0.5, 0.75, "on_track")
    assert (rows["B"]["trained_share"], rows["B"]["status"]) == (0.0, "behind")
    assert (rows["C"]["trained_share"], rows["C"]["status"],
            rows["C"]["women_status"]) == (None, "no_figure", "no_figure")
    assert (rows["B"]["women_share"], rows["B"]["women_status"]) == (0.5, "met")
    assert table.total["trained"] == 1 and table.total["status"] == "on_track"  # 1 of 3 in 1.5 years: 110% by 2025
    assert table.total["target_deadline"] == "2025-12-31"


def test_periodic_report_keeps_its_figures_whatever_changes_later(app):
    province, a, b, _c, people = _small_world()
    plan = make.plan(province, code="KH-BC")
    targets.create_target(None, plan, targets.TargetInput("trained_share", 75, date(2025, 12, 31), date(2021, 1, 1)))
    report = periodic_reports.generate_report(None, plan, periodic_reports.ReportInput(
        "Báo cáo năm", date(2022, 1, 1), date(2022, 12, 18), "9/BC", "Hà Tĩnh", date(2022, 12, 18)))
    db.session.commit()
    kept = dict(report.figures)
    assert kept["total"]["trained"] == 1 and kept["total"]["target"] == 0.75
    assert kept["targets"] == [{"measure": "trained_share", "value": 75, "deadline": "2025-12-31", "scope": None,
                               "window": None}]
    entry = db.session.scalar(select(PoolEntry).where(PoolEntry.person_id == people[0].id))
    from bdgtrain.services.pool.pool import leave_pool
    leave_pool(None, entry, date(2022, 1, 1), "moved")
    db.session.commit()
    db.session.expire_all()
    assert report.figures == kept
    assert measure_table(date(2022, 12, 18), []).total["trained"] == 0  # the live figure moved


@pytest.mark.parametrize("field, value, code", [
    ("period_end", date(2021, 1, 1), "report.period_reversed"),
    ("number", " ", "report.number_missing"),
    ("issued_on", None, "report.issued_missing"),
])
def test_bad_report_input_is_refused(app, field, value, code):
    province = make.org("T", "Tỉnh", kind="province")
    plan = make.plan(province, code="KH-BC")
    data = periodic_reports.ReportInput("Báo cáo năm", date(2022, 1, 1), date(2022, 12, 18), "9/BC", "Hà Tĩnh",
                                        date(2022, 12, 18))
    setattr(data, field, value)
    with pytest.raises(DomainError) as refused:
        periodic_reports.generate_report(None, plan, data)
    assert refused.value.code == code


def test_target_validation(app):
    plan = make.plan(make.org("T", "Tỉnh", kind="province"), code="KH-CT")
    for data, code in [
        (targets.TargetInput("nonsense", 50, date(2025, 1, 1)), "target.unknown_measure"),
        (targets.TargetInput("trained_share", 0, date(2025, 1, 1)), "target.value_range"),
        (targets.TargetInput("trained_share", 101, date(2025, 1, 1)), "target.value_range"),
        (targets.TargetInput("trained_share", 50, None), "target.deadline_missing"),
        (targets.TargetInput("trained_share", 50, date(2025, 1, 1), date(2025, 1, 1)), "target.start_after_deadline"),
        (targets.TargetInput("trained_share", 50, date(2025, 1, 1), scope_org_id=99999), "org.unknown"),
    ]:
        with pytest.raises(DomainError) as refused:
            targets.create_target(None, plan, data)
        assert refused.value.code == code
    assert plan.targets == []


@pytest.mark.parametrize("today, expected", [
    (date(2024, 5, 1), [("Báo cáo 6 tháng", date(2024, 5, 25)), ("Báo cáo năm", date(2024, 12, 18))]),
    # passed less than a month ago without a report: still listed, at its own day
    (date(2024, 6, 10), [("Báo cáo 6 tháng", date(2024, 5, 25)), ("Báo cáo năm", date(2024, 12, 18))]),
    (date(2024, 7, 30), [("Báo cáo năm", date(2024, 12, 18)), ("Báo cáo 6 tháng", date(2025, 5, 25))]),
])
def test_reports_due(app, today, expected):
    plan = make.plan(make.org("T", "Tỉnh", kind="province"), code="KH-HB",
                     deadlines_text="Báo cáo 6 tháng: 25/5\nBáo cáo năm: 18/12\nTổng kết: 1/3/2020")
    due = periodic_reports.due_reports([plan], today)
    assert [(d.label, d.due_on) for d in due if d.label != "Tổng kết"] == expected
    assert all(d.due_on == date(2020, 3, 1) for d in due if d.label == "Tổng kết")


def test_a_report_issued_marks_its_deadline_done_and_a_draft_marks_it_in_progress(app):
    province = make.org("T", "Tỉnh", kind="province")
    plan = make.plan(province, code="KH-HB", deadlines_text="Báo cáo 6 tháng: 25/5")
    report = periodic_reports.generate_report(None, plan, periodic_reports.ReportInput(
        "Báo cáo 6 tháng", date(2024, 1, 1), date(2024, 5, 25), "1/BC", "Hà Tĩnh", date(2024, 5, 25),
        signer_title="Giám đốc", signer_name="Nguyễn Văn A"))
    assert [(d.state, d.done) for d in periodic_reports.due_reports([plan], date(2024, 5, 1))] == [("draft", False)]
    official_reports.issue_report(None, report)
    assert [(d.state, d.done) for d in periodic_reports.due_reports([plan], date(2024, 5, 1))] == [("issued", True)]


def test_deadlines_stop_with_the_plans_own_period(app):
    plan = make.plan(make.org("T", "Tỉnh", kind="province"), code="KH-19",
                     deadlines_text="Báo cáo 6 tháng: 25/5\nBáo cáo năm: 18/12")
    plan.period_start, plan.period_end = date(2019, 1, 1), date(2019, 12, 31)
    assert [d.due_on for d in periodic_reports.due_reports([plan], date(2019, 6, 1))] == [
        date(2019, 5, 25), date(2019, 12, 18)]  # the first passed a week ago, with no report issued
    assert [d.due_on for d in periodic_reports.due_reports([plan], date(2020, 1, 5))] == []  # 25/5/2020: past the plan
    assert periodic_reports.due_reports([plan], date(2026, 12, 5)) == []  # no 2027 deadline for a 2019 plan


def test_next_due_of_a_recurring_and_a_one_off_deadline():
    assert periodic_reports.next_due(DeadlineSpec("6 tháng", 25, 5), date(2024, 5, 25)) == date(2024, 5, 25)
    assert periodic_reports.next_due(DeadlineSpec("6 tháng", 25, 5), date(2024, 5, 26)) == date(2025, 5, 25)
    assert periodic_reports.next_due(DeadlineSpec("Tổng kết", 1, 3, 2020), date(2024, 1, 1)) == date(2020, 3, 1)


def test_classes_held_counts_attendance_and_the_women_and_ethnic_minority_shares(app):
    from bdgtrain.models import Attendance, ClassSession
    province = make.org("T", "Tỉnh", kind="province")
    plan = make.plan(province, code="KH-L")
    cls = make.training_class(plan, code="L1", date_expression="11-12/7/2019")  # 4 sessions
    other = make.training_class(plan, code="L2", date_expression="11/7/2021")  # outside the period
    sessions = db.session.scalars(select(ClassSession).where(ClassSession.class_id == cls.id)).all()
    folk = [("F", "Ê Đê"), ("F", "Kinh"), ("M", "kinh "), ("F", None)]
    for n, (sex, ethnicity) in enumerate(folk):
        person = Person(full_name=f"P{n}", name_folded=f"p{n}", name_sort_key=f"{n}", sex=sex, ethnicity=ethnicity)
        db.session.add(person)
        db.session.flush()
        enrolment = Enrolment(class_id=cls.id, person_id=person.id, status="confirmed")
        db.session.add(enrolment)
        db.session.flush()
        attended = {0: 4, 1: 1, 2: 4, 3: 0}[n]  # P1 came once (not completed); P3 never came
        db.session.add_all(Attendance(session_id=s.id, enrolment_id=enrolment.id, status="present")
                           for s in sessions[:attended])
    db.session.flush()
    lines = periodic_reports.classes_held(plan, date(2019, 1, 1), date(2019, 12, 31))
    assert [line["code"] for line in lines] == ["L1"] and other.code == "L2"
    line = lines[0]
    assert (line["sessions"], line["enrolled"], line["attended"], line["completed"]) == (4, 4, 3, 2)
    assert (line["women_share"], line["dtts_share"]) == (round(2 / 3, 4), round(1 / 3, 4))
    assert (line["from"], line["to"]) == ("2019-07-11", "2019-07-12")


def test_nominate_refuses_a_cancelled_or_past_class(app):
    from bdgtrain.services.planning import planning
    province = make.org("T", "Tỉnh", kind="province")
    unit = make.org("A", "Huyện A", kind="district", parent=province)
    plan = make.plan(province, code="KH-N")
    now = datetime.now(timezone.utc)
    soon = (now + timedelta(days=20)).date().strftime("%d/%m/%Y")
    upcoming = make.training_class(plan, code="SAP", date_expression=soon)
    past = make.training_class(plan, code="CU", date_expression="11/7/2019")
    person = Person(full_name="Chị A", name_folded="chi a", name_sort_key="a", sex="F")
    db.session.add(person)
    db.session.flush()
    db.session.add(PoolEntry(person_id=person.id, organisation_id=unit.id, cycle="2021-2026",
                             cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                             added_on=date(2021, 1, 1)))
    db.session.flush()
    with pytest.raises(DomainError) as refused:
        pool_nominations.nominate_from_pool(None, past, person, unit, now)
    assert refused.value.code == "reports.class_not_upcoming"
    planning.cancel_class(None, upcoming, "Hết kinh phí")
    with pytest.raises(DomainError) as refused:
        pool_nominations.nominate_from_pool(None, upcoming, person, unit, now)
    assert refused.value.code == "lists.class_cancelled"
    assert db.session.scalar(select(Enrolment.id)) is None
    with pytest.raises(DomainError):
        pool_nominations.get_pool_person(person.id + 1000, unit)
    assert pool_nominations.get_pool_person(person.id, unit) is person
    assert db.session.get(Organisation, unit.id) is unit


def test_headcounts_saved_audited_and_refused_when_inconsistent(app):
    from bdgtrain.models import AuditEvent, UnitHeadcount
    from bdgtrain.services.reporting import headcounts
    unit = make.org("A", "Huyện A", kind="district")
    headcounts.save_headcount(None, unit, 2023, headcounts.HeadcountInput(40, 22, 5, 3, 12, True,
                                                                          staff_sent_to_training=20))
    headcounts.save_headcount(None, unit, 2023, headcounts.HeadcountInput(40, 22, 5, 3, 14, True,
                                                                          staff_sent_to_training=20))
    rows = db.session.scalars(select(UnitHeadcount)).all()
    assert len(rows) == 1 and rows[0].women_sent_to_training == 14
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "org.headcount.saved")).all()
    assert len(events) == 2 and events[1].after == {"women_sent_to_training": 14}
    for data, code in [(headcounts.HeadcountInput(10, 11), "headcount.women_over_total"),
                       (headcounts.HeadcountInput(10, 5, 3, 4), "headcount.women_dtts"),
                       (headcounts.HeadcountInput(10, 5, 0, 0, 6), "headcount.sent_over_women"),
                       (headcounts.HeadcountInput(None, 5), "headcount.missing"),
                       (headcounts.HeadcountInput(10, -1), "headcount.negative")]:
        with pytest.raises(DomainError) as refused:
            headcounts.save_headcount(None, unit, 2024, data)
        assert refused.value.code == code
    assert headcounts.get_headcount(unit, 2024) is None


def test_headcount_table_beside_targets(app):
    from bdgtrain.services.reporting import headcounts
    province = make.org("T", "Tỉnh", kind="province")
    a = make.org("A", "Huyện A", kind="district", parent=province)
    b = make.org("B", "Huyện B", kind="district", parent=province)
    headcounts.save_headcount(None, a, 2019, headcounts.HeadcountInput(40, 20, 4, 2, 12, True,
                                                                       staff_sent_to_training=20))
    headcounts.save_headcount(None, b, 2019, headcounts.HeadcountInput(30, 10, 0, 0, 2, False,
                                                                       staff_sent_to_training=10))
    specs = [TargetSpec(1, "women_sent_share", 0.5, date(2019, 12, 31), None, None),
             TargetSpec(2, "women_leader_units", 0.6, date(2025, 12, 31), date(2019, 1, 1), None)]
    table = headcounts.headcount_table(2019, specs)
    rows = {r["code"]: r for r in table["rows"]}
    assert (rows["A"]["women_sent_share"], rows["A"]["women_sent_share_status"]) == (0.6, "met")
    assert (rows["B"]["women_sent_share"], rows["B"]["women_sent_share_status"]) == (0.2, "behind")
    assert rows["T"]["women_sent_share"] == pytest.approx(14 / 30) and rows["T"]["women_leader_units"] == 0.5
    assert table["total"]["women_leader_units"] == 0.5 and table["total"]["women_leader_units_target"] == 0.6
    assert rows["A"]["dtts_staff_share"] == 0.1 and rows["A"]["entered"] and not rows["T"]["entered"]


def test_headcount_import_is_all_or_nothing(app):
    import io

    from openpyxl import Workbook

    from bdgtrain.models import UnitHeadcount
    from bdgtrain.services.reporting import headcounts
    make.org("A", "Huyện A", kind="district")
    make.org("B", "Huyện B", kind="district")

    def book(rows):
        wb = Workbook()
        wb.active.append(["SỐ LIỆU CÁN BỘ NĂM 2023"])
        wb.active.append(["Mã đơn vị", "Năm", "Tổng số", "Nữ", "DTTS", "Nữ DTTS", "Nữ được cử đào tạo",
                          "Lãnh đạo chủ chốt có nữ", "Tổng số được cử đào tạo"])
        for r in rows:
            wb.active.append(r)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    saved, problems = headcounts.import_headcounts(None, book([["A", 2023, 40, 20, 0, 0, 10, "Có", 20],
                                                              ["B", 2023, 10, 12, 0, 0, 0, "Không"],
                                                              ["X", 2023, 1, 1, 0, 0, 0, ""]]))
    assert saved == 0 and [p.row for p in problems] == [4, 5]
    assert "lớn hơn tổng số" in problems[0].message and "X" in problems[1].message
    assert db.session.scalar(select(UnitHeadcount.id)) is None
    saved, problems = headcounts.import_headcounts(None, book([["A", 2023, 40, 20, 0, 0, 10, "Có", 20],
                                                              ["b", 2023, 10, 5, 0, 0, 0, "không"]]))
    assert (saved, problems) == (2, [])
    assert {(r.organisation.code, r.key_leadership_has_woman) for r in db.session.scalars(select(UnitHeadcount))} \
        == {("A", True), ("B", False)}
    assert headcounts.import_headcounts(None, b"not a workbook")[1][0].row == 0


def test_trainee_table_per_class_and_plan(app):
    from bdgtrain.models import Attendance, ClassSession
    from bdgtrain.services.reporting.measures import trainee_table
    plan = make.plan(make.org("T", "Tỉnh", kind="province"), code="KH-HV")
    one = make.training_class(plan, code="L1", date_expression="11/7/2019")
    two = make.training_class(plan, code="L2", date_expression="12/7/2019")
    woman = Person(full_name="Chị", name_folded="chi", name_sort_key="c", sex="F", ethnicity="Tày")
    man = Person(full_name="Anh", name_folded="anh", name_sort_key="a", sex="M", ethnicity="Kinh")
    db.session.add_all([woman, man])
    db.session.flush()
    for cls, people in [(one, [woman, man]), (two, [woman])]:
        session = db.session.scalars(select(ClassSession).where(ClassSession.class_id == cls.id)).first()
        for person in people:
            enrolment = Enrolment(class_id=cls.id, person_id=person.id, status="confirmed")
            db.session.add(enrolment)
            db.session.flush()
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status="present"))
    db.session.flush()
    lines, overall = trainee_table(plan)
    assert [(c.code, s.trainees, s.women_share, s.dtts_share) for c, s in lines] == [("L1", 2, 0.5, 0.5),
                                                                                     ("L2", 1, 1.0, 1.0)]
    assert (overall.trainees, overall.women_share) == (2, 0.5)


def test_headcounts_import_command(app, runner, tmp_path):
    import json

    from openpyxl import Workbook

    from bdgtrain.models import UnitHeadcount
    make.org("A", "Huyện A", kind="district")
    db.session.commit()
    wb = Workbook()
    wb.active.append(["Mã đơn vị", "Năm", "Tổng số", "Nữ", "Nữ được cử đào tạo", "Lãnh đạo chủ chốt có nữ",
                      "Tổng số được cử đào tạo"])
    wb.active.append(["A", 2022, 30, 12, 6, "có", 10])
    wb.save(tmp_path / "hc.xlsx")
    dry = runner.invoke(args=["report", "headcounts-import", "--dry-run", "--json", str(tmp_path / "hc.xlsx")])
    assert dry.exit_code == 0 and json.loads(dry.output)["saved"] == 0
    assert db.session.scalar(select(UnitHeadcount.id)) is None
    result = runner.invoke(args=["report", "headcounts-import", str(tmp_path / "hc.xlsx")])
    assert result.exit_code == 0, result.output
    row = db.session.scalar(select(UnitHeadcount))
    assert (row.year, row.staff_women, row.women_sent_to_training, row.key_leadership_has_woman) == (2022, 12, 6, True)
    wb.active.append(["A", 2023, 30, 40, 0, ""])
    wb.save(tmp_path / "bad.xlsx")
    bad = runner.invoke(args=["report", "headcounts-import", str(tmp_path / "bad.xlsx")])
    assert bad.exit_code == 1 and "dòng 3" in bad.output
    assert db.session.scalar(select(func.count()).select_from(UnitHeadcount)) == 1


def test_a_target_without_its_own_start_counts_from_its_plan(app):
    province = make.org("T", "Tỉnh", kind="province")
    plan = make.plan(province, code="KH-S", period_start=date(2021, 1, 1), period_end=date(2030, 12, 31))
    targets.create_target(None, plan, targets.TargetInput("trained_share", 75, date(2025, 12, 31)))
    targets.create_target(None, plan, targets.TargetInput("trained_share", 90, date(2030, 12, 31), date(2026, 1, 1)))
    late = make.plan(province, code="KH-L2", period_start=date(2026, 1, 1))
    targets.create_target(None, late, targets.TargetInput("trained_share", 50, date(2025, 12, 31)))
    assert [t.starts_on for t in targets.target_specs(plan)] == [date(2021, 1, 1), date(2026, 1, 1)]
    assert [t.starts_on for t in targets.target_specs(late)] == [None]  # a start after the deadline draws no line


@pytest.mark.parametrize("seed", [4, 5])
def test_dtts_breakdown_equals_the_rule_over_ethnic_minority_women(app, seed):
    from bdgtrain.rules.trained_share import trained_share
    from bdgtrain.services.reporting.measures import dtts_breakdown
    units, memberships, trainings = build_world(seed)
    rng = random.Random(seed)
    groups = {}
    for person in db.session.scalars(select(Person)):
        person.ethnicity = rng.choice(["Kinh", " kinh", "Ê Đê", "Tày", None, ""])
        groups[person.id] = person.ethnicity
    db.session.commit()
    minority = [m for m in memberships if (groups[m.person_id] or "").strip() and
                groups[m.person_id].strip().lower() != "kinh"]
    for _ in range(3):
        as_of = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        window = rng.choice([None, (date(2019, 1, 1), date(2030, 12, 31))])
        fold = rng.random() < 0.5
        report, _info = compute_trained_share(as_of, window=window, fold_successors=fold)
        expected = trained_share(units, minority, trainings, as_of, window=window, fold_successors=fold)
        by_unit, total = dtts_breakdown(report, as_of, window=window)
        for unit_id in report.units:
            figure = expected.units.get(unit_id)
            want = (figure.trained, figure.women) if figure else (0, 0)
            assert by_unit.get(unit_id, (0, 0)) == want, (unit_id, as_of, window, fold)
        assert total == (expected.total.trained, expected.total.women)


def test_a_units_trend_reads_its_subtree_with_the_province_reports_figures(app):
    from bdgtrain.services.reporting.measures import trend

    units, _memberships, _trainings = build_world(5)
    db.session.commit()
    for unit in units[:4]:
        points, _svg = trend(unit.id, range(2019, 2026), date(2025, 3, 1), [], title="x")
        for point in points:
            report, _info = compute_trained_share(min(date(point.year, 12, 31), date(2025, 3, 1)))
            figure = report.units.get(unit.id)
            assert point.value == (figure.trained_share if figure is not None else None), (unit.id, point.year)


@pytest.mark.parametrize("seed", [3, 4, 6])
def test_the_provinces_trend_in_one_statement_equals_a_report_per_year(app, count_queries, seed):
    """The province's chart counts every year in one statement; each point is still the total of that
    day's whole report (left the pool, trained twice, a plan that does not count, stored and live
    completions, the windows of two targets and years before the first)."""
    from bdgtrain.services.reporting import completions
    from bdgtrain.services.reporting.measures import trend

    build_world(seed)
    db.session.commit()
    completions.refresh(completions.classes_to_refresh()[::2])  # half stored, half read live
    db.session.commit()
    specs = [TargetSpec(1, "trained_share", 0.75, date(2021, 12, 31), date(2019, 1, 1), None,
                        window=(date(2019, 1, 1), date(2021, 12, 31))),
             TargetSpec(2, "trained_share", 0.9, date(2026, 12, 31), date(2022, 1, 1), None,
                        window=(date(2022, 1, 1), date(2026, 12, 31)))]
    as_of = date(2025, 3, 1)
    for targets_, window in [([], None), (specs, None), (specs, (date(2018, 6, 1), date(2024, 6, 30)))]:
        with count_queries() as counted:
            points, _svg = trend(None, range(2015, 2026), as_of, targets_, window=window, title="x")
        assert len([s for s in counted.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]) == 1
        for point in points:
            day = min(date(point.year, 12, 31), as_of)
            report, _info = compute_trained_share(day, window=window or rules_targets.counting_window(targets_, day))
            assert point.value == report.total.trained_share, (seed, point.year, window)
        days = [(min(date(y, 12, 31), as_of), window or rules_targets.counting_window(targets_, date(y, 12, 31)))
                for y in range(2015, 2026)]
        assert province_totals(days) == [compute_trained_share(d, window=w)[0].total for d, w in days]

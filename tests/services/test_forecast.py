"""The forecast service (services/reporting/forecast.py) on a world built by hand: its history is the report's
figures of each 31/12, its leavers the register's, its forecast the rule's computed by hand; and it reads a
fixed number of statements whatever the number of units."""
from __future__ import annotations

from datetime import date

import pytest

from bdgtrain.extensions import db
from bdgtrain.models import ExternalTraining, Person, PoolEntry
from bdgtrain.rules.forecast import YearEnd
from bdgtrain.services.reporting.forecast import forecast_table
from bdgtrain.services.reporting.reporting import compute_trained_share
from bdgtrain.services.reporting.targets import TargetInput, create_target, target_specs
from tests import factories as make

AS_OF = date(2024, 12, 31)
WINDOW = (date(2019, 1, 1), date(2030, 12, 31))


def _woman(unit, name, added_on, *, trained_on=None, left_on=None):
    person = Person(full_name=name, name_folded=name.lower(), name_sort_key=name, sex="F")
    db.session.add(person)
    db.session.flush()
    db.session.add(PoolEntry(person_id=person.id, organisation_id=unit.id, cycle="2020-2030",
                             cycle_starts_on=date(2020, 1, 1), cycle_ends_on=date(2030, 12, 31), added_on=added_on,
                             left_on=left_on, leave_reason="appointed" if left_on else None))
    if trained_on:
        db.session.add(ExternalTraining(person_id=person.id, title="Tập huấn BĐG", ended_on=trained_on))
    return person


def _district(province, code, name):
    """Ten women from 1/1/2020; p1, p2 trained in 2021, p3, p4 in 2022, p5, p6 in 2023, p7, p8 in 2024;
    p1 (trained) leaves on 1/6/2023; p11 joins on 1/3/2023, untrained."""
    district = make.org(code, name, kind="district", parent=province)
    trained_in = {1: 2021, 2: 2021, 3: 2022, 4: 2022, 5: 2023, 6: 2023, 7: 2024, 8: 2024}
    for n in range(1, 11):
        year = trained_in.get(n)
        _woman(district, f"Nguyễn Thị {code} {n}", date(2020, 1, 1),
               trained_on=date(year, 3, 1) if year else None, left_on=date(2023, 6, 1) if n == 1 else None)
    _woman(district, f"Lê Thị {code} 11", date(2023, 3, 1))
    return district


@pytest.fixture
def world(app):
    province = make.org("P", "Tỉnh Thử", kind="province")
    plan = make.plan(province, code="KH-2024")
    district = _district(province, "HX", "Huyện X")
    empty = make.org("HY", "Huyện Y", kind="district", parent=province)
    for value, year in ((75, 2025), (90, 2030)):
        create_target(None, plan, TargetInput(measure="trained_share", value_percent=value,
                                              deadline=date(year, 12, 31), starts_on=date(2019, 1, 1),
                                              window_starts_on=WINDOW[0], window_ends_on=WINDOW[1]))
    db.session.commit()
    return plan, province, district, empty


def test_history_is_the_reports_figures_and_the_registers_leavers(world):
    plan, _province, district, _empty = world
    table = forecast_table(AS_OF, target_specs(plan), root=district.id)
    (row,) = table.rows
    assert table.window == WINDOW
    # By hand: 2021: 10 women, p1 p2 trained; 2022: + p3 p4; 2023: p1 left (p2..p6 trained, p11 joined);
    # 2024: + p7 p8.
    assert row.history == (YearEnd(2021, 10, 2, 0), YearEnd(2022, 10, 4, 0), YearEnd(2023, 10, 5, 1),
                           YearEnd(2024, 10, 7, 0))
    for year_end in row.history:  # the report's own figures of that 31/12
        report, _info = compute_trained_share(date(year_end.year, 12, 31), window=WINDOW)
        figure = report.units[district.id]
        assert (figure.women, figure.trained) == (year_end.women, year_end.trained)


def test_forecast_equals_the_hand_computation(world):
    plan, _province, district, _empty = world
    (row,) = forecast_table(AS_OF, target_specs(plan), root=district.id).rows
    result = row.forecast
    # Pace 2022-2024: 2022 s = 4 - 2 = 2; 2023 entries 1, leavers 1, s = 5 - 4 × 0.9 = 1.4; 2024 s = 7 - 5 = 2.
    # entries 1/3, leavers 1/3, trained 5.4/3 = 1.8.
    assert result.pace.entries == pytest.approx(1 / 3) and result.pace.leavers == pytest.approx(1 / 3)
    assert result.pace.trained == pytest.approx(1.8)
    # Now 7/10. 2025: k = 1 - (1/3)/10 = 0.966667; T = 7 × 0.966667 + 1.8 = 8.5667 → 85.67%: 75% reached in 2025.
    # Seats for 75% by 2025: 7.5 - 6.7667 = 0.733 → 1.
    # 2026: 8.5667 × 0.966667 + 1.8 = 10.08, no more than the 10 women: 100% → 90% reached in 2026.
    # Seats for 90% by 2030: P = k^6 = 0.815870, Q = (1 - P) / (1 - k) = 5.52390; (9 - 7 × 0.815870) / 5.52390
    #   = 0.5954 → 1.
    assert dict(result.path)[2025] == pytest.approx(0.856667, abs=1e-6)
    by_2025, by_2030 = result.goals
    assert (by_2025.value, by_2025.reached_in, by_2025.seats_per_year) == (0.75, 2025, 1)
    assert (by_2030.value, by_2030.reached_in, by_2030.seats_per_year, by_2030.projected) == (0.9, 2026, 1, 1.0)


def test_the_province_table_has_every_unit_and_a_unit_without_pool_no_figure(world):
    plan, province, district, empty = world
    table = forecast_table(AS_OF, target_specs(plan), max_depth=1)
    by_unit = {row.unit_id: row for row in table.rows}
    assert {province.id, district.id, empty.id} <= set(by_unit)
    # The province holds only Huyện X's pool: the same figures and forecast.
    assert by_unit[province.id].history == by_unit[district.id].history
    assert by_unit[province.id].forecast.goals == by_unit[district.id].forecast.goals
    assert by_unit[empty.id].forecast.share is None and by_unit[empty.id].forecast.path == ()
    assert [g.seats_per_year for g in by_unit[empty.id].forecast.goals] == [None, None]


def test_statements_do_not_grow_with_the_units(world, count_queries):
    plan, province, _unit, _empty = world
    specs = target_specs(plan)
    forecast_table(AS_OF, specs, max_depth=1)  # the units read once (kept between reports)
    with count_queries() as small:
        forecast_table(AS_OF, specs, max_depth=1)
    for n in range(4):
        _district(province, f"HZ{n}", f"Huyện Z{n}")
    db.session.commit()
    forecast_table(AS_OF, specs, max_depth=1)
    with count_queries() as large:
        table = forecast_table(AS_OF, specs, max_depth=1)
    assert len(table.rows) == 7
    assert large.count == small.count
    # five reports (31/12/2021..2024, the last the as-of day) and the leavers: a bounded few.
    assert large.count <= 40, large.statements

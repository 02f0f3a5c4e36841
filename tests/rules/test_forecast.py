"""The forecast of the trained share (rules/forecast.py, docs/MEASURES.md "Dự báo") on small worlds computed by
hand: each test writes its computation beside what it asserts."""
from __future__ import annotations

from datetime import date

import pytest

from bdgtrain.rules.forecast import (
    Goal,
    YearEnd,
    forecast,
    goals_for,
    group_into_classes,
    history_years,
    last_complete_year,
    pace_of,
    seats_per_year,
)
from bdgtrain.rules.targets import TargetSpec

END_2024 = date(2024, 12, 31)
STEADY = [YearEnd(2021, 100, 10), YearEnd(2022, 100, 20), YearEnd(2023, 100, 30), YearEnd(2024, 100, 40)]


@pytest.mark.parametrize("as_of, last, years", [
    (date(2024, 12, 31), 2024, [2021, 2022, 2023, 2024]),  # 31/12 closes its own year
    (date(2025, 7, 2), 2024, [2021, 2022, 2023, 2024]),
    (date(2025, 1, 1), 2024, [2021, 2022, 2023, 2024]),
])
def test_the_window_is_the_last_three_complete_years(as_of, last, years):
    assert last_complete_year(as_of) == last
    assert history_years(as_of) == years


def test_steady_training_without_movement():
    # 100 women all along, nobody enters or leaves; trained 10, 20, 30, 40 at the ends of 2021..2024.
    # Pace (2022-2024): entries 0, leavers 0, trained (10 + 10 + 10) / 3 = 10 a year.
    # Ahead from 40/100 on 31/12/2024: 2025 50%, 2026 60%, 2027 70%, 2028 80%, 2029 90%, 2030 100%.
    # 75% by 2025: 50% projected, not reached by 2025; seats: 0.75 × 100 - 40 = 35 in one year.
    # 90% by 2030: reached in 2029; seats: (90 - 40) / 6 years = 8.33 → 9.
    got = forecast(100, 40, END_2024, STEADY, [Goal(0.75, date(2025, 12, 31)), Goal(0.9, date(2030, 12, 31))])
    assert got.pace.years == (2022, 2023, 2024)
    assert (got.pace.entries, got.pace.leavers, got.pace.trained) == (0, 0, 10)
    assert [(y, round(s, 6)) for y, s in got.path] == [(2024, 0.4), (2025, 0.5), (2026, 0.6), (2027, 0.7),
                                                       (2028, 0.8), (2029, 0.9), (2030, 1.0)]
    near, far = got.goals
    assert (near.projected, near.reached_in, near.met, near.seats_per_year) == (0.5, None, False, 35)
    assert (round(far.projected, 6), far.reached_in, far.met, far.seats_per_year) == (1.0, 2029, False, 9)


def test_entries_and_leavers_take_the_trained_in_proportion():
    # Year-ends (women, trained, leavers by the register):
    #   2021: 100, 50;   2022: 110, 57, 10;   2023: 100, 60, 22;   2024: 100, 68, 20.
    # 2022: grown 10, entries 10 + 10 = 20, leavers 10, trained 57 - 50 × (1 - 10/100) = 57 - 45 = 12.
    # 2023: grown -10, entries -10 + 22 = 12, leavers 22, trained 60 - 57 × (1 - 22/110) = 60 - 45.6 = 14.4.
    # 2024: grown 0, entries 20, leavers 20, trained 68 - 60 × (1 - 20/100) = 68 - 48 = 20.
    # Pace: entries 52/3 = 17.333, leavers 52/3 = 17.333, trained 46.4/3 = 15.4667.
    # Ahead: the pool stays 100; each year T' = T × (1 - 0.173333) + 15.4667:
    #   2025: 68 × 0.826667 + 15.4667 = 71.68;  2026: 74.7221;  2027: 77.2370 → 75% reached in 2027.
    # Seats for 75% by 2025: 75 - 68 × 0.826667 = 75 - 56.2133 = 18.79 → 19.
    # Seats for 75% by 2030: six years, k = 0.826667, P = k^6 = 0.319141, Q = (1 - k^6) / (1 - k) = 3.92803;
    #   (75 - 68 × 0.319141) / 3.92803 = 53.2984 / 3.92803 = 13.57 → 14.
    history = [YearEnd(2021, 100, 50), YearEnd(2022, 110, 57, 10), YearEnd(2023, 100, 60, 22),
               YearEnd(2024, 100, 68, 20)]
    got = forecast(100, 68, END_2024, history, [Goal(0.75, date(2025, 12, 31)), Goal(0.75, date(2030, 12, 31))])
    assert got.pace.entries == pytest.approx(52 / 3)
    assert got.pace.leavers == pytest.approx(52 / 3)
    assert got.pace.trained == pytest.approx(46.4 / 3)
    path = dict(got.path)
    assert path[2025] == pytest.approx(0.7168)
    assert path[2026] == pytest.approx(0.747221, abs=1e-6)
    assert path[2027] == pytest.approx(0.772370, abs=1e-6)
    by_2025, by_2030 = got.goals
    assert (by_2025.reached_in, by_2025.seats_per_year) == (None, 19)
    assert (by_2030.reached_in, by_2030.seats_per_year) == (2027, 14)


def test_a_pool_that_shrinks_more_than_its_leavers_counts_the_rest_as_leavers():
    # 2023 → 2024: 110 → 100 women, nobody left by the register (entries ended with their cycle):
    # entries max(0, -10 + 0) = 0, leavers 0 - (-10) = 10; trained 50 - 55 × (1 - 10/110) = 50 - 50 = 0.
    history = [YearEnd(2023, 110, 55), YearEnd(2024, 100, 50)]
    pace = pace_of(history, END_2024)
    assert pace.years == (2024,)
    assert (pace.entries, pace.leavers) == (0, 10)
    assert pace.trained == pytest.approx(0)


def test_a_year_whose_pool_was_first_filled_tells_nothing_of_the_pace():
    # The pool was imported during 2023 (none on 31/12/2022): 2023 is left out; 2024 alone: trained 30 - 20 = 10.
    history = [YearEnd(2022, 0, 0), YearEnd(2023, 50, 20), YearEnd(2024, 50, 30)]
    pace = pace_of(history, END_2024)
    assert pace.years == (2024,)
    assert pace.trained == 10


def test_training_lost_faster_than_gained_is_a_pace_of_zero_not_below():
    # 2024: 100 women both ends, 10 left (trained ones, appointed): trained 40 → 30.
    # s = 30 - 40 × (1 - 10/100) = 30 - 36 = -6 → pace 0.
    pace = pace_of([YearEnd(2023, 100, 40), YearEnd(2024, 100, 30, 10)], END_2024)
    assert pace.trained == 0


def test_no_history_gives_no_projection_but_seats_at_a_pool_held_as_it_is():
    # No year-end figures: no pace, no projected share, no year reached.
    # Seats for 75% by 2027 from 20/80 on 31/12/2024, the pool held at 80: (0.75 × 80 - 20) / 3 = 13.33 → 14.
    got = forecast(80, 20, END_2024, [], [Goal(0.75, date(2027, 12, 31))])
    assert got.pace is None and got.path == ()
    (goal,) = got.goals
    assert (goal.projected, goal.reached_in, goal.seats_per_year) == (None, None, 14)


def test_mid_year_the_rest_of_the_year_counts_pro_rata():
    # As of 2/7/2025: 182 days to 31/12/2025 of 365, φ = 182/365 = 0.498630.
    # Pace 10 a year (STEADY); 40/100 now: 31/12/2025 40 + 4.986 = 44.986%; 31/12/2026 54.986% → 50% in 2026.
    # Seats for 50% by 2026: (50 - 40) / (0.498630 + 1) = 6.67 → 7.
    got = forecast(100, 40, date(2025, 7, 2), STEADY, [Goal(0.5, date(2026, 12, 31))])
    path = dict(got.path)
    assert path[2025] == pytest.approx(0.44986, abs=1e-5)
    assert path[2026] == pytest.approx(0.54986, abs=1e-5)
    (goal,) = got.goals
    assert (goal.reached_in, goal.seats_per_year) == (2026, 7)


def test_a_target_met_already_is_reached_this_year_and_needs_what_keeps_it():
    # 80/100 on 31/12/2024, 75% by 2025: met. Seats to stay at 75% with 10 leaving and 10 entering a year:
    # T' = 80 × 0.9 + x ≥ 75 → x ≥ 3.
    history = [YearEnd(2023, 100, 70), YearEnd(2024, 100, 80, 10)]
    (goal,) = forecast(100, 80, END_2024, history, [Goal(0.75, date(2025, 12, 31))]).goals
    assert goal.met and goal.reached_in == 2024
    assert goal.seats_per_year == 3


def test_passed_deadlines_are_left_out_and_an_empty_pool_has_no_seats():
    got = forecast(0, 0, END_2024, STEADY, [Goal(0.75, date(2023, 12, 31)), Goal(0.9, date(2030, 12, 31))])
    assert [g.deadline.year for g in got.goals] == [2030]
    assert got.path == () and got.goals[0].seats_per_year is None and got.share is None


def test_no_time_left_has_no_seats():
    # As of 31/12/2025 with a deadline in 2025: nothing more can be trained before it.
    assert seats_per_year(100, 40, date(2025, 12, 31), Goal(0.75, date(2025, 12, 31)), None) is None


def _spec(id_, value, year, scope=None, measure="trained_share"):
    return TargetSpec(id=id_, measure=measure, value=value, deadline=date(year, 12, 31), starts_on=None,
                      scope_id=scope)


def test_goals_come_from_the_nearest_scope_with_every_deadline():
    targets = [_spec(1, 0.75, 2025), _spec(2, 0.9, 2030), _spec(3, 0.6, 2026, scope=7),
               _spec(4, 0.4, 2025, measure="women_pool_share")]
    assert goals_for(targets, [7, 1]) == [Goal(0.6, date(2026, 12, 31))]
    assert goals_for(targets, [8, 1]) == [Goal(0.75, date(2025, 12, 31)), Goal(0.9, date(2030, 12, 31))]
    assert goals_for([targets[3]], [8, 1]) == []


def test_units_fill_classes_and_spill_into_the_next():
    # Capacity 50: A 30 + B 20 fill the first class; C 70 fills a second (50) and spills 20 into a third.
    assert group_into_classes([("A", 30), ("B", 20), ("C", 70), ("D", 0)], 50) == [
        [("A", 30), ("B", 20)], [("C", 50)], [("C", 20)]]
    assert group_into_classes([], 50) == []


def test_the_chart_draws_the_forecast_dotted_on_to_its_last_year():
    from bdgtrain.rules.charts import Point, trend_svg

    svg = trend_svg([Point(2023, 0.3), Point(2024, 0.4)], [Point(2019, 0.0), Point(2025, 0.75)], "x",
                    [Point(2024, 0.4), Point(2025, 0.5), Point(2030, 1.0)])
    assert svg.count('class="projection"') == 1 and ">100%</text>" in svg and ">2030</text>" in svg
    assert 'class="projection"' not in trend_svg([Point(2024, 0.4)], [], "x", [Point(2024, 0.4)])

"""Targets' status (met, on track, behind, no figure), which target judges a unit, and the trend chart."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bdgtrain.rules.charts import Point, trend_svg
from bdgtrain.rules.targets import (
    TargetSpec,
    ancestors_from_order,
    baseline_matters,
    current_target,
    projection,
    status,
    targets_by_unit,
)

START, DEADLINE = date(2021, 1, 1), date(2025, 12, 31)


@pytest.mark.parametrize("figure, as_of, starts_on, baseline, expected", [
    (None, date(2023, 1, 1), START, 0.0, "no_figure"),            # empty pool: no judgement, not "behind"
    (0.75, date(2023, 1, 1), START, 0.0, "met"),                  # reached: met, whatever the pace
    (0.80, date(2027, 1, 1), START, 0.0, "met"),                  # reached after the deadline still counts
    (0.50, date(2023, 1, 1), START, 0.0, "on_track"),             # 50% in 2 years: 75% well before 2025
    (0.20, date(2023, 1, 1), START, 0.0, "behind"),               # 20% in 2 years: about 50% by 2025
    (0.60, date(2023, 1, 1), START, 0.55, "behind"),              # started high, slow since
    (0.70, date(2026, 1, 1), START, 0.0, "behind"),               # deadline passed, not met
    (0.40, date(2023, 1, 1), None, None, "behind"),               # no programme start: no line to draw
    (0.40, date(2020, 6, 1), START, 0.0, "behind"),               # before the programme starts
    (0.0, date(2023, 1, 1), START, None, "behind"),               # no figure on the first day counts as 0
])
def test_status_table(figure, as_of, starts_on, baseline, expected):
    assert status(0.75, DEADLINE, figure, as_of, starts_on=starts_on, baseline=baseline) == expected


def test_exactly_on_the_line_is_on_track():
    # Half the time, half the way: the line reaches the target on the deadline itself.
    start, deadline = date(2020, 1, 1), date(2020, 1, 21)
    assert projection(0.4, date(2020, 1, 11), 0.0, start, deadline) == pytest.approx(0.8)
    assert status(0.8, deadline, 0.4, date(2020, 1, 11), starts_on=start, baseline=0.0) == "on_track"
    assert status(0.8, deadline, 0.39, date(2020, 1, 11), starts_on=start, baseline=0.0) == "behind"


days = st.integers(min_value=0, max_value=4000).map(lambda n: date(2018, 1, 1) + timedelta(days=n))
shares = st.floats(min_value=0.0, max_value=1.0)


def _baseline_decides_only_when_it_matters(value, figure, as_of, starts_on, deadline, baseline):
    without = status(value, deadline, figure, as_of, starts_on=starts_on, baseline=None)
    if not baseline_matters(value, deadline, figure, as_of, starts_on):
        assert status(value, deadline, figure, as_of, starts_on=starts_on, baseline=baseline) == without
    else:  # the lowest and the highest baselines disagree
        assert {status(value, deadline, figure, as_of, starts_on=starts_on, baseline=b) for b in (0.0, 1.0)} == {
            "on_track", "behind"}


@given(value=st.floats(min_value=0.05, max_value=1.0), figure=st.one_of(st.none(), shares), as_of=days,
       starts_on=st.one_of(st.none(), days), deadline=days, baseline=shares)
def test_the_baseline_is_counted_only_when_the_status_depends_on_it(value, figure, as_of, starts_on, deadline,
                                                                    baseline):
    _baseline_decides_only_when_it_matters(value, figure, as_of, starts_on, deadline, baseline)


@given(value=st.floats(min_value=0.05, max_value=1.0), figure=shares, baseline=shares,
       ordered=st.lists(days, min_size=3, max_size=3, unique=True).map(sorted))
def test_while_a_target_runs_the_baseline_is_counted_only_when_it_decides(value, figure, baseline, ordered):
    starts_on, as_of, deadline = ordered  # the case where the line from the start day is drawn
    _baseline_decides_only_when_it_matters(value, figure, as_of, starts_on, deadline, baseline)


def test_a_unit_far_behind_needs_no_baseline():
    # 20 % after four of five years: even from 0 the line ends near 25 %, short of 75 %.
    assert not baseline_matters(0.75, DEADLINE, 0.20, date(2025, 1, 1), START)
    # 70 % after four years: on track from 0, behind from 1: the start day's figure decides.
    assert baseline_matters(0.75, DEADLINE, 0.70, date(2025, 1, 1), START)


T75 = TargetSpec(1, "trained_share", 0.75, date(2025, 12, 31), START, None)
T90 = TargetSpec(2, "trained_share", 0.90, date(2030, 12, 31), START, None)


@pytest.mark.parametrize("as_of, expected", [
    (date(2023, 6, 1), T75), (date(2025, 12, 31), T75), (date(2026, 1, 1), T90), (date(2031, 1, 1), T90),
])
def test_current_target_is_the_nearest_deadline_not_passed(as_of, expected):
    assert current_target([T90, T75], as_of) == expected
    assert current_target([], as_of) is None


def test_ancestors_follow_the_tree_order():
    order = [(1, 0), (2, 1), (3, 2), (4, 1), (5, 0)]
    assert ancestors_from_order(order) == {1: [1], 2: [2, 1], 3: [3, 2, 1], 4: [4, 1], 5: [5]}


def test_the_nearest_scope_wins_then_every_unit():
    chains = {1: [1], 2: [2, 1], 3: [3, 2, 1], 5: [5]}
    province = TargetSpec(10, "trained_share", 0.75, DEADLINE, START, 1)
    district = TargetSpec(11, "trained_share", 0.80, DEADLINE, START, 2)
    everyone = TargetSpec(12, "trained_share", 0.50, DEADLINE, START, None)
    other_measure = TargetSpec(13, "women_pool_share", 0.40, DEADLINE, START, 3)
    chosen = targets_by_unit([province, district, everyone, other_measure], chains, "trained_share", date(2023, 1, 1))
    assert chosen == {1: province, 2: district, 3: district, 5: everyone}
    assert targets_by_unit([province], chains, "trained_share", date(2023, 1, 1))[5] is None


def test_trend_chart_is_plain_svg_with_the_target_line_and_gaps_for_no_figure():
    svg = trend_svg([Point(2019, 0.2), Point(2020, None), Point(2021, 0.5)],
                    [Point(2019, 0.0), Point(2025, 0.75), Point(2030, 0.9)], 'Tỷ lệ <Hà Tĩnh> & "x"')
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg and "style=" not in svg
    assert "&lt;Hà Tĩnh&gt; &amp; &quot;x&quot;" in svg  # text is escaped
    assert svg.count('class="figure"') == 2  # the year without a figure breaks the line
    assert svg.count('class="figure-dot"') == 2
    assert ">75%</text>" in svg and ">90%</text>" in svg and 'class="target"' in svg


def test_trend_chart_without_points_still_renders():
    assert trend_svg([], [], "trống").startswith("<svg")

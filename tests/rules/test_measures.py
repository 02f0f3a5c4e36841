"""The headcount and trainee measures (docs/MEASURES.md), edge case by edge case."""
from __future__ import annotations

import pytest

from bdgtrain.rules.measures import (
    ENTERED_PAIRS,
    Headcount,
    HeadcountFigure,
    Trainee,
    headcount_figures,
    is_ethnic_minority,
    share,
    trainee_shares,
)

# Province 1 > districts 2, 3; commune 4 under district 2. Unit 5 ended and folds into 1.
HOME = {1: 1, 2: 2, 3: 3, 4: 4, 5: 1}
ANCESTORS = {1: [1], 2: [2, 1], 3: [3, 1], 4: [4, 2, 1]}


def test_subtree_sums_and_shares():
    counts = [Headcount(2, 10, 6, 2, 1, 3, True), Headcount(4, 20, 10, 0, 0, 5, False),
              Headcount(3, 5, 0, 5, 0, 0, None), Headcount(5, 5, 4, 0, 0, 4, True)]
    figures, total = headcount_figures(counts, HOME, ANCESTORS)
    assert figures[2] == HeadcountFigure(2, 30, 16, 2, 1, 8, 2, 1)  # itself and its commune
    assert figures[2].women_leader_units == 0.5 and figures[2].dtts_women_share == 1 / 16
    assert figures[3].women_leader_units is None  # did not say: not counted as "no"
    assert figures[3].dtts_women_share is None  # no women: no figure, not 0%
    assert figures[3].dtts_staff_share == 1.0 and figures[3].women_staff_share == 0.0
    assert figures[1].units_reporting == 4 and figures[1].leadership_answered == 3  # the folded unit counts in 1
    assert figures[2].women_sent_share is None  # nobody entered everyone sent: no figure, whatever women sent
    assert total == figures[1]


MEASURES = ["women_sent_share", "women_committee_share", "women_masters_places_share", "women_masters_share",
            "women_doctorates_share", "specialised_trained_share", "women_leader_units", "women_staff_share",
            "dtts_staff_share", "dtts_women_share"]


def test_no_headcounts_no_figures():
    figures, total = headcount_figures([], HOME, ANCESTORS)
    assert figures == {} and all(getattr(total, m) is None for m in MEASURES)


@pytest.mark.parametrize("part, whole, expected", [(0, 0, None), (0, 4, 0.0), (1, 4, 0.25), (4, 4, 1.0)])
def test_share_has_no_figure_without_a_whole(part, whole, expected):
    assert share(part, whole) == expected


# Each entered indicator: (the measure, its whole and part on a Headcount, the seed's sentence).
INDICATORS = [
    ("women_sent_share", "staff_sent_to_training", "women_sent_to_training"),  # seed 001 II.2.a chỉ tiêu 2
    ("women_committee_share", "committee_total", "committee_women"),  # seed 001 II.1.a chỉ tiêu 2
    ("women_masters_places_share", "masters_places_total", "masters_places_women"),  # seed 001 II.2.a chỉ tiêu 1
    ("women_masters_share", "masters_total", "masters_women"),  # seed 002 mục tiêu 3
    ("women_doctorates_share", "doctorates_total", "doctorates_women"),  # seed 002 mục tiêu 3
    ("specialised_trained_share", "specialised_total", "specialised_trained"),  # seed 002 mục tiêu 9
]


def test_every_entered_pair_has_its_indicator():
    assert {(whole, part) for _m, whole, part in INDICATORS} == set(ENTERED_PAIRS)


def _hc(unit, whole_field, part_field, whole, part, **extra):
    return Headcount(unit, 100, 100, **{whole_field: whole, part_field: part}, **extra)


@pytest.mark.parametrize("measure, whole_field, part_field", INDICATORS)
@pytest.mark.parametrize("entered, expected_2, expected_1", [
    # district 2 and its commune 4 both entered: summed over the subtree
    ([(2, 10, 3), (4, 10, 2)], 5 / 20, 5 / 20),
    # only the commune entered: its figure is its district's and the province's
    ([(4, 8, 2)], 0.25, 0.25),
    # the district entered, the other district 3 did not: 3 has no figure, not 0%
    ([(2, 10, 5)], 0.5, 0.5),
    # a whole of 0: no denominator, no figure
    ([(2, 0, 0)], None, None),
    # the part left empty with its whole (counted as 0 by the rule; the service refuses it)
    ([(2, 4, None)], 0.0, 0.0),
    # nobody entered the whole: no figure anywhere, never 0%
    ([(2, None, None), (4, None, None)], None, None),
    # the folded unit 5 counts in 1 only
    ([(5, 10, 10), (2, 10, 0)], 0.0, 0.5),
])
def test_entered_indicator_rolls_up_over_the_units_that_entered_it(measure, whole_field, part_field, entered,
                                                                      expected_2, expected_1):
    counts = [_hc(unit, whole_field, part_field, whole, part) for unit, whole, part in entered]
    counts.append(Headcount(3, 50, 20))  # district 3 entered its staff, not this indicator
    figures, total = headcount_figures(counts, HOME, ANCESTORS)
    assert getattr(figures.get(2, HeadcountFigure()), measure) == expected_2
    assert getattr(figures[1], measure) == expected_1 == getattr(total, measure)
    assert getattr(figures[3], measure) is None


def test_women_sent_are_counted_only_where_everyone_sent_was_entered():
    """Seed 001: women sent / everyone sent. A unit that gave women sent without everyone sent (entered
    before the column existed) adds to neither count of the share, though its women sent are shown."""
    counts = [Headcount(2, 40, 20, women_sent_to_training=6, staff_sent_to_training=10),
              Headcount(4, 40, 20, women_sent_to_training=9)]
    figures, total = headcount_figures(counts, HOME, ANCESTORS)
    assert (figures[2].women_sent, figures[2].women_sent_of_sent, figures[2].staff_sent) == (15, 6, 10)
    assert figures[2].women_sent_share == 0.6 and figures[4].women_sent_share is None
    assert total.women_sent_share == 0.6


@pytest.mark.parametrize("ethnicity, expected", [
    ("Kinh", False), (" kinh ", False), ("KINH", False), ("Ê Đê", True), ("Tày", True), (None, False), ("  ", False),
])
def test_ethnic_minority(ethnicity, expected):
    assert is_ethnic_minority(ethnicity) is expected


def test_trainee_shares_per_class_and_per_plan_count_each_person_once():
    trainees = [Trainee(1, 10, "F", "Ê Đê"), Trainee(1, 11, "M", "Kinh"), Trainee(2, 10, "F", "Ê Đê"),
                Trainee(2, 12, None, None)]
    per_class, plan = trainee_shares(trainees)
    assert (per_class[1].trainees, per_class[1].women_share, per_class[1].dtts_share) == (2, 0.5, 0.5)
    assert (per_class[2].trainees, per_class[2].women, per_class[2].dtts) == (2, 1, 1)
    assert (plan.trainees, plan.women, plan.dtts) == (3, 1, 1)  # person 10 once
    assert trainee_shares([])[1].women_share is None

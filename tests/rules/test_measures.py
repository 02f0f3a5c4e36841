"""The headcount and trainee measures (docs/MEASURES.md), edge case by edge case."""
from __future__ import annotations

import pytest

from bdgtrain.rules.measures import (
    Headcount,
    HeadcountFigure,
    Trainee,
    headcount_figures,
    is_ethnic_minority,
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
    assert figures[2].women_leader_units == 0.5 and figures[2].women_staff_trained == 0.5
    assert figures[3].women_leader_units is None  # did not say: not counted as "no"
    assert figures[3].women_staff_trained is None  # no women: no figure, not 0%
    assert figures[3].dtts_staff_share == 1.0 and figures[3].women_staff_share == 0.0
    assert figures[1].units_reporting == 4 and figures[1].leadership_answered == 3  # the folded unit counts in 1
    assert total == figures[1]


def test_no_headcounts_no_figures():
    figures, total = headcount_figures([], HOME, ANCESTORS)
    assert figures == {} and total.women_leader_units is None and total.women_staff_trained is None


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

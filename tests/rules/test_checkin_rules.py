"""The check-in decision table and the completion rule, as tables."""
from datetime import datetime, timedelta, timezone

import pytest

from bdgtrain.rules import checkin as table
from bdgtrain.rules.completion import completion

START = datetime(2019, 7, 30, 0, 30, tzinfo=timezone.utc)  # 07:30 in Hà Tĩnh
MORNING = table.SessionTimes(1, START, START + timedelta(hours=4))
AFTERNOON = table.SessionTimes(2, START + timedelta(hours=6), START + timedelta(hours=9, minutes=30))
WINDOW = table.Window(opens_minutes=60, late_after_minutes=15)


def decide(at, **changes):
    facts = dict(token_valid=True, enrolment_found=True, class_matches=True, revoked=False, class_cancelled=False,
                 sessions=[MORNING, AFTERNOON], window=WINDOW, scanned_at=at, current_status=None)
    facts.update(changes)
    return table.decide(**facts)


@pytest.mark.parametrize("changes, outcome", [
    ({"token_valid": False}, table.INVALID_TOKEN),
    ({"enrolment_found": False}, table.NOT_ON_LIST),
    ({"class_matches": False}, table.WRONG_CLASS),
    ({"revoked": True}, table.REVOKED),
    ({"class_cancelled": True}, table.CANCELLED),
    ({"current_status": "present"}, table.ALREADY),
    ({"current_status": "late"}, table.ALREADY),
    ({"current_status": "absent"}, table.CHECKED_IN),
    ({"current_status": "excused"}, table.CHECKED_IN),
    ({}, table.CHECKED_IN),
])
def test_each_fact_gives_its_answer(changes, outcome):
    assert decide(START, **changes).outcome == outcome


def test_first_failing_question_wins():
    assert decide(START, token_valid=False, revoked=True).outcome == table.INVALID_TOKEN
    assert decide(START, revoked=True, class_cancelled=True).outcome == table.REVOKED


@pytest.mark.parametrize("minutes, outcome, status", [
    (-61, table.OUTSIDE_WINDOW, None),
    (-60, table.CHECKED_IN, "present"),
    (0, table.CHECKED_IN, "present"),
    (15, table.CHECKED_IN, "present"),
    (16, table.CHECKED_IN, "late"),
    (239, table.CHECKED_IN, "late"),
    (240, table.OUTSIDE_WINDOW, None),  # the morning has ended; the afternoon opens at 12:30
])
def test_window_and_lateness(minutes, outcome, status):
    decision = decide(START + timedelta(minutes=minutes))
    assert (decision.outcome, decision.status) == (outcome, status)


def test_outside_window_says_when_the_next_session_opens():
    decision = decide(START + timedelta(hours=4, minutes=10))
    assert decision.next_opens_at == AFTERNOON.starts_at - timedelta(hours=1)
    assert decide(START + timedelta(days=1)).next_opens_at is None


def test_cancelled_session_is_never_open():
    cancelled = table.SessionTimes(1, START, START + timedelta(hours=4), cancelled=True)
    assert decide(START, sessions=[cancelled]).outcome == table.OUTSIDE_WINDOW


def test_overlapping_windows_pick_the_session_ending_first():
    late_morning = table.SessionTimes(3, START + timedelta(hours=1), START + timedelta(hours=5))
    assert decide(START + timedelta(minutes=30), sessions=[late_morning, MORNING]).session_id == MORNING.id


@pytest.mark.parametrize("statuses, held, remaining, percent, completed, can_still, below", [
    (["present"] * 8, 8, 0, 80, True, True, False),
    (["present"] * 7 + ["absent"], 8, 0, 80, True, True, False),       # 87.5%
    (["present"] * 6 + ["absent"] * 2, 8, 0, 80, False, False, True),  # 75%
    (["late", "present", "present", None], 4, 0, 80, False, False, True),  # 3 of 4 is 75%: needs all 4
    (["present", "excused"], 2, 0, 80, False, False, True),             # excused is not attendance
    (["present"], 4, 3, 80, False, True, False),
    (["absent"], 8, 7, 80, False, True, True),                          # behind, but can still complete
    (["absent"], 4, 3, 80, False, False, True),                         # needs all 4: already impossible
    (["absent", "absent"], 4, 2, 80, False, False, True),
    ([], 0, 0, 80, False, False, False),                                # no sessions: nothing to complete
    (["present", "absent"], 2, 0, 50, True, True, False),
])
def test_completion(statuses, held, remaining, percent, completed, can_still, below):
    result = completion(statuses, held=held, remaining=remaining, percent=percent)
    assert (result.completed, result.can_still_complete, result.below_threshold) == (completed, can_still, below)


def test_completion_refuses_nonsense():
    with pytest.raises(ValueError):
        completion([], held=1, remaining=0, percent=0)
    with pytest.raises(ValueError):
        completion([], held=1, remaining=2)

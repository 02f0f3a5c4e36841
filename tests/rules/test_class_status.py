"""A class's and a session's status follow what happened: tables of cases, no app, no clock."""
from datetime import datetime, timedelta, timezone

import pytest

from bdgtrain.rules import class_status as rule
from bdgtrain.rules.class_status import SessionFacts

DAY1 = datetime(2019, 7, 15, 0, 30, tzinfo=timezone.utc)  # 07:30 in Hà Tĩnh
DAY2 = DAY1 + timedelta(days=1)
HOURS4 = timedelta(hours=4)


def session(start, *, cancelled=False, attended=False):
    return SessionFacts(start, start + HOURS4, cancelled=cancelled, has_attendance=attended)


@pytest.mark.parametrize("facts, as_of, expected", [
    (session(DAY1), DAY1 - timedelta(days=30), rule.SCHEDULED),
    (session(DAY1), DAY1 + timedelta(hours=1), rule.RUNNING),
    (session(DAY1, attended=True), DAY1 + timedelta(hours=1), rule.HELD),
    (session(DAY1, attended=True), datetime(2026, 12, 6, tzinfo=timezone.utc), rule.HELD),
    # A finished 2019 session is no longer "Theo lịch": held with attendance, unrecorded without.
    (session(DAY1), datetime(2026, 12, 6, tzinfo=timezone.utc), rule.UNRECORDED),
    (session(DAY1, cancelled=True), DAY1 + timedelta(hours=1), rule.CANCELLED),
    (session(DAY1, cancelled=True, attended=True), DAY1, rule.CANCELLED),
    (session(DAY1), DAY1 + HOURS4, rule.UNRECORDED),  # the end is exclusive
])
def test_session_status(facts, as_of, expected):
    assert rule.session_status(facts, as_of) == expected


TWO_DAYS = [session(DAY1), session(DAY2)]
TWO_DAYS_FIRST_HELD = [session(DAY1, attended=True), session(DAY2)]
BOTH_HELD = [session(DAY1, attended=True), session(DAY2, attended=True)]
LAST_CANCELLED = [session(DAY1, attended=True), session(DAY2, cancelled=True)]
LATER = datetime(2026, 12, 6, tzinfo=timezone.utc)


@pytest.mark.parametrize("stored, closed, sessions, as_of, expected", [
    ("planned", False, TWO_DAYS, DAY1 - timedelta(days=1), rule.PLANNED),
    ("confirmed", False, TWO_DAYS, DAY1 - timedelta(days=1), rule.CONFIRMED),
    ("planned", False, [], LATER, rule.PLANNED),
    ("planned", False, TWO_DAYS, DAY1 + timedelta(hours=1), rule.RUNNING),
    ("planned", False, TWO_DAYS_FIRST_HELD, DAY1 + timedelta(hours=10), rule.RUNNING),
    # Checked in during the hour before the start: the class is under way.
    ("confirmed", False, [session(DAY1, attended=True)], DAY1 - timedelta(minutes=30), rule.RUNNING),
    # The finished 2019 class no longer says "Dự kiến".
    ("planned", False, BOTH_HELD, LATER, rule.HELD),
    ("planned", False, TWO_DAYS, LATER, rule.HELD),
    ("planned", False, TWO_DAYS, DAY2 + HOURS4, rule.HELD),
    # Its last session cancelled: held once the first ended.
    ("planned", False, LAST_CANCELLED, DAY1 + timedelta(hours=5), rule.HELD),
    ("planned", True, TWO_DAYS_FIRST_HELD, DAY1 + timedelta(hours=5), rule.CLOSED),
    ("cancelled", False, TWO_DAYS, DAY1 - timedelta(days=1), rule.CANCELLED),
    ("cancelled", True, TWO_DAYS, LATER, rule.CANCELLED),
    ("planned", False, [session(DAY1, cancelled=True)], LATER, rule.PLANNED),
])
def test_class_status(stored, closed, sessions, as_of, expected):
    assert rule.class_status(stored, closed=closed, sessions=sessions, as_of=as_of) == expected


def test_attendance_decides_only_where_the_status_can_turn_on_it():
    """Where attendance_decides says no, class_status is the same whatever the sessions' attendance: every
    combination of stored status, closing, cancelled sessions and as_of around 1-3 sessions (8,000 cases)."""
    import random

    chance = random.Random(22)
    moments = [DAY1 + timedelta(hours=h) for h in (-48, -1, 0, 1, 4, 5, 24, 25, 28, 29, 72)]
    for _ in range(8000):
        sessions = [session(chance.choice(moments), cancelled=chance.random() < 0.3)
                    for _ in range(chance.randint(0, 3))]
        stored, closed, as_of = chance.choice(["planned", "confirmed", "cancelled"]), chance.random() < 0.2, \
            chance.choice(moments) + timedelta(minutes=chance.choice([-1, 0, 1]))
        outcomes = {rule.class_status(stored, closed=closed, as_of=as_of, sessions=[
            SessionFacts(s.starts_at, s.ends_at, s.cancelled, attended) for s, attended in zip(sessions, marks)])
            for marks in ([False] * 3, [True] * 3, [chance.random() < 0.5 for _ in range(3)])}
        if not rule.attendance_decides(stored, closed=closed, sessions=sessions, as_of=as_of):
            assert len(outcomes) == 1, (stored, closed, sessions, as_of)

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

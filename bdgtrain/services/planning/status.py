"""The statuses pages show for classes and sessions, derived (rules.class_status) from their sessions'
times and attendance as of now; only cancelled, closed and confirmed are stored."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...models import Attendance, ClassSession, TrainingClass
from ...rules import class_status as rule
from ...rules.completion import ROLL_CALL
from .lookups import PlanClassRow
from .sessions import sessions_with_roll_call


def _facts(cls: TrainingClass, held: set[int]) -> dict[int, rule.SessionFacts]:
    return {s.id: rule.SessionFacts(s.starts_at, s.ends_at, s.status == "cancelled", s.id in held)
            for s in cls.sessions}


def statuses(classes: Iterable[TrainingClass], as_of: datetime) -> tuple[dict[int, str], dict[int, str]]:
    """(class id -> class status, session id -> session status) for these classes, in one query."""
    classes = list(classes)
    held = sessions_with_roll_call([s.id for c in classes for s in c.sessions])
    by_class, by_session = {}, {}
    for cls in classes:
        facts = _facts(cls, held)
        by_class[cls.id] = rule.class_status(cls.status, closed=cls.is_closed, sessions=list(facts.values()),
                                             as_of=as_of)
        by_session.update({sid: rule.session_status(f, as_of) for sid, f in facts.items()})
    return by_class, by_session


def class_statuses(classes: Iterable[PlanClassRow], as_of: datetime) -> dict[int, str]:
    """class id -> class status for a page of many classes (a plan's 200) read by lookups.plan_class_rows,
    each with the span of its sessions (rule.SessionSpan): the statuses `statuses` gives, with attendance
    asked for only where it decides the status (rule.attendance_decides_for_span: classes not started)."""
    spans = {cls.id: rule.SessionSpan(cls.first_start, cls.last_end) for cls in classes}
    undecided = [cls.id for cls in classes if rule.attendance_decides_for_span(
        cls.status, closed=cls.is_closed, span=spans[cls.id], as_of=as_of)]
    for class_id in _classes_with_roll_call(undecided):
        spans[class_id] = replace(spans[class_id], has_attendance=True)
    return {cls.id: rule.class_status_of_span(cls.status, closed=cls.is_closed, span=spans[cls.id], as_of=as_of)
            for cls in classes}


def _classes_with_roll_call(class_ids: list[int]) -> set[int]:
    """The classes among these one of whose sessions that are not cancelled was held (sessions_with_roll_call)."""
    if not class_ids:
        return set()
    return set(db.session.scalars(
        select(ClassSession.class_id).distinct().join(Attendance, Attendance.session_id == ClassSession.id)
        .where(ClassSession.class_id.in_(class_ids), ClassSession.status != "cancelled",
               Attendance.status.in_(ROLL_CALL))))

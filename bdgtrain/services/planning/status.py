"""The statuses pages show for classes and sessions, derived (rules.class_status) from their sessions'
times and attendance as of now; only cancelled, closed and confirmed are stored."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...models import ClassSession, TrainingClass
from ...rules import class_status as rule
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


def class_statuses(classes: Iterable[TrainingClass], as_of: datetime) -> tuple[dict[int, str], dict[int, int]]:
    """(class id -> class status, class id -> number of sessions) for a page of many classes (a plan's 200):
    the statuses `statuses` gives, with the sessions read as columns in one statement rather than as entities,
    and attendance asked for only where it decides the status (rule.attendance_decides: classes not started)."""
    classes = list(classes)
    facts: dict[int, list[tuple[int, rule.SessionFacts]]] = {cls.id: [] for cls in classes}
    rows = db.session.execute(
        select(ClassSession.class_id, ClassSession.id, ClassSession.starts_at, ClassSession.ends_at,
               ClassSession.status).where(ClassSession.class_id.in_(list(facts))))
    for class_id, session_id, starts_at, ends_at, session_status in rows:
        facts[class_id].append((session_id, rule.SessionFacts(starts_at, ends_at, session_status == "cancelled")))
    undecided = [cls for cls in classes if rule.attendance_decides(
        cls.status, closed=cls.is_closed, sessions=[f for _id, f in facts[cls.id]], as_of=as_of)]
    held = sessions_with_roll_call([session_id for cls in undecided for session_id, _f in facts[cls.id]])
    by_class = {}
    for cls in classes:
        sessions = [replace(f, has_attendance=True) if session_id in held else f for session_id, f in facts[cls.id]]
        by_class[cls.id] = rule.class_status(cls.status, closed=cls.is_closed, sessions=sessions, as_of=as_of)
    return by_class, {class_id: len(found) for class_id, found in facts.items()}

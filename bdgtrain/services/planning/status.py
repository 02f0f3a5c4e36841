"""The statuses pages show for classes and sessions, derived (rules.class_status) from their sessions'
times and attendance as of now; only cancelled, closed and confirmed are stored."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ...models import TrainingClass
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

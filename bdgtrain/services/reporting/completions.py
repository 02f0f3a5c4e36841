"""Stored completions: who completed which class, kept in class_completions so reports need not recount attendance.

The definition is rules/completion.py's, written as SQL once here for both uses: `refresh` stores
the completed enrolments of classes, and the reports (services/reporting/reporting.py) compute the same rows
live for the classes whose stored rows are not valid. A class's rows are valid while its
`completions_as_of` is set; database triggers (migration 0012) clear it on any change that can
alter them, so no code path can leave a stale figure behind. Every completed enrolment is stored,
whether its class counts for the trained share or not: the reports filter that when they read,
so changing a flag or cancelling a class needs no refresh.

Completion ignores the clock (sessions still to come count as held, rules/completion.py), so a
refreshed class stays right until its data changes.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import bindparam, text

from ...extensions import db
from ...models.base import UTCDateTime, utcnow

# The local day of a UTC timestamp. Vietnam keeps UTC+7 all year (no daylight saving).
_LOCAL_OFFSET_HOURS = 7
LOCAL_DAY = {
    "sqlite": f"date(h.last_end, '+{_LOCAL_OFFSET_HOURS} hours')",
    "postgresql": f"CAST(h.last_end + INTERVAL '{_LOCAL_OFFSET_HOURS} hours' AS DATE)",
}

# Each class's held sessions (not cancelled), the last one's end and its completion percent.
HELD = """
held AS (
    SELECT s.class_id, COUNT(*) AS held, MAX(s.ends_at) AS last_end, MAX(c.completion_percent) AS percent
    FROM training_classes c
    JOIN plans p ON p.id = c.plan_id
    JOIN class_sessions s ON s.class_id = c.id
    WHERE s.status <> 'cancelled' AND {classes}
    GROUP BY s.class_id
)"""

# The completed enrolments of the classes in `held`: present or late in at least `percent` of the
# held sessions. One index probe per enrolment (the covering attendances index), driven from the
# classes: few classes are read live, so this never touches the rest of the attendance. `people`
# may restrict it further (a unit's report: its women), never drive it. SQLite keeps the CROSS JOIN's
# order, but an `e.person_id IN (...)` there would still pick the person index for `e`: the caller
# writes `+e.person_id` (trained_share_sql._ONLY_WOMEN). PostgreSQL, which reorders joins, gets the
# enrolments of each class as a LATERAL subquery (OFFSET 0 keeps it one), since it took a unit's
# 54,000 women for the smaller side and probed their enrolments one by one (0.5 s of a city's page,
# for the one class running).
_ENOUGH_MARKS = """100 * (SELECT COUNT(*) FROM attendances a JOIN class_sessions s ON s.id = a.session_id
                 WHERE a.enrolment_id = e.id AND a.status IN ('present', 'late') AND s.status <> 'cancelled'
                   AND s.class_id = e.class_id) >= h.held * h.percent"""
COMPLETED = {
    "sqlite": """
    SELECT {columns}
    FROM held h CROSS JOIN enrolments e
    WHERE e.class_id = h.class_id AND e.status IN ('nominated', 'confirmed'){people}
      AND """ + _ENOUGH_MARKS,
    "postgresql": """
    SELECT {columns}
    FROM held h CROSS JOIN LATERAL (
        SELECT e.id, e.person_id, e.class_id FROM enrolments e
        WHERE e.class_id = h.class_id AND e.status IN ('nominated', 'confirmed') OFFSET 0) e
    WHERE """ + _ENOUGH_MARKS + "{people}",
}

# Refreshing many classes at once (after the upgrade, or `--all`): PostgreSQL hashes the attendance
# and groups it, which beats millions of probes; SQLite (nested loops only) probes per enrolment.
_COMPLETED_MANY = {
    "postgresql": """
    SELECT e.id, e.person_id, e.class_id, {local_day}
    FROM held h
    JOIN enrolments e ON e.class_id = h.class_id
    JOIN attendances a ON a.enrolment_id = e.id
    JOIN class_sessions s ON s.id = a.session_id AND s.class_id = e.class_id
    WHERE a.status IN ('present', 'late') AND s.status <> 'cancelled' AND e.status IN ('nominated', 'confirmed')
    GROUP BY e.id, e.person_id, e.class_id, h.held, h.last_end, h.percent
    HAVING COUNT(*) * 100 >= h.held * h.percent""",
    "sqlite": COMPLETED["sqlite"],
}

# Writers that could slip a change in while a refresh reads (PostgreSQL, READ COMMITTED): their
# triggers would find the class still invalid and do nothing, then the refresh would mark it valid
# without their row. Locking these tables against writes (not reads) for the refresh's few
# milliseconds closes that gap; SQLite has one writer at a time anyway.
_WRITERS = "attendances, enrolments, class_sessions"
_MANY = 200  # classes in one refresh from which the grouping form is used
REFRESH_STEP = _MANY  # classes per transaction of refresh_in_steps: 0.8-0.95 s each on PostgreSQL (20,000 classes)


def refresh(class_ids: Iterable[int] | None = None, *, everything: bool = False) -> int:
    """Recompute the stored completions of `class_ids`, else of every class whose rows are not valid
    (or of every class, `everything`); mark them valid. Flushes, never commits; returns the classes done.

    Call it in a transaction of its own, before other writes (the check-in sweep commits first):
    on PostgreSQL it waits for writers of attendance to finish, and holds them off until commit.
    For more than a few hundred classes use refresh_in_steps, which lets them write in between."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text(f"LOCK TABLE {_WRITERS} IN SHARE ROW EXCLUSIVE MODE"))
    ids = sorted({int(i) for i in class_ids}) if class_ids is not None else classes_to_refresh(everything=everything)
    if not ids:
        return 0
    for start in range(0, len(ids), 5000):  # statements stay a reasonable size
        _refresh_chunk(ids[start:start + 5000], dialect)
    if len(ids) > 1000:
        _analyze()
    return len(ids)


def classes_to_refresh(*, everything: bool = False) -> list[int]:
    """The classes whose stored rows are not valid (every class with `everything`), in id order."""
    return list(db.session.scalars(text("SELECT id FROM training_classes"
                                        + ("" if everything else " WHERE completions_as_of IS NULL")
                                        + " ORDER BY id")))


def refresh_in_steps(*, everything: bool = False, step: int = REFRESH_STEP) -> Iterator[int]:
    """refresh() of the classes to refresh, `step` classes at a time: yields the count of each step, and the
    caller commits before asking for the next. On PostgreSQL each step holds the writers of attendance
    off for its own length only: a province's 20,000 classes in one transaction held a check-in for
    58 s, steps of 200 for under a second (docs/BENCHMARKS.md). Between steps, the classes done are
    valid and the others still computed live by the reports, so the figures are exact at every commit."""
    ids = classes_to_refresh(everything=everything)
    for start in range(0, len(ids), step):
        yield refresh(ids[start:start + step])
    if len(ids) > 1000:
        _analyze()  # once for the whole run, as refresh() does for a large call


def _analyze() -> None:
    if db.engine.dialect.name == "postgresql":
        # The planner's idea of how many classes are invalid drives the reports' plans; a refresh
        # of thousands of classes changes it at once, before autovacuum would notice.
        db.session.execute(text("ANALYZE training_classes"))


def _refresh_chunk(ids: list[int], dialect: str) -> None:
    listed = ", ".join(str(i) for i in ids)
    db.session.execute(text(f"UPDATE training_classes SET completions_as_of = :now WHERE id IN ({listed})")
                       .bindparams(bindparam("now", utcnow(), type_=UTCDateTime)))
    db.session.execute(text(f"DELETE FROM class_completions WHERE class_id IN ({listed})"))
    completed = (_COMPLETED_MANY if len(ids) > _MANY else COMPLETED)[dialect].format(
        columns=f"e.id, e.person_id, e.class_id, {LOCAL_DAY[dialect]}", local_day=LOCAL_DAY[dialect], people="")
    db.session.execute(text("WITH " + HELD.format(classes=f"c.id IN ({listed})") + "\n"
                            "INSERT INTO class_completions (enrolment_id, person_id, class_id, done_on)" + completed))


def invalid_classes() -> int:
    """How many classes the reports compute live (their stored rows are not valid)."""
    return db.session.scalar(text("SELECT COUNT(*) FROM training_classes WHERE completions_as_of IS NULL")) or 0


__all__ = ["COMPLETED", "HELD", "LOCAL_DAY", "REFRESH_STEP", "classes_to_refresh", "invalid_classes", "refresh",
           "refresh_in_steps"]

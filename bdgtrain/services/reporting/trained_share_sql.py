"""The trained share's statements: the SQL of compute_trained_share and province_totals
(services/reporting/reporting.py), and how it is put together for a day, a window and the unit tree's
(unit, reported unit) pairs, per database.

The definitions are rules/trained_share.py's (docs/MEASURES.md): an entry counts from the day she
joined until the day before she left and never after its cycle's last day; she is trained when a
qualifying training (a completed class that counts, or training outside the system that counts) falls
in her entry's window; each person counts once per reported unit and once in the province.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, bindparam, text

from ...extensions import db
from ...models.planning import COUNTED_PLAN_SQL
from .completions import COMPLETED, HELD, LOCAL_DAY

# Qualifying training: completed classes that count (their plan and the class say so, the class is
# not cancelled), dated by the local day of their last held session; and training outside the
# system that counts and has ended. Completions are read from class_completions for the classes
# whose stored rows are valid, and computed from attendance (services/reporting/completions.py, the same
# definition) for the others: the classes running now or changed since the last refresh. So the
# figures are always those of the data as it is, and the attendance read is that of a few classes.
COUNTS = ("c.status <> 'cancelled' AND c.counts_for_trained_share AND p.counts_for_trained_share AND "
           + COUNTED_PLAN_SQL)
_DONE = """
done AS MATERIALIZED (
{stored}
    UNION ALL{live}
    UNION ALL
    SELECT x.person_id, x.ended_on FROM external_trainings x
    WHERE x.counts_towards_measures AND x.ended_on IS NOT NULL{people_x}
)"""
_ALL_PEOPLE = {"stored": """    SELECT k.person_id, k.done_on
    FROM class_completions k
    JOIN training_classes c ON c.id = k.class_id
    JOIN plans p ON p.id = c.plan_id
    WHERE c.completions_as_of IS NOT NULL AND """ + COUNTS, "people": "", "people_x": ""}
# For one unit's report, only the training of the women in its pool is read, from her person id
# (CROSS JOIN keeps that order on SQLite, which has no statistics about `women`), each completion
# checked against the set of the valid classes that count, made once (a hash probe), rather than by
# reading its class and plan (two index probes each: 0.2 s of a city's report on PostgreSQL).
_WOMEN = """
women AS (SELECT DISTINCT person_id FROM entries WHERE sex = 'F'),
counting AS MATERIALIZED (
    SELECT c.id FROM training_classes c JOIN plans p ON p.id = c.plan_id
    WHERE c.completions_as_of IS NOT NULL AND """ + COUNTS + """
)"""
_ONLY_WOMEN = {"stored": """    SELECT k.person_id, k.done_on
    FROM women w CROSS JOIN class_completions k
    WHERE k.person_id = w.person_id AND k.class_id IN (SELECT id FROM counting)""",
               # The classes read live restrict their enrolments to the unit's women; the unary + keeps SQLite from
               # probing the person index once per woman and class instead (20 classes: 1.1 s of a city's page).
               "people": "\n      AND +e.person_id IN (SELECT person_id FROM women)",
               "people_x": " AND x.person_id IN (SELECT person_id FROM women)"}

# An entry counts from the day she joined until the day before she left, and never after its
# cycle's last day (an entry ends with its cycle unless it is carried into the next: a new entry).
COUNTING = ("pe.added_on <= :as_of AND (pe.left_on IS NULL OR pe.left_on > :as_of) "
             "AND pe.cycle_ends_on >= :as_of")

# The counting entries, each marked trained when a qualifying training falls in her window (the
# figures below count each person once, so duplicates do no harm). PostgreSQL hashes a join and
# groups it (a subquery per entry would run once per entry); SQLite probes an index on `done` per entry.
# A unit's report also carries each member's name sort key ({key}), read with her sex, for its page
# of untrained women (reading people again for those women cost 0.24 s of a city's report on PostgreSQL).
_ENTRIES = """
entries AS (
    SELECT pe.person_id, pe.organisation_id AS unit_id, pp.sex{key}, {start} AS starts_on, {end} AS ends_on
    FROM pool_entries pe JOIN people pp ON pp.id = pe.person_id
    WHERE {counting}
)"""
# A unit's entries on PostgreSQL: each person's sex and sort key by one primary-key probe (OFFSET 0
# keeps the lateral subquery a probe), in person order, so that the probes walk the table's pages
# in order instead of at random (0.1 s of a city's 0.85 s). Joined, the planner hashed the subtree's
# entries and scanned all 1.1 million people against them (1.5 s of a unit's 5 s at full size); a
# probe each costs a few microseconds for its ~100,000 entries.
_SUBTREE_ENTRIES_PG = """
entries AS (
    SELECT pe.person_id, pe.unit_id, pp.sex{key}, pe.starts_on, pe.ends_on
    FROM (SELECT pe.person_id, pe.organisation_id AS unit_id, {start} AS starts_on, {end} AS ends_on
          FROM pool_entries pe WHERE {counting} ORDER BY pe.person_id OFFSET 0) pe
    CROSS JOIN LATERAL (SELECT p1.sex, p1.name_sort_key FROM people p1 WHERE p1.id = pe.person_id OFFSET 0) pp
)"""
_MEMBERS = {
    "postgresql": """
members AS MATERIALIZED (
    SELECT en.person_id, en.unit_id, en.sex{key}, MAX(CASE WHEN d.person_id IS NULL THEN 0 ELSE 1 END) AS trained
    FROM entries en LEFT JOIN done d ON en.sex = 'F' AND d.person_id = en.person_id
         AND d.done_on >= en.starts_on AND d.done_on <= en.ends_on AND d.done_on <= :as_of
    GROUP BY en.person_id, en.unit_id, en.sex{key}
)""",
    "sqlite": """
members AS MATERIALIZED (
    SELECT en.person_id, en.unit_id, en.sex{key},
           CASE WHEN en.sex = 'F' AND EXISTS (
               SELECT 1 FROM done d WHERE d.person_id = en.person_id
                 AND d.done_on >= en.starts_on AND d.done_on <= en.ends_on AND d.done_on <= :as_of)
           THEN 1 ELSE 0 END AS trained
    FROM entries en
)""",
}

# Each person once per reported unit (and once in the province), then counted. Most people are members
# of one unit only (each of her entries in the same unit): she counts once in every reported unit above
# it, so those are counted per unit and the units' counts added up along the closure (43 units' rows
# instead of grouping 200,000 (reported unit, person) pairs: 0.33 s to 0.22 s of the province's report
# at 100,000 entries on SQLite). Only the people in several units are grouped per reported unit as
# before; the two sets are disjoint, so a reported unit's figure is the sum of its rows (at most two).
_PER_PERSON = """,
per_person AS MATERIALIZED (
    SELECT m.person_id, m.sex, MAX(m.trained) AS trained, MIN(m.unit_id) AS low, MAX(m.unit_id) AS high
    FROM members m GROUP BY m.person_id, m.sex
)
"""
_ONE_UNIT = """SELECT c.report_id, SUM(u.pool) AS pool, SUM(u.women) AS women, SUM(u.trained) AS trained
FROM (SELECT low AS unit_id, COUNT(*) AS pool, SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) AS women,
             SUM(trained) AS trained
      FROM per_person WHERE low = high GROUP BY low) u
JOIN closure c ON c.unit_id = u.unit_id{other}
GROUP BY c.report_id
UNION ALL
SELECT report_id, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
FROM (SELECT c.report_id, m.person_id, m.sex, MAX(m.trained) AS trained
      FROM members m JOIN closure c ON c.unit_id = m.unit_id{other}
      WHERE m.person_id IN (SELECT person_id FROM per_person WHERE low <> high)
      GROUP BY c.report_id, m.person_id, m.sex) several
GROUP BY report_id"""

# The province's figures come in two statements. Who is in the pool (each reported unit's pool and women)
# depends only on the pool entries, people's sex and the day, and is most of the work (every counting entry
# read with her person: 0.1 s at 100,000 entries on PostgreSQL): reporting.py keeps those counts under the
# pool's stamp (migration 0035) and counts them again only when the pool has changed. Who is trained is
# counted on every report, from the qualifying training (`done`, thousands of rows) and the pool entries of
# those people alone (_POOL_FIGURES, _TRAINED_FIGURES). Each person counts once per reported unit and once in
# the province in both: tests/services/test_reporting.py holds the two to the grouping of every
# (reported unit, person) pair of `members` (with_clause).
#
# The pool: people with one pool entry in all (`several` is the others, from the person index without a sort;
# a superset of those counting in several units) are counted per unit straight from the pool, in person order
# (so that each row of `people` is read once, in order); only the others are read as members and grouped per
# person. On SQLite, which has no hash join, reading every entry as a member to group it cost 0.28 s at 100,000
# entries against 0.16 s this way.
_POOL_FIGURES = """
several AS MATERIALIZED (SELECT person_id FROM pool_entries GROUP BY person_id HAVING COUNT(*) > 1),
members AS MATERIALIZED (
    SELECT pe.person_id, pe.organisation_id AS unit_id, pp.sex
    FROM several s CROSS JOIN pool_entries pe CROSS JOIN people pp
    WHERE pe.person_id = s.person_id AND pp.id = pe.person_id AND {counting}
),
per_person AS MATERIALIZED (
    SELECT m.person_id, m.sex, MIN(m.unit_id) AS low, MAX(m.unit_id) AS high
    FROM members m GROUP BY m.person_id, m.sex
),
by_unit AS MATERIALIZED (
    SELECT pe.organisation_id AS unit_id, COUNT(*) AS pool, SUM(CASE WHEN pp.sex = 'F' THEN 1 ELSE 0 END) AS women
    FROM pool_entries pe{indexed} CROSS JOIN people pp
    WHERE pp.id = pe.person_id AND {counting} AND pe.person_id NOT IN (SELECT person_id FROM several)
    GROUP BY pe.organisation_id
    UNION ALL
    SELECT low, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END)
    FROM per_person WHERE low = high GROUP BY low
)
SELECT c.report_id, SUM(u.pool), SUM(u.women)
FROM by_unit u JOIN closure c ON c.unit_id = u.unit_id
GROUP BY c.report_id
UNION ALL
SELECT report_id, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END)
FROM (SELECT DISTINCT c.report_id, m.person_id, m.sex
      FROM members m JOIN closure c ON c.unit_id = m.unit_id
      WHERE m.person_id IN (SELECT person_id FROM per_person WHERE low <> high)) in_several_units
GROUP BY report_id
UNION ALL
SELECT NULL, SUM(pool), SUM(women) FROM by_unit
UNION ALL
SELECT NULL, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) FROM per_person WHERE low <> high"""

# The trained: the (person, unit) pairs of women with a qualifying training in the window of a counting entry
# of theirs at that unit, found from the training's side (each a probe of the pool by person, then of her
# person), then each woman once per reported unit above any of her trained pairs, and once in the province.
_TRAINED_FIGURES = """,
trained_at AS MATERIALIZED (
    SELECT DISTINCT pe.person_id, pe.organisation_id AS unit_id
    FROM done d CROSS JOIN pool_entries pe CROSS JOIN people pp
    WHERE pe.person_id = d.person_id AND pp.id = pe.person_id AND pp.sex = 'F' AND {counting}
      AND d.done_on >= {start} AND d.done_on <= {end} AND d.done_on <= :as_of
)
SELECT c.report_id, COUNT(DISTINCT t.person_id)
FROM trained_at t JOIN closure c ON c.unit_id = t.unit_id
GROUP BY c.report_id
UNION ALL
SELECT NULL, COUNT(DISTINCT person_id) FROM trained_at"""


def dated(statement, **values):
    """`statement` with its day values bound as dates (SQLite compares them as ISO text)."""
    return statement.bindparams(*(bindparam(name, value, type_=Date) for name, value in values.items()))


def day_values(as_of: date, window: tuple[date, date] | None) -> dict:
    """The statements' values for `as_of` and, when given, the counting window's first and last day."""
    values = {"as_of": as_of}
    if window:
        values.update(start=window[0], end=window[1])
    return values


def closure_of(pairs) -> str:
    """The table `closure` of (unit, reported unit counting it) pairs, made once per report (the province's
    two statements share it): the text of its WITH entry on PostgreSQL, where the ids are written into the
    statement as numbers; empty on SQLite, which gets them in an indexed temporary table `closure` (this
    connection's own; no write lock on the database): joined to a VALUES list at a million pool entries it
    compared every member with every pair (hours); with the index it probes once per member."""
    pairs = [(-1, -1), *pairs]
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("CREATE TEMP TABLE IF NOT EXISTS closure (unit_id INTEGER NOT NULL, "
                                "report_id INTEGER NOT NULL)"))
        db.session.execute(text("CREATE INDEX IF NOT EXISTS temp.ix_closure_unit ON closure (unit_id, report_id)"))
        db.session.execute(text("DELETE FROM temp.closure"))
        db.session.execute(text("INSERT INTO temp.closure (unit_id, report_id) VALUES (:u, :r)"),
                           [{"u": int(u), "r": int(r)} for u, r in pairs])
        return ""
    return "closure(unit_id, report_id) AS (VALUES " + ", ".join(f"({int(u)}, {int(r)})" for u, r in pairs) + ")"


def with_clause(window: tuple[date, date] | None, pairs, *, only_closure_units: bool = False) -> str:
    """The WITH clause (done, members, closure of the (unit, reported unit) `pairs`); `members` is
    restricted to the units of the pairs when asked (a unit's report), else it holds the whole pool."""
    dialect = db.engine.dialect.name
    closure = closure_of(pairs)
    start, end = ("CAST(:start AS DATE)", "CAST(:end AS DATE)") if window else ("pe.cycle_starts_on",
                                                                                "pe.cycle_ends_on")
    if dialect == "sqlite":
        start, end = (":start", ":end") if window else (start, end)
    counting = COUNTING
    if only_closure_units and dialect == "postgresql":
        # The ids themselves: PostgreSQL estimates a list it can read (index scans for a district),
        # not a subquery over VALUES (it guessed a third of the pool and scanned it all).
        counting += " AND pe.organisation_id IN (" + ", ".join(str(u) for u in sorted({int(u) for u, _ in pairs}
                                                                                       | {-1})) + ")"
    elif only_closure_units:
        counting += " AND pe.organisation_id IN (SELECT unit_id FROM closure)"
    people = _ONLY_WOMEN if only_closure_units else _ALL_PEOPLE
    live = COMPLETED[dialect].format(columns=f"e.person_id, {LOCAL_DAY[dialect]}", people=people["people"])
    done = _DONE.format(live=live, **people)
    held = HELD.format(classes="c.completions_as_of IS NULL AND " + COUNTS)
    entries = _SUBTREE_ENTRIES_PG if only_closure_units and dialect == "postgresql" else _ENTRIES
    key = ", pp.name_sort_key" if only_closure_units else ""
    return ("WITH " + (closure + "," if closure else "")
            + entries.format(start=start, end=end, counting=counting, key=key)
            + "," + (_WOMEN + "," if only_closure_units else "") + held + "," + done + ","
            + _MEMBERS[dialect].format(key=key.replace("pp.", "en.")) + "\n")


def pool_statement(closure: str) -> str:
    """Each reported unit's pool and women and the province's (report_id NULL), on `:as_of`."""
    indexed = " INDEXED BY ix_pool_entries_person_counting" if db.engine.dialect.name == "sqlite" else ""
    return "WITH " + (closure + "," if closure else "") + _POOL_FIGURES.format(counting=COUNTING, indexed=indexed)


def trained_statement(window: tuple[date, date] | None, closure: str) -> str:
    """Each reported unit's trained women and the province's (report_id NULL), on `:as_of` in `window` (each
    entry's own cycle when None)."""
    dialect = db.engine.dialect.name
    if window:
        start, end = (":start", ":end") if dialect == "sqlite" else ("CAST(:start AS DATE)", "CAST(:end AS DATE)")
    else:
        start, end = "pe.cycle_starts_on", "pe.cycle_ends_on"
    live = COMPLETED[dialect].format(columns=f"e.person_id, {LOCAL_DAY[dialect]}", people="")
    held = HELD.format(classes="c.completions_as_of IS NULL AND " + COUNTS)
    return ("WITH " + (closure + "," if closure else "") + held + "," + _DONE.format(live=live, **_ALL_PEOPLE)
            + _TRAINED_FIGURES.format(counting=COUNTING, start=start, end=end))


# A unit's figures: its children's, then its own (`members` is its subtree, so it needs no closure
# to group everyone once; joining each member to her root pair too doubled the grouping).
SUBTREE_FIGURES = (_PER_PERSON + "SELECT 0, report_id, pool, women, trained, CAST(NULL AS VARCHAR(255)) FROM (\n"
                    + _ONE_UNIT.format(other=" AND c.report_id <> :root") + """) children
UNION ALL
SELECT 0, :root, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained), CAST(NULL AS VARCHAR(255))
FROM per_person""")
# The same and, in the same statement, a page of its untrained women in Vietnamese name order
# (person, the unit of her entry, her sort key): the subtree is worked out once for all three.
SUBTREE_FIGURES_AND_PAGE = SUBTREE_FIGURES + """
UNION ALL
SELECT 1, person_id, unit_id, 0, 0, name_sort_key FROM (
    SELECT m.person_id, MIN(m.unit_id) AS unit_id, m.name_sort_key
    FROM members m
    WHERE m.sex = 'F'
    GROUP BY m.person_id, m.name_sort_key
    HAVING MAX(m.trained) = 0
    ORDER BY m.name_sort_key, m.person_id
    LIMIT :limit OFFSET :offset) page"""


# The province's figure on several days in one statement (the trend chart): each day is a row of `days`
# (its as-of day and its window, NULL for each entry's own cycle), each counting entry is read once per
# day it counts on, and the figures are those of compute_trained_share's `total` (everyone once; the
# unit tree plays no part in it, so no closure is built).
_DAY_ENTRIES = """
entries AS (
    SELECT d.n, d.as_of, pe.person_id, pp.sex, COALESCE(d.starts_on, pe.cycle_starts_on) AS starts_on,
           COALESCE(d.ends_on, pe.cycle_ends_on) AS ends_on
    FROM days d JOIN pool_entries pe ON pe.added_on <= d.as_of AND (pe.left_on IS NULL OR pe.left_on > d.as_of)
         AND pe.cycle_ends_on >= d.as_of
    JOIN people pp ON pp.id = pe.person_id
)"""
_DAY_MEMBERS = {
    "postgresql": """
members AS MATERIALIZED (
    SELECT en.n, en.person_id, en.sex, MAX(CASE WHEN d.person_id IS NULL THEN 0 ELSE 1 END) AS trained
    FROM entries en LEFT JOIN done d ON en.sex = 'F' AND d.person_id = en.person_id
         AND d.done_on >= en.starts_on AND d.done_on <= en.ends_on AND d.done_on <= en.as_of
    GROUP BY en.n, en.person_id, en.sex
)""",
    "sqlite": """
members AS MATERIALIZED (
    SELECT en.n, en.person_id, en.sex,
           CASE WHEN en.sex = 'F' AND EXISTS (
               SELECT 1 FROM done d WHERE d.person_id = en.person_id
                 AND d.done_on >= en.starts_on AND d.done_on <= en.ends_on AND d.done_on <= en.as_of)
           THEN 1 ELSE 0 END AS trained
    FROM entries en
)""",
}
_DAY_FIGURES = """SELECT n, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
FROM (SELECT m.n, m.person_id, m.sex, MAX(m.trained) AS trained FROM members m
      GROUP BY m.n, m.person_id, m.sex) everyone
GROUP BY n"""


def subtree_statement(window: tuple[date, date] | None, pairs, *, with_page: bool) -> str:
    """A unit's figures and its children's, with a page of its untrained women when asked."""
    return with_clause(window, pairs, only_closure_units=True) + (SUBTREE_FIGURES_AND_PAGE if with_page
                                                                  else SUBTREE_FIGURES)


def days_statement(days: list[tuple[date, tuple[date, date] | None]]) -> tuple[str, dict]:
    """The province's figures on each (as-of day, window) of `days` in one statement, and its values."""
    dialect = db.engine.dialect.name
    cast = (lambda name: f"CAST(:{name} AS DATE)") if dialect == "postgresql" else (lambda name: f":{name}")
    rows, values = [], {}
    for n, (as_of, window) in enumerate(days):
        values[f"as_of_{n}"] = as_of
        values[f"start_{n}"], values[f"end_{n}"] = window or (None, None)
        rows.append(f"({n}, {cast(f'as_of_{n}')}, {cast(f'start_{n}')}, {cast(f'end_{n}')})")
    head = ("WITH days(n, as_of, starts_on, ends_on) AS (VALUES " + ", ".join(rows) + "),"
            + _DAY_ENTRIES + "," + HELD.format(classes="c.completions_as_of IS NULL AND " + COUNTS) + ","
            + _DONE.format(live=COMPLETED[dialect].format(columns=f"e.person_id, {LOCAL_DAY[dialect]}", people=""),
                           **_ALL_PEOPLE)
            + "," + _DAY_MEMBERS[dialect] + "\n")
    return head + _DAY_FIGURES, values

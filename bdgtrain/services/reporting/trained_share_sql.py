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
# The province's figures from `by_unit` (the people of one unit, counted per unit), `per_person` and `members`
# (the people of several units), each reported unit's and the province's (report_id NULL).
_PROVINCE_SELECT = """SELECT c.report_id, SUM(u.pool) AS pool, SUM(u.women) AS women, SUM(u.trained) AS trained
FROM by_unit u JOIN closure c ON c.unit_id = u.unit_id
GROUP BY c.report_id
UNION ALL
SELECT report_id, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
FROM (SELECT c.report_id, m.person_id, m.sex, MAX(m.trained) AS trained
      FROM members m JOIN closure c ON c.unit_id = m.unit_id
      WHERE m.person_id IN (SELECT person_id FROM per_person WHERE low <> high)
      GROUP BY c.report_id, m.person_id, m.sex) in_several_units
GROUP BY report_id
UNION ALL
SELECT NULL, SUM(pool), SUM(women), SUM(trained) FROM by_unit
UNION ALL
SELECT NULL, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained) FROM per_person WHERE low <> high"""

# The province's report reads the whole pool anyway: people with one pool entry in all (`several` is
# the others, from the person index without a sort; a superset of those counting in several units)
# are counted per unit straight from `members`, without grouping them per person first (0.22 s to
# 0.15 s at 100,000 entries on SQLite); only the others are grouped per person, as above. A unit's report
# (SUBTREE_FIGURES) groups its subtree's members per person instead of reading the whole pool.
_FIGURES = """,
several AS MATERIALIZED (SELECT person_id FROM pool_entries GROUP BY person_id HAVING COUNT(*) > 1),
per_person AS MATERIALIZED (
    SELECT m.person_id, m.sex, MAX(m.trained) AS trained, MIN(m.unit_id) AS low, MAX(m.unit_id) AS high
    FROM members m WHERE m.person_id IN (SELECT person_id FROM several) GROUP BY m.person_id, m.sex
),
by_unit AS MATERIALIZED (
    SELECT m.unit_id, COUNT(*) AS pool, SUM(CASE WHEN m.sex = 'F' THEN 1 ELSE 0 END) AS women,
           SUM(m.trained) AS trained
    FROM members m WHERE m.person_id NOT IN (SELECT person_id FROM several) GROUP BY m.unit_id
    UNION ALL
    SELECT low, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
    FROM per_person WHERE low = high GROUP BY low
)
""" + _PROVINCE_SELECT

# The province's report on SQLite, which has no hash join: `members` above is 100,000 rows written and read
# again, each with a probe of `done`. Here only the people in several pool entries (`several`) are read as
# members; everyone else is counted per unit straight from the pool in person order (so that each row of
# `people` is read once, in order; grouped by unit through the unit index it was read at random), and her
# training is found from the other side: the trained (person, unit) pairs come from `done` (thousands of rows),
# each probing the pool by person, rather than a probe of `done` for each of the 100,000 entries. The figures
# are _FIGURES' (tests/services/test_reporting.py holds both to the rule and to the per-person grouping):
# a person of one pool entry in all is trained at her unit exactly when her (person, unit) pair is trained,
# and a member's MAX(trained) per unit, person or reported unit is the same over her units' pairs.
# 0.28 s to 0.16 s (CPU, a shared machine) of the province's statement at 100,000 entries (issue 22).
_PROVINCE_FIGURES_SQLITE = """,
several AS MATERIALIZED (SELECT person_id FROM pool_entries GROUP BY person_id HAVING COUNT(*) > 1),
trained_at AS MATERIALIZED (
    SELECT DISTINCT pe.person_id, pe.organisation_id AS unit_id
    FROM done d CROSS JOIN pool_entries pe CROSS JOIN people pp
    WHERE pe.person_id = d.person_id AND pp.id = pe.person_id AND pp.sex = 'F' AND {counting}
      AND d.done_on >= {start} AND d.done_on <= {end} AND d.done_on <= :as_of
),
members AS MATERIALIZED (
    SELECT pe.person_id, pe.organisation_id AS unit_id, pp.sex,
           CASE WHEN EXISTS (SELECT 1 FROM trained_at t WHERE t.person_id = pe.person_id
                                                           AND t.unit_id = pe.organisation_id)
           THEN 1 ELSE 0 END AS trained
    FROM several s CROSS JOIN pool_entries pe CROSS JOIN people pp
    WHERE pe.person_id = s.person_id AND pp.id = pe.person_id AND {counting}
),
per_person AS MATERIALIZED (
    SELECT m.person_id, m.sex, MAX(m.trained) AS trained, MIN(m.unit_id) AS low, MAX(m.unit_id) AS high
    FROM members m GROUP BY m.person_id, m.sex
),
by_unit AS MATERIALIZED (
    SELECT pe.organisation_id AS unit_id, COUNT(*) AS pool, SUM(CASE WHEN pp.sex = 'F' THEN 1 ELSE 0 END) AS women,
           0 AS trained
    FROM pool_entries pe INDEXED BY ix_pool_entries_person_counting CROSS JOIN people pp
    WHERE pp.id = pe.person_id AND {counting} AND pe.person_id NOT IN (SELECT person_id FROM several)
    GROUP BY pe.organisation_id
    UNION ALL
    SELECT unit_id, 0, 0, COUNT(*) FROM trained_at WHERE person_id NOT IN (SELECT person_id FROM several)
    GROUP BY unit_id
    UNION ALL
    SELECT low, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
    FROM per_person WHERE low = high GROUP BY low
)
""" + _PROVINCE_SELECT


def dated(statement, **values):
    """`statement` with its day values bound as dates (SQLite compares them as ISO text)."""
    return statement.bindparams(*(bindparam(name, value, type_=Date) for name, value in values.items()))


def day_values(as_of: date, window: tuple[date, date] | None) -> dict:
    """The statements' values for `as_of` and, when given, the counting window's first and last day."""
    values = {"as_of": as_of}
    if window:
        values.update(start=window[0], end=window[1])
    return values


def _closure(pairs) -> str:
    """(unit, reported unit counting it) pairs: ids only, so on PostgreSQL they are written into the
    statement as numbers. SQLite gets them in an indexed temporary table `closure` (this connection's
    own; no write lock on the database): joined to a VALUES list at a million pool entries it
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
    closure = _closure(pairs)
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


def pairs_province_statement(window: tuple[date, date] | None, pairs) -> str:
    """The province's figures on SQLite (_PROVINCE_FIGURES_SQLITE): the closure of `pairs` in its temporary
    table, the qualifying training (`done`) as _with reads it for the whole pool, then the figures."""
    _closure(pairs)
    start, end = (":start", ":end") if window else ("pe.cycle_starts_on", "pe.cycle_ends_on")
    live = COMPLETED["sqlite"].format(columns=f"e.person_id, {LOCAL_DAY['sqlite']}", people="")
    held = HELD.format(classes="c.completions_as_of IS NULL AND " + COUNTS)
    return ("WITH " + held + "," + _DONE.format(live=live, **_ALL_PEOPLE)
            + _PROVINCE_FIGURES_SQLITE.format(counting=COUNTING, start=start, end=end))


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


def members_province_statement(window: tuple[date, date] | None, pairs) -> str:
    """The province's figures from `members` (every counting entry, marked trained), PostgreSQL's way."""
    return with_clause(window, pairs) + _FIGURES


def province_statement(window: tuple[date, date] | None, pairs) -> str:
    """Every reported unit's figures and the province's (report_id NULL), the statement of this database."""
    if db.engine.dialect.name == "sqlite":
        return pairs_province_statement(window, pairs)
    return members_province_statement(window, pairs)


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

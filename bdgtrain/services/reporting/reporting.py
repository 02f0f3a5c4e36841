"""The measures from the database: the trained share of women in the planning pool, per unit.

The same definitions as rules/trained_share.py (docs/MEASURES.md), counted by the database: one
aggregate statement whatever the size of the pool, never a query per person. The unit tree of the
as-of date is built in Python by the rule (units number in the thousands, people in the millions)
and handed to the statement as a table of (unit, reported unit above it) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Date, bindparam, text

from ...extensions import db
from ...models.planning import COUNTED_PLAN_SQL
from ...rules.trained_share import Figure, Report, Snapshot, Unit, snapshot, today_successor
from .completions import COMPLETED, HELD, LOCAL_DAY

# Qualifying training: completed classes that count (their plan and the class say so, the class is
# not cancelled), dated by the local day of their last held session; and training outside the
# system that counts and has ended. Completions are read from class_completions for the classes
# whose stored rows are valid, and computed from attendance (services/reporting/completions.py, the same
# definition) for the others: the classes running now or changed since the last refresh. So the
# figures are always those of the data as it is, and the attendance read is that of a few classes.
_COUNTS = ("c.status <> 'cancelled' AND c.counts_for_trained_share AND p.counts_for_trained_share AND "
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
    WHERE c.completions_as_of IS NOT NULL AND """ + _COUNTS, "people": "", "people_x": ""}
# For one unit's report, only the training of the women in its pool is read, from her person id
# (CROSS JOIN keeps that order on SQLite, which has no statistics about `women`), each completion
# checked against the set of the valid classes that count, made once (a hash probe), rather than by
# reading its class and plan (two index probes each: 0.2 s of a city's report on PostgreSQL).
_WOMEN = """
women AS (SELECT DISTINCT person_id FROM entries WHERE sex = 'F'),
counting AS MATERIALIZED (
    SELECT c.id FROM training_classes c JOIN plans p ON p.id = c.plan_id
    WHERE c.completions_as_of IS NOT NULL AND """ + _COUNTS + """
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
_COUNTING = ("pe.added_on <= :as_of AND (pe.left_on IS NULL OR pe.left_on > :as_of) "
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
# (_SUBTREE_FIGURES) groups its subtree's members per person instead of reading the whole pool.
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


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str  # the name of the report's as-of day
    valid_to: date | None


# The units, their dated periods (parent and name) and their successors, in one statement: every
# report reads them (unless kept), and each more statement is paid by every page.
_UNITS = ("SELECT id, code, name, parent_id, valid_from, valid_to, successor_id, 0 AS kind FROM organisations "
          "UNION ALL SELECT organisation_id, NULL, name, parent_id, valid_from, NULL, NULL, 1 "
          "FROM organisation_periods "
          "UNION ALL SELECT organisation_id, NULL, NULL, NULL, NULL, NULL, successor_id, 2 "
          "FROM organisation_successors")


def _units() -> tuple[list[Unit], dict[int, UnitInfo]]:
    # Plain rows, dates read here: through the ORM's typed columns the 10,000 units of a province
    # took 0.14-0.24 s to load on SQLite (its date strings parsed by a regular expression each), as
    # plain rows 0.01-0.02 s, and every report page loads them.
    rows = db.session.execute(text(_UNITS)).all()
    plain, info = [], {}
    periods: dict[int, list] = {}
    successors: dict[int, list[int]] = {}
    for unit_id, code, name, parent_id, valid_from, valid_to, successor_id, kind in rows:
        if kind == 0:
            plain.append((unit_id, parent_id, _as_date(valid_from), _as_date(valid_to), successor_id))
            info[unit_id] = UnitInfo(unit_id, code, name, _as_date(valid_to))
        elif kind == 1:
            periods.setdefault(unit_id, []).append((_as_date(valid_from), parent_id, name))
        else:
            successors.setdefault(unit_id, []).append(successor_id)
    units = []
    for unit_id, parent_id, valid_from, valid_to, successor_id in plain:
        history = sorted(periods.get(unit_id, ()), key=lambda p: (p[0] is not None, p[0] or date.min))
        # One period (most units) says what the unit's own row says: no history to carry.
        dated = len(history) > 1
        units.append(Unit(unit_id, parent_id, valid_from, valid_to, successor_id,
                          parents=tuple((since, parent) for since, parent, _ in history) if dated else (),
                          names=tuple((since, name) for since, _, name in history) if dated else (),
                          successors=tuple(successors.get(unit_id, ()))))
    return units, info


def _named_on(units: list[Unit], info: dict[int, UnitInfo], as_of: date) -> dict[int, UnitInfo]:
    """The units' information with the names of `as_of` (only renamed units differ from today's)."""
    renamed = {u.id: u.name_on(as_of, info[u.id].name) for u in units if u.names}
    if not any(info[u].name != name for u, name in renamed.items()):
        return info
    return {**info, **{u: replace(info[u], name=name) for u, name in renamed.items() if info[u].name != name}}


def _as_date(value) -> date | None:
    """A DATE column read as a plain value: a date (PostgreSQL) or its ISO text (SQLite)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _dates(statement, **values):
    return statement.bindparams(*(bindparam(name, value, type_=Date) for name, value in values.items()))


# The units and the trees built from them, kept in each process for as long as the organisations
# table stays as it is (_organisations_version): every report page needs them, building them from
# 10,000 units cost 0.15-0.2 s of a unit's page, and a province changes its units a few times a year.
# The units holding members (the pool's side) are read every time and are part of a tree's key.
_UNITS_KEPT: dict[tuple, tuple] = {}
_TREES_KEPT: dict[tuple, Snapshot] = {}
_TREES_KEPT_MAX = 16  # a tree of 10,000 units is a few MB; a unit's page with its chart needs about 8 days


def _organisations_version() -> tuple:
    """Changes whenever a unit, one of its periods or successors is added, removed, or changed through the
    ORM (which sets updated_at; the services also touch the unit); with the database's address, as one
    process may talk to two (the tests do)."""
    row = db.session.execute(text(
        "SELECT COUNT(*), MAX(updated_at), MAX(id), "
        "(SELECT COUNT(*) FROM organisation_periods), (SELECT MAX(updated_at) FROM organisation_periods), "
        "(SELECT MAX(id) FROM organisation_periods), "
        "(SELECT COUNT(*) FROM organisation_successors), (SELECT MAX(id) FROM organisation_successors) "
        "FROM organisations")).one()
    return (str(db.engine.url), *(str(value) for value in row))


def _tree(as_of: date, fold_successors: bool):
    """The units (one statement, none while kept), their information with the names of `as_of`, the
    units holding members on `as_of` (one more) and the tree of that day.

    Only the units the tree would otherwise leave out (not active that day, or folded into a
    successor) are asked about, each with one index probe: scanning the whole pool for the units
    holding members took seconds at a million entries."""
    version = _organisations_version()
    kept = _UNITS_KEPT.get(version)
    if kept is None:
        _UNITS_KEPT.clear()  # only the current version is of any use
        kept = _UNITS_KEPT[version] = (*_units(), {}, {})
    units, info, unsure_of, names_of = kept
    named = names_of.get(as_of)
    if named is None:
        named = names_of[as_of] = _named_on(units, info, as_of)
    unsure = unsure_of.get((as_of, fold_successors))
    if unsure is None:
        by_id = {u.id: u for u in units}
        unsure = unsure_of[as_of, fold_successors] = tuple(
            u.id for u in units if not u.active_on(as_of) or (fold_successors and today_successor(by_id, u.id) != u.id))
    with_members = tuple(db.session.scalars(_dates(text(
        "SELECT o.id FROM organisations o WHERE o.id IN (" + ", ".join(str(int(u)) for u in [-1, *unsure]) + ")"
        f" AND EXISTS (SELECT 1 FROM pool_entries pe WHERE pe.organisation_id = o.id AND {_COUNTING})"),
        as_of=as_of)).all())
    key = (version, as_of, fold_successors, with_members)
    tree = _TREES_KEPT.get(key)
    if tree is None:
        if len(_TREES_KEPT) >= _TREES_KEPT_MAX:
            _TREES_KEPT.clear()
        tree = _TREES_KEPT[key] = snapshot(units, as_of, fold_successors=fold_successors, with_members=with_members)
    return units, named, tree


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


def _with(window: tuple[date, date] | None, pairs, *, only_closure_units: bool = False) -> str:
    """The WITH clause (done, members, closure of the (unit, reported unit) `pairs`); `members` is
    restricted to the units of the pairs when asked (a unit's report), else it holds the whole pool."""
    dialect = db.engine.dialect.name
    closure = _closure(pairs)
    start, end = ("CAST(:start AS DATE)", "CAST(:end AS DATE)") if window else ("pe.cycle_starts_on",
                                                                                "pe.cycle_ends_on")
    if dialect == "sqlite":
        start, end = (":start", ":end") if window else (start, end)
    counting = _COUNTING
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
    held = HELD.format(classes="c.completions_as_of IS NULL AND " + _COUNTS)
    entries = _SUBTREE_ENTRIES_PG if only_closure_units and dialect == "postgresql" else _ENTRIES
    key = ", pp.name_sort_key" if only_closure_units else ""
    return ("WITH " + (closure + "," if closure else "")
            + entries.format(start=start, end=end, counting=counting, key=key)
            + "," + (_WOMEN + "," if only_closure_units else "") + held + "," + done + ","
            + _MEMBERS[dialect].format(key=key.replace("pp.", "en.")) + "\n")


def _province_sqlite(window: tuple[date, date] | None, pairs) -> str:
    """The province's figures on SQLite (_PROVINCE_FIGURES_SQLITE): the closure of `pairs` in its temporary
    table, the qualifying training (`done`) as _with reads it for the whole pool, then the figures."""
    _closure(pairs)
    start, end = (":start", ":end") if window else ("pe.cycle_starts_on", "pe.cycle_ends_on")
    live = COMPLETED["sqlite"].format(columns=f"e.person_id, {LOCAL_DAY['sqlite']}", people="")
    held = HELD.format(classes="c.completions_as_of IS NULL AND " + _COUNTS)
    return ("WITH " + held + "," + _DONE.format(live=live, **_ALL_PEOPLE)
            + _PROVINCE_FIGURES_SQLITE.format(counting=_COUNTING, start=start, end=end))


# A unit's figures: its children's, then its own (`members` is its subtree, so it needs no closure
# to group everyone once; joining each member to her root pair too doubled the grouping).
_SUBTREE_FIGURES = (_PER_PERSON + "SELECT 0, report_id, pool, women, trained, CAST(NULL AS VARCHAR(255)) FROM (\n"
                    + _ONE_UNIT.format(other=" AND c.report_id <> :root") + """) children
UNION ALL
SELECT 0, :root, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained), CAST(NULL AS VARCHAR(255))
FROM per_person""")
# The same and, in the same statement, a page of its untrained women in Vietnamese name order
# (person, the unit of her entry, her sort key): the subtree is worked out once for all three.
_SUBTREE_FIGURES_AND_PAGE = _SUBTREE_FIGURES + """
UNION ALL
SELECT 1, person_id, unit_id, 0, 0, name_sort_key FROM (
    SELECT m.person_id, MIN(m.unit_id) AS unit_id, m.name_sort_key
    FROM members m
    WHERE m.sex = 'F'
    GROUP BY m.person_id, m.name_sort_key
    HAVING MAX(m.trained) = 0
    ORDER BY m.name_sort_key, m.person_id
    LIMIT :limit OFFSET :offset) page"""


def compute_trained_share(as_of: date, *, window: tuple[date, date] | None = None,
                          fold_successors: bool = False, root: int | None = None) -> tuple[Report, dict[int, UnitInfo]]:
    """Every reported unit's figures (its whole subtree, each person once) and the province's.

    With `root` (a unit's report page), only that unit and the units directly below it have figures,
    and `total` is the root's: only the subtree's pool entries and its women's training are read;
    when root is not in that day's tree, no unit has a figure. Three statements: the units, the
    units holding members on `as_of`, and the figures."""
    report, info, _page = _compute(as_of, window, fold_successors, root, None)
    return report, info


def compute_subtree_with_page(root: int, as_of: date, limit: int, offset: int, *,
                              window: tuple[date, date] | None = None, fold_successors: bool = False
                              ) -> tuple[Report, dict[int, UnitInfo], list[tuple[int, int]]] | None:
    """compute_trained_share(root=...) and, from the same statement, (person, unit of her entry) of
    `limit` untrained women of the subtree from `offset` in name order; None when `root` is not in
    that day's tree (nothing is counted then)."""
    return _compute(as_of, window, fold_successors, root, (limit, offset))


def _compute(as_of, window, fold_successors, root, page):
    units, info, tree = _tree(as_of, fold_successors)
    if root is not None and root not in tree.ancestors:
        # Not in that day's tree (a year before the unit existed, say): it has no figure, and
        # nothing else is counted for it.
        return None if page is not None else (Report(units={}, depth=dict(tree.order), total=Figure()), info, [])
    reported = None
    if root is not None and root in tree.ancestors:
        # What a unit's page shows: its figure and those of the units directly below it. Each member
        # of the subtree is grouped under at most those two (her whole chain up to the root was up to
        # four: the city's page grouped 170,965 pairs for 83,465 members); a grandchild's figures are
        # on its own page.
        reported = {root} | {u for u, chain in tree.ancestors.items() if len(chain) > 1 and chain[1] == root}
    pairs = []
    for unit in units:
        chain = tree.ancestors.get(tree.home[unit.id], ())
        if reported is None:
            pairs += [(unit.id, above) for above in chain]
        elif root in chain:
            pairs += [(unit.id, above) for above in chain[:chain.index(root) + 1] if above in reported]
    figures, total, page_rows = {}, Figure(), []
    if reported is not None:
        # A unit: its figures and its children's (a baseline, a year of its chart), with a page of its
        # untrained women when asked (its report page).
        head = _with(window, pairs, only_closure_units=True)
        statement = _dates(text(head + (_SUBTREE_FIGURES if page is None else _SUBTREE_FIGURES_AND_PAGE)),
                           **_values(as_of, window))
        limits = {"limit": page[0], "offset": page[1]} if page is not None else {}
        for kind, key, a, b, c, sort_key in db.session.execute(statement, {"root": root, **limits}):
            if kind == 0:
                figures[key] = _added(figures.get(key), a, b, c)
            else:
                page_rows.append((sort_key, key, a))
        total = figures.get(root, Figure())
    else:
        province = (_province_sqlite(window, pairs) if db.engine.dialect.name == "sqlite"
                    else _with(window, pairs) + _FIGURES)
        for report_id, pool, women, trained in db.session.execute(_dates(text(province),
                                                                         **_values(as_of, window))):
            if report_id is None:
                total = _added(total, pool, women, trained)
            else:
                figures[report_id] = _added(figures.get(report_id), pool, women, trained)
    # With `root`, the depth (the tree, which targets are inherited along) stays whole; only root and
    # its children have figures.
    report = Report(units={unit_id: figures.get(unit_id, Figure()) for unit_id, _ in tree.order
                           if reported is None or unit_id in reported},
                    depth=dict(tree.order), total=total,
                    folded={u: h for u, h in tree.home.items() if u != h})
    return report, info, [(person, unit) for _key, person, unit in sorted(page_rows)]  # UNION ALL keeps no order


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


def province_totals(days: list[tuple[date, tuple[date, date] | None]]) -> list[Figure]:
    """compute_trained_share(as_of, window=window).total for each (as_of, window) of `days`, in one
    statement whatever their number (the province's trend: one figure per year)."""
    if not days:
        return []
    dialect = db.engine.dialect.name
    cast = (lambda name: f"CAST(:{name} AS DATE)") if dialect == "postgresql" else (lambda name: f":{name}")
    rows, values = [], {}
    for n, (as_of, window) in enumerate(days):
        values[f"as_of_{n}"] = as_of
        values[f"start_{n}"], values[f"end_{n}"] = window or (None, None)
        rows.append(f"({n}, {cast(f'as_of_{n}')}, {cast(f'start_{n}')}, {cast(f'end_{n}')})")
    head = ("WITH days(n, as_of, starts_on, ends_on) AS (VALUES " + ", ".join(rows) + "),"
            + _DAY_ENTRIES + "," + HELD.format(classes="c.completions_as_of IS NULL AND " + _COUNTS) + ","
            + _DONE.format(live=COMPLETED[dialect].format(columns=f"e.person_id, {LOCAL_DAY[dialect]}", people=""),
                           **_ALL_PEOPLE)
            + "," + _DAY_MEMBERS[dialect] + "\n")
    figures = {n: Figure(trained=trained or 0, women=women or 0, pool=pool or 0)
               for n, pool, women, trained in db.session.execute(_dates(text(head + _DAY_FIGURES), **values))}
    return [figures.get(n, Figure()) for n in range(len(days))]


def _added(figure: Figure | None, pool, women, trained) -> Figure:
    """A unit's figure with one more of its rows added (its one-unit members' and its others'); integers,
    as PostgreSQL's SUM of counts is a numeric."""
    figure = figure or Figure()
    return Figure(trained=figure.trained + int(trained or 0), women=figure.women + int(women or 0),
                  pool=figure.pool + int(pool or 0))


def _values(as_of: date, window: tuple[date, date] | None) -> dict:
    values = {"as_of": as_of}
    if window:
        values.update(start=window[0], end=window[1])
    return values


def subtree_rows(report: Report, info: dict[int, UnitInfo], root: int | None = None) -> list[dict]:
    """The report's units in tree order (only `root` and below when given), as plain rows for output."""
    rows, inside_depth = [], None
    for unit_id, depth in report.depth.items():
        if root is not None:
            if inside_depth is None and unit_id != root:
                continue
            if inside_depth is None:
                inside_depth = depth
            elif depth <= inside_depth:
                break
        figure, unit = report.units[unit_id], info[unit_id]
        rows.append(figure_row(figure, code=unit.code, name=unit.name, depth=depth - (inside_depth or 0),
                               ended_on=unit.valid_to.isoformat() if unit.valid_to else None))
    return rows


def figure_row(figure: Figure, **fields) -> dict:
    share, women_share = figure.trained_share, figure.women_share
    return {**fields, "trained": figure.trained, "women": figure.women, "pool": figure.pool,
            "trained_share": round(share, 4) if share is not None else None,
            "women_share": round(women_share, 4) if women_share is not None else None,
            "target": None, "status": None}


__all__ = ["UnitInfo", "compute_subtree_with_page", "compute_trained_share", "figure_row", "province_totals",
           "subtree_rows"]

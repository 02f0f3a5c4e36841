"""The measures from the database: the trained share of women in the planning pool, per unit.

The same definitions as rules/trained_share.py (docs/MEASURES.md), counted by the database: one
aggregate statement whatever the size of the pool, never a query per person. The unit tree of the
as-of date is built in Python by the rule (units number in the thousands, people in the millions)
and handed to the statement as a table of (unit, reported unit above it) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, bindparam, select, text

from ..extensions import db
from ..models import Organisation
from ..rules.trained_share import Figure, Report, Unit, snapshot

# The local day of a UTC timestamp. Vietnam keeps UTC+7 all year (no daylight saving).
_LOCAL_OFFSET_HOURS = 7
_LOCAL_DAY = {
    "sqlite": f"date(h.last_end, '+{_LOCAL_OFFSET_HOURS} hours')",
    "postgresql": f"CAST(h.last_end + INTERVAL '{_LOCAL_OFFSET_HOURS} hours' AS DATE)",
}

# Qualifying training: completed classes that count (their plan and the class say so, the class is
# not cancelled), dated by the local day of their last held session; and training outside the
# system that counts and has ended.
_DONE = """
held AS (
    SELECT s.class_id, COUNT(*) AS held, MAX(s.ends_at) AS last_end, MAX(c.completion_percent) AS percent
    FROM class_sessions s
    JOIN training_classes c ON c.id = s.class_id
    JOIN plans p ON p.id = c.plan_id
    WHERE s.status <> 'cancelled' AND c.status <> 'cancelled'
      AND c.counts_for_trained_share AND p.counts_for_trained_share
    GROUP BY s.class_id
),
done AS (
    SELECT e.person_id, {local_day} AS done_on
    FROM attendances a
    JOIN enrolments e ON e.id = a.enrolment_id
    JOIN class_sessions s ON s.id = a.session_id AND s.class_id = e.class_id
    JOIN held h ON h.class_id = e.class_id
    WHERE a.status IN ('present', 'late') AND s.status <> 'cancelled' AND e.status IN ('nominated', 'confirmed')
    GROUP BY e.person_id, e.class_id, h.held, h.last_end, h.percent
    HAVING COUNT(*) * 100 >= h.held * h.percent
    UNION ALL
    SELECT person_id, ended_on FROM external_trainings WHERE counts_towards_measures AND ended_on IS NOT NULL
)"""

_COUNTING = "pe.added_on <= :as_of AND (pe.left_on IS NULL OR pe.left_on > :as_of)"

_MEMBERS = """
members AS (
    SELECT pe.person_id, pe.organisation_id AS unit_id, pp.sex,
           CASE WHEN pp.sex = 'F' AND EXISTS (
               SELECT 1 FROM done d WHERE d.person_id = pe.person_id
                 AND d.done_on >= {start} AND d.done_on <= {end} AND d.done_on <= :as_of)
           THEN 1 ELSE 0 END AS trained
    FROM pool_entries pe JOIN people pp ON pp.id = pe.person_id
    WHERE {counting}
)"""

_FIGURES = """
SELECT c.report_id, COUNT(DISTINCT m.person_id),
       COUNT(DISTINCT CASE WHEN m.sex = 'F' THEN m.person_id END),
       COUNT(DISTINCT CASE WHEN m.trained = 1 THEN m.person_id END)
FROM members m JOIN closure c ON c.unit_id = m.unit_id
GROUP BY c.report_id
UNION ALL
SELECT NULL, COUNT(DISTINCT m.person_id),
       COUNT(DISTINCT CASE WHEN m.sex = 'F' THEN m.person_id END),
       COUNT(DISTINCT CASE WHEN m.trained = 1 THEN m.person_id END)
FROM members m"""


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    valid_to: date | None


def _units() -> tuple[list[Unit], dict[int, UnitInfo]]:
    rows = db.session.execute(select(Organisation.id, Organisation.code, Organisation.name, Organisation.parent_id,
                                     Organisation.valid_from, Organisation.valid_to, Organisation.successor_id)).all()
    units = [Unit(r.id, r.parent_id, r.valid_from, r.valid_to, r.successor_id) for r in rows]
    return units, {r.id: UnitInfo(r.id, r.code, r.name, r.valid_to) for r in rows}


def _dates(statement, **values):
    return statement.bindparams(*(bindparam(name, value, type_=Date) for name, value in values.items()))


def compute_trained_share(as_of: date, *, window: tuple[date, date] | None = None,
                          fold_successors: bool = False) -> tuple[Report, dict[int, UnitInfo]]:
    """Every reported unit's figures (its whole subtree, each person once) and the province's.

    Three statements: the units, the units holding members on `as_of`, and the figures."""
    units, info = _units()
    with_members = db.session.scalars(_dates(text(
        f"SELECT DISTINCT pe.organisation_id FROM pool_entries pe WHERE {_COUNTING}"), as_of=as_of)).all()
    tree = snapshot(units, as_of, fold_successors=fold_successors, with_members=with_members)
    # (unit, reported unit counting it): ids only, so they are written into the statement as numbers.
    pairs = [(-1, -1)] + [(unit.id, above) for unit in units
                          for above in tree.ancestors.get(tree.home[unit.id], ())]
    closure = "closure(unit_id, report_id) AS (VALUES " + ", ".join(f"({int(u)}, {int(r)})" for u, r in pairs) + ")"
    start, end = ("CAST(:start AS DATE)", "CAST(:end AS DATE)") if window else ("pe.cycle_starts_on",
                                                                                "pe.cycle_ends_on")
    if db.engine.dialect.name == "sqlite":
        start, end = (":start", ":end") if window else (start, end)
    sql = ("WITH " + _DONE.format(local_day=_LOCAL_DAY[db.engine.dialect.name]) + ","
           + _MEMBERS.format(start=start, end=end, counting=_COUNTING) + ",\n" + closure + _FIGURES)
    values = {"as_of": as_of}
    if window:
        values.update(start=window[0], end=window[1])
    figures, total = {}, Figure()
    for report_id, pool, women, trained in db.session.execute(_dates(text(sql), **values)):
        figure = Figure(trained=trained or 0, women=women or 0, pool=pool or 0)
        if report_id is None:
            total = figure
        else:
            figures[report_id] = figure
    report = Report(units={unit_id: figures.get(unit_id, Figure()) for unit_id, _ in tree.order},
                    depth=dict(tree.order), total=total,
                    folded={u: h for u, h in tree.home.items() if u != h})
    return report, info


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


__all__ = ["UnitInfo", "compute_trained_share", "figure_row", "subtree_rows"]

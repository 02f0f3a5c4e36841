"""The forecast of the trained share per unit (rules/forecast.py; docs/MEASURES.md, "Dự báo") from the report's
own figures.

The history is the report's: each unit's women in the pool and trained women on 31/12 of the window's years
come from reporting.compute_trained_share for that day (the very statement the report pages run), over the
window of the report of the as-of date (the one given, else the trained-share target's), so that a past
year's figure is the report's of that day. Only the women who left the pool in each year are read here, from
the register (one statement). A fixed number of statements whatever the number of units: one report per
year-end (three or four statements each) and the leavers' statement.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from ...extensions import db
from ...rules import forecast as rules
from ...rules import targets as target_rules
from ...rules.charts import Point
from ...rules.trained_share import Report
from .reporting import _as_date, compute_trained_share
from .trained_share_sql import dated


@dataclass(frozen=True)
class UnitForecast:
    unit_id: int
    code: str
    name: str
    depth: int          # in the table: 0 for the root (or the top units), 1 below it, ...
    forecast: rules.Forecast
    history: tuple[rules.YearEnd, ...]


@dataclass
class ForecastTable:
    as_of: date
    window: tuple[date, date] | None   # the window counted over; None: each entry's own cycle
    rows: list[UnitForecast]
    window_years: int = rules.WINDOW_YEARS
    window_given: bool = False         # the caller gave the window (else the target's, or the cycle)

    def of(self, unit_id: int) -> UnitForecast | None:
        return next((row for row in self.rows if row.unit_id == unit_id), None)


# Women who left a pool on a day of the years asked: her first day out is in the year (she was in the pool
# the day before: an entry that left on the day it joined was never in it).
_LEAVERS = """SELECT pe.person_id, pe.organisation_id, pe.left_on
FROM pool_entries pe JOIN people pp ON pp.id = pe.person_id
WHERE pp.sex = 'F' AND pe.left_on IS NOT NULL AND pe.left_on >= :first AND pe.left_on <= :last
  AND pe.added_on < pe.left_on"""


def _leavers(first_year: int, last_year: int) -> list[tuple[int, int, date]]:
    if last_year < first_year:
        return []
    rows = db.session.execute(dated(text(_LEAVERS), first=date(first_year, 1, 1), last=date(last_year, 12, 31)))
    return [(person, unit, _as_date(day)) for person, unit, day in rows]


def _leavers_by_unit(rows, reports: dict[int, Report], wanted: set[int]) -> dict[tuple[int, int], int]:
    """(unit, year) → the women who left its subtree's pool that year, each once; a unit's place in the tree is
    that of the year's start (31/12 of the year before), where she was counted."""
    people: dict[tuple[int, int], set[int]] = {}
    chains_of: dict[int, dict[int, list[int]]] = {}
    for person, unit, day in rows:
        report = reports.get(day.year - 1)
        if report is None:
            continue
        if day.year not in chains_of:
            chains_of[day.year] = target_rules.ancestors_from_order(list(report.depth.items()))
        home = report.folded.get(unit, unit)
        for above in chains_of[day.year].get(home, ()):
            if above in wanted:
                people.setdefault((above, day.year), set()).add(person)
    return {key: len(who) for key, who in people.items()}


def forecast_table(as_of: date, targets: list[target_rules.TargetSpec], *, window: tuple[date, date] | None = None,
                   fold_successors: bool = False, root: int | None = None, max_depth: int | None = None,
                   current: tuple[Report, dict] | None = None) -> ForecastTable:
    """Each unit's forecast: `root` alone (a unit's page), else every unit of the as-of tree down to
    `max_depth` (0: the top units). Each unit's goals are its trained-share targets (nearest scope).
    `current`: the report of `as_of` already computed by the caller, over the same window (its page's)."""
    window_given = window is not None
    if window is None:
        window = target_rules.counting_window(targets, as_of)
    years = rules.history_years(as_of)
    now, info = current or compute_trained_share(as_of, window=window, fold_successors=fold_successors, root=root)
    reports: dict[int, Report] = {}
    for year in years:
        day = date(year, 12, 31)
        reports[year] = now if day == as_of else compute_trained_share(
            day, window=window, fold_successors=fold_successors, root=root)[0]
    chains = target_rules.ancestors_from_order(list(now.depth.items()))
    if root is not None:
        wanted = [root] if root in now.units else []
    else:
        wanted = [u for u, depth in now.depth.items() if max_depth is None or depth <= max_depth]
    left = _leavers_by_unit(_leavers(years[1], years[-1]), reports, set(wanted))
    rows = []
    base = now.depth.get(root, 0) if root is not None else 0
    for unit_id in wanted:
        history = []
        for year in years:
            figure = reports[year].units.get(unit_id)
            if figure is not None:
                history.append(rules.YearEnd(year, figure.women, figure.trained, left.get((unit_id, year), 0)))
        figure = now.units[unit_id]
        result = rules.forecast(figure.women, figure.trained, as_of, history,
                                rules.goals_for(targets, chains.get(unit_id, [unit_id])))
        rows.append(UnitForecast(unit_id, info[unit_id].code, info[unit_id].name, now.depth[unit_id] - base,
                                 result, tuple(history)))
    return ForecastTable(as_of, window, rows, window_given=window_given)


def projection_points(result: rules.Forecast) -> list[Point]:
    """The forecast as the chart draws it: from the figure of the as-of day, then each later 31/12."""
    if not result.path or result.share is None:
        return []
    return [Point(result.as_of.year, result.share)] + [Point(year, share) for year, share in result.path
                                                       if year > result.as_of.year]


__all__ = ["ForecastTable", "UnitForecast", "forecast_table", "projection_points"]

"""Forecast of the trained share: where a unit gets to by each target's deadline at the pace of the last
years, the year it reaches each target, and the training seats it needs per year (docs/MEASURES.md, "Dự báo").

Pure: plain values in, plain values out; the caller passes `as_of` and the unit's history, counted as the
report counts it (services/reporting/forecast.py).

The method, stated once:
- **History**: the unit's women in the pool W and trained women T on 31/12 of each year (the report's figures
  of that day), and the women who left the pool during the year by the register (a leaving day in the year).
- **The pace** is the average over the last `WINDOW_YEARS` complete years (a year is complete when its 31/12
  is on or before `as_of`) in which the unit had women in its pool at the year's start and end (a year in
  which the pool was first filled, by an import, says nothing of the pace). For such a year y:
    leavers  l_y = the register's leavers, or more when the pool shrank by more (entries that ended with
               their cycle without a leaving day): l_y = e_y - (W_y - W_{y-1});
    entries  e_y = max(0, W_y - W_{y-1} + leavers by the register);
    trained  s_y = T_y - T_{y-1} * (1 - l_y / W_{y-1}): leavers take the trained with them in proportion,
               entering women are untrained, so the rest of the change is training.
  The pace is the mean of each (the mean of s never below 0: nobody is untrained). No such year: no pace.
- **A year ahead** (from `as_of` to its 31/12 the part φ of that year still to come, then whole years):
    W' = max(0, W + φ (e - l)),  T' = min(W', max(0, T (1 - min(1, φ l / W)) + φ s)).
- A deadline is read as 31/12 of its year (the seeds write "vào năm 2025").
- **Reached in**: the first year-end, up to the deadline's, whose projected share reaches the value;
  met already on `as_of`: that year. Otherwise "not by <deadline year>".
- **Seats per year**: the constant number x of pool women trained per year (pro rata in the part-year) that
  brings the share to the value at the deadline, the pool moving at its pace (none: as it is):
  T0 P + x Q = value W_D, where P is the part of today's trained still in the pool at the deadline and Q the
  same for a trained woman added each year; rounded up. None when the pool is empty at the deadline or no
  time is left. A seat here is a woman of the pool who completes a qualifying training.
"""
from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from .targets import TargetSpec

WINDOW_YEARS = 3
_EPS = 1e-9


@dataclass(frozen=True)
class YearEnd:
    """A unit's pool on 31/12 of `year`, as the report counts it, and the women who left it that year."""
    year: int
    women: int
    trained: int
    leavers: int = 0


@dataclass(frozen=True)
class Pace:
    years: tuple[int, ...]  # the years averaged
    entries: float          # women entering the pool per year
    leavers: float          # women leaving it per year
    trained: float          # women of the pool newly trained per year


@dataclass(frozen=True)
class Goal:
    value: float   # a share, 0..1
    deadline: date


@dataclass(frozen=True)
class GoalForecast:
    value: float
    deadline: date
    projected: float | None     # the share on 31/12 of the deadline's year at the pace; None: no pace, or no pool
    reached_in: int | None      # the year it is reached at the pace; None: not by the deadline's year
    met: bool                   # already reached on as_of
    seats_per_year: int | None  # pool women to train per year to reach it; None: no pool or no time left

    @property
    def year(self) -> int:
        return self.deadline.year


@dataclass(frozen=True)
class Forecast:
    as_of: date
    women: int
    trained: int
    pace: Pace | None
    path: tuple[tuple[int, float | None], ...]  # (year, projected share on its 31/12), from as_of's year
    goals: tuple[GoalForecast, ...]

    @property
    def share(self) -> float | None:
        return self.trained / self.women if self.women else None


def last_complete_year(as_of: date) -> int:
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def history_years(as_of: date, window_years: int = WINDOW_YEARS) -> list[int]:
    """The year-ends whose figures the pace needs: the window's years and the one before them."""
    last = last_complete_year(as_of)
    return list(range(last - window_years, last + 1))


def pace_of(history: Iterable[YearEnd], as_of: date, window_years: int = WINDOW_YEARS) -> Pace | None:
    by_year = {h.year: h for h in history}
    last = last_complete_year(as_of)
    used, entries, leavers, trained = [], [], [], []
    for year in range(last - window_years + 1, last + 1):
        before, now = by_year.get(year - 1), by_year.get(year)
        if before is None or now is None or before.women <= 0 or now.women <= 0:
            continue
        grown = now.women - before.women
        entered = max(0, grown + now.leavers)
        left = entered - grown
        kept = 1 - min(1.0, left / before.women)
        used.append(year)
        entries.append(entered)
        leavers.append(left)
        trained.append(now.trained - before.trained * kept)
    if not used:
        return None
    n = len(used)
    return Pace(tuple(used), sum(entries) / n, sum(leavers) / n, max(0.0, sum(trained) / n))


def _steps(as_of: date, until_year: int):
    """(year, φ) for each year-end from as_of's year to `until_year`: the part of the year still to come."""
    days = 366 if calendar.isleap(as_of.year) else 365
    yield as_of.year, (date(as_of.year, 12, 31) - as_of).days / days
    for year in range(as_of.year + 1, until_year + 1):
        yield year, 1.0


def _ahead(women: float, trained: float, phi: float, pace: Pace) -> tuple[float, float]:
    kept = 1 - (min(1.0, phi * pace.leavers / women) if women > 0 else 0.0)
    new_women = max(0.0, women + phi * (pace.entries - pace.leavers))
    new_trained = min(new_women, max(0.0, trained * kept + phi * pace.trained))
    return new_women, new_trained


def project(women: int, trained: int, as_of: date, pace: Pace, until_year: int) -> list[tuple[int, float | None]]:
    """(year, share on its 31/12) from as_of's year to `until_year`, at the pace."""
    w, t, path = float(women), float(trained), []
    for year, phi in _steps(as_of, until_year):
        w, t = _ahead(w, t, phi, pace)
        path.append((year, t / w if w > 0 else None))
    return path


def seats_per_year(women: int, trained: int, as_of: date, goal: Goal, pace: Pace | None) -> int | None:
    still = Pace((), 0.0, 0.0, 0.0)
    moving = pace or still
    w, kept_now, added = float(women), 1.0, 0.0
    for _year, phi in _steps(as_of, goal.deadline.year):
        kept = 1 - (min(1.0, phi * moving.leavers / w) if w > 0 else 0.0)
        kept_now *= kept
        added = added * kept + phi
        w = max(0.0, w + phi * (moving.entries - moving.leavers))
    if w <= 0 or added <= _EPS:
        return None
    needed = (goal.value * w - trained * kept_now) / added
    return max(0, math.ceil(needed - _EPS))


def forecast(women: int, trained: int, as_of: date, history: Iterable[YearEnd], goals: Sequence[Goal], *,
             window_years: int = WINDOW_YEARS) -> Forecast:
    """A unit's forecast from its figure on `as_of` (women, trained) and its year-end history, for each goal
    whose deadline's year is not before as_of's."""
    pace = pace_of(history, as_of, window_years)
    ahead = [g for g in sorted(goals, key=lambda g: (g.deadline, g.value)) if g.deadline.year >= as_of.year]
    horizon = max((g.deadline.year for g in ahead), default=as_of.year)
    path = tuple(project(women, trained, as_of, pace, horizon)) if pace is not None and women > 0 else ()
    share_now = trained / women if women else None
    results = []
    for goal in ahead:
        met = share_now is not None and share_now >= goal.value - _EPS
        projected, reached = None, (as_of.year if met else None)
        if path:
            projected = dict(path)[goal.deadline.year]
            if not met:
                reached = next((year for year, share in path if year <= goal.deadline.year and share is not None
                                and share >= goal.value - _EPS), None)
        seats = seats_per_year(women, trained, as_of, goal, pace) if women > 0 else None
        results.append(GoalForecast(goal.value, goal.deadline, projected, reached, met, seats))
    return Forecast(as_of, women, trained, pace, path, tuple(results))


def goals_for(targets: Iterable[TargetSpec], chain: Sequence[int]) -> list[Goal]:
    """A unit's trained-share goals: those of the nearest scope at or above it (its chain: itself, its
    parent, ... up to the root) that has any, else those of every unit — as rules.targets.targets_by_unit
    chooses its scope, but every deadline, not only the current one."""
    mine = [t for t in targets if t.measure == "trained_share"]
    for scope in [*chain, None]:
        scoped = [t for t in mine if t.scope_id == scope]
        if scoped:
            return [Goal(t.value, t.deadline) for t in sorted(scoped, key=lambda t: (t.deadline, t.id))]
    return []


def group_into_classes(needs: Sequence[tuple[int, int]], capacity: int) -> list[list[tuple[int, int]]]:
    """Units' seats (unit, seats), in order, grouped into classes of at most `capacity`: a unit fills the
    current class and spills into the next; each class lists (unit, its seats in that class)."""
    classes: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    room = capacity
    for unit, seats in needs:
        while seats > 0:
            take = min(seats, room)
            current.append((unit, take))
            seats -= take
            room -= take
            if room == 0:
                classes.append(current)
                current, room = [], capacity
    if current:
        classes.append(current)
    return classes


__all__ = ["Forecast", "Goal", "GoalForecast", "Pace", "WINDOW_YEARS", "YearEnd", "forecast",
           "goals_for", "group_into_classes", "history_years", "last_complete_year", "pace_of", "project",
           "seats_per_year"]

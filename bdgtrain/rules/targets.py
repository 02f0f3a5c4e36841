"""Targets and their status: met, on track, behind, or no figure (docs/MEASURES.md, "Targets").

Pure: plain values in, plain values out; the caller passes `as_of`.

- **met**: the figure has reached the target value (whether or not the deadline has passed).
- **on track**: not met, the deadline not passed, and the straight line through the figure on the
  programme's first day (`starts_on`; no figure then counts as 0) and the figure on `as_of` reaches
  the value by the deadline.
- **behind**: otherwise (not met and the line falls short, or the deadline has passed, or there is
  no programme start before `as_of` to draw a line from).
- **no figure**: the unit has no figure (an empty pool): no judgement.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

STATUSES = ("met", "on_track", "behind", "no_figure")


@dataclass(frozen=True)
class TargetSpec:
    id: int
    measure: str
    value: float              # a share, 0..1 (75% is 0.75)
    deadline: date
    starts_on: date | None
    scope_id: int | None      # the unit whose subtree it covers; None: every unit
    # The counting window of the trained share: the period of the document that set the target. None:
    # each pool entry's own cycle.
    window: tuple[date, date] | None = None
    scope_is_top: bool = False  # its scope is a unit with no parent (the province)


def projection(figure: float, as_of: date, baseline: float, starts_on: date, deadline: date) -> float | None:
    """The figure the straight line through (starts_on, baseline) and (as_of, figure) reaches on the deadline."""
    if as_of <= starts_on:
        return None
    slope = (figure - baseline) / (as_of - starts_on).days
    return figure + slope * (deadline - as_of).days


def status(value: float, deadline: date, figure: float | None, as_of: date, *,
           starts_on: date | None = None, baseline: float | None = None) -> str:
    if figure is None:
        return "no_figure"
    if figure >= value - 1e-9:
        return "met"
    if as_of > deadline or starts_on is None:
        return "behind"
    reached = projection(figure, as_of, baseline or 0.0, starts_on, deadline)
    return "on_track" if reached is not None and reached >= value - 1e-9 else "behind"


def baseline_matters(value: float, deadline: date, figure: float | None, as_of: date,
                     starts_on: date | None) -> bool:
    """Whether status() can answer differently for different baselines (shares, between 0 and 1).

    A higher baseline only lowers the projection, so when the line from 0 and the line from 1 agree
    on reaching the target, every baseline does: the figure of the start day need not be counted
    (for a unit's page, a second count of its whole subtree)."""
    if figure is None or figure >= value - 1e-9 or as_of > deadline or starts_on is None or as_of <= starts_on:
        return False
    from_zero = projection(figure, as_of, 0.0, starts_on, deadline)
    from_one = projection(figure, as_of, 1.0, starts_on, deadline)
    return (from_zero >= value - 1e-9) != (from_one >= value - 1e-9)


def current_target(targets: Iterable[TargetSpec], as_of: date) -> TargetSpec | None:
    """The target to judge by on `as_of`: the one with the nearest deadline not yet passed, else the last one."""
    ordered = sorted(targets, key=lambda t: (t.deadline, t.id))
    upcoming = [t for t in ordered if t.deadline >= as_of]
    return upcoming[0] if upcoming else (ordered[-1] if ordered else None)


def counting_window(targets: Iterable[TargetSpec], as_of: date) -> tuple[date, date] | None:
    """The window a report counts the trained share over when the user gives none: that of the
    trained-share target the province line is judged by on `as_of` (a target of every unit, else of a
    unit with no parent), else None (each pool entry's own cycle). One window for the whole report, so
    that a unit's figure is the sum of its parts; the page says which."""
    mine = [t for t in targets if t.measure == "trained_share"]
    scoped = [t for t in mine if t.scope_id is None] or [t for t in mine if t.scope_is_top]
    target = current_target(scoped, as_of)
    return target.window if target is not None else None


def ancestors_from_order(order: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    """(unit, depth) in tree order → each unit's chain: itself, its parent, ... up to its root."""
    chains: dict[int, list[int]] = {}
    stack: list[int] = []
    for unit_id, depth in order:
        del stack[depth:]
        stack.append(unit_id)
        chains[unit_id] = list(reversed(stack))
    return chains


def targets_by_unit(targets: Sequence[TargetSpec], chains: dict[int, list[int]], measure: str,
                    as_of: date) -> dict[int, TargetSpec | None]:
    """Each unit's target for `measure`: those whose scope is the unit itself or a unit above it (or every
    unit); the nearest scope wins, then the nearest deadline not passed."""
    mine = [t for t in targets if t.measure == measure]
    result: dict[int, TargetSpec | None] = {}
    for unit_id, chain in chains.items():
        chosen = None
        for scope in chain + [None]:
            scoped = [t for t in mine if t.scope_id == scope]
            if scoped:
                chosen = current_target(scoped, as_of)
                break
        result[unit_id] = chosen
    return result

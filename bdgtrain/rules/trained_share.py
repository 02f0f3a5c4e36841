"""The trained share of women in the planning pool, and the women's share of the pool, per unit.

The definitions of docs/MEASURES.md as plain functions over plain values: pool memberships, the
days people completed qualifying training, and the unit tree. services/reporting/reporting.py computes the
same figures with aggregate SQL; a test holds the two to each other.

- A membership counts on `as_of` when added_on <= as_of < left_on (left_on is her first day out) and
  as_of is not after her cycle's last day: an entry ends with its cycle unless it is carried into the
  next one (a new entry).
- A woman in the pool is trained when she has a qualifying training done on a day inside her
  window: from the window's first day to its last, and never after `as_of`. The window is the one
  given, else her membership's cycle. Training before she joined the pool counts.
- A unit's figures count each person once over its whole subtree, however many memberships she has.
- Pool size counts everyone (women, men, sex unknown); the trained share counts women only.
- No members: no women's share; no women: no trained share (None, never 0%).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

_CYCLE = re.compile(r"\s*((?:19|20)[0-9]{2})\s*[-\u2010-\u2015\u2212/]\s*((?:19|20)[0-9]{2})\s*")


class CycleError(ValueError):
    pass


def parse_cycle(text: str) -> tuple[str, date, date]:
    """"2021-2026" → ("2021-2026", 1/1/2021, 31/12/2026); CycleError when it is not two years in order."""
    match = _CYCLE.fullmatch(text or "")
    if not match:
        raise CycleError(text)
    first, last = int(match.group(1)), int(match.group(2))
    if last < first:
        raise CycleError(text)
    return f"{first}-{last}", date(first, 1, 1), date(last, 12, 31)


@dataclass(frozen=True)
class Unit:
    id: int
    parent_id: int | None = None  # the latest parent (today's)
    valid_from: date | None = None
    valid_to: date | None = None  # its last day
    successor_id: int | None = None
    # Dated history, when the unit has any: (first day, parent) and (first day, name), oldest first; the
    # first day of the first one may be None (since the unit began). Empty: parent_id all along.
    parents: tuple[tuple[date | None, int | None], ...] = ()
    names: tuple[tuple[date | None, str], ...] = ()
    successors: tuple[int, ...] = ()  # every successor; empty: successor_id alone, if any

    def active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def parent_on(self, day: date) -> int | None:
        """The parent of that day (before its first period: the first period's; after its end: the last)."""
        return _dated(self.parents, day, self.parent_id)

    def name_on(self, day: date, default: str = "") -> str:
        return _dated(self.names, day, default)

    @property
    def all_successors(self) -> tuple[int, ...]:
        return self.successors or ((self.successor_id,) if self.successor_id is not None else ())


def _dated(history, day, default):
    if not history:
        return default
    value = history[0][1]
    for since, item in history:
        if since is None or since <= day:
            value = item
        else:
            break
    return value


@dataclass(frozen=True)
class Membership:
    person_id: int
    unit_id: int
    sex: str | None            # "F", "M" or None
    added_on: date
    left_on: date | None       # first day out of the pool
    cycle_start: date          # her cycle's first day
    cycle_end: date            # her cycle's last day: the entry ends with it

    def counts_on(self, as_of: date) -> bool:
        return (self.added_on <= as_of <= self.cycle_end
                and (self.left_on is None or as_of < self.left_on))


@dataclass(frozen=True)
class Training:
    person_id: int
    done_on: date  # a class: the local day of its last held session; outside training: its end


@dataclass(frozen=True)
class Figure:
    trained: int = 0     # women in the pool with qualifying training in their window
    women: int = 0       # women in the pool
    pool: int = 0        # everyone in the pool

    @property
    def trained_share(self) -> float | None:
        return self.trained / self.women if self.women else None

    @property
    def women_share(self) -> float | None:
        return self.women / self.pool if self.pool else None


@dataclass
class Report:
    units: dict[int, Figure]             # every unit of the snapshot, in tree order
    depth: dict[int, int]
    total: Figure                        # the whole province: everyone once
    folded: dict[int, int] = field(default_factory=dict)  # unit → the unit its figures went to


# --- the unit tree on the as-of date ---------------------------------------------------------------

def today_successor(units: dict[int, Unit], unit_id: int) -> int:
    """Follow the successors of ended units to the unit that carries on today. An ended unit with several
    successors (a district split among communes) goes to their nearest common ancestor in today's tree
    (each unit's latest parent) that has not ended; with none, or on a cycle, the walk stops there."""
    return _today_successor(units, unit_id, set())


def _today_successor(units: dict[int, Unit], unit_id: int, seen: set[int]) -> int:
    at = unit_id
    while True:
        unit = units.get(at)
        if unit is None or unit.valid_to is None or at in seen:
            return at
        seen.add(at)
        heirs = [u for u in unit.all_successors if u in units]
        if not heirs:
            return at
        if len(heirs) == 1:
            if heirs[0] in seen:
                return at
            at = heirs[0]
            continue
        ends = {_today_successor(units, heir, set(seen)) for heir in heirs}
        common = _common_active_ancestor(units, ends)
        if common is None or common in seen:
            return at
        at = common


def _common_active_ancestor(units: dict[int, Unit], ids: set[int]) -> int | None:
    """The nearest unit, in today's tree, at or above every one of `ids`, that has not ended."""
    def chain(unit_id: int) -> list[int]:
        found, at = [], unit_id
        while at is not None and at in units and at not in found:
            found.append(at)
            at = units[at].parent_id
        return found

    chains = [chain(u) for u in sorted(ids)]
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((u for u in chains[0] if u in shared and units[u].valid_to is None), None)


@dataclass
class Snapshot:
    order: list[tuple[int, int]]         # (unit id, depth), parents before children
    home: dict[int, int]                 # a membership's unit → the reported unit it counts in
    ancestors: dict[int, list[int]]      # reported unit → itself and every reported unit above it


def snapshot(all_units: Iterable[Unit], as_of: date, *, fold_successors: bool = False,
             with_members: Iterable[int] = ()) -> Snapshot:
    """The reported units: those active on `as_of`, plus any unit holding members then (so nobody is
    lost to a unit that ended while she was still in its pool), each under its parent of that day (a
    later move changes nothing before it). With `fold_successors`, an ended unit with a successor is
    not reported: its members count in today's successor (today_successor)."""
    units = {u.id: u for u in all_units}
    home = {u: (today_successor(units, u) if fold_successors else u) for u in units}
    shown = {u.id for u in units.values() if u.active_on(as_of) and home[u.id] == u.id}
    shown |= {home[u] for u in with_members if u in units}

    def parent(unit_id: int) -> int | None:
        seen = {unit_id}
        up = units[unit_id].parent_on(as_of)
        while up is not None and up in units and up not in seen:
            seen.add(up)
            if home[up] in shown and home[up] != unit_id:
                return home[up]
            up = units[up].parent_on(as_of)
        return None

    parents = {u: parent(u) for u in shown}
    ancestors: dict[int, list[int]] = {}
    for unit_id in shown:
        chain, seen, at = [], set(), unit_id
        while at is not None and at not in seen:
            seen.add(at)
            chain.append(at)
            at = parents[at]
        ancestors[unit_id] = chain
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id in sorted(shown):
        children[parents[unit_id] if parents[unit_id] in shown else None].append(unit_id)
    order, stack, placed = [], [(u, 0) for u in reversed(children[None])], set()
    while stack:
        unit_id, depth = stack.pop()
        if unit_id in placed:
            continue
        placed.add(unit_id)
        order.append((unit_id, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit_id, [])))
    order += [(u, 0) for u in sorted(shown - placed)]  # a cycle in the tree still lists its units
    return Snapshot(order, {u: h for u, h in home.items()}, ancestors)


# --- the measure -----------------------------------------------------------------------------------

def trained_women(memberships: Sequence[Membership], trainings: Iterable[Training], as_of: date,
                  window: tuple[date, date] | None = None) -> set[tuple[int, int]]:
    """(person, unit) of the counting memberships of women trained inside their window."""
    done: dict[int, list[date]] = defaultdict(list)
    for training in trainings:
        done[training.person_id].append(training.done_on)
    trained = set()
    for m in memberships:
        if m.sex != "F" or not m.counts_on(as_of):
            continue
        start, end = window or (m.cycle_start, m.cycle_end)
        last = min(end, as_of)
        if any(start <= day <= last for day in done.get(m.person_id, ())):
            trained.add((m.person_id, m.unit_id))
    return trained


def _figure(people: dict[int, tuple[str | None, bool]]) -> Figure:
    women = [trained for sex, trained in people.values() if sex == "F"]
    return Figure(trained=sum(women), women=len(women), pool=len(people))


def trained_share(units: Iterable[Unit], memberships: Sequence[Membership], trainings: Iterable[Training],
                  as_of: date, *, window: tuple[date, date] | None = None,
                  fold_successors: bool = False) -> Report:
    """Every reported unit's figures over its subtree, and the province's, as of `as_of`."""
    counting = [m for m in memberships if m.counts_on(as_of)]
    trained = trained_women(counting, trainings, as_of, window)
    tree = snapshot(units, as_of, fold_successors=fold_successors, with_members={m.unit_id for m in counting})
    by_unit: dict[int, dict[int, tuple[str | None, bool]]] = defaultdict(dict)
    everyone: dict[int, tuple[str | None, bool]] = {}
    for m in counting:
        is_trained = (m.person_id, m.unit_id) in trained
        for people in [everyone] + [by_unit[a] for a in tree.ancestors.get(tree.home.get(m.unit_id, m.unit_id), [])]:
            sex, already = people.get(m.person_id, (m.sex, False))
            people[m.person_id] = (sex, already or is_trained)
    figures = {unit_id: _figure(by_unit.get(unit_id, {})) for unit_id, _ in tree.order}
    folded = {u: h for u, h in tree.home.items() if u != h}
    return Report(units=figures, depth=dict(tree.order), total=_figure(everyone), folded=folded)

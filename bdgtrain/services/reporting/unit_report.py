"""One unit's trained-share report: its figure, its children's figures and a page of its untrained women.

What a unit's report page shows (issue 6): the measure of docs/MEASURES.md for the unit (its whole
subtree, each person once), for each unit directly below it in the tree of the as-of date, and the
women in its pool who are not trained — the people to nominate next — one page at a time, in
Vietnamese name order. Four statements whatever the size of the subtree (the units, the units
holding members, the figures with the page, the page's women); only the subtree's pool entries are
read, and only their women's training. The report page (measures.measure_table with subtree_only)
makes the same computation and adds the targets.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Person
from ...rules.trained_share import Figure
from .reporting import UnitInfo, compute_subtree_with_page


@dataclass(frozen=True)
class ChildFigure:
    unit_id: int
    code: str
    name: str
    figure: Figure


@dataclass(frozen=True)
class UntrainedWoman:
    person_id: int
    full_name: str
    birth_year: int | None
    position: str | None
    unit_id: int  # the unit of her pool entry (the first, when she is in the pool of several units below)


@dataclass(frozen=True)
class UnitReport:
    unit_id: int
    unit: UnitInfo
    figure: Figure
    children: list[ChildFigure]
    untrained: list[UntrainedWoman]  # this page, in Vietnamese name order
    untrained_total: int             # women in the pool, not trained (= figure.women - figure.trained)
    page: int
    per_page: int
    units: dict[int, UnitInfo]       # every unit named above (children, the untrained women's units)

    @property
    def pages(self) -> int:
        return max(1, -(-self.untrained_total // self.per_page))


def unit_report(unit_id: int, as_of: date, *, window: tuple[date, date] | None = None,
                fold_successors: bool = False, page: int = 1, per_page: int = 50) -> UnitReport | None:
    """The unit's report as of `as_of`; None when the unit is not in that day's tree (or folded away).

    The same computation as the report page's (reporting.compute_subtree_with_page), then the page's
    women by name; the figures equal compute_trained_share's for the same units (a test holds them equal)."""
    page = max(1, page)
    computed = compute_subtree_with_page(unit_id, as_of, per_page, (page - 1) * per_page, window=window,
                                         fold_successors=fold_successors)
    if computed is None:
        return None
    report, info, page_rows = computed
    people = {r.id: r for r in db.session.execute(
        select(Person.id, Person.full_name, Person.birth_year, Person.position)
        .where(Person.id.in_([person for person, _unit in page_rows] or [-1])))}
    untrained = [UntrainedWoman(person, people[person].full_name, people[person].birth_year, people[person].position,
                                unit) for person, unit in page_rows]
    figure = report.units[unit_id]
    children = [u for u in report.units if u != unit_id]  # tree order
    named = {unit_id, *children, *(w.unit_id for w in untrained)}
    return UnitReport(unit_id=unit_id, unit=info[unit_id], figure=figure,
                      children=[ChildFigure(u, info[u].code, info[u].name, report.units[u]) for u in children],
                      untrained=untrained, untrained_total=figure.women - figure.trained, page=page, per_page=per_page,
                      units={u: info[u] for u in named if u in info})


__all__ = ["ChildFigure", "UnitReport", "UntrainedWoman", "unit_report"]

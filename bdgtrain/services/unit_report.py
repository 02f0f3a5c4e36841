"""One unit's trained-share report: its figure, its children's figures and a page of its untrained women.

What a unit's report page shows (issue 6): the measure of docs/MEASURES.md for the unit (its whole
subtree, each person once), for each unit directly below it in the tree of the as-of date, and the
women in its pool who are not trained — the people to nominate next — one page at a time, in
Vietnamese name order. Four statements whatever the size of the subtree (the units, the units
holding members, the figures, the page); only the subtree's pool entries are read, and only their
people's training.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from ..extensions import db
from ..rules.trained_share import Figure
from .reporting import UnitInfo, _closure, _dates, _tree, _values, _with


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
    untrained: list[UntrainedWoman]  # this page
    untrained_total: int             # women in the pool, not trained (= figure.women - figure.trained)
    page: int
    per_page: int
    units: dict[int, UnitInfo]       # every unit named above (children, the untrained women's units)

    @property
    def pages(self) -> int:
        return max(1, -(-self.untrained_total // self.per_page))


_FIGURES = """SELECT report_id, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
FROM (SELECT c.report_id, m.person_id, m.sex, MAX(m.trained) AS trained
      FROM members m JOIN closure c ON c.unit_id = m.unit_id
      GROUP BY c.report_id, m.person_id, m.sex) per_unit
GROUP BY report_id"""

_UNTRAINED = """SELECT p.id, p.full_name, p.birth_year, p.position, MIN(m.unit_id)
FROM members m JOIN people p ON p.id = m.person_id
WHERE m.sex = 'F'
GROUP BY p.id, p.full_name, p.birth_year, p.position, p.name_sort_key
HAVING MAX(m.trained) = 0
ORDER BY p.name_sort_key, p.id
LIMIT :limit OFFSET :offset"""


def unit_report(unit_id: int, as_of: date, *, window: tuple[date, date] | None = None,
                fold_successors: bool = False, page: int = 1, per_page: int = 50) -> UnitReport | None:
    """The unit's report as of `as_of`; None when the unit is not in that day's tree (or folded away).

    The figures equal compute_trained_share's for the same units (a test holds them equal)."""
    units, info, tree = _tree(as_of, fold_successors)
    if unit_id not in tree.ancestors:
        return None
    page = max(1, page)
    children = [u for u, chain in tree.ancestors.items() if len(chain) > 1 and chain[1] == unit_id]
    reported = {unit_id, *children}
    # (unit, reported unit) for every unit counting in the subtree: itself and the child it sits under.
    pairs = []
    for unit in units:
        chain = tree.ancestors.get(tree.home[unit.id], ())
        if unit_id in chain:
            pairs += [(unit.id, above) for above in chain if above in reported]
    head = _with(window, _closure(pairs), only_closure_units=True)
    values = _values(as_of, window)
    figures = {report_id: Figure(trained=trained or 0, women=women or 0, pool=pool or 0)
               for report_id, pool, women, trained in db.session.execute(_dates(text(head + _FIGURES), **values))}
    figure = figures.get(unit_id, Figure())
    untrained_total = figure.women - figure.trained
    rows = []
    if untrained_total > (page - 1) * per_page:
        rows = db.session.execute(_dates(text(head + _UNTRAINED), **values),
                                  {"limit": per_page, "offset": (page - 1) * per_page}).all()
    untrained = [UntrainedWoman(r[0], r[1], r[2], r[3], r[4]) for r in rows]
    named = {unit_id, *children, *(w.unit_id for w in untrained)}
    ordered = [u for u, _depth in tree.order if u in children]
    return UnitReport(unit_id=unit_id, unit=info[unit_id], figure=figure,
                      children=[ChildFigure(u, info[u].code, info[u].name, figures.get(u, Figure()))
                                for u in ordered],
                      untrained=untrained, untrained_total=untrained_total, page=page, per_page=per_page,
                      units={u: info[u] for u in named if u in info})


__all__ = ["ChildFigure", "UnitReport", "UntrainedWoman", "unit_report"]

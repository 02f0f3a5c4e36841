"""One unit's trained-share report: its figure, its children's figures and a page of its untrained women.

What a unit's report page shows (issue 6): the measure of docs/MEASURES.md for the unit (its whole
subtree, each person once), for each unit directly below it in the tree of the as-of date, and the
women in its pool who are not trained — the people to nominate next — one page at a time, in
Vietnamese name order. Three statements whatever the size of the subtree (the units, the units
holding members, the figures with the page); only the subtree's pool entries are read, and only their
people's training.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from ..extensions import db
from ..rules.trained_share import Figure
from .reporting import UnitInfo, _dates, _tree, _values, _with


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


# One statement: the figures of the unit and its children (kind 0), then the page of untrained
# women (kind 1), so the subtree's members and their training are worked out once.
_FIGURES_AND_PAGE = """SELECT 0, report_id, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained),
       CAST(NULL AS VARCHAR(255)), CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR(255)), CAST(NULL AS VARCHAR(800))
FROM (SELECT c.report_id, m.person_id, m.sex, MAX(m.trained) AS trained
      FROM members m JOIN closure c ON c.unit_id = m.unit_id
      GROUP BY c.report_id, m.person_id, m.sex) per_unit
GROUP BY report_id
UNION ALL
SELECT 1, person_id, unit_id, 0, 0, full_name, birth_year, position, name_sort_key FROM (
    SELECT p.id AS person_id, MIN(m.unit_id) AS unit_id, p.full_name, p.birth_year, p.position, p.name_sort_key
    FROM members m JOIN people p ON p.id = m.person_id
    WHERE m.sex = 'F'
    GROUP BY p.id, p.full_name, p.birth_year, p.position, p.name_sort_key
    HAVING MAX(m.trained) = 0
    ORDER BY p.name_sort_key, p.id
    LIMIT :limit OFFSET :offset) page"""


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
    head = _with(window, pairs, only_closure_units=True)
    figures, page_rows = {}, []
    statement = _dates(text(head + _FIGURES_AND_PAGE), **_values(as_of, window))
    for kind, key, a, b, c, full_name, birth_year, position, sort_key in db.session.execute(
            statement, {"limit": per_page, "offset": (page - 1) * per_page}):
        if kind == 0:
            figures[key] = Figure(pool=a or 0, women=b or 0, trained=c or 0)
        else:
            page_rows.append((sort_key, key, UntrainedWoman(key, full_name, birth_year, position, a)))
    untrained = [row[2] for row in sorted(page_rows, key=lambda row: row[:2])]  # UNION ALL promises no order
    figure = figures.get(unit_id, Figure())
    named = {unit_id, *children, *(w.unit_id for w in untrained)}
    ordered = [u for u, _depth in tree.order if u in children]
    return UnitReport(unit_id=unit_id, unit=info[unit_id], figure=figure,
                      children=[ChildFigure(u, info[u].code, info[u].name, figures.get(u, Figure()))
                                for u in ordered],
                      untrained=untrained, untrained_total=figure.women - figure.trained, page=page, per_page=per_page,
                      units={u: info[u] for u in named if u in info})


__all__ = ["ChildFigure", "UnitReport", "UntrainedWoman", "unit_report"]

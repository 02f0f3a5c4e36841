"""The measures from the database: the trained share of women in the planning pool, per unit.

The same definitions as rules/trained_share.py (docs/MEASURES.md), counted by the database: one
aggregate statement whatever the size of the pool, never a query per person. The unit tree of the
as-of date is built in Python by the rule (units number in the thousands, people in the millions)
and handed to the statement as a table of (unit, reported unit above it) pairs. The statements
themselves are services/reporting/trained_share_sql.py's.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import text

from ...extensions import db
from ...rules.trained_share import Figure, Report, Snapshot, Unit, snapshot, today_successor
from .trained_share_sql import (
    COUNTING,
    closure_of,
    dated,
    day_values,
    days_statement,
    pool_statement,
    subtree_statement,
    trained_statement,
)


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


# The units and the trees built from them, kept in each process for as long as the organisations
# table stays as it is (_versions): every report page needs them, building them from
# 10,000 units cost 0.15-0.2 s of a unit's page, and a province changes its units a few times a year.
# The units holding members (the pool's side) are read every time and are part of a tree's key.
_UNITS_KEPT: dict[tuple, tuple] = {}
_TREES_KEPT: dict[tuple, Snapshot] = {}
_TREES_KEPT_MAX = 16  # a tree of 10,000 units is a few MB; a unit's page with its chart needs about 8 days
# The province's pool and women per reported unit (trained_share_sql.pool_statement), kept per (tree, pool
# stamp): who is in the pool changes with an import or an edit, which sets a new stamp (migration 0035), while
# the plan summary and the dashboard count the province on every view (0.1 s of their 0.3 s at 100,000 entries
# on PostgreSQL). Who is trained is counted on every report (classes complete, attendance is taken).
_POOL_KEPT: dict[tuple, dict] = {}
_POOL_KEPT_MAX = 32  # a few hundred small integers each: the days of a forecast and of the trend, both folds
# Set by migration 0035's trigger on PostgreSQL for the rest of a transaction that has changed the pool.
_POOL_CHANGED = "bdgtrain.pool_changed"


def forget_kept_pool_counts() -> None:
    """Drop the province pool counts this process keeps, so that the next report counts the pool itself:
    for measurements (statements, time) that must not depend on which report ran before."""
    _POOL_KEPT.clear()


def _versions() -> tuple[tuple, int | None]:
    """The organisations' version and the pool's stamp, in one statement. The version changes whenever a unit,
    one of its periods or successors is added, removed, or changed through the ORM (which sets updated_at; the
    services also touch the unit); with the database's address, as one process may talk to two (the tests do).
    The stamp is None while no change to the pool has set one, and in a transaction that has changed the pool
    on PostgreSQL (whose stamp stays as its first change set it): nothing is kept under it then."""
    changed = (f"current_setting('{_POOL_CHANGED}', true)" if db.engine.dialect.name == "postgresql"
               else "NULL")
    *row, pool_stamp, pool_changed_here = db.session.execute(text(
        "SELECT COUNT(*), MAX(updated_at), MAX(id), "
        "(SELECT COUNT(*) FROM organisation_periods), (SELECT MAX(updated_at) FROM organisation_periods), "
        "(SELECT MAX(id) FROM organisation_periods), "
        "(SELECT COUNT(*) FROM organisation_successors), (SELECT MAX(id) FROM organisation_successors), "
        f"(SELECT stamp FROM change_stamps WHERE name = 'pool'), {changed} "
        "FROM organisations")).one()
    return (str(db.engine.url), *(str(value) for value in row)), None if pool_changed_here == "yes" else pool_stamp


def _tree(as_of: date, fold_successors: bool):
    """The units, their information with the names of `as_of` and the tree of that day."""
    units, named, tree, _key, _pool_stamp = _kept_tree(as_of, fold_successors)
    return units, named, tree


def _kept_tree(as_of: date, fold_successors: bool):
    """The units (one statement, none while kept), their information with the names of `as_of`, the
    units holding members on `as_of` (one more) and the tree of that day, with its key among the kept
    trees and the pool's stamp.

    Only the units the tree would otherwise leave out (not active that day, or folded into a
    successor) are asked about, each with one index probe: scanning the whole pool for the units
    holding members took seconds at a million entries."""
    version, pool_stamp = _versions()
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
    with_members = tuple(db.session.scalars(dated(text(
        "SELECT o.id FROM organisations o WHERE o.id IN (" + ", ".join(str(int(u)) for u in [-1, *unsure]) + ")"
        f" AND EXISTS (SELECT 1 FROM pool_entries pe WHERE pe.organisation_id = o.id AND {COUNTING})"),
        as_of=as_of)).all())
    key = (version, as_of, fold_successors, with_members)
    tree = _TREES_KEPT.get(key)
    if tree is None:
        if len(_TREES_KEPT) >= _TREES_KEPT_MAX:
            _TREES_KEPT.clear()
        tree = _TREES_KEPT[key] = snapshot(units, as_of, fold_successors=fold_successors, with_members=with_members)
    return units, named, tree, key, pool_stamp


def compute_trained_share(as_of: date, *, window: tuple[date, date] | None = None,
                          fold_successors: bool = False, root: int | None = None) -> tuple[Report, dict[int, UnitInfo]]:
    """Every reported unit's figures (its whole subtree, each person once) and the province's.

    With `root` (a unit's report page), only that unit and the units directly below it have figures,
    and `total` is the root's: only the subtree's pool entries and its women's training are read;
    when root is not in that day's tree, no unit has a figure. The province's: three statements while
    its pool counts are kept (the versions, the units holding members on `as_of`, the trained), two more
    when not (whether anyone counts that day, the pool), and the units once per change to them."""
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
    units, info, tree, tree_key, pool_stamp = _kept_tree(as_of, fold_successors)
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
        statement = dated(text(subtree_statement(window, pairs, with_page=page is not None)),
                          **day_values(as_of, window))
        limits = {"limit": page[0], "offset": page[1]} if page is not None else {}
        for kind, key, a, b, c, sort_key in db.session.execute(statement, {"root": root, **limits}):
            if kind == 0:
                figures[key] = _added(figures.get(key), a, b, c)
            else:
                page_rows.append((sort_key, key, a))
        total = figures.get(root, Figure())
    else:
        figures, total = _province_figures(as_of, window, pairs, (tree_key, pool_stamp) if pool_stamp is not None
                                           else None)
    # With `root`, the depth (the tree, which targets are inherited along) stays whole; only root and
    # its children have figures.
    report = Report(units={unit_id: figures.get(unit_id, Figure()) for unit_id, _ in tree.order
                           if reported is None or unit_id in reported},
                    depth=dict(tree.order), total=total,
                    folded={u: h for u, h in tree.home.items() if u != h})
    return report, info, [(person, unit) for _key, person, unit in sorted(page_rows)]  # UNION ALL keeps no order


def _province_figures(as_of: date, window, pairs, kept_as: tuple | None) -> tuple[dict[int, Figure], Figure]:
    """Every reported unit's figure and the province's: the pool and women kept under `kept_as` (the tree's
    key and the pool's stamp; None: not kept) or counted, and the trained counted."""
    counts = _POOL_KEPT.get(kept_as) if kept_as is not None else None
    closure = None
    if counts is None:
        counts = {}
        if _anyone_counts(as_of):
            closure = closure_of(pairs)
            for report_id, pool, women in db.session.execute(dated(text(pool_statement(closure)), as_of=as_of)):
                counts[report_id] = _added(counts.get(report_id), pool, women, 0)
        if kept_as is not None:
            # The oldest go first (a dict keeps its order; list() copies it at once, whatever another thread
            # does): cleared all at once, a forecast's days pushed out each other's counts midway.
            for oldest in list(_POOL_KEPT)[:max(0, len(_POOL_KEPT) - _POOL_KEPT_MAX + 1)]:
                _POOL_KEPT.pop(oldest, None)
            _POOL_KEPT[kept_as] = counts
    trained: dict[int | None, int] = {}
    if counts.get(None, Figure()).women:  # no woman in the pool: no one to count as trained
        closure = closure_of(pairs) if closure is None else closure
        for report_id, count in db.session.execute(dated(text(trained_statement(window, closure)),
                                                         **day_values(as_of, window))):
            trained[report_id] = trained.get(report_id, 0) + int(count or 0)
    figures = {report_id: replace(figure, trained=trained.get(report_id, 0))
               for report_id, figure in counts.items()}
    return {r: f for r, f in figures.items() if r is not None}, figures.get(None, Figure())


def _anyone_counts(as_of: date) -> bool:
    """Whether any pool entry counts on `as_of`. On a day nobody does (the years of a forecast after the
    pool's last cycle, say) every figure is zero, which the province's statement finds only after reading
    the whole pool (50-80 ms a day on SQLite at 100,000 entries). Newest entries first: on a day that counts,
    the first or nearly the first one read does."""
    return db.session.scalar(dated(text(f"SELECT 1 FROM pool_entries pe WHERE {COUNTING} ORDER BY pe.id DESC LIMIT 1"),
                                   as_of=as_of)) is not None


def province_totals(days: list[tuple[date, tuple[date, date] | None]]) -> list[Figure]:
    """compute_trained_share(as_of, window=window).total for each (as_of, window) of `days`, in one
    statement whatever their number (the province's trend: one figure per year)."""
    if not days:
        return []
    statement, values = days_statement(days)
    figures = {n: Figure(trained=trained or 0, women=women or 0, pool=pool or 0)
               for n, pool, women, trained in db.session.execute(dated(text(statement), **values))}
    return [figures.get(n, Figure()) for n in range(len(days))]


def _added(figure: Figure | None, pool, women, trained) -> Figure:
    """A unit's figure with one more of its rows added (its one-unit members' and its others'); integers,
    as PostgreSQL's SUM of counts is a numeric."""
    figure = figure or Figure()
    return Figure(trained=figure.trained + int(trained or 0), women=figure.women + int(women or 0),
                  pool=figure.pool + int(pool or 0))


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

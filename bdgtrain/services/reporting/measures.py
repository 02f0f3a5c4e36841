"""The report pages' figures: trained share and women's share per unit beside their targets and status,
the yearly trend, and the drill-down to the untrained women of a unit's pool.

Calls the trained-share functions of services/reporting/reporting.py (their SQL is the one definition of the
measure) and judges the figures with rules/targets.py. Every read is a bounded number of aggregate
statements, whatever the size of the pool (tests bound it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, text

from ...extensions import db
from ...models import TrainingClass
from ...rules import targets as rules
from ...rules.charts import Point, trend_svg
from ...rules.measures import Trainee, trainee_shares
from ...rules.trained_share import Figure, Report
from .reporting import UnitInfo, compute_subtree_with_page, compute_trained_share, figure_row, province_totals
from .targets import target_specs
from .trained_share_sql import COUNTING, COUNTS, dated, day_values, with_clause

# Measures read from the trained-share report, with the Figure property each reads.
POOL_MEASURES = {"trained_share": "trained_share", "women_pool_share": "women_share"}


@dataclass
class MeasureTable:
    as_of: date
    window: tuple[date, date] | None      # the window counted over; None: each entry's own cycle
    fold_successors: bool
    rows: list[dict]           # units in tree order: figures, targets and status (JSON-ready)
    total: dict
    report: Report
    info: dict[int, UnitInfo]
    untrained: list[tuple[int, int]] = field(default_factory=list)  # a page of (woman, unit), when asked
    window_given: bool = False            # the caller gave the window (else it is the target's, or the cycle)


def _baseline_share(cache: dict, day: date, unit_id: int | None, measure: str, window, fold: bool,
                    root: int | None = None) -> float | None:
    if day not in cache:
        cache[day] = compute_trained_share(day, window=window, fold_successors=fold, root=root)[0]
    report = cache[day]
    figure = report.total if unit_id is None else report.units.get(unit_id)
    return getattr(figure, POOL_MEASURES[measure]) if figure is not None else None


def _judge(row: dict, figure, target: rules.TargetSpec | None, measure: str, as_of: date, baselines: dict,
           unit_id: int | None, window, fold: bool, root: int | None = None) -> None:
    prefix = "" if measure == "trained_share" else "women_"
    share = getattr(figure, POOL_MEASURES[measure])
    if target is None:
        row.update({f"{prefix}target": None, f"{prefix}target_deadline": None, f"{prefix}status": None})
        return
    baseline = None
    if rules.baseline_matters(target.value, target.deadline, share, as_of, target.starts_on):
        baseline = _baseline_share(baselines, target.starts_on, unit_id, measure, window, fold, root)
    row.update({f"{prefix}target": target.value, f"{prefix}target_deadline": target.deadline.isoformat(),
                f"{prefix}status": rules.status(target.value, target.deadline, share, as_of,
                                                starts_on=target.starts_on, baseline=baseline)})


def measure_table(as_of: date, targets: list[rules.TargetSpec], *, window: tuple[date, date] | None = None,
                  fold_successors: bool = False, root: int | None = None, subtree_only: bool = False,
                  untrained_page: tuple[int, int] | None = None) -> MeasureTable:
    """Every unit of the as-of tree (or `root`'s subtree) and the province: figures, target, status.

    `subtree_only` (a unit's page): only root's subtree is computed, a fraction of the pool, for root
    and the units directly below it (the rows), and `total` is then root's figure, not the
    province's; with `untrained_page` (page, per page) the same statement lists that page of its
    untrained women (`untrained`, see untrained_page_people).

    Without `window`, the trained share is counted over the window of the trained-share target the
    province is judged by (rules.targets.counting_window), else each entry's own cycle."""
    window_given = window is not None
    if window is None:
        window = rules.counting_window(targets, as_of)
    scope = root if subtree_only else None
    page_rows: list[tuple[int, int]] = []
    if scope is not None and untrained_page is not None:
        page, per_page = untrained_page
        computed = compute_subtree_with_page(scope, as_of, per_page, max(page - 1, 0) * per_page,
                                             window=window, fold_successors=fold_successors)
        # Not in that day's tree: no rows (as below, where the loop never meets root) and nothing counted.
        report, info, page_rows = computed or (Report(units={}, depth={}, total=Figure()), {}, [])
    else:
        report, info = compute_trained_share(as_of, window=window, fold_successors=fold_successors, root=scope)
    chains = rules.ancestors_from_order(list(report.depth.items()))
    counted = {u: chains[u] for u in report.units}  # a unit's page: itself and its children, not all 10,000
    chosen = {m: rules.targets_by_unit(targets, counted, m, as_of) for m in POOL_MEASURES}
    top = [u for u, d in report.depth.items() if d == 0]
    baselines: dict = {}
    rows, inside = [], None
    for unit_id, depth in report.depth.items():
        if root is not None:
            if inside is None and unit_id != root:
                continue
            if inside is None:
                inside = depth
            elif depth <= inside:
                break
        if unit_id not in report.units:
            continue  # below root's children, when only they were computed (subtree_only)
        unit, figure = info[unit_id], report.units[unit_id]
        row = figure_row(figure, id=unit_id, code=unit.code, name=unit.name, depth=depth - (inside or 0),
                         ended_on=unit.valid_to.isoformat() if unit.valid_to else None)
        for measure in POOL_MEASURES:
            _judge(row, figure, chosen[measure].get(unit_id), measure, as_of, baselines, unit_id, window,
                   fold_successors, scope)
        rows.append(row)
    total = figure_row(report.total, id=None, code=None, name=None)  # the caller names it
    for measure in POOL_MEASURES:
        # The province is judged by the targets of every unit, or of a top unit (the province itself).
        mine = [t for t in targets if t.measure == measure]
        scoped = [t for t in mine if t.scope_id is None] or [t for t in mine if t.scope_id in top]
        _judge(total, report.total, rules.current_target(scoped, as_of), measure, as_of, baselines, None, window,
               fold_successors, scope)
    return MeasureTable(as_of, window, fold_successors, rows, total, report, info, page_rows, window_given)


def rows_under(rows: list[dict], unit_id: int) -> list[dict]:
    """The rows of `unit_id` and the units below it (the table lists a unit then its subtree), with
    depths counted from it."""
    inside, depth = [], None
    for row in rows:
        if depth is None and row["id"] != unit_id:
            continue
        if depth is not None and row["depth"] <= depth:
            break
        if depth is None:
            depth = row["depth"]
        inside.append(dict(row, depth=row["depth"] - depth))
    return inside


def trend(unit_id: int | None, years: range, as_of: date, targets: list[rules.TargetSpec], *,
          fold_successors: bool = False, window: tuple[date, date] | None = None,
          title: str, projection: list[Point] | None = None) -> tuple[list[Point], str]:
    """The trained share at the end of each year (or on `as_of` in its own year), and its chart as SVG;
    each year over `window`, else as the report of that day would count it (measure_table); with the
    forecast's `projection` (services/reporting/forecast.py) drawn on from the last year."""
    days = [(year, min(date(year, 12, 31), as_of)) for year in years]
    if unit_id is None:
        # The province's chart: every year's total in one statement (the unit tree plays no part in a total).
        totals = province_totals([(day, window or rules.counting_window(targets, day)) for _year, day in days])
        points = [Point(year, figure.trained_share) for (year, _day), figure in zip(days, totals)]
    else:
        points = []
        for year, day in days:
            # A unit's chart reads only its subtree each year (nothing in a year it is not in the tree).
            report, _info = compute_trained_share(day, window=window or rules.counting_window(targets, day),
                                                  fold_successors=fold_successors, root=unit_id)
            figure = report.units.get(unit_id)
            points.append(Point(year, figure.trained_share if figure is not None else None))
    mine = sorted((t for t in targets if t.measure == "trained_share"), key=lambda t: t.deadline)
    line = []
    if mine and mine[0].starts_on is not None:
        line.append(Point(mine[0].starts_on.year, 0.0))
    line += [Point(t.deadline.year, t.value) for t in mine]
    return points, trend_svg(points, line, title, projection)


def trend_years(as_of: date, targets: list[rules.TargetSpec], plan_start: date | None) -> range:
    starts = [t.starts_on.year for t in targets if t.starts_on] + ([plan_start.year] if plan_start else [])
    first = min(starts) if starts else as_of.year - 4
    first = max(first, as_of.year - 11)  # at most twelve years on one chart
    return range(min(first, as_of.year), as_of.year + 1)


def dashboard_shares(plans, as_of: date) -> tuple | None:
    """For the dashboard: the first of `plans` with a trained-share target, and its province and top two levels
    of units as of `as_of` beside their targets (one report: a bounded number of statements)."""
    for plan in plans:
        specs = target_specs(plan)
        if any(t.measure == "trained_share" for t in specs):
            table = measure_table(as_of, specs)
            return plan, [row for row in table.rows if row["depth"] <= 1], table.total
    return None


# --- breakdowns of the trained share: ethnic-minority (DTTS) women, and women part-way through a class ------

_DTTS = ("pp.ethnicity IS NOT NULL AND TRIM(pp.ethnicity) <> '' AND LOWER(TRIM(pp.ethnicity)) <> 'kinh'")
_SESSION_DAY = {
    "sqlite": "date(s.ends_at, '+7 hours')",
    "postgresql": "CAST(s.ends_at + INTERVAL '7 hours' AS DATE)",
}
# Women of the pool who attended (present or late) a held session of a class that counts, on an
# enrolment that was not declined or replaced, on a local day inside the window (of one of her
# counting entries, when counting by cycle) and not after D: with `trained` = 0 they attended some
# sessions without completing. Only the women untrained in at least one of their entries are asked
# about, each by her own enrolments (an index probe): joining the whole pool to the attendance took
# four times the ethnic-group breakdown it shares a statement with (1.5 s against 0.37 s, 100,000
# entries, SQLite).
_ATTENDED = """,
attended AS (
    SELECT x.person_id
    FROM (SELECT person_id FROM members WHERE sex = 'F' GROUP BY person_id HAVING MIN(trained) = 0) x
    WHERE EXISTS (
        SELECT 1 FROM enrolments e
        JOIN training_classes c ON c.id = e.class_id
        JOIN plans p ON p.id = c.plan_id
        JOIN attendances a ON a.enrolment_id = e.id
        JOIN class_sessions s ON s.id = a.session_id AND s.class_id = c.id
        WHERE e.person_id = x.person_id AND e.status IN ('nominated', 'confirmed') AND {counts}
          AND s.status <> 'cancelled' AND a.status IN ('present', 'late') AND {day} <= :as_of AND {inside})
)
"""
_INSIDE_WINDOW = "{day} >= :start AND {day} <= :end"
_INSIDE_CYCLE = ("EXISTS (SELECT 1 FROM pool_entries pe WHERE pe.person_id = x.person_id AND " + COUNTING
                 + " AND pe.cycle_starts_on <= {day} AND pe.cycle_ends_on >= {day})")
# Only the women who can add to a sum are grouped: ethnic-minority women, and women who attended
# (grouping the whole pool per unit again cost as much as the report itself).
_PER_PERSON = f"""
    SELECT {{unit}} m.person_id, MAX(m.trained) AS trained,
           MAX(CASE WHEN {_DTTS} THEN 1 ELSE 0 END) AS dtts_woman,
           MAX(CASE WHEN m.person_id IN (SELECT person_id FROM attended) THEN 1 ELSE 0 END) AS attended
    FROM members m {{closure}}JOIN people pp ON pp.id = m.person_id
    WHERE m.sex = 'F' AND ({_DTTS} OR m.person_id IN (SELECT person_id FROM attended))
    GROUP BY {{unit}} m.person_id"""
_SUMS = "SUM(dtts_woman), SUM(dtts_woman * trained), SUM(CASE WHEN attended = 1 AND trained = 0 THEN 1 ELSE 0 END)"
_BREAKDOWN_FIGURES = (f"SELECT report_id, {_SUMS} FROM ("
                      + _PER_PERSON.format(unit="c.report_id,", closure="JOIN closure c ON c.unit_id = m.unit_id ")
                      + ") per_unit GROUP BY report_id\nUNION ALL\n"
                      + f"SELECT NULL, {_SUMS} FROM (" + _PER_PERSON.format(unit="", closure="") + ") everyone")


@dataclass(frozen=True)
class Breakdown:
    dtts_trained: int = 0   # ethnic-minority women of the pool who are trained
    dtts_women: int = 0     # ethnic-minority women of the pool
    partial: int = 0        # women not trained who attended some sessions of a class that counts


def breakdowns(report: Report, as_of: date, *, window: tuple[date, date] | None = None
               ) -> tuple[dict[int, Breakdown], Breakdown]:
    """Each reported unit's and the province's breakdowns, over the same tree and window as `report`.
    One statement."""
    chains = rules.ancestors_from_order(list(report.depth.items()))
    pairs = [(-1, -1)] + [(unit, above) for unit, chain in chains.items() for above in chain]
    pairs += [(unit, above) for unit, home in report.folded.items() for above in chains.get(home, [])]
    dialect = db.engine.dialect.name
    day = _SESSION_DAY[dialect]
    inside = (_INSIDE_WINDOW if window else _INSIDE_CYCLE).format(day=day)
    attended = _ATTENDED.format(counts=COUNTS, day=day, inside=inside)
    sql = with_clause(window, pairs[1:]).rstrip() + attended + _BREAKDOWN_FIGURES  # every unit's members
    by_unit, total = {}, Breakdown()
    for report_id, women, trained, partial in db.session.execute(dated(text(sql), **day_values(as_of, window))):
        figure = Breakdown(trained or 0, women or 0, partial or 0)
        if report_id is None:
            total = figure
        else:
            by_unit[report_id] = figure
    return by_unit, total


def dtts_breakdown(report: Report, as_of: date, *, window: tuple[date, date] | None = None
                   ) -> tuple[dict[int, tuple[int, int]], tuple[int, int]]:
    """(trained, women) among the ethnic-minority women of each reported unit's pool and of the province."""
    by_unit, total = breakdowns(report, as_of, window=window)
    return ({u: (b.dtts_trained, b.dtts_women) for u, b in by_unit.items()},
            (total.dtts_trained, total.dtts_women))


def add_breakdowns(table: MeasureTable) -> None:
    """Each row of the table gains `dtts_trained`, `dtts_women`, `dtts_share` (None without DTTS women) and
    `partial` (women attending some sessions without completing: one session short, say)."""
    by_unit, total = breakdowns(table.report, table.as_of, window=table.window)
    for row, b in [(r, by_unit.get(r["id"], Breakdown())) for r in table.rows] + [(table.total, total)]:
        row.update(dtts_trained=b.dtts_trained, dtts_women=b.dtts_women,
                   dtts_share=round(b.dtts_trained / b.dtts_women, 4) if b.dtts_women else None, partial=b.partial)


# --- the drill-down: untrained women in a unit's pool -----------------------------------------------

@dataclass(frozen=True)
class PoolWoman:
    person_id: int
    full_name: str
    birth_date: date | None
    position: str | None
    unit_name: str
    planned_posts: str | None


def _member_units(report: Report, unit_id: int) -> list[int]:
    """The units whose pool members count in `unit_id`: it, the units below it, and units folded into those."""
    inside, depth0 = [], None
    for u, depth in report.depth.items():
        if depth0 is None:
            if u == unit_id:
                depth0 = depth
                inside.append(u)
            continue
        if depth <= depth0:
            break
        inside.append(u)
    shown = set(inside)
    return sorted(shown | {u for u, home in report.folded.items() if home in shown})


def untrained_page_people(table: MeasureTable, unit_id: int) -> list[PoolWoman]:
    """The women of `table.untrained` (measure_table's page, in order) with what the page shows of
    them: one statement over those few people, nothing recomputed."""
    if not table.untrained:
        return []
    unit_list = ", ".join(str(int(u)) for u in _member_units(table.report, unit_id) or [-1])
    ids = ", ".join(str(int(person)) for person, _unit in table.untrained)
    rows = {r[0]: r for r in db.session.execute(dated(text(
        "SELECT p.id, p.full_name, p.birth_date, p.position, "
        "(SELECT MAX(pe.planned_posts) FROM pool_entries pe WHERE pe.person_id = p.id "
        f"AND pe.organisation_id IN ({unit_list}) AND {COUNTING}) "
        f"FROM people p WHERE p.id IN ({ids})"), as_of=table.as_of))}
    return [PoolWoman(person, rows[person][1],
                      rows[person][2] if not isinstance(rows[person][2], str) else date.fromisoformat(rows[person][2]),
                      rows[person][3], table.info[unit].name, rows[person][4])
            for person, unit in table.untrained]


# --- trainees: women's and ethnic-minority shares per class and per plan ----------------------------

_TRAINEES = """
SELECT DISTINCT e.class_id, e.person_id, p.sex, p.ethnicity
FROM enrolments e
JOIN training_classes c ON c.id = e.class_id
JOIN people p ON p.id = e.person_id
JOIN attendances a ON a.enrolment_id = e.id
JOIN class_sessions s ON s.id = a.session_id
WHERE c.plan_id = :plan AND c.status <> 'cancelled' AND s.status <> 'cancelled'
  AND a.status IN ('present', 'late') AND e.status IN ('nominated', 'confirmed')
"""


def trainee_table(plan) -> tuple[list[tuple], object]:
    """(class, its shares) for each class of the plan with trainees, and the plan's shares (each person once).
    A trainee attended at least one held session. One statement for the people, one for the classes."""
    rows = db.session.execute(text(_TRAINEES), {"plan": plan.id}).all()
    per_class, overall = trainee_shares([Trainee(*r) for r in rows])
    classes = db.session.scalars(select(TrainingClass).where(TrainingClass.id.in_(list(per_class) or [-1]))
                                 .order_by(TrainingClass.code)).all()
    return [(c, per_class[c.id]) for c in classes], overall

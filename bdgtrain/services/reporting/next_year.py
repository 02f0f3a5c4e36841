"""Draft next year's plan from the forecast: the seats each unit needs next year to meet its trained-share
targets, grouped into classes of the plan's usual size; the organiser edits the draft, and confirming creates
the plan, its classes and the same targets at once, through the planning and target services (issue 23).

Confirming twice creates one plan: the draft carries a token, the digest of the proposal (plan, as-of day,
classes), recorded with the plan it created (audit `plan.next_year.created`); a second confirmation of the same
draft, or of the same proposal opened again, finds that plan instead.
"""
from __future__ import annotations

import hashlib
import re
import statistics
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import AuditEvent, Plan, User
from ...rules import forecast as rules
from ...rules.dates import DateExpressionError, format_date_expression, parse_date_expression
from ...rules.deadlines import DeadlineSpec, format_deadlines
from ..core import audit
from ..planning import planning
from . import targets as target_service
from .forecast import forecast_table

DEFAULT_CAPACITY = 50
MAX_SEATS = 1000  # a class of more is a typing slip
AUDIENCE = "Cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý chưa được tập huấn"
CLASS_TITLE = "Tập huấn nâng cao năng lực về bình đẳng giới cho cán bộ nữ trong diện quy hoạch"
CREATED = "plan.next_year.created"


@dataclass(frozen=True)
class UnitNeed:
    unit_id: int
    code: str
    name: str
    women: int
    trained: int
    seats: int              # to train next year (at most her untrained women)
    goal: rules.GoalForecast | None  # the target that asks the most of next year


@dataclass
class DraftClass:
    title: str
    audience: str
    seats: int | None
    date_expression: str = ""
    keep: bool = True
    units: list[tuple[str, int]] = field(default_factory=list)  # (unit name, its seats), as proposed


@dataclass
class NextYearDraft:
    year: int
    code: str
    number: str
    title: str
    capacity: int
    classes: list[DraftClass]
    needs: list[UnitNeed] = field(default_factory=list)
    token: str = ""


def usual_capacity(plan: Plan) -> int:
    """The median capacity of the plan's classes that state one; else DEFAULT_CAPACITY."""
    sizes = [c.capacity for c in plan.classes if c.capacity]
    return int(statistics.median(sizes)) if sizes else DEFAULT_CAPACITY


def unit_needs(plan: Plan, as_of: date, year: int) -> list[UnitNeed]:
    """Each unit directly below the top of the tree (the top ones when nothing is below) with women in its pool,
    with the seats its targets still ahead on 31/12 of `year` ask of that year, no more than its untrained women."""
    table = forecast_table(as_of, target_service.target_specs(plan), max_depth=1)
    rows = [r for r in table.rows if r.depth == 1] or [r for r in table.rows if r.depth == 0]
    needs = []
    for row in rows:
        result = row.forecast
        if not result.women:
            continue
        ahead = [g for g in result.goals if g.deadline.year >= year and g.seats_per_year is not None]
        goal = max(ahead, key=lambda g: g.seats_per_year, default=None)
        seats = min(goal.seats_per_year, result.women - result.trained) if goal else 0
        needs.append(UnitNeed(row.unit_id, row.code, row.name, result.women, result.trained, seats, goal))
    return needs


def _shifted(expression: str, year: int) -> str:
    """A class's dates moved to `year` (29/2 becomes 28/2), as a date expression; "" when unreadable."""
    try:
        days = parse_date_expression(expression)
    except DateExpressionError:
        return ""
    years = year - days[0].year
    moved = []
    for day in days:
        try:
            moved.append(day.replace(year=day.year + years))
        except ValueError:
            moved.append(day.replace(year=day.year + years, day=28))
    return format_date_expression(sorted(set(moved)))


def _with_year(text: str, old: int | None, year: int) -> str:
    if old is not None and str(old) in text:
        return text.replace(str(old), str(year))
    return f"{text} năm {year}"


def propose(plan: Plan, as_of: date) -> NextYearDraft:
    """The draft for the year after `as_of`'s: classes grouped from the units' needs, in tree order."""
    year = as_of.year + 1
    needs = unit_needs(plan, as_of, year)
    capacity = usual_capacity(plan)
    names = {n.unit_id: n.name for n in needs}
    grouped = rules.group_into_classes([(n.unit_id, n.seats) for n in needs if n.seats > 0], capacity)
    source_year = plan.period_start.year if plan.period_start else None
    earlier = sorted((c for c in plan.classes if not c.is_cancelled), key=lambda c: c.code)
    classes = []
    for index, members in enumerate(grouped):
        units = [(names[unit], seats) for unit, seats in members]
        dates = ""
        if earlier:
            dates = _shifted(earlier[index % len(earlier)].date_expression, year)
        classes.append(DraftClass(
            title=f"Lớp {index + 1}: {CLASS_TITLE}",
            audience=f"{AUDIENCE}: " + ", ".join(f"{name} ({seats})" for name, seats in units),
            seats=sum(seats for _unit, seats in units), date_expression=dates, units=units))
    code = re.sub(r"(19|20)[0-9]{2}$", str(year), plan.code) if re.search(r"(19|20)[0-9]{2}$", plan.code) \
        else f"{plan.code}-{year}"
    # The draft's digest: the same plan, day and proposal give the same token, so a draft confirmed, then
    # opened again (the browser's Back) and confirmed again, finds the plan it made.
    digest = hashlib.sha256(repr((plan.id, as_of.isoformat(), year, [(c.units, c.date_expression) for c in classes]))
                            .encode()).hexdigest()[:32]
    return NextYearDraft(year=year, code=code, number=f"Dự thảo {year}",
                         title=_with_year(plan.title, source_year, year), capacity=capacity, classes=classes,
                         needs=needs, token=digest)


def created_from(plan: Plan, token: str) -> Plan | None:
    """The plan a draft with this token already created, if it still exists."""
    if not token:
        return None
    plan_id = db.session.scalar(select(AuditEvent.object_id).where(
        AuditEvent.action == CREATED, AuditEvent.summary == f"{plan.code} {token}").order_by(AuditEvent.id))
    return db.session.get(Plan, plan_id) if plan_id is not None else None


def _check(draft: NextYearDraft) -> list[DraftClass]:
    if not draft.code.strip():
        raise DomainError("plan.code_missing", _l("Hãy nhập mã kế hoạch."), field="code")
    if not draft.title.strip():
        raise DomainError("plan.title_missing", _l("Hãy nhập tên kế hoạch."), field="title")
    kept = [c for c in draft.classes if c.keep]
    if not kept:
        raise DomainError("next_year.no_class", _l("Hãy giữ lại ít nhất một lớp để lập kế hoạch."))
    for number, cls in enumerate(draft.classes, start=1):
        if not cls.keep:
            continue
        if not cls.title.strip():
            raise DomainError("class.title_missing", _l("Lớp %(n)s: hãy nhập tên lớp.", n=number),
                              field=f"class-{number}-title")
        if cls.seats is None or not 1 <= cls.seats <= MAX_SEATS:
            raise DomainError("class.bad_capacity", _l("Lớp %(n)s: số học viên phải từ 1 đến %(max)s.", n=number,
                                                       max=MAX_SEATS), field=f"class-{number}-seats")
        if not cls.date_expression.strip():
            raise DomainError("date.empty", _l("Lớp %(n)s: hãy nhập ngày dự kiến (có thể sửa sau).", n=number),
                              field=f"class-{number}-dates")
    return kept


def confirm(actor: User | None, plan: Plan, draft: NextYearDraft) -> tuple[Plan, bool]:
    """The plan of the draft, its classes (planned: dự kiến) and the source plan's targets; (plan, False) when
    this draft was confirmed already. Flushes; the caller commits (or rolls back on DomainError)."""
    done = created_from(plan, draft.token)
    if done is not None:
        return done, False
    kept = _check(draft)
    deadlines = [DeadlineSpec(d.label, d.due_day, d.due_month, draft.year if d.due_year is not None else None)
                 for d in plan.report_deadlines]
    new = planning.create_plan(actor, planning.PlanInput(
        code=draft.code, number=draft.number.strip() or f"Dự thảo {draft.year}", title=draft.title.strip(),
        organiser_org_id=plan.organiser_org_id, issuing_org_id=plan.issuing_org_id,
        funding_source=plan.funding_source, period_start=date(draft.year, 1, 1), period_end=date(draft.year, 12, 31),
        description=f"Lập từ dự báo của kế hoạch {plan.code}.", deadlines_text=format_deadlines(deadlines),
        monitor_org_ids=[o.id for o in plan.monitor_orgs]))
    for number, cls in enumerate(draft.classes, start=1):
        if not cls.keep:
            continue
        try:
            planning.create_class(actor, new, planning.ClassInput(
                code=f"LOP-{kept.index(cls) + 1}", title=cls.title.strip(), date_expression=cls.date_expression,
                audience=cls.audience.strip() or None, eligible_sex="F", capacity=cls.seats, status="planned"))
        except DomainError as error:  # name the class the message is about
            raise DomainError(error.code, _l("Lớp %(n)s: %(message)s", n=number, message=error.message),
                              field=f"class-{number}-dates" if error.field == "date_expression" else None) from None
    for target in plan.targets:
        target_service.create_target(actor, new, target_service.TargetInput(
            **{name: getattr(target, name) for name in target_service.TARGET_FIELDS}))
    audit.record(actor, CREATED, new, after={"source": plan.code, "token": draft.token, "classes": len(kept)},
                 summary=f"{plan.code} {draft.token}")
    db.session.flush()
    return new, True


__all__ = ["DraftClass", "NextYearDraft", "UnitNeed", "confirm", "created_from", "propose", "unit_needs",
           "usual_capacity"]

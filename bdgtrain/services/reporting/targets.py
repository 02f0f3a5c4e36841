"""Targets of a plan: create, change, delete (audited), and the plain specs the rules judge by."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...errors import DomainError
from ...extensions import db
from ...models import MEASURES, Organisation, Plan, Target, User
from ...rules.targets import TargetSpec
from ..core import audit

TARGET_FIELDS = ("measure", "value_percent", "deadline", "starts_on", "window_starts_on", "window_ends_on",
                 "scope_org_id", "source")


@dataclass
class TargetInput:
    measure: str
    value_percent: int | None
    deadline: date | None
    starts_on: date | None = None
    scope_org_id: int | None = None
    source: str | None = None
    window_starts_on: date | None = None  # the counting window: both days, or neither
    window_ends_on: date | None = None


def _validate(plan: Plan, data: TargetInput) -> None:
    if data.measure not in MEASURES:
        raise DomainError("target.unknown_measure", _l("Chỉ tiêu không thuộc danh mục đo lường."), field="measure")
    if data.value_percent is None or not 1 <= data.value_percent <= 100:
        raise DomainError("target.value_range", _l("Giá trị chỉ tiêu phải từ 1 đến 100 phần trăm."),
                          field="value_percent")
    if data.deadline is None:
        raise DomainError("target.deadline_missing", _l("Hãy nhập thời hạn đạt chỉ tiêu."), field="deadline")
    if data.starts_on is not None and data.starts_on >= data.deadline:
        raise DomainError("target.start_after_deadline",
                          _l("Ngày bắt đầu tính phải trước thời hạn đạt chỉ tiêu."), field="starts_on")
    if (data.window_starts_on is None) != (data.window_ends_on is None):
        raise DomainError("target.window_incomplete",
                          _l("Thời kỳ tính chỉ tiêu cần cả ngày bắt đầu và ngày kết thúc, hoặc để trống cả hai."),
                          field="window_ends_on" if data.window_ends_on is None else "window_starts_on")
    if data.window_starts_on is not None and data.window_ends_on < data.window_starts_on:
        raise DomainError("target.window_reversed",
                          _l("Thời kỳ tính chỉ tiêu kết thúc trước khi bắt đầu: ngày kết thúc phải sau ngày bắt "
                             "đầu."), field="window_ends_on")
    if data.scope_org_id is not None and db.session.get(Organisation, data.scope_org_id) is None:
        raise DomainError("org.unknown", _l("Có đơn vị được chọn không tồn tại."), field="scope_org_id")


def create_target(actor: User | None, plan: Plan, data: TargetInput) -> Target:
    _validate(plan, data)
    target = Target(plan=plan, **{name: getattr(data, name) for name in TARGET_FIELDS})
    db.session.add(target)
    db.session.flush()
    audit.record(actor, "plan.target.created", target, after=audit.snapshot(target, TARGET_FIELDS),
                 summary=plan.code)
    return target


def update_target(actor: User | None, target: Target, data: TargetInput) -> Target:
    _validate(target.plan, data)
    before = audit.snapshot(target, TARGET_FIELDS)
    for name in TARGET_FIELDS:
        setattr(target, name, getattr(data, name))
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(target, TARGET_FIELDS))
    if new:
        audit.record(actor, "plan.target.updated", target, before=old, after=new, summary=target.plan.code)
    return target


def delete_target(actor: User | None, target: Target) -> None:
    audit.record(actor, "plan.target.deleted", target, before=audit.snapshot(target, TARGET_FIELDS),
                 summary=target.plan.code)
    db.session.delete(target)
    db.session.flush()


def get_target(plan: Plan, target_id: int) -> Target:
    target = db.session.get(Target, target_id)
    if target is None or target.plan_id != plan.id:
        raise DomainError("not_found", _l("Không tìm thấy chỉ tiêu."))
    return target


def spec_of(target: Target) -> TargetSpec:
    """The plain target the rules judge by; without its own start, the programme starts with its plan."""
    starts_on = target.starts_on or target.plan.period_start
    if starts_on is not None and starts_on >= target.deadline:
        starts_on = None
    window = (target.window_starts_on, target.window_ends_on) if target.window_starts_on else None
    return TargetSpec(id=target.id, measure=target.measure, value=target.value_percent / 100,
                      deadline=target.deadline, starts_on=starts_on, scope_id=target.scope_org_id, window=window,
                      scope_is_top=target.scope_org is not None and target.scope_org.parent_id is None)


def target_specs(plan: Plan | None = None) -> list[TargetSpec]:
    """The targets of one plan, or of every plan (the CLI, which names no plan)."""
    query = (select(Target).options(joinedload(Target.plan), joinedload(Target.scope_org))
             .order_by(Target.deadline, Target.id))
    if plan is not None:
        query = query.where(Target.plan_id == plan.id)
    return [spec_of(t) for t in db.session.scalars(query)]

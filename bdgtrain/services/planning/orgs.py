"""Organisations: the tree of units, their effective dates and successors, and their history.

A unit's parent and name are dated (`OrganisationPeriod`): moving or renaming it on a day ends its
latest period the day before and starts a new one, so nothing recorded for an earlier day changes
(docs/ARCHITECTURE.md, "Organisations through time"). Changes are only ever added after the latest
period's first day. The edit form's parent and name correct the latest period instead (a typo, a
wrong parent), without a date. Ending a unit names its successors, one or several.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select

from ...errors import DomainError
from ...extensions import db
from ...localtime import format_date, local_today
from ...models import (
    ORG_KINDS,
    Organisation,
    OrganisationPeriod,
    OrganisationSuccessor,
    Person,
    Plan,
    User,
    class_suppliers,
    plan_monitors,
)
from ...models.base import utcnow
from ...rules import org_tree
from ...rules.names import fold, text_sort_key
from ...rules.trained_share import Unit
from ..core import audit

ORG_FIELDS = ("code", "name", "kind", "parent_id", "valid_from", "valid_to", "successor_id", "note")


@dataclass
class OrgInput:
    code: str
    name: str
    kind: str
    parent_id: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_id: int | None = None
    note: str | None = None


def _edges() -> list[tuple[int, int | None]]:
    return [(row.id, row.parent_id) for row in db.session.execute(select(Organisation.id, Organisation.parent_id))]


def _validate(data: OrgInput, org: Organisation | None) -> str:
    code = data.code.strip().upper()
    conditions = [func.upper(Organisation.code) == code]
    if org is not None:
        conditions.append(Organisation.id != org.id)
    if db.session.scalar(select(exists().where(*conditions))):
        raise DomainError("org.duplicate_code", _l("Mã đơn vị \"%(code)s\" đã được dùng.", code=code), field="code")
    if data.kind not in ORG_KINDS:
        raise DomainError("org.bad_kind", _l("Loại đơn vị không hợp lệ."), field="kind")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise DomainError("org.period_reversed", _l("Ngày giải thể phải sau ngày thành lập."), field="valid_to")
    if data.successor_id is not None and data.valid_to is None:
        raise DomainError("org.successor_without_end",
                          _l("Chỉ đơn vị đã giải thể hoặc sáp nhập (có ngày kết thúc) mới có đơn vị kế thừa."),
                          field="successor_id")
    for name, target in (("parent_id", data.parent_id), ("successor_id", data.successor_id)):
        if target is not None and db.session.get(Organisation, target) is None:
            raise DomainError("org.unknown", _l("Đơn vị được chọn không tồn tại."), field=name)
    if org is not None:
        if data.successor_id == org.id:
            raise DomainError("org.own_successor", _l("Đơn vị không thể kế thừa chính nó."), field="successor_id")
        if data.parent_id == org.id or org_tree.would_create_cycle(_edges(), org.id, data.parent_id):
            raise DomainError("org.cycle",
                              _l("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó."),
                              field="parent_id")
        periods = sorted_periods(org)
        if len(periods) > 1 and data.valid_from is not None and data.valid_from >= periods[1].valid_from:
            raise DomainError("org.start_after_change", _l(
                "Ngày thành lập phải trước ngày %(day)s, ngày đơn vị bắt đầu giai đoạn thứ hai trong lịch sử.",
                day=format_date(periods[1].valid_from)), field="valid_from")
        if periods and data.valid_to is not None:
            _check_end_after_latest(periods, data.valid_to)
        if data.successor_id is not None and data.successor_id != org.successor_id:
            _check_successor(org, db.session.get(Organisation, data.successor_id), data.valid_to)
    return code


def create_org(actor: User | None, data: OrgInput) -> Organisation:
    code = _validate(data, None)
    org = Organisation(code=code)
    for name in ORG_FIELDS[1:]:
        setattr(org, name, getattr(data, name))
    db.session.add(org)
    db.session.flush()
    db.session.add(OrganisationPeriod(organisation=org, valid_from=org.valid_from, parent_id=org.parent_id,
                                      name=org.name))
    if org.successor_id is not None:
        db.session.add(OrganisationSuccessor(organisation_id=org.id, successor_id=org.successor_id))
    db.session.flush()
    audit.record(actor, "org.created", org, after=audit.snapshot(org, ORG_FIELDS), summary=org.name)
    return org


def update_org(actor: User | None, org: Organisation, data: OrgInput) -> Organisation:
    code = _validate(data, org)
    before = audit.snapshot(org, ORG_FIELDS)
    org.code = code
    for name in ORG_FIELDS[1:]:
        setattr(org, name, getattr(data, name))
    # The form's parent and name correct the latest period (no date: not a move, not a rename).
    periods = _periods(org)
    periods[0].valid_from = org.valid_from
    periods[-1].parent_id, periods[-1].name = org.parent_id, org.name
    if org.successor_id != before["successor_id"]:
        _set_successors(org, [org.successor_id] if org.successor_id is not None else [])
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(org, ORG_FIELDS))
    if new:
        action = "org.ended" if "valid_to" in new and org.valid_to else "org.updated"
        audit.record(actor, action, org, before=old, after=new, summary=org.name)
    return org


def subtree_ids(org: Organisation) -> set[int]:
    return org_tree.subtree(_edges(), org.id)


def org_in_use(org: Organisation) -> bool:
    """Whether anything refers to the unit, in which case it can only be ended, not deleted."""
    checks = [
        exists().where(Organisation.parent_id == org.id),
        exists().where(Organisation.successor_id == org.id),
        exists().where(OrganisationPeriod.parent_id == org.id),
        exists().where(OrganisationSuccessor.successor_id == org.id),
        exists().where(User.organisation_id == org.id),
        exists().where(or_(Plan.organiser_org_id == org.id, Plan.issuing_org_id == org.id)),
        exists().where(plan_monitors.c.organisation_id == org.id),
        exists().where(class_suppliers.c.organisation_id == org.id),
        exists().where(Person.organisation_id == org.id),
    ]
    return any(db.session.scalar(select(check)) for check in checks)


def delete_org(actor: User | None, org: Organisation) -> None:
    if org_in_use(org):
        raise DomainError("org.in_use", _l("Đơn vị đang được sử dụng (có đơn vị cấp dưới, tài khoản, kế hoạch "
                                           "hoặc học viên) nên không thể xóa; hãy ghi ngày giải thể thay vì xóa."))
    audit.record(actor, "org.deleted", org, before=audit.snapshot(org, ORG_FIELDS), summary=org.name)
    db.session.delete(org)
    db.session.flush()


def get_org(code: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise DomainError("not_found", _l("Không tìm thấy đơn vị \"%(code)s\".", code=code))
    return org


def org_tree_rows(query: str | None = None, active_on: date | None = None) -> list[tuple[Organisation, int]]:
    """Every unit with its depth, in tree order (one query); filtered rows keep their depth. Siblings in
    Vietnamese order, the ended ones after those still in being (issue 21: an ended district came first)."""
    today = local_today()
    orgs = sorted(db.session.scalars(select(Organisation)), key=lambda o: unit_order(o, today))
    by_id = {o.id: o for o in orgs}
    rows = [(by_id[i], depth) for i, depth in org_tree.walk([(o.id, o.parent_id) for o in orgs])]
    if query:
        needle = fold(query)
        rows = [(o, d) for o, d in rows if needle in fold(o.name) or needle in o.code.lower()]
    if active_on is not None:
        rows = [(o, d) for o, d in rows if o.is_active_on(active_on)]
    return rows


def unit_order(org: Organisation, today: date) -> tuple[bool, str]:
    """The sort key of units in every list and choice: those in being first, then Vietnamese order."""
    return not org.is_active_on(today), text_sort_key(org.name)


def org_choices(include_ended: bool = True) -> list[tuple[int, str]]:
    today = local_today()
    return [(o.id, "\u00a0\u00a0" * depth
             + (o.name if o.is_active_on(today) else _("%(name)s (đã giải thể)", name=o.name)))
            for o, depth in org_tree_rows() if include_ended or o.is_active_on(today)]


# --- history: moves, renames, ends ----------------------------------------------------------------------

def sorted_periods(org: Organisation) -> list[OrganisationPeriod]:
    """The unit's periods, oldest first (the first may start on no day: since the unit began)."""
    return sorted(org.periods, key=lambda p: (p.valid_from is not None, p.valid_from or date.min, p.id or 0))


def _periods(org: Organisation) -> list[OrganisationPeriod]:
    """sorted_periods, giving a unit written without one (by hand, before the history) its first."""
    periods = sorted_periods(org)
    if not periods:
        periods = [OrganisationPeriod(organisation=org, valid_from=org.valid_from, parent_id=org.parent_id,
                                      name=org.name)]
        db.session.add(periods[0])
    return periods


def _check_end_after_latest(periods: list[OrganisationPeriod], last_day: date, field_name: str = "valid_to") -> None:
    latest = periods[-1].valid_from
    if latest is not None and last_day < latest:
        raise DomainError("org.before_current_period", _l(
            "Ngày kết thúc %(day)s trước ngày %(start)s, ngày bắt đầu giai đoạn hiện tại của đơn vị; "
            "lịch sử trước đó không được sửa.", day=format_date(last_day), start=format_date(latest)),
            field=field_name)


def _check_day(org: Organisation, day: date | None, field_name: str, label) -> list[OrganisationPeriod]:
    """A move's or rename's day: given, inside the unit's existence, not before its latest period."""
    if day is None:
        raise DomainError("org.day_missing", _l("Hãy nhập %(label)s.", label=str(label).lower()), field=field_name)
    if (org.valid_from is not None and day < org.valid_from) or (org.valid_to is not None and day > org.valid_to):
        raise DomainError("org.day_outside", _l(
            "%(label)s %(day)s nằm ngoài thời gian hoạt động của đơn vị (%(start)s – %(end)s).",
            label=label, day=format_date(day), start=format_date(org.valid_from) or "…",
            end=format_date(org.valid_to) or "…"), field=field_name)
    periods = _periods(org)
    latest = periods[-1].valid_from
    if latest is not None and day < latest:
        raise DomainError("org.before_current_period", _l(
            "%(label)s phải từ ngày %(start)s trở đi (ngày bắt đầu giai đoạn hiện tại của đơn vị): "
            "lịch sử trước đó không được sửa.", label=label, start=format_date(latest)), field=field_name)
    return periods


def _start_period(org: Organisation, periods: list[OrganisationPeriod], day: date, **values) -> OrganisationPeriod:
    """The period from `day` on with `values` changed: the latest itself when it starts that day, else a new one."""
    latest = periods[-1]
    if latest.valid_from == day:
        period = latest
    else:
        latest.valid_to = day - timedelta(days=1)
        period = OrganisationPeriod(organisation=org, valid_from=day, parent_id=latest.parent_id, name=latest.name)
        db.session.add(period)
    for name, value in values.items():
        setattr(period, name, value)
    # The unit's own row says its latest period, and its updated_at tells the reports' cache.
    org.parent_id, org.name, org.updated_at = period.parent_id, period.name, utcnow()
    return period


def _dated_units() -> dict[int, Unit]:
    """Every unit with its dated parents (two statements), for checking a move on every later day too."""
    periods: dict[int, list] = {}
    for p in db.session.execute(select(OrganisationPeriod.organisation_id, OrganisationPeriod.valid_from,
                                       OrganisationPeriod.parent_id)):
        periods.setdefault(p.organisation_id, []).append((p.valid_from, p.parent_id))
    units = {}
    for o in db.session.execute(select(Organisation.id, Organisation.parent_id)):
        history = sorted(periods.get(o.id, ()), key=lambda p: (p[0] is not None, p[0] or date.min))
        units[o.id] = Unit(o.id, o.parent_id, parents=tuple(history))
    return units


def _cycle_day(org: Organisation, day: date, parent_id: int | None) -> date | None:
    """The first day, from `day` on, on which putting `org` under `parent_id` from `day` would place it below
    itself, given every unit's recorded moves; None when it never does."""
    if parent_id is None:
        return None
    if parent_id == org.id:
        return day
    units = _dated_units()
    checkpoints = {day} | {since for u in units.values() for since, _ in u.parents if since is not None and since > day}
    for when in sorted(checkpoints):
        edges = [(u.id, parent_id if u.id == org.id else u.parent_on(when)) for u in units.values()]
        if org_tree.would_create_cycle(edges, org.id, parent_id):
            return when
    return None


def move_org(actor: User | None, org: Organisation, day: date | None, parent_id: int | None) -> OrganisationPeriod:
    """Put the unit under `parent_id` from `day` on; its figures before that day stay with its old parent."""
    periods = _check_day(org, day, "moved_on", _l("Ngày chuyển"))
    parent = db.session.get(Organisation, parent_id) if parent_id is not None else None
    if parent_id is not None and parent is None:
        raise DomainError("org.unknown", _l("Đơn vị cấp trên mới không tồn tại."), field="parent_id")
    old_parent = periods[-1].parent_id
    if parent_id == old_parent:
        raise DomainError("org.same_parent", _l("Đơn vị đã trực thuộc đơn vị cấp trên này vào ngày %(day)s.",
                                                day=format_date(day)), field="parent_id")
    if parent is not None and not parent.is_active_on(day):
        raise DomainError("org.parent_inactive", _l("Đơn vị cấp trên mới %(name)s không hoạt động vào ngày %(day)s.",
                                                    name=parent.name, day=format_date(day)), field="parent_id")
    cycle = _cycle_day(org, day, parent_id)
    if cycle is not None:
        raise DomainError("org.cycle", _l(
            "Không thể chuyển: đơn vị %(name)s sẽ là cấp trên của chính nó vào ngày %(day)s (đơn vị cấp trên mới "
            "đang ở dưới nó).", name=org.name, day=format_date(cycle)), field="parent_id")
    period = _start_period(org, periods, day, parent_id=parent_id)
    db.session.flush()
    audit.record(actor, "org.moved", org, before={"parent_id": old_parent},
                 after={"parent_id": parent_id, "on": day.isoformat()}, summary=org.name)
    return period


def rename_org(actor: User | None, org: Organisation, day: date | None, name: str | None) -> OrganisationPeriod:
    """Give the unit a new name from `day` on; reports of earlier days keep the old one."""
    name = (name or "").strip()
    if not name:
        raise DomainError("org.name_missing", _l("Hãy nhập tên mới của đơn vị."), field="name")
    if len(name) > 255:
        raise DomainError("org.name_too_long", _l("Tên đơn vị dài quá 255 ký tự."), field="name")
    periods = _check_day(org, day, "renamed_on", _l("Ngày đổi tên"))
    old_name = periods[-1].name
    if name == old_name:
        raise DomainError("org.same_name", _l("Tên mới trùng với tên hiện tại của đơn vị."), field="name")
    period = _start_period(org, periods, day, name=name)
    db.session.flush()
    audit.record(actor, "org.renamed", org, before={"name": old_name}, after={"name": name, "on": day.isoformat()},
                 summary=name)
    return period


def _heirs(org: Organisation) -> list[Organisation]:
    return [link.successor for link in org.successor_links]


def _check_successor(org: Organisation, heir: Organisation | None, last_day: date | None,
                     field_name: str = "successor_id") -> None:
    if heir is None:
        raise DomainError("org.unknown", _l("Đơn vị kế thừa được chọn không tồn tại."), field=field_name)
    if heir.id == org.id:
        raise DomainError("org.own_successor", _l("Đơn vị không thể kế thừa chính nó."), field=field_name)
    if last_day is not None and heir.valid_to is not None and heir.valid_to < last_day:
        raise DomainError("org.successor_ended", _l(
            "Đơn vị kế thừa %(name)s đã kết thúc ngày %(end)s, trước ngày kết thúc của đơn vị này (%(day)s).",
            name=heir.name, end=format_date(heir.valid_to), day=format_date(last_day)), field=field_name)
    seen, todo = {heir.id}, [heir]
    while todo:  # the successor's own successors must not lead back to this unit
        for after in _heirs(todo.pop()):
            if after.id == org.id:
                raise DomainError("org.successor_cycle", _l(
                    "Đơn vị %(name)s đã nhận đơn vị này làm đơn vị kế thừa (trực tiếp hoặc gián tiếp): không thể "
                    "kế thừa lẫn nhau.", name=heir.name), field=field_name)
            if after.id not in seen:
                seen.add(after.id)
                todo.append(after)


def _set_successors(org: Organisation, successor_ids: list[int], note: str | None = None) -> None:
    wanted = list(dict.fromkeys(successor_ids))
    for link in list(org.successor_links):
        if link.successor_id not in wanted:
            org.successor_links.remove(link)
    have = {link.successor_id for link in org.successor_links}
    for heir_id in wanted:
        if heir_id not in have:
            org.successor_links.append(OrganisationSuccessor(organisation_id=org.id, successor_id=heir_id, note=note))
    org.successor_id = wanted[0] if wanted else None


def check_end(org: Organisation, last_day: date | None, successor_ids: list[int] | None = None) -> list[Organisation]:
    """Refuse an end that `end_org` would refuse, writing nothing (for a confirmation page); return the successors."""
    if last_day is None:
        raise DomainError("org.day_missing", _l("Hãy nhập ngày kết thúc (ngày cuối cùng đơn vị hoạt động)."),
                          field="valid_to")
    if org.valid_from is not None and last_day < org.valid_from:
        raise DomainError("org.period_reversed", _l(
            "Ngày kết thúc %(day)s trước ngày thành lập đơn vị (%(start)s).", day=format_date(last_day),
            start=format_date(org.valid_from)), field="valid_to")
    _check_end_after_latest(sorted_periods(org), last_day)
    heirs = []
    for heir_id in dict.fromkeys(successor_ids or []):
        heir = db.session.get(Organisation, heir_id)
        _check_successor(org, heir, last_day, "successor_ids")
        heirs.append(heir)
    return heirs


def end_org(actor: User | None, org: Organisation, last_day: date | None, successor_ids: list[int] | None = None,
            note: str | None = None) -> Organisation:
    """End the unit after `last_day`, passing its work to `successor_ids` (none, one, or several: a district
    split among communes). Its figures for earlier days stay its own; reports may fold it into them."""
    successor_ids = [heir.id for heir in check_end(org, last_day, successor_ids)]
    _periods(org)
    before = {"valid_to": _iso(org.valid_to), "successor_ids": [link.successor_id for link in org.successor_links]}
    org.valid_to = last_day
    _set_successors(org, successor_ids, note)
    org.updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "org.ended", org, before=before,
                 after={"valid_to": last_day.isoformat(), "successor_ids": successor_ids}, summary=org.name)
    return org


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class OrgHistory:
    periods: list[OrganisationPeriod]
    successors: list[OrganisationSuccessor]
    predecessors: list[Organisation] = field(default_factory=list)  # units that passed their work to this one


def org_history(org: Organisation) -> OrgHistory:
    predecessors = db.session.scalars(select(Organisation).join(
        OrganisationSuccessor, OrganisationSuccessor.organisation_id == Organisation.id).where(
        OrganisationSuccessor.successor_id == org.id).order_by(Organisation.name)).all()
    return OrgHistory(sorted_periods(org), list(org.successor_links), list(predecessors))


def organisation_on(org: Organisation, day: date) -> tuple[Organisation, str]:
    """The unit that stood for `org` on `day` and its name that day: `org` itself while it existed, else the
    end of its successor chain by then (one successor each; with several, the first), named as on `day`."""
    seen = {org.id}
    while org.valid_to is not None and org.valid_to < day and org.successor_id is not None \
            and org.successor_id not in seen:
        seen.add(org.successor_id)
        org = org.successor
    return org, name_on(org, day)


def name_on(org: Organisation, day: date) -> str:
    """The unit's name on `day` (before its first period: its first name)."""
    periods = sorted_periods(org)
    name = periods[0].name if periods else org.name
    for period in periods:
        if period.valid_from is not None and period.valid_from > day:
            break
        name = period.name
    return name

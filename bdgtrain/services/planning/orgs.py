"""Organisations: the tree of units, their effective dates and successors."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select

from ...errors import DomainError
from ...extensions import db
from ...models import ORG_KINDS, Organisation, Person, Plan, User, class_suppliers, plan_monitors
from ...rules import org_tree
from ...rules.names import fold
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
    return code


def create_org(actor: User | None, data: OrgInput) -> Organisation:
    code = _validate(data, None)
    org = Organisation(code=code)
    for name in ORG_FIELDS[1:]:
        setattr(org, name, getattr(data, name))
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "org.created", org, after=audit.snapshot(org, ORG_FIELDS), summary=org.name)
    return org


def update_org(actor: User | None, org: Organisation, data: OrgInput) -> Organisation:
    code = _validate(data, org)
    before = audit.snapshot(org, ORG_FIELDS)
    org.code = code
    for name in ORG_FIELDS[1:]:
        setattr(org, name, getattr(data, name))
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
    """Every unit with its depth, in tree order (one query); filtered rows keep their depth."""
    orgs = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    by_id = {o.id: o for o in orgs}
    rows = [(by_id[i], depth) for i, depth in org_tree.walk([(o.id, o.parent_id) for o in orgs])]
    if query:
        needle = fold(query)
        rows = [(o, d) for o, d in rows if needle in fold(o.name) or needle in o.code.lower()]
    if active_on is not None:
        rows = [(o, d) for o, d in rows if o.is_active_on(active_on)]
    return rows


def org_choices(include_ended: bool = True) -> list[tuple[int, str]]:
    today = date.today()
    return [(o.id, "\u00a0\u00a0" * depth
             + (o.name if o.is_active_on(today) else _("%(name)s (đã giải thể)", name=o.name)))
            for o, depth in org_tree_rows() if include_ended or o.is_active_on(today)]

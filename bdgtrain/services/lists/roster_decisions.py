"""The organiser's decisions on a class's roster: seats per body, confirming the nominated, a new status
for one person, and who replaces whom (with the candidates to choose from). Each change is audited with
the fields it changed; seats freed by a change are offered by services/planning/seats.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, exists, func, select, update
from sqlalchemy.orm import contains_eager

from ...errors import DomainError
from ...extensions import db
from ...models import Attendance, Enrolment, Organisation, Person, SeatQuota, TrainingClass, User
from ...models.base import utcnow
from ...rules.names import fold
from ..core import audit
from .lists import ACTIVE_STATUSES
from .seats import WAITING, check_seat_for

ENROLMENT_FIELDS = ("status", "status_note", "replaced_by_id", "body_org_id")


def set_quota(actor: User | None, cls: TrainingClass, organisation_id: int, seats: int | None) -> None:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise DomainError("org.unknown", _l("Đơn vị được chọn không tồn tại."), field="organisation_id")
    quota = db.session.scalar(select(SeatQuota).where(SeatQuota.class_id == cls.id,
                                                      SeatQuota.organisation_id == organisation_id))
    before = {"seats": quota.seats} if quota else None
    if seats is None:
        if quota is not None:
            db.session.delete(quota)
    elif seats < 0:
        raise DomainError("lists.bad_quota", _l("Số suất phải là số không âm."), field="seats")
    elif quota is None:
        db.session.add(SeatQuota(class_id=cls.id, organisation_id=organisation_id, seats=seats))
    else:
        quota.seats = seats
    db.session.flush()
    audit.record(actor, "lists.quota.changed", cls, before=before,
                 after={"seats": seats} if seats is not None else None,
                 summary=f"{cls.code}: {organisation.name}")


def confirm_nominated(actor: User | None, cls: TrainingClass, enrolment_ids: list[int] | None = None) -> int:
    """Confirm the nominated people (all of them, or those given); returns how many."""
    if cls.is_cancelled:
        raise DomainError("lists.class_cancelled", _l("Lớp đã hủy: không thể xác nhận danh sách."))
    query = update(Enrolment).where(Enrolment.class_id == cls.id, Enrolment.status == "nominated")
    if enrolment_ids is not None:
        query = query.where(Enrolment.id.in_(enrolment_ids))
    count = db.session.execute(query.values(status="confirmed", updated_at=utcnow())).rowcount
    audit.record(actor, "lists.roster.confirmed", cls, after={"confirmed": count},
                 summary=f"{cls.plan.code}/{cls.code}")
    db.session.flush()
    return count


def _change(actor, enrolment: Enrolment, action: str, **values) -> Enrolment:
    before = audit.snapshot(enrolment, ENROLMENT_FIELDS)
    for name, value in values.items():
        setattr(enrolment, name, value)
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(enrolment, ENROLMENT_FIELDS))
    audit.record(actor, action, enrolment, before=old, after=new, summary=enrolment.person.full_name)
    return enrolment


def set_enrolment_status(actor: User | None, enrolment: Enrolment, status: str, note: str | None = None) -> Enrolment:
    if status not in ("nominated", "confirmed", "declined"):
        raise DomainError("lists.bad_status", _l("Trạng thái không hợp lệ."), field="status")
    if status == "declined" and not (note or "").strip():
        raise DomainError("lists.reason_missing", _l("Vui lòng ghi lý do không tham gia."), field="note")
    if enrolment.status == "replaced":
        raise DomainError("lists.replaced", _l("Người này đã được thay bằng người khác; hãy sửa ở người thay thế."))
    if status in ACTIVE_STATUSES:
        check_seat_for(enrolment.training_class, enrolment)  # from the waiting list or back from declined
    return _change(actor, enrolment, f"lists.enrolment.{status}", status=status,
                   status_note=(note or "").strip() or None)


def replace_enrolment(actor: User | None, enrolment: Enrolment, replacement: Enrolment,
                      note: str | None = None) -> Enrolment:
    """She will not come; `replacement` (already on the roster, or on its waiting list) comes in her place.
    History is kept. Someone from the waiting list takes her seat (a seat she held, or a free one)."""
    if replacement is None or replacement.class_id != enrolment.class_id or replacement.id == enrolment.id:
        raise DomainError("lists.bad_replacement", _l("Người thay thế phải là một người khác trong danh sách lớp."),
                          field="replacement_id")
    if replacement.status not in (*ACTIVE_STATUSES, WAITING):
        raise DomainError("lists.bad_replacement", _l("Người thay thế phải đang có tên trong danh sách lớp "
                                                      "hoặc danh sách chờ."), field="replacement_id")
    if db.session.scalar(select(exists().where(Attendance.enrolment_id == enrolment.id))):
        raise DomainError("lists.attended", _l("Người này đã điểm danh nên không thể thay người khác."))
    if replacement.status == WAITING:
        if enrolment.status not in ACTIVE_STATUSES:
            check_seat_for(enrolment.training_class, replacement)  # no seat of hers to take: a free one
        _change(actor, replacement, "lists.enrolment.promoted", status="nominated")
    if replacement.body_org_id is None:
        replacement.body_org_id = enrolment.body_org_id  # she takes the seat of the one she replaces
    return _change(actor, enrolment, "lists.enrolment.replaced", status="replaced", replaced_by_id=replacement.id,
                   status_note=(note or "").strip() or None)


def get_enrolment(cls: TrainingClass, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.class_id != cls.id:
        raise DomainError("not_found", _l("Không tìm thấy học viên trong lớp này."))
    return enrolment


def _replacement_candidates(enrolment: Enrolment, q: str):
    """Who may take `enrolment`'s place (on the waiting list, or another active enrolment), with her
    name containing the folded `q` when given."""
    query = select(Enrolment).join(Person, Person.id == Enrolment.person_id).where(
        Enrolment.class_id == enrolment.class_id, Enrolment.id != enrolment.id,
        Enrolment.status.in_((*ACTIVE_STATUSES, WAITING)))
    if q.strip():
        query = query.where(Person.name_folded.contains(fold(q.strip()), autoescape=True))
    return query


def list_replacements(enrolment: Enrolment, q: str = "", limit: int | None = None) -> list[Enrolment]:
    """Who may take `enrolment`'s place: the class's waiting list in its order, then its other active
    enrolments by name; only those whose name contains `q` (without diacritics) when given, the first
    `limit` when given (a class of 3,000 made 3,000 choices). One statement, each with her person."""
    waiting_first = case((Enrolment.status == WAITING, 0), else_=1)
    query = (_replacement_candidates(enrolment, q).options(contains_eager(Enrolment.person))
             .order_by(waiting_first, case((Enrolment.status == WAITING, Enrolment.id), else_=None),
                       Person.name_sort_key, Person.id))
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def count_replacements(enrolment: Enrolment, q: str = "") -> int:
    return db.session.scalar(select(func.count()).select_from(_replacement_candidates(enrolment, q).subquery())) or 0

"""Seats of a class: its capacity enforced, and the waiting list behind it.

A seat is held by an enrolment in ACTIVE_STATUSES. When a class with a capacity is full, a new
nomination is written "waiting" (import_writing); a seat that frees (declined, replaced, a higher
capacity) is offered to the waiting people in nomination order (the enrolment's id: enrolments are
written in the order of the lists and of their rows). Whoever changes seats first locks the class row
(lock_class), so two imports at once cannot both take the last seat. Seat quotas per nominating body
(SeatQuota, "suất") are counted over seats held; waiting people count in no quota.

Sending the promoted people an invitation is the calendar area's (planning/seats.py calls both).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import database
from ...errors import DomainError
from ...extensions import db
from ...models import Enrolment, Person, TrainingClass, User
from ...models.base import utcnow
from ..core import audit

ACTIVE_STATUSES = ("nominated", "confirmed")  # enrolments that hold a seat
WAITING = "waiting"


def lock_class(cls: TrainingClass) -> int | None:
    """Lock the class row until the transaction ends and answer its capacity as stored now.

    PostgreSQL: SELECT ... FOR UPDATE, so a second import of the class waits here until the first
    commits and then counts its seats. SQLite: every writing transaction already holds the database's
    write lock (database.py, BEGIN IMMEDIATE); a read-first one takes it here."""
    database.take_write_lock(db.session)
    return db.session.execute(select(TrainingClass.capacity).where(TrainingClass.id == cls.id)
                              .with_for_update()).scalar_one()


def seats_taken(cls: TrainingClass) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))) or 0


def waiting_count(cls: TrainingClass) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == cls.id, Enrolment.status == WAITING)) or 0


def free_seats(capacity: int | None, taken: int) -> int | None:
    """Seats still open; None: the class has no capacity, every nomination gets a seat."""
    return None if capacity is None else max(capacity - taken, 0)


def waiting_query(cls: TrainingClass):
    """The waiting list, first to be offered a seat first."""
    return (select(Enrolment).where(Enrolment.class_id == cls.id, Enrolment.status == WAITING)
            .join(Person, Person.id == Enrolment.person_id).order_by(Enrolment.id))


def promote_waiting(actor: User | None, cls: TrainingClass) -> list[Enrolment]:
    """Offer every free seat to the waiting list, in order: each promoted person becomes "nominated"
    (audited lists.enrolment.promoted). Answers them, for the invitations."""
    capacity = lock_class(cls)
    open_seats = free_seats(capacity, seats_taken(cls))
    query = waiting_query(cls)
    if open_seats is not None:
        if open_seats == 0:
            return []
        query = query.limit(open_seats)
    promoted = list(db.session.scalars(query))
    now = utcnow()
    for enrolment in promoted:
        enrolment.status, enrolment.updated_at = "nominated", now
    db.session.flush()
    for enrolment in promoted:
        audit.record(actor, "lists.enrolment.promoted", enrolment, before={"status": WAITING},
                     after={"status": "nominated"}, summary=enrolment.person.full_name)
    return promoted


def status_for_new(cls: TrainingClass) -> str:
    """The status of one more nomination to the class: "nominated" while a seat is free, else "waiting"
    (under the class's lock, which the caller's transaction keeps until it commits)."""
    capacity = lock_class(cls)
    return "nominated" if capacity is None or seats_taken(cls) < capacity else WAITING


def check_seat_for(cls: TrainingClass, enrolment: Enrolment) -> None:
    """Refuse to give `enrolment` (not holding a seat now) a seat of a full class: the waiting list
    comes first, and the capacity is the organiser's to raise."""
    if enrolment.status in ACTIVE_STATUSES:
        return
    capacity = lock_class(cls)
    if capacity is not None and seats_taken(cls) >= capacity:
        raise DomainError("lists.class_full", _l(
            "Lớp đã đủ %(capacity)s chỗ: không thể xếp thêm người. Hãy tăng số học viên tối đa của lớp, hoặc để "
            "người này chờ chỗ trống.", capacity=capacity))


def check_capacity(cls: TrainingClass, capacity: int | None) -> None:
    """A capacity below the seats already held is refused: nobody loses a seat she was given."""
    if capacity is None or capacity <= 0 or cls.id is None:
        return  # no limit, or a number the class form refuses for itself
    lock_class(cls)
    taken = seats_taken(cls)
    if capacity < taken:
        raise DomainError("class.capacity_below_enrolled", _l(
            "Lớp đã có %(taken)s người được xếp chỗ: số học viên tối đa không thể nhỏ hơn %(taken)s. Muốn giảm, "
            "hãy chuyển bớt người sang “Không tham gia” trước.", taken=taken), field="capacity")

"""Trainers (giảng viên, báo cáo viên) and venues (địa điểm) that classes refer to."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from ...errors import DomainError
from ...extensions import db
from ...models import Trainer, TrainingClass, User, Venue, class_trainers
from ...rules.names import sort_key, text_sort_key, tidy_text
from ..core import audit

TRAINER_FIELDS = ("name", "academic_title", "affiliation", "email")
VENUE_FIELDS = ("name", "address", "capacity")


@dataclass
class TrainerInput:
    name: str
    academic_title: str | None = None
    affiliation: str | None = None
    email: str | None = None


@dataclass
class VenueInput:
    name: str
    address: str | None = None
    capacity: int | None = None


def save_trainer(actor: User | None, data: TrainerInput, trainer: Trainer | None = None) -> Trainer:
    if not tidy_text(data.name):
        raise DomainError("trainer.name_missing", _l("Vui lòng nhập họ tên giảng viên."), field="name")
    creating = trainer is None
    trainer = trainer or Trainer()
    before = audit.snapshot(trainer, TRAINER_FIELDS) if not creating else None
    for name in TRAINER_FIELDS:
        value = getattr(data, name)
        setattr(trainer, name, tidy_text(value) if isinstance(value, str) else value)  # no bidi controls
    db.session.add(trainer)
    db.session.flush()
    after = audit.snapshot(trainer, TRAINER_FIELDS)
    if creating:
        audit.record(actor, "directory.trainer.created", trainer, after=after, summary=trainer.name)
    else:
        old, new = audit.changed_fields(before, after)
        if new:
            audit.record(actor, "directory.trainer.updated", trainer, before=old, after=new, summary=trainer.name)
    return trainer


def delete_trainer(actor: User | None, trainer: Trainer) -> None:
    if db.session.scalar(select(exists().where(class_trainers.c.trainer_id == trainer.id))):
        raise DomainError("trainer.in_use", _l("Giảng viên đang được phân công cho lớp tập huấn nên không thể xóa."))
    audit.record(actor, "directory.trainer.deleted", trainer, before=audit.snapshot(trainer, TRAINER_FIELDS),
                 summary=trainer.name)
    db.session.delete(trainer)
    db.session.flush()


def save_venue(actor: User | None, data: VenueInput, venue: Venue | None = None) -> Venue:
    name = " ".join(data.name.split())
    if not name:
        raise DomainError("venue.name_missing", _l("Vui lòng nhập tên địa điểm."), field="name")
    if data.capacity is not None and data.capacity <= 0:
        raise DomainError("venue.bad_capacity", _l("Sức chứa phải lớn hơn 0."), field="capacity")
    conditions = [func.lower(Venue.name) == name.lower()]
    if venue is not None:
        conditions.append(Venue.id != venue.id)
    if db.session.scalar(select(exists().where(*conditions))):
        raise DomainError("venue.duplicate", _l("Đã có địa điểm \"%(name)s\".", name=name), field="name")
    creating = venue is None
    venue = venue or Venue()
    before = audit.snapshot(venue, VENUE_FIELDS) if not creating else None
    venue.name, venue.address, venue.capacity = name, (data.address or "").strip() or None, data.capacity
    db.session.add(venue)
    db.session.flush()
    after = audit.snapshot(venue, VENUE_FIELDS)
    if creating:
        audit.record(actor, "directory.venue.created", venue, after=after, summary=venue.name)
    else:
        old, new = audit.changed_fields(before, after)
        if new:
            audit.record(actor, "directory.venue.updated", venue, before=old, after=new, summary=venue.name)
    return venue


def delete_venue(actor: User | None, venue: Venue) -> None:
    if db.session.scalar(select(exists().where(TrainingClass.venue_id == venue.id))):
        raise DomainError("venue.in_use", _l("Địa điểm đang được dùng cho lớp tập huấn nên không thể xóa."))
    audit.record(actor, "directory.venue.deleted", venue, before=audit.snapshot(venue, VENUE_FIELDS),
                 summary=venue.name)
    db.session.delete(venue)
    db.session.flush()


def get_trainer(trainer_id: int) -> Trainer:
    trainer = db.session.get(Trainer, trainer_id)
    if trainer is None:
        raise DomainError("not_found", _l("Không tìm thấy giảng viên."))
    return trainer


def get_venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise DomainError("not_found", _l("Không tìm thấy địa điểm."))
    return venue


def query_trainers():
    """Every trainer by name, as a query the directory page pages through."""
    return select(Trainer).order_by(Trainer.name)


def query_venues():
    """Every venue by name, as a query the directory page pages through."""
    return select(Venue).order_by(Venue.name)


def list_trainers() -> list[Trainer]:
    """For choices: trainers as people are listed, by given name then family name (a title such as
    "Tiến sĩ" is part of the name as typed, so the given name, the last word, still decides)."""
    return sorted(db.session.scalars(query_trainers()), key=lambda t: sort_key(t.name))


def list_venues() -> list[Venue]:
    return sorted(db.session.scalars(query_venues()), key=lambda v: text_sort_key(v.name))

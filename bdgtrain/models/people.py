"""The person registry and enrolments: who is nominated to which class.

One person across the whole system; one enrolment per person and class, however many
agencies nominated her.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime
from .org import Organisation
from .planning import TrainingClass

# "waiting": nominated when the class was full (TrainingClass.capacity); she holds no seat and is offered
# the next one that frees, in nomination order (services/lists/seats.py).
ENROLMENT_STATUSES = ("nominated", "confirmed", "declined", "replaced", "waiting")


class Person(TimestampMixin, db.Model):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("sex IS NULL OR sex IN ('F', 'M')", name="known_sex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(255))  # NFC, as the person writes it
    # For diacritic-free search: "contains", which no index serves (migration 0013 dropped its index).
    name_folded: Mapped[str] = mapped_column(String(255))
    name_sort_key: Mapped[str] = mapped_column(String(800), index=True)  # Vietnamese order
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    birth_year: Mapped[int | None]
    ethnicity: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[str | None] = mapped_column(String(255))
    unit_name: Mapped[str | None] = mapped_column(String(255))
    unit_folded: Mapped[str | None] = mapped_column(String(255))  # fold(unit_name), for matching and search
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(255))
    id_number: Mapped[str | None] = mapped_column(String(20), unique=True)  # CCCD
    # Set when an admin erased her (services/privacy/privacy.py): only what the measures count is left.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship()


class Enrolment(TimestampMixin, db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("class_id", "person_id"),  # also the index for look-ups by class
        CheckConstraint("status IN ('nominated', 'confirmed', 'declined', 'replaced', 'waiting')",
                        name="known_status"),
        # The trained-share report of a unit reads its women's enrolments from this index alone; it is
        # also the index for look-ups by person.
        Index("ix_enrolments_person_status_class", "person_id", "status", "class_id"),
        # A class's enrolments counted by status and nominating body (the roster's figures), from the index.
        Index("ix_enrolments_class_status_body", "class_id", "status", "body_org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(20), default="nominated")
    # The body whose seats she fills: her district when known, else the agency that sent her.
    body_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Who came in her place; the replaced enrolment stays, so the history is kept.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"))
    status_note: Mapped[str | None] = mapped_column(Text)

    training_class: Mapped[TrainingClass] = relationship()
    person: Mapped[Person] = relationship()
    body_org: Mapped[Organisation | None] = relationship(foreign_keys=[body_org_id])
    replaced_by: Mapped[Enrolment | None] = relationship(remote_side=[id], foreign_keys=[replaced_by_id])
    nominations: Mapped[list["Nomination"]] = relationship(  # noqa: F821 (models.lists)
        back_populates="enrolment", cascade="all, delete-orphan")

"""Participant lists: uploaded files, who nominated whom, seats per nominating body, possible duplicates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import TimestampMixin, UTCDateTime
from .org import Organisation
from .people import Enrolment, Person
from .planning import TrainingClass

IMPORT_STATUSES = ("preview", "submitted", "discarded")


class ListImport(TimestampMixin, db.Model):
    """One uploaded list: kept from preview to submission so the preview can be shown again."""

    __tablename__ = "list_imports"
    __table_args__ = (
        CheckConstraint("status IN ('preview', 'submitted', 'discarded')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    source_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    status: Mapped[str] = mapped_column(String(20), default="preview")
    summary: Mapped[dict | None] = mapped_column(JSON)  # counts shown in the list of imports
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The matched preview (services/lists/import_preview.py), kept while in preview and valid while
    # preview_key (what it was computed from) still holds; gone with the content.
    preview: Mapped[dict | None] = deferred(mapped_column(JSON))
    preview_key: Mapped[str | None] = mapped_column(String(64))

    training_class: Mapped[TrainingClass] = relationship()
    source_org: Mapped[Organisation] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class Nomination(db.Model):
    """An agency put this person forward for this class; several agencies may nominate one enrolment."""

    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("enrolment_id", "organisation_id"),)  # also the index by enrolment

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    list_import_id: Mapped[int | None] = mapped_column(ForeignKey("list_imports.id"), index=True)
    source_row: Mapped[int | None]  # the spreadsheet row she came from

    enrolment: Mapped[Enrolment] = relationship(back_populates="nominations")
    organisation: Mapped[Organisation] = relationship()


class SeatQuota(db.Model):
    """"Mỗi huyện cử 05 đồng chí": seats a class reserves for one nominating body."""

    __tablename__ = "seat_quotas"
    __table_args__ = (
        UniqueConstraint("class_id", "organisation_id"),
        CheckConstraint("seats >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    seats: Mapped[int]

    organisation: Mapped[Organisation] = relationship()


class DuplicateFlag(TimestampMixin, db.Model):
    """Two registry entries that may be one person: same name and birth year, nothing else shared."""

    __tablename__ = "duplicate_flags"
    __table_args__ = (
        UniqueConstraint("person_id", "other_person_id"),
        CheckConstraint("status IN ('open', 'merged', 'distinct')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    other_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open")
    list_import_id: Mapped[int | None] = mapped_column(ForeignKey("list_imports.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    other_person: Mapped[Person] = relationship(foreign_keys=[other_person_id])

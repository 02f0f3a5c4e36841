"""The leadership planning pool (diện quy hoạch) and training done outside the system.

History is kept, never overwritten: a person leaving the pool gets `left_on` and a reason on her
entry; joining again is a new entry. Which entries count on a date, and whether a training counts
toward the trained-share measure, is defined in docs/MEASURES.md and rules/trained_share.py.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, true
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from ..rules.external_training import KINDS as EXTERNAL_TRAINING_KINDS
from .accounts import User
from .base import TimestampMixin
from .org import Organisation
from .people import Person

# được bổ nhiệm, chuyển công tác, đưa ra khỏi quy hoạch, nghỉ hưu, khác
LEAVE_REASONS = ("appointed", "moved", "removed", "retired", "other")
POOL_IMPORT_STATUSES = ("preview", "applied", "discarded")


class PoolImport(TimestampMixin, db.Model):
    """One pool file as imported, so an entry can be traced to the file and row it came from.

    A file uploaded on a unit's pool page is kept from its preview (`status` "preview", with its
    `content`) until it is confirmed ("applied") or dropped ("discarded"); the CLI writes "applied" at once.
    """

    __tablename__ = "pool_imports"
    __table_args__ = (
        CheckConstraint("status IN ('preview', 'applied', 'discarded')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    cycle: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="applied", server_default="applied")
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # kept only while in preview
    # The planned preview (services/pool/pool_preview.py), kept while in preview and valid while
    # preview_key (what it was planned from) still holds; gone with the content.
    preview: Mapped[dict | None] = deferred(mapped_column(JSON))
    preview_key: Mapped[str | None] = mapped_column(String(64))

    organisation: Mapped[Organisation | None] = relationship()
    imported_by: Mapped[User | None] = relationship()


class PoolEntry(TimestampMixin, db.Model):
    """A person in a unit's planning pool for a cycle, from `added_on` until the day before `left_on`,
    and never past her cycle's last day: carrying her into the next cycle is a new entry."""

    __tablename__ = "pool_entries"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= added_on", name="left_after_added"),
        CheckConstraint("cycle_ends_on >= cycle_starts_on", name="cycle_period"),
        CheckConstraint("leave_reason IS NULL OR leave_reason IN ('appointed', 'moved', 'removed', 'retired', "
                        "'other')", name="known_leave_reason"),
        CheckConstraint("(left_on IS NULL) = (leave_reason IS NULL)", name="left_with_reason"),
        # A unit's report reads its subtree's counting entries from this index alone (no table rows).
        Index("ix_pool_entries_unit_counting", "organisation_id", "added_on", "left_on", "person_id",
              "cycle_starts_on", "cycle_ends_on"),
        # A unit's pool page finds its cycles by probing this index and counts a cycle's entries (and the open
        # ones) from it alone (services/pool/pool_register.py).
        Index("ix_pool_entries_unit_cycle", "organisation_id", "cycle", "cycle_starts_on", "left_on", "id"),
        # The province's report reads the whole pool from this one in person order (no table rows): each
        # person's row of `people` is then read once, in order, rather than at random for every entry.
        # (PostgreSQL joins the pool to people by hashing or through the narrow ix_pool_entries_person_id.)
        Index("ix_pool_entries_person_counting", "person_id", "added_on", "left_on", "cycle_ends_on",
              "organisation_id", "cycle_starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    planned_posts: Mapped[str | None] = mapped_column(Text)  # chức danh quy hoạch, as the file words it
    cycle: Mapped[str] = mapped_column(String(20))  # "2021-2026", as written
    # The cycle's years as dates (1/1 of the first, 31/12 of the last): the default window of the measure.
    cycle_starts_on: Mapped[date]
    cycle_ends_on: Mapped[date]
    added_on: Mapped[date]
    left_on: Mapped[date | None]  # first day she is no longer in the pool
    leave_reason: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    pool_import_id: Mapped[int | None] = mapped_column(ForeignKey("pool_imports.id"), index=True)
    source_row: Mapped[int | None]
    # The entry of the previous cycle this one carries on (an explicit "carry into the next cycle").
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("pool_entries.id"), index=True)

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation] = relationship()
    pool_import: Mapped[PoolImport | None] = relationship()
    carried_from: Mapped[PoolEntry | None] = relationship(remote_side=[id])


class ExternalTraining(TimestampMixin, db.Model):
    """Training outside the system (political school, a master's programme), recorded per person."""

    __tablename__ = "external_trainings"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="valid_period"),
        CheckConstraint(f"kind IN ({', '.join(repr(kind) for kind in EXTERNAL_TRAINING_KINDS)})", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    # tập huấn, bồi dưỡng, lý luận chính trị, quản lý nhà nước, thạc sĩ, tiến sĩ, khác (EXTERNAL_TRAINING_KINDS)
    kind: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    title: Mapped[str] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(255))
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]  # the day it counts from; without it, it does not count yet
    evidence: Mapped[str | None] = mapped_column(Text)  # certificate number, decision, where the paper is
    counts_towards_measures: Mapped[bool] = mapped_column(default=True, server_default=true())
    training_import_id: Mapped[int | None] = mapped_column(ForeignKey("external_training_imports.id"), index=True)
    source_row: Mapped[int | None]

    person: Mapped[Person] = relationship()
    training_import: Mapped[ExternalTrainingImport | None] = relationship()


class ExternalTrainingImport(TimestampMixin, db.Model):
    """One external-training file, kept from its preview until it is applied or discarded (then its content
    goes), so that the preview can be shown again and each record traced to the file and row it came from."""

    __tablename__ = "external_training_imports"
    __table_args__ = (
        CheckConstraint("status IN ('preview', 'applied', 'discarded')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    status: Mapped[str] = mapped_column(String(20), default="preview")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[dict | None] = mapped_column(JSON)

    uploaded_by: Mapped[User | None] = relationship()

"""Organisations: a tree of any depth whose units can end on a date and pass to successors.

In 2025 Vietnam abolished the district level and merged provinces and communes; a unit
that ended keeps its row (figures for earlier years still roll up to it) and names its
successors, so reports can also fold it into today's unit on request.

A unit's parent and name are dated (`OrganisationPeriod`): a move or a rename starts a new period
and never rewrites an earlier one, so a report as of a day uses the tree and names of that day.
The unit's own `parent_id` and `name` are those of its latest period (today's, unless a change was
recorded ahead of its day), `successor_id` its first successor: the rest of the app reads them.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin

# Kinds as stored; labels live in the web layer.
ORG_KINDS = (
    "province",      # UBND tỉnh
    "department",    # Sở, ban, ngành
    "union",         # đoàn thể: Hội LHPN, ...
    "district",      # huyện, thị xã, thành phố thuộc tỉnh
    "commune",       # xã, phường, thị trấn
    "school",        # trường
    "unit",          # đơn vị sự nghiệp, phòng, other
)


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
                        name="valid_period"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]  # last day the unit existed; NULL while it exists
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[Organisation | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[Organisation]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Organisation.name"
    )
    successor: Mapped[Organisation | None] = relationship(remote_side=[id], foreign_keys=[successor_id])
    periods: Mapped[list[OrganisationPeriod]] = relationship(
        foreign_keys="OrganisationPeriod.organisation_id", back_populates="organisation",
        order_by="OrganisationPeriod.id", cascade="all, delete-orphan")
    successor_links: Mapped[list[OrganisationSuccessor]] = relationship(
        foreign_keys="OrganisationSuccessor.organisation_id", order_by="OrganisationSuccessor.id",
        cascade="all, delete-orphan")

    def is_active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"


class OrganisationPeriod(TimestampMixin, db.Model):
    """A stretch of a unit's life with one parent and one name: from `valid_from` (NULL: since the unit
    began) to `valid_to` (its last day; NULL: the latest period). Periods follow each other without gaps."""
    __tablename__ = "organisation_periods"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="valid_period"),
        CheckConstraint("parent_id IS NULL OR parent_id <> organisation_id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id], back_populates="periods")
    parent: Mapped[Organisation | None] = relationship(foreign_keys=[parent_id])


class OrganisationSuccessor(TimestampMixin, db.Model):
    """One of the units that took over an ended unit's work (a district split among communes has several)."""
    __tablename__ = "organisation_successors"
    __table_args__ = (
        UniqueConstraint("organisation_id", "successor_id"),
        CheckConstraint("successor_id <> organisation_id", name="not_own_successor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    successor: Mapped[Organisation] = relationship(foreign_keys=[successor_id])

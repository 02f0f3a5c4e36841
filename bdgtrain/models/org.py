"""Organisations: a tree of any depth whose units can end on a date and pass to a successor.

In 2025 Vietnam abolished the district level and merged provinces and communes; a unit
that ended keeps its row (figures for earlier years still roll up to it) and names its
successor, so reports can also fold it into today's unit on request.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
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

    def is_active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"

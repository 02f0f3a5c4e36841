"""Attendance: one row per session and enrolment, enforced by the database."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime
from .people import Enrolment
from .planning import ClassSession

ATTENDANCE_STATUSES = ("present", "late", "excused", "absent")


class Attendance(TimestampMixin, db.Model):
    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[ClassSession] = relationship()
    enrolment: Mapped[Enrolment] = relationship()

"""Attendance and check-in: one row per session and enrolment, every scan logged, scanner tokens.

The database keeps the promises check-in makes: one attendance row per session and enrolment
(a unique constraint, whatever the concurrency) and one answer per scan nonce (so a queue sent
twice by an offline scanner is recorded once).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import TimestampMixin, UTCDateTime, utcnow
from .people import Enrolment
from .planning import ClassSession

ATTENDANCE_STATUSES = ("present", "late", "excused", "absent")
# How an attendance row came to be: a staff scanner, the room code on the projector, a hand on
# the roster, a scanner's offline queue, a script through the API, or the close of the session.
ATTENDANCE_SOURCES = ("scanner", "kiosk", "manual", "offline", "api", "auto")
SCAN_OUTCOMES = ("checked_in", "already", "not_on_list", "wrong_class", "outside_window",
                 "invalid_token", "revoked", "cancelled", "code_expired", "conflict")


class Attendance(TimestampMixin, db.Model):
    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name="known_status"),
        # The trained-share report of a unit counts each enrolment's attendance from this index alone.
        Index("ix_attendances_enrolment_status_session", "enrolment_id", "status", "session_id"),
        # A plan's compliance counts the marks of its held sessions from this index alone.
        Index("ix_attendances_session_status_enrolment", "session_id", "status", "enrolment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the earliest scan
    source: Mapped[str] = mapped_column(String(20), default="manual", server_default="manual")
    device: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)  # why a hand changed it
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    session: Mapped[ClassSession] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    marked_by: Mapped[User | None] = relationship()


class CheckinScan(db.Model):
    """Every scan, accepted or refused, with its reason: the failed-scan log and the nonce register."""

    __tablename__ = "checkin_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    source: Mapped[str] = mapped_column(String(20))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("class_sessions.id"))
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device: Mapped[str | None] = mapped_column(String(80))
    nonce: Mapped[str | None] = mapped_column(String(80), unique=True)
    # What was scanned, cut short: enough to recognise a mistyped code, never a whole token.
    scanned_text: Mapped[str | None] = mapped_column(String(40))

    enrolment: Mapped[Enrolment | None] = relationship()
    session: Mapped[ClassSession | None] = relationship()
    user: Mapped[User | None] = relationship()


class ApiToken(db.Model):
    """A bearer token for a scanner device or a script; only its digest is stored.

    Its scope says what it may call: "checkin" (a door scanner: scans and its class's offline roster)
    or "full" (everything its user may do in the API). Tokens made before scopes existed are "full".
    """

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("scope IN ('checkin', 'full')", name="known_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(20), default="checkin", server_default="full")
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

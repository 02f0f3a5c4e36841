"""Calendar feeds and the e-mail outbox.

A feed row is what a subscription URL points at: its token is signed over the row's id, so
rotating a link means revoking the row and starting a new one, and a revoked row answers 404.
The outbox holds one row per e-mail to send (invitation, update, cancellation); a worker drains
it with retries, and the organiser reads from it who was sent what, and when.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import TimestampMixin, UTCDateTime, utcnow
from .org import Organisation
from .people import Enrolment, Person
from .planning import Plan, Trainer, TrainingClass

FEED_KINDS = ("person", "class", "plan", "organisation", "trainer")
# The column that names a feed's subject, by kind.
FEED_TARGETS = {"person": "person_id", "class": "class_id", "plan": "plan_id",
                "organisation": "organisation_id", "trainer": "trainer_id"}
MAIL_KINDS = ("invitation", "update", "cancellation")
# "skipped": no longer worth sending (the class was cancelled before its invitation left).
MAIL_STATUSES = ("queued", "sending", "sent", "failed", "skipped")


def _one_target() -> str:
    return " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)"
                      for column in FEED_TARGETS.values()) + " = 1"


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'class', 'plan', 'organisation', 'trainer')", name="known_kind"),
        CheckConstraint(_one_target(), name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship()
    training_class: Mapped[TrainingClass | None] = relationship()
    plan: Mapped[Plan | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    trainer: Mapped[Trainer | None] = relationship()

    @property
    def target_id(self) -> int:
        return getattr(self, FEED_TARGETS[self.kind])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class MailMessage(TimestampMixin, db.Model):
    """One e-mail to one participant about one class; built when it is sent, kept for the record.

    Kinds: an invitation, a schedule update or cancellation (with an .ics), and a completion warning
    (after a session closes, she can no longer or may not reach the class's completion threshold).
    """

    __tablename__ = "mail_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('invitation', 'update', 'cancellation', 'completion_warning')", name="known_kind"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'skipped')", name="known_status"),
        Index("ix_mail_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("class_sessions.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(Text)  # as sent
    method: Mapped[str | None] = mapped_column(String(20))  # iTIP method of the attached .ics
    sequences: Mapped[str | None] = mapped_column(String(400))  # "session:sequence" pairs sent
    message_id: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    training_class: Mapped[TrainingClass] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    created_by: Mapped[User | None] = relationship()

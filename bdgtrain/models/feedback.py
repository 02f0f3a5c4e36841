"""Class feedback: a plan's question set, who has answered, the answers themselves, trainers' result links.

Anonymity is kept by the shape of the tables. `FeedbackReceipt` says only that an enrolment answered
(to refuse a second answer), with the day and nothing finer. The answers of a class live in one
`FeedbackBox` row per class and kind, a list re-shuffled on every write: no answer has a row, an id, a
position or a time of its own, so neither insertion order, nor row ids, nor PostgreSQL's system
columns (xmin, ctid) can join an answer to the receipt written in the same transaction. When the plan
says "named", each entry also carries the enrolment id. See docs/FEEDBACK.md.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, utcnow
from .people import Enrolment
from .planning import Plan, Trainer, TrainingClass

RECEIPT_KINDS = ("form", "pre_quiz")  # the feedback form (with the post-class quiz), the pre-class quiz
BOX_KINDS = RECEIPT_KINDS


class FeedbackSettings(TimestampMixin, db.Model):
    """A plan's feedback form: questions, quiz, anonymity and when the form is open."""

    __tablename__ = "feedback_settings"
    __table_args__ = (
        CheckConstraint("opens_when IN ('last_started', 'last_ended')", name="known_opens_when"),
        CheckConstraint("close_after_days BETWEEN 1 AND 90", name="close_after_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    anonymous: Mapped[bool] = mapped_column(default=True, server_default=true())
    opens_when: Mapped[str] = mapped_column(String(20), default="last_ended", server_default="last_ended")
    close_after_days: Mapped[int] = mapped_column(default=7, server_default="7")
    questions: Mapped[list] = mapped_column(JSON)  # [{key, kind, text, required}]
    quiz: Mapped[list] = mapped_column(JSON)  # [{key, text, options, correct}]; empty: no quiz

    plan: Mapped[Plan] = relationship()


class FeedbackReceipt(db.Model):
    """That this enrolment answered (form or pre-quiz), on this day: never what she answered."""

    __tablename__ = "feedback_receipts"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "kind"),
        CheckConstraint("kind IN ('form', 'pre_quiz')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    answered_on: Mapped[date]  # the day only: a time could be matched against other logs

    enrolment: Mapped[Enrolment] = relationship()


class FeedbackBox(db.Model):
    """The answers of one class of one kind, as a shuffled list; one row per class and kind."""

    __tablename__ = "feedback_boxes"
    __table_args__ = (
        UniqueConstraint("class_id", "kind"),
        CheckConstraint("kind IN ('form', 'pre_quiz')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    # form: [{"a": {q1: 4, q4: "..."}, "c": {k1: 2}, "s": 3, "e": enrolment id when named}]; pre_quiz: [{"c", "s"}]
    entries: Mapped[list] = mapped_column(JSON, default=list)

    training_class: Mapped[TrainingClass] = relationship()


class FeedbackTrainerLink(db.Model):
    """A trainer's signed, revocable link to her class's results (trainers have no account)."""

    __tablename__ = "feedback_trainer_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    training_class: Mapped[TrainingClass] = relationship()
    trainer: Mapped[Trainer] = relationship()

"""Plans (Kế hoạch), their classes (Lớp tập huấn), sessions (buổi), trainers and venues."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime
from .org import Organisation

CLASS_STATUSES = ("planned", "confirmed", "cancelled")  # dự kiến, chính thức, đã hủy
CALENDAR_ACCESS = ("public", "token")
SESSION_STATUSES = ("scheduled", "cancelled")
SEXES = ("F", "M")
# The one filter every counting query applies, in SQL over a plan aliased `p` (reports, monitoring,
# trained share): practice plans are left out of every figure.
COUNTED_PLAN_SQL = "NOT p.is_practice"


class Plan(TimestampMixin, db.Model):
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
                        name="valid_period"),
        CheckConstraint("calendar_access IN ('public', 'token')", name="known_calendar_access"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable, for scripts: "HT-2019"
    number: Mapped[str] = mapped_column(String(80))  # as issued: "110/KH-SNV"
    title: Mapped[str] = mapped_column(Text)
    issuing_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    organiser_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    issued_on: Mapped[date | None]
    funding_source: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    description: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")  # fold()ed code, number, title
    # Whether the plan's and its classes' calendars are open to anyone who knows the plan's code
    # ("public"), or only through a feed token ("token", the default: nothing is public by accident).
    calendar_access: Mapped[str] = mapped_column(String(10), default="token", server_default="token")
    # Whether completing its classes counts toward the trained share of the planning pool
    # (a class counts when both its plan and the class say so; see docs/MEASURES.md).
    counts_for_trained_share: Mapped[bool] = mapped_column(default=True, server_default=true())
    # A practice plan (the demo's "Lớp thực hành", issue 21): marked on every page, in no figure.
    is_practice: Mapped[bool] = mapped_column(default=False, server_default=false())

    issuing_org: Mapped[Organisation | None] = relationship(foreign_keys=[issuing_org_id])
    organiser_org: Mapped[Organisation] = relationship(foreign_keys=[organiser_org_id])
    classes: Mapped[list[TrainingClass]] = relationship(
        back_populates="plan", order_by="TrainingClass.code", cascade="all, delete-orphan"
    )
    report_deadlines: Mapped[list[ReportDeadline]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(ReportDeadline.due_month, ReportDeadline.due_day)",
    )
    monitor_orgs: Mapped[list[Organisation]] = relationship(secondary="plan_monitors")

    def __repr__(self) -> str:
        return f"<Plan {self.code}>"


def counted_plan():
    """The same filter as COUNTED_PLAN_SQL, for ORM queries that join Plan."""
    return Plan.is_practice.is_(False)


plan_monitors = Table(
    "plan_monitors",
    db.metadata,
    Column("plan_id", ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


class ReportDeadline(db.Model):
    """A report the plan owes: yearly on a day and month ("6 tháng: trước 25/5"), or once when a year is set."""

    __tablename__ = "report_deadlines"
    __table_args__ = (
        CheckConstraint("due_month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint("due_day BETWEEN 1 AND 31", name="day_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    due_day: Mapped[int]
    due_month: Mapped[int]
    due_year: Mapped[int | None]  # NULL: every year

    plan: Mapped[Plan] = relationship(back_populates="report_deadlines")


class Venue(TimestampMixin, db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None]


class Trainer(TimestampMixin, db.Model):
    __tablename__ = "trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    academic_title: Mapped[str | None] = mapped_column(String(80))  # "Tiến sĩ", "ThS.", ...
    affiliation: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))

    @property
    def display_name(self) -> str:
        return f"{self.academic_title} {self.name}" if self.academic_title else self.name


class_trainers = Table(
    "class_trainers",
    db.metadata,
    Column("class_id", ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True),
    Column("trainer_id", ForeignKey("trainers.id"), primary_key=True),
)

# Supplier organisations (Sở Nội vụ, Hội LHPN) allowed to send lists for a class.
class_suppliers = Table(
    "class_suppliers",
    db.metadata,
    Column("class_id", ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


class TrainingClass(TimestampMixin, db.Model):
    __tablename__ = "training_classes"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("status IN ('planned', 'confirmed', 'cancelled')", name="known_status"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="positive_capacity"),
        CheckConstraint("eligible_sex IS NULL OR eligible_sex IN ('F', 'M')", name="known_sex"),
        CheckConstraint("completion_percent BETWEEN 1 AND 100", name="completion_percent_range"),
        CheckConstraint("checkin_opens_minutes BETWEEN 0 AND 1440 AND late_after_minutes >= 0 "
                        "AND room_code_seconds BETWEEN 5 AND 3600", name="checkin_settings_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str | None] = mapped_column(Text)  # thành phần, as the plan words it
    # Eligibility, machine-checkable: the sex the class is for, and the kinds of unit it draws from.
    eligible_sex: Mapped[str | None] = mapped_column(String(1))
    eligible_org_kinds: Mapped[str | None] = mapped_column(String(200))  # comma-separated ORG_KINDS
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    capacity: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    date_expression: Mapped[str] = mapped_column(String(120), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    status_before_cancel: Mapped[str | None] = mapped_column(String(20))  # what a restore returns to
    # Closed: stopped after some sessions were held. Its sessions still to come were cancelled; the
    # held ones and their attendance count as before (a class with attendance is never cancelled).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)
    # Check-in settings: the door opens this long before a session, a scan after start + late_after
    # is "late", the room code on the projector changes every room_code_seconds, and a participant
    # completes the class by attending completion_percent of its sessions.
    checkin_opens_minutes: Mapped[int] = mapped_column(default=60, server_default="60")
    late_after_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    room_code_seconds: Mapped[int] = mapped_column(default=20, server_default="20")
    completion_percent: Mapped[int] = mapped_column(default=80, server_default="80")
    counts_for_trained_share: Mapped[bool] = mapped_column(default=True, server_default=true())
    # When its rows in class_completions were last recomputed; NULL: they are not valid (database
    # triggers clear it whenever attendance, sessions, enrolments or the percent change).
    completions_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="classes")
    venue: Mapped[Venue | None] = relationship()
    trainers: Mapped[list[Trainer]] = relationship(secondary=class_trainers, order_by=Trainer.name)
    supplier_orgs: Mapped[list[Organisation]] = relationship(secondary=class_suppliers)
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class", order_by="ClassSession.starts_at",
        cascade="all, delete-orphan",
    )

    @property
    def eligible_org_kind_list(self) -> list[str]:
        return [k for k in (self.eligible_org_kinds or "").split(",") if k]

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def __repr__(self) -> str:
        return f"<TrainingClass {self.code}>"


class ClassSession(TimestampMixin, db.Model):
    """One sitting of a class, usually a half day. Times are UTC; the UI shows Asia/Ho_Chi_Minh."""

    __tablename__ = "class_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"),
                                          index=True)
    label: Mapped[str] = mapped_column(String(80))  # "Sáng", "Chiều", or the organiser's words
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    # Grows whenever time, venue or status change, so calendar clients apply the update.
    sequence: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(Text)

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")


class PlanReadingDraft(TimestampMixin, db.Model):
    """A Kế hoạch read from a file or pasted text, waiting for its organiser to check it and confirm.

    One per organisation and text (the SHA-256 of the text read), so reading the same file again shows
    the same draft; once confirmed it keeps the plan it became, so confirming again creates nothing."""

    __tablename__ = "plan_reading_drafts"
    __table_args__ = (UniqueConstraint("organisation_id", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)  # in its URLs: never the row id
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    digest: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text)
    reading: Mapped[dict] = mapped_column(JSON)  # what the rules recognised, with the sentences
    fields: Mapped[dict] = mapped_column(JSON)  # the draft as the organiser edits it
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    plan: Mapped[Plan | None] = relationship()
class PlanDocument(TimestampMixin, db.Model):
    """A plan's Kế hoạch as the organiser edited it before issue (issue 23): the header's number, place and day,
    the texts of its sections (rules/plan_document.py SECTIONS), the signer and the recipients. The classes are
    not kept here: the document always prints the plan's own. No row: the document says what is generated."""

    __tablename__ = "plan_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(80), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date]
    preamble: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    trainers: Mapped[str] = mapped_column(Text, default="")
    assignments: Mapped[str] = mapped_column(Text, default="")
    funding: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    signer_authority: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(120), default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")  # one per line

    plan: Mapped[Plan] = relationship(backref=backref("document", uselist=False, cascade="all, delete-orphan"))

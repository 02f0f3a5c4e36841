"""Targets a plan commits to, the reports generated for it, units' yearly headcounts, stored completions.

A target is a measure (docs/MEASURES.md), a value in percent, a deadline and a scope (a unit and
its subtree; none: every unit). A generated periodic report keeps the figures it showed as JSON,
so what was sent to the province can be traced and downloaded again as it was.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import TimestampMixin, UTCDateTime
from .org import Organisation
from .planning import Plan

# The measures a target can name (docs/MEASURES.md): trained share of women in the pool; women's share
# of the pool; units whose key leadership includes a woman; and, from the units' yearly headcounts, the
# women's share of those sent to training, of party committees, of master's places, of master's and of
# doctoral degrees, and the share of specialised staff trained.
MEASURES = ("trained_share", "women_pool_share", "women_leader_units", "women_sent_share", "women_committee_share",
            "women_masters_places_share", "women_masters_share", "women_doctorates_share",
            "specialised_trained_share")


class Target(TimestampMixin, db.Model):
    """"75% by 31/12/2025": a measure's value a plan commits to reach by a deadline, over a scope."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("measure IN ('trained_share', 'women_pool_share', 'women_leader_units', "
                        "'women_sent_share', 'women_committee_share', 'women_masters_places_share', "
                        "'women_masters_share', 'women_doctorates_share', 'specialised_trained_share')",
                        name="known_measure"),
        CheckConstraint("value_percent BETWEEN 1 AND 100", name="percent_range"),
        CheckConstraint("starts_on IS NULL OR starts_on < deadline", name="starts_before_deadline"),
        CheckConstraint("(window_starts_on IS NULL) = (window_ends_on IS NULL) "
                        "AND (window_ends_on IS NULL OR window_ends_on >= window_starts_on)", name="window_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    value_percent: Mapped[int]
    deadline: Mapped[date]
    # The day the programme starts: the straight-line projection runs from the figure of that day.
    starts_on: Mapped[date | None]
    scope_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))  # NULL: every unit
    # The counting window: the period of the document that set the target (seed 000: 2021-2030; a
    # yearly plan: its year). Training inside it counts, before or after she joined the pool. NULL
    # (targets from before the window existed): each pool entry's own cycle.
    window_starts_on: Mapped[date | None]
    window_ends_on: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(Text)  # where the plan says so: "Mục I.3"

    plan: Mapped[Plan] = relationship(backref=backref(
        "targets", cascade="all, delete-orphan", order_by="(Target.measure, Target.deadline)"))
    scope_org: Mapped[Organisation | None] = relationship()


REPORT_KINDS = ("six_month", "annual")
REPORT_STATUSES = ("draft", "issued")
REPORT_FILE_FORMATS = ("docx", "pdf", "xlsx")


class PeriodicReport(TimestampMixin, db.Model):
    """A 6-month or annual report: a draft while it is written, then issued and frozen.

    A draft keeps its text, signer and recipients; its figures are computed again when it is issued.
    An issued report keeps the figures it showed (JSON) and the files as sent (`files`), so it downloads
    again byte for byte whatever changed since. A correction is a new report that `replaces` it.
    """

    __tablename__ = "periodic_reports"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="valid_period"),
        CheckConstraint("status IN ('draft', 'issued')", name="known_status"),
        CheckConstraint("kind IS NULL OR kind IN ('six_month', 'annual')", name="known_kind"),
        # A number is used once per issuing agency and year among issued reports (drafts may share one).
        Index("uq_periodic_report_number", "issuer_org_id", "number_year", "number", unique=True,
              sqlite_where=text("status = 'issued'"), postgresql_where=text("status = 'issued'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))  # NULL: the province
    label: Mapped[str] = mapped_column(String(120))  # "Báo cáo 6 tháng"
    kind: Mapped[str | None] = mapped_column(String(20))  # six_month | annual; NULL: reports from before issue 19
    status: Mapped[str] = mapped_column(String(10), default="issued")
    period_start: Mapped[date]
    period_end: Mapped[date]
    as_of: Mapped[date]
    number: Mapped[str] = mapped_column(String(80))  # "12/BC-SLĐTBXH"
    number_year: Mapped[int | None]  # the issue day's year: numbers restart each year (Decree 30, art. 15)
    issuer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))  # whose header and number
    place: Mapped[str] = mapped_column(String(120))
    issued_on: Mapped[date]
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    figures: Mapped[dict] = mapped_column(JSON)
    # The narrative sections of the seeds' reports, typed in the app (a blank line between paragraphs).
    results_text: Mapped[str] = mapped_column(Text, default="")
    shortcomings_text: Mapped[str] = mapped_column(Text, default="")
    tasks_text: Mapped[str] = mapped_column(Text, default="")
    recommendations_text: Mapped[str] = mapped_column(Text, default="")
    signer_authority: Mapped[str] = mapped_column(String(120), default="")  # "KT. GIÁM ĐỐC"
    signer_title: Mapped[str] = mapped_column(String(120), default="")  # "PHÓ GIÁM ĐỐC"
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")  # one per line
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("periodic_reports.id"))

    plan: Mapped[Plan] = relationship(backref=backref("periodic_reports", cascade="all, delete-orphan"))
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    issuer_org: Mapped[Organisation | None] = relationship(foreign_keys=[issuer_org_id])
    generated_by: Mapped[User | None] = relationship(foreign_keys=[generated_by_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    replaces: Mapped[PeriodicReport | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])
    files: Mapped[list[PeriodicReportFile]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="PeriodicReportFile.format")

    @property
    def is_issued(self) -> bool:
        return self.status == "issued"


class PeriodicReportFile(db.Model):
    """A file of an issued report as it was sent: the bytes, never rendered again."""

    __tablename__ = "periodic_report_files"
    __table_args__ = (UniqueConstraint("report_id", "format"),
                      CheckConstraint("format IN ('docx', 'pdf', 'xlsx')", name="known_format"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("periodic_reports.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))

    report: Mapped[PeriodicReport] = relationship(back_populates="files")


class DocumentSettings(TimestampMixin, db.Model):
    """What an organisation's documents say by default: its header as printed, where it issues, who signs
    and for whom, and to whom it sends. Offered when a report or a certificate is written; every field
    can be changed there."""

    __tablename__ = "document_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    header_name: Mapped[str] = mapped_column(String(255), default="")  # "SỞ NỘI VỤ"; empty: from the name
    parent_header: Mapped[str] = mapped_column(String(255), default="")  # "UBND TỈNH HÀ TĨNH"; empty: the parent
    number_suffix: Mapped[str] = mapped_column(String(40), default="")  # "BC-SNV", after the number's "/"
    place: Mapped[str] = mapped_column(String(120), default="")
    signer_authority: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(120), default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")  # one per line

    organisation: Mapped[Organisation] = relationship()


class UnitHeadcount(TimestampMixin, db.Model):
    """A unit's staff in a year, by sex and ethnic group, whether its key leadership includes a woman, and
    the counts behind the seeds' other indicators that the system cannot compute (NULL: not entered)."""

    __tablename__ = "unit_headcounts"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year"),
        CheckConstraint("staff_women <= staff_total AND staff_dtts <= staff_total "
                        "AND women_dtts <= staff_women AND women_dtts <= staff_dtts "
                        "AND women_sent_to_training <= staff_women", name="consistent_counts"),
        CheckConstraint("staff_total >= 0 AND staff_women >= 0 AND staff_dtts >= 0 AND women_dtts >= 0 "
                        "AND women_sent_to_training >= 0", name="non_negative"),
        # Each entered whole bounds its part; a part is entered only with its whole; all of them >= 0.
        CheckConstraint("(staff_sent_to_training IS NULL OR (women_sent_to_training <= staff_sent_to_training "
                        "AND staff_sent_to_training <= staff_total)) "
                        "AND (committee_total IS NULL) = (committee_women IS NULL) "
                        "AND (committee_women IS NULL OR committee_women <= committee_total) "
                        "AND (masters_places_total IS NULL) = (masters_places_women IS NULL) "
                        "AND (masters_places_women IS NULL OR masters_places_women <= masters_places_total) "
                        "AND (masters_total IS NULL) = (masters_women IS NULL) "
                        "AND (masters_women IS NULL OR masters_women <= masters_total) "
                        "AND (doctorates_total IS NULL) = (doctorates_women IS NULL) "
                        "AND (doctorates_women IS NULL OR doctorates_women <= doctorates_total) "
                        "AND (specialised_total IS NULL) = (specialised_trained IS NULL) "
                        "AND (specialised_trained IS NULL OR specialised_trained <= specialised_total)",
                        name="consistent_entered_counts"),
        CheckConstraint("COALESCE(staff_sent_to_training, 0) >= 0 AND COALESCE(committee_women, 0) >= 0 "
                        "AND COALESCE(masters_places_women, 0) >= 0 AND COALESCE(masters_women, 0) >= 0 "
                        "AND COALESCE(doctorates_women, 0) >= 0 AND COALESCE(specialised_trained, 0) >= 0",
                        name="entered_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int]
    staff_total: Mapped[int]
    staff_women: Mapped[int]
    staff_dtts: Mapped[int] = mapped_column(default=0)  # ethnic minority (dân tộc thiểu số)
    women_dtts: Mapped[int] = mapped_column(default=0)
    women_sent_to_training: Mapped[int] = mapped_column(default=0)
    key_leadership_has_woman: Mapped[bool | None]  # NULL: not reported
    # Entered per unit and year (docs/MEASURES.md, "The seeds' other indicators"); NULL: not entered.
    staff_sent_to_training: Mapped[int | None]  # everyone sent to training in the year (seed 001)
    committee_total: Mapped[int | None]         # members of the unit's party committee (cấp ủy)
    committee_women: Mapped[int | None]
    masters_places_total: Mapped[int | None]    # staff sent to a master's programme in the year
    masters_places_women: Mapped[int | None]
    masters_total: Mapped[int | None]           # staff holding a master's degree
    masters_women: Mapped[int | None]
    doctorates_total: Mapped[int | None]        # staff holding a doctorate
    doctorates_women: Mapped[int | None]
    specialised_total: Mapped[int | None]       # specialised staff (cán bộ chuyên trách)
    specialised_trained: Mapped[int | None]     # of whom trained (bồi dưỡng) in the year

    organisation: Mapped[Organisation] = relationship()


class ClassCompletion(db.Model):
    """A completed enrolment, kept so reports need not recount attendance (services/reporting/completions.py).

    Every completed enrolment of a class, whether or not the class counts for the trained share
    (reports filter that when they read). Valid only while its class's completions_as_of is set:
    reports compute the classes whose value is NULL from attendance instead."""

    __tablename__ = "class_completions"
    __table_args__ = (
        # A woman's training, found from her person id with the day it falls on (the unit report).
        Index("ix_class_completions_person_done", "person_id", "done_on", "class_id"),
    )

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    done_on: Mapped[date]  # the local day (UTC+7) of the class's last held session


class ChangeStamp(db.Model):
    """A value that changes whenever some data changes, so a figure computed from that data can be kept
    until it does (migration 0035). 'pool': set anew by database triggers on every change to pool
    entries and to people's sex, whichever code path writes; services/reporting/reporting.py keeps the
    province's pool and women per unit under it. No row: nothing to rely on, so nothing is kept."""

    __tablename__ = "change_stamps"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)

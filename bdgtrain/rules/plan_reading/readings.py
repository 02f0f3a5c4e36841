"""What a reading of a Kế hoạch gives back: each part with the sentence it came from."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from ..dates import format_date_expression


@dataclass(frozen=True)
class Part:
    """One recognised value and the sentence it came from."""

    value: str
    source: str


@dataclass
class ClassReading:
    name: str  # "Lớp tập huấn 1"
    code: str  # "LOP-1"
    source: str  # the heading line
    content: Part | None = None
    audience: Part | None = None
    dates: list[date] = field(default_factory=list)
    date_text: str = ""  # the date expression as found ("ngày 15-16/7/2019")
    dates_source: str = ""
    tentative: bool = False
    venue: Part | None = None


@dataclass(frozen=True)
class TrainerReading:
    name: str
    academic_title: str | None
    affiliation: str | None
    source: str


@dataclass(frozen=True)
class TargetReading:
    text: str  # the words that set it: "đạt ít nhất 40% vào năm 2025"
    share: float  # 0.4
    year: int | None
    at_least: bool
    subject: str  # what the share is of: "Tỷ lệ cán bộ nữ trong diện quy hoạch ..."
    measure: str | None  # one of models.reporting.MEASURES when the subject names it plainly
    source: str


@dataclass(frozen=True)
class DeadlineReading:
    label: str
    day: int
    month: int
    year: int | None
    source: str


@dataclass(frozen=True)
class Note:
    """Something not understood (or wrong, in `errors`): what, and where it was written."""

    code: str
    message: str  # a Message: Vietnamese, translatable
    source: str = ""


@dataclass
class PlanReading:
    title: Part | None = None
    number: Part | None = None
    issued_on: tuple[date, str] | None = None  # (the day, its sentence)
    issuing_body: Part | None = None
    period: tuple[date, date, str] | None = None
    venue: Part | None = None
    venue_note: str | None = None
    classes: list[ClassReading] = field(default_factory=list)
    trainers: list[TrainerReading] = field(default_factory=list)
    organiser: Part | None = None
    suppliers: list[Part] = field(default_factory=list)
    targets: list[TargetReading] = field(default_factory=list)
    report_deadlines: list[DeadlineReading] = field(default_factory=list)
    recipients: list[Part] = field(default_factory=list)
    unrecognised: list[Note] = field(default_factory=list)
    errors: list[Note] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        """The plan's year: its period's last year, its issue's, or its classes' when they share one."""
        if self.period:
            return self.period[1].year
        years = {d.year for c in self.classes for d in c.dates}
        if len(years) == 1:
            return years.pop()
        return self.issued_on[0].year if self.issued_on else None

    def to_json(self) -> dict:
        """The plain form the CLI prints and the draft stores (dates as ISO days, shares as fractions)."""
        def part(p: Part | None) -> str | None:
            return p.value if p else None
        return {
            "title": part(self.title), "number": part(self.number),
            "issued_on": self.issued_on[0].isoformat() if self.issued_on else None,
            "issuing_body": part(self.issuing_body),
            "period": [self.period[0].isoformat(), self.period[1].isoformat()] if self.period else None,
            "venue": part(self.venue), "venue_note": self.venue_note,
            "classes": [{"name": c.name, "code": c.code, "audience": part(c.audience), "content": part(c.content),
                         "dates": [d.isoformat() for d in c.dates], "date_expression": format_date_expression(c.dates),
                         "tentative": c.tentative, "venue": part(c.venue) or part(self.venue),
                         "sources": {"heading": c.source, "audience": c.audience.source if c.audience else "",
                                     "content": c.content.source if c.content else "", "dates": c.dates_source,
                                     "venue": c.venue.source if c.venue else ""}}
                        for c in self.classes],
            "trainers": [asdict(t) for t in self.trainers],
            "organiser": part(self.organiser),
            "suppliers": [s.value for s in self.suppliers],
            "targets": [asdict(t) for t in self.targets],
            "report_deadlines": [asdict(d) for d in self.report_deadlines],
            "recipients": [r.value for r in self.recipients],
            "unrecognised": [{"code": n.code, "message": str(n.message), "source": n.source}
                             for n in self.unrecognised],
            "errors": [{"code": n.code, "message": str(n.message), "source": n.source} for n in self.errors],
            "sources": {"title": self.title.source if self.title else "",
                        "issuing_body": self.issuing_body.source if self.issuing_body else "",
                        "venue": self.venue.source if self.venue else "",
                        "organiser": self.organiser.source if self.organiser else "",
                        "suppliers": [s.source for s in self.suppliers],
                        "recipients": [r.source for r in self.recipients]},
        }

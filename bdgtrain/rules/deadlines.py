"""Report deadlines as plans write them: one per line, "Báo cáo 6 tháng: 25/5" or "Báo cáo tổng kết: 15/12/2020".

A deadline without a year recurs every year; with a year it is due once.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ..messages import Message


@dataclass(frozen=True)
class DeadlineSpec:
    label: str
    day: int
    month: int
    year: int | None = None

    def text(self) -> str:
        when = f"{self.day:02d}/{self.month:02d}" + (f"/{self.year}" if self.year else "")
        return f"{self.label}: {when}"

    def due_in(self, year: int) -> date | None:
        """The date it falls due in `year`, or None when a one-off deadline belongs to another year."""
        if self.year is not None and self.year != year:
            return None
        day = min(self.day, calendar.monthrange(year, self.month)[1])  # 29/2 in a common year: 28/2
        return date(year, self.month, day)


class DeadlineError(ValueError):
    def __init__(self, line_number: int, message: Message):
        super().__init__(message)
        self.line_number = line_number
        self.message = message


_LINE = re.compile(r"^(?P<label>.+?)\s*[:\-–]\s*(?:trước\s+(?:ngày\s+)?)?"
                   r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}))?\s*$", re.IGNORECASE)


def parse_deadlines(text: str) -> list[DeadlineSpec]:
    specs: list[DeadlineSpec] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            raise DeadlineError(number, Message(
                "Dòng %(line)s: \"%(text)s\" không đúng dạng \"Tên báo cáo: ngày/tháng\" "
                "(ví dụ \"Báo cáo 6 tháng: 25/5\").", line=number, text=line))
        day, month = int(match["day"]), int(match["month"])
        year = int(match["year"]) if match["year"] else None
        if not 1 <= month <= 12:
            raise DeadlineError(number, Message("Dòng %(line)s: tháng %(month)s không hợp lệ.",
                                                line=number, month=month))
        longest = calendar.monthrange(year or 2000, month)[1]  # 2000 is a leap year: 29/2 may recur
        if not 1 <= day <= longest:
            raise DeadlineError(number, Message("Dòng %(line)s: ngày %(date)s không tồn tại.", line=number,
                                                date=f"{day}/{month}"))
        specs.append(DeadlineSpec(match["label"].strip(), day, month, year))
    return specs


def format_deadlines(specs: list[DeadlineSpec]) -> str:
    return "\n".join(spec.text() for spec in specs)

"""Rules for official documents: statistical periods, report labels, agencies' names as printed.

Decree 09/2019/NĐ-CP (art. 12) fixes the cut-offs of periodic reports: a six-month report counts
from 15/12 of the year before to 14/6, an annual report from 15/12 of the year before to 14/12.
Decree 30/2020/NĐ-CP prints the issuing agency in capitals under its parent, and numbers documents
from 01/01 to 31/12 of each year, per agency.
"""
from __future__ import annotations

import re
from datetime import date

from ..messages import Message

SIX_MONTH, ANNUAL = "six_month", "annual"
KINDS = (SIX_MONTH, ANNUAL)
# How long each kind's period may run, in days: the cut-off period with room for a plan's own (a
# calendar half-year is 181-184 days, the cut-off one 181-182; a year 365-366).
PERIOD_DAYS = {SIX_MONTH: (120, 215), ANNUAL: (300, 400)}


def statistical_period(kind: str, year: int) -> tuple[date, date]:
    """The decree's period of a report of `kind` for `year`."""
    start = date(year - 1, 12, 15)
    return (start, date(year, 6, 14)) if kind == SIX_MONTH else (start, date(year, 12, 14))


def report_label(kind: str, year: int) -> str:
    return f"Báo cáo 6 tháng đầu năm {year}" if kind == SIX_MONTH else f"Báo cáo năm {year}"


def kind_of_label(label: str) -> str | None:
    """Which kind a deadline's or a report's label names ("Báo cáo 6 tháng" -> six-month), or None."""
    folded = " ".join(label.lower().split())
    if "6 tháng" in folded or "sáu tháng" in folded:
        return SIX_MONTH
    if "năm" in folded or "tổng kết" in folded:
        return ANNUAL
    return None


def period_problem(kind: str | None, start: date, end: date) -> Message | None:
    """Why a period cannot be `kind`'s, or None. The end before the start is always refused."""
    if end < start:
        return Message("Ngày cuối kỳ (%(end)s) phải sau ngày đầu kỳ (%(start)s).",
                       end=end.strftime("%d/%m/%Y"), start=start.strftime("%d/%m/%Y"))
    if kind not in PERIOD_DAYS:
        return None
    days = (end - start).days + 1
    low, high = PERIOD_DAYS[kind]
    if low <= days <= high:
        return None
    if kind == ANNUAL:
        return Message("Kỳ từ %(start)s đến %(end)s dài %(days)s ngày, không phải kỳ báo cáo năm: hãy sửa kỳ "
                       "hoặc chọn loại báo cáo khác.", start=start.strftime("%d/%m/%Y"),
                       end=end.strftime("%d/%m/%Y"), days=days)
    return Message("Kỳ từ %(start)s đến %(end)s dài %(days)s ngày, không phải kỳ báo cáo 6 tháng: hãy sửa kỳ "
                   "hoặc chọn loại báo cáo khác.", start=start.strftime("%d/%m/%Y"),
                   end=end.strftime("%d/%m/%Y"), days=days)


def issue_date_problem(issued_on: date, period_end: date) -> Message | None:
    """A report cannot be dated before the last day it reports on."""
    if issued_on < period_end:
        return Message("Ngày ban hành (%(issued)s) không được trước ngày cuối kỳ báo cáo (%(end)s).",
                       issued=issued_on.strftime("%d/%m/%Y"), end=period_end.strftime("%d/%m/%Y"))
    return None


_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")


def plain_name(name: str) -> str:
    """An agency's name without the role kept in brackets: "Sở LĐ-TB&XH (cơ quan thường trực)" -> "Sở LĐ-TB&XH"."""
    return " ".join(_BRACKETS.sub("", name).split())


def header_name(name: str) -> str:
    """The name as a document's header prints it: plain and in capitals."""
    return plain_name(name).upper()


def recipient_lines(text: str) -> tuple[str, ...]:
    """The recipients typed one per line, as bare lines: a leading dash or bullet is the writer's to add."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip().lstrip("-–•+*").strip()
        if line:
            lines.append(line)
    return tuple(lines)


def number_year(issued_on: date) -> int:
    """Numbers restart on 01/01 (Decree 30, art. 15): the year a number belongs to is the issue day's."""
    return issued_on.year

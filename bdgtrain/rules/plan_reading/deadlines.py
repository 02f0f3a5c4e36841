"""Report deadlines ("báo cáo 6 tháng trước ngày 25/5") and the recipients under "Nơi nhận:"."""
from __future__ import annotations

import re
from datetime import date

from ...messages import Message
from ..names import fold
from .readings import DeadlineReading, Note, Part, PlanReading
from .text import BULLET, first_upper, sentences, strip_marker

_DEADLINE = re.compile(
    r"(?P<label>báo cáo(?:(?!báo cáo)[^.;:])*?)\s+(?:gửi\s+)?trước\s+ngày\s+(?P<day>[0-9]{1,2})"
    r"(?:\s*/\s*(?P<month>[0-9]{1,2})(?:\s*/\s*(?P<year>[0-9]{4}))?|\s+tháng\s+(?P<wmonth>[0-9]{1,2})"
    r"(?:\s+năm\s+(?P<wyear>[0-9]{4}))?)", re.IGNORECASE)


def _deadline_label(words: str) -> str:
    folded = fold(words)
    if re.search(r"\b(?:0?6|sau) thang\b", folded):
        return "Báo cáo 6 tháng"
    if re.search(r"\b(?:cuoi nam|bao cao nam|hang nam|tong ket nam)\b", folded):
        return "Báo cáo năm"
    return first_upper(" ".join(words.split()))[:120]


def read_deadlines(lines: list[str], reading: PlanReading) -> None:
    for line in lines:
        for sentence in sentences(line):
            found = False
            for match in _DEADLINE.finditer(sentence):
                found = True
                day, month = int(match["day"]), int(match["month"] or match["wmonth"])
                year_text = match["year"] or match["wyear"]
                year = int(year_text) if year_text else None
                try:
                    date(year or 2000, month, day)  # 2000: a leap year, so 29/2 may recur
                except ValueError:
                    reading.errors.append(Note("deadline.invalid", Message(
                        "Hạn báo cáo ngày %(day)s/%(month)s không tồn tại.", day=day, month=month), sentence))
                    continue
                reading.report_deadlines.append(DeadlineReading(_deadline_label(match["label"]), day, month, year,
                                                                sentence))
            folded = fold(sentence)
            if not found and "bao cao" in folded and re.search(r"\bthang [0-9]{1,2}\b", folded) \
                    and "ket qua" in folded:
                reading.unrecognised.append(Note("deadline.no_day", Message(
                    "Có hạn báo cáo nhưng không ghi ngày cụ thể: hãy nhập tay nếu cần."), sentence))


def read_recipients(lines: list[str], reading: PlanReading) -> None:
    addressed: list[Part] = []
    for i, line in enumerate(lines):
        if fold(line).startswith("kinh gui"):
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            if rest:
                addressed.append(Part(rest.rstrip(";.,"), line))
            for other in lines[i + 1:i + 30]:
                if not BULLET.match(other):
                    break
                addressed.append(Part(strip_marker(other).rstrip(";.,").strip(), other))
            break
    for i, line in enumerate(lines):
        if not fold(line).startswith("noi nhan"):
            continue
        for other in lines[i + 1:i + 60]:
            if not BULLET.match(other):
                break
            name = BULLET.sub("", other).rstrip(";.,").strip()
            if not name or fold(name).startswith("luu"):
                continue
            if fold(name).startswith("nhu tren") and addressed:
                reading.recipients.extend(addressed)
            else:
                reading.recipients.append(Part(name, other))
        break

"""The head of a Kế hoạch: title, number, day of issue, issuing body, period."""
from __future__ import annotations

import re
from datetime import date

from ...messages import Message
from ..names import fold
from .assignments import ORG_START
from .readings import Note, Part, PlanReading
from .text import first_lower, first_upper, is_heading

_PLAN_WORD = re.compile(r"^K[ẾE]\s*HO[ẠA]CH\b[:.]?\s*(?P<rest>.*)$")
_NUMBER = re.compile(r"^Số\s*:?\s*(?P<number>.*?)\s*$", re.IGNORECASE)
_ISSUED = re.compile(r",\s*ngày\s+(?P<day>[0-9]{1,2})\s+tháng\s+(?P<month>[0-9]{1,2})\s+năm\s+(?P<year>[0-9]{4})",
                     re.IGNORECASE)
_NATION = "cong hoa xa hoi chu nghia viet nam"
_ISSUER_VERB = re.compile(r"(?:^|[,;.]\s*)(?P<body>[A-ZĐÀ-Ỹ][^,;.]{2,150}?)\s+(?:ban hành|xây dựng)\s+[Kk]ế hoạch")


def read_header(lines: list[str], reading: PlanReading) -> None:
    # The title: the line(s) after "KẾ HOẠCH"; or the subject of a letter, "V/v ...".
    for i, line in enumerate(lines[:60]):
        match = _PLAN_WORD.match(line)
        if match and line[:8].isupper():
            subject = match["rest"].strip() or (lines[i + 1] if i + 1 < len(lines) else "")
            if subject and not is_heading(subject):
                reading.title = Part(f"Kế hoạch {first_lower(subject)}", subject)
            break
    else:
        for i, line in enumerate(lines[:40]):
            if line.lower().startswith("v/v"):
                words = [line[3:].strip()]
                for following in lines[i + 1:i + 8]:
                    if re.search(r",\s*ngày\b", following) or following.lower().startswith(("kính gửi", "số")):
                        break
                    words.append(following)
                subject = " ".join(w for w in words if w)
                if subject:
                    reading.title = Part(first_upper(subject), " ".join([line, *words[1:]]))
                break
    for line in lines[:40]:
        match = _NUMBER.match(line)
        if match:
            number = match["number"].replace("*", "").replace(" ", "")
            if re.match(r"^[0-9]+/", number):
                reading.number = Part(number, line)
            break
    for line in lines[:40]:
        match = _ISSUED.search(line)
        if match:
            try:
                reading.issued_on = (date(int(match["year"]), int(match["month"]), int(match["day"])), line)
            except ValueError:
                reading.errors.append(Note("plan.issued_invalid", Message(
                    "Ngày ban hành “%(text)s” không tồn tại.", text=line), line))
            break
    # The issuing body: the header block above the national motto, else "<body> ban hành Kế hoạch".
    for i, line in enumerate(lines[:12]):
        if fold(line).startswith(_NATION):
            block = [h for h in lines[:i] if h.isupper() and not h.lower().startswith("số")]
            if block:  # the body above (if any) on the first line, the issuing body below it
                body = " ".join(block[1:]) + f", {block[0]}" if len(block) > 1 else block[0]
                reading.issuing_body = Part(body, "\n".join(block))
            break
    if reading.issuing_body is None:
        found = (Part(m["body"].strip(), line) for line in lines[:40] for m in _ISSUER_VERB.finditer(line)
                 if ORG_START.match(m["body"].strip()))
        reading.issuing_body = next(found, None)
    if reading.title:
        title = reading.title.value
        period = re.search(r"giai đoạn\s+([0-9]{4})\s*[-–]\s*([0-9]{4})", title)
        year = re.search(r"\bnăm\s+([0-9]{4})\b", title)
        if period and int(period[1]) <= int(period[2]):
            reading.period = (date(int(period[1]), 1, 1), date(int(period[2]), 12, 31), reading.title.source)
        elif year:
            reading.period = (date(int(year[1]), 1, 1), date(int(year[1]), 12, 31), reading.title.source)

"""The assignments section: who organises and who supplies the lists."""
from __future__ import annotations

import re

from ..names import fold
from .readings import Part, PlanReading
from .text import NUMBERED, section_of, sentences, strip_marker

ORG_START = re.compile(r"^(?:Sở|Hội|Ban|Phòng|UBND|Ủy ban|Uỷ ban|Văn phòng|Trung tâm|Trường|Liên đoàn|Đoàn|"
                        r"Mặt trận|Công an|Bộ|Cơ quan|Tỉnh|Thành|Huyện)\b")
_LIST_VERB = re.compile(r"\b(?:cung cấp|gửi|lập|lựa chọn, giới thiệu|giới thiệu)\s+danh sách\b", re.IGNORECASE)
_PARTNER = re.compile(r"phối hợp với\s+(?P<org>.+?)(?=\s+(?:cung cấp|gửi|lập|lựa chọn|giới thiệu|để|trong|theo)\b"
                      r"|[,;.]|$)", re.IGNORECASE)


def _unit_name(heading: str) -> str:
    name = re.sub(r"\s*\([^)]*\)", "", strip_marker(heading)).strip().rstrip(":.;")
    return name


def read_assignments(lines: list[str], reading: PlanReading) -> None:
    section = section_of(lines, ("phan cong", "to chuc thuc hien"))
    headings: list[str] = []
    unit: str | None = None
    suppliers: list[Part] = []
    for _, line in section[1:]:
        if NUMBERED.match(line):
            unit = _unit_name(line)
            if not ORG_START.match(unit) or len(unit.split()) > 14:
                unit = None
            else:
                headings.append(unit)
            folded = fold(line)
            if unit and reading.organiser is None and "thuong truc" in folded:
                reading.organiser = Part(unit, line)
            continue
        folded = fold(line)
        if unit and reading.organiser is None and ("thuong truc" in folded or "hoi truong" in folded
                                                   or "moi giang vien" in folded):
            reading.organiser = Part(unit, line)
    for line in lines:
        for sentence in sentences(line):
            if not _LIST_VERB.search(sentence):
                continue
            lead = sentence.split(" chủ trì", 1)[0].strip() if " chủ trì" in sentence else ""
            names = []
            if lead and ORG_START.match(lead):
                names.append(lead)
            else:
                owner = _owner_of(lines, line, section)
                if owner:
                    names.append(owner)
            names += [m["org"].strip() for m in _PARTNER.finditer(sentence) if ORG_START.match(m["org"].strip())]
            suppliers += [Part(n, line) for n in names]
    seen: dict[str, Part] = {}
    spelled = {fold(h): h for h in headings}
    for part in suppliers:
        key = fold(part.value)
        if key not in seen:
            seen[key] = Part(spelled.get(key, part.value), part.source)
    reading.suppliers = list(seen.values())


def _owner_of(lines: list[str], line: str, section: list[tuple[int, str]]) -> str | None:
    """The unit heading above `line` in the assignments section."""
    owner = None
    for _, other in section[1:]:
        if NUMBERED.match(other):
            name = _unit_name(other)
            owner = name if ORG_START.match(name) else None
        if other == line:
            return owner
    return None

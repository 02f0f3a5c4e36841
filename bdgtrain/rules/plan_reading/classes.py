"""The classes of a Kế hoạch with their labelled fields, the plan's venue and its trainers."""
from __future__ import annotations

import re

from ...messages import Message
from ..dates import DateExpressionError, find_date_phrase
from ..names import fold
from .readings import ClassReading, Note, Part, PlanReading, TrainerReading
from .text import BULLET, first_upper, is_heading, section_of, strip_marker

_NUMBER_WORDS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
                 "tám": 8, "chín": 9, "mười": 10}
_CLASS_HEAD = re.compile(
    r"^(?P<name>Lớp(?:\s+(?:tập huấn|bồi dưỡng|đào tạo|học))?\s+(?:số\s+|thứ\s+)?"
    r"(?P<n>[0-9]{1,2}|[IVX]{1,4}|nhất|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)\b)\s*[:.]?\s*(?P<rest>.*)$")
_LABELS = [
    ("content", r"Nội dung(?:\s+(?:tập huấn|bồi dưỡng|chương trình))?"),
    ("audience", r"(?:Thành phần|Đối tượng)(?:\s+(?:tham gia|tham dự|học viên))?"),
    ("time_venue", r"Thời gian(?:,|\s+và)\s*địa điểm(?:\s+(?:tổ chức|tập huấn))?"),
    ("time", r"Thời gian(?:\s+(?:tổ chức|tập huấn|dự kiến))?"),
    ("venue", r"Địa điểm(?:\s+(?:tổ chức|tập huấn))?"),
    ("trainers", r"(?:Giảng viên|Báo cáo viên)"),
    ("capacity", r"Số lượng(?:\s+học viên)?"),
]
_LABEL = re.compile(r"(?:^|(?<=\s)[-–—]\s*|(?<=[.;])\s+)(?P<label>" + "|".join(f"(?P<{k}>{p})" for k, p in _LABELS)
                    + r")\s*:\s*")


def _class_number(word: str, order: int) -> str:
    if word.isdigit():
        return str(int(word))
    if word.lower() in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[word.lower()])
    roman = {"I": 1, "V": 5, "X": 10}
    if set(word) <= set(roman):
        total = 0
        for a, b in zip(word, word[1:] + " "):
            total += -roman[a] if b in roman and roman[b] > roman[a] else roman[a]
        return str(total)
    return str(order)


def _fields(text: str) -> list[tuple[str, str]]:
    """(field, value) for each label written in `text`, in order."""
    found = list(_LABEL.finditer(text))
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        kind = next(k for k, _ in _LABELS if match[k])
        out.append((kind, text[match.end():end].strip().strip("—–").strip()))
    return out


def read_classes(lines: list[str], reading: PlanReading) -> set[int]:
    """The classes; returns the indexes of the lines they used."""
    used: set[int] = set()
    i = 0
    while i < len(lines):
        head = _CLASS_HEAD.match(strip_marker(lines[i]))
        if not head:
            i += 1
            continue
        order = len(reading.classes) + 1
        number = _class_number(head["n"], order)
        name, rest = head["name"].strip(), head["rest"].strip()
        if rest and not _LABEL.search(rest):  # "Lớp 1: Kỹ năng lãnh đạo" names the class
            name, rest = f"{name}: {rest.rstrip('.')}", ""
        cls = ClassReading(name=name, code=f"LOP-{number}", source=lines[i])
        block = [(lines[i], rest)] if rest else []
        used.add(i)
        j = i + 1
        while j < len(lines):
            body = BULLET.sub("", lines[j])
            plain = strip_marker(lines[j])
            if _CLASS_HEAD.match(plain) or (is_heading(lines[j]) and not _LABEL.match(plain)):
                break
            block.append((lines[j], body if _LABEL.match(body) else plain))
            used.add(j)
            j += 1
        _fill_class(cls, block, reading)
        reading.classes.append(cls)
        i = j
    return used


def _fill_class(cls: ClassReading, block: list[tuple[str, str]], reading: PlanReading) -> None:
    last: str | None = None
    values: dict[str, tuple[str, str]] = {}
    for line, text in block:
        fields = _fields(text)
        if not fields:
            if last is not None and last in values:  # a line that goes on with the field above
                value, source = values[last]
                values[last] = (f"{value} {text}".strip(), f"{source}\n{line}")
            else:
                reading.unrecognised.append(Note("class.line_unknown", Message(
                    "%(name)s: không hiểu dòng này.", name=cls.name), line))
            continue
        for kind, value in fields:
            if kind == "time_venue":  # "Thời gian, địa điểm: ngày 10/7/2019 tại Hội trường UBND tỉnh"
                kind = "time"
                place = re.search(r"\btại\s+(?P<place>[^;.]+)", value)
                if place:
                    values["venue"] = (place["place"].strip(), line)
            values[kind] = (value, line)
            last = kind
    for kind in ("content", "audience", "venue"):
        if kind in values and values[kind][0]:
            setattr(cls, kind, Part(*values[kind]))
    for kind in ("trainers", "capacity"):
        if kind in values:
            reading.unrecognised.append(Note(f"class.{kind}_unread", Message(
                "%(name)s: chưa đọc được mục này, hãy nhập tay sau khi tạo lớp.", name=cls.name), values[kind][1]))
    if "time" not in values:
        reading.unrecognised.append(Note("class.no_date", Message("%(name)s: không thấy thời gian tổ chức.",
                                                                  name=cls.name), cls.source))
        return
    value, source = values["time"]
    cls.dates_source = source
    cls.tentative = "du kien" in fold(value)
    try:
        phrase = find_date_phrase(value)
    except DateExpressionError as error:
        reading.errors.append(Note(error.code, Message("%(name)s: %(problem)s", name=cls.name,
                                                       problem=error.message), source))
        return
    if phrase is None:
        reading.unrecognised.append(Note("class.no_date", Message(
            "%(name)s: không đọc được ngày tổ chức trong “%(text)s”.", name=cls.name, text=value), source))
        return
    cls.dates, cls.date_text = phrase.days, phrase.written



def read_venue(lines: list[str], reading: PlanReading, used: set[int]) -> None:
    section = [(i, line) for i, line in section_of(lines, ("dia diem",)) if i not in used]
    if not section:
        return
    heading_index, heading = section[0]
    inline = strip_marker(heading).split(":", 1)
    text = inline[1].strip() if len(inline) == 2 and inline[1].strip() else ""
    source = heading
    if not text and len(section) > 1:
        source = section[1][1]
        text = strip_marker(source)
    if not text:
        return
    note = re.search(r"\((?P<note>[^)]*)\)", text)
    name = text[:note.start()].strip() if note and note.start() > 0 else text.rstrip(".")
    reading.venue = Part(name.strip().rstrip(".,;"), source)
    reading.venue_note = first_upper(note["note"].strip()) if note else None


_TRAINER_TITLE = re.compile(
    r"^(?P<title>(?:Phó\s+)?Giáo sư(?:,?\s*Tiến s[ĩỹ])?|PGS\.?\s*,?\s*TS\.?|GS\.?\s*,?\s*TS\.?|Tiến s[ĩỹ]|TS\.|"
    r"Thạc s[ĩỹ]|ThS\.|Bác s[ĩỹ]|Luật sư|Nhà báo|Ông|Bà|Đồng chí|Đ/c)\s+(?P<rest>.+)$")
_PERSON = re.compile(r"^(?:[A-ZĐÀ-Ỹ][^\s,;()]*\s+){1,5}[A-ZĐÀ-Ỹ][^\s,;()]*$")


def read_trainers(lines: list[str], reading: PlanReading, used: set[int]) -> None:
    section = [(i, line) for i, line in section_of(lines, ("giang vien", "bao cao vien")) if i not in used]
    for _, line in section[1:]:
        text = strip_marker(line).rstrip(".;")
        match = _TRAINER_TITLE.match(text)
        title, rest = (match["title"], match["rest"]) if match else (None, text)
        pieces = re.split(r"\s*[,(]\s*|\s+-\s+", rest, maxsplit=1)
        name, affiliation = pieces[0].strip(), (pieces[1] if len(pieces) > 1 else "")
        if _PERSON.match(name) and (title or affiliation):
            reading.trainers.append(TrainerReading(name, title, affiliation.strip().rstrip(")") or None, line))
        else:
            reading.unrecognised.append(Note("trainer.unknown", Message(
                "Không nhận ra tên giảng viên trong dòng này."), line))

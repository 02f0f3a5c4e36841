"""Reading a Kế hoạch (a Vietnamese administrative plan) from its plain text: pure rules, no clock.

What is read, each part with the sentence it came from (`source`):
- the title (the line after "KẾ HOẠCH", or the "V/v ..." subject of a letter), the number ("Số: 110/KH-SNV"),
  the day of issue ("Thanh Hoá, ngày 04 tháng 3 năm 2019"), the issuing body (the header above "CỘNG HÒA
  ...", or "<body> ban hành / xây dựng Kế hoạch" in the preamble), the period ("giai đoạn 2021 - 2030" or
  "năm 2019" in the title);
- classes: a line starting "Lớp tập huấn 1" / "Lớp 2" (after any numbering), then its labelled fields,
  on their own lines or inline: "Nội dung:", "Thành phần (tham gia):" / "Đối tượng:", "Thời gian:"
  (rules/dates.find_date_phrase; "Dự kiến" makes the class tentative), "Địa điểm:";
- the plan's venue (a heading "Địa điểm ..." and its paragraph) and trainers (a heading "Giảng viên ..."
  and its bullets: "Tiến sĩ Đặng Ngọc Toàn, Chuyên gia ...");
- from the assignments section ("PHÂN CÔNG THỰC HIỆN" / "TỔ CHỨC THỰC HIỆN"), the organiser (the unit
  called "thường trực", or the one that prepares the hall / invites the trainers) and the suppliers of
  lists ("Sở Nội vụ chủ trì, phối hợp với Hội Liên hiệp phụ nữ tỉnh cung cấp danh sách ...");
- targets: every "N%" in a sentence ("đạt 75% vào năm 2025 và đạt 90% vào năm 2030" is two), with its
  share as a fraction, its year, whether it is a floor ("ít nhất", "tối thiểu", "trở lên", "hơn"), the
  sentence's subject and, when the subject says it plainly, the measure it sets (docs/MEASURES.md);
- report deadlines ("báo cáo 6 tháng trước ngày 25/5", "báo cáo cuối năm gửi trước ngày 01 tháng 11");
- recipients (the bullets under "Nơi nhận:", "Như trên" replaced by the "Kính gửi" list, not "Lưu").

What is not understood is listed in `unrecognised` (a missing field, a bullet that names no trainer, a
report with no day); what is wrong (a day that does not exist, a share over 100%) is in `errors`, and a
reading with errors must not become a plan.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

from ..messages import Message
from .dates import DateExpressionError, find_date_phrase, format_date_expression
from .names import fold

MAX_TEXT_CHARS = 400_000  # a long plan is 30,000 characters; a book is not a plan


# --- what a reading gives back -----------------------------------------------------------------

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


# --- the text as lines ---------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)
_BULLET = re.compile(r"^\s*[-–—•+*]\s*")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})[.)]\s*(?P<rest>\S.*)$")
_NUMBERED = re.compile(r"^(?P<num>[0-9]{1,2}(?:\.[0-9]{1,2})*)[.)]?\s+(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^(?P<num>[a-zđ])\)\s*(?P<rest>\S.*)$")
_STARTS_LOWER = re.compile(r"^[^\W\d_]")


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).replace("\xa0", " ")
    text = text.replace("**", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+", " ", text)


def _lines(text: str) -> list[str]:
    """Non-empty lines, a line that only continues the sentence above (a PDF's wrap) joined to it."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip().strip("*").strip()
        if not line:
            continue
        if (lines and not re.search(r"[.;:!?]$", lines[-1]) and _STARTS_LOWER.match(line) and line[0].islower()
                and not _BULLET.match(line) and not _LETTERED.match(line)):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _strip_marker(line: str) -> str:
    """The line without its bullet or numbering ("- ", "1.3. ", "II. ", "a) ")."""
    line = _BULLET.sub("", line)
    for pattern in (_ROMAN, _NUMBERED, _LETTERED):
        match = pattern.match(line)
        if match:
            return match["rest"].strip()
    return line.strip()


def _is_heading(line: str) -> bool:
    return bool(_ROMAN.match(line) or _NUMBERED.match(line) or _LETTERED.match(line))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _first_lower(text: str) -> str:
    """"Tổ chức tập huấn" -> "tổ chức tập huấn", but an acronym or a name in capitals stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _sentences(line: str) -> list[str]:
    body = _strip_marker(line)
    parts = re.split(r"(?<=[^\s0-9][.;!?])\s+(?=[A-ZĐÀ-Ỹ])", body)
    return [p.strip() for p in parts if p.strip()]


# --- the parts ---------------------------------------------------------------------------------

_PLAN_WORD = re.compile(r"^K[ẾE]\s*HO[ẠA]CH\b[:.]?\s*(?P<rest>.*)$")
_NUMBER = re.compile(r"^Số\s*:?\s*(?P<number>.*?)\s*$", re.IGNORECASE)
_ISSUED = re.compile(r",\s*ngày\s+(?P<day>[0-9]{1,2})\s+tháng\s+(?P<month>[0-9]{1,2})\s+năm\s+(?P<year>[0-9]{4})",
                     re.IGNORECASE)
_NATION = "cong hoa xa hoi chu nghia viet nam"
_ISSUER_VERB = re.compile(r"(?:^|[,;.]\s*)(?P<body>[A-ZĐÀ-Ỹ][^,;.]{2,150}?)\s+(?:ban hành|xây dựng)\s+[Kk]ế hoạch")


def _read_header(lines: list[str], reading: PlanReading) -> None:
    # The title: the line(s) after "KẾ HOẠCH"; or the subject of a letter, "V/v ...".
    for i, line in enumerate(lines[:60]):
        match = _PLAN_WORD.match(line)
        if match and line[:8].isupper():
            subject = match["rest"].strip() or (lines[i + 1] if i + 1 < len(lines) else "")
            if subject and not _is_heading(subject):
                reading.title = Part(f"Kế hoạch {_first_lower(subject)}", subject)
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
                    reading.title = Part(_first_upper(subject), " ".join([line, *words[1:]]))
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
                 if _ORG_START.match(m["body"].strip()))
        reading.issuing_body = next(found, None)
    if reading.title:
        title = reading.title.value
        period = re.search(r"giai đoạn\s+([0-9]{4})\s*[-–]\s*([0-9]{4})", title)
        year = re.search(r"\bnăm\s+([0-9]{4})\b", title)
        if period and int(period[1]) <= int(period[2]):
            reading.period = (date(int(period[1]), 1, 1), date(int(period[2]), 12, 31), reading.title.source)
        elif year:
            reading.period = (date(int(year[1]), 1, 1), date(int(year[1]), 12, 31), reading.title.source)


# Classes ---------------------------------------------------------------------------------------

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


def _read_classes(lines: list[str], reading: PlanReading) -> set[int]:
    """The classes; returns the indexes of the lines they used."""
    used: set[int] = set()
    i = 0
    while i < len(lines):
        head = _CLASS_HEAD.match(_strip_marker(lines[i]))
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
            body = _BULLET.sub("", lines[j])
            plain = _strip_marker(lines[j])
            if _CLASS_HEAD.match(plain) or (_is_heading(lines[j]) and not _LABEL.match(plain)):
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


def _section_of(lines: list[str], keywords: tuple[str, ...]) -> list[tuple[int, str]]:
    """The lines under the first heading whose folded text starts with one of `keywords`, to the next
    heading of the same kind (roman, or numbered at the same depth)."""
    for i, line in enumerate(lines):
        roman, numbered = _ROMAN.match(line), _NUMBERED.match(line)
        match = roman or numbered
        if not match or not fold(match["rest"]).startswith(keywords):
            continue
        depth = match["num"].count(".") if numbered else -1
        out = []
        for j in range(i + 1, len(lines)):
            other_roman, other_numbered = _ROMAN.match(lines[j]), _NUMBERED.match(lines[j])
            if other_roman or (other_numbered and depth >= 0 and other_numbered["num"].count(".") <= depth):
                break
            if lines[j].lower().startswith("nơi nhận"):
                break
            out.append((j, lines[j]))
        return [(i, line), *out]
    return []


def _read_venue(lines: list[str], reading: PlanReading, used: set[int]) -> None:
    section = [(i, line) for i, line in _section_of(lines, ("dia diem",)) if i not in used]
    if not section:
        return
    heading_index, heading = section[0]
    inline = _strip_marker(heading).split(":", 1)
    text = inline[1].strip() if len(inline) == 2 and inline[1].strip() else ""
    source = heading
    if not text and len(section) > 1:
        source = section[1][1]
        text = _strip_marker(source)
    if not text:
        return
    note = re.search(r"\((?P<note>[^)]*)\)", text)
    name = text[:note.start()].strip() if note and note.start() > 0 else text.rstrip(".")
    reading.venue = Part(name.strip().rstrip(".,;"), source)
    reading.venue_note = _first_upper(note["note"].strip()) if note else None


_TRAINER_TITLE = re.compile(
    r"^(?P<title>(?:Phó\s+)?Giáo sư(?:,?\s*Tiến s[ĩỹ])?|PGS\.?\s*,?\s*TS\.?|GS\.?\s*,?\s*TS\.?|Tiến s[ĩỹ]|TS\.|"
    r"Thạc s[ĩỹ]|ThS\.|Bác s[ĩỹ]|Luật sư|Nhà báo|Ông|Bà|Đồng chí|Đ/c)\s+(?P<rest>.+)$")
_PERSON = re.compile(r"^(?:[A-ZĐÀ-Ỹ][^\s,;()]*\s+){1,5}[A-ZĐÀ-Ỹ][^\s,;()]*$")


def _read_trainers(lines: list[str], reading: PlanReading, used: set[int]) -> None:
    section = [(i, line) for i, line in _section_of(lines, ("giang vien", "bao cao vien")) if i not in used]
    for _, line in section[1:]:
        text = _strip_marker(line).rstrip(".;")
        match = _TRAINER_TITLE.match(text)
        title, rest = (match["title"], match["rest"]) if match else (None, text)
        pieces = re.split(r"\s*[,(]\s*|\s+-\s+", rest, maxsplit=1)
        name, affiliation = pieces[0].strip(), (pieces[1] if len(pieces) > 1 else "")
        if _PERSON.match(name) and (title or affiliation):
            reading.trainers.append(TrainerReading(name, title, affiliation.strip().rstrip(")") or None, line))
        else:
            reading.unrecognised.append(Note("trainer.unknown", Message(
                "Không nhận ra tên giảng viên trong dòng này."), line))


# Assignments ------------------------------------------------------------------------------------

_ORG_START = re.compile(r"^(?:Sở|Hội|Ban|Phòng|UBND|Ủy ban|Uỷ ban|Văn phòng|Trung tâm|Trường|Liên đoàn|Đoàn|"
                        r"Mặt trận|Công an|Bộ|Cơ quan|Tỉnh|Thành|Huyện)\b")
_LIST_VERB = re.compile(r"\b(?:cung cấp|gửi|lập|lựa chọn, giới thiệu|giới thiệu)\s+danh sách\b", re.IGNORECASE)
_PARTNER = re.compile(r"phối hợp với\s+(?P<org>.+?)(?=\s+(?:cung cấp|gửi|lập|lựa chọn|giới thiệu|để|trong|theo)\b"
                      r"|[,;.]|$)", re.IGNORECASE)


def _unit_name(heading: str) -> str:
    name = re.sub(r"\s*\([^)]*\)", "", _strip_marker(heading)).strip().rstrip(":.;")
    return name


def _read_assignments(lines: list[str], reading: PlanReading) -> None:
    section = _section_of(lines, ("phan cong", "to chuc thuc hien"))
    headings: list[str] = []
    unit: str | None = None
    suppliers: list[Part] = []
    for _, line in section[1:]:
        if _NUMBERED.match(line):
            unit = _unit_name(line)
            if not _ORG_START.match(unit) or len(unit.split()) > 14:
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
        for sentence in _sentences(line):
            if not _LIST_VERB.search(sentence):
                continue
            lead = sentence.split(" chủ trì", 1)[0].strip() if " chủ trì" in sentence else ""
            names = []
            if lead and _ORG_START.match(lead):
                names.append(lead)
            else:
                owner = _owner_of(lines, line, section)
                if owner:
                    names.append(owner)
            names += [m["org"].strip() for m in _PARTNER.finditer(sentence) if _ORG_START.match(m["org"].strip())]
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
        if _NUMBERED.match(other):
            name = _unit_name(other)
            owner = name if _ORG_START.match(name) else None
        if other == line:
            return owner
    return None


# Targets ---------------------------------------------------------------------------------------

_PERCENT = re.compile(r"(?P<value>[0-9]{1,4}(?:[.,][0-9]+)?)\s*%")
_YEAR_AFTER = re.compile(r"^\s*(?:vào|đến|trong|tới)?\s*(?:năm|cuối năm)\s+(?P<year>[0-9]{4})\b", re.IGNORECASE)
_YEAR_PHRASE = re.compile(r"\b(?:vào|đến|tới|trong)\s+(?:cuối\s+)?năm\s+(?P<year>[0-9]{4})\b", re.IGNORECASE)
_FLOOR = re.compile(r"(?:ít nhất|tối thiểu|trở lên|hơn|trên|không dưới)", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:\s*(?:Chỉ tiêu|Mục tiêu)\s+[0-9]+\s*:|\s*(?:Phấn đấu|Phần đầu|Phân đầu|Bảo đảm|Đảm bảo|Hằng năm|Hàng năm)\b"
    r"|\s*(?:đến|vào|tới)\s+năm\s+[0-9]{4}|\s*(?:đạt|là|có|ít nhất|tối thiểu|hơn|trên)\b|\s*[,:;])+",
    re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s*(?:đạt|là|có|ít nhất|tối thiểu|hơn|trên|không dưới)|\s*(?:đến|vào|tới)\s+năm\s+"
                       r"[0-9]{4}|\s*[,:;])+\s*$", re.IGNORECASE)
_MEASURES = [  # (measure, every folded word it needs, words that rule it out)
    ("women_leader_units", ("lanh dao chu chot",), ()),
    ("women_sent_share", ("cu di dao tao",), ()),
    ("women_masters_places_share", ("thac s", "chuong trinh dao tao"), ()),
    ("women_masters_share", ("nu thac s",), ()),
    ("women_doctorates_share", ("nu tien s",), ()),
    ("specialised_trained_share", ("chuyen trach", "boi duong"), ()),
    ("trained_share", ("quy hoach", "dao tao"), ()),
    ("women_pool_share", ("nu", "quy hoach"), ("dao tao", "boi duong")),
    ("women_committee_share", ("nu", "cap uy"), ()),
]


def guess_measure(subject: str) -> str | None:
    """The measure a target's subject names plainly, or None (the organiser chooses)."""
    folded = f" {fold(subject)} "
    for measure, needed, excluded in _MEASURES:
        if all(f" {w}" in folded for w in needed) and not any(w in folded for w in excluded):
            return measure
    return None


def _subject(before: str, after: str) -> str:
    before = _TRAILING.sub("", _FILLER.sub("", before)).strip()
    after = re.sub(r"\btrở lên\b\s*", "", after)
    after = _TRAILING.sub("", _FILLER.sub("", after)).strip().rstrip(".;").strip()
    if len(before.split()) >= 3:
        subject = before
    else:
        subject = f"{before} {after}".strip()
    subject = re.sub(r"\s+trở lên\b", "", subject)
    subject = subject.strip(" ,;:.")
    if subject.endswith("”") and "“" not in subject:
        subject = subject[:-1]
    return _first_upper(subject).strip()


def _read_targets(lines: list[str], reading: PlanReading) -> None:
    for line in lines:
        if not _PERCENT.search(line):
            continue
        for sentence in _sentences(line):
            if not _PERCENT.search(sentence):
                continue
            _read_target_sentence(sentence, reading)


def _read_target_sentence(sentence: str, reading: PlanReading) -> None:
    # Clauses with their own subject: "Tỷ lệ nữ thạc sỹ đạt 50% và tỷ lệ nữ tiến sỹ đạt 25% ...".
    clauses = re.split(r"\s+và\s+(?=tỷ lệ\b)", sentence, flags=re.IGNORECASE)
    sentence_years = {m["year"] for m in _YEAR_PHRASE.finditer(sentence)}
    for clause in clauses:
        percents = list(_PERCENT.finditer(clause))
        if not percents:
            continue
        first, last = percents[0], percents[-1]
        subject = _subject(clause[:first.start()], clause[last.end():])
        previous_end = 0
        for k, match in enumerate(percents):
            value = float(match["value"].replace(",", "."))
            next_start = percents[k + 1].start() if k + 1 < len(percents) else len(clause)
            year = None
            after = _YEAR_AFTER.match(clause[match.end():next_start])
            if after:
                year = int(after["year"])
            else:
                before = list(_YEAR_PHRASE.finditer(clause[previous_end:match.start()]))
                if before:
                    year = int(before[-1]["year"])
                elif len(sentence_years) == 1:
                    year = int(next(iter(sentence_years)))
            qualifier = re.search(r"(?:(?:đến|vào)\s+năm\s+[0-9]{4}\s+)?(?:(?:đạt|là|có|ít nhất|tối thiểu|hơn|trên|"
                                  r"không dưới)\s*)+$", clause[max(previous_end, match.start() - 50):match.start()],
                                  re.IGNORECASE)
            start = match.start() - len(qualifier.group()) if qualifier else match.start()
            end = match.end() + (after.end() if after else 0)
            text = clause[start:end].strip()
            if after is None and clause[match.end():next_start].lstrip().lower().startswith("trở lên"):
                text += " trở lên"
            floor = bool(_FLOOR.search(clause[start:match.start()])) or "trở lên" in clause[match.end():next_start]
            previous_end = match.end() + (after.end() if after else 0)
            if value > 100:
                reading.errors.append(Note("target.over_100", Message(
                    "Chỉ tiêu “%(text)s” vượt quá 100%%.", text=text), sentence))
                continue
            if value <= 0:
                reading.unrecognised.append(Note("target.zero", Message("Chỉ tiêu “%(text)s” bằng 0.", text=text),
                                                 sentence))
                continue
            reading.targets.append(TargetReading(text=text, share=round(value / 100, 4), year=year, at_least=floor,
                                                 subject=subject, measure=guess_measure(subject), source=sentence))


# Report deadlines and recipients ---------------------------------------------------------------------

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
    return _first_upper(" ".join(words.split()))[:120]


def _read_deadlines(lines: list[str], reading: PlanReading) -> None:
    for line in lines:
        for sentence in _sentences(line):
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


def _read_recipients(lines: list[str], reading: PlanReading) -> None:
    addressed: list[Part] = []
    for i, line in enumerate(lines):
        if fold(line).startswith("kinh gui"):
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            if rest:
                addressed.append(Part(rest.rstrip(";.,"), line))
            for other in lines[i + 1:i + 30]:
                if not _BULLET.match(other):
                    break
                addressed.append(Part(_strip_marker(other).rstrip(";.,").strip(), other))
            break
    for i, line in enumerate(lines):
        if not fold(line).startswith("noi nhan"):
            continue
        for other in lines[i + 1:i + 60]:
            if not _BULLET.match(other):
                break
            name = _BULLET.sub("", other).rstrip(";.,").strip()
            if not name or fold(name).startswith("luu"):
                continue
            if fold(name).startswith("nhu tren") and addressed:
                reading.recipients.extend(addressed)
            else:
                reading.recipients.append(Part(name, other))
        break


# --- reading -----------------------------------------------------------------------------------------

def read_plan_text(text: str) -> PlanReading:
    """Everything this reader recognises in the plain text of a Kế hoạch."""
    reading = PlanReading()
    text = _tidy(text or "")
    if len(text) > MAX_TEXT_CHARS:
        reading.errors.append(Note("text.too_long", Message(
            "Văn bản quá dài (%(num)s ký tự, tối đa %(max)s): đây không giống một kế hoạch.",
            num=len(text), max=MAX_TEXT_CHARS)))
        return reading
    lines = _lines(text)
    if not lines:
        reading.errors.append(Note("text.empty", Message("Văn bản không có chữ nào để đọc.")))
        return reading
    _read_header(lines, reading)
    used = _read_classes(lines, reading)
    _read_venue(lines, reading, used)
    _read_trainers(lines, reading, used)
    _read_assignments(lines, reading)
    _read_targets(lines, reading)
    _read_deadlines(lines, reading)
    _read_recipients(lines, reading)
    if not (reading.title or reading.classes or reading.targets or reading.report_deadlines):
        reading.errors.append(Note("text.not_a_plan", Message(
            "Không nhận ra đây là một kế hoạch: không thấy tên kế hoạch (dòng “KẾ HOẠCH”), lớp tập huấn, "
            "chỉ tiêu hay hạn báo cáo nào.")))
        return reading
    _list_missing(reading)
    return reading


def _list_missing(reading: PlanReading) -> None:
    for value, code, message in (
            (reading.title, "plan.no_title", Message("Không thấy tên kế hoạch.")),
            (reading.number, "plan.no_number", Message("Không thấy số hiệu kế hoạch (hoặc số còn để trống).")),
            (reading.issued_on, "plan.no_issued_on", Message("Không thấy ngày ban hành đầy đủ.")),
            (reading.issuing_body, "plan.no_issuing_body", Message("Không thấy cơ quan ban hành.")),
            (reading.organiser, "plan.no_organiser", Message("Không thấy đơn vị chủ trì tổ chức (thường trực).")),
    ):
        if value is None:
            reading.unrecognised.append(Note(code, message))
    for cls in reading.classes:
        for value, what in ((cls.content, Message("nội dung")), (cls.audience, Message("thành phần")),
                            (cls.venue or reading.venue, Message("địa điểm"))):
            if value is None:
                reading.unrecognised.append(Note("class.field_missing", Message(
                    "%(name)s: không thấy %(what)s.", name=cls.name, what=what), cls.source))
    for target in reading.targets:
        if target.measure is None:
            reading.unrecognised.append(Note("target.measure_unknown", Message(
                "Chỉ tiêu “%(text)s”: không rõ thuộc thước đo nào, hãy chọn khi xem lại.", text=target.text),
                target.source))

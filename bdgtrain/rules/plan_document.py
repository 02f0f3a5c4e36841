"""The words of a plan's Kế hoạch (issue 23, "write a plan"): plan facts in, the document's sections out.

The structure is the seeds' (seed 004, Hà Tĩnh 2019, is the model): an opening sentence, I. MỤC ĐÍCH, YÊU
CẦU (with the plan's targets as one sentence per measure: "đạt 75% vào năm 2025 và đạt 90% vào năm 2030"),
II. NỘI DUNG (the classes, "1.3. Lớp tập huấn 3" with its Nội dung, Thành phần and Thời gian "Dự kiến ngày
15-16/7/2019"; the venue; materials and method; trainers), III. PHÂN CÔNG THỰC HIỆN (the organiser, the
list suppliers, the monitors; the report deadlines "trước ngày 25/5"), IV. KINH PHÍ, a closing sentence and
Nơi nhận. The editable sections are plain text, one paragraph a line; a line "2. Sở Nội vụ" is a numbered
sub-heading (`outline`). The classes are not editable here: they are the plan's own data. Pure: no clock,
no database; the words are the official Vietnamese of the seeds and are not translated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import format_date_expression

# The sections an organiser may rewrite before issue, in the document's order.
SECTIONS = ("preamble", "purpose", "requirements", "venue", "materials", "trainers", "assignments", "funding",
            "closing")
REQUIRED_SECTIONS = ("purpose", "requirements", "assignments", "funding")

HEADINGS = {
    "purposes": "I. MỤC ĐÍCH, YÊU CẦU",
    "purpose": "1. Mục đích",
    "requirements": "2. Yêu cầu",
    "content": "II. NỘI DUNG",
    "classes": "1. Các lớp tập huấn",
    "venue": "2. Địa điểm tổ chức các lớp tập huấn",
    "materials": "3. Tài liệu và phương pháp tập huấn",
    "trainers": "4. Giảng viên tập huấn",
    "assignments": "III. PHÂN CÔNG THỰC HIỆN",
    "funding": "IV. KINH PHÍ",
}

# How the seeds name what a target measures (seed 000: "Tỷ lệ cán bộ nữ trong diện quy hoạch ... được đào
# tạo, tập huấn, nâng cao năng lực đạt 75% vào năm 2025 và đạt 90% vào năm 2030").
TARGET_SUBJECTS = {
    "trained_share": "Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý được đào tạo, tập huấn, "
                     "nâng cao năng lực",
    "women_pool_share": "Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý",
    "women_leader_units": "Tỷ lệ cơ quan, đơn vị có lãnh đạo chủ chốt là nữ",
    "women_sent_share": "Tỷ lệ nữ trong tổng số cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng hằng năm",
    "women_committee_share": "Tỷ lệ nữ tham gia cấp ủy Đảng",
    "women_masters_places_share": "Tỷ lệ nữ trong số công chức, viên chức được cử đi đào tạo thạc sĩ",
    "women_masters_share": "Tỷ lệ nữ thạc sĩ trên tổng số người có cùng học vị",
    "women_doctorates_share": "Tỷ lệ nữ tiến sĩ trên tổng số người có cùng học vị",
    "specialised_trained_share": "Tỷ lệ cán bộ chuyên trách được bồi dưỡng nâng cao năng lực",
}

PURPOSE = (
    "Đẩy mạnh thông tin, tuyên truyền chủ trương của Đảng, chính sách, pháp luật của Nhà nước về bình đẳng giới "
    "nhằm nâng cao nhận thức, trách nhiệm, sự đồng thuận và ủng hộ của cả hệ thống chính trị và người dân về lợi "
    "ích tham gia của phụ nữ vào các vị trí lãnh đạo, quản lý, nhờ đó thúc đẩy thực hiện bình đẳng giới trong "
    "lĩnh vực chính trị.")
REQUIREMENTS = (
    "Việc triển khai các nội dung cuộc tập huấn phải thực hiện theo kế hoạch, đảm bảo thiết thực, hiệu quả, "
    "tiết kiệm.\n"
    "Các cơ quan, đơn vị cử cán bộ tham gia tập huấn đúng thành phần, đủ số lượng và đúng thời gian quy định.")
MATERIALS = (
    "- Tài liệu, chương trình được các giảng viên và các chuyên gia biên soạn, cung cấp phù hợp với nội dung và "
    "đối tượng được tham gia tập huấn.\n"
    "- Phương pháp tập huấn: Áp dụng phương pháp giảng dạy hiện đại, chú trọng vào hoạt động thực tế hiện nay "
    "để cung cấp thông tin cho các học viên.")
CLOSING = ("Yêu cầu Thủ trưởng các cơ quan, đơn vị và địa phương liên quan triển khai thực hiện Kế hoạch này và "
           "báo cáo theo quy định.")
PEOPLES_COMMITTEE = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:tỉnh|thành phố|huyện|thị xã|quận|"
                               r"xã|phường|thị trấn)\s+", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.\s+\S")


@dataclass(frozen=True)
class ClassFacts:
    title: str  # "Lớp tập huấn 3"
    content: str = ""
    audience: str = ""
    days: tuple[date, ...] = ()
    tentative: bool = True  # "Dự kiến": the class is planned, not confirmed
    venue: str = ""  # the venue as the text names it: "Thành phố Hà Tĩnh (...)"


@dataclass(frozen=True)
class TargetFacts:
    measure: str
    value_percent: int
    deadline: date


@dataclass(frozen=True)
class DeadlineFacts:
    label: str  # "Báo cáo 6 tháng"
    day: int
    month: int
    year: int | None = None  # None: every year


@dataclass(frozen=True)
class AgencyFacts:
    """An agency the assignments name: a list supplier (for which classes, leading or not), a monitor."""

    name: str
    supplies: tuple[str, ...] = ()  # class titles it sends lists for
    leads: bool = False  # it leads the lists of its classes ("chủ trì"), the others support ("phối hợp")
    partners: tuple[str, ...] = ()  # the other suppliers of those classes
    monitors: bool = False


@dataclass(frozen=True)
class PlanFacts:
    title: str  # "Kế hoạch tổ chức tập huấn ..."
    issuing_body: str = ""  # "UBND tỉnh Hà Tĩnh"
    organiser: str = ""  # "Sở Lao động - Thương binh và Xã hội (Cơ quan Thường trực Ban ...)"
    basis: str = ""  # the plan's description: "Thực hiện Chương trình công tác số 08/CTr-UBQG ..."
    funding_source: str = ""
    classes: tuple[ClassFacts, ...] = ()
    trainers: tuple[str, ...] = ()  # "Tiến sĩ Đặng Ngọc Toàn, Chuyên gia tư vấn ..."
    agencies: tuple[AgencyFacts, ...] = ()
    targets: tuple[TargetFacts, ...] = ()
    deadlines: tuple[DeadlineFacts, ...] = ()


@dataclass(frozen=True)
class Sections:
    """The editable texts of a Kế hoạch; each one paragraph a line."""

    preamble: str = ""
    purpose: str = ""
    requirements: str = ""
    venue: str = ""
    materials: str = ""
    trainers: str = ""
    assignments: str = ""
    funding: str = ""
    closing: str = ""


def summary_of(title: str) -> str:
    """The trích yếu under "KẾ HOẠCH": the plan's title without its leading "Kế hoạch", capitalised."""
    text = " ".join(title.split())
    stripped = re.sub(r"^kế hoạch\s+", "", text, flags=re.IGNORECASE)
    return stripped[:1].upper() + stripped[1:]


def place_of(name: str) -> str:
    """Where a People's Committee issues from: "UBND tỉnh Hà Tĩnh" -> "Hà Tĩnh"; other bodies: ""."""
    match = PEOPLES_COMMITTEE.match(" ".join(name.split()))
    return " ".join(name.split())[match.end():] if match else ""


def is_peoples_committee(name: str) -> bool:
    return PEOPLES_COMMITTEE.match(" ".join(name.split())) is not None


def days_text(days: tuple[date, ...] | list[date], tentative: bool) -> str:
    """"Dự kiến ngày 15-16/7/2019", "ngày 10/7/2019"; "" without days."""
    if not days:
        return ""
    return f"{'Dự kiến ' if tentative else ''}ngày {format_date_expression(days)}"


def _percent_year(target: TargetFacts) -> str:
    return f"đạt {target.value_percent}% vào năm {target.deadline.year}"


def targets_sentences(targets: tuple[TargetFacts, ...] | list[TargetFacts]) -> list[str]:
    """One sentence per measure, its targets by deadline: "... đạt 75% vào năm 2025 và đạt 90% vào năm 2030."
    Measures in the order of TARGET_SUBJECTS; unknown measures are left out (they have no words)."""
    sentences = []
    for measure, subject in TARGET_SUBJECTS.items():
        mine = sorted((t for t in targets if t.measure == measure), key=lambda t: (t.deadline, t.value_percent))
        if not mine:
            continue
        parts = [_percent_year(t) for t in mine]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]
        sentences.append(f"{subject} {joined}.")
    return sentences


def deadline_text(deadline: DeadlineFacts) -> str:
    """"Báo cáo 6 tháng trước ngày 25/5"; a one-off deadline carries its year: "trước ngày 25/5/2019"."""
    when = f"{deadline.day}/{deadline.month}" + (f"/{deadline.year}" if deadline.year else "")
    return f"{_lower_first(' '.join(deadline.label.split()))} trước ngày {when}"


def deadlines_sentence(deadlines: tuple[DeadlineFacts, ...] | list[DeadlineFacts]) -> str:
    ordered = sorted(deadlines, key=lambda d: (d.year or 0, d.month, d.day))
    if not ordered:
        return "Tổng hợp, báo cáo kết quả thực hiện Kế hoạch theo quy định."
    return "Tổng hợp, báo cáo kết quả thực hiện Kế hoạch: " + "; ".join(deadline_text(d) for d in ordered) + "."


def _lower_first(text: str) -> str:
    """"Báo cáo năm" -> "báo cáo năm" inside a sentence; an acronym ("UBND", "HĐND") keeps its capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _plain(name: str) -> str:
    return " ".join(re.sub(r"\s*\([^()]*\)", "", name).split())


def _titles(titles: tuple[str, ...]) -> str:
    return ", ".join(titles[:-1]) + " và " + titles[-1] if len(titles) > 1 else titles[0]


def preamble_text(facts: PlanFacts) -> str:
    issuer = facts.issuing_body or _plain(facts.organiser)
    tail = f"{issuer} ban hành Kế hoạch {_lower_first(summary_of(facts.title))} với các nội dung như sau:"
    basis = " ".join(facts.basis.split()).rstrip(".;, ")
    return f"{basis}, {tail}" if basis else tail


def purpose_text(facts: PlanFacts) -> str:
    lines = [PURPOSE]
    targets = targets_sentences(facts.targets)
    if targets:
        lines.append("Góp phần thực hiện các chỉ tiêu:")
        lines += [f"- {sentence}" for sentence in targets]
    return "\n".join(lines)


def venue_text(facts: PlanFacts) -> str:
    venues = list(dict.fromkeys(c.venue for c in facts.classes if c.venue))
    if not venues:
        return (f"Địa điểm tổ chức cụ thể do {_plain(facts.organiser)} bố trí và thông báo."
                if facts.organiser else "")
    if len(venues) == 1 and all(c.venue for c in facts.classes):
        return venues[0].rstrip(".") + "."
    return "\n".join(f"- {c.title}: {c.venue}." for c in facts.classes if c.venue)


def trainers_text(facts: PlanFacts) -> str:
    return "\n".join(f"- {t}" for t in facts.trainers)


def _supplier_tasks(agency: AgencyFacts) -> list[str]:
    if not agency.supplies:
        return []
    classes = _titles(agency.supplies)
    if agency.partners:
        partners = _titles(agency.partners)
        verb = f"Chủ trì, phối hợp với {partners}" if agency.leads else f"Phối hợp với {partners}"
    else:
        verb = "Chủ trì"
    return [f"- {verb} cung cấp danh sách học viên {classes} theo đúng thành phần của lớp."]


def assignments_text(facts: PlanFacts) -> str:
    organiser = _plain(facts.organiser)
    lines = [f"1. {facts.organiser}" if facts.organiser else "1. Cơ quan tổ chức",
             "- Tham mưu ban hành các văn bản chỉ đạo, đôn đốc các cơ quan, đơn vị, địa phương triển khai thực "
             "hiện Kế hoạch;",
             "- Chịu trách nhiệm khâu nối, liên lạc mời giảng viên và báo cáo viên;",
             "- Chuẩn bị hội trường, loa máy, âm thanh, ánh sáng và các điều kiện khác phục vụ cho tập huấn;",
             f"- {deadlines_sentence(facts.deadlines)}"]
    number = 1
    for agency in facts.agencies:
        tasks = _supplier_tasks(agency)
        if agency.monitors:
            tasks.append(f"- Phối hợp với {organiser or 'cơ quan tổ chức'} theo dõi, giám sát, đánh giá kết quả "
                         "các lớp tập huấn và báo cáo theo quy định.")
        if not tasks:
            continue
        number += 1
        lines += [f"{number}. {agency.name}", *tasks]
    number += 1
    lines += [f"{number}. Các cơ quan, đơn vị, địa phương liên quan",
              "Cử cán bộ tham gia tập huấn theo đúng thành phần và thời gian quy định."]
    return "\n".join(lines)


def funding_text(facts: PlanFacts) -> str:
    source = " ".join(facts.funding_source.split()).rstrip(".")
    if source.lower().startswith("nguồn"):
        return f"Sử dụng {_lower_first(source)}."
    if source:
        return f"Sử dụng nguồn kinh phí {source}."
    organiser = _plain(facts.organiser) or "cơ quan tổ chức"
    return f"Kinh phí tổ chức các lớp tập huấn do {organiser} bố trí từ nguồn kinh phí được giao theo quy định."


def default_sections(facts: PlanFacts) -> Sections:
    """What a plan's Kế hoạch says before the organiser edits it."""
    return Sections(preamble=preamble_text(facts), purpose=purpose_text(facts), requirements=REQUIREMENTS,
                    venue=venue_text(facts), materials=MATERIALS, trainers=trainers_text(facts),
                    assignments=assignments_text(facts), funding=funding_text(facts), closing=CLOSING)


def default_recipients(facts: PlanFacts) -> str:
    """Nơi nhận: the agencies the plan assigns work to, then the archive."""
    names = [_plain(facts.organiser)] if facts.organiser else []
    names += [_plain(a.name) for a in facts.agencies]
    lines = [f"{name};" for name in dict.fromkeys(n for n in names if n)]
    lines.append("Lưu: VT.")
    return "\n".join(lines)


@dataclass(frozen=True)
class ClassPart:
    """One class as section II.1 prints it: its heading and its three lines."""

    heading: str  # "1.3. Lớp tập huấn 3"
    lines: tuple[str, ...]  # "- Nội dung: ...", "- Thành phần: ...", "- Thời gian: Dự kiến ngày 15-16/7/2019."


def class_parts(classes: tuple[ClassFacts, ...] | list[ClassFacts]) -> list[ClassPart]:
    """Section II.1, numbered 1.1, 1.2, ... in the plan's order; a part the plan lacks is left out."""
    parts = []
    for number, cls in enumerate(classes, start=1):
        lines = []
        if cls.content.strip():
            lines.append(f"- Nội dung: {' '.join(cls.content.split())}")
        if cls.audience.strip():
            lines.append(f"- Thành phần: {' '.join(cls.audience.split())}")
        when = days_text(cls.days, cls.tentative)
        lines.append(f"- Thời gian: {when}." if when else "- Thời gian: sẽ thông báo sau.")
        parts.append(ClassPart(f"1.{number}. {' '.join(cls.title.split())}", tuple(lines)))
    return parts


def outline(text: str) -> list[tuple[int, str]]:
    """An edited section as (level, text) lines: 0 a paragraph, 2 a numbered sub-heading ("2. Sở Nội vụ"),
    3 one numbered deeper ("1.1. ..."). Blank lines are dropped."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        match = _NUMBERED.match(line)
        level = 0 if match is None else (2 if "." not in match.group("number") else 3)
        lines.append((level, line))
    return lines

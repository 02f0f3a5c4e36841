"""Training outside the system (đào tạo, bồi dưỡng ngoài hệ thống): its kinds, and reading and checking one
record as a person writes it (a form or a spreadsheet row).

Pure: plain values in, plain values out; `today` is given. A refusal is a RecordError naming the field
and carrying a Vietnamese Message; the service turns it into a DomainError, the import into a row problem.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..messages import Message
from .dates import DateExpressionError, format_vn_date, parse_vn_date
from .names import fold

# Stored codes, in the order pages and the template list them.
KINDS = ("tap_huan", "boi_duong", "llct", "qlnn", "thac_si", "tien_si", "other")
# The words a spreadsheet uses for each kind, folded (the template's own labels, with their diacritics, are in
# importers/training_template.py).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "tap_huan": ("tap huan", "lop tap huan"),
    "boi_duong": ("boi duong", "lop boi duong", "boi duong kien thuc", "boi duong nghiep vu"),
    "llct": ("ly luan chinh tri", "llct", "cao cap llct", "trung cap llct", "so cap llct",
             "cao cap ly luan chinh tri", "trung cap ly luan chinh tri", "so cap ly luan chinh tri"),
    "qlnn": ("quan ly nha nuoc", "qlnn", "boi duong quan ly nha nuoc", "boi duong qlnn"),
    "thac_si": ("thac si", "thac sy", "ths", "cao hoc"),
    "tien_si": ("tien si", "tien sy", "ts", "nghien cuu sinh"),
    "other": ("khac", "other"),
}
_KIND_OF_WORD = {fold(word): kind for kind, words in KIND_WORDS.items() for word in words}
_YES = {"co", "x", "1", "yes", "y", "dung", "tinh", "co tinh", "v", "\u2713", "\u2714", "true"}
_NO = {"khong", "0", "no", "n", "sai", "khong tinh", "false"}
_NOT_KEY = re.compile(r"[^a-z0-9\u2713\u2714]+")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
MAX_TITLE = 500
MAX_PROVIDER = 255
MAX_EVIDENCE = 500


class RecordError(ValueError):
    """One field of a record refused: `field` (title, kind, started_on, ended_on...) and a Vietnamese message."""

    def __init__(self, field: str, message: Message):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TrainingRecord:
    kind: str
    title: str
    provider: str | None = None
    started_on: date | None = None
    ended_on: date | None = None
    evidence: str | None = None
    counts_towards_measures: bool = True


def kind_of(text: str | None) -> str | None:
    """The kind a cell names ("Trung cấp LLCT", "Thạc sĩ", "tap_huan"), or None when it names none."""
    if not text:
        return None
    if text in KINDS:
        return text
    key = _NOT_KEY.sub(" ", fold(text)).strip()
    if key in _KIND_OF_WORD:
        return _KIND_OF_WORD[key]
    # "Lớp trung cấp lý luận chính trị - hành chính", "Bồi dưỡng kiến thức QLNN ngạch chuyên viên"
    for words, kind in (("ly luan chinh tri", "llct"), ("llct", "llct"), ("quan ly nha nuoc", "qlnn"),
                        ("qlnn", "qlnn"), ("thac si", "thac_si"), ("tien si", "tien_si"),
                        ("tap huan", "tap_huan"), ("boi duong", "boi_duong")):
        if re.search(rf"\b{words}\b", key):
            return kind
    return None


def counts_of(text: str | None) -> bool | None:
    """Whether a "Tính vào chỉ tiêu" cell says yes (blank: yes) or no; None when it says neither."""
    if text is None or not str(text).strip():
        return True
    key = _NOT_KEY.sub(" ", fold(str(text))).strip()
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


def read_date(value) -> date | None:
    """A date as a form or the spreadsheet reader gives it (a date, "2019-07-15", "15/7/2019"), or None when
    blank; DateExpressionError when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    iso = _ISO.fullmatch(text[:10]) if len(text) in (10, 19) else None
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            pass
    return parse_vn_date(text)


def check_record(record: TrainingRecord, today: date) -> TrainingRecord:
    """The record tidied, or RecordError for its first wrong field."""
    title = " ".join((record.title or "").split())
    if not title:
        raise RecordError("title", Message("Chưa nhập nội dung hoặc tên khóa đào tạo, bồi dưỡng."))
    if len(title) > MAX_TITLE:
        raise RecordError("title", Message("Tên khóa đào tạo dài quá %(max)s ký tự.", max=MAX_TITLE))
    if record.kind not in KINDS:
        raise RecordError("kind", Message("Loại hình “%(kind)s” không có trong danh mục (tập huấn, bồi dưỡng, lý "
                                          "luận chính trị, quản lý nhà nước, thạc sĩ, tiến sĩ, khác).",
                                          kind=record.kind or ""))
    provider = " ".join((record.provider or "").split()) or None
    if provider and len(provider) > MAX_PROVIDER:
        raise RecordError("provider", Message("Tên cơ sở đào tạo dài quá %(max)s ký tự.", max=MAX_PROVIDER))
    evidence = " ".join((record.evidence or "").split()) or None
    if evidence and len(evidence) > MAX_EVIDENCE:
        raise RecordError("evidence", Message("Số chứng chỉ, quyết định dài quá %(max)s ký tự.", max=MAX_EVIDENCE))
    if record.started_on is not None and record.started_on > today:
        raise RecordError("started_on", Message("Ngày bắt đầu %(date)s ở tương lai: chỉ ghi khóa đào tạo đã "
                                                "bắt đầu.", date=format_vn_date(record.started_on)))
    if record.ended_on is not None and record.ended_on > today:
        raise RecordError("ended_on", Message("Ngày kết thúc %(date)s ở tương lai: chỉ ghi ngày kết thúc khi khóa "
                                              "đào tạo đã kết thúc.", date=format_vn_date(record.ended_on)))
    if record.started_on and record.ended_on and record.ended_on < record.started_on:
        raise RecordError("ended_on", Message("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s.",
                                              end=format_vn_date(record.ended_on),
                                              start=format_vn_date(record.started_on)))
    return TrainingRecord(record.kind, title, provider, record.started_on, record.ended_on, evidence,
                          bool(record.counts_towards_measures))


__all__ = ["KINDS", "KIND_WORDS", "DateExpressionError", "RecordError", "TrainingRecord", "check_record",
           "counts_of", "kind_of", "read_date"]

"""One model for every official document bdgtrain writes (periodic report, monitoring summary, certificate).

Decree 30/2020/NĐ-CP (Appendix I) fixes the parts of an administrative document and their order: the
issuing agency under its parent, number and symbol, national heading and motto, place and date, the
document's kind and summary line, the body, the authority line (TM./KT./Q.), the signer's title and
name with room for signature and seal, and "Nơi nhận". A `Document` holds exactly those parts as plain
values; the writers beside this module (docx, pdf, xlsx) lay them out, so the three files of one
document always say the same thing. Nothing here touches the database or Flask: a service builds a
Document from what it kept, a writer turns it into bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Union

from ..rules import numbers

NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_TITLE = "Nơi nhận:"

CellKind = Literal["text", "int", "percent", "points"]
Cell = Union[str, int, float, None]


def place_and_date(place: str, day: date) -> str:
    """The decree's place-and-date line: a day below 10 and a month below 3 take a leading zero
    ("Hà Tĩnh, ngày 05 tháng 02 năm 2020"), other months do not ("ngày 15 tháng 12 năm 2019")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Header:
    """The block above the title: who issues, under whom, the number, where and when."""

    issuing_body: str  # "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", upper case as printed
    number: str  # "25/BC-SLĐTBXH", printed after "Số: "
    place: str  # "Hà Tĩnh"
    issued_on: date
    parent_body: str | None = None  # "UBND TỈNH HÀ TĨNH"; None for a body with no parent printed

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}"

    @property
    def date_line(self) -> str:
        return place_and_date(self.place, self.issued_on)


@dataclass(frozen=True)
class Heading:
    """A section title of the body: level 1 "I. KẾT QUẢ ..." (bold), level 2 "1. ..." (bold), 3 italic."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text. Paragraphs of the body are justified with a first-line indent unless `align` says otherwise;
    a blank line in `text` starts a new paragraph in every writer."""

    text: str
    bold: bool = False
    italic: bool = False
    align: Literal["justify", "left", "center", "right"] = "justify"
    size: float | None = None  # points; None: the body's size (14)


@dataclass(frozen=True)
class Column:
    title: str
    # "percent": the cell holds a fraction (0.753 prints 75,3%); "points": a score on a scale (3.5 prints 3,50)
    kind: CellKind = "text"
    width: float = 20.0  # relative width; a writer scales the columns to the text width


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str | None = None  # printed above the table, bold
    note: str | None = None  # printed below, italic (e.g. how the completion rule was applied)
    total_row: bool = False  # the last row is a total: bold


@dataclass(frozen=True)
class Image:
    """A picture in the body (the certificate's verifying QR code), PNG bytes, width in millimetres."""

    png: bytes
    width_mm: float
    caption: str | None = None


Block = Union[Heading, Paragraph, Table, Image]


@dataclass(frozen=True)
class Signature:
    """Who signs. `authority` is the decree's line above the title: "TM. ỦY BAN NHÂN DÂN" (on behalf of a
    collective), "KT. GIÁM ĐỐC" (deputy signing for the head), "Q. GIÁM ĐỐC" (acting), "TL."/"TUQ."; empty
    when the head signs in their own name."""

    title: str  # "PHÓ GIÁM ĐỐC"
    name: str  # "Nguyễn Văn A"
    authority: str = ""


@dataclass(frozen=True)
class Document:
    header: Header
    kind: str  # "BÁO CÁO", "GIẤY CHỨNG NHẬN"; printed upper case
    summary: str  # the trích yếu line: "Kết quả thực hiện Kế hoạch ... năm 2019"
    body: tuple[Block, ...] = ()
    signature: Signature | None = None
    # "Như trên;", "Lưu: VT, ..." kept bare: the writers print the dash ("- " in docx/pdf, "– " in xlsx, never
    # a minus a spreadsheet would compute); an empty tuple prints no "Nơi nhận"
    recipients: tuple[str, ...] = ()
    landscape: bool = False  # certificates are A4 landscape, reports portrait
    title: str | None = None  # the file's metadata title; the kind and summary when None
    meta: dict[str, str] = field(default_factory=dict)  # e.g. {"subject": ..., "keywords": ...}

    @property
    def document_title(self) -> str:
        return self.title or f"{self.kind} {self.summary}".strip()


def percent_text(share: float | None) -> str:
    """A fraction as Vietnamese print it: 0.753 -> "75,3%"; None -> "—" (no figure, never 0%)."""
    return numbers.percent(share)


def cell_text(value: Cell, kind: CellKind) -> str:
    """How every writer prints a cell (the .xlsx keeps the number and gives it a format instead)."""
    if value is None:
        return "—"
    if kind == "percent" and isinstance(value, (int, float)):
        return percent_text(float(value))
    if kind == "int" and isinstance(value, int):
        return numbers.integer(value)
    if kind == "points" and isinstance(value, (int, float)):
        return numbers.points(value)
    return str(value)


def paragraphs_of(text: str) -> list[str]:
    """Text typed in a form as the paragraphs it holds: split on newlines, blank lines dropped."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]

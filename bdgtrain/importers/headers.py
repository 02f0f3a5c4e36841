"""Finding the header of a list and saying what each column holds.

The header is the row, among the first MAX_HEADER_ROW, that names the most known columns; it must
name the full name and one other known column. Words are matched folded (no diacritics, no case,
punctuation and line breaks as spaces), so "HỌ VÀ\nTÊN", "Họ và tên" and "Ho va ten" are one.

Two-level headers are recognised when the next row refines columns left empty above (a merged
cell keeps its text in its first column only): "Năm sinh" over "Nam | Nữ" gives two columns whose
filling says the sex; "Họ và tên" over "Họ đệm | Tên" gives a name in two parts. A row of column
numbers under the header — "(1) (2) (3)" or "1 2 3" — is skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from bdgtrain.messages import Message
from bdgtrain.rules.names import fold

from .results import ColumnInfo

MAX_HEADER_ROW = 15

# Field codes. PersonRow has one attribute per field except these: "stt" (row number, used to find
# the footer), "given_name" (second part of a name in two columns), "male"/"female" (a birth year,
# a date or a mark written under the person's sex) and "position_unit" (one column "Chức vụ, đơn vị").
EXTRA_FIELDS = ("district", "commune", "hometown", "address", "education",
                # planning-pool files (Sở Nội vụ): the posts she is planned for, the cycle, the day she joined
                "planned_posts", "cycle", "pool_added_on",
                # training outside the system: its kind, title, provider, period, whether it counts, its paper
                "training_kind", "training_title", "training_provider", "training_started_on", "training_ended_on",
                "training_counts", "training_evidence")

_FIELD_PATTERNS = [  # matched in order against the folded header text; the first match wins
    ("stt", r"(so )?(s?tt|thu tu)"),
    # Training outside the system, before "name" and "unit" ("Tên khóa", "Đơn vị đào tạo" are not hers).
    ("training_kind", r"loai hinh( dao tao| boi duong)?( .*)?|hinh thuc dao tao( .*)?|loai (dao tao|khoa hoc)"),
    ("training_title", r"noi dung( dao tao| boi duong| khoa hoc)?( .*)?|ten (khoa|lop|chuong trinh)( .*)?"
                       r"|khoa (hoc|dao tao|boi duong)( .*)?|chuong trinh (dao tao|boi duong)( .*)?"),
    ("training_provider", r"(co so|don vi|noi|truong|co quan) (dao tao|boi duong|to chuc)( .*)?"),
    ("training_started_on", r"tu ngay( .*)?|ngay bat dau( .*)?|bat dau( .*)?"),
    ("training_ended_on", r"den ngay( .*)?|ngay ket thuc( .*)?|ket thuc( .*)?|ngay hoan thanh( .*)?"
                          r"|ngay tot nghiep( .*)?"),
    ("training_counts", r"(duoc )?tinh (vao )?(chi tieu|ty le|so lieu)( .*)?"),
    ("training_evidence", r"(so )?(chung chi|quyet dinh|van bang|giay chung nhan|minh chung)( .*)?"),
    ("pool_added_on", r"ngay (vao|dua vao|bo sung vao|duoc phe duyet) (dien )?quy hoach( .*)?"),
    ("planned_posts", r"(chuc (vu|danh) )?(duoc |du kien )?quy hoach( .*)?"),
    ("cycle", r"nhiem ky( .*)?|giai doan( quy hoach)?( .*)?|chu ky( quy hoach)?"),
    ("position_unit", r"chuc (vu|danh) (va )?(don vi|co quan|noi cong tac)( .*)?"
                      r"|chuc vu (va )?chuc danh (va )?don vi( .*)?"),
    ("name", r"ho (va )?ten( .*)?|ho ten( .*)?|ten (hoc vien|can bo|dai bieu|nguoi)( .*)?|ho( va)?( chu| ten)? dem|ho"),
    ("given_name", r"ten"),
    ("birth", r"(ngay )?(thang )?(nam )?sinh( .*)?|sinh ngay( .*)?|ngay thang nam sinh( .*)?"),
    ("sex", r"gioi tinh( .*)?|gioi|nam nu|nu nam|nam hoac nu|phai"),
    ("ethnicity", r"dan toc( .*)?"),
    ("position", r"chuc (vu|danh)( .*)?"),
    ("unit", r"(ten )?(don vi|co quan)( .*)?|noi (cong tac|lam viec)( .*)?"),
    ("phone", r"(so )?(dien thoai|dt|sdt|dtdd|di dong)( .*)?"),
    ("email", r"(dia chi )?(e ?mail|thu dien tu)( .*)?"),
    ("id_number", r"(so )?(cccd|cmnd|cmt|can cuoc( cong dan)?|chung minh (nhan dan|thu)|dinh danh)( .*)?"),
    ("note", r"ghi chu( .*)?"),
    ("district", r"huyen( .*)?|dia ban( .*)?"),
    ("commune", r"(xa|phuong)( .*)?"),
    ("hometown", r"que( quan)?( .*)?"),
    ("address", r"dia chi( .*)?|noi o( .*)?|cho o( .*)?"),
    ("education", r"trinh do( .*)?"),
    ("male", r"nam"),
    ("female", r"nu"),
]
_FIELDS = [(name, re.compile(pattern)) for name, pattern in _FIELD_PATTERNS]
_NOT_KEY = re.compile("[^a-z0-9]+")
_NUMBERING = re.compile(r"\(?([0-9]{1,2}|[A-Za-z])\)?")


def header_key(value) -> str:
    """The folded form header words are matched on: "Ngày, tháng,\\nnăm sinh" -> "ngay thang nam sinh"."""
    if not isinstance(value, str):
        return ""
    return _NOT_KEY.sub(" ", fold(value)).strip()


def field_of(value) -> str | None:
    key = header_key(value)
    if not key or len(key) > 80:
        return None
    for name, pattern in _FIELDS:
        if pattern.fullmatch(key):
            return name
    return None


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column counted from 0 (0 → "A", 26 → "AA")."""
    return get_column_letter(index + 1)


def _text(value) -> str:
    """A header cell as written, on one line."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if value not in (None, "") else ""


@dataclass
class Header:
    first_row: int  # 0-based
    last_row: int  # 0-based: the sub-header row of a two-level header, else first_row
    columns: list[ColumnInfo]
    data_start: int  # 0-based first row after the header (and after a row of column numbers)
    name_columns: list[int]  # one column, or family-and-middle then given name
    numbering_row: int | None = None  # 0-based
    notes: list[str] = field(default_factory=list)


def is_numbering_row(row: list) -> bool:
    """(1) (2) (3) or 1 2 3 under the header: small numbers or letters, nothing else."""
    seen = 0
    for value in row:
        if value == "" or value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not (float(value).is_integer() and 0 <= value <= 99):
                return False
        elif not (isinstance(value, str) and _NUMBERING.fullmatch(value.strip())):
            return False
        seen += 1
    return seen >= 2


def find_header(rows: list[list], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> Header | None:
    best, best_row = 0, None
    for r, row in enumerate(rows[:MAX_HEADER_ROW]):
        fields = {field_of(value) for value in row} - {None}
        if "name" in fields and len(fields) >= 2 and len(fields) > best:
            best, best_row = len(fields), r
    if best_row is None:
        return None
    return _map_columns(rows, best_row, merged)


def _horizontal_spans(merged, row: int) -> dict[int, int]:
    """For a header row: first column of a horizontally merged cell -> its last column."""
    return {c0: c1 for (r0, c0), (r1, c1) in merged if r0 == row and c1 > c0}


def _map_columns(rows: list[list], top: int, merged) -> Header:
    top_row = rows[top]
    width = len(top_row)
    sub_row = rows[top + 1] if top + 1 < len(rows) else None
    spans = _horizontal_spans(merged, top)
    # The text above each column, carried across horizontally merged cells.
    above = [_text(value) for value in top_row]
    for c0, c1 in spans.items():
        for c in range(c0 + 1, min(c1 + 1, width)):
            if not above[c]:
                above[c] = above[c0]

    two_level = sub_row is not None and _is_sub_header(top_row, sub_row)
    if two_level:  # without merge information, a refined column takes the text on its left
        for c in range(1, width):
            if not above[c] and _text(sub_row[c]) and not _text(top_row[c]):
                above[c] = above[c - 1]

    notes: list[str] = []
    columns: list[ColumnInfo] = []
    for c in range(width):
        header, sub = above[c], _text(sub_row[c]) if two_level else ""
        top_field, sub_field = field_of(header), field_of(sub)
        if sub and sub_field in ("male", "female"):
            field_name = sub_field if top_field in ("birth", "sex", None) else None
            header = f"{header} ({sub})" if header else sub
        elif sub and sub_field:
            field_name, header = sub_field, sub
        elif sub:
            field_name, header = None, f"{header} ({sub})" if header else sub
        else:
            field_name = top_field
        columns.append(ColumnInfo(c, column_letter(c), header, field_name))

    columns = _drop_duplicates(columns, notes)
    name_columns = [column.index for column in columns if column.field == "name"]
    given = [column.index for column in columns if column.field == "given_name"]
    if name_columns and not given and name_columns[0] in spans:
        # "Họ và tên" merged over two columns with no sub-header: family+middle | given name.
        last = spans[name_columns[0]]
        if last == name_columns[0] + 1 and columns[last].field is None:
            columns[last] = ColumnInfo(last, columns[last].letter, columns[name_columns[0]].header, "given_name")
            given = [last]
    if given:
        name_columns = name_columns[:1] + given[:1]
        notes.append(Message("Họ và tên ghi ở hai cột (họ đệm và tên): đã ghép lại."))

    last = top + 1 if two_level else top
    data_start, numbering = last + 1, None
    if data_start < len(rows) and is_numbering_row(rows[data_start]):
        numbering, data_start = data_start, data_start + 1
    if any(column.field in ("male", "female") for column in columns):
        notes.append(Message("Cột “Năm sinh” chia Nam/Nữ: giới tính lấy theo cột ghi năm sinh."))
    if any(column.field == "position_unit" for column in columns):
        notes.append(Message("Cột “Chức vụ, đơn vị” gộp hai thông tin: ghi cả vào chức vụ, để trống đơn vị."))
    return Header(top, last, columns, data_start, name_columns, numbering, notes)


def _is_sub_header(top_row: list, sub_row: list) -> bool:
    """Whether the row under the header refines it: header words only, one of them under an empty cell."""
    words = under_empty = 0
    for c, value in enumerate(sub_row):
        text = _text(value)
        if not text:
            continue
        if isinstance(value, (int, float)) or field_of(value) is None:
            return False
        words += 1
        under_empty += not _text(top_row[c]) if c < len(top_row) else 1
    return words > 0 and under_empty > 0


def _drop_duplicates(columns: list[ColumnInfo], notes: list[str]) -> list[ColumnInfo]:
    """A field named twice is read from its first column; the later ones are shown but ignored."""
    seen: dict[str, str] = {}
    out = []
    for column in columns:
        if column.field and column.field in seen:
            notes.append(Message("Cột “%(header)s” (%(letter)s) trùng nội dung với cột “%(first)s”: bỏ qua.",
                                 header=column.header, letter=column.letter, first=seen[column.field]))
            column = ColumnInfo(column.index, column.letter, column.header, None)
        elif column.field:
            seen[column.field] = column.header
        out.append(column)
    return out

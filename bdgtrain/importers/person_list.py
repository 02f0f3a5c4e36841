"""Reading a participant list (from Sở Nội vụ, Hội LHPN, a district...) into checked rows of people.

    read_person_list(data, filename, today=...) -> ReadResult

The steps: refuse what is not a readable list (sources.sniff); take the cells of the first visible
sheet that has a header; turn TCVN3/VNI text into Unicode (by the cells' fonts in a workbook that
uses legacy fonts, else by the text itself); find the header (headers.find_header); then read every
row below it until the footer, checking each cell (cells). Every problem is reported with the
spreadsheet's own row number and the column's header, and reading goes on, so that one pass shows
them all: the service refuses a file with any problem.

Not people: blank rows, rows holding only a row number (templates numbered in advance), the row of
column numbers, group rows ("I", "II" or "A" in the row-number column, or a single cell "I. Huyện
Hương Sơn"; their label goes to extra["group"] of the people below), and everything from the footer
down: a row with no row number whose few cells are all footer words ("Người lập biểu", "KT. GIÁM
ĐỐC", "Hà Tĩnh, ngày ... tháng ... năm ...", "(Ký, ghi rõ họ tên)") or a "Tổng cộng" row, provided
no row that looks like a person comes after it.

Pure: plain Python and the spreadsheet libraries, no Flask, no database, no clock (`today` is given).
"""
from __future__ import annotations

import gc
import re
from collections import Counter
from contextlib import contextmanager
from datetime import date

from bdgtrain.messages import Message, PluralMessage

from . import cells, legacy
from .csv_text import decode_text, split_csv
from .fonts import FontGrid, legacy_font_grid, workbook_has_legacy_fonts
from .headers import EXTRA_FIELDS, Header, find_header, header_key
from .results import ColumnInfo, PersonRow, ReadError, ReadResult, RowProblem
from .sources import (CSV, XLS, XLSX, Sheet, check_size, open_workbook, read_sheet, read_xls_with_xlrd, sniff,
                      visible_sheets)
from .templates import LIST_SHAPES, template_workbook

__all__ = ["ColumnInfo", "LIST_SHAPES", "PersonRow", "ReadError", "ReadResult", "RowProblem",
           "read_person_list", "template_workbook"]

MAX_BYTES = 20 * 1024 * 1024
FONT_SAMPLE_ROWS = 1000  # rows whose fonts are read cell by cell; later rows follow their column
_MIXED = "mixed"
# Columns whose merged cells (one unit for several people) are filled down to every row they cover.
_FILLED_DOWN = {"ethnicity", "position", "unit", "position_unit", "note", "district", "commune",
                "hometown", "address", "education"}

_FOOTER = re.compile(
    r"(nguoi (lap|tong hop|duyet|ky)|lap (bieu|bang)|(pho )?giam doc|(pho )?chu tich|truong (phong|ban|khoa)"
    r"|thu truong|xac nhan|noi nhan|da ky|ky ten|ky (va )?ghi ro|ky dong dau|ky xac nhan|ho ten chu ky"
    r"|(kt|tm|tl|tuq|q) .+|.*\bngay\b.*\bthang\b.*\bnam\b.*)( .*)?")
_TOTAL = re.compile(r"(tong cong|tong so|tong|cong)( so)?( (nguoi|hoc vien|dai bieu|can bo|dong chi))?( [0-9].*)?")
_ENUMERATOR = re.compile(r"(?:[IVXL]{1,6}|[A-Z])[.)/-]?")
_ENUMERATED_TEXT = re.compile(r"(?:[IVXL]{1,6}|[A-Z])[.)/-]\s*\S.*", re.DOTALL)


def read_person_list(data: bytes, filename: str, *, today: date, max_bytes: int = MAX_BYTES) -> ReadResult:
    """Every person in the list, every problem found, and how the file was read; ReadError refuses the file."""
    check_size(data, max_bytes)
    with _collector_paused():
        return _read(data, filename, today)


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while a sheet's million cells are alive.

    Reading creates no reference cycles, but each object it creates counts towards the next
    collection, and every full collection walks all the cells: a third of the reading time. The
    pause is process-wide and lasts one read (about a second for 100,000 rows); the collector is
    switched back on only if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(data: bytes, filename: str, today: date) -> ReadResult:
    kind = sniff(data, filename)
    if kind == CSV:
        text, note = decode_text(data, filename)
        sheet = split_csv(text)
        notes = [note] if note else []
        if not _has_content(sheet.rows):
            raise ReadError("file.empty", Message("Tệp “%(file)s” không có dữ liệu.", file=filename))
        _convert_by_content(sheet.rows, notes)
        header = find_header(sheet.rows, [])
        if header is None:
            raise _no_header()
        return _read_rows(sheet, header, kind, today, notes)

    book = open_workbook(data, filename)
    if book is not None and not book.sheet_names:
        book = None  # a workbook without a single sheet is damaged: try xlrd for an .xls, else refuse
    if book is not None:
        names = visible_sheets(book)
        sheets = (read_sheet(book, name, data if kind == XLSX else None, filename) for name in names)
    elif kind == XLS:
        sheets = iter(read_xls_with_xlrd(data, filename))
        names = []
    else:
        raise ReadError("file.not_spreadsheet", Message("Tệp “%(file)s” bị hỏng, không mở được. "
                                                        "Hãy gửi tệp Excel (.xlsx, .xls) hoặc CSV.", file=filename))
    legacy_fonts = workbook_has_legacy_fonts(data, kind)
    any_content = False
    for sheet in sheets:
        if not _has_content(sheet.rows):
            continue
        any_content = True
        notes: list[str] = []
        grid = legacy_font_grid(data, kind, sheet.name, FONT_SAMPLE_ROWS) if legacy_fonts else None
        if grid is not None:
            changed = _convert_sample_by_fonts(sheet.rows, grid)
        else:  # no legacy font, or fonts that cannot be read: the text itself tells
            _convert_by_content(sheet.rows, notes)
        header = find_header(sheet.rows, sheet.merged)
        if header is None:
            continue
        if grid is not None:
            _convert_rest_by_column_fonts(sheet.rows, grid, header, changed)
            notes += _conversion_notes(changed)
        if len(names) > 1:
            notes.append(PluralMessage("Đã đọc trang tính “%(sheet)s” (tệp có %(num)s trang tính).",
                                       "Đã đọc trang tính “%(sheet)s” (tệp có %(num)s trang tính).",
                                       len(names), sheet=sheet.name))
        return _read_rows(sheet, header, kind, today, notes)
    if not any_content:
        raise ReadError("file.empty", Message("Tệp “%(file)s” không có dữ liệu.", file=filename))
    raise _no_header()


def _no_header() -> ReadError:
    return ReadError("file.no_header", Message("Không tìm thấy dòng tiêu đề của danh sách trong 15 dòng đầu: cần cột "
                                               "“Họ và tên” và ít nhất một cột khác như “Ngày sinh”, “Giới tính”, "
                                               "“Chức vụ” hay “Đơn vị”. Có thể dùng tệp mẫu để nhập."))


def _has_content(rows: list[list]) -> bool:
    return any(value != "" and value is not None for row in rows for value in row)


# --- Legacy encodings -------------------------------------------------------------------------------

def _unsure() -> ReadError:
    return ReadError("file.legacy_encoding_unsure",
                     Message("Không chắc chữ tiếng Việt trong tệp được gõ theo bảng mã nào (TCVN3, VNI hay Unicode) "
                             "nên không đọc, để tránh làm sai tên người. Hãy chuyển tệp sang Unicode (ví dụ bằng công "
                             "cụ chuyển mã của Unikey) rồi gửi lại."))


def _convert_by_content(rows: list[list], notes: list[str]) -> None:
    """Files without legacy fonts (CSV, modern workbooks): convert all text if it is clearly TCVN3 or VNI."""
    # Legacy signs are all non-ASCII: each distinct non-ASCII text is searched once (a list repeats its
    # units and names, and its phone and ID numbers are ASCII).
    texts = {value for row in rows for value in row if type(value) is str and not value.isascii()}
    if not legacy.has_legacy_signs("\x1f".join(texts)):
        return
    try:
        encoding = legacy.detect_encoding(value for row in rows for value in row if type(value) is str and value)
    except legacy.LegacyUnsure:
        raise _unsure() from None
    if encoding is None:
        return
    converted: dict[str, str] = {}
    for row in rows:
        for c, value in enumerate(row):
            if type(value) is str and value:
                new = converted.get(value)
                if new is None:
                    new = converted[value] = legacy.decode(value, encoding)
                row[c] = new
    notes.append(_NOTES[encoding])


_NOTES = {legacy.TCVN3: Message("Đã chuyển mã TCVN3 (ABC) sang Unicode."),
          legacy.TCVN3_CAPITALS: Message("Đã chuyển mã TCVN3 (ABC) sang Unicode."),
          legacy.VNI: Message("Đã chuyển mã VNI sang Unicode.")}


def _convert_cell(value: str, encoding: str) -> str:
    # A cell holding letters that only Unicode has was retyped in Unicode over the old font.
    return value if legacy.has_unicode_vietnamese(value) else legacy.decode(value, encoding)


def _convert_sample_by_fonts(rows: list[list], grid: FontGrid) -> Counter:
    changed: Counter = Counter()
    for (r, c), encoding in grid.cells.items():
        if encoding and r < len(rows) and c < len(rows[r]) and isinstance(rows[r][c], str):
            new = _convert_cell(rows[r][c], encoding)
            if new != rows[r][c]:
                rows[r][c] = new
                changed[encoding] += 1
    return changed


def _convert_rest_by_column_fonts(rows: list[list], grid: FontGrid, header: Header, changed: Counter) -> None:
    """Rows past the font sample take the encoding their column had in the sample's data rows."""
    if len(rows) <= grid.rows_read:
        return
    sampled = range(header.data_start, min(grid.rows_read, len(rows)))
    body = Counter(encoding for (r, _), encoding in grid.cells.items() if r in sampled)
    default = body.most_common(1)[0][0] if body else ""
    for column in header.columns:
        c = column.index
        accented, seen = set(), Counter()
        for r in sampled:
            encoding = grid.cells.get((r, c))
            if encoding is not None and isinstance(rows[r][c], str):
                seen[encoding] += 1
                if not rows[r][c].isascii():
                    accented.add(encoding)
        if len(accented) > 1:
            encoding = _MIXED
        elif accented:
            encoding = accented.pop()
        else:
            encoding = seen.most_common(1)[0][0] if seen else default
        if not encoding:
            continue
        for r in range(grid.rows_read, len(rows)):
            value = rows[r][c]
            if isinstance(value, str) and value:
                if encoding == _MIXED:
                    if not value.isascii():
                        raise _unsure()
                    continue
                new = _convert_cell(value, encoding)
                if new != value:
                    rows[r][c] = new
                    changed[encoding] += 1


def _conversion_notes(changed: Counter) -> list[str]:
    notes = []
    if changed[legacy.TCVN3] or changed[legacy.TCVN3_CAPITALS]:
        notes.append(_NOTES[legacy.TCVN3])
    if changed[legacy.VNI]:
        notes.append(_NOTES[legacy.VNI])
    return notes


# --- Rows -----------------------------------------------------------------------------------------------

_blank = cells.is_blank


def _is_number(value) -> bool:
    if type(value) in (int, float):
        return True
    return type(value) is str and value.strip().rstrip(".").isdigit()


def _fill_merged_down(sheet: Sheet, header: Header) -> None:
    filled = {column.index for column in header.columns if column.field in _FILLED_DOWN}
    rows = sheet.rows
    for (r0, c0), (r1, c1) in sheet.merged:
        if c0 == c1 and c0 in filled and r1 > r0 and r0 >= header.data_start:
            value = rows[r0][c0] if r0 < len(rows) else ""
            for r in range(r0 + 1, min(r1 + 1, len(rows))):
                rows[r][c0] = value


class _Footer:
    """Whether a row opens the footer: footer words only, and no person after it."""

    def __init__(self, rows: list[list], start: int, name_c: int, stt_c: int | None, used: list[int]):
        self.rows, self.start, self.name_c, self.stt_c, self.used = rows, start, name_c, stt_c, used
        self._last_person: int | None = None

    def last_person(self) -> int:
        if self._last_person is None:
            self._last_person = -1
            for r in range(len(self.rows) - 1, self.start - 1, -1):
                row = self.rows[r]
                if _blank(row[self.name_c]):
                    continue
                numbered = self.stt_c is not None and _is_number(row[self.stt_c])
                if numbered or sum(not _blank(row[c]) for c in self.used) >= 3:
                    self._last_person = r
                    break
        return self._last_person

    def starts_at(self, r: int, filled: list) -> bool:
        keys = [header_key(value) if isinstance(value, str) else "" for value in filled]
        looks = (_TOTAL.fullmatch(keys[0]) is not None
                 or (len(keys) <= 3 and all(_FOOTER.fullmatch(key) for key in keys)))
        return looks and r > self.last_person()


def _group_label(row: list, stt_c: int | None, filled: list[tuple[int, object]], wide: bool) -> str | None:
    """The label of a group row ("I. Huyện Hương Sơn"), or None for a row about a person."""
    stt = row[stt_c] if stt_c is not None else ""
    others = [cells.shown(value) for c, value in filled if c != stt_c]
    if isinstance(stt, str) and _ENUMERATOR.fullmatch(stt.strip()):
        return " ".join(others) or stt.strip()
    if len(filled) == 1:
        c, value = filled[0]
        if isinstance(value, str) and (_ENUMERATED_TEXT.fullmatch(value.strip()) or c == stt_c or wide):
            return cells.shown(value)
    return None


def _read_rows(sheet: Sheet, header: Header, kind: str, today: date, notes: list[str]) -> ReadResult:
    rows = sheet.rows
    notes = notes + header.notes
    if header.numbering_row is not None:
        notes.append(Message("Bỏ qua dòng %(row)s: dòng đánh số cột.", row=header.numbering_row + 1))
    _fill_merged_down(sheet, header)
    title = {column.index: column.header or column.letter for column in header.columns}
    index = {column.field: column.index for column in header.columns if column.field}
    name_c = header.name_columns[0]
    given_c = header.name_columns[1] if len(header.name_columns) > 1 else None
    stt_c = index.get("stt")
    used = sorted(c for f, c in index.items() if f != "stt")
    footer = _Footer(rows, header.data_start, name_c, stt_c, used)
    # Group rows span many columns in one merged cell; no person's name does.
    wide_rows = {r0 for (r0, c0), (r1, c1) in sheet.merged if c1 - c0 >= 2 and r0 == r1 and r0 >= header.data_start}
    zeros_may_be_lost = kind == CSV

    birth_c, male_c, female_c, sex_c = index.get("birth"), index.get("male"), index.get("female"), index.get("sex")
    phone_c, id_c, email_c = index.get("phone"), index.get("id_number"), index.get("email")
    ethnicity_c, position_c, unit_c, note_c = (index.get(f) for f in ("ethnicity", "position", "unit", "note"))
    position_unit_c = index.get("position_unit")
    extras = [(f, index[f]) for f in EXTRA_FIELDS if f in index]
    split_c = male_c if male_c is not None else female_c
    split_title = title[split_c].rsplit(" (", 1)[0] if split_c is not None else ""

    people: list[PersonRow] = []
    problems: list[RowProblem] = []
    # Values repeat down a column (units, dates, "Nữ"): each distinct value is parsed once. The
    # caches also answer for blank cells, so the loop below needs no separate blank test.
    birth_cache: dict = {"": (None, None, None)}
    sex_cache: dict = {"": (None, None)}
    text_cache: dict = {"": None}
    proper_cache: dict = {"": None}
    name_cache: dict = {}  # names repeat too ("Nguyễn Thị Hoa"); a name refused is not kept
    restored_phones: list[int] = []
    restored_ids: list[int] = []
    group: str | None = None

    def birth_of(value):
        found = birth_cache.get(value)
        if found is None:
            if _blank(value):
                found = (None, None, None)
            else:
                try:
                    found = (*cells.birth(value, today), None)
                except cells.CellError as error:
                    found = (None, None, error.message)
            birth_cache[value] = found
        return found

    def sex_of(value):
        found = sex_cache[value] = (None, None) if _blank(value) else _sex_or_message(value)
        return found

    def text_of(value):
        found = text_cache[value] = None if _blank(value) else cells.text(value)
        return found

    def proper_of(value):
        found = proper_cache[value] = None if _blank(value) else cells.proper(value)
        return found

    def name_of(value):
        found = name_cache[value] = cells.full_name(value)
        return found

    for r in range(header.data_start, len(rows)):
        row = rows[r]
        only_stt = False
        for c in used:
            value = row[c]
            if value != "" and (type(value) is not str or value[0].isalnum() or not _blank(value)):
                break
        else:  # blank, or only a row number, or text in the row-number column only (a group label)
            if stt_c is None or type(row[stt_c]) is not str or _blank(row[stt_c]) or _is_number(row[stt_c]):
                continue
            only_stt = True
        number = r + 1
        if stt_c is None or (type(row[stt_c]) is not float and not _is_number(row[stt_c])):
            filled = [(c, value) for c, value in enumerate(row) if not _blank(value)]
            if footer.starts_at(r, [value for _, value in filled]):
                notes.append(Message("Dừng đọc ở dòng %(row)s: từ đây là phần cuối danh sách (tổng cộng, ký tên).",
                                     row=number))
                break
            label = _group_label(row, stt_c, filled, r in wide_rows)
            if label is not None:
                group = label
                continue
            if only_stt:
                continue

        value = row[name_c]
        if given_c is not None and not _blank(row[given_c]):
            value = f"{cells.shown(value) if not _blank(value) else ''} {cells.shown(row[given_c])}"
        name = ""
        if value == "" or _blank(value):
            problems.append(RowProblem(number, title[name_c], Message("Thiếu họ và tên")))
        else:
            try:
                name = name_cache[value] if value in name_cache else name_of(value)
            except cells.CellError as error:
                problems.append(RowProblem(number, title[name_c], error.message))

        sex = birth_date = birth_year = ethnicity = position = unit = phone = email = id_number = note = None
        if birth_c is not None:
            value = row[birth_c]
            birth_date, birth_year, message = birth_cache.get(value) or birth_of(value)
            if message:
                problems.append(RowProblem(number, title[birth_c], message))
        if male_c is not None or female_c is not None:
            split = _split_sex_birth(row, number, male_c, female_c, title, split_title, birth_of, problems)
            if split is not None:
                sex = split[0]
                if birth_year is None:
                    birth_date, birth_year = split[1], split[2]
        if sex_c is not None:
            value = row[sex_c]
            found, message = sex_cache.get(value) or sex_of(value)
            if message:
                problems.append(RowProblem(number, title[sex_c], message))
            elif sex and found and sex != found:
                problems.append(RowProblem(number, title[sex_c], Message(
                    "Giới tính “%(value)s” không khớp với cột %(column)s đã ghi", value=cells.shown(value),
                    column=split_title)))
            elif found:
                sex = found
        if ethnicity_c is not None:
            value = row[ethnicity_c]
            ethnicity = proper_cache[value] if value in proper_cache else proper_of(value)
        if position_c is not None:
            value = row[position_c]
            position = text_cache[value] if value in text_cache else text_of(value)
        elif position_unit_c is not None:
            value = row[position_unit_c]
            position = text_cache[value] if value in text_cache else text_of(value)
        if unit_c is not None:
            value = row[unit_c]
            unit = text_cache[value] if value in text_cache else text_of(value)
        if note_c is not None:
            value = row[note_c]
            note = text_cache[value] if value in text_cache else text_of(value)
        if phone_c is not None and (value := row[phone_c]) != "":
            try:
                phone, restored = cells.phone(value)
                if restored:
                    restored_phones.append(number)
            except cells.CellError as error:
                if not _blank(value):
                    problems.append(RowProblem(number, title[phone_c], error.message))
        if id_c is not None and (value := row[id_c]) != "":
            try:
                id_number, restored = cells.id_number(value, zeros_may_be_lost)
                if restored:
                    restored_ids.append(number)
            except cells.CellError as error:
                if not _blank(value):
                    problems.append(RowProblem(number, title[id_c], error.message))
        if email_c is not None and (value := row[email_c]) != "":
            try:
                email = cells.email(value)
            except cells.CellError as error:
                if not _blank(value):
                    problems.append(RowProblem(number, title[email_c], error.message))
        extra = {}
        for field, c in extras:
            value = row[c]
            found = text_cache[value] if value in text_cache else text_of(value)
            if found is not None:
                extra[field] = found
        if group is not None:
            extra["group"] = group
        if name:
            people.append(PersonRow(number, name, sex, birth_date, birth_year, ethnicity, position, unit,
                                    phone, email, id_number, note, extra))

    if not people and not problems:
        raise ReadError("file.empty", Message("Danh sách chưa có người nào: dưới dòng tiêu đề (dòng %(row)s) "
                                              "không có dòng dữ liệu.", row=header.last_row + 1))
    order = {text: c for c, text in title.items()}
    if split_c is not None:
        order.setdefault(split_title, split_c)
    problems.sort(key=lambda problem: (problem.row, order.get(problem.column, len(order))))
    if restored_phones:
        notes.append(PluralMessage("Đã thêm số 0 đầu cho %(num)s số điện thoại bị Excel bỏ mất số 0 (%(rows)s).",
                                   "Đã thêm số 0 đầu cho %(num)s số điện thoại bị Excel bỏ mất số 0 (%(rows)s).",
                                   len(restored_phones), rows=_row_list(restored_phones)))
    if restored_ids:
        notes.append(PluralMessage(
            "Đã thêm số 0 đầu cho %(num)s số CCCD/CMND bị Excel bỏ mất số 0 (%(rows)s); hãy kiểm tra lại.",
            "Đã thêm số 0 đầu cho %(num)s số CCCD/CMND bị Excel bỏ mất số 0 (%(rows)s); hãy kiểm tra lại.",
            len(restored_ids), rows=_row_list(restored_ids)))
    return ReadResult(people, problems, header.columns, header.last_row + 1, sheet.name, notes)


def _split_sex_birth(row, number, male_c, female_c, title, split_title, birth_of, problems):
    """Năm sinh written under Nam or Nữ: (sex, birth date, birth year) from the column filled, or None."""
    male = row[male_c] if male_c is not None else ""
    female = row[female_c] if female_c is not None else ""
    male_filled, female_filled = not _blank(male), not _blank(female)
    if male_filled and female_filled:
        problems.append(RowProblem(number, split_title, Message("Ghi ở cả cột Nam và cột Nữ: chỉ ghi ở một cột")))
        return None
    if not (male_filled or female_filled):
        return None
    value, c = (male, male_c) if male_filled else (female, female_c)
    sex = "M" if male_filled else "F"
    if cells.is_mark(value):
        return sex, None, None
    day, year, message = birth_of(value)
    if message:
        problems.append(RowProblem(number, title[c], message))
    return sex, day, year


def _sex_or_message(value) -> tuple[str | None, str | None]:
    try:
        return cells.sex(value), None
    except cells.CellError as error:
        return None, error.message


def _row_list(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    if len(numbers) > 10:
        return PluralMessage("dòng %(rows)s và %(num)s dòng khác", "dòng %(rows)s và %(num)s dòng khác",
                             len(numbers) - 10, rows=shown)
    return PluralMessage("dòng %(rows)s", "dòng %(rows)s", len(numbers), rows=shown)

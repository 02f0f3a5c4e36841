"""Reading a participant list (from Sở Nội vụ, Hội LHPN, a district...) into checked rows of people.

    read_person_list(data, filename, today=...) -> ReadResult

The steps: refuse what is not a readable list (sources.sniff); take the cells of the first visible
sheet that has a header; turn TCVN3/VNI text into Unicode (by the cells' fonts in a workbook that
uses legacy fonts, else by the text itself); find the header (headers.find_header); then read every
row below it until the footer, checking each cell (person_rows, cells). Every problem is reported with the
spreadsheet's own row number and the column's header, and reading goes on, so that one pass shows
them all: the service refuses a file with any problem.

Pure: plain Python and the spreadsheet libraries, no Flask, no database, no clock (`today` is given).
"""
from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from datetime import date

from bdgtrain.messages import Message, PluralMessage

from . import legacy
from .csv_text import decode_text, split_csv
from .fonts import FontGrid, legacy_font_grid, workbook_has_legacy_fonts
from .headers import Header, find_header
from .person_rows import read_rows
from .results import ColumnInfo, PersonRow, ReadError, ReadResult, RowProblem
from .sources import CSV, XLS, XLSX, check_size, open_workbook, read_sheet, read_xls_with_xlrd, sniff, visible_sheets
from .templates import LIST_SHAPES, template_workbook

__all__ = ["ColumnInfo", "LIST_SHAPES", "PersonRow", "ReadError", "ReadResult", "RowProblem",
           "read_person_list", "template_workbook"]

MAX_BYTES = 20 * 1024 * 1024
FONT_SAMPLE_ROWS = 1000  # rows whose fonts are read cell by cell; later rows follow their column
_MIXED = "mixed"


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
        return read_rows(sheet, header, kind, today, notes)

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
        return read_rows(sheet, header, kind, today, notes)
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

"""From the bytes of an uploaded file to rows of cell values: the format by content, then the cells.

The format is told by the bytes, never by the file name: an .xlsx is a zip holding xl/workbook.xml;
an .xls is an OLE2 compound file holding a "Workbook" stream (an OLE2 file holding "EncryptionInfo"
is an .xlsx locked with a password); anything else must be text, read as CSV (csv_text.py). Cell
values come from python-calamine (xlrd when calamine cannot read an old .xls): str, float, int, bool,
date, datetime, time or timedelta, "" for an empty cell; rows[0] is the spreadsheet's row 1 and
rows[r][0] column A.
A sheet whose extent would not fit in memory is refused before calamine builds it (see
xlsx_sheet_extent). Before any of that, every member of an .xlsx is inflated here through zlib with a
running count of the bytes it actually gives (zip_guard.check_inflated): the sizes a zip declares in its central
directory are the sender's word, and calamine believes them.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

import python_calamine

from bdgtrain.messages import Message
from bdgtrain.rules import numbers

from . import zip_guard
from .results import ReadError

XLSX, XLS, CSV = "xlsx", "xls", "csv"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_CELLS = 10_000_000  # 100,000 people x 100 columns
MAX_ROWS = 200_000  # rows of one sheet; a list has its own, lower cap (config LIST_MAX_ROWS)
MAX_SHEETS = 255
WORKBOOK_ACCEPTED = Message("Hãy gửi tệp Excel (.xlsx, .xls) hoặc CSV.")


@dataclass
class Sheet:
    name: str | None  # None for CSV
    rows: list[list]  # rows[0] is row 1; every row as long as the widest
    merged: list[tuple[tuple[int, int], tuple[int, int]]]  # ((first row, first col), (last row, last col))


def not_spreadsheet(problem: Message) -> ReadError:
    """The file is not a list this reader can open: what is wrong with it, and what to send instead."""
    # TRANSLATORS: what is wrong with a file, then what to send instead.
    return ReadError("file.not_spreadsheet", Message("%(problem)s %(advice)s", problem=problem,
                                                     advice=WORKBOOK_ACCEPTED))


def _damaged(filename: str) -> ReadError:
    return not_spreadsheet(Message("Tệp “%(file)s” bị hỏng, không mở được.", file=filename))


def _encrypted(filename: str) -> ReadError:
    return ReadError("file.encrypted", Message("Tệp “%(file)s” được đặt mật khẩu nên không đọc được. "
                                               "Hãy mở tệp trong Excel, gỡ mật khẩu rồi gửi lại.", file=filename))


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        size, limit = numbers.decimal(len(data) / 1048576, 1), numbers.integer(max_bytes / 1048576)
        raise ReadError("file.too_large", Message(
            "Tệp nặng %(size)s MB, quá giới hạn %(limit)s MB. Hãy bỏ bớt các trang tính, "
            "hình ảnh không cần thiết hoặc chia danh sách thành nhiều tệp.", size=size, limit=limit))


def sniff(data: bytes, filename: str) -> str:
    """XLSX, XLS or CSV from the content; ReadError for anything that is not a list we can read."""
    if not data[:4096].strip() and not data.strip():
        raise ReadError("file.empty", Message("Tệp “%(file)s” không có dữ liệu.", file=filename))
    if data.startswith(_OLE2):
        names = _ole2_stream_names(data)
        if names is None:
            raise _damaged(filename)
        if {"EncryptionInfo", "EncryptedPackage"} & names:
            raise _encrypted(filename)
        if {"Workbook", "Book"} & names:
            return XLS
        if "WordDocument" in names:
            raise not_spreadsheet(Message("Tệp “%(file)s” là văn bản Word, không phải bảng tính.", file=filename))
        raise not_spreadsheet(Message("Tệp “%(file)s” không phải bảng tính Excel.", file=filename))
    if data.startswith(b"PK"):
        return _sniff_zip(data, filename)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise not_spreadsheet(Message("Tệp “%(file)s” là tệp PDF, không phải bảng tính.", file=filename))
    if head.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8", b"bm")) and b"\x00" in data[:64]:
        raise not_spreadsheet(Message("Tệp “%(file)s” là tệp ảnh, không phải bảng tính.", file=filename))
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        raise not_spreadsheet(Message("Tệp “%(file)s” là trang web (HTML) mang đuôi Excel. Hãy mở tệp bằng Excel và "
                              "lưu lại dạng “Excel Workbook (.xlsx)”.", file=filename))
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise not_spreadsheet(Message("Tệp “%(file)s” là bảng tính XML 2003. Hãy mở tệp bằng Excel và lưu lại dạng "
                              "“Excel Workbook (.xlsx)”.", file=filename))
    return CSV


def _sniff_zip(data: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise _damaged(filename) from None
    if "xl/workbook.xml" in names:
        if sum(info.file_size for info in infos) > zip_guard.MAX_UNZIPPED_BYTES:
            raise zip_guard.unzips_too_large(filename)
        zip_guard.check_inflated(data, infos, filename, _damaged(filename))
        _check_sheet_count(data, filename)
        return XLSX
    if "xl/workbook.bin" in names:
        raise not_spreadsheet(Message("Tệp “%(file)s” là bảng tính dạng nhị phân (.xlsb). Hãy lưu lại dạng "
                              "“Excel Workbook (.xlsx)”.", file=filename))
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        raise not_spreadsheet(Message("Tệp “%(file)s” là bảng tính LibreOffice (.ods). Hãy lưu lại dạng "
                              "“Excel 2007-365 (.xlsx)”.", file=filename))
    if "word/document.xml" in names:
        raise not_spreadsheet(Message("Tệp “%(file)s” là văn bản Word, không phải bảng tính.", file=filename))
    raise not_spreadsheet(Message("Tệp “%(file)s” là tệp nén, không phải bảng tính.", file=filename))


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s")


def _check_sheet_count(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            count = len(_SHEET_ENTRY.findall(archive.read("xl/workbook.xml")))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, zlib.error, EOFError):
        raise _damaged(filename) from None
    if count > MAX_SHEETS:
        raise ReadError("file.too_large", Message(
            "Tệp “%(file)s” có %(count)s trang tính, quá giới hạn %(limit)s. Hãy chỉ giữ trang tính có danh sách "
            "rồi gửi lại.", file=filename, count=count, limit=MAX_SHEETS))


# --- OLE2 (Compound File Binary): only the names of the streams are needed ----------------------

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def _ole2_stream_names(data: bytes) -> set[str] | None:
    """Names of the entries in an OLE2 file's directory, or None when the file is damaged."""
    try:
        sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
        if sector_size not in (512, 4096):
            return None
        fat_count, first_directory = struct.unpack_from("<II", data, 44)
        first_difat, difat_count = struct.unpack_from("<II", data, 68)

        def sector(sid: int) -> bytes:
            start = (sid + 1) * sector_size
            if start + sector_size > len(data):
                raise ValueError("sector past the end")
            return data[start:start + sector_size]

        per_sector = sector_size // 4
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        sid = first_difat
        for _ in range(difat_count):
            if sid in (_FREE, _END_OF_CHAIN):
                break
            entries = struct.unpack(f"<{per_sector}I", sector(sid))
            fat_sectors += entries[:-1]
            sid = entries[-1]
        fat: list[int] = []
        for sid in fat_sectors[:fat_count]:
            fat += struct.unpack(f"<{per_sector}I", sector(sid))

        names, sid, seen = set(), first_directory, set()
        while sid not in (_END_OF_CHAIN, _FREE):
            if sid in seen or sid >= len(fat):
                return None
            seen.add(sid)
            block = sector(sid)
            for offset in range(0, sector_size, 128):
                length = struct.unpack_from("<H", block, offset + 64)[0]
                if 2 <= length <= 64 and block[offset + 66] in (1, 2, 5):
                    names.add(block[offset:offset + length - 2].decode("utf-16-le", "replace"))
            sid = fat[sid]
        return names
    except (struct.error, ValueError, IndexError):
        return None


# --- Workbooks ---------------------------------------------------------------------------------

def open_workbook(data: bytes, filename: str):
    try:
        return python_calamine.load_workbook(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _encrypted(filename) from None
    except Exception:  # calamine raises several kinds for a damaged file
        return None


def visible_sheets(book) -> list[str]:
    return [meta.name for meta in book.sheets_metadata
            if meta.visible == python_calamine.SheetVisibleEnum.Visible
            and meta.typ == python_calamine.SheetTypeEnum.WorkSheet]


def read_sheet(book, name: str, xlsx: bytes | None = None, filename: str = "") -> Sheet:
    """The cells of one sheet; for an .xlsx (its bytes given) the sheet's extent is checked first.

    calamine opens a workbook lazily: a sheet whose part is damaged fails only here, and is refused
    as a damaged file."""
    if xlsx is not None:
        extent = xlsx_sheet_extent(xlsx, name)
        if extent and extent[0] > MAX_ROWS:
            raise _too_long(name, extent[0])
        if extent and extent[0] * extent[1] > MAX_CELLS:
            raise _too_wide(name, *extent)
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height > MAX_ROWS:
            raise _too_long(name, sheet.total_height)
        if sheet.total_height * sheet.total_width > MAX_CELLS:
            raise _too_wide(name, sheet.total_height, sheet.total_width)
        rows = sheet.to_python(skip_empty_area=False)
    except ReadError:
        raise
    except Exception:  # calamine raises XmlError, ZipError, ValueError... for a damaged sheet
        raise _damaged(filename or name) from None
    width = max(map(len, rows), default=0)
    for row in rows:  # calamine pads every row to the range's width already; this is a safety net
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return Sheet(name, rows, list(sheet.merged_cell_ranges or []))


def _too_long(name: str, rows: int) -> ReadError:
    return ReadError("file.too_large", Message(
        "Trang tính “%(sheet)s” có %(rows)s dòng, quá giới hạn %(limit)s dòng. Hãy xoá các dòng thừa ở cuối "
        "hoặc chia danh sách thành nhiều tệp.", sheet=name, rows=rows, limit=MAX_ROWS))


def _too_wide(name: str, rows: int, columns: int) -> ReadError:
    return ReadError("file.too_large", Message(
        "Trang tính “%(sheet)s” có vùng dữ liệu quá lớn (%(rows)s dòng × %(columns)s cột). "
        "Hãy xoá các ô thừa ở xa bên dưới hoặc bên phải danh sách rồi gửi lại.",
        sheet=name, rows=rows, columns=columns))


# calamine turns a sheet into a dense grid from A1 to its farthest cell, and aborts the whole process
# when that grid does not fit in memory: one stray value in XFD1048576 of a 10 KB file is enough.
# So the extent is read first: from <dimension ref="A1:J120"/>, which Excel, LibreOffice and most
# writers put at the top, else (and for any small sheet) from the cells themselves.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?([0-9]{1,7})'
                        rb'(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?"')
_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]+)"')
_CELL_COLUMN = re.compile(rb'\sr="([A-Z]{2,3})[0-9]')
_BEYOND_Z = re.compile(rb' r="[A-Z]{2}')
_EXCEL_COLUMNS = 16384
_SCANNED_BELOW = 4 * 1024 * 1024  # bytes of sheet XML always scanned cell by cell (a few ms)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def xlsx_sheet_extent(data: bytes, name: str) -> tuple[int, int] | None:
    """(last row, last column) of a sheet in an .xlsx, or bounds on them, without building it.

    None if the sheet is not found. The column is given as 26 (Z) or 16,384 (XFD) when the exact
    value does not matter for the check.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = _xlsx_sheet_path(archive, name)
            if path is None:
                return None
            info = archive.getinfo(path)
            with archive.open(info) as stream:
                head = stream.read(16384)
            dimension = _DIMENSION.search(head)
            if dimension and info.file_size > _SCANNED_BELOW:
                last_column, last_row = dimension[3] or dimension[1], dimension[4] or dimension[2]
                return int(last_row), _column_number(last_column)
            xml = archive.read(path)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ElementTree.ParseError, zlib.error, EOFError):
        return None  # a damaged part: calamine decides (and read_sheet refuses what it cannot read)
    last = xml.rfind(b"<row")
    found = _LAST_ROW.match(xml, last) if last >= 0 else None
    rows = int(found[1]) if found else xml.count(b"<row")  # the r of rows is optional
    if rows * _EXCEL_COLUMNS <= MAX_CELLS:
        return rows, _EXCEL_COLUMNS  # even the widest sheet would fit: no need to look at columns
    # Any reference beyond Z: a search whose pattern starts with a literal runs at C speed (a third
    # of the time of translating a copy of the XML), unlike collecting a million references; then
    # the exact widest.
    if _BEYOND_Z.search(xml) is None:
        return rows, 26
    return rows, max(map(_column_number, _CELL_COLUMN.findall(xml)))


def _xlsx_sheet_path(archive: zipfile.ZipFile, name: str) -> str | None:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next((sheet.get(relation) for sheet in workbook.iter(f"{main}sheet") if sheet.get("name") == name), None)
    if rid is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def read_xls_with_xlrd(data: bytes, filename: str) -> list[Sheet]:
    """Old .xls files (Excel 95 and earlier) that calamine cannot open, read with xlrd."""
    import xlrd  # noqa: PLC0415 - only for the old .xls files calamine cannot open

    try:
        book = xlrd.open_workbook(file_contents=data)
    except xlrd.biffh.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise _encrypted(filename) from None
        raise _damaged(filename) from None
    except Exception:
        raise _damaged(filename) from None
    sheets = []
    for sheet in book.sheets():
        if sheet.visibility:
            continue
        rows = []
        for r in range(sheet.nrows):
            row = []
            for cell in sheet.row(r):
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        value = value.date() if not (value.hour or value.minute or value.second) else value
                    except (ValueError, OverflowError):
                        pass
                elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_EMPTY):
                    value = ""
                row.append(value)
            row.extend([""] * (sheet.ncols - len(row)))
            rows.append(row)
        merged = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sheet.merged_cells]
        sheets.append(Sheet(sheet.name, rows, merged))
    return sheets

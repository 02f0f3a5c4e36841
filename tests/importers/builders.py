"""Spreadsheets built at test time, shaped like the lists real suppliers send (no binary fixtures)."""
from __future__ import annotations

import codecs
import io
import struct
import unicodedata
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

TODAY = date(2025, 6, 1)
SNV_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị công tác",
              "Số điện thoại", "Số CCCD", "Ghi chú"]
TITLE_BLOCK = [
    ["UBND TỈNH HÀ TĨNH", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["SỞ NỘI VỤ", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["DANH SÁCH CÁN BỘ NỮ THAM GIA LỚP TẬP HUẤN NÂNG CAO NĂNG LỰC VỀ BÌNH ĐẲNG GIỚI"],
    ["(Kèm theo Công văn số 123/SNV-TCBC ngày 01/7/2019 của Sở Nội vụ)"],
    [],
]
FOOTER = [
    [],
    [None, "Người lập biểu", None, None, None, None, "Hà Tĩnh, ngày 05 tháng 7 năm 2019"],
    [None, None, None, None, None, None, "KT. GIÁM ĐỐC"],
    [None, None, None, None, None, None, "PHÓ GIÁM ĐỐC"],
    [None, "(Ký, ghi rõ họ tên)"],
    [],
    [None, "Trần Văn Bình", None, None, None, None, "Nguyễn Văn An"],
]


def xlsx(rows: list[list], *, fonts: dict[tuple[int, int], str] | None = None, default_font: str | None = None,
         merged: list[str] = (), sheet: str = "Danh sách", extra_sheets: dict[str, list[list]] | None = None,
         hidden_first: list[list] | None = None) -> bytes:
    """An .xlsx with these rows from A1; `fonts` maps (row, col) 1-based to a font name."""
    book = Workbook()
    first = book.active
    if hidden_first is not None:
        first.title = "Ẩn"
        for row in hidden_first:
            first.append(row)
        first.sheet_state = "hidden"
        ws = book.create_sheet(sheet)
    else:
        ws = first
        ws.title = sheet
    for row in rows:
        ws.append(row)
    if default_font:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cell.font = Font(name=default_font)
    for (r, c), name in (fonts or {}).items():
        ws.cell(r, c).font = Font(name=name)
    for cells in merged:
        ws.merge_cells(cells)
    for name, more in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(rows: list[list], *, fonts: dict[tuple[int, int], str] | None = None, default_font: str | None = None,
        merged: list[tuple[int, int, int, int]] = ()) -> bytes:
    """An .xls (BIFF8) written with xlwt; `merged` as (first row, last row, first col, last col), 0-based."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("DS")
    styles: dict[str, xlwt.XFStyle] = {}
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")

    def style(name: str | None, value):
        if name is None:
            return date_style if isinstance(value, date) else xlwt.Style.default_style
        if name not in styles:
            styles[name] = xlwt.easyxf(f"font: name {name}")
        return styles[name]

    merged_cells = {(r0, c0): (r0, r1, c0, c1) for r0, r1, c0, c1 in merged}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            font = (fonts or {}).get((r + 1, c + 1), default_font)
            if (r, c) in merged_cells:
                sheet.write_merge(*merged_cells[r, c], value, style(font, value))
            else:
                sheet.write(r, c, value, style(font, value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    text = out.getvalue()
    if encoding == "cp1258":  # Windows writes Vietnamese in cp1258 as letter + combining tone mark
        text = "".join(_cp1258_letter(char) for char in unicodedata.normalize("NFC", text))
    data = text.encode(encoding)
    if bom:
        data = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
                "utf-16-be": codecs.BOM_UTF16_BE}[encoding] + data
    return data


def _cp1258_letter(char: str) -> str:
    tones = "\u0300\u0301\u0303\u0309\u0323"
    parts = unicodedata.normalize("NFD", char)
    base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
    return base + "".join(p for p in parts if p in tones)


def ole2(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file whose directory holds these (empty) streams."""
    sector = 512
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = no_stream, right: int = no_stream) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le")
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded) + 2, kind, 1)
        struct.pack_into("<III", raw, 68, no_stream, right, child)
        struct.pack_into("<II", raw, 116, end, 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, child=1 if stream_names else no_stream)]
    for i, name in enumerate(stream_names, start=1):
        entries.append(entry(name, 2, right=i + 1 if i < len(stream_names) else no_stream))
    directory = b"".join(entries).ljust(sector, b"\x00")
    return bytes(header) + fat + directory


def snv_people() -> list[list]:
    """Three real-looking rows of a Sở Nội vụ list (the 2019 Hà Tĩnh class 3)."""
    return [
        [1, "Nguyễn Thị Hoa", date(1980, 3, 15), "Nữ", "Kinh", "Phó Chủ tịch", "UBND huyện Hương Sơn",
         "0912345678", "042180001234", None],
        [2, "Lê Thị Thu Hà", date(1985, 11, 2), "Nữ", "Kinh", "Trưởng phòng", "Sở Tư pháp",
         "0987 654 321", "042185004321", "Dự kiến"],
        [3, "Hồ Thị Mai", date(1978, 1, 20), "Nữ", "Thái", "Bí thư Đảng ủy", "Xã Sơn Kim 1",
         "+84 912 000 111", "042178000111", None],
    ]

"""The streamed .xlsx writer (services/core/xlsx_stream.py): the file opens in openpyxl and in
python-calamine with the right cells, and its rows are read only as the file is written."""
from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from bdgtrain.services.core.xlsx_stream import Cell, Sheet, stream_csv, stream_xlsx

ROWS = [["Nguyễn Thị Hoa", 1980, 3.5, date(2019, 7, 10), datetime(2019, 7, 10, 7, 30), True, "0912345678"],
        ["Đặng Thị Đào", 0, -1.25, None, None, False, "=HYPERLINK(\"http://x\")"]]


def _file(rows=ROWS) -> bytes:
    return b"".join(stream_xlsx([Sheet("Danh sách", [[Cell("Họ và tên", bold=True, wrap=True)], *rows]),
                                 Sheet("Danh sách", [["bản thứ hai"]])]))


def test_openpyxl_reads_text_numbers_dates_and_booleans():
    book = load_workbook(io.BytesIO(_file()))
    assert book.sheetnames == ["Danh sách", "Danh sách (2)"]
    sheet = book["Danh sách"]
    assert sheet["A1"].value == "Họ và tên" and sheet["A1"].font.b and sheet["A1"].alignment.wrap_text
    hoa, dao = list(sheet.iter_rows(min_row=2, values_only=True))
    assert hoa == ("Nguyễn Thị Hoa", 1980, 3.5, datetime(2019, 7, 10), datetime(2019, 7, 10, 7, 30), True,
                   "0912345678")                                  # a phone stays text: its leading zero kept
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert dao[:3] == ("Đặng Thị Đào", 0, -1.25) and dao[3] is None and dao[5] is False
    assert dao[6] == "'=HYPERLINK(\"http://x\")"                  # defused, never a formula


def test_calamine_reads_the_same_cells():
    book = CalamineWorkbook.from_filelike(io.BytesIO(_file()))
    rows = book.get_sheet_by_name("Danh sách").to_python()
    assert rows[1][:4] == ["Nguyễn Thị Hoa", 1980, 3.5, date(2019, 7, 10)]
    assert rows[1][5] is True and rows[1][6] == "0912345678"
    assert rows[2][0] == "Đặng Thị Đào"


def test_text_a_spreadsheet_cannot_hold_is_dropped_not_fatal():
    book = load_workbook(io.BytesIO(_file([["Hoa\x00\x07 <b>&amp;</b>"]])))
    assert book.active["A2"].value == "Hoa <b>&amp;</b>"


def test_rows_are_read_only_as_the_file_is_written():
    pulled = []

    def rows():
        for n in range(20_000):
            pulled.append(n)
            yield [n, f"Người thứ {n}", date(2020, 1, 1)]

    chunks = stream_xlsx([Sheet("Danh sách", rows())])
    first = next(chunks)
    assert first.startswith(b"PK") and pulled == []               # the first bytes leave before any row
    second = next(chunks)
    assert second and 0 < len(pulled) < 20_000                    # then rows are read as they are written
    rest = b"".join(chunks)
    assert len(pulled) == 20_000
    sheet = load_workbook(io.BytesIO(first + second + rest), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 20_000


def test_csv_is_utf8_with_a_bom_and_streamed_in_chunks():
    pulled = []

    def rows():
        for n in range(1200):
            pulled.append(n)
            yield [n, "Nguyễn Thị Hoa", "@SUM(A1)"]

    chunks = stream_csv(["STT", "Họ và tên", "Ghi chú"], rows())
    assert next(chunks) == "\ufeffSTT,Họ và tên,Ghi chú\r\n".encode()
    assert pulled == []
    text = b"".join(chunks).decode()
    assert text.count("\r\n") == 1200 and "'@SUM(A1)" in text

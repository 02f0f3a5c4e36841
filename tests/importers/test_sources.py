"""Files refused whole, and formats told by their content rather than their name."""
import io
import zipfile

import pytest

from bdgtrain.importers.person_list import ReadError, read_person_list
from bdgtrain.importers.sources import CSV, XLS, XLSX, _ole2_stream_names, sniff
from tests.importers.builders import SNV_HEADER, TODAY, csv_bytes, ole2, xls, xlsx

PEOPLE = [SNV_HEADER, [1, "Nguyễn Thị Hoa", None, "Nữ"]]


def refused(data: bytes, filename: str = "ds.xlsx", **kwargs) -> ReadError:
    with pytest.raises(ReadError) as error:
        read_person_list(data, filename, today=TODAY, **kwargs)
    assert error.value.message and error.value.message[0].isupper()
    return error.value


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_format_is_told_by_content_not_by_extension():
    assert sniff(xlsx(PEOPLE), "ds.csv") == XLSX
    assert sniff(csv_bytes(PEOPLE), "ds.xlsx") == CSV
    result = read_person_list(xlsx(PEOPLE), "danh-sach.xls", today=TODAY)
    assert [p.full_name for p in result.rows] == ["Nguyễn Thị Hoa"]
    result = read_person_list(csv_bytes(PEOPLE), "danh-sach.xlsx", today=TODAY)
    assert [p.full_name for p in result.rows] == ["Nguyễn Thị Hoa"]


def test_xls_is_told_by_its_workbook_stream():
    data = xls(PEOPLE)
    assert sniff(data, "ds.xlsx") == XLS
    assert "Workbook" in _ole2_stream_names(data)


def test_encrypted_xlsx_is_refused():
    error = refused(ole2("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    assert error.code == "file.encrypted"
    assert "mật khẩu" in error.message


@pytest.mark.parametrize("data, what", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(100), "ảnh"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    (b"<!DOCTYPE html><html><body><table><tr><td>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</td></tr></table>", "HTML"),
    (zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), "Word"),
    (zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), ".ods"),
    (zipped({"notes.txt": b"hello"}), "nén"),
    (ole2("WordDocument", "1Table"), "Word"),
    (ole2("Workbook"), "hỏng"),  # an .xls whose workbook stream is empty: damaged
    (b"PK\x03\x04garbage that is no zip at all", "hỏng"),
    (bytes(range(256)) * 4, "không phải"),
])
def test_files_that_are_not_spreadsheets_are_refused(data, what):
    error = refused(data)
    assert error.code == "file.not_spreadsheet"
    assert what in error.message


def test_too_large_file_is_refused_before_anything_is_read():
    error = refused(b"x" * 2001, max_bytes=2000)
    assert error.code == "file.too_large"
    assert "MB" in error.message


def test_empty_file_is_refused():
    assert refused(b"").code == "file.empty"
    assert refused(b" \r\n ", "ds.csv").code == "file.empty"
    assert refused(csv_bytes([[], ["", ""]]), "ds.csv").code == "file.empty"


def test_csv_with_invalid_utf16_is_refused_with_a_clear_message():
    error = refused(b"\xff\xfeH\x00\x00\xd8", "ds.csv")  # a lone surrogate
    assert error.code == "file.text_encoding"
    assert "CSV UTF-8" in error.message


STRAY_CELL = """
import io, sys
from openpyxl import Workbook
from bdgtrain.importers.person_list import ReadError, read_person_list
from tests.importers.builders import TODAY
book = Workbook(write_only={write_only})
sheet = book.create_sheet("DS") if {write_only} else book.active
sheet.append(["Họ và tên", "Giới tính"])
sheet.append(["Nguyễn Thị Hoa", "Nữ"])
if {write_only}:
    for _ in range(700):  # 703 rows x 16,384 columns: over the limit
        sheet.append([])
    sheet.append([None] * 16383 + ["x"])
else:
    sheet["XFD1048576"] = "x"
out = io.BytesIO()
book.save(out)
try:
    read_person_list(out.getvalue(), "ds.xlsx", today=TODAY)
except ReadError as error:
    print(error.code)
"""


@pytest.mark.parametrize("write_only", [False, True])
def test_a_stray_cell_far_away_is_refused_before_the_grid_is_built(write_only):
    # calamine aborts the whole process when the grid does not fit in memory: run it apart.
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", STRAY_CELL.format(write_only=write_only)], capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert done.stdout.strip() == "file.too_large", done.stderr[-2000:]


def test_sheet_extent_from_the_dimension_of_a_large_sheet(monkeypatch):
    from bdgtrain.importers import sources

    data = xlsx([["Họ và tên", "Giới tính"], ["Nguyễn Thị Hoa", "Nữ"]])
    assert sources.xlsx_sheet_extent(data, "Danh sách") == (2, 16384)  # two rows fit, however wide
    monkeypatch.setattr(sources, "_SCANNED_BELOW", 0)
    assert sources.xlsx_sheet_extent(data, "Danh sách") == (2, 2)  # <dimension ref="A1:B2"/>
    assert sources.xlsx_sheet_extent(data, "Không có") is None

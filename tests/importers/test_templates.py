"""The import templates, filled in as a supplier would, read back by the reader."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from bdgtrain.importers.person_list import LIST_SHAPES, ReadError, read_person_list, template_workbook
from tests.importers.builders import TODAY


def fill(data: bytes, first_row: int, people: list[list]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    for r, person in enumerate(people, start=first_row):
        for c, value in enumerate(person, start=1):
            sheet.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_shapes_have_vietnamese_labels():
    assert set(LIST_SHAPES) == {"snv", "hlhpn"}
    assert all(label.startswith("Mẫu") for label in LIST_SHAPES.values())
    with pytest.raises(ValueError):
        template_workbook("xyz")


@pytest.mark.parametrize("shape", LIST_SHAPES)
def test_an_empty_template_is_an_empty_list(shape):
    with pytest.raises(ReadError) as error:
        read_person_list(template_workbook(shape), "mau.xlsx", today=TODAY)
    assert error.value.code == "file.empty"


def test_snv_template_reads_back():
    data = fill(template_workbook("snv"), 9, [
        [1, "Nguyễn Thị Hoa", date(1980, 3, 15), "Nữ", "Kinh", "Phó Chủ tịch", "UBND huyện Hương Sơn",
         "0912345678", "hoa.nt@huongson.hatinh.gov.vn", "042180001234", "Dự kiến"],
        [2, "Lê Văn Tâm", date(1975, 1, 2), "Nam", "Kinh", "Bí thư", "Huyện ủy Can Lộc", "0987654321", None,
         "042175000001", None]])
    result = read_person_list(data, "mau-snv.xlsx", today=TODAY)
    assert result.problems == []
    assert result.header_row == 7
    assert [c.field for c in result.columns] == ["stt", "name", "birth", "sex", "ethnicity", "position", "unit",
                                                 "phone", "email", "id_number", "note"]
    hoa = result.rows[0]
    assert (hoa.full_name, hoa.birth_date, hoa.sex, hoa.unit_name, hoa.phone, hoa.email, hoa.id_number, hoa.note) == (
        "Nguyễn Thị Hoa", date(1980, 3, 15), "F", "UBND huyện Hương Sơn", "0912345678",
        "hoa.nt@huongson.hatinh.gov.vn", "042180001234", "Dự kiến")
    assert (result.rows[1].sex, result.rows[1].email) == ("M", None)


def test_hlhpn_template_reads_back():
    data = fill(template_workbook("hlhpn"), 9, [
        [1, "Nguyễn Thị Hoa", None, 1980, "Kinh", "Chủ tịch Hội LHPN xã Sơn Kim 1", "0912345678", "hoa@gmail.com"],
        [2, "Lê Văn Tâm", 1975, None, "Kinh", "Phó Bí thư xã", "0987654321"]])
    result = read_person_list(data, "mau-hlhpn.xlsx", today=TODAY)
    assert result.problems == []
    assert result.header_row == 8
    assert [(c.header, c.field) for c in result.columns] == [
        ("TT", "stt"), ("Họ và tên", "name"), ("Năm sinh (Nam)", "male"), ("Năm sinh (Nữ)", "female"),
        ("Dân tộc", "ethnicity"), ("Chức vụ, đơn vị", "position_unit"), ("SĐT", "phone"), ("Email", "email"),
        ("Ghi chú", "note")]
    assert [(p.full_name, p.sex, p.birth_year, p.position, p.unit_name, p.email) for p in result.rows] == [
        ("Nguyễn Thị Hoa", "F", 1980, "Chủ tịch Hội LHPN xã Sơn Kim 1", None, "hoa@gmail.com"),
        ("Lê Văn Tâm", "M", 1975, "Phó Bí thư xã", None, None)]


def test_template_keeps_phone_and_id_cells_as_text():
    sheet = load_workbook(io.BytesIO(template_workbook("snv"))).active
    assert sheet["H7"].value == "Số điện thoại" and sheet["I7"].value == "Email" and sheet["J7"].value == "Số CCCD"
    assert sheet["H9"].number_format == "@" and sheet["J9"].number_format == "@"
    assert sheet["A4"].value.startswith("DANH SÁCH")

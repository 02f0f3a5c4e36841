"""Header words as suppliers write them, and the header row among the title block."""
import pytest

from bdgtrain.importers.headers import column_letter, field_of, find_header, is_numbering_row


@pytest.mark.parametrize("text, field", [
    ("STT", "stt"), ("TT", "stt"), ("Số TT", "stt"), ("Số thứ tự", "stt"),
    ("Họ và tên", "name"), ("Họ tên", "name"), ("HỌ VÀ TÊN\nHỌC VIÊN", "name"), ("Họ và tên học viên", "name"),
    ("Ngày sinh", "birth"), ("Ngày, tháng, năm sinh", "birth"), ("Năm sinh", "birth"), ("Sinh ngày", "birth"),
    ("Giới tính", "sex"), ("Nam/Nữ", "sex"), ("Giới tính (Nam/Nữ)", "sex"),
    ("Dân tộc", "ethnicity"), ("Chức vụ", "position"), ("Chức danh", "position"),
    ("Đơn vị", "unit"), ("Đơn vị công tác", "unit"), ("Cơ quan", "unit"), ("Cơ quan, đơn vị", "unit"),
    ("Chức vụ, đơn vị", "position_unit"), ("Chức vụ, đơn vị công tác", "position_unit"),
    ("Chức vụ và đơn vị công tác", "position_unit"),
    ("Số điện thoại", "phone"), ("Điện thoại", "phone"), ("SĐT", "phone"), ("ĐT", "phone"),
    ("Điện thoại di động", "phone"),
    ("Số CCCD", "id_number"), ("CCCD", "id_number"), ("CMND", "id_number"), ("Số CMND/CCCD", "id_number"),
    ("Số định danh cá nhân", "id_number"),
    ("Email", "email"), ("E-mail", "email"), ("Thư điện tử", "email"), ("Địa chỉ email", "email"),
    ("Ghi chú", "note"), ("Huyện", "district"), ("Xã, phường", "commune"), ("Quê quán", "hometown"),
    ("Địa chỉ", "address"), ("Trình độ chuyên môn", "education"), ("Nam", "male"), ("Nữ", "female"),
    ("Tên", "given_name"), ("Họ đệm", "name"),
    ("DANH SÁCH HỌC VIÊN", None), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None), ("Sở thích", None), (1, None),
    ("", None),
])
def test_field_of(text, field):
    assert field_of(text) == field


def test_header_row_among_title_rows():
    rows = [["SỞ NỘI VỤ"], ["DANH SÁCH"], ["Họ và tên người lập: Trần Văn A"], [],
            ["STT", "Họ và tên", "Chức vụ", "Đơn vị"], [1, "Nguyễn Thị Hoa", "Chuyên viên", "Sở Nội vụ"]]
    header = find_header([row + [""] * (4 - len(row)) for row in rows], [])
    assert (header.first_row, header.last_row, header.data_start) == (4, 4, 5)
    assert [c.letter for c in header.columns] == ["A", "B", "C", "D"]


@pytest.mark.parametrize("row, numbering", [
    (["(1)", "(2)", "(3)"], True), ([1, 2, 3, 4], True), ([1.0, 2.0, "", 4.0], True), (["A", "B", "1", "2"], True),
    ([1, "Nguyễn Thị Hoa", 1980], False), (["(1)"], False), ([1, 2, 1980], False),
])
def test_numbering_row(row, numbering):
    assert is_numbering_row(row) is numbering


@pytest.mark.parametrize("index, letter", [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (702, "AAA")])
def test_column_letter(index, letter):
    assert column_letter(index) == letter

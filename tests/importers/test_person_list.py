"""Reading whole lists: the shapes suppliers really send, end to end, without app or database."""
import unicodedata
from datetime import date

import pytest

from bdgtrain.importers.legacy import encode_tcvn3, encode_vni
from bdgtrain.importers.person_list import ColumnInfo, ReadError, RowProblem, read_person_list
from tests.importers.builders import FOOTER, SNV_HEADER, TITLE_BLOCK, TODAY, csv_bytes, snv_people, xls, xlsx


def read(data: bytes, filename: str = "danh-sach.xlsx"):
    return read_person_list(data, filename, today=TODAY)


def names(result) -> list[str]:
    return [person.full_name for person in result.rows]


def test_snv_list_with_title_block_numbering_row_and_footer():
    rows = TITLE_BLOCK + [SNV_HEADER, [f"({n})" for n in range(1, 11)]] + snv_people() + FOOTER
    result = read(xlsx(rows))
    assert result.problems == []
    assert result.header_row == 7
    assert result.sheet == "Danh sách"
    assert names(result) == ["Nguyễn Thị Hoa", "Lê Thị Thu Hà", "Hồ Thị Mai"]
    first = result.rows[0]
    assert (first.row, first.sex, first.birth_date, first.birth_year) == (9, "F", date(1980, 3, 15), 1980)
    assert (first.ethnicity, first.position, first.unit_name) == ("Kinh", "Phó Chủ tịch", "UBND huyện Hương Sơn")
    assert (first.phone, first.id_number, first.note, first.email) == ("0912345678", "042180001234", None, None)
    assert [p.phone for p in result.rows] == ["0912345678", "0987654321", "0912000111"]
    assert result.rows[1].note == "Dự kiến"
    assert [c.field for c in result.columns] == ["stt", "name", "birth", "sex", "ethnicity", "position", "unit",
                                                 "phone", "id_number", "note"]
    assert result.columns[1] == ColumnInfo(1, "B", "Họ và tên", "name")
    assert "Bỏ qua dòng 8: dòng đánh số cột." in result.notes
    assert "Dừng đọc ở dòng 13: từ đây là phần cuối danh sách (tổng cộng, ký tên)." in result.notes


def test_numbering_row_without_brackets_is_skipped():
    rows = [SNV_HEADER, list(range(1, 11))] + snv_people()
    result = read(xlsx(rows))
    assert result.problems == [] and len(result.rows) == 3
    assert result.rows[0].row == 3


def test_exact_problems_for_a_list_with_several_bad_rows():
    rows = TITLE_BLOCK + [SNV_HEADER] + [
        [1, "Nguyễn Thị Hoa", "15/03/1980", "Nữ", "Kinh", "Chuyên viên", "Sở Nội vụ", "0912345678", None, None],
        [2, None, "20/10/1979", "Nữ", "Kinh", "Chuyên viên", "Sở Nội vụ", None, None, None],
        [3, "Trần Thị Lan", "31/02/1980", "Nữ", "Kinh", None, None, None, None, None],
        [4, "Phan Thị Yến", 2026, "Nữ", "Kinh", None, None, None, None, None],
        [5, "Võ Thị Nga", 1990, "X", "Kinh", None, None, None, None, None],
        [6, "Đặng Thị Dung", 1975, "Nữ", "Kinh", None, None, "12345", None, None],
        [7, "Bùi Văn Nam", "1/13/1970", "Nam", "Kinh", None, None, "0912 345 678 / 0987", "12345", None],
    ]
    result = read(xlsx(rows))
    assert result.problems == [
        RowProblem(9, "Họ và tên", "Thiếu họ và tên"),
        RowProblem(10, "Ngày sinh", "Ngày 31/02/1980 không tồn tại"),
        RowProblem(11, "Ngày sinh", "Năm sinh 2026 ở tương lai"),
        RowProblem(12, "Giới tính", "Giới tính “X” không rõ (ghi Nam hoặc Nữ)"),
        RowProblem(13, "Số điện thoại", "Số điện thoại “12345” không hợp lệ"),
        RowProblem(14, "Ngày sinh", "Ngày 1/13/1970 không tồn tại"),
        RowProblem(14, "Số điện thoại", "Số điện thoại “0912 345 678 / 0987” không hợp lệ"),
        RowProblem(14, "Số CCCD", "Số CCCD/CMND “12345” không hợp lệ (CCCD có 12 chữ số, CMND có 9 chữ số)"),
    ]
    # Rows with a name are still returned (with the bad cell left empty) for the preview.
    assert names(result) == ["Nguyễn Thị Hoa", "Trần Thị Lan", "Phan Thị Yến", "Võ Thị Nga", "Đặng Thị Dung",
                             "Bùi Văn Nam"]
    assert result.rows[1].birth_date is None and result.rows[3].sex is None


def test_hlhpn_two_level_header_gives_sex_from_the_column():
    rows = [
        ["HỘI LHPN TỈNH HÀ TĨNH"],
        ["DANH SÁCH CÁN BỘ NỮ ĐĂNG KÝ THAM GIA LỚP TẬP HUẤN"],
        [],
        ["TT", "Họ và tên", "Năm sinh", None, "Dân tộc", "Chức vụ, đơn vị", "SĐT", "Ghi chú"],
        [None, None, "Nam", "Nữ", None, None, None, None],
        [1, "NGUYỄN THỊ HOA", None, 1980, "Kinh", "Chủ tịch Hội LHPN huyện Can Lộc", 912345678, None],
        [2, "Lê Văn Tâm", 1975, None, "Kinh", "Phó Bí thư xã Thạch Hà", "0912.345.679", None],
        [3, "Hà Thị Lý", None, "12/05/1990", "Mường", "Cán bộ Hội xã", None, None],
        [4, "Phạm Thị Én", 1981, 1982, "Kinh", None, None, None],
    ]
    merged = ["A4:A5", "B4:B5", "C4:D4", "E4:E5", "F4:F5", "G4:G5", "H4:H5"]
    result = read(xlsx(rows, merged=merged))
    assert result.header_row == 5
    assert [(c.header, c.field) for c in result.columns] == [
        ("TT", "stt"), ("Họ và tên", "name"), ("Năm sinh (Nam)", "male"), ("Năm sinh (Nữ)", "female"),
        ("Dân tộc", "ethnicity"), ("Chức vụ, đơn vị", "position_unit"), ("SĐT", "phone"), ("Ghi chú", "note")]
    hoa, tam, ly, en = result.rows
    assert (hoa.full_name, hoa.sex, hoa.birth_year, hoa.birth_date) == ("Nguyễn Thị Hoa", "F", 1980, None)
    assert (hoa.position, hoa.unit_name, hoa.phone) == ("Chủ tịch Hội LHPN huyện Can Lộc", None, "0912345678")
    assert (tam.sex, tam.birth_year, tam.phone) == ("M", 1975, "0912345679")
    assert (ly.sex, ly.birth_date, ly.birth_year, ly.ethnicity) == ("F", date(1990, 5, 12), 1990, "Mường")
    assert (en.sex, en.birth_year) == (None, None)
    assert result.problems == [RowProblem(9, "Năm sinh", "Ghi ở cả cột Nam và cột Nữ: chỉ ghi ở một cột")]
    assert "Cột “Năm sinh” chia Nam/Nữ: giới tính lấy theo cột ghi năm sinh." in result.notes
    assert any("Chức vụ, đơn vị" in note for note in result.notes)


def test_two_level_header_without_merge_information_in_csv():
    rows = [["TT", "Họ và tên", "Năm sinh", "", "Dân tộc"], ["", "", "Nam", "Nữ", ""],
            ["1", "Nguyễn Thị Hoa", "", "1980", "Kinh"], ["2", "Lê Văn Tâm", "1975", "", "Kinh"]]
    result = read(csv_bytes(rows), "ds.csv")
    assert [(p.sex, p.birth_year) for p in result.rows] == [("F", 1980), ("M", 1975)]
    assert result.sheet is None and result.header_row == 2


def test_sex_marked_with_x_under_nam_nu():
    rows = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", None],
            [None, None, None, "Nam", "Nữ"],
            [1, "Nguyễn Thị Hoa", date(1980, 1, 2), None, "x"],
            [2, "Lê Văn Tâm", date(1975, 3, 4), "X", None]]
    result = read(xlsx(rows, merged=["D1:E1"]))
    assert [(p.sex, p.birth_date) for p in result.rows] == [("F", date(1980, 1, 2)), ("M", date(1975, 3, 4))]


@pytest.mark.parametrize("value, expected", [
    (date(1980, 3, 15), (date(1980, 3, 15), 1980)),
    ("15/03/1980", (date(1980, 3, 15), 1980)),
    ("15-3-1980", (date(1980, 3, 15), 1980)),
    ("15.3.1980", (date(1980, 3, 15), 1980)),
    ("1980-03-15", (date(1980, 3, 15), 1980)),
    ("03/1980", (None, 1980)),
    (1980, (None, 1980)),
    (1980.0, (None, 1980)),
    ("1980", (None, 1980)),
    (29295, (date(1980, 3, 15), 1980)),  # an Excel serial number in a cell not formatted as a date
])
def test_birth_dates_in_every_form(value, expected):
    result = read(xlsx([["Họ và tên", "Ngày sinh"], ["Nguyễn Thị Hoa", value]]))
    assert result.problems == []
    assert (result.rows[0].birth_date, result.rows[0].birth_year) == expected


@pytest.mark.parametrize("value, message", [
    ("31/2/1980", "Ngày 31/2/1980 không tồn tại"),
    ("1899", "Năm sinh 1899 không hợp lý (trước 1920)"),
    ("15/3/80", "Ngày sinh “15/3/80” phải ghi năm đủ bốn chữ số, ví dụ 15/03/1980"),
    ("khoảng 1980", "Ngày sinh “khoảng 1980” không đọc được (ghi ngày/tháng/năm như 15/03/1980, "
                    "hoặc chỉ năm sinh)"),
    (date(2025, 12, 1), "Ngày sinh 01/12/2025 ở tương lai"),
    ("13/1980", "Tháng sinh “13/1980” không tồn tại"),
])
def test_bad_birth_dates(value, message):
    result = read(xlsx([["Họ và tên", "Ngày sinh"], ["Nguyễn Thị Hoa", value]]))
    assert result.problems == [RowProblem(2, "Ngày sinh", message)]


def test_names_in_nfd_upper_case_and_with_stray_spaces_are_normalised():
    raw = [unicodedata.normalize("NFD", "Nguyễn Thị Hoa"), "  TRẦN   THỊ  BÍCH  ", "lê\u00a0thị hà"]
    result = read(xlsx([["Họ và tên", "Giới tính"]] + [[name, "Nữ"] for name in raw]))
    assert names(result) == ["Nguyễn Thị Hoa", "Trần Thị Bích", "Lê Thị Hà"]
    assert all(unicodedata.is_normalized("NFC", name) for name in names(result))


def test_header_words_vary_and_break_across_lines():
    header = ["Số TT", "HỌ VÀ\nTÊN", "Ngày, tháng,\nnăm sinh", "Nam/Nữ", "Dân tộc", "Chức vụ", "Cơ quan",
              "Điện thoại", "Số CMND/CCCD", "E-mail", "Ghi chú", "Huyện", "Trình độ chuyên môn", "Sở thích"]
    person = [1, "Nguyễn Thị Hoa", "01/02/1980", "F", "Kinh", "Chuyên viên", "Sở Nội vụ", "0912345678",
              "123456789", "hoa@hatinh.gov.vn", None, "Hương Sơn", "Đại học", "Đọc sách"]
    result = read(xlsx([header, person]))
    assert result.problems == []
    assert [c.field for c in result.columns] == [
        "stt", "name", "birth", "sex", "ethnicity", "position", "unit", "phone", "id_number", "email", "note",
        "district", "education", None]
    assert result.columns[1].header == "HỌ VÀ TÊN"
    hoa = result.rows[0]
    assert (hoa.sex, hoa.email, hoa.id_number) == ("F", "hoa@hatinh.gov.vn", "123456789")
    assert hoa.extra == {"district": "Hương Sơn", "education": "Đại học"}


@pytest.mark.parametrize("value, sex", [
    ("Nữ", "F"), ("nữ", "F"), ("NU", "F"), ("F", "F"), ("Female", "F"),
    ("Nam", "M"), ("M", "M"), ("male", "M"), (unicodedata.normalize("NFD", "NỮ"), "F"),
])
def test_sex_values(value, sex):
    result = read(xlsx([["Họ và tên", "Giới tính"], ["Nguyễn Thị Hoa", value]]))
    assert result.rows[0].sex == sex


def test_blank_rows_and_rows_with_only_a_number_are_skipped():
    rows = [SNV_HEADER, [1, "Nguyễn Thị Hoa", None, "Nữ"], [], [2], [None, "  "], [3, "Lê Thị Hà", None, "Nữ"],
            [4], [5]]
    result = read(xlsx(rows))
    assert [(p.row, p.full_name) for p in result.rows] == [(2, "Nguyễn Thị Hoa"), (6, "Lê Thị Hà")]
    assert result.problems == []


def test_a_person_without_row_number_is_kept_and_the_total_row_ends_the_list():
    rows = [SNV_HEADER,
            [1, "Nguyễn Thị Hoa", None, "Nữ"],
            [None, "Trần Thị Giám", None, "Nữ", None, "Giám đốc"],  # no row number, footer-like words
            [None, "Tống Thị Lan", None, "Nữ"],  # "Tống" folds to "tong", but is no total
            [2, "Lê Thị Hà", None, "Nữ"],
            [None, "Tổng cộng: 3 người"],
            [None, "Trần Văn Ký"]]
    result = read(xlsx(rows))
    assert names(result) == ["Nguyễn Thị Hoa", "Trần Thị Giám", "Tống Thị Lan", "Lê Thị Hà"]
    assert result.problems == []


def test_footer_words_before_more_people_are_not_a_footer():
    rows = [SNV_HEADER, [1, "Nguyễn Thị Hoa"], [None, None, None, None, None, "Giám đốc"],
            [2, "Lê Thị Hà"]]
    result = read(xlsx(rows))
    assert names(result) == ["Nguyễn Thị Hoa", "Lê Thị Hà"]
    assert result.problems == [RowProblem(3, "Họ và tên", "Thiếu họ và tên")]


def test_group_rows_label_the_people_below():
    rows = [SNV_HEADER,
            ["I", "CẤP TỈNH"],
            [1, "Nguyễn Thị Hoa", None, "Nữ"],
            ["II", "Huyện Hương Sơn"],
            [2, "Lê Thị Hà", None, "Nữ"],
            [None, "B. Cấp xã"],
            [3, "Hồ Thị Mai", None, "Nữ"]]
    result = read(xlsx(rows))
    assert [(p.full_name, p.extra.get("group")) for p in result.rows] == [
        ("Nguyễn Thị Hoa", "CẤP TỈNH"), ("Lê Thị Hà", "Huyện Hương Sơn"), ("Hồ Thị Mai", "B. Cấp xã")]
    assert result.problems == []


def test_merged_unit_cell_is_filled_down_and_a_wide_merged_row_is_a_group():
    rows = [SNV_HEADER,
            ["Huyện Can Lộc"],
            [1, "Nguyễn Thị Hoa", None, "Nữ", None, "Chủ tịch", "UBND xã Thiên Lộc"],
            [2, "Lê Thị Hà", None, "Nữ", None, "Phó Chủ tịch"],
            [3, "Hồ Thị Mai", None, "Nữ", None, "Bí thư"]]
    result = read(xlsx(rows, merged=["A2:J2", "G3:G5"]))
    assert [p.unit_name for p in result.rows] == ["UBND xã Thiên Lộc"] * 3
    assert {p.extra.get("group") for p in result.rows} == {"Huyện Can Lộc"}


def test_name_written_in_two_columns():
    rows = [["STT", "Họ và tên", None, "Giới tính"], [None, "Họ đệm", "Tên", None],
            [1, "Nguyễn Thị", "Hoa", "Nữ"], [2, "Lê Văn", "Tâm", "Nam"]]
    result = read(xlsx(rows, merged=["B1:C1", "A1:A2", "D1:D2"]))
    assert names(result) == ["Nguyễn Thị Hoa", "Lê Văn Tâm"]
    assert "Họ và tên ghi ở hai cột (họ đệm và tên): đã ghép lại." in result.notes


def test_phone_and_id_numbers_that_lost_their_leading_zero():
    rows = [["Họ và tên", "Số điện thoại", "Số CCCD"],
            ["Nguyễn Thị Hoa", 912345678, 42180001234],
            ["Lê Thị Hà", 912345678.0, 42180001235.0],
            ["Hồ Thị Mai", "+84 (0) 912-345-678", "042 180 001 236"]]
    result = read(xlsx(rows))
    assert result.problems == []
    assert [(p.phone, p.id_number) for p in result.rows] == [
        ("0912345678", "042180001234"), ("0912345678", "042180001235"), ("0912345678", "042180001236")]
    assert any(note.startswith("Đã thêm số 0 đầu cho 2 số CCCD/CMND") for note in result.notes)


def test_an_id_typed_as_text_with_eleven_digits_is_a_problem():
    result = read(xlsx([["Họ và tên", "Số CCCD"], ["Nguyễn Thị Hoa", "04218000123"]]))
    assert result.problems == [RowProblem(2, "Số CCCD", "Số CCCD/CMND “04218000123” không hợp lệ (CCCD có 12 "
                                                        "chữ số, CMND có 9 chữ số)")]


def test_every_problem_is_reported_not_just_the_first():
    rows = [SNV_HEADER] + [[n, None, "31/2/1990", "?", None, None, None, "1", "2"] for n in range(1, 51)]
    result = read(xlsx(rows))
    assert len(result.problems) == 50 * 5
    assert {p.row for p in result.problems} == set(range(2, 52))


def test_first_visible_sheet_with_a_header_is_read():
    data = xlsx([["Ghi chú: điền danh sách ở trang sau"]], sheet="Hướng dẫn",
                extra_sheets={"DS": [SNV_HEADER, [1, "Nguyễn Thị Hoa"]]},
                hidden_first=[SNV_HEADER, [1, "Người Ẩn Danh"]])
    result = read(data)
    assert result.sheet == "DS" and names(result) == ["Nguyễn Thị Hoa"]


def test_no_header_and_empty_files_are_refused():
    with pytest.raises(ReadError) as error:
        read(xlsx([["DANH SÁCH"], ["Nguyễn Thị Hoa", "1980"]]))
    assert error.value.code == "file.no_header"
    with pytest.raises(ReadError) as error:
        read(xlsx([["Họ và tên", "Tên gọi khác"], ["Nguyễn Thị Hoa", "Hoa"]]))  # only one known column
    assert error.value.code == "file.no_header"
    with pytest.raises(ReadError) as error:
        read(xlsx([]))
    assert error.value.code == "file.empty"
    with pytest.raises(ReadError) as error:
        read(xlsx(TITLE_BLOCK + [SNV_HEADER, list(range(1, 11))]))
    assert error.value.code == "file.empty"


def test_header_beyond_row_fifteen_is_not_searched():
    rows = [["tiêu đề"]] * 15 + [SNV_HEADER, [1, "Nguyễn Thị Hoa"]]
    with pytest.raises(ReadError) as error:
        read(xlsx(rows))
    assert error.value.code == "file.no_header"
    result = read(xlsx(rows[1:]))
    assert result.header_row == 15


# --- CSV -----------------------------------------------------------------------------------------------

CSV_ROWS = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ, đơn vị công tác", "Số điện thoại"],
            ["1", "Nguyễn Thị Hoa", "15/03/1980", "Nữ", "Chủ tịch Hội LHPN xã, huyện Can Lộc", "912345678"],
            ["2", "Lê Văn Tâm", "1975", "Nam", "Bí thư", "0912 345 679"]]


@pytest.mark.parametrize("data", [
    csv_bytes(CSV_ROWS),
    csv_bytes(CSV_ROWS, bom=True),
    csv_bytes(CSV_ROWS, delimiter=";"),
    csv_bytes(CSV_ROWS, delimiter=";", bom=True),
    csv_bytes(CSV_ROWS, delimiter="\t", encoding="utf-16-le", bom=True),  # Excel's "Unicode text"
    csv_bytes(CSV_ROWS, delimiter="\t", encoding="utf-16-be", bom=True),
    csv_bytes(CSV_ROWS, delimiter="\t", encoding="utf-16-le"),
    csv_bytes(CSV_ROWS, encoding="cp1258"),
    csv_bytes([["DANH SÁCH HỌC VIÊN"], ["(Kèm theo công văn số 1, ngày 2)"], []] + CSV_ROWS),
], ids=["utf8", "utf8-bom", "semicolon", "semicolon-bom", "utf16le-tab", "utf16be-tab", "utf16le-no-bom",
        "cp1258", "title-block"])
def test_csv_variants(data):
    result = read(data, "danh-sach.csv")
    assert result.problems == []
    assert names(result) == ["Nguyễn Thị Hoa", "Lê Văn Tâm"]
    assert [(p.sex, p.birth_year, p.phone) for p in result.rows] == [("F", 1980, "0912345678"),
                                                                      ("M", 1975, "0912345679")]
    assert result.rows[0].position == "Chủ tịch Hội LHPN xã, huyện Can Lộc"


def test_csv_in_an_unknown_eight_bit_encoding_is_refused():
    data = "Họ và tên,Giới tính\nЖанна Иванова,Nữ\n".encode("utf-8").replace("Ж".encode(), b"\xc6\x80\x81")
    with pytest.raises(ReadError) as error:
        read(data, "ds.csv")
    assert error.value.code == "file.text_encoding"


# --- Legacy encodings --------------------------------------------------------------------------------------

def test_xlsx_in_vntime_font_with_tcvn3_text():
    rows = [[encode_tcvn3("DANH SÁCH HỌC VIÊN", capitals=True)],
            [encode_tcvn3("STT"), encode_tcvn3("Họ và tên"), encode_tcvn3("Giới tính"), encode_tcvn3("Chức vụ")],
            [1, encode_tcvn3("Nguyễn Thị Hồng"), encode_tcvn3("Nữ"), encode_tcvn3("Trưởng phòng Tổ chức")],
            [2, encode_tcvn3("ĐẶNG THỊ LỆ", capitals=True), encode_tcvn3("nữ"), encode_tcvn3("Chuyên viên")]]
    fonts = {(1, 1): ".VnTimeH", (4, 2): ".VnTimeH"}
    result = read(xlsx(rows, default_font=".VnTime", fonts=fonts))
    assert result.problems == []
    assert [(p.full_name, p.sex, p.position) for p in result.rows] == [
        ("Nguyễn Thị Hồng", "F", "Trưởng phòng Tổ chức"), ("Đặng Thị Lệ", "F", "Chuyên viên")]
    assert [c.header for c in result.columns] == ["STT", "Họ và tên", "Giới tính", "Chức vụ"]
    assert "Đã chuyển mã TCVN3 (ABC) sang Unicode." in result.notes


def test_xlsx_in_vni_font():
    rows = [[encode_vni("Họ và tên"), encode_vni("Đơn vị")],
            [encode_vni("Nguyễn Thị Hồng"), encode_vni("Hội Liên hiệp Phụ nữ huyện Đức Thọ")]]
    result = read(xlsx(rows, default_font="VNI-Times"))
    assert [(p.full_name, p.unit_name) for p in result.rows] == [("Nguyễn Thị Hồng",
                                                                  "Hội Liên hiệp Phụ nữ huyện Đức Thọ")]
    assert result.notes == ["Đã chuyển mã VNI sang Unicode."]


def test_unicode_typed_over_a_legacy_font_is_left_alone():
    rows = [["Họ và tên", "Giới tính"], ["Nguyễn Thị Hồng", "Nữ"], [encode_tcvn3("Lê Thị Hà"), encode_tcvn3("Nữ")]]
    result = read(xlsx(rows, default_font=".VnTime"))
    assert names(result) == ["Nguyễn Thị Hồng", "Lê Thị Hà"]


def test_unicode_workbook_is_never_converted():
    rows = [["Họ và tên", "Ghi chú"], ["Lê Thị Hà", "Tô Lâm · Hà Tĩnh « xem »"], ["Tô Thị Bé", "Müller"]]
    result = read(xlsx(rows))
    assert [(p.full_name, p.note) for p in result.rows] == [("Lê Thị Hà", "Tô Lâm · Hà Tĩnh « xem »"),
                                                            ("Tô Thị Bé", "Müller")]
    assert result.notes == []


def test_csv_in_tcvn3_bytes_and_in_tcvn3_saved_as_utf8():
    rows = [[encode_tcvn3(text) for text in row] for row in
            [["Họ và tên", "Giới tính", "Chức vụ"], ["Nguyễn Thị Hồng", "Nữ", "Phó trưởng phòng"],
             ["Trần Thị Thủy", "Nữ", "Chuyên viên chính"]]]
    for data in (csv_bytes(rows, encoding="cp1252"), csv_bytes(rows, encoding="utf-8")):
        result = read(data, "ds.csv")
        assert [(p.full_name, p.position) for p in result.rows] == [("Nguyễn Thị Hồng", "Phó trưởng phòng"),
                                                                     ("Trần Thị Thủy", "Chuyên viên chính")]
        assert "Đã chuyển mã TCVN3 (ABC) sang Unicode." in result.notes


def test_csv_in_vni():
    rows = [[encode_vni(text) for text in row] for row in
            [["Họ và tên", "Giới tính"], ["Nguyễn Thị Hồng", "Nữ"], ["Đỗ Văn Được", "Nam"]]]
    result = read(csv_bytes(rows, encoding="cp1252"), "ds.csv")
    assert names(result) == ["Nguyễn Thị Hồng", "Đỗ Văn Được"]
    assert result.notes == ["Đã chuyển mã VNI sang Unicode."]


def test_tcvn3_mixed_with_unicode_in_a_csv_is_refused():
    rows = [["Họ và tên", "Giới tính"], [encode_tcvn3("Nguyễn Thị Hồng"), encode_tcvn3("Nữ")], ["Lê Thị Hà", "Nữ"]]
    with pytest.raises(ReadError) as error:
        read(csv_bytes(rows), "ds.csv")
    assert error.value.code == "file.legacy_encoding_unsure"


# --- .xls ---------------------------------------------------------------------------------------------------

def test_xls_list_with_title_block_and_footer():
    rows = TITLE_BLOCK + [SNV_HEADER] + snv_people() + FOOTER
    result = read(xls(rows), "danh-sach.xls")
    assert result.problems == []
    assert names(result) == ["Nguyễn Thị Hoa", "Lê Thị Thu Hà", "Hồ Thị Mai"]
    assert result.rows[0].birth_date == date(1980, 3, 15)
    assert result.sheet == "DS" and result.header_row == 7


def test_xls_in_vntime_font():
    rows = [[encode_tcvn3("Họ và tên"), encode_tcvn3("Năm sinh"), None],
            [None, encode_tcvn3("Nam"), encode_tcvn3("Nữ")],
            [encode_tcvn3("Nguyễn Thị Hồng"), None, 1980]]
    result = read(xls(rows, default_font=".VnTime", merged=[(0, 0, 1, 2)]), "ds.xls")
    assert [(p.full_name, p.sex, p.birth_year) for p in result.rows] == [("Nguyễn Thị Hồng", "F", 1980)]
    assert "Đã chuyển mã TCVN3 (ABC) sang Unicode." in result.notes


def test_rows_past_the_font_sample_follow_their_column(monkeypatch):
    monkeypatch.setattr("bdgtrain.importers.person_list.FONT_SAMPLE_ROWS", 4)
    people = ["Nguyễn Thị Hồng", "Trần Thị Thủy", "Lê Thị Hà", "Đặng Thị Lệ", "Phạm Thị Yến"]
    rows = [["Họ và tên", "Giới tính"]] + [[encode_tcvn3(name), encode_tcvn3("Nữ")] for name in people]
    result = read(xlsx(rows, default_font=".VnTime"))
    assert names(result) == people and {p.sex for p in result.rows} == {"F"}


def test_a_column_of_mixed_fonts_past_the_sample_is_unsure(monkeypatch):
    rows = [["Họ và tên", "Giới tính"], ["Nguyễn Thị Hồng", "Nữ"], [encode_tcvn3("Lê Thị Hà"), "Nữ"],
            [encode_tcvn3("Đặng Thị Lệ"), "Nữ"], ["Tô Thị Bé", "Nữ"], [encode_tcvn3("Phạm Thị Yến"), "Nữ"]]
    data = xlsx(rows, fonts={(3, 1): ".VnTime", (4, 1): ".VnTime", (6, 1): ".VnTime"})
    # Within the sample every cell's own font decides...
    assert names(read(data)) == ["Nguyễn Thị Hồng", "Lê Thị Hà", "Đặng Thị Lệ", "Tô Thị Bé", "Phạm Thị Yến"]
    # ...past it, a column whose sampled cells disagree cannot be decided.
    monkeypatch.setattr("bdgtrain.importers.person_list.FONT_SAMPLE_ROWS", 4)
    with pytest.raises(ReadError) as error:
        read(data)
    assert error.value.code == "file.legacy_encoding_unsure"


def test_tcvn3_text_left_in_a_unicode_font_is_found_by_its_content():
    people = ["Nguyễn Thị Hồng", "Trần Thị Thủy", "Đặng Thị Lệ"]
    rows = [[encode_tcvn3("Họ và tên"), encode_tcvn3("Chức vụ")]] + \
        [[encode_tcvn3(name), encode_tcvn3("Phó trưởng phòng")] for name in people]
    result = read(xlsx(rows, default_font="Times New Roman"))
    assert names(result) == people
    assert result.notes == ["Đã chuyển mã TCVN3 (ABC) sang Unicode."]


def test_old_xls_that_calamine_cannot_open_is_read_with_xlrd(monkeypatch):
    monkeypatch.setattr("bdgtrain.importers.person_list.open_workbook", lambda data, filename: None)
    rows = TITLE_BLOCK + [SNV_HEADER] + snv_people() + FOOTER
    result = read(xls(rows, merged=[(3, 3, 0, 9)]), "cu.xls")
    assert names(result) == ["Nguyễn Thị Hoa", "Lê Thị Thu Hà", "Hồ Thị Mai"]
    assert result.rows[0].birth_date == date(1980, 3, 15) and result.rows[0].phone == "0912345678"
    assert result.problems == []

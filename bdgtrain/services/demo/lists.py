"""Sample participant lists for the demo's Lớp 3, one per agency, in each agency's own shape.

The two lists overlap the way real ones do: some women are sent by both Sở Nội vụ and Hội LHPN
(the same phone), one is written differently (upper case, NFD), and one shares a name and birth
year with someone else in another unit (a possible duplicate). Written from the import
templates, so a newcomer can try the whole list flow: `flask --app wsgi demo lists DIR`.
"""
from __future__ import annotations

import io
import unicodedata
from datetime import date

from openpyxl import load_workbook

from ...importers.templates import template_workbook

# (name, birth date, position, unit, phone)
_SNV_PEOPLE = [
    ("Nguyễn Thị Hồng Hạnh", date(1982, 3, 15), "Phó Chủ tịch UBND", "UBND huyện Hương Sơn", "0912345601"),
    ("Trần Thị Lan", date(1979, 11, 2), "Trưởng phòng Nội vụ", "UBND huyện Đức Thọ", "0912345602"),
    ("Lê Thị Mai", date(1985, 6, 20), "Phó Trưởng phòng LĐ-TB&XH", "UBND huyện Can Lộc", "0912345603"),
    ("Phạm Thị Thu Hà", date(1988, 1, 9), "Phó Chủ tịch UBND", "UBND thị xã Hồng Lĩnh", "0912345604"),
    ("Hoàng Thị Ngọc Ánh", date(1983, 9, 30), "Trưởng phòng Văn hóa", "UBND huyện Nghi Xuân", "0912345605"),
    ("Võ Thị Hương", date(1980, 12, 12), "Phó Chánh Văn phòng", "UBND huyện Thạch Hà", "0912345606"),
    ("Đặng Thị Kim Oanh", date(1986, 4, 4), "Phó Trưởng phòng Nội vụ", "UBND huyện Cẩm Xuyên", "0912345607"),
    ("Bùi Thị Yến", date(1984, 7, 17), "Phó Chủ tịch UBND", "UBND huyện Kỳ Anh", "0912345608"),
    ("Đỗ Thị Phương", date(1987, 2, 25), "Trưởng phòng Tư pháp", "UBND huyện Lộc Hà", "0912345609"),
    ("Ngô Thị Thanh Loan", date(1981, 10, 8), "Phó Trưởng phòng GD-ĐT", "UBND huyện Hương Khê", "0912345610"),
    ("Hồ Thị Nga", date(1989, 5, 3), "Phó Chủ tịch UBND", "UBND huyện Vũ Quang", "0912345611"),
    ("Phan Thị Minh Thư", date(1983, 8, 22), "Phó Trưởng phòng Nội vụ", "UBND thành phố Hà Tĩnh", "0912345612"),
]
# Hội LHPN's list: the first four are also on Sở Nội vụ's list (same phone), written their way.
_HLHPN_PEOPLE = [
    ("NGUYỄN THỊ HỒNG HẠNH", 1982, "Phó Chủ tịch UBND huyện Hương Sơn", "0912345601"),
    (unicodedata.normalize("NFD", "Trần Thị Lan"), 1979, "Trưởng phòng Nội vụ huyện Đức Thọ", "0912 345 602"),
    ("Lê Thị Mai", 1985, "Phó Trưởng phòng LĐ-TB&XH huyện Can Lộc", "84912345603"),
    ("Phạm  Thị Thu Hà ", 1988, "Phó Chủ tịch UBND thị xã Hồng Lĩnh", "912345604"),
    ("Nguyễn Thị Hoa", 1990, "Chủ tịch Hội LHPN huyện Hương Sơn", "0987654301"),
    ("Trương Thị Bích", 1986, "Chủ tịch Hội LHPN huyện Can Lộc", "0987654302"),
    ("Lê Thị Mai", 1985, "Phó Chủ tịch Hội LHPN huyện Thạch Hà", ""),  # same name and year, another unit
    ("Đinh Thị Thảo", 1991, "Phó Chủ tịch Hội LHPN huyện Kỳ Anh", "0987654304"),
]


def _fill(shape: str, rows: list[list], footer: list[str]) -> bytes:
    book = load_workbook(io.BytesIO(template_workbook(shape)))
    sheet = book.active
    first = 9
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(first + offset, column, value)
    after = first + len(rows) + 2
    for offset, text in enumerate(footer):
        sheet.cell(after + offset, 6, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# E-mail addresses for most of Sở Nội vụ's list (issue 21: invitations need them), under the reserved
# ".example" domain so that a demo with a real mail server sends nothing to anyone; a few are missing,
# as in real lists, for the invitation page's "fill them in".
_SNV_EMAILS = ["hanh.nth", "lan.tt", "mai.lt", "ha.ptt", "anh.htn", "huong.vt", "oanh.dtk", "yen.bt", None, None,
               "nga.ht", None]


def snv_list() -> bytes:
    rows = [[n, name, born, "Nữ", "Kinh", position, unit, phone, f"{email}@hatinh.example" if email else None, None,
             None]
            for n, ((name, born, position, unit, phone), email) in enumerate(zip(_SNV_PEOPLE, _SNV_EMAILS, strict=True),
                                                                              start=1)]
    return _fill("snv", rows, ["Hà Tĩnh, ngày 10 tháng 7 năm 2019", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])


def hlhpn_list() -> bytes:
    rows = [[n, name, None, year, "Kinh", position_unit, phone or None, None, None]
            for n, (name, year, position_unit, phone) in enumerate(_HLHPN_PEOPLE, start=1)]
    return _fill("hlhpn", rows, ["Người lập biểu", "(Ký, ghi rõ họ tên)"])


def sample_lists() -> dict[str, bytes]:
    """File name → content, for the two agencies' lists of Lớp 3."""
    return {"LOP-3-SNV.xlsx": snv_list(), "LOP-3-HLHPN.xlsx": hlhpn_list()}

"""A sample planning pool for the Hà Tĩnh demo, in Sở Nội vụ's list shape plus the pool's own columns.

Eight of the women are the first eight of Sở Nội vụ's sample list for Lớp 3 (services/demo/lists.py:
same names, birth dates and phones), so they match the registry; after they are checked in to Lớp 3,
`flask --app wsgi report trained-share --as-of 2019-12-31` shows a share above zero. The others are
women not yet trained and a few men (who count in the pool, not in the women's trained share).
"""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from ..pool import pool_register
from .lists import _SNV_PEOPLE

FIRST_CYCLE = "2016-2021"  # the cycle `make run` imports the sample pool into

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị", "Số điện thoại",
          "Chức danh quy hoạch", "Ngày vào quy hoạch"]
_OTHERS = [  # (name, birth date, sex, position, unit, phone, planned posts)
    ("Nguyễn Thị Thu Trang", date(1987, 3, 3), "Nữ", "Phó Trưởng phòng Tài chính", "UBND huyện Hương Sơn",
     "0913000101", "Phó Chủ tịch UBND huyện"),
    ("Lê Thị Hải Yến", date(1990, 8, 19), "Nữ", "Phó Bí thư Huyện đoàn", "UBND huyện Đức Thọ", "0913000102",
     "Huyện ủy viên"),
    ("Trần Thị Quỳnh", date(1985, 1, 27), "Nữ", "Phó Trưởng phòng Nội vụ", "UBND huyện Can Lộc", "0913000103",
     "Trưởng phòng Nội vụ"),
    ("Phan Thị Ngân", date(1988, 10, 5), "Nữ", "Phó Chánh Văn phòng", "UBND huyện Kỳ Anh", "0913000104",
     "Chánh Văn phòng HĐND-UBND"),
    ("Nguyễn Văn Hùng", date(1978, 4, 14), "Nam", "Trưởng phòng Nội vụ", "UBND huyện Hương Sơn", "0913000105",
     "Phó Chủ tịch UBND huyện"),
    ("Trần Quốc Bảo", date(1980, 6, 1), "Nam", "Phó Chủ tịch UBND", "UBND huyện Đức Thọ", "0913000106",
     "Chủ tịch UBND huyện"),
    ("Lê Văn Thắng", date(1982, 12, 9), "Nam", "Trưởng phòng Tài chính", "UBND huyện Can Lộc", "0913000107",
     "Phó Chủ tịch UBND huyện"),
]
ADDED_ON = "01/06/2018"


def sample_pool() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Quy hoạch"
    sheet["A1"] = "UBND TỈNH HÀ TĨNH"
    sheet["A2"] = "SỞ NỘI VỤ"
    sheet["D3"] = "DANH SÁCH CÁN BỘ TRONG DIỆN QUY HOẠCH NHIỆM KỲ 2016-2021"
    sheet.append([])
    sheet.append(HEADER)
    rows = [(name, born, "Nữ", position, unit, phone, f"Quy hoạch {position}")
            for name, born, position, unit, phone in _SNV_PEOPLE[:8]] + _OTHERS
    for n, (name, born, sex, position, unit, phone, posts) in enumerate(rows, start=1):
        sheet.append([n, name, born.strftime("%d/%m/%Y"), sex, "Kinh", position, unit, phone, posts, ADDED_ON])
    sheet.append([])
    sheet.append([None, None, None, None, None, "Hà Tĩnh, ngày 01 tháng 6 năm 2018"])
    sheet.append([None, None, None, None, None, "KT. GIÁM ĐỐC"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def carry_to_the_cycle_of(today: date, from_cycle: str = FIRST_CYCLE) -> list[tuple[str, int]]:
    """Carry the demo's pool from `from_cycle`, cycle after cycle, into the one running on `today`: an entry
    never counts past its cycle's last day, so a demo carried into a fixed 2021-2026 would show no pool from
    1 January 2027. Answers each cycle carried into and how many entries were; run again, it carries none."""
    carried = []
    cycle = pool_register.parse_pool_cycle(from_cycle)
    while cycle[2] < today:
        to_cycle = pool_register.next_cycle(cycle[0])
        result = pool_register.carry_entries(None, pool_register.entries_to_carry(cycle[0], None), to_cycle)
        carried.append((to_cycle, len(result.carried)))
        cycle = pool_register.parse_pool_cycle(to_cycle)
    return carried

"""Small pool files for the tests: Sở Nội vụ's columns, with or without a day of joining."""
from __future__ import annotations

import io

from openpyxl import Workbook

LAN = ("Trần Thị Lan", "12/03/1985", "Nữ", "UBND huyện Can Lộc", "0912000001")
MAI = ("Nguyễn Thị Mai", "05/07/1988", "Nữ", "UBND huyện Can Lộc", "0912000002")
HUNG = ("Lê Văn Hùng", "01/01/1980", "Nam", "UBND huyện Can Lộc", "0912000003")
HOA = ("Phan Thị Hoa", "09/09/1990", "Nữ", "UBND huyện Đức Thọ", "0912000004")


def pool_xlsx(people, added_on: list[str | None] | None = None, cycles: list[str] | None = None,
              districts: list[str] | None = None) -> bytes:
    """One row per person (name, birth date, sex, unit, phone); a "Ngày vào quy hoạch" column when
    `added_on` is given (None for a blank cell), a "Nhiệm kỳ" column when `cycles` is, a "Huyện" column
    when `districts` is."""
    book = Workbook()
    sheet = book.active
    header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị", "Số điện thoại"]
    if added_on is not None:
        header.append("Ngày vào quy hoạch")
    if cycles is not None:
        header.append("Nhiệm kỳ")
    if districts is not None:
        header.append("Huyện")
    sheet.append(header)
    for n, person in enumerate(people):
        row = [n + 1, *person]
        if added_on is not None:
            row.append(added_on[n])
        if cycles is not None:
            row.append(cycles[n])
        if districts is not None:
            row.append(districts[n])
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

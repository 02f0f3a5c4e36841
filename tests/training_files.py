"""Files of training outside the system, built at test time (the template's columns, or fewer)."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị công tác", "Loại hình",
          "Nội dung/Tên khóa", "Cơ sở đào tạo", "Từ ngày", "Đến ngày", "Tính vào chỉ tiêu",
          "Số chứng chỉ/Quyết định"]


def row(name="Trần Thị Hoa", born=date(1985, 3, 15), kind="Lý luận chính trị",
        title="Trung cấp lý luận chính trị", provider="Trường Chính trị Trần Phú", start=date(2021, 3, 1),
        end=date(2021, 12, 30), counts="Có", evidence="QĐ 12/QĐ-TCT", sex="Nữ", id_number=None,
        unit="UBND xã Cẩm Xuyên") -> list:
    return [name, born, sex, id_number, unit, kind, title, provider, start, end, counts, evidence]


def training_xlsx(rows: list[list], header: list[str] | None = None, title: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "DS"
    if title:
        sheet.append(["DANH SÁCH CÁN BỘ ĐƯỢC ĐÀO TẠO, BỒI DƯỠNG NGOÀI HỆ THỐNG"])
        sheet.append([])
    sheet.append(header or HEADER)
    for number, values in enumerate(rows, start=1):
        sheet.append([number, *values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header_row_number(title: bool = True) -> int:
    return 3 if title else 1

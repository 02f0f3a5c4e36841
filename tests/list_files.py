"""Spreadsheets shaped like the agencies' real files, built at test time."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

SNV_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị công tác",
              "Số điện thoại", "Số CCCD", "Ghi chú"]


def snv_xlsx(people: list[dict]) -> bytes:
    """Sở Nội vụ's shape: a title block, a header, a (1)(2)(3) row, the people, a signature footer."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS"
    sheet.append(["UBND TỈNH HÀ TĨNH"])
    sheet.append(["SỞ NỘI VỤ"])
    sheet.append(["DANH SÁCH CÁN BỘ NỮ DỰ NGUỒN THAM GIA LỚP TẬP HUẤN 3"])
    sheet.append(["(Kèm theo Công văn số 123/SNV-XDCQ)"])
    sheet.append([])
    sheet.append(SNV_HEADER)
    sheet.append([f"({i})" for i in range(1, len(SNV_HEADER) + 1)])
    for number, person in enumerate(people, start=1):
        sheet.append([number, person["name"], person.get("born"), person.get("sex", "Nữ"),
                      person.get("ethnicity", "Kinh"), person.get("position"), person.get("unit"), person.get("phone"),
                      person.get("id"), None])
    sheet.append([])
    sheet.append([None, "Người lập biểu", None, None, None, None, "GIÁM ĐỐC"])
    sheet.append([None, "(Ký, ghi rõ họ tên)"])
    return _save(workbook)


def hlhpn_xlsx(people: list[dict]) -> bytes:
    """Hội LHPN's shape: the two-level header with the birth year under "Nam" or "Nữ"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["HỘI LIÊN HIỆP PHỤ NỮ TỈNH HÀ TĨNH"])
    sheet.append(["DANH SÁCH CÁN BỘ NỮ THAM GIA TẬP HUẤN"])
    sheet.append([])
    sheet.append(["TT", "Họ và tên", "Năm sinh", None, "Dân tộc", "Chức vụ, đơn vị", "SĐT", "Ghi chú"])
    sheet.append([None, None, "Nam", "Nữ"])
    sheet.merge_cells("C4:D4")
    for column in ("A", "B", "E", "F", "G", "H"):
        sheet.merge_cells(f"{column}4:{column}5")
    for number, person in enumerate(people, start=1):
        year = person["born"].year if isinstance(person.get("born"), date) else person.get("born")
        male = person.get("sex") == "Nam"
        sheet.append([number, person["name"], year if male else None, None if male else year,
                      person.get("ethnicity", "Kinh"), person.get("position_unit"), person.get("phone"), None])
    sheet.append([])
    sheet.append([None, None, None, None, None, "TM. BAN THƯỜNG VỤ"])
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Lớp 3's nominees: the two agencies overlap on Hoa and Lan.
HOA = {"name": "NGUYỄN THỊ HOA", "born": date(1980, 3, 15), "position": "Phó Chủ tịch",
       "unit": "UBND huyện Cẩm Xuyên", "phone": "0912345678", "id": "042180000001",
       "position_unit": "Phó Chủ tịch UBND huyện Cẩm Xuyên"}
LAN = {"name": "Trần Thị Lan", "born": date(1975, 6, 1), "position": "Trưởng phòng",
       "unit": "Phòng Nội vụ huyện Đức Thọ", "phone": "0987654321",
       "position_unit": "Trưởng phòng Nội vụ huyện Đức Thọ"}
MAI = {"name": "Lê Thị Mai", "born": date(1985, 11, 20), "position": "Phó Bí thư", "unit": "Huyện ủy Can Lộc",
       "phone": "0901000001"}
DAO = {"name": "Đặng Thị Đào", "born": date(1982, 1, 5), "position": "Chủ tịch Hội LHPN",
       "unit": "Hội LHPN huyện Hương Khê", "phone": "0901000002"}
THU = {"name": "Phạm Thị Thu", "born": 1979, "position_unit": "Phó Trưởng ban Tuyên giáo Huyện ủy Lộc Hà",
       "phone": "0901000003"}

SNV_LOP3 = [HOA, LAN, MAI, DAO]
HLHPN_LOP3 = [HOA, LAN, THU]

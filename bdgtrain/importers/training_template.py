"""The .xlsx of training outside the system: the import template, and the export in the same columns.

The template has the title block of an official list, a header the reader knows (headers.py maps "Loại
hình", "Nội dung/Tên khóa", "Cơ sở đào tạo", "Từ ngày", "Đến ngày", "Tính vào chỉ tiêu", "Số chứng
chỉ/Quyết định" to the training fields), one example row that the import skips (its note says it is one),
drop-downs for the kind and for counting, and a second sheet that explains each column and lists the
kinds. The export (services/pool/external_training.py, streamed) writes the same columns, so an
exported list can be corrected and imported again.
Both are Vietnamese official forms, whatever the reader's language.
"""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bdgtrain.rules.external_training import KIND_WORDS, KINDS

EXAMPLE_NOTE = "Dòng ví dụ: xóa dòng này trước khi nhập"
DATA_ROWS = 200
_FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)

# (header, width, number format): the person's columns, then the training's.
COLUMNS = [
    ("STT", 6, None), ("Họ và tên", 26, None), ("Ngày sinh", 12, "dd/mm/yyyy"), ("Giới tính", 9, None),
    ("Số CCCD", 15, "@"), ("Đơn vị công tác", 28, None), ("Loại hình", 18, None), ("Nội dung/Tên khóa", 36, None),
    ("Cơ sở đào tạo", 26, None), ("Từ ngày", 12, "dd/mm/yyyy"), ("Đến ngày", 12, "dd/mm/yyyy"),
    ("Tính vào chỉ tiêu", 10, None), ("Số chứng chỉ/Quyết định", 22, "@"), ("Ghi chú", 24, None),
]
EXPORT_COLUMNS = COLUMNS[1:-1]  # the export's (services/pool/external_training.py): no row number, no note
_EXAMPLE = [1, "Nguyễn Thị Mẫu", date(1985, 3, 15), "Nữ", "042185000123", "UBND xã Cẩm Xuyên", "Lý luận chính trị",
            "Trung cấp lý luận chính trị - hành chính", "Trường Chính trị Trần Phú", date(2021, 3, 1),
            date(2021, 12, 30), "Có", "QĐ 123/QĐ-TCT", EXAMPLE_NOTE]
# The kinds as the template and the export write them (the reader also takes the words of KIND_WORDS).
KIND_LABELS = {"tap_huan": "Tập huấn", "boi_duong": "Bồi dưỡng", "llct": "Lý luận chính trị",
               "qlnn": "Quản lý nhà nước", "thac_si": "Thạc sĩ", "tien_si": "Tiến sĩ", "other": "Khác"}
# The template's header of each training field, to name a column the file lacks.
FIELD_HEADERS = {"training_kind": "Loại hình", "training_title": "Nội dung/Tên khóa",
                 "training_provider": "Cơ sở đào tạo", "training_started_on": "Từ ngày",
                 "training_ended_on": "Đến ngày", "training_counts": "Tính vào chỉ tiêu",
                 "training_evidence": "Số chứng chỉ/Quyết định"}
_SEXES = {"F": "Nữ", "M": "Nam"}
# What the export writes (services/pool/external_training.py): the sex, whether it counts, the sheet.
EXPORT_SEX_WORDS = _SEXES
EXPORT_COUNTS_WORDS = {True: "Có", False: "Không"}
EXPORT_SHEET = "Danh sách"


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    last = len(COLUMNS)
    _title(sheet, "DANH SÁCH CÁN BỘ ĐƯỢC ĐÀO TẠO, BỒI DƯỠNG NGOÀI HỆ THỐNG",
           "(Tập huấn, bồi dưỡng, lý luận chính trị, quản lý nhà nước, thạc sĩ, tiến sĩ)", last)
    header_row, first_data = 4, 5
    for c, (text, width, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(header_row, c, text)
        cell.font, cell.alignment, cell.border = Font(name=_FONT, size=12, bold=True), _CENTRE, _BOX
        sheet.column_dimensions[get_column_letter(c)].width = width
    for c, (_, _, number_format) in enumerate(COLUMNS, start=1):
        for r in range(first_data, first_data + DATA_ROWS):
            cell = sheet.cell(r, c)
            cell.border, cell.font = _BOX, Font(name=_FONT, size=12)
            if number_format:
                cell.number_format = number_format
    for c, value in enumerate(_EXAMPLE, start=1):
        cell = sheet.cell(first_data, c, value)
        cell.font = Font(name=_FONT, size=12, italic=True, color="808080")
    _drop_down(sheet, ",".join(KIND_LABELS.values()), "Loại hình", COLUMNS, first_data)
    _drop_down(sheet, "Có,Không", "Tính vào chỉ tiêu", COLUMNS, first_data)
    _drop_down(sheet, "Nữ,Nam", "Giới tính", COLUMNS, first_data)
    sheet.freeze_panes = sheet.cell(first_data, 3)
    _notes(book.create_sheet("Hướng dẫn"))
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(sheet, title: str, subtitle: str, last: int) -> None:
    for row, text, font in ((1, title, Font(name=_FONT, size=14, bold=True)),
                            (2, subtitle, Font(name=_FONT, size=12, italic=True))):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center")


def _drop_down(sheet, values: str, header: str, columns, first_data: int) -> None:
    c = next(i for i, (text, _, _) in enumerate(columns, start=1) if text == header)
    letter = get_column_letter(c)
    validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
    validation.error, validation.errorTitle = f"Chọn một giá trị: {values.replace(',', ', ')}", header
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{first_data}:{letter}{first_data + DATA_ROWS - 1}")


_NOTES = [
    ("Họ và tên", "Bắt buộc. Cùng với ngày sinh, số CCCD, đơn vị, để nhận ra người đã có trong hệ thống; người "
                  "chưa có được thêm mới, người nghi trùng được đánh dấu để kiểm tra."),
    ("Loại hình", "Bắt buộc. Một trong các loại hình ở bảng dưới (ví dụ “Trung cấp LLCT” được hiểu là lý luận "
                  "chính trị)."),
    ("Nội dung/Tên khóa", "Bắt buộc. Tên lớp, khóa học hoặc chương trình đào tạo."),
    ("Cơ sở đào tạo", "Không bắt buộc. Trường, học viện hoặc cơ quan tổ chức."),
    ("Từ ngày, Đến ngày", "Ghi ngày/tháng/năm, ví dụ 01/03/2021. Ngày kết thúc không được trước ngày bắt đầu, và "
                          "không ghi ngày ở tương lai. Khóa chưa kết thúc thì để trống “Đến ngày”: chưa được tính."),
    ("Tính vào chỉ tiêu", "Có hoặc Không (để trống là Có). Khóa được tính vào tỷ lệ cán bộ nữ trong diện quy hoạch "
                          "được đào tạo, tập huấn từ ngày kết thúc."),
    ("Số chứng chỉ/Quyết định", "Không bắt buộc. Số chứng chỉ, văn bằng hoặc quyết định cử đi học."),
    ("Dòng ví dụ", "Dòng đầu tiên (chữ xám) là ví dụ và được bỏ qua khi nhập; nên xóa trước khi ghi danh sách."),
]


def _notes(sheet) -> None:
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 26, 90
    sheet.cell(1, 1, "HƯỚNG DẪN GHI DANH SÁCH ĐÀO TẠO, BỒI DƯỠNG NGOÀI HỆ THỐNG").font = Font(
        name=_FONT, size=13, bold=True)
    r = 3
    for column, text in _NOTES:
        sheet.cell(r, 1, column).font = Font(name=_FONT, size=12, bold=True)
        cell = sheet.cell(r, 2, text)
        cell.font, cell.alignment = Font(name=_FONT, size=12), Alignment(wrap_text=True, vertical="top")
        r += 1
    r += 1
    sheet.cell(r, 1, "Loại hình").font = Font(name=_FONT, size=12, bold=True)
    sheet.cell(r, 2, "Cách ghi được chấp nhận").font = Font(name=_FONT, size=12, bold=True)
    for kind in KINDS:
        r += 1
        sheet.cell(r, 1, KIND_LABELS[kind]).font = Font(name=_FONT, size=12)
        sheet.cell(r, 2, ", ".join((KIND_LABELS[kind], *KIND_WORDS[kind]))).font = Font(name=_FONT, size=12)

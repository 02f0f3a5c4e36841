"""Import templates: an .xlsx per list shape, laid out like the lists the suppliers already send.

Each has the title block of an official list above the header, a header the reader knows, and
text-formatted cells for phone and CCCD numbers so that Excel keeps their leading 0, and an e-mail
column (the invitations are sent to it). The reader
reads its own templates back (tests/importers/test_templates.py).
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bdgtrain.messages import Message

# The templates themselves are official Vietnamese forms, in Vietnamese whatever the reader's language
# (the reader must read them back); only their names, shown on the upload page, are translated.
LIST_SHAPES: dict[str, str] = {
    "snv": Message("Mẫu Sở Nội vụ (ngày sinh, giới tính, số CCCD)"),
    "hlhpn": Message("Mẫu Hội LHPN (năm sinh ghi dưới cột Nam hoặc Nữ)"),
}

DATA_ROWS = 200  # rows prepared below the header (formats, borders, the sex drop-down)
_FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)

_SNV_COLUMNS = [  # (header, width, text format)
    ("STT", 6, False), ("Họ và tên", 28, False), ("Ngày sinh", 13, False), ("Giới tính", 10, False),
    ("Dân tộc", 10, False), ("Chức vụ", 24, False), ("Đơn vị công tác", 32, False),
    ("Số điện thoại", 15, True), ("Email", 26, False), ("Số CCCD", 16, True), ("Ghi chú", 18, False),
]
_HLHPN_COLUMNS = [  # the two-level header: "Năm sinh" over Nam | Nữ
    ("TT", 6, False), ("Họ và tên", 28, False), ("Nam", 8, False), ("Nữ", 8, False), ("Dân tộc", 10, False),
    ("Chức vụ, đơn vị", 40, False), ("SĐT", 15, True), ("Email", 26, False), ("Ghi chú", 18, False),
]


def template_workbook(shape: str) -> bytes:
    if shape not in LIST_SHAPES:
        raise ValueError(f"unknown list shape {shape!r}; known: {', '.join(LIST_SHAPES)}")
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    if shape == "snv":
        columns, agency = _SNV_COLUMNS, ("UBND TỈNH ............", "SỞ NỘI VỤ")
        title = "DANH SÁCH CÁN BỘ NỮ THAM GIA LỚP TẬP HUẤN"
        subtitle = "(Kèm theo Công văn số ......../SNV-TCBC ngày ..../..../........ của Sở Nội vụ)"
    else:
        columns, agency = _HLHPN_COLUMNS, ("HỘI LHPN TỈNH ............", "BAN THƯỜNG VỤ")
        title = "DANH SÁCH CÁN BỘ NỮ ĐĂNG KÝ THAM GIA LỚP TẬP HUẤN"
        subtitle = "(Kèm theo Công văn số ......../HPN-TG ngày ..../..../........ của Hội LHPN tỉnh)"
    last = len(columns)
    _title_block(sheet, agency, title, subtitle, last)

    header_row = 7
    if shape == "snv":
        for c, (text, _, _) in enumerate(columns, start=1):
            _header_cell(sheet, header_row, c, text)
        for c in range(1, last + 1):  # the row of column numbers that official lists carry
            cell = sheet.cell(header_row + 1, c, f"({c})")
            cell.font, cell.alignment, cell.border = Font(name=_FONT, size=11, italic=True), _CENTRE, _BOX
        first_data = header_row + 2
    else:
        for c, (text, _, _) in enumerate(columns, start=1):
            if text in ("Nam", "Nữ"):
                _header_cell(sheet, header_row + 1, c, text)
            else:
                _header_cell(sheet, header_row, c, text)
                _header_cell(sheet, header_row + 1, c, None)
                sheet.merge_cells(start_row=header_row, start_column=c, end_row=header_row + 1, end_column=c)
        _header_cell(sheet, header_row, 3, "Năm sinh")
        _header_cell(sheet, header_row, 4, None)
        sheet.merge_cells(start_row=header_row, start_column=3, end_row=header_row, end_column=4)
        first_data = header_row + 2

    for c, (_, width, as_text) in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(c)].width = width
        for r in range(first_data, first_data + DATA_ROWS):
            cell = sheet.cell(r, c)
            cell.border, cell.font = _BOX, Font(name=_FONT, size=12)
            if as_text:
                cell.number_format = "@"  # keeps the leading 0 of phone and CCCD numbers
    if shape == "snv":
        sexes = DataValidation(type="list", formula1='"Nữ,Nam"', allow_blank=True)
        sexes.error, sexes.errorTitle = "Ghi Nam hoặc Nữ", "Giới tính"
        sheet.add_data_validation(sexes)
        sexes.add(f"D{first_data}:D{first_data + DATA_ROWS - 1}")
        for r in range(first_data, first_data + DATA_ROWS):
            sheet.cell(r, 3).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = sheet.cell(first_data, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letter(c: int) -> str:
    return get_column_letter(c)


def _title_block(sheet, agency: tuple[str, str], title: str, subtitle: str, last: int) -> None:
    half = max(3, last // 2)
    lines = [(1, 1, agency[0], False), (2, 1, agency[1], True),
             (1, half + 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
             (2, half + 1, "Độc lập - Tự do - Hạnh phúc", True)]
    for row, column, text, bold in lines:
        end = half if column == 1 else last
        sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
        cell = sheet.cell(row, column, text)
        cell.font, cell.alignment = Font(name=_FONT, size=12, bold=bold), Alignment(horizontal="center")
    for row, text, font in ((4, title, Font(name=_FONT, size=14, bold=True)),
                            (5, subtitle, Font(name=_FONT, size=12, italic=True))):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = sheet.cell(row, 1, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center")


def _header_cell(sheet, row: int, column: int, text: str | None) -> None:
    cell = sheet.cell(row, column, text)
    cell.font, cell.alignment, cell.border = Font(name=_FONT, size=12, bold=True), _CENTRE, _BOX

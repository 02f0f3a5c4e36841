"""The roster as people download it, .xlsx (in the Sở Nội vụ list shape) and .csv, every cell defused."""
from __future__ import annotations

import csv
import io
from typing import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ...localtime import format_date
from ...models import TrainingClass
from ..core.exports import defuse
from .roster import RosterRow

STATUS_WORDS = {"nominated": "Được cử", "confirmed": "Đã xác nhận", "declined": "Không tham gia",
                "replaced": "Đã thay người", "waiting": "Danh sách chờ"}
SEX_WORDS = {"F": "Nữ", "M": "Nam"}
ROSTER_HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ", "Đơn vị công tác",
                 "Số điện thoại", "E-mail", "Số CCCD", "Đơn vị cử", "Trạng thái", "Ghi chú"]


def _roster_values(rows: Iterable[RosterRow]):
    for number, row in enumerate(rows, start=1):
        person, enrolment = row.enrolment.person, row.enrolment
        note = enrolment.status_note or ""
        if enrolment.status == "replaced" and enrolment.replaced_by:
            note = f"Thay bằng {enrolment.replaced_by.person.full_name}" + (f" ({note})" if note else "")
        born = format_date(person.birth_date) or (str(person.birth_year) if person.birth_year else "")
        yield [number, person.full_name, SEX_WORDS.get(person.sex, ""), born, person.ethnicity or "",
               person.position or "", person.unit_name or "",
               person.phone or "", person.email or "", person.id_number or "", ", ".join(row.agencies),
               STATUS_WORDS.get(enrolment.status, enrolment.status), note]


def roster_xlsx(cls: TrainingClass, rows: Iterable[RosterRow]) -> bytes:
    """The roster in the Sở Nội vụ list shape, so it can be imported again unchanged."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    bold = Font(bold=True)
    title = _cell(sheet, f"DANH SÁCH HỌC VIÊN {cls.code} — {cls.title}", bold)
    sheet.append([title])
    sheet.append([_cell(sheet, f"Kế hoạch {cls.plan.code}; thời gian: {cls.date_expression}", None)])
    sheet.append([])
    sheet.append([_cell(sheet, text, bold, wrap=True) for text in ROSTER_HEADER])
    for values in _roster_values(rows):
        # Phone and ID numbers stay text, so Excel keeps their leading zeros.
        sheet.append([defuse(v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, font, wrap=False):
    cell = WriteOnlyCell(sheet, value=defuse(value))
    if font:
        cell.font = font
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def roster_csv(rows: Iterable[RosterRow]) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROSTER_HEADER)
    for values in _roster_values(rows):
        writer.writerow([defuse(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

"""The audience-compliance spreadsheet (.xlsx); the plan summary report is an official document
(summary_document.py, written by bdgtrain.documents).

Written in the reader's language (Vietnamese by default) from the same `PlanOverview` the pages
show. Every text cell goes through exports.defuse, so a name typed as "=HYPERLINK(...)" stays text.
"""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ...i18n import translate
from ...localtime import format_date
from ...rules.compliance import Compliance, Tally
from ..core.exports import defuse
from .monitoring import PlanOverview

_BOLD = Font(bold=True)


class _Share(float):
    """A fraction the sheet keeps as a number and shows as a percentage (0.875 -> 87,5% in a Vietnamese Excel)."""


def _cell(sheet, value, bold=False, wrap=False):
    cell = WriteOnlyCell(sheet, value=defuse(value) if not isinstance(value, _Share) else float(value))
    if isinstance(value, _Share):
        cell.number_format = "0.0%"
    if bold:
        cell.font = _BOLD
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _percent(value: float | None):
    return _Share(value) if value is not None else "—"


def _state_word(state: str) -> str:
    return {"planned": _("Chưa học"), "in_progress": _("Đang học"), "held": _("Đã tổ chức"),
            "unrecorded": _("Chưa có điểm danh"), "cancelled": _("Đã hủy")}[state]


def _tally_header() -> list[str]:
    return [_("Được cử"), _("Có mặt"), _("Hoàn thành"), _("Đi muộn"), _("Vắng cả lớp"), _("Đúng thành phần"),
            _("Ngoài thành phần"), _("Tỷ lệ có mặt"), _("Tỷ lệ hoàn thành")]


def _tally_values(t: Tally) -> list:
    return [t.nominated, t.attended, t.completed, t.late, t.no_show, t.fit, t.outside,
            _percent(t.attendance_rate), _percent(t.completion_rate)]


def _title(sheet, *lines: str) -> None:
    for number, line in enumerate(lines):
        sheet.append([_cell(sheet, line, bold=number == 0)])
    sheet.append([])


def _table(sheet, header: list[str], rows) -> None:
    sheet.append([_cell(sheet, text, bold=True, wrap=True) for text in header])
    for values in rows:
        sheet.append([_cell(sheet, v) for v in values])
    sheet.append([])


def _class_rows(view: PlanOverview):
    for number, entry in enumerate(view.compliance.classes, start=1):
        facts, dates = entry.facts, view.dates.get(entry.facts.id)
        yield [number, facts.code, facts.title, _state_word(entry.state),
               format_date(dates.first) if dates else "", format_date(dates.last) if dates else "",
               *_tally_values(entry.tally), *([] if view.agency_only else [view.certificates.get(facts.id, 0)])]


def _class_header(view: PlanOverview) -> list[str]:
    return ["STT", _("Lớp"), _("Tên lớp"), _("Tình trạng"), _("Từ ngày"), _("Đến ngày"), *_tally_header(),
            *([] if view.agency_only else [_("Giấy chứng nhận đã cấp")])]


def _group_sheets(workbook, compliance: Compliance, title: str) -> None:
    for name, label, tallies in (("agency", _("Theo cơ quan cử"), compliance.by_agency),
                                 ("district", _("Theo huyện, đơn vị"), compliance.by_district)):
        sheet = workbook.create_sheet(label[:31])
        _title(sheet, f"{label} — {title}")
        _table(sheet, ["STT", _("Cơ quan cử") if name == "agency" else _("Huyện, đơn vị"), *_tally_header()],
               ([n, translate(t.name), *_tally_values(t)] for n, t in enumerate(tallies, start=1)))


def _people_rows(compliance: Compliance):
    """Every person outside the audience or absent, row by row: the file is complete, and written
    (write-only) without a second copy of the rows in memory."""
    for entry in compliance.classes:
        for item in entry.outside:
            yield [entry.facts.code, item.nominee.name, item.nominee.unit_name or "",
                   ", ".join(item.nominee.agencies), _("Ngoài thành phần"),
                   "; ".join(translate(w) for w in item.warnings)]
        for item in entry.no_shows:
            yield [entry.facts.code, item.nominee.name, item.nominee.unit_name or "",
                   ", ".join(item.nominee.agencies), _("Vắng cả lớp"), ""]


def _people_sheet(workbook, compliance: Compliance) -> None:
    sheet = workbook.create_sheet(_("Ngoài thành phần, vắng")[:31])
    _title(sheet, _("Học viên ngoài thành phần và học viên vắng cả lớp"))
    _table(sheet, [_("Lớp"), _("Họ và tên"), _("Đơn vị công tác"), _("Cơ quan cử"), _("Vấn đề"), _("Chi tiết")],
           _people_rows(compliance))


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def compliance_xlsx(view: PlanOverview) -> bytes:
    plan = view.plan
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Theo lớp"))
    _title(sheet, _("THÀNH PHẦN THAM DỰ CÁC LỚP TẬP HUẤN"), f"{plan.code} — {plan.title}")
    _table(sheet, _class_header(view), _class_rows(view))
    sheet.append([_cell(sheet, _("Tổng cộng"), bold=True),
                  *[_cell(sheet, v) for v in _tally_values(view.compliance.total)]])
    _group_sheets(workbook, view.compliance, plan.code)
    _people_sheet(workbook, view.compliance)
    return _save(workbook)

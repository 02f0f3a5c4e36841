"""The audience-compliance spreadsheet (.xlsx); the plan summary report is an official document
(summary_document.py, written by bdgtrain.documents).

Written in the reader's language (Vietnamese by default) from the same `PlanOverview` the pages
show, and streamed (services/core/xlsx_stream.py): the rows of the people sheet are written as they
are read from the overview. Every text cell is defused, so a name typed as "=HYPERLINK(...)" stays text.
"""
from __future__ import annotations

from itertools import chain
from typing import Iterator

from flask_babel import gettext as _

from ...i18n import translate
from ...localtime import format_date
from ...rules.compliance import Compliance, Tally
from ..core.xlsx_stream import Cell, Sheet, stream_xlsx
from .monitoring import PlanOverview


def _percent(value: float | None):
    """A rate kept as a number, shown as a percentage in the sheet."""
    return Cell(value, percent=True) if value is not None else "—"


def _state_word(state: str) -> str:
    return {"planned": _("Chưa học"), "in_progress": _("Đang học"), "held": _("Đã tổ chức"),
            "unrecorded": _("Chưa có điểm danh"), "cancelled": _("Đã hủy")}[state]


def _tally_header() -> list[str]:
    return [_("Được cử"), _("Có mặt"), _("Hoàn thành"), _("Đi muộn"), _("Vắng cả lớp"), _("Đúng thành phần"),
            _("Ngoài thành phần"), _("Tỷ lệ có mặt"), _("Tỷ lệ hoàn thành")]


def _tally_values(t: Tally) -> list:
    return [t.nominated, t.attended, t.completed, t.late, t.no_show, t.fit, t.outside,
            _percent(t.attendance_rate), _percent(t.completion_rate)]


def _titled(lines: list[str], header: list[str], rows) -> Iterator[list]:
    """A sheet's rows: its title lines (the first in bold), a blank row, the header in bold, the rows."""
    yield from ([Cell(line, bold=number == 0)] for number, line in enumerate(lines))
    yield []
    yield [Cell(text, bold=True, wrap=True) for text in header]
    yield from rows


def _class_rows(view: PlanOverview):
    for number, entry in enumerate(view.compliance.classes, start=1):
        facts, dates = entry.facts, view.dates.get(entry.facts.id)
        yield [number, facts.code, facts.title, _state_word(entry.state),
               format_date(dates.first) if dates else "", format_date(dates.last) if dates else "",
               *_tally_values(entry.tally), *([] if view.agency_only else [view.certificates.get(facts.id, 0)])]


def _class_header(view: PlanOverview) -> list[str]:
    return ["STT", _("Lớp"), _("Tên lớp"), _("Tình trạng"), _("Từ ngày"), _("Đến ngày"), *_tally_header(),
            *([] if view.agency_only else [_("Giấy chứng nhận đã cấp")])]


def _group_sheets(compliance: Compliance, title: str) -> list[Sheet]:
    sheets = []
    for name, label, tallies in (("agency", _("Theo cơ quan cử"), compliance.by_agency),
                                 ("district", _("Theo huyện, đơn vị"), compliance.by_district)):
        header = ["STT", _("Cơ quan cử") if name == "agency" else _("Huyện, đơn vị"), *_tally_header()]
        rows = ([n, translate(t.name), *_tally_values(t)] for n, t in enumerate(tallies, start=1))
        sheets.append(Sheet(label[:31], _titled([f"{label} — {title}"], header, rows)))
    return sheets


def _people_rows(compliance: Compliance):
    """Every person outside the audience or absent, row by row: the file is complete, and written
    as it is sent, without a second copy of the rows in memory."""
    for entry in compliance.classes:
        for item in entry.outside:
            yield [entry.facts.code, item.nominee.name, item.nominee.unit_name or "",
                   ", ".join(item.nominee.agencies), _("Ngoài thành phần"),
                   "; ".join(translate(w) for w in item.warnings)]
        for item in entry.no_shows:
            yield [entry.facts.code, item.nominee.name, item.nominee.unit_name or "",
                   ", ".join(item.nominee.agencies), _("Vắng cả lớp"), ""]


def compliance_xlsx(view: PlanOverview) -> Iterator[bytes]:
    """The .xlsx as chunks. What it needs of the plan is read now: the chunks are written after the
    request's view returned, when its database objects are gone; the overview itself is plain data."""
    plan_code, plan_title, compliance = view.plan.code, view.plan.title, view.compliance
    total = [Cell(_("Tổng cộng"), bold=True), *_tally_values(compliance.total)]
    classes = Sheet(_("Theo lớp"), _titled([_("THÀNH PHẦN THAM DỰ CÁC LỚP TẬP HUẤN"), f"{plan_code} — {plan_title}"],
                                          _class_header(view), chain(_class_rows(view), [[], total])))
    people = Sheet(_("Ngoài thành phần, vắng")[:31],
                   _titled([_("Học viên ngoài thành phần và học viên vắng cả lớp")],
                           [_("Lớp"), _("Họ và tên"), _("Đơn vị công tác"), _("Cơ quan cử"), _("Vấn đề"),
                            _("Chi tiết")], _people_rows(compliance)))
    return stream_xlsx([classes, *_group_sheets(compliance, plan_code), people])

"""The monitoring spreadsheets: audience compliance, and the plan summary report, as .xlsx.

Written in the reader's language (Vietnamese by default) from the same `PlanOverview` the pages
show. Every text cell goes through exports.defuse, so a name typed as "=HYPERLINK(...)" stays text.
"""
from __future__ import annotations

import io
from datetime import date

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


def _cell(sheet, value, bold=False, wrap=False):
    cell = WriteOnlyCell(sheet, value=defuse(value))
    if bold:
        cell.font = _BOLD
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _percent(value: float | None):
    return round(value * 100, 1) if value is not None else "—"


def _state_word(state: str) -> str:
    return {"planned": _("Chưa học"), "in_progress": _("Đang học"), "held": _("Đã tổ chức"),
            "unrecorded": _("Chưa có điểm danh"), "cancelled": _("Đã hủy")}[state]


def _tally_header() -> list[str]:
    return [_("Được cử"), _("Có mặt"), _("Hoàn thành"), _("Đi muộn"), _("Vắng cả lớp"), _("Đúng thành phần"),
            _("Ngoài thành phần"), _("Tỷ lệ có mặt") + " (%)", _("Tỷ lệ hoàn thành") + " (%)"]


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


def _people_sheet(workbook, compliance: Compliance) -> None:
    sheet = workbook.create_sheet(_("Ngoài thành phần, vắng")[:31])
    _title(sheet, _("Học viên ngoài thành phần và học viên vắng cả lớp"))
    rows = []
    for entry in compliance.classes:
        for item in entry.outside:
            rows.append([entry.facts.code, item.nominee.name, item.nominee.unit_name or "",
                         ", ".join(item.nominee.agencies), _("Ngoài thành phần"),
                         "; ".join(translate(w) for w in item.warnings)])
        for item in entry.no_shows:
            rows.append([entry.facts.code, item.nominee.name, item.nominee.unit_name or "",
                         ", ".join(item.nominee.agencies), _("Vắng cả lớp"), ""])
    _table(sheet, [_("Lớp"), _("Họ và tên"), _("Đơn vị công tác"), _("Cơ quan cử"), _("Vấn đề"), _("Chi tiết")],
           rows)


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


def _share(value):
    return _percent(value) if value is not None else "—"


def _evaluation_rows(sheet, evaluation) -> None:
    """Section 4: responses and mean scores per class and over the plan (the feedback results)."""
    scale = [q for q in evaluation.config.questions if q.kind == "scale"]
    sheet.append([_cell(sheet, _("4. Đánh giá của học viên"), bold=True)])
    sheet.append([_cell(sheet, _("Tổng số phiếu đánh giá: %(n)s.", n=evaluation.responses) + " "
                        + _("Điểm trung bình trên thang 1-5."))])
    quiz = bool(evaluation.config.quiz)
    header = ([_("Lớp"), _("Số phiếu"), _("Được cử"), *(q.text for q in scale)]
              + ([_("Mức tăng kiến thức")] if quiz else []))
    rows = []
    for cls in evaluation.classes:
        summary = evaluation.by_class[cls.id]
        rows.append([cls.code, summary.responses, evaluation.enrolled.get(cls.id, 0),
                     *(_rounded(summary.average(q.key)) for q in scale)]
                    + ([_rounded(summary.gain * 100 if summary.gain is not None else None)] if quiz else []))
    rows.append([_("Cả kế hoạch"), evaluation.responses, sum(evaluation.enrolled.values()),
                 *(_rounded(evaluation.averages.get(q.key)) for q in scale)] + ([None] if quiz else []))
    _table(sheet, header, rows)
    withheld = [evaluation.by_class[c.id] for c in evaluation.classes if evaluation.by_class[c.id].withheld]
    if withheld:
        sheet.append([_cell(sheet, _("Lớp có dưới %(n)s phiếu: điểm được ẩn để giữ ẩn danh.",
                                     n=withheld[0].shown_from))])


def _rounded(value: float | None):
    return round(value, 2) if value is not None else None


def summary_xlsx(view: PlanOverview, place: str, day: date, header: dict[str, str]) -> bytes:
    """The plan summary report: the official header block, then one table per source."""
    plan = view.plan
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Báo cáo"))
    for left, right in ((header["superior"], header["republic"]), (header["body"], header["motto"]),
                        ("", _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s", place=place,
                                day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year))):
        sheet.append([_cell(sheet, left, bold=True), None, None, None, _cell(sheet, right, bold=True)])
    sheet.append([])
    sheet.append([_cell(sheet, header["title"], bold=True)])
    sheet.append([_cell(sheet, f"{plan.number} — {plan.title}", wrap=False)])
    sheet.append([])
    compliance = view.compliance
    sheet.append([_cell(sheet, _("1. Các lớp đã tổ chức"), bold=True)])
    sheet.append([_cell(sheet, _("Theo kế hoạch: %(planned)s lớp; đã tổ chức: %(held)s; đã hủy: %(cancelled)s.",
                                 planned=compliance.planned, held=compliance.held, cancelled=compliance.cancelled))])
    if compliance.unrecorded:
        sheet.append([_cell(sheet, _("%(num)s lớp đã qua ngày học nhưng chưa có điểm danh nào.",
                                     num=compliance.unrecorded))])
    _table(sheet, _class_header(view), _class_rows(view))
    sheet.append([_cell(sheet, _("2. Thành phần tham dự") + " — " + _("Theo cơ quan cử"), bold=True)])
    _table(sheet, [_("Cơ quan cử"), *_tally_header()],
           ([translate(t.name), *_tally_values(t)] for t in compliance.by_agency))
    sheet.append([_cell(sheet, _("2. Thành phần tham dự") + " — " + _("Theo huyện, đơn vị"), bold=True)])
    _table(sheet, [_("Huyện, đơn vị"), *_tally_header()],
           ([translate(t.name), *_tally_values(t)] for t in compliance.by_district))
    sheet.append([_cell(sheet, _("3. Giấy chứng nhận"), bold=True)])
    sheet.append([_cell(sheet, _("Đã cấp %(num)s giấy chứng nhận còn hiệu lực.", num=view.certificates_issued))])
    sheet.append([])
    if view.evaluation is not None:
        _evaluation_rows(sheet, view.evaluation)
    sheet.append([_cell(sheet, _("5. Tỷ lệ nữ trong diện quy hoạch đã được tập huấn (đến ngày %(day)s)",
                                 day=format_date(view.trained_share_as_of)), bold=True)])
    _table(sheet, [_("Đơn vị"), _("Nữ đã tập huấn"), _("Nữ trong quy hoạch"), _("Tỷ lệ đã tập huấn") + " (%)",
                   _("Nữ chưa tập huấn"), _("Chỉ tiêu")],
           ([("  " * row["depth"]) + row["name"], row["trained"], row["women"], _share(row["trained_share"]),
             row["untrained"], _share(row["target"])] for row in view.trained_share))
    _group_sheets(workbook, compliance, plan.code)
    _people_sheet(workbook, compliance)
    return _save(workbook)

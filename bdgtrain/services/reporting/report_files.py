"""Periodic reports as files: the .xlsx with the official header block, in Vietnamese (an official
document's shape, like the roster export), drawn from the figures a report kept, never recomputed."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ...localtime import format_date
from ...models import PeriodicReport
from ...rules import numbers
from ..core.exports import defuse

NATIONAL_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
STATUS_WORDS = {"met": "Đạt", "on_track": "Đúng tiến độ", "behind": "Chậm tiến độ", "no_figure": "Chưa có số liệu",
                None: "—"}
PROVINCE = "Toàn tỉnh"
MEASURE_WORDS = {
    "trained_share": "Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn",
    "women_pool_share": "Tỷ lệ cán bộ nữ trong diện quy hoạch",
    "women_leader_units": "Tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ",
    "women_sent_share": "Tỷ lệ nữ trong tổng số cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng trong năm",
    "women_committee_share": "Tỷ lệ nữ tham gia cấp ủy Đảng",
    "women_masters_places_share": "Tỷ lệ nữ trong số người được cử đi đào tạo thạc sĩ",
    "women_masters_share": "Tỷ lệ nữ trong số người có học vị thạc sĩ",
    "women_doctorates_share": "Tỷ lệ nữ trong số người có học vị tiến sĩ",
    "specialised_trained_share": "Tỷ lệ cán bộ chuyên trách được bồi dưỡng nâng cao năng lực",
    "dtts_women": "Cán bộ nữ người dân tộc thiểu số trong diện quy hoạch được đào tạo, tập huấn",
    "dtts_women_staff": "Tỷ lệ nữ người dân tộc thiểu số trong số cán bộ nữ",
    # reports generated before issue 18 (women sent / women staff) read as they were
    "women_staff_trained": "Tỷ lệ nữ cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng trong năm",
}



def window_phrase(figures: dict) -> str:
    """Which training the kept figures count, in the words the report prints."""
    window = figures.get("window")
    if isinstance(window, list):
        start, end = (date.fromisoformat(day) for day in window)
        return (f"Tính các khóa đào tạo, tập huấn từ {format_date(start)} đến {format_date(end)} "
                "(thời kỳ tính của chỉ tiêu).")
    return "Tính các khóa đào tạo, tập huấn trong nhiệm kỳ quy hoạch của từng người."

def percent_text(share: float | None) -> str:
    return numbers.percent(share)


def figure_lines(figures: dict) -> list[dict]:
    """The rows a report shows: its unit's subtree (or every unit), then the province when it covers all."""
    rows = list(figures["rows"])
    return rows if figures.get("unit") else rows + [dict(figures["total"], name=PROVINCE)]


def _append_indicators(sheet, f: dict) -> None:
    """Section IV: the seeds' other indicators the report kept (none in reports made before issue 18)."""
    indicators = f.get("indicators")
    if not indicators:
        return
    sheet.append([])
    sheet.append([f"IV. CÁC CHỈ TIÊU KHÁC (SỐ LIỆU CÁN BỘ NĂM {indicators['year']})"])
    sheet.append(["Chỉ tiêu", "Số liệu", "Tỷ lệ", "Chỉ tiêu", "Đánh giá", "Căn cứ"])
    for i in indicators["rows"]:
        sheet.append([MEASURE_WORDS.get(i["measure"], i["measure"]),
                      f"{i['part']}/{i['whole']}" if i["whole"] else "—", percent_text(i["value"]),
                      percent_text(i["target"]), STATUS_WORDS.get(i["status"], "—"), i.get("seed") or ""])


def report_xlsx(report: PeriodicReport) -> bytes:
    f = report.figures
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    bold, centre = Font(bold=True), Alignment(horizontal="center", wrap_text=True)
    sheet.append([f.get("parent_body") or "", None, None, None, NATIONAL_MOTTO[0]])
    sheet.append([f["issuing_body"], None, None, None, NATIONAL_MOTTO[1]])
    sheet.append([f"Số: {report.number}", None, None, None,
                  f"{report.place}, ngày {report.issued_on.day:02d} tháng {report.issued_on.month:02d} "
                  f"năm {report.issued_on.year}"])
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = bold
    sheet.append([])
    sheet.append([report.label.upper()])
    sheet.append([f"Kế hoạch {f['plan']['number']} ({f['plan']['code']}); kỳ báo cáo từ "
                  f"{format_date(report.period_start)} đến {format_date(report.period_end)}; số liệu tính đến "
                  f"{format_date(report.as_of)}" + (f"; đơn vị: {f['unit']['name']}" if f.get("unit") else "")])
    sheet["A5"].font = bold
    sheet["A5"].alignment = centre
    sheet.append([window_phrase(f)])
    sheet.append(["I. TỶ LỆ CÁN BỘ NỮ TRONG DIỆN QUY HOẠCH ĐƯỢC ĐÀO TẠO, TẬP HUẤN"])
    sheet.append(["Đơn vị", "Đã tập huấn", "Nữ trong diện QH", "Tỷ lệ", "Chỉ tiêu", "Đánh giá",
                  "Tổng diện QH", "Tỷ lệ nữ", "Chỉ tiêu tỷ lệ nữ", "Đánh giá tỷ lệ nữ", "Nữ dự chưa đủ"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in figure_lines(f):
        sheet.append([defuse("  " * row.get("depth", 0) + row["name"]), row["trained"], row["women"],
                      percent_text(row["trained_share"]), percent_text(row["target"]),
                      STATUS_WORDS.get(row["status"], "—"), row["pool"], percent_text(row["women_share"]),
                      percent_text(row.get("women_target")), STATUS_WORDS.get(row.get("women_status"), "—"),
                      row.get("partial", "—")])
    sheet.append([])
    sheet.append(["II. CHỈ TIÊU CỦA KẾ HOẠCH"])
    sheet.append(["Chỉ tiêu", "Giá trị", "Thời hạn", "Phạm vi", "Thời kỳ tính"])
    for t in f["targets"]:
        window = t.get("window")
        sheet.append([MEASURE_WORDS.get(t["measure"], t["measure"]), numbers.percent_value(t["value"]),
                      format_date(date.fromisoformat(t["deadline"])),
                      defuse(t["scope"] or "Tất cả đơn vị"),
                      " - ".join(format_date(date.fromisoformat(d)) for d in window) if window else ""])
    sheet.append([])
    sheet.append(["III. CÁC LỚP TẬP HUẤN ĐÃ TỔ CHỨC TRONG KỲ"])
    sheet.append(["Mã lớp", "Tên lớp", "Từ ngày", "Đến ngày", "Số buổi", "Được cử", "Có mặt", "Hoàn thành",
                  "Tỷ lệ nữ", "Tỷ lệ DTTS"])
    for c in f["classes"]:
        sheet.append([defuse(c["code"]), defuse(c["title"]), format_date(date.fromisoformat(c["from"])),
                      format_date(date.fromisoformat(c["to"])), c["sessions"], c["enrolled"], c["attended"],
                      c["completed"], percent_text(c["women_share"]), percent_text(c["dtts_share"])])
    _append_indicators(sheet, f)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

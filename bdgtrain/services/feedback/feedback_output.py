"""Feedback results leaving the app: server-side SVG charts (no JavaScript, no CDN) and the .xlsx export.

Every text that reaches an SVG is escaped; every text cell of the workbook goes through
exports.defuse, so an answer starting with "=" cannot run as a formula.
"""
from __future__ import annotations

import io

from markupsafe import Markup, escape
from openpyxl import Workbook
from openpyxl.styles import Font

from ...localtime import format_date
from ...models.base import utcnow
from ...rules import numbers
from ...rules.feedback import SCALE, SCALE_VALUES, FeedbackSummary, QuestionSummary
from ..core.exports import defuse

BAR_WIDTH = 240  # px of the longest bar


def distribution_svg(summary: QuestionSummary, title: str) -> Markup:
    """A horizontal bar per score 1..5, with its count; accessible through <title> and a text fallback."""
    counts = [summary.distribution.get(v, 0) for v in SCALE_VALUES]
    top = max(counts) or 1
    row, width = 26, 40 + BAR_WIDTH + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {row * 5 + 8}" '
             f'role="img" aria-labelledby="t"><title>{escape(title)}</title>']
    for i, (value, count) in enumerate(zip(SCALE_VALUES, counts)):
        y = 4 + i * row
        length = round(BAR_WIDTH * count / top)
        parts.append(f'<text class="chart-label" x="8" y="{y + 17}">{value}</text>'
                     f'<rect class="chart-bar chart-bar-{value}" x="32" y="{y + 3}" width="{length}" height="18"/>'
                     f'<text class="chart-count" x="{38 + length}" y="{y + 17}">{count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def averages_svg(labels: list[str], averages: list[float | None], title: str) -> Markup:
    """One bar per class (or question): its average on the 1-5 scale."""
    row, label_width = 26, 110
    width = label_width + BAR_WIDTH + 60
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
             f'viewBox="0 0 {width} {row * max(len(labels), 1) + 8}" '
             f'role="img"><title>{escape(title)}</title>']
    for i, (label, average) in enumerate(zip(labels, averages)):
        y = 4 + i * row
        length = round(BAR_WIDTH * (average or 0) / 5)
        shown = numbers.points(average)
        parts.append(f'<text class="chart-label" x="4" y="{y + 17}">{escape(label[:14])}</text>'
                     f'<rect class="chart-bar" x="{label_width}" y="{y + 3}" width="{length}" height="18"/>'
                     f'<text class="chart-count" x="{label_width + 6 + length}" y="{y + 17}">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# The cells keep the unrounded figures and show them through a number format, as Excel rounds (half-up):
# scores 4.25, shares of correct answers 87.5%, the change in points of percent +12.5.
SCORE_FORMAT, SHARE_FORMAT, CHANGE_FORMAT = "0.00", "0.0%", "+0.0;-0.0;0.0"


def _formats(cells, formats: list[str | None]) -> None:
    for cell, number_format in zip(cells, formats):
        if number_format and isinstance(cell.value, (int, float)):
            cell.number_format = number_format


def _withheld_note(summary: FeedbackSummary) -> str | None:
    if summary.withheld:
        return f"Ẩn điểm và ý kiến: dưới {summary.shown_from} phiếu, để giữ ẩn danh"
    if summary.quiz_withheld:
        return f"Ẩn kết quả kiểm tra: dưới {summary.shown_from} bài, để giữ ẩn danh"
    return None


def results_xlsx(plan, rows: list[tuple[object, FeedbackSummary, int]], named: dict[int, list] | None = None) -> bytes:
    """Three sheets: a summary per class, the 1-5 distributions, the free-text answers.

    `rows` are (class, summary, enrolled). The free texts keep the box's shuffled order; names appear
    only when `named` is given (a plan that asked for named answers).
    """
    workbook = Workbook()
    bold = Font(bold=True)
    summary_sheet = workbook.active
    summary_sheet.title = "Tổng hợp"
    summary_sheet.append([defuse(f"KẾT QUẢ ĐÁNH GIÁ LỚP TẬP HUẤN — Kế hoạch {plan.code}")])
    summary_sheet["A1"].font = bold
    summary_sheet.append([defuse(plan.title)])
    summary_sheet.append([f"Xuất ngày {format_date(utcnow())}"])
    summary_sheet.append([])
    questions = rows[0][1].questions if rows else []
    scale = [q for q in questions if q.question.kind == SCALE]
    header = ["STT", "Lớp", "Tên lớp", "Số học viên", "Số phiếu"] + [defuse(q.question.text) for q in scale] + \
        ["Kiểm tra đầu khóa (% đúng)", "Kiểm tra cuối khóa (% đúng)", "Mức tăng (điểm %)", "Ghi chú"]
    summary_sheet.append(header)
    for cell in summary_sheet[5]:
        cell.font = bold
    for number, (cls, summary, enrolled) in enumerate(rows, start=1):
        by_key = {q.question.key: q for q in summary.questions}
        summary_sheet.append(
            [number, defuse(cls.code), defuse(cls.title), enrolled, summary.responses]
            + [by_key[q.question.key].average for q in scale]
            + [summary.pre_average, summary.post_average, None if summary.gain is None else summary.gain * 100,
               _withheld_note(summary)])
        _formats(summary_sheet[summary_sheet.max_row],
                 [None] * 5 + [SCORE_FORMAT] * len(scale) + [SHARE_FORMAT, SHARE_FORMAT, CHANGE_FORMAT])

    distribution = workbook.create_sheet("Phân bố điểm")
    distribution.append(["Lớp", "Câu hỏi"] + [f"Mức {v}" for v in SCALE_VALUES] + ["Số trả lời", "Trung bình"])
    for cell in distribution[1]:
        cell.font = bold
    for cls, summary, _enrolled in rows:
        for q in summary.questions:
            if q.question.kind == SCALE and not summary.withheld:
                distribution.append([defuse(cls.code), defuse(q.question.text)]
                                    + [q.distribution.get(v, 0) for v in SCALE_VALUES]
                                    + [q.answered, q.average])
                distribution.cell(distribution.max_row, len(SCALE_VALUES) + 4).number_format = SCORE_FORMAT

    texts = workbook.create_sheet("Ý kiến")
    texts.append(["Lớp", "Câu hỏi", "Ý kiến"] + (["Người trả lời"] if named else []))
    for cell in texts[1]:
        cell.font = bold
    for cls, summary, _enrolled in rows:
        if named:
            for name, entry in named.get(cls.id, []):
                for q in summary.questions:
                    value = (entry.get("a") or {}).get(q.question.key)
                    if q.question.kind != SCALE and value:
                        texts.append([defuse(cls.code), defuse(q.question.text), defuse(str(value)), defuse(name)])
            continue
        for q in summary.questions:
            for text in q.texts:
                texts.append([defuse(cls.code), defuse(q.question.text), defuse(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

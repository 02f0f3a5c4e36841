"""Reading a Kế hoạch (a Vietnamese administrative plan) from its plain text: pure rules, no clock.

What is read, each part with the sentence it came from (`source`):
- the title (the line after "KẾ HOẠCH", or the "V/v ..." subject of a letter), the number ("Số: 110/KH-SNV"),
  the day of issue ("Thanh Hoá, ngày 04 tháng 3 năm 2019"), the issuing body (the header above "CỘNG HÒA
  ...", or "<body> ban hành / xây dựng Kế hoạch" in the preamble), the period ("giai đoạn 2021 - 2030" or
  "năm 2019" in the title);
- classes: a line starting "Lớp tập huấn 1" / "Lớp 2" (after any numbering), then its labelled fields,
  on their own lines or inline: "Nội dung:", "Thành phần (tham gia):" / "Đối tượng:", "Thời gian:"
  (rules/dates.find_date_phrase; "Dự kiến" makes the class tentative), "Địa điểm:";
- the plan's venue (a heading "Địa điểm ..." and its paragraph) and trainers (a heading "Giảng viên ..."
  and its bullets: "Tiến sĩ Đặng Ngọc Toàn, Chuyên gia ...");
- from the assignments section ("PHÂN CÔNG THỰC HIỆN" / "TỔ CHỨC THỰC HIỆN"), the organiser (the unit
  called "thường trực", or the one that prepares the hall / invites the trainers) and the suppliers of
  lists ("Sở Nội vụ chủ trì, phối hợp với Hội Liên hiệp phụ nữ tỉnh cung cấp danh sách ...");
- targets: every "N%" in a sentence ("đạt 75% vào năm 2025 và đạt 90% vào năm 2030" is two), with its
  share as a fraction, its year, whether it is a floor ("ít nhất", "tối thiểu", "trở lên", "hơn"), the
  sentence's subject and, when the subject says it plainly, the measure it sets (docs/MEASURES.md);
- report deadlines ("báo cáo 6 tháng trước ngày 25/5", "báo cáo cuối năm gửi trước ngày 01 tháng 11");
- recipients (the bullets under "Nơi nhận:", "Như trên" replaced by the "Kính gửi" list, not "Lưu").

What is not understood is listed in `unrecognised` (a missing field, a bullet that names no trainer, a
report with no day); what is wrong (a day that does not exist, a share over 100%) is in `errors`, and a
reading with errors must not become a plan.

The reading is split by part: text (lines, markers, sections), header, classes (with the venue and the
trainers), assignments, targets, deadlines (and recipients); readings holds what each gives back.
"""
from __future__ import annotations

from ...messages import Message
from .assignments import read_assignments
from .classes import read_classes, read_trainers, read_venue
from .deadlines import read_deadlines, read_recipients
from .header import read_header
from .readings import Note, PlanReading
from .targets import guess_measure, read_targets
from .text import text_lines, tidy

__all__ = ["MAX_TEXT_CHARS", "PlanReading", "guess_measure", "read_plan_text"]

MAX_TEXT_CHARS = 400_000  # a long plan is 30,000 characters; a book is not a plan


def read_plan_text(text: str) -> PlanReading:
    """Everything this reader recognises in the plain text of a Kế hoạch."""
    reading = PlanReading()
    text = tidy(text or "")
    if len(text) > MAX_TEXT_CHARS:
        reading.errors.append(Note("text.too_long", Message(
            "Văn bản quá dài (%(num)s ký tự, tối đa %(max)s): đây không giống một kế hoạch.",
            num=len(text), max=MAX_TEXT_CHARS)))
        return reading
    lines = text_lines(text)
    if not lines:
        reading.errors.append(Note("text.empty", Message("Văn bản không có chữ nào để đọc.")))
        return reading
    read_header(lines, reading)
    used = read_classes(lines, reading)
    read_venue(lines, reading, used)
    read_trainers(lines, reading, used)
    read_assignments(lines, reading)
    read_targets(lines, reading)
    read_deadlines(lines, reading)
    read_recipients(lines, reading)
    if not (reading.title or reading.classes or reading.targets or reading.report_deadlines):
        reading.errors.append(Note("text.not_a_plan", Message(
            "Không nhận ra đây là một kế hoạch: không thấy tên kế hoạch (dòng “KẾ HOẠCH”), lớp tập huấn, "
            "chỉ tiêu hay hạn báo cáo nào.")))
        return reading
    _list_missing(reading)
    return reading


def _list_missing(reading: PlanReading) -> None:
    for value, code, message in (
            (reading.title, "plan.no_title", Message("Không thấy tên kế hoạch.")),
            (reading.number, "plan.no_number", Message("Không thấy số hiệu kế hoạch (hoặc số còn để trống).")),
            (reading.issued_on, "plan.no_issued_on", Message("Không thấy ngày ban hành đầy đủ.")),
            (reading.issuing_body, "plan.no_issuing_body", Message("Không thấy cơ quan ban hành.")),
            (reading.organiser, "plan.no_organiser", Message("Không thấy đơn vị chủ trì tổ chức (thường trực).")),
    ):
        if value is None:
            reading.unrecognised.append(Note(code, message))
    for cls in reading.classes:
        for value, what in ((cls.content, Message("nội dung")), (cls.audience, Message("thành phần")),
                            (cls.venue or reading.venue, Message("địa điểm"))):
            if value is None:
                reading.unrecognised.append(Note("class.field_missing", Message(
                    "%(name)s: không thấy %(what)s.", name=cls.name, what=what), cls.source))
    for target in reading.targets:
        if target.measure is None:
            reading.unrecognised.append(Note("target.measure_unknown", Message(
                "Chỉ tiêu “%(text)s”: không rõ thuộc thước đo nào, hãy chọn khi xem lại.", text=target.text),
                target.source))

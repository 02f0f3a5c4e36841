"""The plan summary report as an official document (Decree 30/2020/NĐ-CP): header, body, signer, recipients.

Built from the same `PlanOverview` the summary page shows, so the page, the .docx, the PDF and the .xlsx
say the same thing: the classes held and cancelled, who took part by agency and by district, the
certificates, the participants' evaluation, the trained share. The text is the official Vietnamese of a
document sent to other agencies, whatever the reader's language (like services/reporting/report_files.py).

The document leaves the organiser: it counts people and never names them. The page may list the no-shows
and the people outside a class's audience for the monitor (templates/monitoring/_tables.html,
people_lists); this module must not, not even in a table note.
"""
from __future__ import annotations

from datetime import date

from ...documents.model import Block, Column, Document, Heading, Paragraph, Signature, Table
from ...localtime import format_date
from ...rules import numbers
from ...rules.compliance import Tally
from ...rules.official_documents import recipient_lines
from ..planning.document_settings import DocumentDefaults, document_defaults, document_header, signature_of
from .monitoring import PlanOverview

KIND = "BÁO CÁO"
# The usual draft number: the clerk writes the number in the gap when the document is registered.
NUMBER_GAP = "      "
DEFAULT_RECIPIENTS = ("Ban Vì sự tiến bộ của phụ nữ tỉnh (để báo cáo);", "Lưu: VT.")
STATES = {"planned": "Chưa học", "in_progress": "Đang học", "held": "Đã tổ chức",
          "unrecorded": "Chưa có điểm danh", "cancelled": "Đã hủy"}
TALLY_COLUMNS = (Column("Được cử", "int", 9), Column("Có mặt", "int", 9), Column("Hoàn thành", "int", 10),
                 Column("Đi muộn", "int", 9), Column("Vắng cả lớp", "int", 9), Column("Đúng thành phần", "int", 10),
                 Column("Ngoài thành phần", "int", 10), Column("Tỷ lệ có mặt", "percent", 10),
                 Column("Tỷ lệ hoàn thành", "percent", 10))


def default_number(defaults: DocumentDefaults) -> str:
    """"      /BC-SNV": an unnumbered draft with the organisation's symbol for reports (the whole part after
    the "/", as the defaults page asks for it), else plain "BC"."""
    return f"{NUMBER_GAP}/{defaults.number_suffix.strip() or 'BC'}"


def summary_signature(defaults: DocumentDefaults) -> Signature | None:
    """The organiser's saved signer, or None: the page then asks for one to be saved."""
    if not defaults.has_signer:
        return None
    return signature_of(defaults.signer_authority, defaults.signer_title, defaults.signer_name)


def summary_document(view: PlanOverview, place: str, day: date, number: str | None = None, *,
                     with_body: bool = True) -> Document:
    """The plan summary report of `view`'s plan, dated `place`, `day`; numbered `number` or a draft number.
    Without `with_body`, its frame only (header, signature, recipients): the page draws the sections from
    `view` itself, and the body of 200 classes cost it ~20 ms for nothing."""
    plan = view.plan
    org = plan.organiser_org
    defaults = document_defaults(org)
    header = document_header(org, number or default_number(defaults), place, day)
    summary = f"Kết quả tổ chức các lớp tập huấn thuộc Kế hoạch {plan.number or plan.code}"
    return Document(header=header, kind=KIND, summary=summary, body=tuple(summary_body(view)) if with_body else (),
                    signature=summary_signature(defaults),
                    recipients=recipient_lines(defaults.recipients) or DEFAULT_RECIPIENTS,
                    meta={"subject": f"{plan.code} — {plan.title}"},
                    landscape=True)  # its tables run to 13 columns: legible only across the page


def summary_body(view: PlanOverview) -> list[Block]:
    """The sections, numbered in order (the evaluation's only when the plan has one)."""
    sections = [("Các lớp đã tổ chức", _classes), ("Thành phần tham dự", _participants),
                ("Giấy chứng nhận", _certificates)]
    if view.evaluation is not None:
        sections.append(("Đánh giá của học viên", _evaluation))
    sections.append(("Tỷ lệ nữ trong diện quy hoạch đã được tập huấn", _trained_share))
    plan = view.plan
    blocks: list[Block] = [Paragraph(f"Thực hiện {plan.number or plan.code}: {plan.title}.")]
    for number, (title, section) in enumerate(sections, start=1):
        blocks.append(Heading(f"{number}. {title}", level=2))
        blocks.extend(section(view))
    return blocks


def _tally_cells(tally: Tally) -> tuple:
    return (tally.nominated, tally.attended, tally.completed, tally.late, tally.no_show, tally.fit, tally.outside,
            tally.attendance_rate, tally.completion_rate)


def _period(view: PlanOverview, class_id: int) -> str:
    dates = view.dates.get(class_id)
    if dates is None or dates.first is None:
        return ""
    first, last = format_date(dates.first), format_date(dates.last)
    return first if last in ("", first) else f"{first} – {last}"


def _classes(view: PlanOverview) -> list[Block]:
    compliance = view.compliance
    text = (f"Theo kế hoạch: {compliance.planned} lớp; đã tổ chức: {compliance.held}; "
            f"đã hủy: {compliance.cancelled}.")
    if compliance.unrecorded:
        text += f" {compliance.unrecorded} lớp đã qua ngày học nhưng chưa có điểm danh nào."
    blocks: list[Block] = [Paragraph(text)]
    if not compliance.classes:
        return blocks + [Paragraph("Kế hoạch chưa có lớp nào.")]
    certificates = not view.agency_only
    columns = (Column("STT", "int", 7), Column("Lớp", "text", 22), Column("Tình trạng", "text", 11),
               Column("Thời gian", "text", 13), *TALLY_COLUMNS,
               *((Column("Giấy chứng nhận", "int", 10),) if certificates else ()))
    rows = [(number, f"{entry.facts.code}: {entry.facts.title}", STATES[entry.state],
             _period(view, entry.facts.id), *_tally_cells(entry.tally),
             *((view.certificates.get(entry.facts.id, 0),) if certificates else ()))
            for number, entry in enumerate(compliance.classes, start=1)]
    rows.append(("", "Tổng cộng", "", "", *_tally_cells(compliance.total),
                 *((view.certificates_issued,) if certificates else ())))
    return blocks + [Table(columns, tuple(rows), total_row=True)]


def _group_table(tallies: list[Tally], heading: str) -> Table | Paragraph:
    if not tallies:
        return Paragraph("Chưa có học viên nào được cử.")
    columns = (Column("STT", "int", 7), Column(heading, "text", 30), *TALLY_COLUMNS)
    rows = tuple((number, str(tally.name), *_tally_cells(tally)) for number, tally in enumerate(tallies, start=1))
    return Table(columns, rows)


def _participants(view: PlanOverview) -> list[Block]:
    # Counts only: who came late, did not come or sat outside the audience is named on the page, never here.
    compliance = view.compliance
    return [Heading("Theo cơ quan cử", level=3),
            _group_table(compliance.by_agency, "Cơ quan cử"),
            Heading("Theo huyện, đơn vị", level=3),
            _group_table(compliance.by_district, "Huyện, đơn vị")]


def _certificates(view: PlanOverview) -> list[Block]:
    return [Paragraph(f"Đã cấp {numbers.integer(view.certificates_issued)} giấy chứng nhận còn hiệu lực.")]


def _evaluation(view: PlanOverview) -> list[Block]:
    evaluation = view.evaluation
    scale = [q for q in evaluation.config.questions if q.kind == "scale"]
    quiz = bool(evaluation.config.quiz)
    kind = "Phiếu ẩn danh." if evaluation.config.anonymous else "Phiếu có tên."
    blocks: list[Block] = [Paragraph(f"Tổng số phiếu đánh giá: {numbers.integer(evaluation.responses)}. {kind} "
                                     "Điểm trung bình trên thang 1-5.")]
    if not evaluation.classes:
        return blocks
    # The averages are scores on a 1-5 scale, not counts nor shares: "points", printed with two decimals
    columns = (Column("Lớp", "text", 14), Column("Số phiếu", "int", 9), Column("Được cử", "int", 9),
               *(Column(q.text, "points", 14) for q in scale),
               *((Column("Mức tăng kiến thức", "percent", 12),) if quiz else ()))
    rows = []
    for cls in evaluation.classes:
        result = evaluation.by_class[cls.id]
        rows.append((cls.code, result.responses, evaluation.enrolled.get(cls.id, 0),
                     *(result.average(q.key) for q in scale),
                     *((None if result.quiz_withheld else result.gain,) if quiz else ())))
    rows.append(("Cả kế hoạch", evaluation.responses, sum(evaluation.enrolled.values()),
                 *(evaluation.averages.get(q.key) for q in scale), *((None,) if quiz else ())))
    withheld = [evaluation.by_class[c.id] for c in evaluation.classes if evaluation.by_class[c.id].withheld]
    note = (f"Lớp có dưới {withheld[0].shown_from} phiếu: điểm được ẩn để giữ ẩn danh." if withheld else None)
    return blocks + [Table(columns, tuple(rows), note=note, total_row=True)]


def _trained_share(view: PlanOverview) -> list[Block]:
    blocks: list[Block] = [Paragraph(
        f"Đến ngày {format_date(view.trained_share_as_of)}. Tỷ lệ = số nữ trong diện quy hoạch đã được tập huấn "
        "/ số nữ trong diện quy hoạch.")]
    if not view.trained_share:
        return blocks + [Paragraph("Chưa có dữ liệu diện quy hoạch cho ngày này.")]
    columns = (Column("Đơn vị", "text", 34), Column("Nữ đã tập huấn", "int", 12),
               Column("Nữ trong quy hoạch", "int", 12), Column("Tỷ lệ đã tập huấn", "percent", 12),
               Column("Nữ chưa tập huấn", "int", 12), Column("Chỉ tiêu", "percent", 10))
    rows = tuple((row["name"], row["trained"], row["women"], row["trained_share"], row["untrained"], row["target"])
                 for row in view.trained_share)
    return blocks + [Table(columns, rows)]

"""A periodic report as an official document (documents.model.Document), and its three files.

The document is drawn from what the report kept (its figures JSON, text, signer, recipients), never
recomputed, so a draft's files show what its page shows and an issued report's stored files are what
was sent. The words are the official Vietnamese of the seeds' reports: they are not translated.
"""
from __future__ import annotations

import hashlib
from datetime import date

from ...documents.docx_writer import write_docx
from ...documents.model import Column, Document, Header, Heading, Paragraph, Table, paragraphs_of
from ...documents.pdf_writer import write_pdf
from ...documents.xlsx_writer import write_xlsx
from ...localtime import format_date
from ...models import PeriodicReport
from ...rules import numbers
from ...rules.official_documents import ANNUAL, SIX_MONTH, recipient_lines
from ..planning.document_settings import signature_of
from .report_files import MEASURE_WORDS, STATUS_WORDS, figure_lines, window_phrase

FORMATS = {"docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", write_docx),
           "pdf": ("application/pdf", write_pdf),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx)}
DEFAULT_RECIPIENTS = ("Lưu: VT.",)
NARRATIVE = (("shortcomings_text", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
             ("tasks_text", "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"),
             ("recommendations_text", "IV. KIẾN NGHỊ, ĐỀ XUẤT"))


def _day(text: str) -> str:
    return format_date(date.fromisoformat(text))


def period_words(report: PeriodicReport) -> str:
    """"6 tháng đầu năm 2019", "năm 2019", or the dates of a period of no kind."""
    year = report.period_end.year
    if report.kind == SIX_MONTH:
        return f"6 tháng đầu năm {year}"
    if report.kind == ANNUAL:
        return f"năm {year}"
    return f"từ ngày {format_date(report.period_start)} đến ngày {format_date(report.period_end)}"


def summary_line(report: PeriodicReport) -> str:
    plan = report.figures["plan"]
    return f"Kết quả thực hiện Kế hoạch số {plan['number']} {period_words(report)}"


def _trained_share_table(f: dict) -> Table:
    rows = tuple((("  " * r.get("depth", 0)) + r["name"], r["pool"], r["women"], r["trained"], r["trained_share"],
                  r["target"], STATUS_WORDS.get(r["status"], "—"), r.get("partial")) for r in figure_lines(f))
    return Table(columns=(Column("Đơn vị", width=34), Column("Tổng số trong diện quy hoạch", "int", 13),
                          Column("Nữ trong diện quy hoạch", "int", 12), Column("Nữ đã đào tạo, tập huấn", "int", 12),
                          Column("Tỷ lệ", "percent", 10), Column("Chỉ tiêu", "percent", 10),
                          Column("Đánh giá", width=13), Column("Nữ dự chưa đủ", "int", 10)),
                 rows=rows, total_row=not f.get("unit"), note=window_phrase(f))


def _indicator_table(f: dict) -> Table | None:
    indicators = f.get("indicators")
    if not indicators:
        return None
    rows = tuple((MEASURE_WORDS.get(i["measure"], i["measure"]),
                  f"{numbers.integer(i['part'])}/{numbers.integer(i['whole'])}" if i["whole"] else "—",
                  i["value"], i["target"], STATUS_WORDS.get(i["status"], "—")) for i in indicators["rows"])
    return Table(columns=(Column("Chỉ tiêu", width=50), Column("Số liệu", width=14), Column("Tỷ lệ", "percent", 11),
                          Column("Chỉ tiêu kế hoạch", "percent", 13), Column("Đánh giá", width=14)),
                 rows=rows, note=f"Số liệu cán bộ năm {indicators['year']} do các đơn vị nhập "
                                 f"({indicators['units_reporting']} đơn vị đã nhập); “—”: chưa có số liệu.")


def _classes_part(f: dict) -> list:
    classes = f.get("classes", [])
    cancelled = f.get("classes_cancelled", [])
    enrolled = sum(c["enrolled"] for c in classes)
    attended = sum(c["attended"] for c in classes)
    completed = sum(c["completed"] for c in classes)
    text = (f"Trong kỳ đã tổ chức {len(classes)} lớp ({numbers.integer(sum(c['sessions'] for c in classes))} buổi); "
            f"{numbers.integer(enrolled)} lượt học viên được cử, {numbers.integer(attended)} có mặt, "
            f"{numbers.integer(completed)} hoàn thành")
    text += f"; {len(cancelled)} lớp bị hủy ({', '.join(cancelled)})." if cancelled else "; không có lớp nào bị hủy."
    blocks: list = [Heading("1. Các lớp đào tạo, tập huấn trong kỳ", 2), Paragraph(text)]
    if classes:
        rows = tuple((c["title"], f"{_day(c['from'])} - {_day(c['to'])}", c["sessions"], c["enrolled"], c["attended"],
                      c["attended"] / c["enrolled"] if c["enrolled"] else None, c["completed"], c["women_share"],
                      c["dtts_share"]) for c in classes)
        blocks.append(Table(columns=(Column("Lớp", width=20), Column("Thời gian", width=24),
                                     Column("Số buổi", "int", 8), Column("Được cử", "int", 8),
                                     Column("Có mặt", "int", 8), Column("Tỷ lệ có mặt", "percent", 12),
                                     Column("Hoàn thành", "int", 10), Column("Tỷ lệ nữ", "percent", 12),
                                     Column("Tỷ lệ DTTS", "percent", 12)), rows=rows))
    return blocks


def _targets_table(f: dict) -> Table:
    rows = tuple((MEASURE_WORDS.get(t["measure"], t["measure"]), t["value"] / 100, _day(t["deadline"]),
                  t["scope"] or "Tất cả đơn vị") for t in f["targets"])
    return Table(columns=(Column("Chỉ tiêu", width=50), Column("Giá trị", "percent", 12),
                          Column("Thời hạn", width=14), Column("Phạm vi", width=24)), rows=rows)


def _text(value: str) -> list[Paragraph]:
    return [Paragraph(p) for p in paragraphs_of(value or "")]


def _body(report: PeriodicReport) -> tuple:
    f = report.figures
    issuer = f.get("issuer_name") or f.get("issuing_body", "")
    unit = f" tại {f['unit']['name']}" if f.get("unit") else ""
    blocks: list = []
    if not report.is_issued:
        blocks.append(Paragraph("DỰ THẢO", bold=True, align="center"))
    if report.replaces is not None:
        old = report.replaces
        blocks.append(Paragraph(f"Báo cáo này thay thế Báo cáo số {old.number} ngày {format_date(old.issued_on)}.",
                                italic=True))
    blocks.append(Paragraph(
        f"Thực hiện Kế hoạch số {f['plan']['number']} ({f['plan']['title']}), {issuer} báo cáo kết quả thực hiện "
        f"{period_words(report)}{unit} (số liệu tính đến ngày {format_date(report.as_of)}) như sau:"))
    blocks += [Heading("I. KẾT QUẢ THỰC HIỆN", 1), *_text(report.results_text), *_classes_part(f),
               Heading("2. Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn", 2), _trained_share_table(f)]
    indicators = _indicator_table(f)
    if indicators is not None:
        blocks += [Heading("3. Các chỉ tiêu khác", 2), indicators]
    if f.get("targets"):
        blocks += [Heading(f"{4 if indicators else 3}. Chỉ tiêu của Kế hoạch", 2), _targets_table(f)]
    for name, title in NARRATIVE:
        blocks += [Heading(title, 1), *(_text(getattr(report, name)) or [Paragraph("Không có.")])]
    return tuple(blocks)


def report_document(report: PeriodicReport) -> Document:
    f = report.figures
    header = Header(issuing_body=f.get("issuing_body") or "", number=report.number, place=report.place,
                    issued_on=report.issued_on, parent_body=f.get("parent_body") or None)
    signature = (signature_of(report.signer_authority, report.signer_title, report.signer_name)
                 if report.signer_title and report.signer_name else None)
    return Document(header=header, kind="BÁO CÁO", summary=summary_line(report), body=_body(report),
                    signature=signature, recipients=recipient_lines(report.recipients) or DEFAULT_RECIPIENTS,
                    meta={"subject": f"{f['plan']['code']}: {report.label}"})


def render_files(report: PeriodicReport) -> dict[str, bytes]:
    document = report_document(report)
    return {fmt: writer(document) for fmt, (_mime, writer) in FORMATS.items()}


def report_file(report: PeriodicReport, fmt: str) -> bytes:
    """The file as sent for an issued report that kept its files; otherwise drawn now from what it kept."""
    for kept in report.files:
        if kept.format == fmt:
            return kept.content
    return FORMATS[fmt][1](report_document(report))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

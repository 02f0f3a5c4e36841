"""Plan files built in the tests: a .docx (python-docx, with the header block as a table, as offices
write it), a PDF with a text layer (fpdf2, LiberationSerif for Vietnamese) and a PDF with none (a scan)."""
from __future__ import annotations

import io
from pathlib import Path

import docx
from fpdf import FPDF

from bdgtrain.documents import layout

SEEDS = Path(__file__).resolve().parent / "documents" / "seeds"


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def docx_bytes(text: str, header: tuple[str, str] | None = None) -> bytes:
    document = docx.Document()
    if header:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = header
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("Serif", "", str(layout.FONT_DIR / layout.FONT_FILES[""]))
    pdf.set_font("Serif", size=11)
    pdf.add_page()
    for paragraph in text.split("\n"):
        pdf.multi_cell(0, 6, paragraph.replace("**", "") or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text: what a scanner gives, less the image
    return bytes(pdf.output())

"""The three writers of the official-document model, read back by independent readers: python-docx for the
.docx, pypdf and poppler (pdftotext, pdftoppm) for the PDF, openpyxl for the .xlsx. Pure: no app."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date
from io import BytesIO

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image as PILImage
from pypdf import PdfReader

from bdgtrain.documents.docx_writer import write_docx
from bdgtrain.documents.layout import recipient_line
from bdgtrain.documents.model import (
    MOTTO,
    NATIONAL_HEADING,
    Column,
    Document,
    Header,
    Heading,
    Paragraph,
    Signature,
    Table,
    cell_text,
)
from bdgtrain.documents.pdf_writer import write_pdf
from bdgtrain.documents.xlsx_writer import FORMULA_START, write_xlsx
from tests.documents.samples import (
    HOSTILE,
    VIETNAMESE_LOWER,
    VIETNAMESE_UPPER,
    big_summary,
    certificate,
    report,
)


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph's text in reading order, table cells included."""
    word = docx.Document(BytesIO(data))
    return ["".join(node.text or "" for node in p.iter(qn("w:t"))) for p in word.element.body.iter(qn("w:p"))]


def assert_in_order(found: list[str], expected: list[str]) -> None:
    position = 0
    for text in expected:
        while position < len(found) and found[position] != text:
            position += 1
        assert position < len(found), f"{text!r} missing or out of order in {found}"
        position += 1


def test_docx_prints_every_part_in_the_decrees_order():
    texts = docx_paragraphs(write_docx(report()))
    assert_in_order(texts, [
        "UBND TỈNH HÀ TĨNH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", NATIONAL_HEADING, MOTTO, "Số: 25/BC-SLĐTBXH",
        "Hà Tĩnh, ngày 05 tháng 02 năm 2020", "BÁO CÁO", "Kết quả thực hiện Kế hoạch đào tạo năm 2019",
        "I. KẾT QUẢ THỰC HIỆN", "Thực hiện Kế hoạch số 12/KH-UBND, Sở báo cáo kết quả như sau.",
        "Đoạn thứ hai của báo cáo.", "1. Công tác tổ chức lớp", "Bảng 1. Kết quả theo đơn vị",
        "Đơn vị", "Số lớp", "Tỷ lệ", "Huyện Kỳ Anh", "1.234", "75,3%", "Huyện Can Lộc", "7", "—",
        "Tổng cộng", "1.241", "50,0%", "Tỷ lệ tính trên số người trong danh sách.", "a) Chữ cái tiếng Việt",
        f"{VIETNAMESE_LOWER} {VIETNAMESE_UPPER}", "Bảng 2. Bảng chữ cái", VIETNAMESE_LOWER, VIETNAMESE_UPPER,
        "Mã kiểm tra", "Trên đây là báo cáo của Sở Lao động - Thương binh và Xã hội.",
        "Nơi nhận:", "- Như trên;", "- UBND tỉnh (để b/c);", "- Lưu: VT, LĐVL.",
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Ánh",
    ])


def test_docx_uses_times_new_roman_on_a4_with_the_decrees_margins():
    word = docx.Document(BytesIO(write_docx(report())))
    normal_fonts = word.styles["Normal"].element.rPr.rFonts
    assert {normal_fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"}
    runs = list(word.element.body.iter(qn("w:r")))
    assert runs and all(run.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
                        for run in runs)
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert [round(margin.mm) for margin in (section.top_margin, section.bottom_margin, section.left_margin,
                                            section.right_margin)] == [20, 20, 30, 15]
    tables = word.tables
    header_row = tables[1].rows[0]._tr  # tables: header block, table 1, table 2, closing
    assert header_row.trPr.find(qn("w:tblHeader")) is not None
    borders = list(word.element.body.iter(qn("w:pBdr")))
    assert len(borders) == 3  # under the issuing body, the motto and the summary


def test_several_documents_make_one_docx_with_a_section_each():
    word = docx.Document(BytesIO(write_docx([report(), certificate(), certificate("Phạm Thị Dung")])))
    sections = word.sections
    assert len(sections) == 3
    assert [section.page_width > section.page_height for section in sections] == [False, True, True]
    texts = docx_paragraphs(write_docx([certificate(), certificate("Phạm Thị Dung")]))
    assert texts.count("GIẤY CHỨNG NHẬN") == 2
    assert_in_order(texts, ["Chứng nhận bà Trần Thị Bích", "Chứng nhận bà Phạm Thị Dung"])


def test_docx_runs_and_pictures_are_what_word_reads():
    """The writer copies each run's properties and numbers its pictures itself (issue 22): every run has its
    font, size, bold and italic in schema order, and every picture its own id, as python-docx wrote them."""
    data = write_docx([certificate(), certificate("Phạm Thị Dung"), certificate("Lê Thị Én")])
    word = docx.Document(BytesIO(data))
    assert len(word.inline_shapes) == 3
    assert all(abs(shape.width - Mm(25)) < Mm(0.1) for shape in word.inline_shapes)
    ids = [element.get("id") for element in word.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(ids) == 3 and len(set(ids)) == 3
    names = [run for paragraph in word.paragraphs for run in paragraph.runs if run.text.startswith("Chứng nhận")]
    assert [(run.bold, run.italic, run.font.size.pt, run.font.name) for run in names] == [
        (True, False, 20.0, "Times New Roman")] * 3
    for run in word.element.body.iter(qn("w:r")):
        tags = [child.tag for child in run.find(qn("w:rPr"))]
        assert tags == [qn("w:rFonts"), qn("w:b"), qn("w:i"), qn("w:sz")]


def test_docx_tables_hold_every_row_and_cell_of_a_plan_summary():
    """The rows are written as XML below python-docx's heading row (issue 22): python-docx reads back every
    row, every cell's text, the alignment, the bold total and the repeated heading."""
    document = big_summary()
    tables = [block for block in document.body if isinstance(block, Table)]
    word = docx.Document(BytesIO(write_docx(document)))
    assert len(word.tables) == 2 + len(tables)  # the header block and the closing block around the body's
    for table, written in zip(tables, word.tables[1:-1]):
        assert len(written.rows) == 1 + len(table.rows)
        assert [cell.text for cell in written.rows[0].cells] == [column.title for column in table.columns]
        assert written.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for index, (row, values) in enumerate(zip(written.rows[1:], table.rows)):
            assert [cell.text for cell in row.cells] == [cell_text(value, column.kind)
                                                         for column, value in zip(table.columns, values)]
            total = table.total_row and index == len(table.rows) - 1
            for cell, column in zip(row.cells, table.columns):
                paragraph = cell.paragraphs[0]
                assert paragraph.alignment == (WD_ALIGN_PARAGRAPH.LEFT if column.kind == "text"
                                               else WD_ALIGN_PARAGRAPH.RIGHT)
                assert [(run.bold, run.italic, run.font.size.pt) for run in paragraph.runs] == [
                    (total, False, 11.0 if len(table.columns) > 6 else 12.0)]
        widths = {cell.width for cell in written.columns[1].cells}
        assert len(widths) == 1


def test_docx_table_cells_keep_tabs_line_breaks_spaces_and_markup():
    odd = ("a\tb", "dòng 1\ndòng 2", "  lề hai bên  ", "<b>&amp;\"'", "")
    table = Table(columns=tuple(Column(f"Cột {number}") for number in range(len(odd))), rows=(odd, ("x",) * 5))
    word = docx.Document(BytesIO(write_docx(report(body=(table,)))))
    cells = word.tables[1].rows[1].cells
    assert [cell.text for cell in cells] == list(odd)
    assert cells[2].paragraphs[0].runs[0]._r.find(qn("w:t")).get(
        "{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert [cell.text for cell in word.tables[1].rows[2].cells] == ["x"] * 5


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: install poppler-utils (CI does)"
    return path


def pdf_text(data: bytes, tmp_path) -> str:
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    result = subprocess.run([poppler("pdftotext"), "-layout", str(source), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", result.stdout.decode("utf-8"))


def test_pdf_embeds_liberation_serif_and_says_what_it_is():
    reader = PdfReader(BytesIO(write_pdf(report())))
    assert len(reader.pages) == 2
    assert reader.metadata.title == "Báo cáo Kết quả thực hiện Kế hoạch đào tạo năm 2019"
    assert reader.metadata.author == "Sở Lao động - Thương binh và Xã hội"
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    assert fonts and all(name.split("+")[1].startswith("LiberationSerif") and len(name.split("+")[0]) == 7
                         for name in fonts)
    assert all(fonts.values())


def test_pdf_keeps_the_heading_and_the_motto_on_one_line_with_every_vietnamese_letter(tmp_path):
    text = pdf_text(write_pdf(report()), tmp_path)
    lines = text.splitlines()
    assert any(NATIONAL_HEADING in line for line in lines)
    assert any(MOTTO in line for line in lines)
    missing = [letter for letter in VIETNAMESE_LOWER + VIETNAMESE_UPPER if letter not in text]
    assert missing == []
    assert "75,3%" in text and "1.234" in text and "- Như trên;" in text


def test_pdf_prints_every_row_of_a_plan_summary_with_the_heading_on_each_page(tmp_path):
    """The PDF draws its tables itself (issue 22): every row's cells are in the text, a row on one line reads
    in column order, and each page the class table runs on begins with its heading row."""
    document = big_summary()
    text = pdf_text(write_pdf(document), tmp_path)
    classes, evaluation = (block for block in document.body if isinstance(block, Table) and len(block.rows) > 100)
    for values in classes.rows[:-1]:
        assert text.count(f"L{values[0]:04d}: ") == 1
    lines = text.splitlines()
    for values in evaluation.rows:
        printed = [cell_text(value, column.kind) for column, value in zip(evaluation.columns, values)]
        assert any(line.split() == " ".join(printed).split() for line in lines), printed
    pages = [page for page in text.split("\f") if "L0" in page and ": Lớp" in page]
    assert len(pages) > 5
    assert all("Thời gian" in page.split(": Lớp")[0] for page in pages)
    total = [cell_text(value, column.kind) for column, value in zip(classes.columns, classes.rows[-1]) if value != ""]
    assert any(line.split() == " ".join(total).split() for line in lines)


def test_pdf_breaks_a_cell_too_long_for_its_column_inside_the_column(tmp_path):
    long_word = "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    table = Table(columns=(Column("Hẹp", width=5), Column("Rộng", width=95)),
                  rows=((long_word, "một\nhai"), ("ngắn", "ba bốn năm " * 30)))
    text = pdf_text(write_pdf(report(body=(table,))), tmp_path)
    assert "".join(text.split()).count(long_word) == 0  # broken over lines, not run over the next column
    assert "".join(word for line in text.splitlines() for word in line.split() if set(word) <= {"A", "a"}) == long_word
    assert "một" in text and "hai" in text and text.count("bốn") == 30


def test_pdf_pages_render_as_a4_portrait_and_landscape(tmp_path):
    source = tmp_path / "both.pdf"
    source.write_bytes(write_pdf([report(), certificate()]))
    assert len(PdfReader(source).pages) == 3
    subprocess.run([poppler("pdftoppm"), "-png", "-r", "50", str(source), str(tmp_path / "page")], check=True)
    sizes = [PILImage.open(path).size for path in sorted(tmp_path.glob("page-*.png"))]
    assert len(sizes) == 3
    portrait, landscape = sizes[0], sizes[2]
    assert abs(portrait[1] / portrait[0] - 297 / 210) < 0.01
    assert abs(landscape[0] / landscape[1] - 297 / 210) < 0.01


def test_pdf_numbers_pages_from_two_in_each_document(tmp_path):
    text = pdf_text(write_pdf([report(), certificate()]), tmp_path)
    pages = text.split("\f")
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert pages[2].strip().splitlines()[0].strip() != "3"  # the certificate is its own page 1


def test_every_writer_gives_the_same_bytes_twice():
    assert write_pdf(report()) == write_pdf(report())
    assert write_docx([report(), certificate()]) == write_docx([report(), certificate()])
    assert write_xlsx(report()) == write_xlsx(report())


def test_xlsx_keeps_numbers_as_numbers_and_prints_on_a4_landscape():
    sheet = openpyxl.load_workbook(BytesIO(write_xlsx(report()))).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    merged = {str(area) for area in sheet.merged_cells.ranges}
    assert f"{cells['BÁO CÁO'].coordinate}:D{cells['BÁO CÁO'].row}" in merged
    summary = cells["Kết quả thực hiện Kế hoạch đào tạo năm 2019"]
    assert summary.alignment.horizontal == "center" and summary.font.bold
    assert cells[NATIONAL_HEADING].font.bold and cells["Hà Tĩnh, ngày 05 tháng 02 năm 2020"].font.italic
    share, count = cells[0.753], cells[1234]
    assert isinstance(share.value, float) and share.number_format == "0.0%"
    assert isinstance(count.value, int) and count.number_format == "#,##0"
    heading_row = cells["Đơn vị"].row
    assert cells["Đơn vị"].font.bold
    assert sheet.freeze_panes == f"A{heading_row + 1}"
    assert sheet.print_title_rows == f"${heading_row}:${heading_row}"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width  # Column.width 40 vs 15
    assert "– Như trên;" in cells and cells["Nguyễn Văn Ánh"].row > cells["Nơi nhận:"].row


def hostile_document() -> Document:
    table = Table(columns=(Column("=cmd"), Column("Số", "int")), rows=tuple((text, 1) for text in HOSTILE))
    body = (Heading("=1+1"),) + tuple(Paragraph(text) for text in HOSTILE) + (table,)
    return report(body=body, signature=Signature(title="+GIÁM ĐỐC", name="=HYPERLINK(\"x\")", authority="@KT"),
                  recipients=HOSTILE + ("- Như trên;",), summary="-summary")


def test_no_xlsx_text_cell_can_compute():
    workbook = openpyxl.load_workbook(BytesIO(write_xlsx(hostile_document())))
    texts = [cell for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    assert [cell.value for cell in texts if cell.value.startswith(FORMULA_START)] == []
    values = {cell.value for cell in texts}
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in values and "'-1+2" in values and "'@SUM(1)" in values
    assert "– -1+2" in values and "– Như trên;" in values and "'=HYPERLINK(\"x\")" in values


def test_recipient_lines_get_one_dash():
    assert recipient_line("Như trên;") == "- Như trên;"
    assert recipient_line("- Như trên;") == "- Như trên;"
    assert recipient_line("– Lưu: VT.", "–") == "– Lưu: VT."
    assert recipient_line("-1+2", "–") == "– -1+2"


def test_a_bare_document_still_writes_everywhere(tmp_path):
    bare = Document(header=Header(issuing_body="Trung tâm", number="1/TB", place="Hà Nội",
                                  issued_on=date(2021, 7, 1)), kind="Thông báo", summary="Về việc thử")
    texts = docx_paragraphs(write_docx(bare))
    assert "Nơi nhận:" not in texts and "THÔNG BÁO" in texts and "TRUNG TÂM" in texts
    assert len(PdfReader(BytesIO(write_pdf(bare))).pages) == 1
    assert "THÔNG BÁO" in pdf_text(write_pdf(bare), tmp_path)
    sheet = openpyxl.load_workbook(BytesIO(write_xlsx(bare))).active
    assert sheet.freeze_panes is None and sheet["A5"].value == "THÔNG BÁO"


def test_nothing_to_write_is_refused():
    with pytest.raises(ValueError):
        write_pdf([])
    with pytest.raises(ValueError):
        write_docx(())

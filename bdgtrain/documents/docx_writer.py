"""A Document as .docx (python-docx), laid out per Decree 30/2020/NĐ-CP Appendix I: the file officials open
in Word, sign and stamp. Several documents make one file, each in its own section starting on a new page
with its own orientation (a class's certificates); page numbers run from 2, at the top, in each section."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from copy import deepcopy
from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from itertools import count
from xml.sax.saxutils import escape

from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Mm, Pt

from bdgtrain.documents import layout
from bdgtrain.documents.model import (
    MOTTO,
    NATIONAL_HEADING,
    RECIPIENTS_TITLE,
    Document,
    Heading,
    Image,
    Paragraph,
    Table,
    cell_text,
    paragraphs_of,
)

FONT = "Times New Roman"
# What follows w:pBdr in w:pPr and w:pgNumType in w:sectPr (ECMA-376): Word rejects properties out of order.
_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_AFTER_PAGE_NUMBERS = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
    "w:docGrid", "w:printerSettings", "w:sectPrChange",
)
# Text python-docx writes as one bare w:t: no control character, no space at either end.
_PLAIN_TEXT = re.compile(r"[^\x00-\x1f\s](?:[^\x00-\x1f]*[^\x00-\x1f\s])?")
_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def write_docx(documents: Document | Sequence[Document]) -> bytes:
    """One or several documents as the bytes of one .docx; the same documents give the same bytes."""
    listed = layout.documents_of(documents)
    word = new_word_document()
    _set_normal_style(word)
    shape_ids = count(word.part.next_id)
    for index, document in enumerate(listed):
        section = word.sections[0] if index == 0 else word.add_section(WD_SECTION.NEW_PAGE)
        _set_page(section, document.landscape)
        _write_document(word, document, shape_ids)
    _set_properties(word, listed[0])
    buffer = BytesIO()
    word.save(buffer)
    return layout.fixed_zip(buffer.getvalue(), listed[0].header.issued_on)


def _write_document(word, document: Document, shape_ids: Iterator[int]) -> None:
    width = layout.text_width_mm(document.landscape)
    _header(word, document, width)
    _title(word, document, width)
    last = None
    for block in document.body:
        last = _block(word, block, width, shape_ids)
    if document.signature is not None or document.recipients:
        if last is not None:
            last.paragraph_format.keep_with_next = True
        _closing(word, document, width)


def _set_normal_style(word) -> None:
    style = word.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(layout.BODY_PT)
    _east_asian_font(style.element.get_or_add_rPr())
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _east_asian_font(r_pr) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _set_page(section, landscape: bool) -> None:
    width, height = layout.page_size_mm(landscape)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP), Mm(layout.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT), Mm(layout.MARGIN_RIGHT)
    section.header_distance = Mm(layout.PAGE_NUMBER_TOP)
    section.different_first_page_header_footer = True
    if section._sectPr.find(qn("w:pgNumType")) is None:
        _insert_before(section._sectPr, "w:pgNumType", _AFTER_PAGE_NUMBERS).set(qn("w:start"), "1")
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not paragraph.runs:
        _page_field(paragraph)


def _page_field(paragraph) -> None:
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        run = _run(paragraph, "", layout.HEADER_PT)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._r.append(instruction)
        else:
            run.text = text


def _set_properties(word, document: Document) -> None:
    issued = datetime.combine(document.header.issued_on, datetime.min.time(), tzinfo=timezone.utc)
    properties = word.core_properties
    properties.title = document.document_title
    properties.author = document.header.issuing_body
    properties.last_modified_by = document.header.issuing_body
    properties.subject = document.meta.get("subject", document.summary)
    properties.keywords = document.meta.get("keywords", "")
    properties.comments = ""
    properties.language = "vi-VN"
    properties.created = properties.modified = issued
    properties.last_printed = issued
    properties.revision = 1


def _run(paragraph, text: str, size: float, bold: bool = False, italic: bool = False):
    """A run in the document's font (every script), size, bold and italic: the same w:rPr python-docx's
    font setters write, copied from one made once per style. The setters insert each property in schema
    order, one search each: half the time of a class's certificates went there."""
    run = paragraph.add_run(text)
    run._r.insert(0, deepcopy(_run_properties(size, bold, italic)))
    return run


@lru_cache(maxsize=64)
def _run_properties(size: float, bold: bool, italic: bool):
    return parse_xml(f'<w:rPr {nsdecls("w")}>{_run_properties_xml(size, bold, italic)}</w:rPr>')


@lru_cache(maxsize=64)
def _run_properties_xml(size: float, bold: bool, italic: bool) -> str:
    """The inside of a run's w:rPr: the font for every script, bold and italic on or off, the size."""
    fonts = " ".join(f'w:{name}="{FONT}"' for name in ("ascii", "hAnsi", "cs", "eastAsia"))
    flags = "".join(f"<w:{tag}/>" if on else f'<w:{tag} w:val="0"/>' for tag, on in (("b", bold), ("i", italic)))
    half_points = ST_HpsMeasure.convert_to_xml(Pt(size))
    return f'<w:rFonts {fonts}/>{flags}<w:sz w:val="{half_points}"/>'


def _line(container, text: str, size: float, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    _run(paragraph, text, size, bold, italic)
    return paragraph


def _rule(container, line_mm: float, box_mm: float, space_after_pt: float = 0):
    """A centred horizontal line `line_mm` long: an empty 2 pt paragraph with a top border, 3 pt below the
    text above, indented so that the border is as long as the line inside a box `box_mm` wide."""
    paragraph = container.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    side = max((box_mm - line_mm) / 2, 0)
    paragraph_format.left_indent = paragraph_format.right_indent = Mm(side)
    paragraph_format.line_spacing = Pt(2)
    paragraph_format.space_before = Pt(3)
    paragraph_format.space_after = Pt(space_after_pt)
    properties = paragraph._p.get_or_add_pPr()
    borders = _insert_before(properties, "w:pBdr", _AFTER_BORDER)
    top = OxmlElement("w:top")
    for attribute, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "auto")):
        top.set(qn(attribute), value)
    borders.append(top)
    mark_size = OxmlElement("w:sz")  # the paragraph mark at 1 pt, or its 14 pt line box pushes the text apart
    mark_size.set(qn("w:val"), "2")
    _insert_before(properties, "w:rPr", ("w:sectPr", "w:pPrChange")).append(mark_size)
    return paragraph


def _insert_before(parent, tag: str, successors: tuple[str, ...]):
    """A new `tag` element in `parent`, before its successors in the schema's order."""
    child = OxmlElement(tag)
    parent.insert_element_before(child, *successors)
    return child


def _grid(word, rows: int, widths: list[float], borders: bool):
    table = word.add_table(rows=rows, cols=len(widths))
    if borders:
        table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)
    return table


def _header(word, document: Document, width: float) -> None:
    header = document.header
    left_width, right_width = layout.header_split(width)
    table = _grid(word, 2, [left_width, right_width], borders=False)
    left, right = table.rows[0].cells
    inner_left, inner_right = left_width - 2 * layout.CELL_PADDING_MM, right_width - 2 * layout.CELL_PADDING_MM
    first = True
    if header.parent_body:
        _line(left, header.parent_body.upper(), layout.HEADER_PT, first=True)
        first = False
    _line(left, header.issuing_body.upper(), layout.HEADER_PT, bold=True, first=first)
    _rule(left, inner_left / 3, inner_left)
    _line(right, NATIONAL_HEADING, layout.HEADER_PT, bold=True, first=True)
    _line(right, MOTTO, layout.MOTTO_PT, bold=True)
    _rule(right, layout.string_width_mm(MOTTO, layout.MOTTO_PT, "B") + 1, inner_right)
    number, place = table.rows[1].cells
    _line(number, header.number_line, layout.HEADER_PT, first=True).paragraph_format.space_before = Pt(6)
    _line(place, header.date_line, layout.MOTTO_PT, italic=True, first=True).paragraph_format.space_before = Pt(6)


def _title(word, document: Document, width: float) -> None:
    kind = _line(word, document.kind.upper(), layout.BODY_PT, bold=True)
    kind.paragraph_format.space_before = Pt(18)
    kind.paragraph_format.keep_with_next = True
    for text in paragraphs_of(document.summary) or [""]:
        _line(word, text, layout.BODY_PT, bold=True).paragraph_format.keep_with_next = True
    _rule(word, width / 4, width, space_after_pt=12)


def _block(word, block, width: float, shape_ids: Iterator[int]):
    """Writes one body block; returns its last paragraph (kept with the signature when it ends the body)."""
    if isinstance(block, Heading):
        return _heading(word, block)
    if isinstance(block, Paragraph):
        return _paragraph(word, block)
    if isinstance(block, Table):
        return _table(word, block, width)
    if isinstance(block, Image):
        return _image(word, block, shape_ids)
    raise TypeError(f"not a document block: {block!r}")


def _heading(word, heading: Heading):
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph_format = paragraph.paragraph_format
    paragraph_format.space_before, paragraph_format.space_after = Pt(6), Pt(layout.PARAGRAPH_AFTER_PT)
    paragraph_format.line_spacing = layout.LINE_SPACING
    paragraph_format.keep_with_next = True
    _run(paragraph, heading.text, layout.BODY_PT, bold=heading.level <= 2, italic=heading.level >= 3)
    return paragraph


def _paragraph(word, block: Paragraph):
    paragraph = None
    for text in paragraphs_of(block.text):
        paragraph = word.add_paragraph()
        paragraph.alignment = _ALIGN[block.align]
        paragraph_format = paragraph.paragraph_format
        if block.align == "justify":
            paragraph_format.first_line_indent = Mm(layout.FIRST_LINE_INDENT_MM)
        paragraph_format.space_after = Pt(layout.PARAGRAPH_AFTER_PT)
        paragraph_format.line_spacing = layout.LINE_SPACING
        _run(paragraph, text, block.size or layout.BODY_PT, block.bold, block.italic)
    return paragraph


def _caption(word, text: str, bold: bool, italic: bool, align=WD_ALIGN_PARAGRAPH.LEFT, size=layout.BODY_PT):
    paragraph = _line(word, text, size, bold=bold, italic=italic, align=align)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def _table(word, table: Table, width: float):
    if table.title:
        _caption(word, table.title, bold=True, italic=False).paragraph_format.keep_with_next = True
    size = layout.table_font_pt(table)
    grid = _grid(word, 1, layout.column_widths(table.columns, width), borders=True)
    heading = grid.rows[0]
    heading._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, column in zip(heading.cells, table.columns):
        _line(cell, column.title, size, bold=True, first=True)
    widths = [tc.tcPr.tcW.get(qn("w:w")) for tc in heading._tr.tc_lst]
    _append_rows(grid._tbl, table, widths, size)
    if table.note:
        return _caption(word, table.note, bold=False, italic=True, size=size)
    return _caption(word, "", bold=False, italic=False, size=6)


def _append_rows(tbl, table: Table, widths: list[str], size: float) -> None:
    """The table's rows below its heading, as python-docx's add_row and the cell's paragraph and run would
    write them (w:tcW per cell, the paragraph aligned left for text and right for figures, one run), written
    as XML and parsed once: python-docx walks the table's grid for every cell it is asked for, and sets the
    width, alignment and text one search each — most of a plan summary's 5,000 cells' time."""
    aligns = ["left" if column.kind == "text" else "right" for column in table.columns]
    starts = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p><w:pPr><w:jc w:val="{align}"/>'
              f"</w:pPr>" for width, align in zip(widths, aligns)]
    plain, bold = (f"<w:r><w:rPr>{_run_properties_xml(size, weight, False)}</w:rPr>" for weight in (False, True))
    rows, awkward = [], []
    last = len(table.rows) - 1
    for index, values in enumerate(table.rows):
        run = bold if table.total_row and index == last else plain
        cells = []
        for column_index, (start, column, value) in enumerate(zip(starts, table.columns, values)):
            text = cell_text(value, column.kind)
            if not text:
                cells.append(f"{start}{run}</w:r></w:p></w:tc>")
            elif _PLAIN_TEXT.fullmatch(text):
                cells.append(f"{start}{run}<w:t>{escape(text)}</w:t></w:r></w:p></w:tc>")
            else:  # a tab, a line break or spaces at an end: python-docx's own setter writes it
                awkward.append((index, column_index, text))
                cells.append(f"{start}{run}</w:r></w:p></w:tc>")
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    fragment = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(rows)}</w:tbl>')
    written = list(fragment)
    for index, column_index, text in awkward:
        written[index].tc_lst[column_index].p_lst[0].r_lst[0].text = text
    tbl.extend(written)


def _image(word, image: Image, shape_ids: Iterator[int]):
    """The picture as python-docx's add_picture draws it, numbered from our own count: its next_id searches
    the whole document for the highest id (`//@id`) at each picture, which grew with the square of a class's
    certificates. Nothing else in the body carries an id."""
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(paragraph, "", layout.BODY_PT)
    rid, picture = word.part.get_or_add_image(BytesIO(image.png))
    cx, cy = picture.scaled_dimensions(Mm(image.width_mm), None)
    run._r.add_drawing(CT_Inline.new_pic_inline(next(shape_ids), rid, picture.filename, cx, cy))
    if image.caption:
        paragraph.paragraph_format.keep_with_next = True
        return _line(word, image.caption, 12, italic=True)
    return paragraph


def _closing(word, document: Document, width: float) -> None:
    """The last block: "Nơi nhận" on the left, the signer on the right, one row that never splits."""
    table = _grid(word, 1, [width * 0.45, width * 0.55], borders=False)
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    row_properties.append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    left.paragraphs[0].paragraph_format.space_before = right.paragraphs[0].paragraph_format.space_before = Pt(12)
    if document.recipients:
        _line(left, RECIPIENTS_TITLE, layout.RECIPIENTS_TITLE_PT, True, True, WD_ALIGN_PARAGRAPH.LEFT, first=True)
        for line in document.recipients:
            _line(left, layout.recipient_line(line), layout.RECIPIENT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    signature = document.signature
    if signature is None:
        return
    first = True
    for text in (signature.authority, signature.title):
        if text:
            _line(right, text.upper(), layout.BODY_PT, bold=True, first=first)
            first = False
    space = _line(right, "", layout.BODY_PT, first=first)
    space.paragraph_format.space_after = Mm(layout.SIGNATURE_SPACE_MM)
    _line(right, signature.name, layout.BODY_PT, bold=True)

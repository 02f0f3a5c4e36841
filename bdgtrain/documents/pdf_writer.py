"""A Document as PDF (fpdf2), laid out per Decree 30/2020/NĐ-CP Appendix I in the vendored Liberation Serif
(Times New Roman's metrics, every Vietnamese letter), embedded as a subset. Several documents make one PDF,
each from a new page in its own orientation; the page number is printed from each document's page 2.
Nothing depends on the clock: the creation date is the issue date, so one document gives the same bytes
every time it is written (a frozen report downloads identically)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from io import BytesIO

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

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

FAMILY = "LiberationSerif"
_ALIGN = {"justify": "J", "left": "L", "center": "C", "right": "R"}
_RULE_WIDTH = 0.3  # mm: the short lines under the issuing body, the motto and the summary


def line_mm(size_pt: float, spacing: float = 1.2) -> float:
    """The height of one line of `size_pt` text."""
    return size_pt * layout.POINT_MM * spacing


class _Pdf(FPDF):
    """FPDF printing "2", "3", ... centred at the top of a document's pages after its first."""

    document_first_page = 1

    def header(self) -> None:
        number = self.page - self.document_first_page + 1
        if number > 1:
            self.set_font(FAMILY, "", layout.HEADER_PT)
            self.set_xy(self.l_margin, layout.PAGE_NUMBER_TOP - 2)
            self.cell(self.epw, line_mm(layout.HEADER_PT), str(number), align="C")
            self.set_xy(self.l_margin, self.t_margin)


def write_pdf(documents: Document | Sequence[Document]) -> bytes:
    """One or several documents as the bytes of one PDF; the same documents give the same bytes."""
    listed = layout.documents_of(documents)
    pdf = _new_pdf(listed[0])
    for document in listed:
        pdf.document_first_page = pdf.page + 1  # before add_page, which prints the page's header
        pdf.add_page(orientation="L" if document.landscape else "P")
        _write_document(pdf, document)
    return bytes(pdf.output())


def _new_pdf(first: Document) -> _Pdf:
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    for style, file_name in layout.FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(layout.FONT_DIR / file_name))
    pdf.set_margins(layout.MARGIN_LEFT, layout.MARGIN_TOP, layout.MARGIN_RIGHT)
    pdf.set_auto_page_break(True, margin=layout.MARGIN_BOTTOM)
    pdf.set_line_width(_RULE_WIDTH)
    pdf.set_title(first.document_title)
    pdf.set_author(first.header.issuing_body)
    pdf.set_subject(first.meta.get("subject", first.summary))
    pdf.set_keywords(first.meta.get("keywords", ""))
    pdf.set_creator("bdgtrain")
    pdf.set_lang("vi")
    pdf.set_creation_date(datetime.combine(first.header.issued_on, datetime.min.time(), tzinfo=timezone.utc))
    return pdf


def _write_document(pdf: _Pdf, document: Document) -> None:
    _header(pdf, document)
    _title(pdf, document)
    closing = document.signature is not None or bool(document.recipients)
    for index, block in enumerate(document.body):
        if closing and index == len(document.body) - 1 and isinstance(block, Paragraph):
            _keep_with_closing(pdf, document, block)
        _block(pdf, block)
    if closing:
        _closing(pdf, document)


def _lines(pdf: _Pdf, x: float, y: float, width: float, lines) -> float:
    """Centred lines of (text, size, style) in a column; returns the y below them."""
    for text, size, style in lines:
        pdf.set_font(FAMILY, style, size)
        pdf.set_xy(x, y)
        pdf.multi_cell(width, line_mm(size), text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        y = pdf.get_y()
    return y


def _rule(pdf: _Pdf, centre: float, y: float, length: float) -> None:
    pdf.line(centre - length / 2, y, centre + length / 2, y)


def _header(pdf: _Pdf, document: Document) -> None:
    header = document.header
    left_width, right_width = layout.header_split(pdf.epw, padding_mm=0)
    left_x, right_x, top = pdf.l_margin, pdf.l_margin + left_width, pdf.t_margin
    left = [(header.parent_body.upper(), layout.HEADER_PT, "")] if header.parent_body else []
    left.append((header.issuing_body.upper(), layout.HEADER_PT, "B"))
    left_end = _lines(pdf, left_x, top, left_width, left) + 1.5
    _rule(pdf, left_x + left_width / 2, left_end, left_width / 3)
    right = [(NATIONAL_HEADING, layout.HEADER_PT, "B"), (MOTTO, layout.MOTTO_PT, "B")]
    right_end = _lines(pdf, right_x, top, right_width, right) + 1.5
    _rule(pdf, right_x + right_width / 2, right_end, layout.string_width_mm(MOTTO, layout.MOTTO_PT, "B"))
    row = max(left_end, right_end) + 3
    below_number = _lines(pdf, left_x, row, left_width, [(header.number_line, layout.HEADER_PT, "")])
    below_date = _lines(pdf, right_x, row, right_width, [(header.date_line, layout.MOTTO_PT, "I")])
    pdf.set_xy(pdf.l_margin, max(below_number, below_date) + 8)


def _title(pdf: _Pdf, document: Document) -> None:
    lines = [(document.kind.upper(), layout.BODY_PT, "B")]
    lines += [(text, layout.BODY_PT, "B") for text in paragraphs_of(document.summary)]
    end = _lines(pdf, pdf.l_margin, pdf.get_y(), pdf.epw, lines) + 1.5
    _rule(pdf, pdf.l_margin + pdf.epw / 2, end, pdf.epw / 4)
    pdf.set_xy(pdf.l_margin, end + 6)


def _block(pdf: _Pdf, block) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block)
    elif isinstance(block, Paragraph):
        _paragraph(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Image):
        _image(pdf, block)
    else:
        raise TypeError(f"not a document block: {block!r}")


def _room(pdf: _Pdf, height: float) -> None:
    """A new page unless `height` fits below the current line."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page(orientation=pdf.cur_orientation)


def _heading(pdf: _Pdf, heading: Heading) -> None:
    style = "B" if heading.level <= 2 else "I"
    height = line_mm(layout.BODY_PT, 1.3)
    _room(pdf, 3 * height)
    pdf.set_font(FAMILY, style, layout.BODY_PT)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, height, heading.text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(layout.PARAGRAPH_AFTER_PT * layout.POINT_MM)


def _paragraph(pdf: _Pdf, block: Paragraph) -> None:
    style = ("B" if block.bold else "") + ("I" if block.italic else "")
    size = block.size or layout.BODY_PT
    indent = layout.FIRST_LINE_INDENT_MM if block.align == "justify" else 0
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(pdf.l_margin)
    after = layout.PARAGRAPH_AFTER_PT * layout.POINT_MM
    with pdf.text_columns(text_align=_ALIGN[block.align], line_height=1.3) as columns:
        for text in paragraphs_of(block.text):
            with columns.paragraph(first_line_indent=indent, bottom_margin=after) as par:
                par.write(text)
    pdf.set_x(pdf.l_margin)


def _table(pdf: _Pdf, table: Table) -> None:
    size = layout.table_font_pt(table)
    if table.title:
        _room(pdf, line_mm(layout.BODY_PT) + 3 * line_mm(size, 1.6))
        pdf.set_font(FAMILY, "B", layout.BODY_PT)
        pdf.multi_cell(0, line_mm(layout.BODY_PT, 1.3), table.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    _Grid(pdf, table, size).draw()
    pdf.ln(1.5)
    if table.note:
        pdf.set_font(FAMILY, "I", size)
        pdf.multi_cell(0, line_mm(size, 1.3), table.note, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


class _Grid:
    """A table drawn as fpdf2's `table()` drew it (full text width, every border at the rule's width, cells
    padded 1 mm top and bottom and 1.5 mm at the sides, text centred vertically, the heading row bold, centred
    and repeated on each new page), without its cost: fpdf2 lays out every cell twice through multi_cell's
    line breaker, 3 s of a plan summary's 5,000 cells. Here a cell is measured once in the font's widths;
    one that fits is one line, a longer one breaks at spaces (inside a word only when the word alone is too
    wide), and each line is printed with `text()` at the baseline `cell()` would use."""

    PADDING_X, PADDING_Y = 1.5, 1.0

    def __init__(self, pdf: _Pdf, table: Table, size: float):
        self.pdf, self.table, self.size = pdf, table, size
        self.widths = layout.column_widths(table.columns, pdf.epw)
        self.line = line_mm(size, 1.3)
        aligns = tuple("L" if column.kind == "text" else "R" for column in table.columns)
        self.heading = self._row([column.title for column in table.columns], "B", ("C",) * len(aligns))
        self.aligns = aligns

    def draw(self) -> None:
        pdf, table = self.pdf, self.table
        rows = [[cell_text(value, column.kind) for column, value in zip(table.columns, values)]
                for values in table.rows]
        laid = [self._row(texts, "B" if table.total_row and index == len(rows) - 1 else "", self.aligns)
                for index, texts in enumerate(rows)]
        first = laid[0][0] if laid else 0.0
        if pdf.get_y() + self.heading[0] + first > pdf.page_break_trigger:
            pdf.add_page(orientation=pdf.cur_orientation)
        self._print(self.heading)
        for row in laid:
            if pdf.get_y() + row[0] > pdf.page_break_trigger:
                pdf.add_page(orientation=pdf.cur_orientation)
                self._print(self.heading)
            self._print(row)
        pdf.set_x(pdf.l_margin)

    def _row(self, texts: list[str], style: str, aligns: tuple[str, ...]):
        """(height, style, cells of (lines, align)) for one row of texts."""
        cells = [(self._lines(text, width - 2 * self.PADDING_X, style), align)
                 for text, width, align in zip(texts, self.widths, aligns)]
        lines = max((len(cell_lines) for cell_lines, _align in cells), default=1)
        return lines * self.line + 2 * self.PADDING_Y, style, cells

    def _lines(self, text: str, room: float, style: str) -> list[tuple[str, float]]:
        """The text's lines with their widths, broken to fit `room` millimetres."""
        lines: list[tuple[str, float]] = []
        for paragraph in text.split("\n"):
            width = layout.string_width_mm(paragraph, self.size, style)
            if width <= room:
                lines.append((paragraph, width))
                continue
            space = layout.string_width_mm(" ", self.size, style)
            current, current_width = "", 0.0
            for word in paragraph.split(" "):
                word_width = layout.string_width_mm(word, self.size, style)
                if current and current_width + space + word_width <= room:
                    current, current_width = f"{current} {word}", current_width + space + word_width
                    continue
                if current:
                    lines.append((current, current_width))
                current, current_width = word, word_width
                while current_width > room and len(current) > 1:
                    head = self._longest_head(current, room, style)
                    lines.append((head, layout.string_width_mm(head, self.size, style)))
                    current = current[len(head):]
                    current_width = layout.string_width_mm(current, self.size, style)
            lines.append((current, current_width))
        return lines

    def _longest_head(self, word: str, room: float, style: str) -> str:
        end = 1
        while end < len(word) and layout.string_width_mm(word[:end + 1], self.size, style) <= room:
            end += 1
        return word[:end]

    def _print(self, row) -> None:
        pdf = self.pdf
        height, style, cells = row
        pdf.set_font(FAMILY, style, self.size)
        top, x = pdf.get_y(), pdf.l_margin
        descent = 0.5 * self.line + 0.3 * pdf.font_size  # where cell() puts the baseline in a line
        for (lines, align), width in zip(cells, self.widths):
            pdf.rect(x, top, width, height)
            y = top + (height - len(lines) * self.line) / 2 + descent
            for text, text_width in lines:
                if text:
                    if align == "L":
                        left = x + self.PADDING_X
                    elif align == "R":
                        left = x + width - self.PADDING_X - text_width
                    else:
                        left = x + (width - text_width) / 2
                    pdf.text(left, y, text)
                y += self.line
            x += width
        pdf.set_xy(pdf.l_margin, top + height)


def _image(pdf: _Pdf, image: Image) -> None:
    caption = line_mm(12, 1.3) if image.caption else 0
    _room(pdf, image.width_mm + caption + 2)
    pdf.image(BytesIO(image.png), x=pdf.l_margin + (pdf.epw - image.width_mm) / 2, w=image.width_mm)
    if image.caption:
        pdf.set_font(FAMILY, "I", 12)
        pdf.multi_cell(0, caption, image.caption, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _closing_columns(pdf: _Pdf, document: Document):
    """The closing block's two columns as (x, width, lines) with lines of (text, size, style, gap after)."""
    left: list[tuple[str, float, str, float]] = []
    if document.recipients:
        left.append((RECIPIENTS_TITLE, layout.RECIPIENTS_TITLE_PT, "BI", 0))
        left += [(layout.recipient_line(line), layout.RECIPIENT_PT, "", 0) for line in document.recipients]
    right: list[tuple[str, float, str, float]] = []
    signature = document.signature
    if signature is not None:
        right += [(text.upper(), layout.BODY_PT, "B", 0) for text in (signature.authority, signature.title) if text]
        right.append(("", layout.BODY_PT, "", layout.SIGNATURE_SPACE_MM))
        right.append((signature.name, layout.BODY_PT, "B", 0))
    left_width = pdf.epw * 0.45
    return (pdf.l_margin, left_width, left, "L"), (pdf.l_margin + left_width, pdf.epw - left_width, right, "C")


def _column_height(pdf: _Pdf, width: float, lines) -> float:
    height = 0.0
    for text, size, style, gap in lines:
        pdf.set_font(FAMILY, style, size)
        height += gap + pdf.multi_cell(width, line_mm(size), text, dry_run=True, output=MethodReturnValue.HEIGHT)
    return height


def _closing_height(pdf: _Pdf, document: Document) -> float:
    return 4 + max(_column_height(pdf, width, lines) for _x, width, lines, _align in _closing_columns(pdf, document))


def _keep_with_closing(pdf: _Pdf, document: Document, block: Paragraph) -> None:
    """A new page before the body's last paragraph when it fits on this page but the closing block after it
    would not: the signature never stands alone on a page."""
    pdf.set_font(FAMILY, "B" if block.bold else "", block.size or layout.BODY_PT)
    text = "\n".join(paragraphs_of(block.text))
    last = pdf.multi_cell(0, line_mm(block.size or layout.BODY_PT, 1.3), text, dry_run=True,
                          output=MethodReturnValue.HEIGHT)
    remaining = pdf.page_break_trigger - pdf.get_y()
    closing = _closing_height(pdf, document)
    if last + 4 < remaining < last + closing + 4 and last + closing < pdf.eph:
        pdf.add_page(orientation=pdf.cur_orientation)


def _closing(pdf: _Pdf, document: Document) -> None:
    """ "Nơi nhận" on the left, the signer centred on the right, both from the same line, on one page."""
    _room(pdf, _closing_height(pdf, document))
    top = pdf.get_y() + 4
    bottom = top
    for x, width, lines, align in _closing_columns(pdf, document):
        y = top
        for text, size, style, gap in lines:
            pdf.set_font(FAMILY, style, size)
            pdf.set_xy(x, y)
            pdf.multi_cell(width, line_mm(size), text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
            y = pdf.get_y() + gap
        bottom = max(bottom, y)
    pdf.set_xy(pdf.l_margin, bottom)

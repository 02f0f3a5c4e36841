"""A Document as .xlsx (openpyxl): one sheet with the decree's parts in order — header block, kind and
summary, the body (tables keep their numbers: percent as the fraction formatted 0.0%, counts #,##0,
scores 0.00), the signer and "Nơi nhận" — printed A4 landscape, fitted to the page width, the first
table's header row frozen and repeated on every printed page.

A text cell never computes: text starting like a formula (= + - @ tab CR) gets a leading apostrophe, and
the recipients' dash is an EN DASH ("– Như trên;"), not a minus sign. Nothing depends on the clock: the
file's dates and its zip entries carry the issue date, so one document gives the same bytes twice."""
from __future__ import annotations

import math
import re
from copy import copy
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bdgtrain.documents import layout
from bdgtrain.documents.model import (
    MOTTO,
    NATIONAL_HEADING,
    RECIPIENTS_TITLE,
    Cell,
    CellKind,
    Document,
    Heading,
    Image,
    Paragraph,
    Table,
    paragraphs_of,
)

FONT = "Times New Roman"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {"int": "#,##0", "percent": "0.0%", "points": "0.00"}
MIN_SHEET_WIDTH = 100.0  # character units: narrower tables are widened so the header block stays readable
_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def defuse(value: Cell) -> Cell:
    """Text that a spreadsheet would compute (OWASP's CSV-injection list) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_xlsx(document: Document) -> bytes:
    """The document as the bytes of a one-sheet .xlsx; the same document gives the same bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = document.kind[:31] or "Document"
    writer = _SheetWriter(sheet, _column_widths(document))
    writer.write(document)
    _page_setup(sheet, writer.title_row)
    issued = datetime.combine(document.header.issued_on, datetime.min.time())
    properties = workbook.properties
    properties.title = document.document_title
    properties.creator = properties.lastModifiedBy = document.header.issuing_body
    properties.subject = document.meta.get("subject", document.summary)
    properties.keywords = document.meta.get("keywords")
    properties.language = "vi-VN"
    properties.created = properties.modified = issued
    buffer = BytesIO()
    workbook.save(buffer)
    stamp = issued.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fix_modified(name: str, content: bytes) -> bytes:  # openpyxl stamps the save time
        return _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content) if name == "docProps/core.xml" else content

    return layout.fixed_zip(buffer.getvalue(), document.header.issued_on, fix_modified)


def _column_widths(document: Document) -> list[float]:
    """Each sheet column as wide as the widest table column at its place (Column.width, in characters)."""
    tables = [block for block in document.body if isinstance(block, Table)]
    count = max([len(table.columns) for table in tables] + [4])
    widths = [8.0] * count
    for table in tables:
        for index, column in enumerate(table.columns):
            widths[index] = max(widths[index], column.width)
    if not tables:
        widths = [MIN_SHEET_WIDTH / count] * count
    scale = max(1.0, MIN_SHEET_WIDTH / sum(widths))
    return [width * scale for width in widths]


def _page_setup(sheet, title_row: int | None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = sheet.page_margins
    margins.top, margins.bottom = layout.MARGIN_TOP / 25.4, layout.MARGIN_BOTTOM / 25.4
    margins.left, margins.right = layout.MARGIN_LEFT / 25.4, layout.MARGIN_RIGHT / 25.4
    sheet.print_options.horizontalCentered = True
    if title_row is not None:
        sheet.freeze_panes = f"A{title_row + 1}"
        sheet.print_title_rows = f"{title_row}:{title_row}"


class _SheetWriter:
    """Writes a document's parts downwards from row 1; `title_row` is the first table's header row."""

    def __init__(self, sheet, widths: list[float]):
        self.sheet, self.widths, self.row = sheet, widths, 1
        self.columns = len(widths)
        self.split = max(1, round(self.columns * 0.45))  # header block: left columns 1..split
        self.title_row: int | None = None
        self.styles: dict[tuple, object] = {}
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def write(self, document: Document) -> None:
        self._header(document)
        self._put(self.row, 1, self.columns, document.kind.upper(), Font(name=FONT, size=14, bold=True), "center")
        self.row += 1
        for text in paragraphs_of(document.summary):
            self._put(self.row, 1, self.columns, text, Font(name=FONT, size=14, bold=True), "center")
            self.row += 1
        self.row += 1
        for block in document.body:
            self._block(block)
        self._closing(document)

    def _put(self, row: int, first: int, last: int, value: Cell, font: Font, horizontal: str = "left",
             number_format: str | None = None, border: Border | None = None, style: tuple | None = None):
        """One cell value (merged over columns first..last), defused, wrapped; the row grows to fit it.
        Cells of one `style` key (a table's cells of one column and weight) share the style of the first:
        openpyxl hashes the font, alignment and border again at every cell they are set on."""
        cell = self.sheet.cell(row=row, column=first, value=defuse(value))
        known = self.styles.get(style) if style is not None else None
        if known is not None:
            cell._style = copy(known)
        else:
            cell.font = font
            cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
            if number_format:
                cell.number_format = number_format
            if border is not None:
                cell.border = border
            if style is not None:
                self.styles[style] = copy(cell._style)
        if last > first:
            self.sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        if isinstance(value, str):
            width = sum(self.widths[first - 1:last])
            lines = sum(math.ceil(max(len(part), 1) * font.size / 11 / max(width, 1)) for part in value.split("\n"))
            height = lines * font.size * 1.35
            dimension = self.sheet.row_dimensions[row]
            dimension.height = max(dimension.height or 0, height)
        return cell

    def _two_columns(self, left: list, right: list) -> None:
        """Left lines over columns 1..split, right ones over split+1..end, row by row."""
        for index in range(max(len(left), len(right))):
            for lines, first, last in ((left, 1, self.split), (right, self.split + 1, self.columns)):
                if index < len(lines) and lines[index] is not None:
                    text, font, horizontal = lines[index]
                    self._put(self.row, first, last, text, font, horizontal)
            self.row += 1

    def _header(self, document: Document) -> None:
        header = document.header
        regular, bold = Font(name=FONT, size=13), Font(name=FONT, size=13, bold=True)
        left = [(header.parent_body.upper(), regular, "center")] if header.parent_body else [None]
        left += [(header.issuing_body.upper(), bold, "center"), (header.number_line, regular, "center")]
        right = [(NATIONAL_HEADING, bold, "center"), (MOTTO, Font(name=FONT, size=14, bold=True), "center"),
                 (header.date_line, Font(name=FONT, size=14, italic=True), "center")]
        self._two_columns(left, right)
        self.row += 1

    def _block(self, block) -> None:
        if isinstance(block, Heading):
            font = Font(name=FONT, size=14, bold=block.level <= 2, italic=block.level >= 3)
            self._put(self.row, 1, self.columns, block.text, font)
            self.row += 1
        elif isinstance(block, Paragraph):
            font = Font(name=FONT, size=block.size or 14, bold=block.bold, italic=block.italic)
            for text in paragraphs_of(block.text):
                self._put(self.row, 1, self.columns, text, font, block.align)
                self.row += 1
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Image):
            self._image(block)
        else:
            raise TypeError(f"not a document block: {block!r}")

    def _table(self, table: Table) -> None:
        size = layout.table_font_pt(table)
        if table.title:
            self._put(self.row, 1, self.columns, table.title, Font(name=FONT, size=14, bold=True))
            self.row += 1
        for index, column in enumerate(table.columns, start=1):
            self._put(self.row, index, index, column.title, Font(name=FONT, size=size, bold=True), "center",
                      border=_GRID)
        if self.title_row is None:
            self.title_row = self.row
        self.row += 1
        for number, values in enumerate(table.rows):
            font = Font(name=FONT, size=size, bold=table.total_row and number == len(table.rows) - 1)
            for index, (column, value) in enumerate(zip(table.columns, values), start=1):
                self._value(index, column.kind, value, font)
            self.row += 1
        if table.note:
            self._put(self.row, 1, self.columns, table.note, Font(name=FONT, size=size, italic=True))
            self.row += 1
        self.row += 1

    def _value(self, column: int, kind: CellKind, value: Cell, font: Font) -> None:
        if value is None:
            horizontal = "right" if kind != "text" else "left"
            style = (font.size, font.b, horizontal, None)
            self._put(self.row, column, column, "—", font, horizontal, border=_GRID, style=style)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            number_format = NUMBER_FORMATS.get(kind)
            style = (font.size, font.b, "right", number_format)
            self._put(self.row, column, column, value, font, "right", number_format, _GRID, style)
        else:
            style = (font.size, font.b, "left", None)
            self._put(self.row, column, column, str(value), font, "left", border=_GRID, style=style)

    def _image(self, image: Image) -> None:
        picture = SheetImage(BytesIO(image.png))
        scale = image.width_mm / 25.4 * 96 / max(picture.width, 1)
        picture.width, picture.height = picture.width * scale, picture.height * scale
        anchor_column = max(1, (self.columns + 1) // 2)
        self.sheet.add_image(picture, f"{get_column_letter(anchor_column)}{self.row}")
        self.row += math.ceil(picture.height / 20) + 1  # default rows are 15 pt = 20 px
        if image.caption:
            self._put(self.row, 1, self.columns, image.caption, Font(name=FONT, size=12, italic=True), "center")
            self.row += 1
        self.row += 1

    def _closing(self, document: Document) -> None:
        left = []
        if document.recipients:
            left.append((RECIPIENTS_TITLE, Font(name=FONT, size=12, bold=True, italic=True), "left"))
            left += [(layout.recipient_line(line, "–"), Font(name=FONT, size=11), "left")
                     for line in document.recipients]
        right = []
        signature = document.signature
        if signature is not None:
            bold = Font(name=FONT, size=14, bold=True)
            right += [(text.upper(), bold, "center") for text in (signature.authority, signature.title) if text]
            right += [None] * 4 + [(signature.name, bold, "center")]
        self.row += 1
        self._two_columns(left, right)

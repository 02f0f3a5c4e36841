"""A spreadsheet (.xlsx) written while its rows are read, and a CSV likewise: the first bytes leave at
once and memory stays flat whatever the number of rows.

openpyxl, even in write_only mode, builds the whole file before the first byte can be sent (a roster
of 3,000 took 63 s, and a 100,000-row export holds the file and its rows in memory). Here the rows
are XML as they come: deflated into a zip entry written with a data descriptor (zipfile writes one
when its output cannot seek), and text goes in inline strings, so no shared-string table has to be
gathered first. Cells: text (defused as exports.defuse says, control characters dropped), whole and
decimal numbers as numbers, booleans, dates and times as Excel serial numbers shown dd/mm/yyyy.
A `Cell` adds bold or wrapped text to a value (header rows).
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Iterable, Iterator, Sequence

from openpyxl.utils import get_column_letter

from ...localtime import to_local
from .exports import defuse

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
FLUSH_BYTES = 64 * 1024   # XML gathered before it is deflated and handed on
MAX_CELL_TEXT = 32767     # Excel's limit for one cell

_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Style ids in styles.xml's cellXfs, below.
_PLAIN, _BOLD, _DATE, _DATETIME, _BOLD_WRAP, _WRAP, _PERCENT = range(7)


@dataclass(frozen=True)
class Cell:
    """A value with its looks; a bare value in a row is a plain cell. `percent` shows a fraction kept
    as a number as a percentage with one decimal (0.875 -> 87,5% in a Vietnamese Excel)."""
    value: object
    bold: bool = False
    wrap: bool = False
    percent: bool = False


@dataclass
class Sheet:
    """A worksheet: its name (Excel allows 31 characters), its rows (any iterable, read once, lazily)
    and optionally the widths of its first columns, in characters."""
    name: str
    rows: Iterable[Sequence]
    widths: Sequence[float] = field(default_factory=tuple)



def _text(value: str) -> str:
    value = _NOT_XML.sub("", value)[:MAX_CELL_TEXT]
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _serial(value: date | datetime) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = to_local(value).replace(tzinfo=None)
        delta = value - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
    return (value - _EPOCH.date()).days


def _cell_xml(ref: str, value, style: int) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, Decimal)) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{_DATETIME if style == _PLAIN else style}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE if style == _PLAIN else style}"><v>{_serial(value)}</v></c>'
    if isinstance(value, time):
        value = value.strftime("%H:%M")
    return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
            f'{_text(str(defuse(str(value))))}</t></is></c>')


def row_xml(number: int, values: Sequence) -> str:
    """One <row> of sheetData: `number` counts from 1."""
    cells = []
    for index, value in enumerate(values):
        style = _PLAIN
        if isinstance(value, Cell):
            style = (_BOLD_WRAP if value.wrap else _BOLD) if value.bold else (_WRAP if value.wrap else _PLAIN)
            style = _PERCENT if value.percent else style
            value = value.value
        ref = get_column_letter(index + 1) + str(number)   # openpyxl's table: a lookup, not a loop
        cells.append(_cell_xml(ref, value, style))
    return f'<row r="{number}">{"".join(cells)}</row>'


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '{sheets}</Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets>{sheets}</sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/><numFmt numFmtId="166" formatCode="0.0%"/></numFmts>'
    '<fonts count="2"><font><sz val="12"/><name val="Times New Roman"/></font>'
    '<font><b/><sz val="12"/><name val="Times New Roman"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment wrapText="1" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{cols}<sheetData>')
_SHEET_END = "</sheetData></worksheet>"


class _Sink:
    """What zipfile writes to: it cannot seek, so zipfile streams (sizes in data descriptors)."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _sheet_name(name: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", _NOT_XML.sub("", name)).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _cols(widths: Sequence[float]) -> str:
    if not widths:
        return ""
    return "<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                              for i, w in enumerate(widths, start=1)) + "</cols>"


def stream_xlsx(sheets: Sequence[Sheet], compresslevel: int = 6) -> Iterator[bytes]:
    """The .xlsx as chunks of bytes; each sheet's rows are pulled only as the file is written, the
    workbook's fixed parts leave before the first row is read."""
    sink = _Sink()
    book = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
    taken: set[str] = set()
    names = [_sheet_name(sheet.name, taken) for sheet in sheets]
    numbers = range(1, len(names) + 1)
    book.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n)
                                                                                for n in numbers)))
    book.writestr("_rels/.rels", _ROOT_RELS)
    book.writestr("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
        f'<sheet name="{_text(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in zip(numbers, names))))
    book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(rels="".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers)))
    book.writestr("xl/styles.xml", _STYLES)
    yield sink.drain()
    for n, sheet in zip(numbers, sheets):
        with book.open(f"xl/worksheets/sheet{n}.xml", "w") as entry:
            entry.write(_SHEET_START.format(cols=_cols(sheet.widths)).encode())
            pending, size = [], 0
            for number, values in enumerate(sheet.rows, start=1):
                xml = row_xml(number, values)
                pending.append(xml)
                size += len(xml)
                if size >= FLUSH_BYTES:
                    entry.write("".join(pending).encode())
                    pending, size = [], 0
                    if sink.chunks:
                        yield sink.drain()
            pending.append(_SHEET_END)
            entry.write("".join(pending).encode())
        yield sink.drain()
    book.close()
    yield sink.drain()


def stream_csv(header: Sequence[str], rows: Iterable[Sequence], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel reads the Vietnamese text), every text cell defused, in chunks of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, values in enumerate(rows, start=1):
        writer.writerow([defuse(v) for v in values])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")

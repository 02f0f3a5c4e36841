"""Which cells of a workbook are written in a legacy-encoding font (.VnTime, .VnTimeH, VNI-Times, ...).

Fonts are read only where they decide something: first a cheap look at the workbook's font table,
which settles most files (no legacy font at all); then, for files that have one, the font of each
non-empty cell in the first `max_rows` rows (openpyxl in read-only mode for .xlsx, xlrd for .xls).
Later rows follow their column (see person_list).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from . import legacy
from .sources import XLS, XLSX

_FONT_NAME = re.compile(rb'<(?:\w+:)?(?:name|rFont)\s+val="([^"]*)"')


@dataclass
class FontGrid:
    """Legacy encoding per (row, column), 0-based; "" for a cell whose font is an ordinary one."""

    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    rows_read: int = 0


def workbook_has_legacy_fonts(data: bytes, kind: str) -> bool:
    if kind == XLSX:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                styles = archive.read("xl/styles.xml") if "xl/styles.xml" in archive.namelist() else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            return False
        return any(legacy.font_encoding(name.decode("utf-8", "replace")) for name in _FONT_NAME.findall(styles))
    if kind == XLS:
        book = _open_xls(data)
        return book is not None and any(legacy.font_encoding(font.name) for font in book.font_list)
    return False


def _open_xls(data: bytes):
    import xlrd  # noqa: PLC0415 - only for an .xls with legacy fonts; most uploads never load it

    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception:  # xlrd cannot read it (calamine may have): no font information
        return None


def legacy_font_grid(data: bytes, kind: str, sheet: str, max_rows: int) -> FontGrid | None:
    """The fonts of the first `max_rows` rows; None when the fonts cannot be read although the cells
    could (a damaged styles or sheet part that calamine reads past): the caller then goes by the text."""
    try:
        return _font_grid(data, kind, sheet, max_rows)
    except Exception:  # openpyxl and xlrd raise anything from ParseError to IndexError on a damaged part
        return None


def _font_grid(data: bytes, kind: str, sheet: str, max_rows: int) -> FontGrid:
    grid = FontGrid()
    if kind == XLSX:
        import openpyxl  # noqa: PLC0415 - only for an .xlsx with legacy fonts (openpyxl loads in ~0.2 s)

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if sheet not in book.sheetnames:
                return grid
            for row in book[sheet].iter_rows(max_row=max_rows):
                for cell in row:
                    if cell.value is None or cell.value == "" or not hasattr(cell, "font"):
                        continue
                    _record(grid, cell.row - 1, cell.column - 1, cell.font.name if cell.font else None)
            grid.rows_read = max_rows
        finally:
            book.close()
    elif kind == XLS:
        book = _open_xls(data)
        if book is None or sheet not in book.sheet_names():
            return grid
        xls_sheet = book.sheet_by_name(sheet)
        fonts = book.font_list
        for r in range(min(max_rows, xls_sheet.nrows)):
            for c in range(xls_sheet.ncols):
                if xls_sheet.cell_value(r, c) in ("", None):
                    continue
                xf = book.xf_list[xls_sheet.cell_xf_index(r, c)]
                _record(grid, r, c, fonts[xf.font_index].name if xf.font_index < len(fonts) else None)
        grid.rows_read = max_rows
    return grid


def _record(grid: FontGrid, row: int, column: int, font_name: str | None) -> None:
    grid.cells[row, column] = legacy.font_encoding(font_name) or ""

"""What the three writers share: Decree 30/2020/NĐ-CP's page (A4, margins 20/20/30/15 mm), the vendored
Liberation Serif (metric-compatible with Times New Roman) and its widths, how the header's two columns
split the text width, and a zip rewritten with fixed timestamps so that one document written twice gives
the same bytes. Pure: fonts are read from the files beside this module."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont

from bdgtrain.documents.model import NATIONAL_HEADING, Column, Document, Table

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
A4_MM = (210.0, 297.0)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
PAGE_NUMBER_TOP = 10.0  # mm from the top edge: the page number from page 2 (decree)
BODY_PT, HEADER_PT, MOTTO_PT, RECIPIENTS_TITLE_PT, RECIPIENT_PT = 14.0, 13.0, 14.0, 12.0, 11.0
LINE_SPACING = 1.15
FIRST_LINE_INDENT_MM = 10.0
PARAGRAPH_AFTER_PT = 6.0
SIGNATURE_SPACE_MM = 28.0  # room for signature and seal between the title and the name
CELL_PADDING_MM = 1.9  # Word's default left/right cell margin (0.19 cm)
POINT_MM = 25.4 / 72
_RECIPIENT_DASH = re.compile(r"^[-–—]\s+")


def documents_of(documents: Document | Sequence[Document]) -> list[Document]:
    """One document or several as a list; at least one is needed to write a file."""
    listed = [documents] if isinstance(documents, Document) else list(documents)
    if not listed:
        raise ValueError("no document to write")
    return listed


def page_size_mm(landscape: bool) -> tuple[float, float]:
    width, height = A4_MM
    return (height, width) if landscape else (width, height)


def text_width_mm(landscape: bool) -> float:
    return page_size_mm(landscape)[0] - MARGIN_LEFT - MARGIN_RIGHT


@lru_cache(maxsize=4)
def _metrics(style: str) -> tuple[dict[int, str], dict[str, int], int]:
    font = TTFont(FONT_DIR / FONT_FILES[style], lazy=True)
    cmap = font.getBestCmap()
    advances = {name: metric[0] for name, metric in font["hmtx"].metrics.items()}
    return cmap, advances, font["head"].unitsPerEm


def string_width_mm(text: str, size_pt: float, style: str = "") -> float:
    """Printed width of one line of text in the vendored font (Times New Roman has the same metrics)."""
    cmap, advances, units = _metrics(style)
    total = sum(advances.get(cmap.get(ord(char), ".notdef"), 0) for char in text)
    return total / units * size_pt * POINT_MM


def header_split(width_mm: float, padding_mm: float = CELL_PADDING_MM) -> tuple[float, float]:
    """Left (issuing body) and right (national heading) column widths: about 40/60, the right one wide enough
    for the national heading at 13 pt bold on ONE line, as the decree prints it."""
    needed = string_width_mm(NATIONAL_HEADING, HEADER_PT, "B") + 2 * padding_mm + 3.0
    right = max(width_mm * 0.6, needed)
    return width_mm - right, right


def column_widths(columns: Sequence[Column], total_mm: float) -> list[float]:
    """The columns' relative widths scaled to `total_mm`."""
    weights = [max(column.width, 0.1) for column in columns]
    whole = sum(weights)
    return [total_mm * weight / whole for weight in weights]


def table_font_pt(table: Table) -> float:
    return 11.0 if len(table.columns) > 6 else 12.0


def recipient_line(line: str, dash: str = "-") -> str:
    """A "Nơi nhận" line as printed: the model keeps it bare ("Như trên;"); a dash typed in front of it
    ("- Như trên;") is not doubled."""
    return f"{dash} {_RECIPIENT_DASH.sub('', line.strip())}"


def fixed_zip(data: bytes, day: date, rewrite: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same zip with every member dated `day` at 00:00 (zip libraries stamp the current time), members
    in their order and compression; `rewrite(name, content)` may change a member's content on the way."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if rewrite is not None:
                content = rewrite(info.filename, content)
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, content)
    return out.getvalue()

"""Reading a CSV list: its bytes decoded (UTF-8, UTF-16, or 8-bit text in a Vietnamese or legacy
encoding, told by the text itself) and split into rows by the delimiter its first lines use."""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter

from bdgtrain.messages import Message

from . import legacy
from .results import ReadError
from .sources import Sheet, not_spreadsheet

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UTF16_NOTE = Message("Đã đọc tệp CSV mã UTF-16 (Unicode).")
_DELIMITERS = (",", ";", "\t", "|")


def decode_text(data: bytes, filename: str) -> tuple[str, str | None]:
    """The text of a CSV file and, when it was not UTF-8, a note saying how it was read.

    UTF-8 (with or without BOM) and UTF-16 (with a BOM, or Excel's "Unicode text" without one) are
    read as they are. Other 8-bit text is kept as Windows-1252 characters when it looks like
    TCVN3 or VNI (converted later), or read as Windows-1258 when that gives Vietnamese.
    """
    note = None
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", filename)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, note = _strict(data, "utf-16", filename), _UTF16_NOTE
    elif b"\x00" in data[:4096]:
        sample = data[:4096]
        if sample[1::2].count(0) > len(sample) // 4:
            text, note = _strict(data, "utf-16-le", filename), _UTF16_NOTE
        elif sample[0::2].count(0) > len(sample) // 4:
            text, note = _strict(data, "utf-16-be", filename), _UTF16_NOTE
        else:
            raise not_spreadsheet(Message("Tệp “%(file)s” không phải bảng tính hay tệp CSV.", file=filename))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, note = _eight_bit(data, filename)
    if _CONTROL.search(text):
        raise not_spreadsheet(Message("Tệp “%(file)s” không phải bảng tính hay tệp CSV.", file=filename))
    return text, note


def _strict(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _text_encoding(filename) from None


def _text_encoding(filename: str) -> ReadError:
    return ReadError("file.text_encoding", Message(
        "Không đọc được bảng mã của tệp “%(file)s”. Hãy mở tệp bằng "
        "Excel và lưu lại dạng “CSV UTF-8” hoặc “Excel Workbook (.xlsx)”.", file=filename))


def _eight_bit(data: bytes, filename: str) -> tuple[str, str | None]:
    try:
        latin = data.decode("cp1252")
    except UnicodeDecodeError:
        latin = data.decode("latin-1")
    unsure = False
    try:
        if legacy.has_legacy_signs(latin) and legacy.detect_encoding(latin.splitlines()):
            return latin, None  # TCVN3 or VNI bytes: converted with the rest of the text
    except legacy.LegacyUnsure:
        unsure = True
    try:
        vietnamese = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        vietnamese = ""
    words = re.findall(r"[^\W\d_]+", vietnamese)
    accented = [word for word in words if not word.isascii()]
    if accented and sum(map(legacy.is_syllable, accented)) * 10 >= len(accented) * 9:
        return vietnamese, Message("Đã đọc tệp CSV theo bảng mã Windows-1258.")
    if unsure:
        return latin, None  # the reader raises the doubt about TCVN3/VNI with its own message
    raise _text_encoding(filename)


def split_csv(text: str) -> Sheet:
    lines = text.splitlines()[:60]
    delimiter, best = ",", (0, 0)
    for candidate in _DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=candidate) if len(row) > 1)
        if widths:
            width, count = widths.most_common(1)[0]
            if (count, width) > best:
                delimiter, best = candidate, (count, width)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(map(len, rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return Sheet(None, rows, [])

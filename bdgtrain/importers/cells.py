"""One cell of a person list to one clean value, or a CellError whose message the person can act on.

Values arrive as the spreadsheet reader gives them: text, numbers (often float: 912345678.0,
1980.0), dates and datetimes. Each parser takes one such value, never an empty one, and is pure;
the row loop in person_list caches the ones whose values repeat (sex, birth, ethnicity, unit...).
Messages quote the value as written and carry no final full stop, as a table cell shows them.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from bdgtrain.messages import Message
from bdgtrain.rules.dates import DateExpressionError, format_vn_date, parse_vn_date
from bdgtrain.rules.names import BIDI_CONTROLS, fold, normalise_name

MIN_BIRTH_YEAR = 1920
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1/1/1900 (Excel counts a 29/2/1900 that never was)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/'\u00a0\u2010-\u2015]")
_ID_SEPARATORS = re.compile(r"[\s.\-'\u00a0]")
_YEAR = re.compile(r"[0-9]{4}")
_DIGIT = re.compile(r"\d")
_AROUND_SEPARATOR = re.compile(r"\s*([/.-])\s*")
_MONTH_YEAR = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T].*)?")
_SHORT_YEAR = re.compile(r"[0-9]{1,2}\s*([/.-])\s*[0-9]{1,2}\s*\1\s*[0-9]{2}")
_FEMALE = {"nu", "f", "female", "nu gioi", "gai", "x nu"}
_MALE = {"nam", "m", "male", "nam gioi", "trai", "x nam"}
MARKS = {"x", "v", "+", "1", "\u2713", "\u2714", "\u2715", "\u2717", "\u00d7"}  # ticks in a Nam/Nữ column
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeffÐð" + BIDI_CONTROLS)


class CellError(ValueError):
    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


def shown(value) -> str:
    """A value as the person typed it, for a message."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_vn_date(value)
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:60] + "…"


_BLANK_START = frozenset(" \t\r\n\u00a0\u3000-–—")


def is_blank(value) -> bool:
    """Empty, spaces only, or a dash standing for "nothing"."""
    if value == "" or value is None:
        return True
    if type(value) is not str or value[0] not in _BLANK_START and not value[0].isspace():
        return False
    return not value.strip().strip("-–—").strip()


def text(value) -> str | None:
    """Free text: NFC, whitespace and line breaks collapsed to single spaces."""
    if isinstance(value, str):
        if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " " \
                and unicodedata.is_normalized("NFC", value):
            return value or None
        return " ".join(unicodedata.normalize("NFC", value).split()) or None
    return shown(value) or None


def full_name(value) -> str:
    """normalise_name, with a shortcut for names already tidy (most of them) that gives the same result."""
    if not isinstance(value, str):
        raise CellError(Message("Họ và tên “%(value)s” có chữ số", value=shown(value)))
    if (value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "
            and value != value.upper() and value != value.lower() and unicodedata.is_normalized("NFC", value)
            and _INVISIBLE.isdisjoint(value)):
        name = value
    else:
        name = normalise_name(value)
    if _DIGIT.search(name):
        raise CellError(Message("Họ và tên “%(value)s” có chữ số", value=shown(name)))
    return name


def proper(value) -> str | None:
    """Short labels such as an ethnicity: tidy, and proper case when typed all upper or all lower."""
    return normalise_name(value) or None if isinstance(value, str) else text(value)


def sex(value) -> str:
    key = fold(value) if isinstance(value, str) else ""
    if key in _FEMALE:
        return "F"
    if key in _MALE:
        return "M"
    raise CellError(Message("Giới tính “%(value)s” không rõ (ghi Nam hoặc Nữ)", value=shown(value)))


def is_mark(value) -> bool:
    return isinstance(value, str) and value.strip().lower() in MARKS


def birth(value, today: date) -> tuple[date | None, int]:
    """(date or None, year) from a date cell, a number (a year or an Excel serial) or text."""
    day: date | None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CellError(Message("Ngày sinh “%(value)s” không đọc được", value=shown(value)))
    elif isinstance(value, (int, float)):
        if float(value).is_integer() and 1000 <= value <= 9999:
            return None, _check_year(int(value), today)
        if not 1 <= value < 2958466:  # also NaN and infinities
            raise CellError(Message("Ngày sinh “%(value)s” không đọc được", value=shown(value)))
        day = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        day = _birth_text(value, today)
        if day is None:
            return None, _check_year(int(value.strip()[-4:]), today)
    _check_year(day.year, today)
    if day > today:
        raise CellError(Message("Ngày sinh %(date)s ở tương lai", date=format_vn_date(day)))
    return day, day.year


def _birth_text(value: str, today: date) -> date | None:
    written = _AROUND_SEPARATOR.sub(r"\1", " ".join(value.split()))  # "15 / 3 / 1980" -> "15/3/1980"
    if _YEAR.fullmatch(written):
        return None
    month_year = _MONTH_YEAR.fullmatch(written)
    if month_year:
        if not 1 <= int(month_year[1]) <= 12:
            raise CellError(Message("Tháng sinh “%(value)s” không tồn tại", value=written))
        return None
    iso = _ISO_DATE.fullmatch(written)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            raise CellError(Message("Ngày %(date)s không tồn tại", date=written)) from None
    if _SHORT_YEAR.fullmatch(written):
        raise CellError(Message("Ngày sinh “%(value)s” phải ghi năm đủ bốn chữ số, ví dụ 15/03/1980",
                                value=written))
    try:
        return parse_vn_date(written)
    except DateExpressionError as error:
        if error.code == "date.invalid":
            year = re.search(r"[0-9]{4}$", written)
            if year and not 1900 <= int(year.group()) <= 2100:
                _check_year(int(year.group()), today)
            raise CellError(Message("Ngày %(date)s không tồn tại", date=written)) from None
        raise CellError(Message("Ngày sinh “%(value)s” không đọc được (ghi ngày/tháng/năm như 15/03/1980, "
                                "hoặc chỉ năm sinh)", value=written)) from None


def _check_year(year: int, today: date) -> int:
    if year > today.year:
        raise CellError(Message("Năm sinh %(year)s ở tương lai", year=year))
    if year < MIN_BIRTH_YEAR:
        raise CellError(Message("Năm sinh %(year)s không hợp lý (trước %(min)s)", year=year, min=MIN_BIRTH_YEAR))
    return year


def _digits(value, separators: re.Pattern) -> str:
    if isinstance(value, bool):
        return "?"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else "?"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return separators.sub("", value)
    return "?"


def phone(value) -> tuple[str, bool]:
    """(the number as 0 + digits, whether a leading 0 lost by Excel was put back).

    Spaces, dots, dashes, slashes and brackets go; +84, 84 and 0084 become 0; 9 digits not
    starting with 0 (or 10, an old landline) get their 0 back. A mobile has 10 digits, a landline
    written before 2017 may have 11.
    """
    if isinstance(value, str) and len(value) == 10 and value[0] == "0" != value[1] and value.isdigit() \
            and value.isascii():
        return value, False  # the common case, already clean
    digits = _digits(value, _PHONE_SEPARATORS)
    international = digits.startswith("+")
    digits = digits[1:] if international else digits
    if digits.startswith("0084"):
        digits, international = digits[2:], True
    restored = False
    if digits.isascii() and digits.isdigit():
        if digits.startswith("84") and (international or len(digits) in (11, 12)):
            digits = digits[2:] if digits[2:3] == "0" else "0" + digits[2:]
        elif len(digits) in (9, 10) and digits[0] != "0":
            digits, restored = "0" + digits, True
        if len(digits) in (10, 11) and digits[0] == "0" and digits[1] != "0":
            return digits, restored
    raise CellError(Message("Số điện thoại “%(value)s” không hợp lệ", value=shown(value)))


def id_number(value, zeros_may_be_lost: bool) -> tuple[str, bool]:
    """(CCCD of 12 digits or CMND of 9, whether a lost leading 0 was put back).

    A number cell (or CSV) loses the leading 0 that every CCCD has (its first three digits are the
    province code, 001-096): 11 digits become 12 again, and 8 digits a 9-digit CMND.
    """
    if isinstance(value, str) and len(value) == 12 and value.isdigit() and value.isascii():
        return value, False
    digits = _digits(value, _ID_SEPARATORS)
    if digits.isascii() and digits.isdigit():
        if len(digits) in (9, 12):
            return digits, False
        if zeros_may_be_lost or not isinstance(value, str):
            if len(digits) == 11 and 1 <= int(digits[:2]) <= 96:
                return "0" + digits, True
            if len(digits) == 8:
                return "0" + digits, True
    raise CellError(Message("Số CCCD/CMND “%(value)s” không hợp lệ (CCCD có 12 chữ số, CMND có 9 chữ số)",
                            value=shown(value)))


def email(value) -> str:
    address = value.strip() if isinstance(value, str) else ""
    if address.lower().startswith("mailto:"):
        address = address[7:]
    if _EMAIL.fullmatch(address):
        return address
    raise CellError(Message("Email “%(value)s” không hợp lệ", value=shown(value)))

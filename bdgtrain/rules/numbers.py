"""Numbers as a reader writes them: the one rule every page, file and command goes through.

Vietnamese writes a decimal comma and groups thousands with a dot ("3.006", "3,92"); a share is a
percentage with one decimal and no space before the sign ("41,7%"); a missing figure is "—", never 0.
Rounding is half-up on the figure as written, as a hand count rounds (0.125 -> "12,5%", 2.675 -> "2,68"):
Python's `round` and `format` round half to even on the float's binary value (round(2.675, 2) == 2.67,
round(2.5) == 2), so a tie lands either way by chance.
The English UI reads the same figures with English separators ("41.7%", "3,006"): a Vietnamese "3.006"
read by an English reader is three, not three thousand.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

MISSING = "—"  # no figure: an em dash, never "0" (a unit that did not report is not a unit at 0%)

# locale -> (decimal mark, thousands separator)
SEPARATORS = {"vi": (",", "."), "en": (".", ",")}
DEFAULT_LOCALE = "vi"

Number = int | float | Decimal


def _separators(locale: str | None) -> tuple[str, str]:
    return SEPARATORS.get((locale or DEFAULT_LOCALE).split("_")[0].split("-")[0].lower(), SEPARATORS["vi"])


def _exact(value: Number) -> Decimal | None:
    """The value as the decimal a person reads: a float by its shortest repr (2.345, not 2.34499...)."""
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else int(value))
    return exact if exact.is_finite() else None


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _write(exact: Decimal, digits: int, locale: str | None, sign: bool = False) -> str:
    mark, thousands = _separators(locale)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # never "-0,0": a change that rounds to nothing has no sign
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = _group(whole, thousands) + (mark + fraction if digits > 0 else "")
    if rounded < 0:
        return "-" + text
    return ("+" + text) if sign and rounded > 0 else text


def decimal(value: Number | None, digits: int = 2, locale: str | None = None) -> str:
    """3.916 -> "3,92"; 1234.5 -> "1.234,50"; None -> "—"."""
    if type(value) is int and digits >= 0:
        # A count is exact: nothing to round, so no Decimal (what _write would write, in a fifth of the time; a
        # plan's summary page writes 1,600 counts).
        mark, thousands = _separators(locale)
        text = _group(str(abs(value)), thousands) + (mark + "0" * digits if digits > 0 else "")
        return "-" + text if value < 0 else text
    exact = None if value is None else _exact(value)
    return MISSING if exact is None else _write(exact, digits, locale)


def integer(value: Number | None, locale: str | None = None) -> str:
    """3006 -> "3.006"; a non-whole value is rounded half-up (2.5 -> "3"); None -> "—"."""
    return decimal(value, 0, locale)  # a count takes decimal()'s short way


def points(value: Number | None, locale: str | None = None) -> str:
    """A score or an average on a scale (feedback 1-5): two decimals, 4.25 -> "4,25"."""
    return decimal(value, 2, locale)


def percent(share: Number | None, digits: int = 1, locale: str | None = None) -> str:
    """A fraction as a percentage: 0.4167 -> "41,7%"; 0.125 -> "12,5%"; None -> "—"."""
    exact = None if share is None else _exact(share)
    return MISSING if exact is None else _write(exact * 100, digits, locale) + "%"


def percent_value(value: Number | None, digits: int = 1, locale: str | None = None) -> str:
    """A figure already in percent (a target typed as 75, a pace of 41.67 per hundred): 41.67 -> "41,7%"."""
    exact = None if value is None else _exact(value)
    return MISSING if exact is None else _write(exact, digits, locale) + "%"


def percentage_points(change: Number | None, digits: int = 1, locale: str | None = None) -> str:
    """A change between two shares, signed, in points of percent: 0.125 -> "+12,5"; -0.05 -> "-5,0"."""
    exact = None if change is None else _exact(change)
    return MISSING if exact is None else _write(exact * 100, digits, locale, sign=True)


def parse(text: str, locale: str | None = None) -> Decimal | None:
    """The number a written figure stands for ("3.006" -> 3006, "41,7%" -> 41.7, "—" -> None); a
    percentage comes back in percent. The inverse of the writers above, for tests and typed input."""
    cleaned = text.strip()
    if cleaned == MISSING:
        return None
    mark, thousands = _separators(locale)
    cleaned = cleaned.removesuffix("%").replace(thousands, "").replace(mark, ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a number as written: {text!r}") from None

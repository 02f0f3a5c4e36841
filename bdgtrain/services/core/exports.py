"""What every exported file shares: cells that a spreadsheet would read as a formula are defused, so
a hostile name cannot run anything in Excel or LibreOffice."""
from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """A text cell starting like a formula gets a leading apostrophe (OWASP's advice for CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value

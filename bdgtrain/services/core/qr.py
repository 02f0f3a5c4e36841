"""QR codes for tickets and room codes, as PNG and SVG, at error-correction level M.

segno rather than qrcode: pure Python, no Pillow, and it writes SVG and PNG itself. A URL whose
characters all belong to QR's alphanumeric set (upper-case letters, digits, " $%*+-./:") is
encoded in that mode, about a third smaller than bytes; scheme and host are case-insensitive and
our token paths accept upper case, so ticket URLs are upper-cased when that keeps them exact.

Images are made once and kept (an LRU in memory, keyed by the text: a ticket's token is in its URL):
printing the cards of a 3,000-person class again, or a phone reloading its ticket, draws no code twice.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from urllib.parse import urlsplit

import segno

_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")


def compact_url(url: str) -> str:
    """The URL upper-cased when only its case-insensitive parts and an upper-case token change."""
    parts = urlsplit(url)
    if parts.query or parts.fragment or parts.path != parts.path.upper():
        return url
    candidate = url.upper()
    return candidate if _ALPHANUMERIC.fullmatch(candidate) else url


QR_CACHE_SIZE = 4096  # a 3,000-person class's cards (about 2 kB each as SVG) with room to spare


@lru_cache(maxsize=512)
def _code(text: str) -> segno.QRCode:
    return segno.make(text, error="m", boost_error=False, micro=False)


@lru_cache(maxsize=QR_CACHE_SIZE)
def qr_png(text: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    _code(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(text: str, scale: int = 4, title: str | None = None, fluid: bool = False) -> str:
    """An SVG document (or, inline, an <svg> element) that prints sharp at any size.

    `fluid` leaves out width and height (keeping the viewBox) so that CSS sizes an inline code:
    the kiosk fills the projector, a printed card gets its 3 cm.
    """
    return _svg(text, scale, None if title is None else str(title), fluid)


@lru_cache(maxsize=QR_CACHE_SIZE)
def _svg(text: str, scale: int, title: str | None, fluid: bool) -> str:
    out = io.BytesIO()
    _code(text).save(out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True,
                     title=title, unit=None, svgclass="qr", lineclass=None, omitsize=fluid)
    return out.getvalue().decode()

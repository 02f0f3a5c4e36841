"""Short names of units for narrow table columns: "Huyện Đức Thọ" → "H. Đức Thọ".

A report lists the province's units in its first column; written in full ("Sở Lao động - Thương binh
và Xã hội (Cơ quan Thường trực ...)") they squeeze that column to a word per line at 1366 px. The
page shows the short name and keeps the full one on hover (title=) and for screen readers.

Only the abbreviations a Vietnamese official writes himself are used: the administrative prefixes
(TP., TX., H., TT., P., X.) and the usual acronyms of bodies (UBND, HĐND, LĐ-TB&XH, LHPN). A
bracketed remark is dropped. Pure: text in, text out.
"""
from __future__ import annotations

import re
import unicodedata

# Longest first, so that "Thành phố" is not read as "Thành" + something else.
_PREFIXES = (
    ("Thành phố", "TP."), ("Thị xã", "TX."), ("Thị trấn", "TT."), ("Huyện", "H."), ("Quận", "Q."),
    ("Phường", "P."), ("Xã", "X."),
)
_PHRASES = (
    ("Lao động - Thương binh và Xã hội", "LĐ-TB&XH"),
    ("Lao động, Thương binh và Xã hội", "LĐ-TB&XH"),
    ("Hội Liên hiệp Phụ nữ", "Hội LHPN"),
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Mặt trận Tổ quốc Việt Nam", "MTTQ Việt Nam"),
)
_SPACES = re.compile(r"\s+")
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")


def short_unit_name(name: str | None) -> str:
    """The unit's name as a narrow column shows it; the full name when nothing is shortened."""
    if not name:
        return ""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()
    text = _REMARK.sub("", text) or text
    for phrase, short in _PHRASES:
        text = re.sub(re.escape(phrase), short, text, flags=re.IGNORECASE)
    for prefix, short in _PREFIXES:
        # Only a leading prefix followed by a proper name: "Xã hội" is not a commune.
        match = re.match(rf"{prefix} (?=\w)", text)
        if match and text[match.end():][:1].isupper():
            text = f"{short} {text[match.end():]}"
            break
    return text

"""The plain text of a Kế hoạch as lines: tidied, wrapped lines joined, markers and sections found."""
from __future__ import annotations

import re
import unicodedata

from ..names import fold

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)
BULLET = re.compile(r"^\s*[-–—•+*]\s*")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})[.)]\s*(?P<rest>\S.*)$")
NUMBERED = re.compile(r"^(?P<num>[0-9]{1,2}(?:\.[0-9]{1,2})*)[.)]?\s+(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^(?P<num>[a-zđ])\)\s*(?P<rest>\S.*)$")
_STARTS_LOWER = re.compile(r"^[^\W\d_]")


def tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).replace("\xa0", " ")
    text = text.replace("**", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+", " ", text)


def text_lines(text: str) -> list[str]:
    """Non-empty lines, a line that only continues the sentence above (a PDF's wrap) joined to it."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip().strip("*").strip()
        if not line:
            continue
        if (lines and not re.search(r"[.;:!?]$", lines[-1]) and _STARTS_LOWER.match(line) and line[0].islower()
                and not BULLET.match(line) and not _LETTERED.match(line)):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def strip_marker(line: str) -> str:
    """The line without its bullet or numbering ("- ", "1.3. ", "II. ", "a) ")."""
    line = BULLET.sub("", line)
    for pattern in (_ROMAN, NUMBERED, _LETTERED):
        match = pattern.match(line)
        if match:
            return match["rest"].strip()
    return line.strip()


def is_heading(line: str) -> bool:
    return bool(_ROMAN.match(line) or NUMBERED.match(line) or _LETTERED.match(line))


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def first_lower(text: str) -> str:
    """"Tổ chức tập huấn" -> "tổ chức tập huấn", but an acronym or a name in capitals stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def sentences(line: str) -> list[str]:
    body = strip_marker(line)
    parts = re.split(r"(?<=[^\s0-9][.;!?])\s+(?=[A-ZĐÀ-Ỹ])", body)
    return [p.strip() for p in parts if p.strip()]



def section_of(lines: list[str], keywords: tuple[str, ...]) -> list[tuple[int, str]]:
    """The lines under the first heading whose folded text starts with one of `keywords`, to the next
    heading of the same kind (roman, or numbered at the same depth)."""
    for i, line in enumerate(lines):
        roman, numbered = _ROMAN.match(line), NUMBERED.match(line)
        match = roman or numbered
        if not match or not fold(match["rest"]).startswith(keywords):
            continue
        depth = match["num"].count(".") if numbered else -1
        out = []
        for j in range(i + 1, len(lines)):
            other_roman, other_numbered = _ROMAN.match(lines[j]), NUMBERED.match(lines[j])
            if other_roman or (other_numbered and depth >= 0 and other_numbered["num"].count(".") <= depth):
                break
            if lines[j].lower().startswith("nơi nhận"):
                break
            out.append((j, lines[j]))
        return [(i, line), *out]
    return []

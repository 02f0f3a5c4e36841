"""Rows of a list that are not people: where its footer starts (totals, signatures, the place and
date) and the labels of group rows ("I. Huyện Hương Sơn"), told from the rows' few cells. Pure.
"""
from __future__ import annotations

import re

from . import cells
from .headers import header_key

_FOOTER = re.compile(
    r"(nguoi (lap|tong hop|duyet|ky)|lap (bieu|bang)|(pho )?giam doc|(pho )?chu tich|truong (phong|ban|khoa)"
    r"|thu truong|xac nhan|noi nhan|da ky|ky ten|ky (va )?ghi ro|ky dong dau|ky xac nhan|ho ten chu ky"
    r"|(kt|tm|tl|tuq|q) .+|.*\bngay\b.*\bthang\b.*\bnam\b.*)( .*)?")
_TOTAL = re.compile(r"(tong cong|tong so|tong|cong)( so)?( (nguoi|hoc vien|dai bieu|can bo|dong chi))?( [0-9].*)?")
_ENUMERATOR = re.compile(r"(?:[IVXL]{1,6}|[A-Z])[.)/-]?")
_ENUMERATED_TEXT = re.compile(r"(?:[IVXL]{1,6}|[A-Z])[.)/-]\s*\S.*", re.DOTALL)

_blank = cells.is_blank


def is_row_number(value) -> bool:
    if type(value) in (int, float):
        return True
    return type(value) is str and value.strip().rstrip(".").isdigit()


class Footer:
    """Whether a row opens the footer: footer words only, and no person after it."""

    def __init__(self, rows: list[list], start: int, name_c: int, stt_c: int | None, used: list[int]):
        self.rows, self.start, self.name_c, self.stt_c, self.used = rows, start, name_c, stt_c, used
        self._last_person: int | None = None

    def last_person(self) -> int:
        if self._last_person is None:
            self._last_person = -1
            for r in range(len(self.rows) - 1, self.start - 1, -1):
                row = self.rows[r]
                if _blank(row[self.name_c]):
                    continue
                numbered = self.stt_c is not None and is_row_number(row[self.stt_c])
                if numbered or sum(not _blank(row[c]) for c in self.used) >= 3:
                    self._last_person = r
                    break
        return self._last_person

    def starts_at(self, r: int, filled: list) -> bool:
        keys = [header_key(value) if isinstance(value, str) else "" for value in filled]
        looks = (_TOTAL.fullmatch(keys[0]) is not None
                 or (len(keys) <= 3 and all(_FOOTER.fullmatch(key) for key in keys)))
        return looks and r > self.last_person()


def group_label(row: list, stt_c: int | None, filled: list[tuple[int, object]], wide: bool) -> str | None:
    """The label of a group row ("I. Huyện Hương Sơn"), or None for a row about a person."""
    stt = row[stt_c] if stt_c is not None else ""
    others = [cells.shown(value) for c, value in filled if c != stt_c]
    if isinstance(stt, str) and _ENUMERATOR.fullmatch(stt.strip()):
        return " ".join(others) or stt.strip()
    if len(filled) == 1:
        c, value = filled[0]
        if isinstance(value, str) and (_ENUMERATED_TEXT.fullmatch(value.strip()) or c == stt_c or wide):
            return cells.shown(value)
    return None

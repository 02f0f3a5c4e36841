"""Does a nominee fit the class's audience (thành phần)? Warnings, never refusals: the organiser decides.

Units arrive as free text ("UBND xã Cẩm Bình", "Phòng Nội vụ huyện Đức Thọ"), so the level of
government is read from the words that name it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..messages import Message, listing
from .names import fold

# Checked in order: the most local level named in the text wins ("xã X, huyện Y" is a commune).
_KIND_PATTERNS = [
    ("commune", re.compile(r"\b((?<!thi )xa|phuong|thi tran)\b")),
    # Inside a province, "thành phố Hà Tĩnh" is a district-level town.
    ("district", re.compile(r"\b(huyen|thi xa|quan|thanh pho|thanh uy|huyen uy|thi uy)\b")),
    ("school", re.compile(r"\b(truong)\b")),
    ("department", re.compile(r"\b(so|ban|chi cuc|cuc)\b")),
    ("union", re.compile(r"\b(hoi|doan|mat tran|lien doan)\b")),
    ("province", re.compile(r"\b(tinh|tinh uy|ubnd tinh|hdnd tinh)\b")),
]

SEX_WORDS = {"F": Message("nữ"), "M": Message("nam")}
KIND_WORDS = {
    "province": Message("cấp tỉnh"), "department": Message("sở, ban, ngành"), "union": Message("đoàn thể"),
    "district": Message("cấp huyện"), "commune": Message("cấp xã"), "school": Message("trường học"),
    "unit": Message("đơn vị khác"),
}
_DISTRICT_PREFIX = re.compile(r"^(huyen|thi xa|thanh pho|quan)\s+")


@lru_cache(maxsize=16384)  # the same units recur on every list
def guess_org_kind(unit_text: str | None) -> str | None:
    if not unit_text:
        return None
    text = fold(unit_text)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return None


def district_key(name: str) -> str:
    """"Huyện Cẩm Xuyên" -> "cam xuyen": the part a unit's text repeats ("UBND xã Cẩm Bình, huyện Cẩm Xuyên")."""
    return _DISTRICT_PREFIX.sub("", fold(name))


class DistrictFinder:
    """Which district a unit's text names. A full name ("huyện Kỳ Anh") beats a bare one ("Kỳ Anh",
    also the town "thị xã Kỳ Anh"); two equally good candidates give None rather than a guess.
    Built once per import: the district names are folded once and each distinct unit text read once."""

    def __init__(self, districts: Iterable[tuple[object, str]]):
        self._names = [(key, f" {fold(name)} ", f" {district_key(name)} ") for key, name in districts]
        self._seen: dict[str, object | None] = {}

    def __call__(self, unit_text: str | None) -> object | None:
        if not unit_text:
            return None
        if unit_text not in self._seen:
            self._seen[unit_text] = self._find(f" {fold(unit_text)} ")
        return self._seen[unit_text]

    def _find(self, text: str) -> object | None:
        found = []
        for key, full, short in self._names:
            if full in text:
                found.append(((2, len(full)), key))
            elif short.strip() and short in text:
                found.append(((1, len(short)), key))
        if not found:
            return None
        found.sort(key=lambda item: item[0], reverse=True)
        if len(found) > 1 and found[0][0] == found[1][0]:
            return None
        return found[0][1]


def find_district(unit_text: str | None, districts: Iterable[tuple[object, str]]) -> object | None:
    return DistrictFinder(districts)(unit_text)


def eligibility_warnings(sex: str | None, unit_kind: str | None, eligible_sex: str | None,
                         eligible_kinds: Iterable[str]) -> list[str]:
    """Warnings (Messages, Vietnamese as text) for a nominee outside the audience; unknown facts give no warning."""
    warnings = []
    if eligible_sex and sex and sex != eligible_sex:
        warnings.append(Message("Lớp dành cho %(wanted)s, người này là %(sex)s.",
                                wanted=SEX_WORDS[eligible_sex], sex=SEX_WORDS.get(sex, sex)))
    kinds = list(eligible_kinds)
    if kinds and unit_kind and unit_kind not in kinds:
        warnings.append(Message("Lớp dành cho cán bộ %(wanted)s; đơn vị của người này là %(kind)s.",
                                wanted=listing(KIND_WORDS.get(k, k) for k in kinds),
                                kind=KIND_WORDS.get(unit_kind, unit_kind)))
    return warnings

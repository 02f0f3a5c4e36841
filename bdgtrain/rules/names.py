"""Vietnamese personal names: tidy them, fold them for search, split them, and key them for sorting.

A full name is written family, middle, given ("Nguyễn Thị Hoa"). Lists sort by the given name,
then the middle names, then the family name, in Vietnamese alphabetical order

    a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z)

(f j w z, found in ethnic-minority and foreign names, sit where the Latin alphabet puts them;
apostrophes, hyphens and digits come before the letters; any other character after them).
Within each part the letters decide first; the tones only break ties, in the order
none < huyền (à) < hỏi (ả) < ngã (ã) < sắc (á) < nặng (ạ). A word carries one tone wherever the
mark sits, so "Hoà" and "Hòa", "Thuỷ" and "Thủy" sort as equals. Digraphs (ch, gi, kh, ng, nh,
ph, qu, th, tr) are plain letter sequences, as in modern dictionaries.

split_name takes the first word as the family name and the last as the given name; compound family
names (Tôn Nữ, Âu Dương) and Ê Đê-style names written given-first need an explicit override by
the caller.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Zero-width characters and soft hyphens ride along when names are copied out of Word or Excel;
# legacy-encoding converters write the Icelandic eth (Ð ð) for the Vietnamese đ, which looks the same.
# Bidirectional controls (embeddings, overrides, isolates, the LRM/RLM marks) have no place in a
# Vietnamese name and can make one read as another on screen and in files ("Hoa\u202eeht" shows reversed).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
_CLEAN = {**dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff" + BIDI_CONTROLS)),
          ord("Ð"): "Đ", ord("ð"): "đ"}


def _clean(raw: str) -> str:
    """NFC, invisible characters dropped, whitespace (NBSP included) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", raw.translate(_CLEAN)).split())


def tidy_text(raw: str) -> str:
    """A name kept as typed (an account's name): NFC, invisible and bidirectional controls dropped, single spaces."""
    return _clean(raw)


def normalise_name(raw: str) -> str:
    """The name as it should be stored: tidy, and in proper case when it was typed all upper or all lower."""
    name = _clean(raw)
    if name in (name.upper(), name.lower()):
        # title() also capitalises after an apostrophe, as ethnic-minority names want ("H'Hen").
        name = unicodedata.normalize("NFC", " ".join(word.title() for word in name.split(" ")))
    return name


# Every combining mark (Unicode category M) removed, and đ as d, in one C-level str.translate:
# folding runs for every row of a 100,000-row import, so it must not loop in Python per character.
# The ranges hold the combining marks of Latin-script text (Vietnamese, ethnic-minority names);
# scanning all of Unicode would cost every process start half a second.
_MARK_RANGES = (range(0x0300, 0x0370), range(0x0483, 0x048A), range(0x1AB0, 0x1B00), range(0x1DC0, 0x1E00),
                range(0x20D0, 0x2100), range(0xFE20, 0xFE30))
_FOLD = {code: None for block in _MARK_RANGES for code in block if unicodedata.category(chr(code)).startswith("M")}
_FOLD[ord("đ")] = "d"


@lru_cache(maxsize=65536)  # units and names repeat across a province's lists
def fold(text: str) -> str:
    """A search form: lower case, no diacritics, đ as d, single spaces ("Đặng Thị Hoà" -> "dang thi hoa")."""
    text = unicodedata.normalize("NFKD", text.translate(_CLEAN)).casefold()
    text = unicodedata.normalize("NFKD", text)  # casefold may produce letters that decompose further
    return " ".join(text.translate(_FOLD).split())


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given); one word is a given name alone."""
    words = _clean(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


# The key is ASCII and compares correctly byte by byte (SQLite BINARY, PostgreSQL "C"): every
# letter becomes a two-digit unit, so shorter words and empty parts come first because the part
# terminator and the word space are the smallest units. The apostrophe and hyphen inside names
# (H'Hen) come next, so "H'Hen" and "H'Mai" stay together between "H" and "Ha".
_END, _SPACE = "00", "01"
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_UNITS = {"'": "02", "\u2019": "02", "\u02bc": "02", "-": "03", ".": "04",
          **{str(n): f"{10 + n}" for n in range(10)}, **{c: f"{20 + n}" for n, c in enumerate(_ALPHABET)}}
_SHAPES = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: they make new letters (ă â ê ô ơ ư)
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}  # à ả ã á ạ


def _unit(char: str) -> str:
    # Any other character sorts after the letters, by code point: "~" is above every digit.
    return _UNITS.get(char) or f"~{ord(char):06x}"


@lru_cache(maxsize=65536)  # a province has few distinct words in its names: "Nguyễn", "Thị", ...
def _word_key(word: str) -> tuple[str, str]:
    """(letter units, tone digit) for one word; the tone is the first tone mark found, else "0"."""
    units, tones, letter = [], [], ""
    for char in unicodedata.normalize("NFD", word) + " ":  # the space flushes the last letter
        if letter and unicodedata.combining(char):
            if char in _TONES:
                tones.append(_TONES[char])
            else:
                letter += char
            continue
        if letter:
            composed = unicodedata.normalize("NFC", letter)
            units += [_UNITS[composed]] if composed in _UNITS else [_unit(c) for c in letter]
        letter = char
    return "".join(units), (tones or ["0"])[0]


def _part_key(part: str) -> str:
    words = [_word_key(word) for word in part.casefold().split()]
    return _SPACE.join(units for units, _ in words) + _END + "".join(tone for _, tone in words)


def sort_key(full_name: str) -> str:
    """An ASCII key that orders names the Vietnamese way: given name, then middle names, then family name."""
    family, middle, given = split_name(full_name)
    return "".join(_part_key(part) for part in (given, middle, family))


def text_sort_key(text: str) -> str:
    """An ASCII key that orders a text written in reading order (a unit's name: "Huyện Đức Thọ") the
    Vietnamese way, word by word: the letters of the whole text first (đ after d, ư after u), the tones
    only breaking ties, as sort_key does within a part. "Huyện Đức Thọ" comes before "Huyện Vũ Quang",
    which a plain comparison of code points puts the other way round (Đ is U+0110, after every ASCII letter)."""
    return _part_key(_clean(text))

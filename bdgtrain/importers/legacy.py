"""Vietnamese text in the legacy 8-bit encodings TCVN3 (ABC) and VNI, and turning it into Unicode.

Old spreadsheets were typed with a keyboard driver that sent the bytes of a legacy encoding and a
font that drew those bytes as Vietnamese letters. Excel stored each byte as the Windows-1252
character with that code, so the text reads as "NguyÔn ThÞ Hång" (TCVN3) or "Nguyeãn Thò Hoàng" (VNI)
until it is converted.

TCVN3 (ABC, the VN3 table of TCVN 5712:1993) gives each lower-case letter one byte, and has
upper-case codes only for Ă Â Đ Ê Ô Ơ Ư. Capitals with tones are written with the "H" fonts
(.VnTimeH, .VnArialH, ...), which draw every lower-case code as a capital: such text is converted
and then upper-cased. VNI writes a base letter followed by a mark byte ("a" + "ù" = "á"; "o" + "â"
= "ô", "o" + "á" = "ố"), with single bytes for đ, ơ, ư and the toned i's and ỵ.

Which encoding a text is in comes from the cell's font when there is one (font_encoding), else from
the text itself (detect_encoding): its words are read as Unicode, as TCVN3 and as VNI, and the
reading that gives real Vietnamese syllables wins. Plain ASCII and proper Unicode are never
converted, and a text that could be either is refused rather than guessed (LegacyUnsure).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

TCVN3, TCVN3_CAPITALS, VNI = "tcvn3", "tcvn3h", "vni"

# Unicode letter -> TCVN3 code, as Windows-1252 characters (identical to Latin-1 in 0xA1-0xFE).
_TCVN3_LETTERS = {
    "à": "µ", "ả": "¶", "ã": "·", "á": "¸", "ạ": "¹",
    "ă": "¨", "ằ": "»", "ẳ": "¼", "ẵ": "½", "ắ": "¾", "ặ": "Æ",
    "â": "©", "ầ": "Ç", "ẩ": "È", "ẫ": "É", "ấ": "Ê", "ậ": "Ë",
    "đ": "®",
    "è": "Ì", "ẻ": "Î", "ẽ": "Ï", "é": "Ð", "ẹ": "Ñ",
    "ê": "ª", "ề": "Ò", "ể": "Ó", "ễ": "Ô", "ế": "Õ", "ệ": "Ö",
    "ì": "×", "ỉ": "Ø", "ĩ": "Ü", "í": "Ý", "ị": "Þ",
    "ò": "ß", "ỏ": "á", "õ": "â", "ó": "ã", "ọ": "ä",
    "ô": "«", "ồ": "å", "ổ": "æ", "ỗ": "ç", "ố": "è", "ộ": "é",
    "ơ": "¬", "ờ": "ê", "ở": "ë", "ỡ": "ì", "ớ": "í", "ợ": "î",
    "ù": "ï", "ủ": "ñ", "ũ": "ò", "ú": "ó", "ụ": "ô",
    "ư": "\u00ad", "ừ": "õ", "ử": "ö", "ữ": "÷", "ứ": "ø", "ự": "ù",
    "ỳ": "ú", "ỷ": "û", "ỹ": "ü", "ý": "ý", "ỵ": "þ",
    "Ă": "¡", "Â": "¢", "Đ": "§", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦",
}
_TCVN3_DECODE = str.maketrans({code: letter for letter, code in _TCVN3_LETTERS.items()})

# VNI: for each vowel, its tone forms (none, sắc, huyền, hỏi, ngã, nặng) as base + mark.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_VOWELS = {  # Unicode vowel (no tone) -> its VNI spelling with each tone, in _TONES order
    "a": ("a", "aù", "aø", "aû", "aõ", "aï"),
    "â": ("aâ", "aá", "aà", "aå", "aã", "aä"),
    "ă": ("aê", "aé", "aè", "aú", "aü", "aë"),
    "e": ("e", "eù", "eø", "eû", "eõ", "eï"),
    "ê": ("eâ", "eá", "eà", "eå", "eã", "eä"),
    "o": ("o", "où", "oø", "oû", "oõ", "oï"),
    "ô": ("oâ", "oá", "oà", "oå", "oã", "oä"),
    "ơ": ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï"),
    "u": ("u", "uù", "uø", "uû", "uõ", "uï"),
    "ư": ("ö", "öù", "öø", "öû", "öõ", "öï"),
    "i": ("i", "í", "ì", "æ", "ó", "ò"),
    "y": ("y", "yù", "yø", "yû", "yõ", "î"),
}


def _vni_letters() -> dict[str, str]:
    letters = {"đ": "ñ", "Đ": "Ñ"}
    for vowel, spellings in _VNI_VOWELS.items():
        for tone, spelling in zip(_TONES, spellings):
            letter = unicodedata.normalize("NFC", vowel + tone)
            letters[letter] = spelling
            letters[letter.upper()] = spelling.upper()
    return letters


_VNI_LETTERS = _vni_letters()
# Decoding: every spelling of two or more characters, also with its mark in the other case (drivers
# and hand edits mix them: "NGUYEãN"); the base letter decides the case of the result.
_VNI_DECODE: dict[str, str] = {}
for _letter, _spelling in _VNI_LETTERS.items():
    if _spelling != _letter:
        _VNI_DECODE[_spelling] = _letter
        if len(_spelling) == 2:
            _VNI_DECODE[_spelling[0] + _spelling[1].swapcase()] = _letter
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)))

VIETNAMESE_LETTERS = tuple(sorted(c for c in _VNI_LETTERS if not c.isascii()))  # the 134 beyond ASCII
_NON_ASCII_LETTERS = frozenset(VIETNAMESE_LETTERS)
TCVN3_DIRECT = frozenset(_TCVN3_LETTERS)  # the 74 of them that TCVN3 codes without a capitals font


def decode_tcvn3(text: str, capitals: bool = False) -> str:
    """TCVN3 text to Unicode; `capitals` for the H fonts, which draw every letter as a capital."""
    text = text.translate(_TCVN3_DECODE)
    return text.upper() if capitals else text


def decode_vni(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group()], text)


def decode(text: str, encoding: str) -> str:
    if encoding == VNI:
        return decode_vni(text)
    return decode_tcvn3(text, capitals=encoding == TCVN3_CAPITALS)


def encode_tcvn3(text: str, capitals: bool = False) -> str:
    """Unicode to TCVN3 (for tests and templates). Capitals with tones need `capitals` (an H font)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if capitals:
            char = char.lower()
        code = _TCVN3_LETTERS.get(char)
        if code is None and char in _NON_ASCII_LETTERS:
            raise ValueError(f"TCVN3 has no code for {char!r} outside an H (capitals) font")
        out.append(code or char)
    return "".join(out)


def encode_vni(text: str) -> str:
    return "".join(_VNI_LETTERS.get(char, char) for char in unicodedata.normalize("NFC", text))


def font_encoding(font_name: str | None) -> str | None:
    """The legacy encoding a font implies: .Vn* fonts are TCVN3 (.Vn*H draw capitals), VNI-* are VNI."""
    if not font_name:
        return None
    name = font_name.strip()
    if name[:3].lower() == ".vn":
        return TCVN3_CAPITALS if name.endswith("H") else TCVN3
    if name[:4].lower() in ("vni-", "vni "):
        return VNI
    return None


# --- Telling the encodings apart by content --------------------------------------------------

# Signs that Unicode Vietnamese never shows but TCVN3 or VNI text is full of: TCVN3 codes that are
# not Unicode Vietnamese letters, and VNI marks after a vowel where Vietnamese puts no such letter
# ("eã", "aø", "ô" + tone). A text with none of them is not legacy, whatever else it holds: this
# one cheap scan spares proper files the work. ("oà", "uâ", "iê", "yê" are left out: Unicode
# writes them in hoà, quân, tiên, Nguyên.)
_TCVN3_SIGNS = "¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ"
_A_MARKS = "ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË"  # after a or e
_O_MARKS = "ùøûõïåãäúüëÙØÛÕÏÅÃÄÚÜË"  # after o u i y
_TONE_BYTES = "ùøûõïÙØÛÕÏ"  # after ô (VNI's ơ)
# One pattern that starts with a character class, so that the scan runs at C speed and looks back
# only at the few candidates.
_LEGACY_SIGN = re.compile(
    f"[{''.join(sorted(set(_TCVN3_SIGNS + _A_MARKS + _O_MARKS)))}]"
    f"(?:(?<=[{_TCVN3_SIGNS}])|(?<=[aAeE][{_A_MARKS}])|(?<=[oOuUiIyY][{_O_MARKS}])|(?<=[ôÔ][{_TONE_BYTES}]))")
# Vietnamese that only Unicode can write (ă đ ĩ ũ ơ ư, the Latin Extended Additional letters) and
# the combining marks of decomposed text.
_UNICODE_VIETNAMESE = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
# A word as legacy text spells it: only characters up to U+00FF, at least one beyond ASCII. Letters
# of other scripts and of Unicode Vietnamese bound it, so "«tạm»" is one word, not "«t" and "m»".
_WORD = re.compile(r"(?:[^\W\d_]|[\u00a1-\u00bf\u00d7\u00f7])+")
_LEGACY_WORD = re.compile("(?=.*[A-Za-z])(?=.*[\u00a1-\u00ff])[A-Za-z\u00a1-\u00ff]{2,}")

_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx]"
_NUCLEI = ("iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
           "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
           "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y")
_SYLLABLE = re.compile(f"(?:{_INITIALS})?(?:{_NUCLEI})(?:ch|nh|ng|[cmnpt])?")
_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))


def is_syllable(word: str) -> bool:
    """Whether a word is spelt like one Vietnamese syllable: initial, vowels, final, at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    bare = decomposed.translate(_TONE_MARKS)
    if len(decomposed) - len(bare) > 1:
        return False
    return _SYLLABLE.fullmatch(unicodedata.normalize("NFC", bare)) is not None


class LegacyUnsure(ValueError):
    """The text might be TCVN3, VNI or Unicode, and guessing wrong would garble names."""


def has_legacy_signs(text: str) -> bool:
    return _LEGACY_SIGN.search(text) is not None


def has_unicode_vietnamese(text: str) -> bool:
    """Letters only Unicode can write: such a text is not legacy, whatever its font says."""
    return _UNICODE_VIETNAMESE.search(text) is not None


def detect_encoding(texts: Iterable[str]) -> str | None:
    """TCVN3, VNI, or None (Unicode or plain ASCII) for texts without font information.

    Only words holding a Latin-1 letter or symbol are looked at. A legacy reading must turn words
    that are not Vietnamese as written into Vietnamese syllables, the other legacy reading must not
    compete, and the texts must not also hold real Unicode Vietnamese; otherwise LegacyUnsure.
    """
    words: Counter[str] = Counter()
    unicode_words = 0
    for text in texts:
        if _UNICODE_VIETNAMESE.search(text):
            unicode_words += 1
        if _LEGACY_SIGN.search(text):
            words.update(word for word in _WORD.findall(text) if _LEGACY_WORD.fullmatch(word))
    only = {TCVN3: 0, VNI: 0}  # words that only that reading makes Vietnamese
    valid = {TCVN3: 0, VNI: 0}
    total = 0
    for word, count in words.items():
        total += count
        as_is = is_syllable(word)
        readings = {TCVN3: is_syllable(decode_tcvn3(word)), VNI: is_syllable(decode_vni(word))}
        for encoding, ok in readings.items():
            valid[encoding] += count * ok
        if not as_is:
            if readings[TCVN3] and not readings[VNI]:
                only[TCVN3] += count
            elif readings[VNI] and not readings[TCVN3]:
                only[VNI] += count
    if not only[TCVN3] and not only[VNI]:
        return None  # nothing that a legacy reading explains better: Unicode with odd words
    winner, loser = (TCVN3, VNI) if only[TCVN3] >= only[VNI] else (VNI, TCVN3)
    if unicode_words or only[loser] * 20 > only[winner] or valid[winner] * 10 < total * 7:
        raise LegacyUnsure(winner)
    return winner

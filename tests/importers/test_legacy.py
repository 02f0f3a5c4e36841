"""TCVN3 (ABC) and VNI: the tables letter by letter, round trips, and telling encodings apart."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bdgtrain.importers.legacy import (
    TCVN3,
    TCVN3_CAPITALS,
    TCVN3_DIRECT,
    VIETNAMESE_LETTERS,
    VNI,
    LegacyUnsure,
    decode_tcvn3,
    decode_vni,
    detect_encoding,
    encode_tcvn3,
    encode_vni,
    font_encoding,
    is_syllable,
)

LOWER = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"
UPPER_BASES = "ĂÂĐÊÔƠƯ"


def test_the_134_letters():
    assert len(LOWER) == 67
    assert set(VIETNAMESE_LETTERS) == set(LOWER) | set(LOWER.upper())
    assert len(VIETNAMESE_LETTERS) == 134
    assert TCVN3_DIRECT == set(LOWER) | set(UPPER_BASES)


# Codes checked against the published ABC table, independently of the reader's own table.
@pytest.mark.parametrize("letter, code", [
    ("à", "\xb5"), ("ả", "\xb6"), ("ã", "\xb7"), ("á", "\xb8"), ("ạ", "\xb9"),
    ("ă", "\xa8"), ("ằ", "\xbb"), ("ẳ", "\xbc"), ("ẵ", "\xbd"), ("ắ", "\xbe"), ("ặ", "\xc6"),
    ("â", "\xa9"), ("ầ", "\xc7"), ("ẩ", "\xc8"), ("ẫ", "\xc9"), ("ấ", "\xca"), ("ậ", "\xcb"),
    ("đ", "\xae"), ("è", "\xcc"), ("ẻ", "\xce"), ("ẽ", "\xcf"), ("é", "\xd0"), ("ẹ", "\xd1"),
    ("ê", "\xaa"), ("ề", "\xd2"), ("ể", "\xd3"), ("ễ", "\xd4"), ("ế", "\xd5"), ("ệ", "\xd6"),
    ("ì", "\xd7"), ("ỉ", "\xd8"), ("ĩ", "\xdc"), ("í", "\xdd"), ("ị", "\xde"),
    ("ò", "\xdf"), ("ỏ", "\xe1"), ("õ", "\xe2"), ("ó", "\xe3"), ("ọ", "\xe4"),
    ("ô", "\xab"), ("ồ", "\xe5"), ("ổ", "\xe6"), ("ỗ", "\xe7"), ("ố", "\xe8"), ("ộ", "\xe9"),
    ("ơ", "\xac"), ("ờ", "\xea"), ("ở", "\xeb"), ("ỡ", "\xec"), ("ớ", "\xed"), ("ợ", "\xee"),
    ("ù", "\xef"), ("ủ", "\xf1"), ("ũ", "\xf2"), ("ú", "\xf3"), ("ụ", "\xf4"),
    ("ư", "\xad"), ("ừ", "\xf5"), ("ử", "\xf6"), ("ữ", "\xf7"), ("ứ", "\xf8"), ("ự", "\xf9"),
    ("ỳ", "\xfa"), ("ỷ", "\xfb"), ("ỹ", "\xfc"), ("ý", "\xfd"), ("ỵ", "\xfe"),
    ("Ă", "\xa1"), ("Â", "\xa2"), ("Ê", "\xa3"), ("Ô", "\xa4"), ("Ơ", "\xa5"), ("Ư", "\xa6"), ("Đ", "\xa7"),
])
def test_tcvn3_table(letter, code):
    assert encode_tcvn3(letter) == code
    assert decode_tcvn3(code) == letter


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_every_letter_round_trips_through_tcvn3(letter):
    if letter in TCVN3_DIRECT:
        assert decode_tcvn3(encode_tcvn3(letter)) == letter
    else:  # capitals with tones exist only in the H fonts
        with pytest.raises(ValueError):
            encode_tcvn3(letter)
    assert decode_tcvn3(encode_tcvn3(letter, capitals=True), capitals=True) == letter.upper()


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_every_letter_round_trips_through_vni(letter):
    spelling = encode_vni(letter)
    assert spelling.encode("cp1252")  # VNI bytes, as Excel keeps them (í and ì are the same bytes)
    assert decode_vni(spelling) == letter


@pytest.mark.parametrize("text, vni", [
    ("Nguyễn Thị Hồng", "Nguyeãn Thò Hoàng"),
    ("Trường Đại học", "Tröôøng Ñaïi hoïc"),
    ("ĐẶNG NGỌC TOÀN", "ÑAËNG NGOÏC TOAØN"),
    ("Thủy Ỷ ỵ ỉ ĩ", "Thuûy YÛ î æ ó"),
])
def test_vni_spellings(text, vni):
    assert encode_vni(text) == vni
    assert decode_vni(vni) == text


def test_vni_marks_in_the_other_case_still_decode():
    assert decode_vni("NGUYEãN") == "NGUYỄN"
    assert decode_vni("nguyeÃn") == "nguyễn"


def test_h_font_text_is_upper_case():
    assert decode_tcvn3("danh s¸ch häc viªn", capitals=True) == "DANH SÁCH HỌC VIÊN"


VIETNAMESE_TEXT = st.text(alphabet=st.sampled_from(
    [chr(c) for c in range(32, 127)] + list(VIETNAMESE_LETTERS)), max_size=60)


@given(VIETNAMESE_TEXT)
def test_any_text_round_trips_through_tcvn3(text):
    direct = "".join(c for c in text if c.isascii() or c in TCVN3_DIRECT)
    assert decode_tcvn3(encode_tcvn3(direct)) == direct
    assert decode_tcvn3(encode_tcvn3(text, capitals=True), capitals=True) == text.upper()


@given(VIETNAMESE_TEXT)
def test_any_text_round_trips_through_vni(text):
    assert decode_vni(encode_vni(text)) == text


@given(st.text(alphabet=st.sampled_from([chr(c) for c in range(32, 127)]), max_size=60))
def test_ascii_is_never_changed(text):
    assert decode_tcvn3(text) == text and decode_vni(text) == text
    assert detect_encoding([text]) is None


@pytest.mark.parametrize("font, encoding", [
    (".VnTime", TCVN3), (".VnArial", TCVN3), (".VnArial Narrow", TCVN3), (".VnTimeH", TCVN3_CAPITALS),
    (".VnArialH", TCVN3_CAPITALS), (" .VnBook-AntiquaH ", TCVN3_CAPITALS), ("VNI-Times", VNI), ("VNI-Helve", VNI),
    ("Times New Roman", None), ("Arial", None), ("VNtimes new roman", None), ("Calibri", None), (None, None),
])
def test_font_encoding(font, encoding):
    assert font_encoding(font) == encoding


@pytest.mark.parametrize("word, ok", [
    ("nguyễn", True), ("trường", True), ("khuya", True), ("quốc", True), ("giữ", True), ("hoà", True),
    ("thuở", True), ("NGHIÊNG", True), ("nguyeãn", False), ("nguyôn", False), ("thÞ", False), ("hoaøng", False),
    ("áà", False), ("müller", False),
])
def test_is_syllable(word, ok):
    assert is_syllable(word) is ok


TEXTS = ["Nguyễn Thị Hồng", "Chuyên viên phòng Tổ chức cán bộ", "Trường Tiểu học Thạch Đài", "Giám đốc Sở",
         "Hội Liên hiệp Phụ nữ huyện Đức Thọ", "Lê Thị Hà", "Tô Lâm"]


def test_detects_tcvn3_and_vni_text():
    assert detect_encoding([encode_tcvn3(text) for text in TEXTS]) == TCVN3
    assert detect_encoding([encode_vni(text) for text in TEXTS]) == VNI


@pytest.mark.parametrize("texts", [
    TEXTS,
    [unicodedata.normalize("NFD", text) for text in TEXTS],
    ["Nguyen Thi Hoa", "0912345678", "hoa@example.com"],
    ["Ghi chú · đã dự", "Müller, José, Peña, Zoë", "§ 3 ½ ngày", "Giá: 1.000 € «tạm»"],
    [],
])
def test_unicode_and_ascii_are_not_legacy(texts):
    assert detect_encoding(texts) is None


def test_legacy_text_mixed_with_unicode_vietnamese_is_unsure():
    with pytest.raises(LegacyUnsure):
        detect_encoding([encode_tcvn3(TEXTS[0]), TEXTS[1]])
    with pytest.raises(LegacyUnsure):
        detect_encoding([encode_vni(TEXTS[0]), TEXTS[1]])


def test_signals_of_both_legacy_encodings_are_unsure():
    with pytest.raises(LegacyUnsure):
        detect_encoding([encode_tcvn3(text) for text in TEXTS] + [encode_vni(text) for text in TEXTS])

"""Short unit names for the report's first column: the prefixes and acronyms an official writes."""
import unicodedata

import pytest

from bdgtrain.rules.unit_names import short_unit_name


@pytest.mark.parametrize(("full", "short"), [
    ("Huyện Đức Thọ", "H. Đức Thọ"),
    ("Thành phố Hà Tĩnh", "TP. Hà Tĩnh"),
    ("Thị xã Hồng Lĩnh", "TX. Hồng Lĩnh"),
    ("Thị trấn Đức Thọ", "TT. Đức Thọ"),
    ("Phường Bắc Hà", "P. Bắc Hà"),
    ("Xã Thạch Hạ", "X. Thạch Hạ"),
    ("Quận Ba Đình", "Q. Ba Đình"),
    ("UBND tỉnh Hà Tĩnh", "UBND tỉnh Hà Tĩnh"),
    ("Ủy ban nhân dân huyện Can Lộc", "UBND huyện Can Lộc"),
    ("Sở Lao động - Thương binh và Xã hội (Cơ quan Thường trực Ban Vì sự tiến bộ của phụ nữ tỉnh)",
     "Sở LĐ-TB&XH"),
    ("Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh"),
    ("Sở Nội vụ", "Sở Nội vụ"),
])
def test_short_name(full, short):
    assert short_unit_name(full) == short


def test_a_word_that_only_starts_like_a_prefix_is_kept():
    assert short_unit_name("Xã hội học Hà Tĩnh") == "Xã hội học Hà Tĩnh"  # "Xã hội" is not a commune
    assert short_unit_name("Huyện ủy Đức Thọ") == "Huyện ủy Đức Thọ"    # the party committee, not the district


def test_decomposed_text_and_stray_spaces_are_tidied():
    assert short_unit_name(unicodedata.normalize("NFD", "Huyện  Đức   Thọ ")) == "H. Đức Thọ"


def test_nothing_gives_an_empty_name():
    assert short_unit_name(None) == "" and short_unit_name("") == ""


def test_a_name_that_is_only_a_remark_is_kept():
    assert short_unit_name("(chưa đặt tên)") == "(chưa đặt tên)"

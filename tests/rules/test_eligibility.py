"""Reading a unit's level from its name, finding its district, and audience warnings."""
from __future__ import annotations

import pytest

from bdgtrain.rules.eligibility import eligibility_warnings, find_district, guess_org_kind

DISTRICTS = [("HT-CX", "Huyện Cẩm Xuyên"), ("HT-TPHT", "Thành phố Hà Tĩnh"), ("HT-TXKA", "Thị xã Kỳ Anh"),
             ("HT-KA", "Huyện Kỳ Anh"), ("HT-DT", "Huyện Đức Thọ")]


@pytest.mark.parametrize("unit, kind", [
    ("UBND xã Cẩm Bình, huyện Cẩm Xuyên", "commune"),
    ("Đảng ủy phường Bắc Hà", "commune"),
    ("Thị trấn Thiên Cầm", "commune"),
    ("Phòng Nội vụ huyện Đức Thọ", "district"),
    ("Huyện ủy Can Lộc", "district"),
    ("UBND Thị xã Hồng Lĩnh", "district"),
    ("Sở Nội vụ", "department"),
    ("Hội LHPN tỉnh", "union"),
    ("Trường THPT Phan Đình Phùng", "school"),
    ("UBND thành phố Hà Tĩnh", "district"),
    ("", None),
    ("Công ty ABC", None),
])
def test_guess_org_kind(unit, kind):
    assert guess_org_kind(unit) == kind


@pytest.mark.parametrize("unit, key", [
    ("UBND xã Cẩm Bình, huyện Cẩm Xuyên", "HT-CX"),
    ("Phòng Nội vụ huyện Đức Thọ", "HT-DT"),
    ("UBND thành phố Hà Tĩnh", "HT-TPHT"),
    # "Kỳ Anh" names both the district and the town: the full name decides, a bare one does not.
    ("Xã Kỳ Tân, huyện Kỳ Anh", "HT-KA"),
    ("Xã Kỳ Tân, Kỳ Anh", None),
    ("Sở Nội vụ", None),
])
def test_find_district(unit, key):
    assert find_district(unit, DISTRICTS) == key


def test_a_man_in_a_class_for_women_is_warned():
    assert eligibility_warnings("M", "district", "F", []) == ["Lớp dành cho nữ, người này là nam."]


def test_a_district_cadre_in_a_class_for_communes_is_warned():
    warnings = eligibility_warnings("F", "district", None, ["commune"])
    assert warnings == ["Lớp dành cho cán bộ cấp xã; đơn vị của người này là cấp huyện."]


def test_unknown_facts_give_no_warning():
    assert eligibility_warnings(None, None, "F", ["commune"]) == []
    assert eligibility_warnings("F", "commune", "F", ["commune"]) == []

"""The one number format: decimal comma, thousands dot, "41,7%", "—" for no figure, half-up rounding."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bdgtrain.rules.numbers import (
    MISSING,
    decimal,
    integer,
    parse,
    percent,
    percent_value,
    percentage_points,
    points,
)


@pytest.mark.parametrize("value, expected", [
    (3.916, "3,92"),
    (2.345, "2,35"),
    (2.675, "2,68"),  # round(2.675, 2) == 2.67 in Python: the float is 2.67499...; a hand count says 2,68
    (1.005, "1,01"),
    (0, "0,00"),
    (-0.001, "0,00"),  # no "-0,00"
    (-2.345, "-2,35"),
    (1234.5, "1.234,50"),
    (Decimal("1234567.125"), "1.234.567,13"),
    (7, "7,00"),
    (None, MISSING),
    (float("nan"), MISSING),
    (float("inf"), MISSING),
])
def test_decimal_writes_a_comma_and_rounds_half_up(value, expected):
    assert decimal(value) == expected


@pytest.mark.parametrize("value, digits, expected", [
    (3.25, 1, "3,3"),
    (3.35, 1, "3,4"),
    (22.5, 0, "23"),
    (0.05, 1, "0,1"),
])
def test_decimal_takes_the_number_of_digits(value, digits, expected):
    assert decimal(value, digits) == expected


@pytest.mark.parametrize("value, expected", [
    (0, "0"),
    (7, "7"),
    (999, "999"),
    (1000, "1.000"),
    (3006, "3.006"),
    (200000, "200.000"),
    (1234567, "1.234.567"),
    (-3006, "-3.006"),
    (2.5, "3"),  # half-up, where round(2.5) == 2
    (None, MISSING),
])
def test_integer_groups_thousands_with_a_dot(value, expected):
    assert integer(value) == expected


@pytest.mark.parametrize("share, expected", [
    (5 / 12, "41,7%"),
    (0.125, "12,5%"),
    (0.00125, "0,1%"),
    (0.875, "87,5%"),
    (0.5, "50,0%"),
    (0, "0,0%"),
    (1, "100,0%"),
    (12.345, "1.234,5%"),
    (0.0005, "0,1%"),  # half-up: 0,05 -> 0,1
    (Decimal("0.41666"), "41,7%"),
    (None, MISSING),
])
def test_percent_of_a_fraction_has_one_decimal_and_no_space(share, expected):
    assert percent(share) == expected


def test_percent_may_drop_the_decimal_for_an_axis():
    assert percent(0.75, digits=0) == "75%" and percent(0.125, digits=0) == "13%"


@pytest.mark.parametrize("value, expected", [(41.67, "41,7%"), (75, "75,0%"), (12.25, "12,3%"), (None, MISSING)])
def test_percent_value_reads_a_figure_already_in_percent(value, expected):
    assert percent_value(value) == expected


@pytest.mark.parametrize("value, expected", [(4.25, "4,25"), (3.5, "3,50"), (4, "4,00"), (4.125, "4,13"),
                                             (None, MISSING)])
def test_points_are_written_with_two_decimals(value, expected):
    assert points(value) == expected


@pytest.mark.parametrize("change, expected", [(0.125, "+12,5"), (-0.05, "-5,0"), (0, "0,0"), (-0.0004, "0,0"),
                                              (None, MISSING)])
def test_percentage_points_carry_their_sign(change, expected):
    assert percentage_points(change) == expected


@pytest.mark.parametrize("writer, value, expected", [
    (percent, 5 / 12, "41.7%"),
    (integer, 3006, "3,006"),
    (decimal, 1234.5, "1,234.50"),
    (points, 4.25, "4.25"),
    (percentage_points, -0.05, "-5.0"),
])
def test_english_reads_english_separators(writer, value, expected):
    assert writer(value, locale="en") == expected


def test_an_unknown_locale_falls_back_to_vietnamese():
    assert percent(0.125, locale="fr") == "12,5%" and integer(3006, locale="vi_VN") == "3.006"


@pytest.mark.parametrize("value", ["3,92", True, [1]])
def test_only_numbers_are_formatted(value):
    with pytest.raises(TypeError):
        decimal(value)


@pytest.mark.parametrize("text, expected", [("3.006", Decimal(3006)), ("41,7%", Decimal("41.7")),
                                            ("-2,35", Decimal("-2.35")), ("+12,5", Decimal("12.5")), ("—", None)])
def test_parse_reads_what_was_written(text, expected):
    assert parse(text) == expected


def test_parse_refuses_what_is_not_a_number():
    with pytest.raises(ValueError):
        parse("không")


cents = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(cents, st.sampled_from(["vi", "en"]))
def test_a_written_decimal_reads_back_as_the_same_number(value, locale):
    assert parse(decimal(value, 2, locale), locale) == value


@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from(["vi", "en"]))
def test_a_written_integer_reads_back_and_groups_by_three(value, locale):
    text = integer(value, locale)
    assert parse(text, locale) == value
    groups = text.lstrip("-").split("." if locale == "vi" else ",")
    assert all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False))
def test_a_percent_is_the_share_rounded_half_up_to_a_tenth(share):
    written = parse(percent(share))
    exact = Decimal(repr(share)) * 100
    assert abs(written - exact) <= Decimal("0.05")  # never further than half a tenth
    assert written == 0 or (written > 0) == (exact > 0)  # and never on the other side of zero


@pytest.mark.parametrize("locale", ["vi", "en", None])
@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_whole_numbers_are_written_as_the_decimal_path_writes_them(locale, digits):
    """Whole numbers skip the Decimal rounding (nothing to round): the text must be the same."""
    from bdgtrain.rules import numbers

    values = [0, 1, -1, 7, 10, 999, 1000, -1000, 3006, 12345, -123456, 1234567, 10**12, -(10**15) - 1]
    for value in values:
        slow = numbers._write(Decimal(value), digits, locale)
        assert numbers.decimal(value, digits, locale) == slow, (value, digits, locale)
        assert numbers.decimal(float(value), digits, locale) == slow
    with pytest.raises(TypeError):
        numbers.integer(True)  # a bool is no count: it still goes the checked way


@given(st.integers(min_value=-10**15, max_value=10**15), st.sampled_from(["vi", "en", None, "en_US"]))
def test_a_count_written_by_the_short_way_matches_the_decimal_way(value, locale):
    """integer() writes a Python int without Decimal (pages write hundreds of counts): the same text."""
    from bdgtrain.rules import numbers

    by_decimal = numbers._write(Decimal(value), 0, locale)
    assert integer(value, locale) == by_decimal
    assert integer(float(value) if abs(value) < 10**12 else value, locale) == by_decimal

"""Vietnamese date expressions: reading, refusing, writing back, and default sessions."""
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bdgtrain.rules.dates import (
    AFTERNOON,
    MORNING,
    DateExpressionError,
    SessionSlot,
    default_sessions,
    format_date_expression,
    format_vn_date,
    parse_date_expression,
    parse_vn_date,
)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


D = date

ACCEPTED = [
    # The four classes of the Hà Tĩnh 2019 plan, as printed.
    ("10/7/2019", [D(2019, 7, 10)]),
    ("11-12/7/2019", days(D(2019, 7, 11), D(2019, 7, 12))),
    ("15-16/7/2019", days(D(2019, 7, 15), D(2019, 7, 16))),
    ("17-19/7/2019", days(D(2019, 7, 17), D(2019, 7, 19))),
    # Padding, other separators, ranges across months and years.
    ("10/07/2019", [D(2019, 7, 10)]),
    ("01/01/2020", [D(2020, 1, 1)]),
    ("10.7.2019", [D(2019, 7, 10)]),
    ("10-07-2019", [D(2019, 7, 10)]),
    ("30/7-02/8/2019", days(D(2019, 7, 30), D(2019, 8, 2))),
    ("30/7-2/8/2019", days(D(2019, 7, 30), D(2019, 8, 2))),
    ("30/12/2019-02/01/2020", days(D(2019, 12, 30), D(2020, 1, 2))),
    ("10/7/2019-12/7/2019", days(D(2019, 7, 10), D(2019, 7, 12))),
    ("10-10/7/2019", [D(2019, 7, 10)]),
    ("28/2-1/3/2020", days(D(2020, 2, 28), D(2020, 3, 1))),  # 2020 is a leap year
    ("29/2/2000", [D(2000, 2, 29)]),
    # Dashes and spaces as people type them.
    ("11–12/7/2019", days(D(2019, 7, 11), D(2019, 7, 12))),
    ("11—12/7/2019", days(D(2019, 7, 11), D(2019, 7, 12))),
    ("11 - 12/7/2019", days(D(2019, 7, 11), D(2019, 7, 12))),
    ("30/7 – 02/8/2019", days(D(2019, 7, 30), D(2019, 8, 2))),
    ("  10 / 7 / 2019 ", [D(2019, 7, 10)]),
    ("10/7/2019\u00a0-\u00a012/7/2019", days(D(2019, 7, 10), D(2019, 7, 12))),
    ("10-07-2019 - 12-07-2019", days(D(2019, 7, 10), D(2019, 7, 12))),
    # The words around dates in a plan.
    ("ngày 10/7/2019", [D(2019, 7, 10)]),
    ("Ngày 11-12/7/2019", days(D(2019, 7, 11), D(2019, 7, 12))),
    ("NGÀY 10/7/2019", [D(2019, 7, 10)]),
    ("từ ngày 10/7 đến ngày 12/7/2019", days(D(2019, 7, 10), D(2019, 7, 12))),
    ("Từ 30/7 đến 2/8/2019", days(D(2019, 7, 30), D(2019, 8, 2))),
    # Lists: a point without month or year borrows them from the next point written.
    ("10/7/2019, 12/7/2019", [D(2019, 7, 10), D(2019, 7, 12)]),
    ("10/7/2019; 12/7/2019", [D(2019, 7, 10), D(2019, 7, 12)]),
    ("10, 12/7/2019", [D(2019, 7, 10), D(2019, 7, 12)]),
    ("10, 12, 14/7/2019", [D(2019, 7, 10), D(2019, 7, 12), D(2019, 7, 14)]),
    ("10-11/7 và 15/7/2019", [D(2019, 7, 10), D(2019, 7, 11), D(2019, 7, 15)]),
    ("ngày 10/7 và ngày 12/7/2019", [D(2019, 7, 10), D(2019, 7, 12)]),
    ("10, 11 và 12/7/2019", days(D(2019, 7, 10), D(2019, 7, 12))),
    ("10-11/7, và 15/7/2019", [D(2019, 7, 10), D(2019, 7, 11), D(2019, 7, 15)]),
    ("30/12, 2/1/2020", [D(2020, 1, 2), D(2020, 12, 30)]),  # the year too comes from the right
    ("28/6/2019, 10-11/7/2020", [D(2019, 6, 28), D(2020, 7, 10), D(2020, 7, 11)]),
    # Unsorted and overlapping items: sorted, each day once.
    ("12/7/2019, 10/7/2019", [D(2019, 7, 10), D(2019, 7, 12)]),
    ("10-12/7/2019, 11-13/7/2019", days(D(2019, 7, 10), D(2019, 7, 13))),
    # Edges of what is allowed.
    ("1/1/1900", [D(1900, 1, 1)]),
    ("31/12/2100", [D(2100, 12, 31)]),
    ("1/1/2020-31/12/2020", days(D(2020, 1, 1), D(2020, 12, 31))),  # 366 days: the longest range
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_reads_expression(text, expected):
    assert parse_date_expression(text) == expected


def test_reads_nfd_and_nbsp_text():
    assert parse_date_expression("Nga\u0300y\u00a010/7/2019") == [D(2019, 7, 10)]


REFUSED = [
    ("", "date.empty"),
    ("   ", "date.empty"),
    ("\u00a0\t\n", "date.empty"),
    ("31/2/2019", "date.invalid"),
    ("29/2/2019", "date.invalid"),
    ("32/7/2019", "date.invalid"),
    ("0/7/2019", "date.invalid"),
    ("10/13/2019", "date.invalid"),
    ("10/0/2019", "date.invalid"),
    ("30-31/2/2019", "date.invalid"),
    ("10/7/1899", "date.invalid"),
    ("1/1/2101", "date.invalid"),
    ("10/7/0000", "date.invalid"),
    ("12-10/7/2019", "date.reversed"),
    ("2/8-30/7/2019", "date.reversed"),
    ("02/01/2020-30/12/2019", "date.reversed"),
    ("30/12-02/01/2020", "date.reversed"),  # the start borrows 2020: write 30/12/2019-02/01/2020
    ("28-2/8/2019", "date.reversed"),  # 28 borrows August
    ("1/1/2020-1/1/2021", "date.too_long"),  # 367 days
    ("1/1/2019-5/2/2020", "date.too_long"),
    ("10/7/2019, " * 100, "date.too_long"),  # over MAX_TEXT_LENGTH
    ("10/7/19", "date.syntax"),  # two-digit years are refused, not guessed
    ("10-7-19", "date.syntax"),
    ("10.7.19", "date.syntax"),
    ("10/7/019", "date.syntax"),
    ("10/7/20190", "date.syntax"),
    ("10/7", "date.syntax"),  # no year anywhere
    ("10", "date.syntax"),
    ("10-12", "date.syntax"),
    ("10/7 và", "date.syntax"),
    ("abc", "date.syntax"),
    ("hôm nay", "date.syntax"),
    ("ngày", "date.syntax"),
    ("10/7/2019,", "date.syntax"),
    (",10/7/2019", "date.syntax"),
    ("10/7/2019 12/7/2019", "date.syntax"),
    ("10/7/2019 -- 12/7/2019", "date.syntax"),
    ("10-11-12/7/2019", "date.syntax"),
    ("10/7/2019-", "date.syntax"),
    ("10/7/2019.", "date.syntax"),
    ("10/7.2019", "date.syntax"),  # mixed separators
    ("10/7/2019/1", "date.syntax"),
    ("100/7/2019", "date.syntax"),
    ("10/107/2019", "date.syntax"),
    ("7/2019", "date.syntax"),
    ("2019-07-10", "date.syntax"),
    ("10 tháng 7 năm 2019", "date.syntax"),
    ("１０/7/2019", "date.syntax"),  # full-width digits
    ("10/7/" + "9" * 900, "date.syntax"),
    ("10/7/" + "9" * 5000, "date.too_long"),
]


@pytest.mark.parametrize("text, code", REFUSED)
def test_refuses_expression(text, code):
    with pytest.raises(DateExpressionError) as caught:
        parse_date_expression(text)
    assert caught.value.code == code
    assert str(caught.value) == caught.value.message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text, message", [
    ("", "Chưa nhập ngày."),
    ("31/2/2019", "Ngày 31/2/2019 không tồn tại."),
    ("30-31/2/2019", "Ngày 30/2/2019 không tồn tại."),
    ("10/7/1850", "Năm 1850 nằm ngoài khoảng 1900–2100."),
    ("12-10/7/2019", "Khoảng ngày “12-10/7/2019” bị ngược: 12/7/2019 sau 10/7/2019."),
    ("1/1/2019-5/2/2020", "Khoảng ngày “1/1/2019-5/2/2020” dài 401 ngày, quá 366 ngày."),
    ("10/7/19", "Năm trong “10/7/19” phải viết đủ bốn chữ số, ví dụ 10/7/2019."),
])
def test_message_names_the_problem(text, message):
    with pytest.raises(DateExpressionError) as caught:
        parse_date_expression(text)
    assert caught.value.message == message


def test_syntax_message_quotes_the_text_and_shows_examples():
    with pytest.raises(DateExpressionError) as caught:
        parse_date_expression("Ngày mai")
    assert "“mai”" in caught.value.message and "11-12/7/2019" in caught.value.message


def test_message_of_a_long_text_is_cut():
    with pytest.raises(DateExpressionError) as caught:
        parse_date_expression("10/7/2019 x" + "y" * 500)
    assert len(caught.value.message) < 300


FORMATTED = [
    ([D(2019, 7, 10)], "10/7/2019"),
    (days(D(2019, 7, 11), D(2019, 7, 12)), "11-12/7/2019"),
    (days(D(2019, 7, 17), D(2019, 7, 19)), "17-19/7/2019"),
    (days(D(2019, 7, 30), D(2019, 8, 2)), "30/7-2/8/2019"),
    (days(D(2019, 12, 30), D(2020, 1, 2)), "30/12/2019-2/1/2020"),
    ([D(2019, 7, 10), D(2019, 7, 12)], "10/7/2019, 12/7/2019"),
    ([D(2019, 7, 12), D(2019, 7, 10), D(2019, 7, 11), D(2019, 7, 15), D(2019, 7, 11)],
     "10-12/7/2019, 15/7/2019"),
    ([D(2019, 1, 1), D(2019, 2, 1), D(2020, 1, 1)], "1/1/2019, 1/2/2019, 1/1/2020"),
    ([D(1900, 1, 1)], "1/1/1900"),
    ([], ""),
    # A run longer than a range may be is cut so that it reads back.
    (days(D(2019, 1, 1), D(2020, 1, 1)), "1/1/2019-1/1/2020"),  # 366 days
    (days(D(2019, 1, 1), D(2020, 1, 2)), "1/1/2019-1/1/2020, 2/1/2020"),
]


@pytest.mark.parametrize("given_days, expected", FORMATTED)
def test_formats_expression(given_days, expected):
    assert format_date_expression(given_days) == expected


def test_formats_any_iterable():
    assert format_date_expression(d for d in [D(2019, 7, 11), D(2019, 7, 12)]) == "11-12/7/2019"


@pytest.mark.parametrize("text, expected", [
    ("10/7/2019", D(2019, 7, 10)),
    ("10/07/2019", D(2019, 7, 10)),
    ("1/1/2020", D(2020, 1, 1)),
    ("10-07-2019", D(2019, 7, 10)),
    ("10–07–2019", D(2019, 7, 10)),
    ("10.07.2019", D(2019, 7, 10)),
    ("  29/2/2020 ", D(2020, 2, 29)),
])
def test_reads_one_date(text, expected):
    assert parse_vn_date(text) == expected


@pytest.mark.parametrize("text, code", [
    ("", "date.empty"),
    ("  ", "date.empty"),
    ("31/2/2019", "date.invalid"),
    ("10/7/1899", "date.invalid"),
    ("10/7/19", "date.syntax"),
    ("10/7/" + "1" * 5000, "date.syntax"),
    ("10/07.2019", "date.syntax"),
    ("11-12/7/2019", "date.syntax"),
    ("10/7/2019, 12/7/2019", "date.syntax"),
    ("ngày mai", "date.syntax"),
    ("2019-07-10", "date.syntax"),
])
def test_refuses_one_date(text, code):
    with pytest.raises(DateExpressionError) as caught:
        parse_vn_date(text)
    assert caught.value.code == code


@pytest.mark.parametrize("day, expected", [
    (D(2019, 7, 10), "10/07/2019"),
    (D(2020, 1, 1), "01/01/2020"),
    (D(2100, 12, 31), "31/12/2100"),
])
def test_formats_one_date_padded(day, expected):
    assert format_vn_date(day) == expected


def test_default_sessions_two_a_day_morning_first_in_day_order():
    slots = default_sessions([D(2019, 7, 12), D(2019, 7, 11), D(2019, 7, 12)])
    assert slots == [
        SessionSlot(D(2019, 7, 11), "Sáng", time(7, 30), time(11, 30)),
        SessionSlot(D(2019, 7, 11), "Chiều", time(13, 30), time(17, 0)),
        SessionSlot(D(2019, 7, 12), "Sáng", time(7, 30), time(11, 30)),
        SessionSlot(D(2019, 7, 12), "Chiều", time(13, 30), time(17, 0)),
    ]
    assert (MORNING, AFTERNOON) == ("Sáng", "Chiều")


def test_default_sessions_take_other_hours():
    slots = default_sessions(parse_date_expression("10/7/2019"), morning=(time(8), time(11)),
                             afternoon=(time(14), time(16, 30)))
    assert [(s.start, s.end) for s in slots] == [(time(8), time(11)), (time(14), time(16, 30))]


def test_default_sessions_of_no_days_is_empty():
    assert default_sessions([]) == []


@pytest.mark.parametrize("morning, afternoon", [
    ((time(11, 30), time(7, 30)), (time(13, 30), time(17))),
    ((time(7, 30), time(14)), (time(13, 30), time(17))),
    ((time(7, 30), time(11, 30)), (time(17), time(13, 30))),
])
def test_default_sessions_refuse_overlapping_hours(morning, afternoon):
    with pytest.raises(ValueError):
        default_sessions([D(2019, 7, 10)], morning=morning, afternoon=afternoon)


def test_session_slot_is_frozen():
    slot = default_sessions([D(2019, 7, 10)])[0]
    with pytest.raises(AttributeError):
        slot.label = "Tối"


# Properties. Dates cluster around a few anchors so that runs, month ends and year ends occur often.
in_range = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
anchors = st.sampled_from([D(1900, 1, 1), D(2019, 7, 1), D(2019, 12, 20), D(2020, 2, 20), D(2100, 12, 1)])
clustered = st.builds(lambda anchor, offset: anchor + timedelta(days=offset), anchors, st.integers(0, 30))
day_sets = st.sets(st.one_of(in_range, clustered), min_size=1, max_size=30)


@given(day_sets)
def test_format_reads_back(given_days):
    assert parse_date_expression(format_date_expression(given_days)) == sorted(given_days)


@given(day_sets)
def test_format_is_stable(given_days):
    text = format_date_expression(given_days)
    assert format_date_expression(parse_date_expression(text)) == text


@given(anchors, st.integers(0, 365), st.integers(0, 800))
def test_format_reads_back_long_runs(anchor, start, length):
    first = max(anchor - timedelta(days=start), D(1900, 1, 1))
    run = days(first, min(first + timedelta(days=length), D(2100, 12, 31)))
    assert parse_date_expression(format_date_expression(run)) == run


@given(day_sets, st.sampled_from([" - ", "–", " — ", " đến "]), st.sampled_from([" ; ", " và ", ",  "]))
def test_spelling_variants_read_the_same(given_days, dash, comma):
    text = format_date_expression(given_days).replace("-", dash).replace(", ", comma)
    assert parse_date_expression("Ngày " + text) == sorted(given_days)


@given(in_range)
def test_one_date_reads_back(day):
    assert parse_vn_date(format_vn_date(day)) == day
    assert parse_date_expression(format_vn_date(day)) == [day]


date_pieces = st.lists(st.sampled_from(
    ["1", "10", "31", "/", "7", "/2019", "/19", ".", "-", "–", ",", ";", " và ", "ngày ", "từ ", " đến ", " ", "2019"]),
    max_size=12).map("".join)


@given(st.one_of(st.text(), date_pieces, st.from_regex(r"[0-9 /.,;–-]{0,30}")))
def test_any_text_reads_or_is_refused_with_a_code(text):
    try:
        result = parse_date_expression(text)
    except DateExpressionError as error:
        assert error.code in {"date.empty", "date.syntax", "date.invalid", "date.reversed", "date.too_long"}
        assert error.message
    else:
        assert result == sorted(set(result)) and result


@given(st.text())
def test_any_text_is_one_date_or_refused(text):
    try:
        parse_vn_date(text)
    except DateExpressionError as error:
        assert error.code in {"date.empty", "date.syntax", "date.invalid"}

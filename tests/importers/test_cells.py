"""One cell at a time: phones, ID numbers, sex, names, e-mail addresses."""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bdgtrain.importers import cells
from bdgtrain.rules.names import normalise_name


@pytest.mark.parametrize("raw, expected", [
    ("0912345678", ("0912345678", False)),
    ("0912 345 678", ("0912345678", False)),
    ("0912.345.678", ("0912345678", False)),
    ("0912-345-678", ("0912345678", False)),
    ("(0912) 345678", ("0912345678", False)),
    ("+84 912 345 678", ("0912345678", False)),
    ("+84912345678", ("0912345678", False)),
    ("84912345678", ("0912345678", False)),
    ("0084 912 345 678", ("0912345678", False)),
    ("+84 (0) 912 345 678", ("0912345678", False)),
    ("'0912345678", ("0912345678", False)),
    (912345678, ("0912345678", True)),
    (912345678.0, ("0912345678", True)),
    ("912345678", ("0912345678", True)),
    ("02393855123", ("02393855123", False)),  # a Hà Tĩnh landline
    (2393855123, ("02393855123", True)),
])
def test_phone(raw, expected):
    assert cells.phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0012345678", "091234567890", "0912 345 678 / 0987 654 321", "không có",
                                 912345678.5, "０９１２３４５６７８", True, "+1 202 555 0100"])
def test_bad_phone(raw):
    with pytest.raises(cells.CellError) as error:
        cells.phone(raw)
    assert error.value.message.startswith("Số điện thoại “")


PHONE_TEXT = st.text(alphabet=st.sampled_from("0123456789 .-()+'"), max_size=20)


@given(st.one_of(PHONE_TEXT, st.integers(min_value=0, max_value=10 ** 12), st.floats(allow_nan=False)))
def test_phone_normalisation_is_idempotent(raw):
    try:
        number, _ = cells.phone(raw)
    except cells.CellError:
        return
    assert cells.phone(number) == (number, False)
    assert number.isdigit() and number[0] == "0" and len(number) in (10, 11)


@pytest.mark.parametrize("raw, lost, expected", [
    ("042180001234", False, ("042180001234", False)),
    ("042 180 001 234", False, ("042180001234", False)),
    ("123456789", False, ("123456789", False)),
    (42180001234, False, ("042180001234", True)),
    (42180001234.0, False, ("042180001234", True)),
    ("42180001234", True, ("042180001234", True)),  # CSV: a number column exported without its 0
    (12345678, False, ("012345678", True)),
])
def test_id_number(raw, lost, expected):
    assert cells.id_number(raw, lost) == expected


@pytest.mark.parametrize("raw, lost", [("42180001234", False), ("1234567890", False), ("abc", True),
                                       (99180001234, False), (4.2180001234e10 + 0.5, False)])
def test_bad_id_number(raw, lost):
    with pytest.raises(cells.CellError):
        cells.id_number(raw, lost)


@pytest.mark.parametrize("raw", ["Nguyễn Thị Hoa", "NGUYỄN THỊ HOA", "  Lê   Hà ", "Nguyễn thị Hoa", "H'Hen Niê",
                                 "Ðặng Văn Lâm", "Lê\u200bHà", "Trần\tThị\nBích", "x", "Ksor H'Ngăm"])
def test_full_name_equals_normalise_name(raw):
    assert cells.full_name(raw) == normalise_name(raw)


@given(st.text(max_size=40).filter(lambda text: not any(char.isdigit() for char in normalise_name(text))))
@example("ªA")  # "ª" is lower case to isupper() but has no upper case: normalise_name title-cases it
def test_full_name_shortcut_never_differs_from_normalise_name(raw):
    assert cells.full_name(raw) == normalise_name(raw)


def test_full_name_with_digits_is_a_problem():
    with pytest.raises(cells.CellError) as error:
        cells.full_name("Nguyễn Thị Hoa 2")
    assert error.value.message == "Họ và tên “Nguyễn Thị Hoa 2” có chữ số"


@pytest.mark.parametrize("raw, ok", [("hoa@hatinh.gov.vn", True), ("mailto:hoa@gmail.com", True),
                                     ("hoa@", False), ("hoa at gmail.com", False), ("a@b.c", False)])
def test_email(raw, ok):
    if ok:
        assert "@" in cells.email(raw)
    else:
        with pytest.raises(cells.CellError):
            cells.email(raw)


@pytest.mark.parametrize("value, blank", [("", True), ("  ", True), ("-", True), (" – ", True), ("—", True),
                                          (None, True), (0, False), ("-1", False), ("Nữ", False), (" a", False)])
def test_is_blank(value, blank):
    assert cells.is_blank(value) is blank

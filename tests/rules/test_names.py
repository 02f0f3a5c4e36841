"""Vietnamese names: normalising, folding for search, splitting, and the Vietnamese sort key."""
import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bdgtrain.rules.names import fold, normalise_name, sort_key, split_name, text_sort_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("raw, expected", [
    ("NGUYỄN THỊ HOA", "Nguyễn Thị Hoa"),
    ("nguyễn thị hoa", "Nguyễn Thị Hoa"),
    ("ĐẶNG NGỌC TOÀN", "Đặng Ngọc Toàn"),
    ("đặng ngọc toàn", "Đặng Ngọc Toàn"),
    ("ƯNG HOÀNG PHÚC", "Ưng Hoàng Phúc"),
    ("  Nguyễn   Thị\u00a0Hoa \t", "Nguyễn Thị Hoa"),
    ("Nguyễn\nThị\r\nHoa", "Nguyễn Thị Hoa"),
    ("Nguyễn\u200b Thị\ufeff Hoa", "Nguyễn Thị Hoa"),  # zero-width characters pasted from Word
    (nfd("Nguyễn Thị Hoa"), "Nguyễn Thị Hoa"),
    (nfd("NGUYỄN THỊ HOA"), "Nguyễn Thị Hoa"),
    ("Ðặng Văn Lâm", "Đặng Văn Lâm"),  # Icelandic eth from a legacy-encoding converter
    ("Nguyễn thị Hoa", "Nguyễn thị Hoa"),  # mixed case: the person's own writing is kept
    ("Trần Thị MỸ Linh", "Trần Thị MỸ Linh"),
    ("H'HEN NIÊ", "H'Hen Niê"),
    ("ksor h'ngăm", "Ksor H'Ngăm"),
    ("Y MOAN", "Y Moan"),
    ("", ""),
    ("   ", ""),
])
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected
    assert normalise_name(raw) == nfc(normalise_name(raw))


@pytest.mark.parametrize("text, expected", [
    ("Đặng Thị Hoà", "dang thi hoa"),
    (nfd("Đặng Thị Hoà"), "dang thi hoa"),
    ("Nguyễn Thị Hoa", "nguyen thi hoa"),
    ("NGUYỄN  THỊ\u00a0HOA ", "nguyen thi hoa"),
    ("Hòa", "hoa"),
    ("Ðặng", "dang"),
    ("Trương Ưng Ơn Ấn Ẩn", "truong ung on an an"),
    ("Ｈｏａ", "hoa"),  # full-width letters
    ("H'Hen Niê", "h'hen nie"),
    ("", ""),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_lets_plain_typing_find_the_name():
    assert fold("nguyen thi hoa") in fold("Danh sách: NGUYỄN THỊ HOA, Lê Văn An")


@pytest.mark.parametrize("full_name, expected", [
    ("Nguyễn Thị Hoa", ("Nguyễn", "Thị", "Hoa")),
    ("Nguyễn Thị Ngọc Anh", ("Nguyễn", "Thị Ngọc", "Anh")),
    ("Tôn Nữ Thị Hà", ("Tôn", "Nữ Thị", "Hà")),  # a compound family name is not guessed
    ("Hoàng Long", ("Hoàng", "", "Long")),
    ("Long", ("", "", "Long")),
    ("  Nguyễn  Thị\u00a0 Hoa ", ("Nguyễn", "Thị", "Hoa")),
    (nfd("Đặng Thị Hoà"), ("Đặng", "Thị", "Hoà")),
    ("", ("", "", "")),
])
def test_split_name(full_name, expected):
    assert split_name(full_name) == expected


# Real names in the expected order, derived by hand from the rule: given name, then middle names,
# then family name; letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; within a
# part the letters decide and the tone (none, ` ? ~ ' .) only breaks ties; a shorter word or an
# empty part comes first.
REFERENCE = [
    "Phan An",                # no middle name: before every "An" that has one
    "Lê Thị An",              # middle thi < van
    "Nguyễn Văn An",          # same given and middle: family nguyen < tran
    "Trần Văn An",
    "Vũ Thị Anh",             # an < anh (shorter word first); middle "thi" < "thi lan"
    "Nguyễn Thị Lan Anh",     # "thi lan" < "thi ngoc" (l < n)
    "Phạm Thị Ngọc Anh",      # "thi ngoc" < "tuân" (h < u)
    "Đặng Tuấn Anh",
    "Lê Thị Ngọc Ánh",        # anh = ánh in letters, no tone < sắc; the given name's tone beats any middle
    "Hoàng Thiện Ân",         # ánh < ân: a < â decides before any tone
    "Trần Thanh Bình",
    "Lê Mạnh Cường",
    "Nguyễn Thị Dung",        # dung = dũng in letters, no tone < ngã
    "Phạm Tiến Dũng",
    "Bùi Đức Duy",            # dung < duy (n < y)
    "Trần Thùy Dương",        # duy < dương (u < ư)
    "Nguyễn Thị Đào",         # dương < đào: d < đ, whatever follows
    "Lê Tiến Đạt",            # đao < đat (o < t)
    "Hoàng Minh Đức",         # đat < đưc (a < ư)
    "Lê Hương Giang",
    "Nguyễn Thu Hà",          # ha < hai (shorter first)
    "Trần Văn Hải",           # hai < hanh (i < n)
    "Đỗ Thị Hạnh",            # hanh < hăng (a < ă)
    "Nguyễn Thúy Hằng",       # hăng < hân (ă < â)
    "Lê Gia Hân",             # hân < hâu (n < u)
    "Phạm Văn Hậu",
    "Bùi Thị Hiền",           # hâu < hiên (â < i)
    "Nguyễn Thị Hoa",         # hoa = hòa in letters, no tone < huyền
    "Trần Thị Hòa",
    "Lê Thị Hồng",            # hoa < hông (o < ô)
    "Vũ Thị Huệ",             # hông < huê (ô < u)
    "Lê Văn Hùng",            # huê < hung (ê < n)
    "Nguyễn Thị Hương",       # hung < hương (u < ư); hương = hường in letters, no tone < huyền
    "Đinh Thị Hường",
    "Nguyễn Duy Khánh",       # kh is k then h: khanh < kiên (h < i)
    "Trần Trung Kiên",
    "Phạm Thị Lan",           # lan < linh < loan < long
    "Nguyễn Thùy Linh",
    "Lê Thị Loan",
    "Hoàng Long",
    "Trần Thị Mai",
    "Lê Quang Minh",          # middle quang < văn
    "Dương Văn Minh",         # same given and middle: family dương < đặng (d < đ)
    "Đặng Văn Minh",          # đăng < đô (ă < ô)
    "Đỗ Văn Minh",
    "Nguyễn Thị Nga",         # nga < ngân (a < â)
    "Phạm Thị Ngân",          # ngân < ngoc (â < o)
    "Đỗ Bích Ngọc",           # ngoc < nhung (g < h)
    "Lê Thị Nhung",
    "Vũ Thị Oanh",
    "Nguyễn Hồng Phúc",       # phuc < phương (u < ư)
    "Lê Thị Phương",
    "Trần Minh Quang",        # quang < quân (a < â)
    "Đỗ Hồng Quân",
    "Nguyễn Thái Sơn",
    "Lê Thị Tâm",             # tâm < thao: th is t then h, and â < h
    "Phạm Thu Thảo",          # thao < thuy < trang (h < r)
    "Nguyễn Thị Thủy",
    "Đoàn Thu Trang",         # trang < tu (r < u)
    "Lê Anh Tú",              # tu < tuân (shorter first)
    "Nguyễn Anh Tuấn",
    "Nguyễn Thị Vân",         # vân < viêt (â < i)
    "Hoàng Quốc Việt",
    "Trần Thị Xuân",
    "Hoàng Thị Yến",
]


def test_reference_has_enough_real_names():
    assert len(REFERENCE) >= 40 and len(set(REFERENCE)) == len(REFERENCE)


@pytest.mark.parametrize("seed", range(5))
def test_sort_key_orders_the_reference_list(seed):
    shuffled = REFERENCE[:]
    random.Random(seed).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == REFERENCE


def test_sort_key_orders_byte_wise_as_a_database_column_would():
    encoded = sorted((sort_key(name).encode("ascii"), name) for name in REFERENCE)
    assert [name for _, name in encoded] == REFERENCE


def test_sort_key_orders_nfd_and_upper_case_input_the_same():
    assert sorted(REFERENCE, key=lambda name: sort_key(nfd(name.upper()))) == REFERENCE


@pytest.mark.parametrize("ladder", [
    ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"],                  # tones: none, huyền, hỏi, ngã, sắc, nặng
    ["Lê Văn Ha", "Lê Văn Hà", "Lê Văn Hả", "Lê Văn Hã", "Lê Văn Há", "Lê Văn Hạ"],
    ["An", "Anh", "Ánh", "Ăn", "Ân"],                     # letters first: á < ă although á has a tone
    ["Ạnh", "Ăn"],                                       # the heaviest tone still loses to the next letter
    ["Dương", "Dưỡng", "Đa", "Đà"],                      # đ after every d
    ["Hoa", "Hoà", "Hô", "Hồ", "Hơ", "Hu", "Hư"],         # o < ô < ơ, u < ư
    ["E", "Em", "Ê", "Ếch"],                             # e < ê
    ["Thi", "Thị", "Thịnh"],
    ["Trần An", "Lê Bích An"],                           # no middle name first
    ["Nguyễn Thị An", "Nguyễn Thị Ngọc An"],             # the shorter middle first
    ["Trần Thị Ngọc An", "Trần Thịnh An"],               # the word space sorts before any letter
    ["Lê Thi Hà", "Lê Thị Hà"],                          # a middle tone breaks a tie
    ["Lê Văn An", "Lệ Văn An"],                          # a family tone breaks the last tie
    ["Nguyễn Văn Ha", "Lê Văn Hà"],                      # the given name's tone counts before the family
    ["Dương Văn An", "Đỗ Văn An"],
])
def test_sort_key_ladders(ladder):
    assert sorted(reversed(ladder), key=sort_key) == ladder
    assert all(sort_key(a) < sort_key(b) for a, b in zip(ladder, ladder[1:]))


@pytest.mark.parametrize("a, b", [
    ("Hòa", "Hoà"),                          # old and new tone placement
    ("Thủy", "Thuỷ"),
    ("Nguyễn Thị Hoa", "NGUYỄN THỊ HOA"),
    ("Nguyễn Thị Hoa", "  nguyễn  thị\u00a0hoa "),
    ("Nguyễn Thị Hoa", nfd("Nguyễn Thị Hoa")),
    ("Ðặng Văn Lâm", "Đặng Văn Lâm"),
])
def test_sort_key_equal_for_the_same_name(a, b):
    assert sort_key(a) == sort_key(b)


@pytest.mark.parametrize("name", ["Ksor H'Ngăm", "Y Moan Êban", "Nguyễn Văn 3", "李小龍", "Mai 🌸", "", "Ĕ Ŏ"])
def test_sort_key_of_any_name_is_ascii(name):
    assert set(sort_key(name)) <= set("0123456789abcdef~")


def test_apostrophe_names_sort_together_between_h_and_ha():
    assert sort_key("Lê H") < sort_key("Lê H'Hen") < sort_key("Lê H’Mai") < sort_key("Lê Ha")


def test_letters_outside_the_alphabet_sort_after_the_base_letter():
    assert sort_key("Lê Ez") < sort_key("Lê Ĕ") < sort_key("Lê Ê")
    assert sort_key("Lê Ĕ") == sort_key(nfd("Lê Ĕ"))
    assert sort_key("Lê Zô") < sort_key("Lê 李")


# Properties.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯfjwz"
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
syllables = st.builds(
    lambda letters, tone, at: nfc(letters[:at % len(letters) + 1] + tone + letters[at % len(letters) + 1:]),
    st.text(alphabet=VIETNAMESE, min_size=1, max_size=6), st.sampled_from(TONE_MARKS), st.integers(0, 5))
vietnamese_names = st.lists(syllables, min_size=1, max_size=5).map(" ".join)
any_names = st.one_of(st.text(), vietnamese_names,
                      st.text(alphabet=VIETNAMESE + " \u00a0\u200b'\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b"))

ORDER = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONE_RANK = {mark: rank for rank, mark in enumerate(TONE_MARKS) if mark}


def reference_key(full_name: str):
    """An independent, slower reading of the rule: tuples instead of an encoded string."""
    def part(words):
        letters, tones = [], []
        for n, word in enumerate(words):
            decomposed = nfd(word.lower())
            letters += ([-1] if n else []) + [ORDER.index(c) for c in nfc("".join(
                c for c in decomposed if c not in TONE_RANK))]
            tones.append(next((TONE_RANK[c] for c in decomposed if c in TONE_RANK), 0))
        return letters, tones

    words = full_name.split()
    if len(words) == 1:
        return part(words), part([]), part([])
    return part(words[-1:]), part(words[1:-1]), part(words[:1])


@given(vietnamese_names, vietnamese_names)
def test_sort_key_agrees_with_the_reference_reading(a, b):
    assert (sort_key(a) < sort_key(b)) == (reference_key(a) < reference_key(b))
    assert (sort_key(a) == sort_key(b)) == (reference_key(a) == reference_key(b))


@given(any_names)
def test_sort_key_same_for_nfd_and_nfc(text):
    assert sort_key(nfd(text)) == sort_key(nfc(text))


@given(any_names)
def test_sort_key_is_ascii(text):
    assert set(sort_key(text)) <= set("0123456789abcdef~")


@given(any_names)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(any_names)
def test_fold_same_for_nfd_and_nfc(text):
    assert fold(nfd(text)) == fold(nfc(text))


@given(vietnamese_names)
def test_fold_of_vietnamese_is_plain_ascii(text):
    assert fold(text).isascii()


@given(any_names)
def test_normalise_name_is_idempotent(text):
    once = normalise_name(text)
    assert normalise_name(once) == once
    assert once == nfc(once) and "  " not in once and once == once.strip()


@given(any_names)
def test_normalise_name_keeps_the_sort_key_and_the_fold(text):
    assert fold(normalise_name(text)) == fold(text)
    assert sort_key(normalise_name(text)) == sort_key(text)


@given(st.lists(syllables, min_size=1, max_size=5), st.sampled_from([" ", "  ", "\u00a0", "\t", " \n "]))
def test_split_name_keeps_every_word_in_order(words, space):
    family, middle, given_name = split_name(space + space.join(words) + space)
    assert " ".join(part for part in (family, middle, given_name) if part) == " ".join(words)
    assert given_name == words[-1]


# Units are ordered by their names in reading order (issue 21: "Huyện Đức Thọ" came after "Huyện Vũ Quang").
UNITS_IN_ORDER = [
    "Huyện Can Lộc",
    "Huyện Cẩm Xuyên",
    "Huyện Đức Thọ",
    "Huyện Hương Khê",
    "Huyện Hương Sơn",
    "Huyện Kỳ Anh",
    "Huyện Lộc Hà",
    "Huyện Nghi Xuân",
    "Huyện Thạch Hà",
    "Huyện Vũ Quang",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Y tế",
    "Thành phố Hà Tĩnh",
    "Thị xã Hồng Lĩnh",
    "Ủy ban nhân dân tỉnh",
    "Xã Đức Lạng",
]


@pytest.mark.parametrize("seed", range(5))
def test_text_sort_key_orders_units_in_vietnamese_order(seed):
    shuffled = UNITS_IN_ORDER[:]
    random.Random(seed).shuffle(shuffled)
    assert sorted(shuffled, key=text_sort_key) == UNITS_IN_ORDER
    assert sorted(UNITS_IN_ORDER) != UNITS_IN_ORDER, "code-point order is wrong: the test must be able to fail"


@pytest.mark.parametrize(("first", "second"), [
    ("Huyện Đức Thọ", "Huyện Vũ Quang"),  # the pair
    ("Xã Dương", "Xã Đông"),  # d before đ, whatever follows
    ("Xã Ma", "Xã Mà"),  # the base letters first, the tone breaks the tie
    ("Xã Mà", "Xã Mả"),
    ("Xã Mã", "Xã Má"),
    ("Xã Má", "Xã Mạ"),
    ("Xã Mạ", "Xã Mai"),  # ... but letters outrank any tone
    ("Xã Ut", "Xã Út"),
    ("Xã Uyên", "Xã Ưng"),
    ("Phường 1", "Phường A"),
])
def test_text_sort_key_pairs(first, second):
    assert text_sort_key(first) < text_sort_key(second)
    assert text_sort_key(nfd(first.upper())) == text_sort_key(first)

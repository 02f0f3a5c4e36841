"""Message: the Vietnamese text pure code returns, which remembers how to be translated."""
import copy
import json
import pickle

from bdgtrain.messages import Message, PluralMessage, listing


def test_a_message_is_its_vietnamese_text():
    message = Message("Năm sinh %(year)s ở tương lai", year=2090)
    assert message == "Năm sinh 2090 ở tương lai"
    assert str(message) == "Năm sinh 2090 ở tương lai" and type(str(message)) is str
    assert message.template == "Năm sinh %(year)s ở tương lai" and message.params == {"year": 2090}
    assert json.dumps({"m": message}, ensure_ascii=False) == '{"m": "Năm sinh 2090 ở tương lai"}'


def test_a_message_without_parameters_is_not_formatted():
    assert Message("100% đã gửi") == "100% đã gửi"


def test_a_plural_message_chooses_by_count_and_knows_num():
    one = PluralMessage("%(num)s row", "%(num)s rows", 1)
    many = PluralMessage("%(num)s row in %(sheet)s", "%(num)s rows in %(sheet)s", 3, sheet="DS")
    assert (one, many) == ("1 row", "3 rows in DS")
    assert (many.template, many.plural, many.num, many.params) == (
        "%(num)s row in %(sheet)s", "%(num)s rows in %(sheet)s", 3, {"sheet": "DS", "num": 3})


def test_copies_and_pickles_keep_what_was_marked():
    for original in (Message("Tệp “%(file)s” không có dữ liệu.", file="a.xlsx"),
                     PluralMessage("dòng %(rows)s", "dòng %(rows)s", 2, rows="3, 4")):
        for copied in (copy.copy(original), copy.deepcopy(original), pickle.loads(pickle.dumps(original))):
            assert copied == original and type(copied) is type(original)
            assert (copied.template, copied.plural, copied.num, copied.params) == (
                original.template, original.plural, original.num, original.params)


def test_listing_joins_with_commas_and_keeps_the_items():
    joined = listing([Message("cấp tỉnh"), Message("cấp huyện"), Message("cấp xã")])
    assert joined == "cấp tỉnh, cấp huyện, cấp xã"
    assert joined.params["item"].template == "cấp xã"
    assert listing([Message("cấp xã")]) == "cấp xã" and listing([]) == ""

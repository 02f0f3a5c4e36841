"""Reading and checking one record of training outside the system: tables, no app."""
from __future__ import annotations

from datetime import date

import pytest

from bdgtrain.rules.dates import DateExpressionError
from bdgtrain.rules.external_training import (
    KINDS,
    RecordError,
    TrainingRecord,
    check_record,
    counts_of,
    kind_of,
    read_date,
)

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize("text, kind", [
    ("Tập huấn", "tap_huan"), ("TẬP HUẤN", "tap_huan"), ("Bồi dưỡng", "boi_duong"),
    ("Lý luận chính trị", "llct"), ("Trung cấp LLCT", "llct"), ("Cao cấp lý luận chính trị - hành chính", "llct"),
    ("Quản lý nhà nước", "qlnn"), ("Bồi dưỡng QLNN ngạch chuyên viên chính", "qlnn"), ("Thạc sĩ", "thac_si"),
    ("ThS", "thac_si"), ("Cao học", "thac_si"), ("Tiến sỹ", "tien_si"), ("Nghiên cứu sinh", "tien_si"),
    ("Khác", "other"), ("llct", "llct"), ("tap_huan", "tap_huan"),
    ("Du lịch", None), ("", None), (None, None),
])
def test_kind_of_reads_the_words_of_a_spreadsheet(text, kind):
    assert kind_of(text) == kind


def test_every_kind_has_words():
    assert all(kind_of(kind) == kind for kind in KINDS)


@pytest.mark.parametrize("text, counts", [
    (None, True), ("", True), ("  ", True), ("Có", True), ("x", True), ("1", True), ("Không", False), ("0", False),
    ("không tính", False), ("có lẽ", None), ("?", None),
])
def test_counts_of(text, counts):
    assert counts_of(text) is counts


@pytest.mark.parametrize("value, day", [
    (None, None), ("", None), ("15/07/2019", date(2019, 7, 15)), ("2019-07-15", date(2019, 7, 15)),
    ("2019-07-15 00:00:00", date(2019, 7, 15)), (date(2019, 7, 15), date(2019, 7, 15)),
])
def test_read_date(value, day):
    assert read_date(value) == day


@pytest.mark.parametrize("value", ["31/02/2019", "15/7/19", "ngày mai", "31/12/99999", "01/01/1800"])
def test_read_date_refuses_what_is_not_a_date(value):
    with pytest.raises(DateExpressionError):
        read_date(value)


def _record(**changes) -> TrainingRecord:
    values = dict(kind="llct", title="Trung cấp lý luận chính trị", provider="Trường Chính trị",
                  started_on=date(2021, 3, 1), ended_on=date(2021, 12, 30))
    values.update(changes)
    return TrainingRecord(**values)


def test_a_good_record_is_tidied():
    record = check_record(_record(title="  Trung cấp   LLCT ", provider="", evidence=" QĐ  12 "), TODAY)
    assert (record.title, record.provider, record.evidence) == ("Trung cấp LLCT", None, "QĐ 12")


@pytest.mark.parametrize("changes, field, words", [
    (dict(ended_on=date(2021, 2, 1)), "ended_on", "trước ngày bắt đầu"),
    (dict(title="  "), "title", "Chưa nhập"),
    (dict(kind="du_lich"), "kind", "không có trong danh mục"),
    (dict(ended_on=date(2027, 1, 1)), "ended_on", "ở tương lai"),
    (dict(started_on=date(2026, 12, 6), ended_on=None), "started_on", "ở tương lai"),
    (dict(title="x" * 501), "title", "dài quá"),
])
def test_bad_records_name_their_field(changes, field, words):
    with pytest.raises(RecordError) as refused:
        check_record(_record(**changes), TODAY)
    assert refused.value.field == field and words in refused.value.message


def test_a_record_ending_today_or_without_dates_is_fine():
    assert check_record(_record(ended_on=TODAY), TODAY).ended_on == TODAY
    assert check_record(_record(started_on=None, ended_on=None), TODAY).ended_on is None

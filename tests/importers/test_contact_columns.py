"""E-mail and phone columns as suppliers head them, read, normalised and checked row by row (issue 21)."""
from __future__ import annotations

import pytest

from bdgtrain.importers.person_list import read_person_list
from tests.importers.builders import TITLE_BLOCK, TODAY, xlsx


def _list(header: list[str], people: list[list]) -> bytes:
    return xlsx(TITLE_BLOCK + [header] + people)


@pytest.mark.parametrize(("email_header", "phone_header"), [
    ("Email", "Số điện thoại"),
    ("Địa chỉ thư điện tử", "ĐT di động"),
    ("E-mail", "SĐT"),
    ("Địa chỉ email", "Điện thoại liên hệ"),
    ("Thư điện tử", "Di động"),
])
def test_contact_headers_are_recognised(email_header, phone_header):
    data = _list(["STT", "Họ và tên", "Năm sinh", "Đơn vị công tác", phone_header, email_header],
                 [[1, "Nguyễn Thị Hoa", 1980, "UBND huyện Hương Sơn", "0912 345 678", "hoa.nt@hatinh.gov.vn"]])
    result = read_person_list(data, "ds.xlsx", today=TODAY)
    assert result.problems == []
    fields = {c.header: c.field for c in result.columns}
    assert fields[email_header] == "email" and fields[phone_header] == "phone"
    assert (result.rows[0].phone, result.rows[0].email) == ("0912345678", "hoa.nt@hatinh.gov.vn")


def test_phones_are_normalised_like_the_rest_of_the_lists():
    data = _list(["STT", "Họ và tên", "Năm sinh", "ĐT di động", "Email"], [
        [1, "Nguyễn Thị Hoa", 1980, "+84 912 345 678", "mailto:hoa@gmail.com"],
        [2, "Trần Thị Lan", 1979, 912345602, " lan.tt@hatinh.gov.vn "],  # Excel dropped the 0
        [3, "Lê Thị Mai", 1985, "0912.345.603", None],
    ])
    result = read_person_list(data, "ds.xlsx", today=TODAY)
    assert result.problems == []
    assert [(p.phone, p.email) for p in result.rows] == [
        ("0912345678", "hoa@gmail.com"), ("0912345602", "lan.tt@hatinh.gov.vn"), ("0912345603", None)]


def test_bad_email_and_phone_are_row_problems_with_the_sheet_row_number():
    data = _list(["STT", "Họ và tên", "Năm sinh", "Số điện thoại", "Địa chỉ thư điện tử"], [
        [1, "Nguyễn Thị Hoa", 1980, "0912345678", "hoa.nt@hatinh.gov.vn"],
        [2, "Trần Thị Lan", 1979, "091234", "lan.tt@hatinh.gov.vn"],
        [3, "Lê Thị Mai", 1985, "0912345603", "mai chưa có"],
    ])
    result = read_person_list(data, "ds.xlsx", today=TODAY)
    problems = {(p.row, p.column): str(p.message) for p in result.problems}
    # The title block takes 6 rows and the header the 7th: the people are on rows 8, 9 and 10.
    assert set(problems) == {(9, "Số điện thoại"), (10, "Địa chỉ thư điện tử")}
    assert problems[(9, "Số điện thoại")] == "Số điện thoại “091234” không hợp lệ"
    assert problems[(10, "Địa chỉ thư điện tử")] == "Email “mai chưa có” không hợp lệ"

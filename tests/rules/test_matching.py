"""The registry's matching rules, as a table."""
from __future__ import annotations

from datetime import date

import pytest

from bdgtrain.rules.matching import Identity, Registry

HOA = Identity(1, "nguyen thi hoa", birth_date=date(1980, 3, 15), phone="0912345678", id_number="042180000001",
               unit="ubnd huyen cam xuyen")
HOA_YEAR_ONLY = Identity(2, "tran thi lan", birth_year=1975, unit="hoi lhpn huyen duc tho")


@pytest.fixture
def registry():
    return Registry([HOA, HOA_YEAR_ONLY])


@pytest.mark.parametrize("row, outcome, key, reason", [
    # the ID number or the phone decides when the name (and the birth year, when given) agrees
    (Identity("r", "nguyen thi hoa", id_number="042180000001"), "same", 1, "id_number"),
    (Identity("r", "nguyen thi hoa", birth_year=1980, phone="0912345678"), "same", 1, "phone"),
    # but never alone (issue 20): another name or birth year is only a possible duplicate
    (Identity("r", "nguyen thi hoa b", id_number="042180000001"), "possible", 1, "id_number"),
    (Identity("r", "hoa nguyen", phone="0912345678"), "possible", 1, "phone"),
    (Identity("r", "nguyen thi hoa", birth_year=1990, phone="0912345678"), "possible", 1, "phone"),
    # name and full birth date
    (Identity("r", "nguyen thi hoa", birth_date=date(1980, 3, 15)), "same", 1, "name_birth_date"),
    # name and year, another unit, nothing shared: left for a human
    (Identity("r", "nguyen thi hoa", birth_year=1980, unit="so noi vu"), "possible", 1, "name_birth_year"),
    # name and year, no unit given: also left for a human
    (Identity("r", "nguyen thi hoa", birth_year=1980), "possible", 1, "name_birth_year"),
    # name and year and the same unit: the same official
    (Identity("r", "tran thi lan", birth_year=1975, unit="hoi lhpn huyen duc tho"), "same", 2,
     "name_birth_year_unit"),
    # same name, another birth year: different people
    (Identity("r", "nguyen thi hoa", birth_year=1981), "new", None, ""),
    # same name and year but two different full birth dates: different people
    (Identity("r", "nguyen thi hoa", birth_date=date(1980, 3, 16)), "new", None, ""),
    # same name and date but two different ID numbers: different people
    (Identity("r", "nguyen thi hoa", birth_date=date(1980, 3, 15), id_number="042180999999"), "new", None, ""),
    # nobody like her
    (Identity("r", "le thi mai", birth_year=1990), "new", None, ""),
    # nothing to go on but a name: never matched on the name alone
    (Identity("r", "nguyen thi hoa"), "new", None, ""),
])
def test_matching_rules(registry, row, outcome, key, reason):
    result = registry.match(row)
    assert (result.outcome, result.key, result.reason) == (outcome, key, reason)


def test_id_number_beats_a_phone_that_points_elsewhere(registry):
    row = Identity("r", "x", id_number="042180000001", phone="0987654321")
    registry.add(Identity(3, "y", phone="0987654321"))
    assert registry.match(row).key == 1


def test_first_holder_of_a_phone_keeps_it():
    registry = Registry([Identity(1, "a", phone="0911111111"), Identity(2, "b", phone="0911111111")])
    assert registry.match(Identity("r", "c", phone="0911111111")).key == 1


def test_rows_added_during_an_import_are_found_by_later_rows():
    registry = Registry()
    registry.add(Identity("row-5", "le thi mai", birth_date=date(1990, 1, 2)))
    assert registry.match(Identity("row-9", "le thi mai", birth_date=date(1990, 1, 2))).key == "row-5"

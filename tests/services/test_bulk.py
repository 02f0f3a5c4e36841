"""Bulk inserts and updates through the driver store exactly what SQLAlchemy stores, on both databases."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from bdgtrain.extensions import db
from bdgtrain.models import Person
from bdgtrain.services.core.bulk import insert_rows, update_rows

HANOI = timezone(timedelta(hours=7))
COLUMNS = ("id", "full_name", "name_folded", "name_sort_key", "sex", "birth_date", "birth_year", "ethnicity",
           "unit_name", "phone", "id_number", "created_at", "updated_at")


def people(first_id: int) -> list[tuple]:
    at = datetime(2026, 3, 1, 8, 30, tzinfo=HANOI)  # stored as 01:30 UTC
    on_the_second = datetime(2026, 3, 1, 1, 30, 0, 0, tzinfo=timezone.utc)  # no microseconds
    return [
        (first_id, "Nguyễn Thị Hoa", "nguyen thi hoa", "k1", "F", date(1980, 3, 15), 1980, "Kinh", "UBND xã Cẩm Bình",
         "0912345678", f"0421800000{first_id:02d}", at, at),
        (first_id + 1, "Lê Thị Mai", "le thi mai", "k2", None, None, 1985, None, None, None, None,
         on_the_second, datetime(2026, 3, 1, 1, 30, 0, 123456, tzinfo=timezone.utc)),
        (first_id + 2, "Trần Thị Lan", "tran thi lan", "k3", "F", date(1975, 1, 2), 1975, "Tày", "Sở Nội vụ",
         "0987654321", None, at, on_the_second),
    ]


def stored(ids) -> list[tuple]:
    """Every column but the id and the (unique) ID number, as the database holds it (on SQLite, the
    text SQLAlchemy wrote for dates and timestamps)."""
    names = ", ".join(name for name in COLUMNS if name not in ("id", "id_number"))
    result = db.session.connection().exec_driver_sql(
        f"SELECT {names} FROM people WHERE id IN ({', '.join(map(str, ids))}) ORDER BY id")
    return [tuple(row) for row in result]


def test_insert_rows_stores_the_same_values_as_a_core_insert(app):
    core = people(1)
    db.session.execute(insert(Person.__table__), [dict(zip(COLUMNS, row)) for row in core])
    assert insert_rows(Person.__table__, COLUMNS, people(11)) == 3
    assert stored([11, 12, 13]) == stored([1, 2, 3])
    loaded = {p.id: p for p in db.session.scalars(select(Person))}
    for a, b in ((1, 11), (2, 12), (3, 13)):
        assert (loaded[a].birth_date, loaded[a].created_at, loaded[a].updated_at) == \
               (loaded[b].birth_date, loaded[b].created_at, loaded[b].updated_at)
    assert loaded[11].created_at == datetime(2026, 3, 1, 1, 30, tzinfo=timezone.utc)
    assert loaded[12].updated_at.microsecond == 123456


def test_insert_rows_several_a_statement_stores_the_same_values_as_a_core_insert(app, count_queries):
    core = people(1) + people(11) + people(21)
    db.session.execute(insert(Person.__table__), [dict(zip(COLUMNS, row)) for row in core])
    several = [(row[0] + 100, *row[1:-3], f"9{row[-3]}" if row[-3] else None, *row[-2:]) for row in core]
    with count_queries() as counter:
        assert insert_rows(Person.__table__, COLUMNS, several, rows_per_statement=4) == 9
    # SQLite: two statements of four rows, one of the one left; PostgreSQL: one (pipelined) executemany.
    assert counter.count == (3 if db.engine.dialect.name == "sqlite" else 1)
    assert stored([row[0] for row in several]) == stored([row[0] for row in core])


def test_insert_rows_still_refuses_a_naive_timestamp(app):
    row = (*people(1)[0][:-2], datetime(2026, 3, 1, 8, 30), datetime(2026, 3, 1, 8, 30))
    with pytest.raises(ValueError, match="naive datetime"):
        insert_rows(Person.__table__, COLUMNS, [row])


def test_insert_rows_with_nothing_to_insert_sends_nothing(app, count_queries):
    with count_queries() as counter:
        assert insert_rows(Person.__table__, COLUMNS, []) == 0
    assert counter.count == 0


def test_update_rows_stores_the_same_values_as_a_core_update(app):
    insert_rows(Person.__table__, COLUMNS, people(1) + people(11))
    at = datetime(2026, 4, 1, 9, 0, 0, 654321, tzinfo=HANOI)
    table = Person.__table__
    for person_id in (1, 2, 3):
        db.session.execute(table.update().where(table.c.id == person_id).values(
            birth_date=date(1990, 5, 6), position="Chuyên viên", updated_at=at))
    assert update_rows(table, ("birth_date", "position", "updated_at"),
                       [(date(1990, 5, 6), "Chuyên viên", at, person_id) for person_id in (11, 12, 13)]) == 3
    assert stored([11, 12, 13]) == stored([1, 2, 3])
    assert db.session.get(Person, 11).updated_at == at

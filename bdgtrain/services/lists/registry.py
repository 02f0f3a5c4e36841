"""The person registry as an import sees it: everyone already known, read as plain rows for the
matcher (rules.matching), which of their fields are still blank, and how a new person's row is
built and numbered before a bulk insert. The participant lists and the planning pool share it."""
from __future__ import annotations

import operator
from functools import reduce

from sqlalchemy import String, case, func, or_, select, text

from ...extensions import db
from ...importers.person_list import PersonRow
from ...models import Organisation, Person
from ...rules.eligibility import DistrictFinder
from ...rules.matching import Identity, Registry
from ...rules.names import fold, sort_key

IN_CHUNK = 5000  # ids per IN (...): SQLite allows 32,766 parameters a statement, PostgreSQL 65,535
PERSON_FILLABLE = ("sex", "birth_date", "birth_year", "ethnicity", "position", "unit_name", "phone", "email",
                   "id_number")
PERSON_COLUMNS = ("id", "full_name", "name_folded", "name_sort_key", "sex", "birth_date", "birth_year", "ethnicity",
                  "position", "unit_name", "unit_folded", "organisation_id", "phone", "email", "id_number",
                  "created_at", "updated_at")


def load_registry() -> Registry:
    # A Core select on the connection (the ORM's would build each row through its loading machinery),
    # in the order of Identity's fields, which the registry takes as they come. Ordered by id so that,
    # where several known people share a phone or ID, the same (earliest) one is matched on SQLite and
    # PostgreSQL alike.
    rows = db.session.connection().execute(select(Person.id, Person.name_folded, Person.birth_date, Person.birth_year,
                                                  Person.phone, Person.id_number, Person.unit_folded)
                                           .order_by(Person.id)).all()
    return Registry(rows)


def _blank_mask():
    """An SQL expression: bit i set where PERSON_FILLABLE[i] is empty (NULL, or '' for a text column)."""
    table, bits = Person.__table__, []
    for i, name in enumerate(PERSON_FILLABLE):
        column = table.c[name]
        empty = or_(column.is_(None), column == "") if isinstance(column.type, String) else column.is_(None)
        bits.append(case((empty, 1 << i), else_=0))
    return reduce(operator.add, bits)


def load_blank_fields() -> dict[int, int]:
    """Person id -> which of her PERSON_FILLABLE fields are empty, for everyone with one: what an import
    may fill in. One scan, run while the file is read (plan_upload), so that writing needs no select
    of the known people first."""
    mask = _blank_mask()
    return dict(db.session.connection().execute(select(Person.id, mask.label("blank")).where(mask != 0)).all())


def identity_of(key, row: PersonRow) -> Identity:
    return Identity(key, fold(row.full_name), row.birth_date, row.birth_year, row.phone, row.id_number,
                    fold(row.unit_name) if row.unit_name else None)


def district_finder() -> DistrictFinder:
    return DistrictFinder(db.session.execute(select(Organisation.id, Organisation.name)
                                             .where(Organisation.kind == "district")).all())


def taken_id_numbers(numbers) -> set[str]:
    """Which of these ID numbers somebody already holds."""
    wanted, taken = list({n for n in numbers if n}), set()
    for start in range(0, len(wanted), IN_CHUNK):
        taken.update(db.session.scalars(select(Person.id_number).where(
            Person.id_number.in_(wanted[start:start + IN_CHUNK]))))
    return taken


def person_values(person_id: int, row: PersonRow, organisation_id: int | None, sort_keys: dict[str, str],
                   now, taken: set[str] | None = None) -> tuple:
    """A new person's row in PERSON_COLUMNS order; sort keys are computed once per distinct name.

    `taken` (taken_id_numbers(), added to as numbers are given): a new person whose row gives an ID number
    someone else holds is written without it. The matcher makes her a possible duplicate of its holder
    (another name or birth year), and the organiser's merge moves the number if they are one person."""
    name, unit = row.full_name, row.unit_name
    id_number = row.id_number
    if taken is not None and id_number:
        if id_number in taken:
            id_number = None
        else:
            taken.add(id_number)
    key = sort_keys.get(name)
    if key is None:
        key = sort_keys[name] = sort_key(name)
    return (person_id, name, fold(name), key, row.sex, row.birth_date, row.birth_year, row.ethnicity, row.position,
            unit, fold(unit) if unit else None, organisation_id, row.phone, row.email, id_number, now, now)


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for a bulk insert, known before it runs, so that the enrolments and nominations
    of the same import can refer to them without RETURNING (which SQLAlchemy splices row by row)."""
    if count == 0:
        return []
    if db.engine.dialect.name == "postgresql":
        return list(db.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                            "FROM generate_series(1, :n)"), {"table": model.__tablename__, "n": count}))
    # SQLite: every transaction here began with BEGIN IMMEDIATE, so no other writer can take these ids.
    start = db.session.scalar(select(func.coalesce(func.max(model.id), 0))) + 1
    return list(range(start, start + count))

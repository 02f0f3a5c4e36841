"""Bulk inserts and updates of plain rows straight through the driver's executemany, for imports of
100,000 rows.

SQLAlchemy's executemany builds every row's parameters and runs every value through its column
type (the UTCDateTime TypeDecorator, SQLite's date formatting) one call at a time: for a large list
that costs more than the database's own work. Here each column's bind processor runs once per
distinct value (dates and timestamps repeat), and the rows go to the driver as tuples, so they are
stored exactly as an `insert(table)` would store them, on SQLite and on PostgreSQL. No RETURNING
and none of SQLAlchemy's Python-side defaults: the caller gives every value it means to store
(timestamps included); a column left out takes the database's own default (a serial id).
"""
from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain

from sqlalchemy import String, Table

from ...extensions import db

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
MAX_PARAMETERS = 30_000  # a statement's bound values: SQLite allows 32,766, PostgreSQL 65,535


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence], rows_per_statement: int = 1) -> int:
    """INSERT the rows (one value per column, in `columns` order); returns the count.

    One executemany of one row per statement by default. With `rows_per_statement`, on SQLite, that
    many rows go in each `INSERT ... VALUES (...), (...)`: for rows that land at the end of their
    indexes (new ids, one class) SQLite does a third less work per row than one statement a row.
    Not for rows that land at random places in big indexes (new people in the registry's sort-key
    and phone indexes), where it measured slower. PostgreSQL keeps the executemany, which psycopg
    already pipelines: there the long statements cost more client CPU than they saved.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    connection = db.session.connection()
    preparer, placeholder = connection.dialect.identifier_preparer, _PLACEHOLDERS[connection.dialect.paramstyle]
    head = (f"INSERT INTO {preparer.format_table(table)} "
            f"({', '.join(preparer.format_column(table.c[name]) for name in columns)}) VALUES ")
    values = f"({', '.join([placeholder] * len(columns))})"
    rows = _processed(connection.dialect, table, columns, rows)
    per_statement = max(1, min(rows_per_statement, MAX_PARAMETERS // len(columns)))
    if connection.dialect.name != "sqlite":
        per_statement = 1  # see above
    if per_statement == 1:
        connection.exec_driver_sql(head + values, rows)
        return len(rows)
    statement = head + ", ".join([values] * per_statement)
    whole = len(rows) - len(rows) % per_statement
    for start in range(0, whole, per_statement):
        connection.exec_driver_sql(statement, tuple(chain.from_iterable(rows[start:start + per_statement])))
    if whole < len(rows):
        connection.exec_driver_sql(head + ", ".join([values] * (len(rows) - whole)),
                                   tuple(chain.from_iterable(rows[whole:])))
    return len(rows)


def update_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence], key: str = "id",
                where_empty: Mapping[str, str] | None = None) -> int:
    """UPDATE the rows whose `key` is the last value of each row, setting `columns` to the values before it.

    Nothing is added: a column with an onupdate default (updated_at) must be among `columns`.
    `where_empty` maps a column to the column that must be empty (NULL, or '' for text) for it to be
    set; otherwise the row keeps its value. The test is the statement's own, on the row as stored.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    connection = db.session.connection()
    preparer, placeholder = connection.dialect.identifier_preparer, _PLACEHOLDERS[connection.dialect.paramstyle]
    where_empty = where_empty or {}

    def assignment(name: str) -> str:
        column = preparer.format_column(table.c[name])
        if name not in where_empty:
            return f"{column} = {placeholder}"
        guard = table.c[where_empty[name]]
        test = f"{preparer.format_column(guard)} IS NULL"
        if isinstance(guard.type, String):
            test += f" OR {preparer.format_column(guard)} = ''"
        return f"{column} = CASE WHEN {test} THEN {placeholder} ELSE {column} END"

    statement = (f"UPDATE {preparer.format_table(table)} SET {', '.join(map(assignment, columns))} "
                 f"WHERE {preparer.format_column(table.c[key])} = {placeholder}")
    connection.exec_driver_sql(statement, _processed(connection.dialect, table, (*columns, key), rows))
    return len(rows)


def _processed(dialect, table: Table, columns: Sequence[str], rows: list[Sequence]) -> list[tuple]:
    """The rows with each value as the column's type would send it, each distinct value converted once."""
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    if not any(processors):
        return rows
    values = list(zip(*rows, strict=True))
    for c, process in enumerate(processors):
        if process is not None:
            converted = {value: process(value) for value in set(values[c])}
            values[c] = map(converted.__getitem__, values[c])
    return list(zip(*values))


@contextmanager
def collector_paused():
    """Pause Python's cycle collector while an import holds its 100,000 rows and registry entries.

    Nothing an import builds forms reference cycles, but every object counts towards the next
    collection, and each full collection walks all of them: about a second of a large import.
    As the reader does (importers.person_list), the collector is switched back on only if it was on.
    Usable as a decorator.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

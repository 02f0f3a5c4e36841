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
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from sqlalchemy import Table

from ..extensions import db

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT the rows (one value per column, in `columns` order) in one executemany; returns the count."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    connection = db.session.connection()
    preparer, placeholder = connection.dialect.identifier_preparer, _PLACEHOLDERS[connection.dialect.paramstyle]
    statement = (f"INSERT INTO {preparer.format_table(table)} "
                 f"({', '.join(preparer.format_column(table.c[name]) for name in columns)}) "
                 f"VALUES ({', '.join([placeholder] * len(columns))})")
    connection.exec_driver_sql(statement, _processed(connection.dialect, table, columns, rows))
    return len(rows)


def update_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence], key: str = "id") -> int:
    """UPDATE the rows whose `key` is the last value of each row, setting `columns` to the values before it.

    Nothing is added: a column with an onupdate default (updated_at) must be among `columns`."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    connection = db.session.connection()
    preparer, placeholder = connection.dialect.identifier_preparer, _PLACEHOLDERS[connection.dialect.paramstyle]
    statement = (f"UPDATE {preparer.format_table(table)} SET "
                 f"{', '.join(f'{preparer.format_column(table.c[name])} = {placeholder}' for name in columns)} "
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

"""Engine tuning: what SQLite needs to behave under concurrent requests.

SQLite gets WAL (readers do not block the writer), foreign keys, a busy timeout, a page cache
large enough for a big import, and `BEGIN IMMEDIATE` for every transaction: a request that reads
and then writes takes the write lock up front and waits for it, instead of failing "database is
locked" when another writer got there between its read and its write.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


SQLITE_CACHE_KIB = 16 * 1024


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_engine_options(busy_timeout_seconds: int) -> dict:
    # isolation_level=None hands transaction control to us (see `tune_sqlite_engine`);
    # check_same_thread=False because a pooled connection may serve another thread later.
    return {
        "connect_args": {"timeout": busy_timeout_seconds, "check_same_thread": False,
                         "isolation_level": None},
    }


def tune_sqlite_engine(engine: Engine, busy_timeout_seconds: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 16 MiB of page cache instead of 2: an import of 100,000 people inserts into indexes that
        # span the whole registry, and with the default cache SQLite spills dirty pages to the WAL
        # mid-transaction (a third of the time spent inserting). The cache grows only as it is used.
        cursor.execute(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

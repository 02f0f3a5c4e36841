"""Engine tuning: what SQLite needs to behave under concurrent requests, and PostgreSQL for reports;
either is refused at its first connection when older than the statements need (MIN_POSTGRES, MIN_SQLITE).

PostgreSQL gets JIT compilation off (see `tune_postgres_engine`). SQLite gets WAL (readers do not
block the writer), foreign keys, a busy timeout, a page cache large enough for a big import, and
`BEGIN IMMEDIATE` for every transaction: a request that reads and then writes takes the write
lock up front and waits for it, instead of failing "database is locked" when another writer got
there between its read and its write.

A request that only needs the lock for its last few statements (a check-in scan) may instead
`read_first`: its transaction begins deferred, so its reads run beside other writers, and
`take_write_lock` ends that read snapshot and begins the IMMEDIATE transaction just before the
first write. What it read may be a few milliseconds old by then; the writes that follow are made
safe by the database's own constraints (ON CONFLICT), as on PostgreSQL under READ COMMITTED.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

SQLITE_CACHE_KIB = 16 * 1024
# The oldest databases the statements run on: the reports' CTEs say AS MATERIALIZED (PostgreSQL 12,
# SQLite 3.35), the access log's INSERT ... RETURNING (SQLite 3.35). Older ones fail with a syntax
# error in the middle of a page; they are refused at the first connection instead, with a message.
MIN_POSTGRES = (12, 0)
MIN_SQLITE = (3, 35, 0)

READ_FIRST = "bdgtrain_read_first"  # a connection execution option: begin without the write lock
_READING = "bdgtrain_reading"  # connection info: the open transaction is a deferred (read) one


class UnsupportedDatabase(RuntimeError):
    """The database server or library is older than the statements need."""


def require_version(name: str, have: tuple[int, ...], need: tuple[int, ...]) -> None:
    if tuple(have) < tuple(need):
        raise UnsupportedDatabase(
            f"{name} {'.'.join(map(str, have))} is too old: bdgtrain needs {name} {'.'.join(map(str, need))} "
            f"or newer (docs/DEPLOY.md).")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_engine_options(busy_timeout_seconds: int) -> dict:
    # isolation_level=None hands transaction control to us (see `tune_sqlite_engine`);
    # check_same_thread=False because a pooled connection may serve another thread later.
    return {
        "connect_args": {"timeout": busy_timeout_seconds, "check_same_thread": False,
                         "isolation_level": None},
    }


def postgres_version(number: int) -> tuple[int, int]:
    """libpq's server version number as (major, minor): 150019 is 15.19; before 10, 90624 is 9.6."""
    return (number // 10000, number % 10000) if number >= 100000 else (number // 10000, number // 100 % 100)


def tune_postgres_engine(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # PostgreSQL's JIT compiles a statement whose estimated cost passes jit_above_cost (100,000):
        # every report of a large pool does, and compiling it (inlining, optimisation) cost 1.2 s of a
        # unit's 2.5 s report page at full size (docs/BENCHMARKS.md). Once per pooled connection; a
        # SET rather than a start-up option, which connection poolers such as PgBouncer refuse.
        require_version("PostgreSQL", postgres_version(dbapi_connection.info.server_version), MIN_POSTGRES)
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


def tune_sqlite_engine(engine: Engine, busy_timeout_seconds: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        require_version("SQLite", sqlite3.sqlite_version_info, MIN_SQLITE)  # the library Python was built with
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 16 MiB of page cache instead of 2: an import of 100,000 people inserts into indexes that
        # span the whole registry, and with the default cache SQLite spills dirty pages to the WAL
        # mid-transaction (a third of the time spent inserting). The cache grows only as it is used.
        cursor.execute(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
        # Sorts, groupings and automatic indexes in memory, not in temporary files: the trained-share
        # report of a million pool entries builds temporary B-trees far larger than the page cache,
        # and spilling them to files cost it about 40 % of its time (docs/BENCHMARKS.md).
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    gate = _WriterGate(busy_timeout_seconds, _writer_lock_path(engine))
    _GATES[id(engine)] = gate

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        reading = bool(connection.get_execution_options().get(READ_FIRST))
        connection.info[_READING] = reading
        if not reading:
            gate.enter(connection)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    def _on_commit(connection):
        gate.leave(connection)

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection):
        gate.leave(connection)


class _WriterGate:
    """Writers queue here, in arrival order, before asking SQLite for its write lock.

    SQLite's own wait for the lock is a sleep-and-retry loop (sleeps grow to 100 ms), which is
    unfair and slow when many writers want it at once. Threads of one process queue on a Python
    lock, which wakes the next one at once. Processes (gunicorn workers) then queue on an advisory
    lock on a file beside the database, `<database>-writer.lock`, polled every fraction of a
    millisecond, so a worker whose writer finds the lock taken starts as soon as it is free instead
    of sleeping up to 100 ms while its own threads queue behind it. Measured: with both workers
    writing, SQLite's busy handler alone gave check-in a 99th percentile of 0.3-0.6 s
    (docs/BENCHMARKS.md).

    Reentrant, because a thread may hold one write transaction while opening another (SQLite then
    decides, as before); each wait is bounded by the busy timeout, so that a transaction left open
    elsewhere makes a writer fail as it did, never hang. Only advisory: a writer that does not use
    the gate (the sqlite3 shell) still meets SQLite's busy handler, as before.
    """

    _HELD = "bdgtrain_holds_writer_gate"
    _POLL_SECONDS = (0.0001, 0.0005)  # the first wait, then every wait after it

    def __init__(self, timeout_seconds: float, lock_path: str | None = None):
        self._lock = threading.RLock()
        self._timeout = timeout_seconds
        self._lock_path = lock_path
        self._file: tuple[int, int] | None = None  # (pid, fd): a forked worker opens its own
        self._depth = 0  # changed only by the thread holding self._lock
        self._file_held = False

    def enter(self, connection) -> None:
        if not self._lock.acquire(timeout=self._timeout):
            return
        connection.info[self._HELD] = True
        self._depth += 1
        if self._depth == 1 and self._lock_path is not None:
            self._file_held = self._lock_file()

    def leave(self, connection) -> None:
        if connection.info.pop(self._HELD, False):
            self._depth -= 1
            if self._depth == 0 and self._file_held:
                self._file_held = False
                fcntl.flock(self._file[1], fcntl.LOCK_UN)
            self._lock.release()

    def _lock_file(self) -> bool:
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600))
        fd, deadline, pause = self._file[1], time.monotonic() + self._timeout, self._POLL_SECONDS[0]
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False  # SQLite's busy handler decides from here, as without the gate
                time.sleep(pause)
                pause = self._POLL_SECONDS[1]


def _writer_lock_path(engine: Engine) -> str | None:
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None  # a private database: no other process writes to it
    return f"{name}-writer.lock"


_GATES: dict[int, _WriterGate] = {}


def read_first(session: Session) -> None:
    """Begin `session`'s transaction without SQLite's write lock; call before its first statement.

    Every write that follows must come after `take_write_lock`: SQLite cannot turn a read snapshot
    that another writer has overtaken into a write transaction (it fails at once, without waiting).
    On PostgreSQL this does nothing.
    """
    current = session.registry() if hasattr(session, "registry") else session  # a scoped_session's own session
    if current.in_transaction():
        return  # too late to choose: the transaction already began (as it would have anyway)
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={READ_FIRST: True})


def take_write_lock(session: Session) -> None:
    """Before the first write of a `read_first` transaction: end the reads and begin IMMEDIATE.

    Nothing was written yet, so ending the read transaction loses nothing; the ORM does not see
    the switch (its objects stay loaded). Otherwise (PostgreSQL, or a transaction that began
    IMMEDIATE, or one that already switched) it does nothing.
    """
    connection = session.connection()
    if connection.info.pop(_READING, False):
        connection.exec_driver_sql("COMMIT")
        gate = _GATES.get(id(connection.engine))
        if gate is not None:
            gate.enter(connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE")

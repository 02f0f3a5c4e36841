"""Engine tuning: what SQLite needs to behave under concurrent requests.

SQLite gets WAL (readers do not block the writer), foreign keys, a busy timeout, a page cache
large enough for a big import, and `BEGIN IMMEDIATE` for every transaction: a request that reads
and then writes takes the write lock up front and waits for it, instead of failing "database is
locked" when another writer got there between its read and its write.

A request that only needs the lock for its last few statements (a check-in scan) may instead
`read_first`: its transaction begins deferred, so its reads run beside other writers, and
`take_write_lock` ends that read snapshot and begins the IMMEDIATE transaction just before the
first write. What it read may be a few milliseconds old by then; the writes that follow are made
safe by the database's own constraints (ON CONFLICT), as on PostgreSQL under READ COMMITTED.
"""
from __future__ import annotations

import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


SQLITE_CACHE_KIB = 16 * 1024
READ_FIRST = "bdgtrain_read_first"  # a connection execution option: begin without the write lock
_READING = "bdgtrain_reading"  # connection info: the open transaction is a deferred (read) one


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
        # Sorts, groupings and automatic indexes in memory, not in temporary files: the trained-share
        # report of a million pool entries builds temporary B-trees far larger than the page cache,
        # and spilling them to files cost it about 40 % of its time (docs/BENCHMARKS.md).
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    gate = _WriterGate(busy_timeout_seconds)
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
    """Threads of one process queue here, in arrival order, before asking SQLite for its write lock.

    SQLite's own wait for the lock is a sleep-and-retry loop (sleeps grow to 100 ms), which is
    unfair and slow when many threads want it at once; a Python lock wakes the next thread at
    once, so only the processes compete inside SQLite. Reentrant, because a thread may hold one
    write transaction while opening another (SQLite then decides, as before); bounded by the busy
    timeout, so that a transaction left open elsewhere makes a writer fail as it did, never hang.
    """

    _HELD = "bdgtrain_holds_writer_gate"

    def __init__(self, timeout_seconds: float):
        self._lock = threading.RLock()
        self._timeout = timeout_seconds

    def enter(self, connection) -> None:
        if self._lock.acquire(timeout=self._timeout):
            connection.info[self._HELD] = True

    def leave(self, connection) -> None:
        if connection.info.pop(self._HELD, False):
            self._lock.release()


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

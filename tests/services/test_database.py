"""The database engine: SQLite tuned for concurrent requests, and the one-commit-per-request rule."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from bdgtrain.database import sqlite_engine_options, tune_sqlite_engine
from bdgtrain.extensions import db
from tests.conftest import make_app


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        db.engine.dispose()


def test_concurrent_read_then_write_waits_instead_of_failing(tmp_path):
    """Eight threads each read a counter and write it back +1, fifty times: with BEGIN IMMEDIATE
    none fails with "database is locked" and no increment is lost."""
    engine = create_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}", **sqlite_engine_options(30))
    tune_sqlite_engine(engine, 30)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[Exception] = []

    def work():
        for _ in range(50):
            try:
                with engine.begin() as conn:
                    value = conn.execute(text("SELECT n FROM counter")).scalar()
                    conn.execute(text("UPDATE counter SET n = :n"), {"n": value + 1})
            except Exception as error:  # collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar() == 400
    assert errors == []
    engine.dispose()


def test_sqlite_page_cache_holds_a_large_import(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with app.app_context():
        assert db.session.execute(text("PRAGMA cache_size")).scalar() == -16 * 1024  # KiB
        db.engine.dispose()


def test_writers_of_one_process_queue_at_the_gate_and_commit_or_rollback_opens_it(tmp_path):
    import time

    from bdgtrain import database

    engine = create_engine(f"sqlite:///{tmp_path / 'gate.sqlite3'}", **sqlite_engine_options(5))
    tune_sqlite_engine(engine, 5)
    gate = database._GATES[id(engine)]
    with engine.connect() as setup:
        setup.execute(text("CREATE TABLE t (n INTEGER)"))
        setup.commit()
    order = []
    first = engine.connect()
    first.execute(text("INSERT INTO t VALUES (1)"))  # holds the gate and SQLite's write lock

    def second_writer():
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
            order.append("second wrote")
            conn.rollback()  # a rollback opens the gate too

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert order == []  # waiting at the gate, not failing
    order.append("first commits")
    first.commit()
    thread.join(5)
    first.close()
    assert order == ["first commits", "second wrote"]
    assert gate._lock.acquire(blocking=False)  # nobody holds it any more
    gate._lock.release()


def test_gate_wait_is_bounded_by_the_busy_timeout():
    from bdgtrain.database import _WriterGate

    gate = _WriterGate(0.2)

    class Conn:
        info: dict

    holder, waiter = Conn(), Conn()
    holder.info, waiter.info = {}, {}
    gate.enter(holder)
    result = []
    thread = threading.Thread(target=lambda: (gate.enter(waiter), result.append(dict(waiter.info))))
    thread.start()
    thread.join(2)
    assert result == [{}]  # gave up after 0.2 s without holding the gate; SQLite decides from there
    gate.leave(waiter)  # leaving without holding is harmless
    gate.leave(holder)


class _Conn:
    def __init__(self):
        self.info = {}


def test_writers_of_two_processes_queue_on_a_lock_file_beside_the_database(tmp_path):
    """Two gates on one lock file stand for two gunicorn workers (an advisory file lock held through one
    open file is refused through another, in one process as across two)."""
    import time

    from bdgtrain.database import _WriterGate

    path = str(tmp_path / "db.sqlite3-writer.lock")
    first_worker, second_worker = _WriterGate(5, path), _WriterGate(5, path)
    holder, waiter = _Conn(), _Conn()
    order = []
    first_worker.enter(holder)
    thread = threading.Thread(target=lambda: (second_worker.enter(waiter), order.append("second entered"),
                                              second_worker.leave(waiter)))
    thread.start()
    time.sleep(0.3)
    assert order == []  # waiting for the other worker, not writing beside it
    order.append("first left")
    first_worker.leave(holder)
    thread.join(5)
    assert order == ["first left", "second entered"]
    first_worker.enter(holder)  # free again
    assert first_worker._file_held
    first_worker.leave(holder)


def test_wait_for_the_other_process_is_bounded_by_the_busy_timeout(tmp_path):
    from bdgtrain.database import _WriterGate

    path = str(tmp_path / "db.sqlite3-writer.lock")
    first_worker, second_worker = _WriterGate(5, path), _WriterGate(0.2, path)
    holder, waiter = _Conn(), _Conn()
    first_worker.enter(holder)
    second_worker.enter(waiter)  # gives up after 0.2 s: SQLite's busy handler decides from there
    assert not second_worker._file_held
    second_worker.leave(waiter)
    first_worker.leave(holder)
    second_worker.enter(waiter)
    assert second_worker._file_held
    second_worker.leave(waiter)


def test_a_file_database_gets_a_writer_lock_file_and_a_memory_one_none(tmp_path):
    from bdgtrain import database

    engine = create_engine(f"sqlite:///{tmp_path / 'g.sqlite3'}", **sqlite_engine_options(5))
    tune_sqlite_engine(engine, 5)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    assert (tmp_path / "g.sqlite3-writer.lock").exists()
    engine.dispose()
    memory = create_engine("sqlite://", **sqlite_engine_options(5))
    tune_sqlite_engine(memory, 5)
    assert database._GATES[id(memory)]._lock_path is None
    memory.dispose()


@pytest.mark.parametrize("number, version", [(150019, (15, 19)), (120000, (12, 0)), (110022, (11, 22)),
                                             (90624, (9, 6))])
def test_postgres_version_numbers_read_as_major_and_minor(number, version):
    from bdgtrain.database import postgres_version

    assert postgres_version(number) == version


def test_a_database_too_old_for_its_statements_is_refused_at_connection_with_a_message(tmp_path, monkeypatch):
    """SQLite before 3.35 has no RETURNING nor MATERIALIZED: the app says so instead of failing mid-page."""
    from bdgtrain import database

    monkeypatch.setattr(database.sqlite3, "sqlite_version_info", (3, 31, 1))
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}", **sqlite_engine_options(5))
    tune_sqlite_engine(engine, 5)
    with pytest.raises(database.UnsupportedDatabase, match=r"SQLite 3\.31\.1 is too old: bdgtrain needs SQLite 3\.35"):
        engine.connect()
    engine.dispose()
    monkeypatch.undo()
    engine = create_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}", **sqlite_engine_options(5))
    tune_sqlite_engine(engine, 5)
    with engine.connect() as connection:  # this machine's own SQLite is new enough
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()
    with pytest.raises(database.UnsupportedDatabase, match="PostgreSQL 11.22 is too old"):
        database.require_version("PostgreSQL", database.postgres_version(110022), database.MIN_POSTGRES)

"""The database engine: SQLite tuned for concurrent requests, and the one-commit-per-request rule."""
from __future__ import annotations

import threading

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

"""`flask backup` and `flask restore` round-trip the demo with its check-ins, on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bdgtrain.cli.ops import libpq_target
from bdgtrain.extensions import db
from bdgtrain.models import Attendance, Person
from bdgtrain.security import ticket_token
from bdgtrain.services.checkin import checkin
from bdgtrain.services.demo import demo
from tests import factories as make


@pytest.fixture
def checked_in(app):
    """The demo plan, plus a class open now where one participant has checked in."""
    plan = demo.load_demo()
    _cls, enrolments = make.class_open_now(plan, "LOP-QR", people=3)
    result = checkin.perform_checkin(ticket_token(enrolments[0].id), source="scanner", device="cổng 1")
    assert result.accepted
    enrolment_id = enrolments[0].id
    db.session.commit()
    return enrolment_id


def snapshot() -> dict:
    """Every table's row count, and the check-in row as stored."""
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    rows = db.session.execute(select(Attendance.enrolment_id, Attendance.session_id, Attendance.status,
                                     Attendance.checked_in_at, Attendance.source, Attendance.device)).all()
    people = db.session.execute(select(Person.id, Person.full_name, Person.phone).order_by(Person.id)).all()
    return {"counts": counts, "attendances": rows, "people": people}


def test_restore_brings_back_the_demo_and_the_checkin_exactly(runner, checked_in, tmp_path):
    before = snapshot()
    assert before["counts"]["attendances"] == 1 and before["counts"]["plans"] >= 1
    file = tmp_path / "bdgtrain.backup"

    result = runner.invoke(args=["backup", str(file)])
    assert result.exit_code == 0, result.output
    assert file.stat().st_size > 0 and "Đã sao lưu" in result.output

    # After the backup: the check-in is undone, a person renamed, an organisation added.
    db.session.execute(Attendance.__table__.delete())
    db.session.get(Person, before["people"][0].id).full_name = "Tên đã sửa"
    make.org("THEM-SAU", "Đơn vị thêm sau sao lưu")
    db.session.commit()
    assert snapshot() != before

    result = runner.invoke(args=["restore", "--yes", str(file)])
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    db.session.remove()  # what the app sees now, not what this session remembers
    after = snapshot()
    assert after == before
    assert after["attendances"][0].enrolment_id == checked_in and after["attendances"][0].status == "present"


def test_restore_asks_first_and_a_no_changes_nothing(runner, checked_in, tmp_path):
    file = tmp_path / "bdgtrain.backup"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    db.session.execute(Attendance.__table__.delete())
    db.session.commit()

    result = runner.invoke(args=["restore", str(file)], input="n\n")
    assert result.exit_code == 1 and "Tiếp tục?" in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0

    result = runner.invoke(args=["restore", str(file)], input="y\n")
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


@pytest.mark.parametrize("content", [b"not a backup at all", b"SQLite format 3\x00" + b"\x00" * 200,
                                     b"PGDMP" + b"\x00" * 200])
def test_restore_refuses_a_file_that_is_not_a_backup_of_this_database(runner, checked_in, tmp_path, content):
    file = tmp_path / "other.backup"
    file.write_bytes(content)
    before = snapshot()
    result = runner.invoke(args=["restore", "--yes", str(file)])
    assert result.exit_code == 1
    assert "không phải" in result.output or "không đọc được" in result.output or "bị hỏng" in result.output
    db.session.remove()
    assert snapshot() == before


def test_a_backup_of_the_other_kind_is_refused(runner, checked_in, backend, tmp_path):
    file = tmp_path / "other.backup"
    if backend == "sqlite":
        file.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    else:
        import sqlite3

        sqlite3.connect(file).execute("CREATE TABLE alembic_version (version_num TEXT)").connection.close()
    result = runner.invoke(args=["restore", "--yes", str(file)])
    assert result.exit_code == 1 and "không phải" in result.output


def test_without_pg_dump_on_path_postgresql_backup_says_what_to_install(runner, backend, tmp_path, monkeypatch):
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(args=["backup", str(tmp_path / "x.backup")])
    assert result.exit_code == 1
    assert "Không tìm thấy lệnh pg_dump" in result.output and "postgresql-client" in result.output


def test_pg_tools_get_a_libpq_uri_without_driver_or_password():
    uri, env = libpq_target(make_url("postgresql+psycopg://bdg:s3cr%40t@db.example:5433/bdgtrain?sslmode=require"))
    assert uri == "postgresql://bdg@db.example:5433/bdgtrain?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"


def test_a_sqlite_backup_taken_during_a_write_holds_the_committed_state(runner, checked_in, backend, tmp_path):
    """The app keeps writing while the backup runs: the copy is the last committed state, in one file."""
    if backend != "sqlite":
        pytest.skip("SQLite only: pg_dump reads one snapshot by itself")
    import sqlite3

    writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM attendances")  # not committed while the backup runs
    try:
        file = tmp_path / "during-write.sqlite3"
        result = runner.invoke(args=["backup", str(file)])
        assert result.exit_code == 0, result.output
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not (tmp_path / "during-write.sqlite3-wal").exists()
    copy = sqlite3.connect(file)
    assert copy.execute("SELECT count(*) FROM attendances").fetchone()[0] == 1
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()

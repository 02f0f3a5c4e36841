"""`flask backup FILE` and `flask restore FILE [--yes]`: the operator's copy of the database (docs/DEPLOY.md).

SQLite is copied through sqlite3's online backup API: a consistent snapshot taken while the app
keeps serving (it reads through SQLite's own locks, so the WAL's committed pages are included).
PostgreSQL goes through `pg_dump --format=custom` and `pg_restore`, which must be on PATH; they
take the connection from the app's DATABASE_URL, the password through PGPASSWORD rather than the
command line (where `ps` would show it).

A backup file is written readable and writable by its owner only (0600), whatever the umask.

A restore replaces the whole database with the file's contents and does nothing else: no
migration, no clean-up. It refuses a file that is not a backup of the same kind of database.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from ..extensions import db
from ..rules import numbers

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


def _url() -> URL:
    return db.engine.url


def _release_connections() -> None:
    """End the command's transaction and close pooled connections: a PostgreSQL restore drops
    tables, which would wait for the locks of any connection still inside a transaction."""
    db.session.remove()
    db.engine.dispose()


# SQLite ------------------------------------------------------------------------------------------

def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("Cơ sở dữ liệu SQLite trong bộ nhớ: không có gì để sao lưu hay khôi phục.")
    return Path(url.database)


def _sqlite_copy(source: str, target: str) -> None:
    busy = current_app.config.get("SQLITE_BUSY_TIMEOUT", 30)
    src = sqlite3.connect(source, timeout=busy)
    dst = sqlite3.connect(target, timeout=busy)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_sqlite(url: URL, file: Path) -> None:
    database = _sqlite_path(url)
    partial = file.with_name(f".{file.name}.partial")
    partial.unlink(missing_ok=True)
    _sqlite_copy(str(database), str(partial))
    # A single self-contained file: rollback journal instead of WAL, so no -wal file is needed.
    copy = sqlite3.connect(partial)
    copy.execute("PRAGMA journal_mode=DELETE")
    copy.close()
    partial.replace(file)


def check_sqlite_backup(file: Path) -> None:
    with file.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise click.ClickException(f"{file} không phải bản sao lưu SQLite của bdgtrain.")
    copy = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        ok = copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        has_schema = copy.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                                  ).fetchone() is not None
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{file} không đọc được như cơ sở dữ liệu SQLite: {error}") from None
    finally:
        copy.close()
    if not ok:
        raise click.ClickException(f"{file} bị hỏng (PRAGMA quick_check không đạt).")
    if not has_schema:
        raise click.ClickException(f"{file} là tệp SQLite nhưng không phải cơ sở dữ liệu bdgtrain.")


def restore_sqlite(url: URL, file: Path) -> None:
    database = _sqlite_path(url)
    _release_connections()
    # The backup API writes through the destination's own locks and journal: requests running
    # meanwhile wait for the write lock, then see the restored database.
    _sqlite_copy(str(file), str(database))


# PostgreSQL --------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(
            f"Không tìm thấy lệnh {name} trên PATH: cài gói postgresql-client (cùng phiên bản chính với "
            f"máy chủ PostgreSQL hoặc mới hơn), ví dụ `apt-get install postgresql-client`.")
    return path


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """(the libpq URI without password, the environment carrying the password) for pg_dump/pg_restore.

    DATABASE_URL is a SQLAlchemy URL: `postgresql+psycopg://…` becomes `postgresql://…`.
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # Built afresh: URL.set(password=None) would keep the password (set() ignores None).
    uri = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                     database=url.database, query=url.query).render_as_string(hide_password=False)
    return uri, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    completed = subprocess.run(command, check=False, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise click.ClickException(f"{what} không thành công (mã thoát {completed.returncode}):\n"
                                   f"{completed.stderr.strip()}")


def backup_postgresql(url: URL, file: Path) -> None:
    pg_dump = _pg_tool("pg_dump")
    uri, env = libpq_target(url)
    partial = file.with_name(f".{file.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _run([pg_dump, "--format=custom", f"--file={partial}", f"--dbname={uri}"], env, "pg_dump")
    except click.ClickException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(file)


def check_postgresql_backup(file: Path) -> None:
    with file.open("rb") as handle:
        if handle.read(len(PG_CUSTOM_MAGIC)) != PG_CUSTOM_MAGIC:
            raise click.ClickException(f"{file} không phải bản sao lưu PostgreSQL (pg_dump --format=custom).")
    listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(file)], check=False,
                             capture_output=True, text=True)
    if listing.returncode != 0:
        raise click.ClickException(f"pg_restore không đọc được {file}:\n{listing.stderr.strip()}")
    if " TABLE DATA " not in listing.stdout or " alembic_version " not in listing.stdout:
        raise click.ClickException(f"{file} là bản sao lưu PostgreSQL nhưng không phải của bdgtrain.")


def restore_postgresql(url: URL, file: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    uri, env = libpq_target(url)
    _release_connections()
    # One transaction: a restore that fails part-way leaves the database as it was.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={uri}", str(file)], env, "pg_restore")


@contextmanager
def _owner_only_files():
    """Files created meanwhile (the copy, sqlite3's journal, pg_dump's output) are 0600 from their first
    byte: a backup holds every person's data and must not be readable by the server's other users."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


# Commands ----------------------------------------------------------------------------------------

def _kind(url: URL) -> str:
    name = url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise click.ClickException(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {name}.")
    return name


def _describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database}"
    return f"PostgreSQL {url.database} trên {url.host or 'localhost'}"


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(file: Path):
    """Copy the whole database to FILE while the app keeps running (SQLite file or pg_dump custom format)."""
    url = _url()
    kind = _kind(url)
    db.session.rollback()  # hold no transaction of our own while copying
    file = file.resolve()
    with _owner_only_files():
        (backup_sqlite if kind == "sqlite" else backup_postgresql)(url, file)
    file.chmod(0o600)
    click.echo(f"Đã sao lưu {_describe(url)} vào {file} ({numbers.integer(file.stat().st_size)} byte).")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Overwrite the database without asking.")
def restore(file: Path, yes: bool):
    """Replace the whole database with a backup made by `backup` (asks first unless --yes)."""
    url = _url()
    kind = _kind(url)
    file = file.resolve()
    (check_sqlite_backup if kind == "sqlite" else check_postgresql_backup)(file)
    if not yes:
        click.confirm(f"Mọi dữ liệu hiện có trong {_describe(url)} sẽ bị thay bằng nội dung của {file}. "
                      f"Tiếp tục?", abort=True)
    (restore_sqlite if kind == "sqlite" else restore_postgresql)(url, file)
    click.echo(f"Đã khôi phục {_describe(url)} từ {file}. Nếu bản sao lưu cũ hơn mã nguồn, "
               f"hãy chạy `flask --app wsgi db upgrade`.")

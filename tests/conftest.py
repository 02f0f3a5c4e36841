"""Test fixtures: the app on SQLite and, when it is reachable, on a fresh PostgreSQL database.

Every test that asks for `app` (or `client`, `runner`, `db_session`) runs once per backend.
PostgreSQL is used when it answers at TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432);
with BDGTRAIN_REQUIRE_POSTGRES=1 (set by .ci/run) its absence fails the run instead of
leaving the PostgreSQL leg out.
"""
from __future__ import annotations

import contextvars
import os
import re
import uuid
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

os.environ.setdefault("BDGTRAIN_ENV", "testing")

from bdgtrain import create_app  # noqa: E402
from bdgtrain.extensions import db, limiter  # noqa: E402
from bdgtrain.services.reporting import reporting  # noqa: E402

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("BDGTRAIN_REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as error:  # any failure means "not here"
        return str(error).strip() or type(error).__name__


_PG_PROBLEM = _postgres_reachable()
BACKENDS = ["sqlite", "postgresql"]


def pytest_sessionstart(session):
    if _PG_PROBLEM and REQUIRE_POSTGRES:
        pytest.exit(f"BDGTRAIN_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at {PG_ADMIN_URL}: "
                    f"{_PG_PROBLEM}", returncode=3)
    compile_catalogues()


def compile_catalogues() -> None:
    """Compile each translations/*/LC_MESSAGES/messages.po whose .mo is missing or older, as `make
    translations` does, so that the suite tests the catalogue in the tree even when run without make
    (the .mo files are not committed). Flask-Babel caches catalogues per app, hence before any app."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (PROJECT_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalogue)
        partial.replace(mo)


def pytest_report_header(config):
    state = "not reachable: PostgreSQL leg skipped" if _PG_PROBLEM else "reachable"
    return f"bdgtrain: PostgreSQL at {PG_ADMIN_URL} {state}"


class PostgresDatabase:
    """A throwaway database on the local server, dropped at the end of the run."""

    def __init__(self):
        import psycopg

        self.name = f"bdgtrain_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = re.sub(r"/[^/]*$", f"/{self.name}", PG_ADMIN_URL)

    def drop(self):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    """One empty database per backend for the whole run; yields its SQLAlchemy URL."""
    backend = request.param
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
        return
    if _PG_PROBLEM:
        pytest.skip(f"PostgreSQL not reachable: {_PG_PROBLEM}")
    database = PostgresDatabase()
    try:
        yield database.url
    finally:
        database.drop()


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True, scope="session")


class IsolatedClient(FlaskClient):
    """A test client whose requests run as they do in production: each in its own app context,
    hence its own database session, committed or rolled back by the request itself.

    Without this, requests would reuse the test's app context (Flask reuses a pushed context of
    the same app), share `g` and the test's database session, and a refused form's flushed rows
    could leak into the next commit. The test's own session is committed before each request
    (what the test set up is visible to it, and SQLite's write lock is released) and sees fresh
    data afterwards.

    A streamed body (web/downloads.py) is read to its end inside that same context (`buffered`), as a
    server reads it in the thread that called the app: its contexts are pushed and popped there.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_app(database_url: str, **overrides):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "memory://",
                "SERVER_NAME": None}
    settings.update(overrides)
    app = create_app("testing", overrides=settings)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def _migrated_app(database_url):
    """The app on a database brought up by the migrations (so tests run on the migrated schema)."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_all_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(db.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_migrated_app):
    # The app lives for the session: a test that sets app.config by hand (a lower list cap, an
    # outbox directory) must not leave it to the tests after it, so the settings are restored.
    settings = dict(_migrated_app.config)
    with _migrated_app.app_context():
        limiter.reset()
        # Each test starts with no province pool counts kept (services/reporting/reporting.py): counts an
        # earlier test left kept would make the statements a test counts depend on the tests before it.
        reporting.forget_kept_pool_counts()
        yield _migrated_app
        db.session.rollback()
        _empty_all_tables()
    _migrated_app.config.clear()
    _migrated_app.config.update(settings)


@pytest.fixture
def every_feedback_answer_shown(app, monkeypatch):
    """For tests that read one or two anonymous answers back, which would otherwise show as counts only
    (below FEEDBACK_MIN_ANONYMOUS_ANSWERS; that rule has tests of its own)."""
    monkeypatch.setitem(app.config, "FEEDBACK_MIN_ANONYMOUS_ANSWERS", 1)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def backend(app) -> str:
    return db.engine.dialect.name


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browserless:
    """Helpers for driving the app through its HTML forms in tests."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, email: str, password: str = "mat-khau-thu-nghiem"):
        token = self.csrf("/login")
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def post(self, path: str, data: dict | None = None, token_page: str = "/", **kwargs):
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf(token_page))
        return self.client.post(path, data=payload, **kwargs)


@pytest.fixture
def web(client):
    return Browserless(client)


PROJECT_ROOT = Path(__file__).resolve().parent.parent


class QueryCounter:
    """Counts the SQL statements the app sends while active (to bound N+1 patterns)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    return lambda: QueryCounter(db.engine)

"""Issue 20, findings 7 and 10: logins (a shared limit, equal work for every address, failed attempts
audited) and the smaller holes (API token scopes, no-store on personal data, SameSite on every cookie,
bidi controls in names, backups readable by their owner only)."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import select, text

from bdgtrain.config import memory_storage_warning
from bdgtrain.extensions import db
from bdgtrain.importers.cells import full_name as name_cell
from bdgtrain.models import ApiToken, AuditEvent
from bdgtrain.rules.names import fold, normalise_name
from bdgtrain.security import ticket_token
from bdgtrain.services.accounts import api_tokens
from tests import factories as make
from tests.conftest import PROJECT_ROOT, make_app

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


# --- 7. logins ---------------------------------------------------------------------------------------

WORKER = """
import json, sys
from bdgtrain import create_app
app = create_app("testing", overrides={
    "SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_STORAGE_URI": sys.argv[2], "RATELIMIT_KEY_PREFIX": sys.argv[3],
    "LOGIN_RATE_LIMIT": "4 per minute", "WTF_CSRF_ENABLED": False})
client = app.test_client()
print(json.dumps([client.post("/login", data={"email": "khong-co@test.vn", "password": "sai-mat-khau"}).status_code
                  for _ in range(3)]))
"""


def _worker(database_url: str, storage: str, prefix: str) -> list[int]:
    """One process standing for one gunicorn worker: three wrong logins from the same address."""
    done = subprocess.run([sys.executable, "-c", WORKER, database_url, storage, prefix], cwd=PROJECT_ROOT,
                          env=dict(os.environ, BDGTRAIN_ENV="testing"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_with_a_shared_store_the_login_limit_holds_across_workers(app, database_url):
    # memory://: each worker counts alone, 3 + 3 tries pass a limit of 4 (why DEPLOY asks for Redis)
    prefix = uuid.uuid4().hex
    assert _worker(database_url, "memory://", prefix) + _worker(database_url, "memory://", prefix) == [422] * 6
    if not _redis_reachable():
        pytest.skip("Redis not reachable at 127.0.0.1:6379")
    shared = "redis://127.0.0.1:6379/15"
    first, second = _worker(database_url, shared, prefix), _worker(database_url, shared, prefix)
    assert first == [422, 422, 422] and second == [422, 429, 429]


@pytest.mark.parametrize(("storage", "environ", "argv", "warns"), [
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "--workers", "2", "wsgi:app"], True),
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "-w4", "wsgi:app"], True),
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "--workers=3", "wsgi:app"], True),
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0", "GUNICORN_CMD_ARGS": "--workers 2"}, ["gunicorn"], True),
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0", "WEB_CONCURRENCY": "2"}, ["gunicorn", "wsgi:app"], True),
    ("", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "-w", "2", "wsgi:app"], True),
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "-w", "1", "wsgi:app"], False),
    ("memory://", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "wsgi:app"], False),
    ("redis://127.0.0.1:6379/0", {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, ["gunicorn", "-w", "4", "wsgi:app"], False),
    ("memory://", {}, ["flask", "run"], False),
])
def test_memory_storage_under_several_gunicorn_workers_is_warned_about(storage, environ, argv, warns, tmp_path,
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)  # no gunicorn.conf.py here
    warning = memory_storage_warning(storage, environ, argv)
    assert (warning is not None) == warns
    if warns:
        assert "RATELIMIT_STORAGE_URI" in warning


def test_the_app_logs_the_warning_at_startup_under_gunicorn(app, database_url, monkeypatch, caplog):
    monkeypatch.setenv("SERVER_SOFTWARE", "gunicorn/23.0.0")
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    monkeypatch.setattr(sys, "argv", ["gunicorn", "--workers", "2", "wsgi:app"])
    with caplog.at_level(logging.WARNING):
        make_app(database_url)
    assert any("RATELIMIT_STORAGE_URI" in record.getMessage() for record in caplog.records)


@pytest.fixture
def hash_checks(monkeypatch):
    """How many password hashes are computed (the testing config hashes with PBKDF2)."""
    calls = []
    real = hashlib.pbkdf2_hmac

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return calls


def test_unknown_known_and_disabled_accounts_cost_one_hash_check_each(app, web, hash_checks):
    make.user("co-that@test.vn", "admin")
    disabled = make.user("da-khoa@test.vn", "organiser", make.org("SO"))
    disabled.is_active_account = False
    make.commit()
    web.login("lam-nong@test.vn", "sai-mat-khau-1")  # warm-up: a dummy hash may be made once per process
    counts = {}
    for email in ("khong-co@test.vn", "co-that@test.vn", "da-khoa@test.vn"):
        hash_checks.clear()
        assert web.login(email, "sai-mat-khau-2").status_code == 422
        counts[email] = len(hash_checks)
    assert counts == {"khong-co@test.vn": 1, "co-that@test.vn": 1, "da-khoa@test.vn": 1}
    hash_checks.clear()
    assert web.login("co-that@test.vn", make.PASSWORD).status_code == 302
    assert len(hash_checks) == 1


def test_failed_logins_are_audited_with_the_address_typed_and_never_the_password(app, web):
    user = make.user("co-that@test.vn", "admin")
    make.commit()
    assert web.login("Khong-Co@Test.vn", "mat-khau-bi-mat-1").status_code == 422
    assert web.login("co-that@test.vn", "mat-khau-bi-mat-2").status_code == 422
    assert web.login("co-that@test.vn", make.PASSWORD).status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login.failed")
                                .order_by(AuditEvent.id)).all()
    assert [e.summary for e in events] == ["Khong-Co@Test.vn", "co-that@test.vn"]
    assert events[1].object_type == "User" and events[1].object_id == user.id
    assert events[0].object_id is None and events[0].actor_id is None
    stored = json.dumps([[e.summary, e.before, e.after, e.actor_label] for e in events], ensure_ascii=False)
    assert "mat-khau-bi-mat" not in stored
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "user.login")) is not None


# --- 10. token scopes --------------------------------------------------------------------------------

@pytest.fixture
def scanner_world(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org, "KH-QR")
    _cls, enrolments = make.class_open_now(plan, "LOP-QR", people=2)
    make.commit()
    return organiser, enrolments


def _probe_app(database_url):
    """The app with one more /api/v1 route outside check-in, standing for any route the API grows."""
    probe = make_app(database_url)
    probe.add_url_rule("/api/v1/probe", endpoint="api.probe", view_func=lambda: {"ok": True})
    return probe


def test_a_checkin_token_reaches_the_checkin_endpoints_only(app, runner, scanner_world, database_url):
    _organiser, (hoa, lan) = scanner_world
    created = runner.invoke(args=["api-token", "create", "--user", "tochuc@test.vn", "--label", "cổng"])
    assert created.exit_code == 0, created.output
    checkin_token = created.output.strip().splitlines()[-1]
    full = runner.invoke(args=["api-token", "create", "--user", "tochuc@test.vn", "--scope", "full"])
    assert full.exit_code == 0, full.output
    full_token = full.output.strip().splitlines()[-1]
    assert runner.invoke(args=["api-token", "create", "--user", "tochuc@test.vn", "--scope", "all"]).exit_code != 0
    assert sorted(db.session.scalars(select(ApiToken.scope))) == ["checkin", "full"]
    listed = runner.invoke(args=["api-token", "list", "--user", "tochuc@test.vn"]).output
    assert "checkin" in listed and "full" in listed

    client = _probe_app(database_url).test_client()
    as_scanner = {"Authorization": f"Bearer {checkin_token}"}
    as_script = {"Authorization": f"Bearer {full_token}"}
    scan = client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id)}, headers=as_scanner)
    assert scan.status_code == 200 and scan.json["status"] == "checked_in"
    batch = client.post("/api/v1/checkins/batch", json={"scans": [{"token": ticket_token(lan.id)}]},
                        headers=as_scanner)
    assert batch.status_code == 200 and batch.json["accepted"] == 1
    assert client.get("/api/v1/classes/KH-QR/LOP-QR/roster", headers=as_scanner).status_code == 200
    refused = client.get("/api/v1/probe", headers=as_scanner)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert client.get("/api/v1/probe", headers=as_script).status_code == 200


def test_the_service_makes_checkin_tokens_unless_asked(app, scanner_world):
    organiser, _ = scanner_world
    _token, row = api_tokens.create_token(None, organiser, "máy quét")
    assert row.scope == "checkin"
    _token, row = api_tokens.create_token(None, organiser, "báo cáo", scope="full")
    assert row.scope == "full"


def test_tokens_made_before_scopes_keep_the_whole_api(database_url, tmp_path):
    from flask_migrate import upgrade

    from tests.conftest import PostgresDatabase

    pg = None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'scopes.sqlite3'}"
    else:
        pg = PostgresDatabase()
        url = pg.url
    try:
        fresh = make_app(url)
        with fresh.app_context():
            upgrade(revision="0023_certificate_documents")
            db.session.execute(text("INSERT INTO users (id, email, full_name, search_text, password_hash, role, "
                                    "is_active_account, session_version, created_at, updated_at) VALUES (1, "
                                    "'a@b.vn', '', '', 'x', 'admin', true, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            db.session.execute(text("INSERT INTO api_tokens (user_id, label, digest, created_at) "
                                    "VALUES (1, 'cũ', 'abc', CURRENT_TIMESTAMP)"))
            db.session.commit()
            upgrade()
            assert db.session.scalar(text("SELECT scope FROM api_tokens")) == "full"
            db.session.remove()
            db.engine.dispose()
    finally:
        if pg:
            pg.drop()


# --- 10. no-store, cookies ---------------------------------------------------------------------------

@pytest.fixture
def admin_world(app):
    make.user("quan-tri@test.vn", "admin")
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    plan = make.plan(organiser_org, "KH-1")
    _cls, enrolments = make.class_open_now(plan, "LOP-A", people=2)
    make.commit()
    return enrolments[0].person_id


def test_personal_data_pages_and_files_are_never_stored_by_the_browser(app, web, client, admin_world):
    person = admin_world
    assert web.login("quan-tri@test.vn").status_code == 302
    pages = ["/plans/KH-1/classes/LOP-A/roster", "/plans/KH-1/classes/LOP-A/roster.csv",
             "/plans/KH-1/classes/LOP-A/roster.xlsx", "/plans/KH-1/classes/LOP-A/attendance",
             "/plans/KH-1/compliance", "/plans/KH-1/compliance.xlsx", "/pool/", "/pool/SLDTBXH",
             "/privacy/people", f"/privacy/people/{person}", f"/privacy/people/{person}/export.json",
             f"/privacy/people/{person}/export.xlsx", "/training-records/", "/lists/duplicates", "/"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "no-store" in response.headers.get("Cache-Control", ""), page
    # the app's own static files stay cacheable
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_api_answers_are_never_stored(app, client, scanner_world):
    organiser, (hoa, _) = scanner_world
    token, _row = api_tokens.create_token(None, organiser, "máy quét")
    make.commit()
    scan = client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id)},
                       headers={"Authorization": f"Bearer {token}"})
    assert scan.status_code == 200 and "no-store" in scan.headers["Cache-Control"]


def test_every_cookie_the_login_sets_has_samesite(app, web, client):
    make.user("co-that@test.vn", "admin")
    make.commit()
    token = web.csrf("/login")
    response = client.post("/login", data={"email": "co-that@test.vn", "password": make.PASSWORD,
                                           "remember": "y", "csrf_token": token})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") for c in cookies)
    for cookie in cookies:
        assert "SameSite=Lax" in cookie, cookie


def test_the_ticket_cookie_has_samesite(app, client, scanner_world):
    _organiser, (hoa, _) = scanner_world
    cookies = client.get(f"/T/{ticket_token(hoa.id)}").headers.getlist("Set-Cookie")
    assert cookies and all("SameSite=Lax" in cookie for cookie in cookies)


# --- 10. names, backups ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "Nguyễn Thị \u202eaoH",
    "\u2067Nguyễn Thị Hoa\u2069",
    "Nguyễn\u200f Thị\u200e Hoa",
    "\u202aNguyễn \u202bThị \u202cHoa\u202d",
    "\u2066\u2068Nguyễn Thị Hoa",
])
def test_bidi_controls_are_stripped_from_names(raw):
    for cleaned in (normalise_name(raw), name_cell(raw)):
        assert not set(BIDI) & set(cleaned), repr(cleaned)
    assert not set(BIDI) & set(fold(raw))
    assert normalise_name("\u2067Nguyễn Thị Hoa\u2069") == "Nguyễn Thị Hoa"


def test_bidi_controls_are_stripped_from_account_names(app):
    user = make.user("co-that@test.vn", "admin")
    from bdgtrain.services.accounts import accounts

    accounts.update_user(None, user, accounts.UserInput(email=user.email, role="admin",
                                                        full_name="Trần \u202eVăn An"))
    assert user.full_name == "Trần Văn An"


def test_a_backup_is_readable_by_its_owner_only(app, runner, tmp_path):
    old = os.umask(0o022)  # the usual umask: new files would be 0644
    try:
        file = tmp_path / "sao-luu.bak"
        result = runner.invoke(args=["backup", str(file)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    finally:
        os.umask(old)

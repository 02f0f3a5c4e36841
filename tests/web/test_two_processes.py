"""Two app servers, one PostgreSQL database: what one process records, the other shows.

PostgreSQL leg only (marked `postgresql_only`): two gunicorn processes cannot share a SQLite file
the way several servers behind a load balancer share PostgreSQL. Under BDGTRAIN_REQUIRE_POSTGRES=1
(CI) PostgreSQL's absence fails the whole run, so this test cannot be skipped there.

The test migrates a throwaway database, loads the demo and a class whose session is open now, then
starts two gunicorn processes (one sync worker each) on two 127.0.0.1 ports with the same
SECRET_KEY. It checks a person in through the API of the first, sees her checked in on the second
(API roster and the attendance page, with the session cookie signed by the first), and reads the
same kiosk room code from both (derived from time and the secret, not held in memory). Every wait
is bounded; the processes are always killed.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import _PG_PROBLEM, PROJECT_ROOT, PostgresDatabase, make_app

pytestmark = pytest.mark.postgresql_only
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`gunicorn wsgi:app` on 127.0.0.1 in its own process group, killed on exit whatever happens."""

    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--error-logfile", str(log), "--access-logfile", str(log.with_suffix(".access")),
             "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited ({self.process.returncode}): {self.log.read_text()[-2000:]}")
            try:
                status, _headers, body = self.request("GET", "/healthz")
                if status == 200 and json.loads(body)["database"] == "ok":
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn on port {self.port} did not answer /healthz within {START_TIMEOUT_S} s")

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            conn.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def shared_postgres(tmp_path):
    if _PG_PROBLEM:
        pytest.skip(f"PostgreSQL not reachable: {_PG_PROBLEM} (fails the run under BDGTRAIN_REQUIRE_POSTGRES=1)")
    database = PostgresDatabase()
    try:
        yield database.url
    finally:
        database.drop()


def _seed(url: str, secret: str) -> dict:
    """Migrations, the demo, and a class open now with one participant, an organiser and her API token."""
    from flask_migrate import upgrade

    from bdgtrain.extensions import db
    from bdgtrain.security import ticket_token
    from bdgtrain.services.accounts import api_tokens
    from bdgtrain.services.checkin import rooms

    app = make_app(url, SECRET_KEY=secret)
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        organiser_org = factories.org("SO-HAI", "Sở thử hai máy chủ")
        organiser = factories.user("to-chuc@hai-may.vn", "organiser", organiser_org)
        plan = factories.plan(organiser_org, code="KH-HAI")
        cls, enrolments = factories.class_open_now(plan, code="LOP-HAI", people=2)
        token, _row = api_tokens.create_token(None, organiser, "máy quét thử")
        facts = {"ticket": ticket_token(enrolments[0].id), "name": enrolments[0].person.full_name,
                 "phone": enrolments[0].person.phone,
                 "other": enrolments[1].person.full_name, "token": token, "email": organiser.email,
                 "room": rooms.room_token(cls), "period": cls.room_code_seconds}
        db.session.commit()
        db.engine.dispose()
    return facts


def _login(server: Server, email: str) -> str:
    """Log in through `server`; returns the Cookie header its signed session cookie makes."""
    status, headers, page = server.request("GET", "/login")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = f"email={email}&password={factories.PASSWORD}&csrf_token={csrf}"
    status, headers, _ = server.request("POST", "/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status in (302, 303), "login through the first server failed"
    return headers["Set-Cookie"].split(";", 1)[0]


def test_checkin_through_one_server_is_seen_on_the_other(shared_postgres, tmp_path):
    secret = secrets.token_hex(32)
    facts = _seed(shared_postgres, secret)
    env = dict(os.environ, BDGTRAIN_ENV="production", SECRET_KEY=secret, DATABASE_URL=shared_postgres,
               SESSION_COOKIE_SECURE="0", RATELIMIT_STORAGE_URI="memory://", BDGTRAIN_INSTANCE=str(tmp_path))
    servers = []
    try:
        servers = [Server(env, tmp_path / "a.log"), Server(env, tmp_path / "b.log")]
        first, second = servers
        first.wait_ready()
        second.wait_ready()
        bearer = {"Authorization": f"Bearer {facts['token']}", "Content-Type": "application/json"}

        def marks_of(server: Server, name: str) -> dict:
            status, _h, body = server.request("GET", "/api/v1/classes/KH-HAI/LOP-HAI/roster", headers=bearer)
            assert status == 200, body
            return next(p for p in json.loads(body)["people"] if p["name"] == name)["marks"]

        assert marks_of(second, facts["name"]) == {}  # nobody is checked in yet

        status, _h, body = first.request("POST", "/api/v1/checkins", json.dumps(
            {"token": facts["ticket"], "nonce": "hai-may-1"}), bearer)
        assert status == 200, body
        assert json.loads(body)["status"] == "checked_in"

        # The second server sees her: her roster row is marked present, the same ticket again is "already".
        assert [m["status"] for m in marks_of(second, facts["name"]).values()] == ["present"]
        assert marks_of(second, facts["other"]) == {}
        status, _h, body = second.request("POST", "/api/v1/checkins", json.dumps(
            {"token": facts["ticket"], "nonce": "hai-may-2"}), bearer)
        assert status == 200, body
        assert json.loads(body)["status"] == "already"

        # A session cookie signed by the first server is good on the second, whose attendance page
        # shows her present (with her check-in time) and the other participant not.
        cookie = _login(first, facts["email"])
        status, _h, page = second.request("GET", "/plans/KH-HAI/classes/LOP-HAI/attendance",
                                          headers={"Cookie": cookie})
        assert status == 200, "the second server did not accept the first server's session"

        def row_of(name: str) -> str:
            row = page[page.index(name):]
            return row[:row.index("</tr>")]

        assert "mark-present" in row_of(facts["name"])
        assert "mark-present" not in row_of(facts["other"])

        # The kiosk's room code: the same on both servers (read across one period boundary at most).
        for _attempt in range(3):
            codes = []
            for server in (first, second, first):
                status, _h, body = server.request("GET", "/plans/KH-HAI/classes/LOP-HAI/kiosk/state",
                                                  headers={"Cookie": cookie})
                assert status == 200, body
                codes.append(json.loads(body)["code"])
            if codes[0] == codes[2]:
                break
        assert codes[0] == codes[1] == codes[2], f"room codes differ between the servers: {codes}"
    finally:
        for server in servers:
            server.kill()
    assert all(server.process.poll() is not None for server in servers)
    # Both servers' logs (requests and errors): tokens and paths, never her name or phone.
    logs = "".join(path.read_text() for path in tmp_path.glob("*.log*") if path.is_file())
    logs += "".join(path.read_text() for path in tmp_path.glob("*.access"))
    assert "/api/v1/checkins" in logs
    assert facts["name"] not in logs and facts["phone"] not in logs

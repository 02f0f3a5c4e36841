"""Benchmark: QR check-in under load, against SQLite and PostgreSQL.

Goal (issue 4): the app under gunicorn with 2 workers on 127.0.0.1, 16 concurrent clients redeeming
5,000 scans of which 20% are repeats, against SQLite and PostgreSQL. It prints scans per second,
median and 99th-percentile latency, and lost or duplicated rows (must be 0), and in the same run
the throughput of a bare Flask endpoint under the same gunicorn settings that does one INSERT
through the same engine. Goal: the check-in endpoint reaches at least 0.6x the bare endpoint's
throughput, with a 99th percentile under 100 ms.

Per backend: a fresh database (SQLite file in a temporary folder; PostgreSQL: a uniquely named
database on --postgres, dropped afterwards) upgraded with the migrations and seeded with one plan,
one class whose session is open now, enough enrolments, an organiser and her API token. Then
gunicorn serves `wsgi:app` and the clients POST /api/v1/checkins (Bearer token, unique nonce per
scan); the database is checked row by row. Then gunicorn, with the same settings, serves
`bench.checkin_load:bare_app()`: the same create_app (same engine, same hooks) plus one route that
parses the same JSON body and INSERTs one checkin_scans row, and the same clients POST to it.

    .venv/bin/python bench/checkin_load.py [--backends sqlite,postgresql] [--scans 5000] [--clients 16]
        [--worker-class gthread] [--threads 2]
    .venv/bin/python bench/checkin_load.py --profile [--backends sqlite,postgresql]   # SQL + cProfile of one scan
"""
from __future__ import annotations

import argparse
import gc
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_hex(32)
PLAN_CODE, CLASS_CODE = "KH-BENCH", "LOP-BENCH"
BARE_OUTCOME = "bench_bare"  # the checkin_scans rows written by the bare endpoint
SEED = 4


# --- The bare endpoint ------------------------------------------------------------------------

def bare_app():
    """gunicorn 'bench.checkin_load:bare_app()': bdgtrain's app and engine plus POST /bench/bare."""
    from flask import Blueprint, jsonify, request
    from sqlalchemy import insert

    from bdgtrain import create_app
    from bdgtrain.extensions import csrf, db
    from bdgtrain.models import CheckinScan
    from bdgtrain.models.base import utcnow

    bench = Blueprint("bench", __name__)
    csrf.exempt(bench)

    @bench.route("/bench/bare", methods=["POST"])
    def bare():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("token"), str):
            return jsonify({"error": "bad_request"}), 400
        now = utcnow()
        db.session.execute(insert(CheckinScan).values(
            received_at=now, scanned_at=now, outcome=BARE_OUTCOME, source="api", nonce=body.get("nonce")))
        db.session.commit()
        return jsonify({"status": "ok"})

    app = create_app()
    app.register_blueprint(bench)
    gc.collect()
    gc.freeze()  # as wsgi.py does for the check-in endpoint's workers
    return app


# --- Databases --------------------------------------------------------------------------------

class Database:
    """A throwaway database: `url` for the app (DATABASE_URL), `engine_url` for direct checks."""

    def __init__(self, backend: str, folder: Path):
        self.backend = backend
        if backend == "sqlite":
            self.url = self.engine_url = f"sqlite:///{folder / 'bench.sqlite3'}"
            self.name = None
            return
        import psycopg

        self.name = f"bdgtrain_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = re.sub(r"/[^/]*$", f"/{self.name}", PG_ADMIN_URL)
        self.engine_url = "postgresql+psycopg://" + self.url[len("postgresql://"):]

    def drop(self) -> None:
        if self.name is None:
            return
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server_env(database: Database, instance: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "BDGTRAIN_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database.url,
        "CHECKIN_RATE_LIMIT": "1000000 per minute", "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": "0", "BDGTRAIN_INSTANCE": str(instance),
    })
    return env


def prepare(database: Database, instance: Path, people: int):
    """Migrate and seed; returns (app, session_id, [enrolment ids], api token). The app stays usable."""
    os.environ.update(server_env(database, instance))
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from bdgtrain import create_app
    from bdgtrain.extensions import db
    from bdgtrain.localtime import to_local
    from bdgtrain.models import ClassSession, Enrolment, Person
    from bdgtrain.models.base import utcnow
    from bdgtrain.rules.names import fold, sort_key
    from bdgtrain.services.accounts import accounts, api_tokens
    from bdgtrain.services.planning import planning
    from bdgtrain.services.planning.orgs import OrgInput, create_org

    app = create_app("production")
    with app.app_context():
        upgrade()
        org = create_org(None, OrgInput(code="SLDTBXH", name="Sở LĐ-TB&XH", kind="department"))
        organiser = accounts.create_user(None, accounts.UserInput(
            email="tochuc@bench.vn", role="organiser", organisation_id=org.id), secrets.token_urlsafe(24))
        plan = planning.create_plan(None, planning.PlanInput(
            code=PLAN_CODE, number="01/KH-BENCH", title="Kế hoạch đo tải", organiser_org_id=org.id))
        # As tests/factories.class_open_now: one session that started five minutes ago, four hours long.
        start = utcnow().replace(microsecond=0) - timedelta(minutes=5)
        cls = planning.create_class(None, plan, planning.ClassInput(
            code=CLASS_CODE, title="Lớp đo tải", date_expression=f"{to_local(start):%d/%m/%Y}"))
        for generated in list(cls.sessions):
            cls.sessions.remove(generated)
        db.session.flush()
        session = ClassSession(class_id=cls.id, label="Buổi 1", starts_at=start, ends_at=start + timedelta(hours=4))
        db.session.add(session)
        db.session.flush()
        first_person = (db.session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0) + 1
        unit = "UBND xã Cẩm Bình"
        rows = []
        for i in range(people):
            name = f"Nguyễn Thị Hoa {i:05d}"
            rows.append({"id": first_person + i, "full_name": name, "name_folded": fold(name),
                         "name_sort_key": sort_key(name), "unit_name": unit, "unit_folded": fold(unit),
                         "phone": f"09{i:08d}", "birth_year": 1980, "sex": "F"})
        db.session.execute(insert(Person), rows)
        db.session.execute(insert(Enrolment), [{"class_id": cls.id, "person_id": row["id"], "status": "confirmed"}
                                              for row in rows])
        token, _row = api_tokens.create_token(None, organiser, "máy quét đo tải")
        session_id = session.id
        db.session.commit()
        if database.backend == "postgresql":  # ids were given explicitly: move the sequence past them
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('people', 'id'), "
                                       "(SELECT max(id) FROM people))"))
            db.session.commit()
        enrolment_ids = list(db.session.scalars(select(Enrolment.id).where(Enrolment.class_id == cls.id)
                                                .order_by(Enrolment.id)))
    return app, session_id, enrolment_ids, token


def scan_plan(app, enrolment_ids: list[int], scans: int) -> tuple[list[str], int, int]:
    """The scans in the order sent: 80% distinct tickets, 20% repeats of some of them, shuffled."""
    from bdgtrain.security import ticket_token

    distinct = scans - scans // 5
    rng = random.Random(SEED)
    chosen = rng.sample(enrolment_ids, distinct)
    repeats = [rng.choice(chosen) for _ in range(scans - distinct)]
    order = chosen + repeats
    rng.shuffle(order)
    with app.app_context():
        tickets = {eid: ticket_token(eid) for eid in set(order)}
    return [tickets[eid] for eid in order], distinct, scans - distinct


# --- gunicorn ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, app_spec: str, env: dict, options, log: Path):
        self.port = free_port()
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", options.worker_class,
                   "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--keep-alive", "30",
                   "--error-logfile", str(log), "--log-level", "warning"]
        if options.worker_class == "gthread":
            command += ["--threads", str(options.threads)]
        if options.reuse_port:
            # Each worker listens on its own SO_REUSEPORT socket and the kernel spreads new connections
            # between them. Without it the 16 keep-alive connections, opened at once, went to whichever
            # worker woke first: often all 16 to one, so "2 workers" measured one (docs/BENCHMARKS.md).
            command.append("--reuse-port")
        command.append(app_spec)
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}): {log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                answer = conn.getresponse()
                ready = answer.status == 200 and json.loads(answer.read()).get("database") == "ok"
                conn.close()
                if ready:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()


# --- Clients ----------------------------------------------------------------------------------

def drive(port: int, path: str, bodies: list[dict], headers: dict, clients: int, limit_s: float) -> dict:
    """`clients` threads, one keep-alive connection each, take the next body until none is left."""
    lock = threading.Lock()
    cursor = iter(range(len(bodies)))
    answers: list = [None] * len(bodies)
    latencies: list = [None] * len(bodies)
    deadline = [0.0]
    headers = {"Content-Type": "application/json", **headers}

    def worker():
        conn = None
        while True:
            with lock:
                index = next(cursor, None)
            if index is None or time.perf_counter() > deadline[0]:
                break
            data = json.dumps(bodies[index])
            for attempt in (1, 2):  # one retry only for a keep-alive connection the server had closed
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                start = time.perf_counter()
                try:
                    conn.request("POST", path, body=data, headers=headers)
                    response = conn.getresponse()
                    raw = response.read()
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                    conn.close()
                    conn = None
                    if attempt == 2:
                        answers[index] = ("error", type(error).__name__)
                    continue
                except OSError as error:
                    conn.close()
                    conn = None
                    answers[index] = ("error", type(error).__name__)
                    break
                latencies[index] = time.perf_counter() - start
                try:
                    status = json.loads(raw).get("status")
                except ValueError:
                    status = None
                answers[index] = (response.status, status)
                if response.will_close:
                    conn.close()
                    conn = None
                break
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    start = time.perf_counter()
    deadline[0] = start + limit_s
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(limit_s + 60)
    elapsed = time.perf_counter() - start
    done = [lat for lat in latencies if lat is not None]
    done.sort()
    return {"elapsed": elapsed, "answers": answers, "completed": len(done),
            "per_s": len(done) / elapsed if elapsed else 0.0,
            "p50_ms": percentile(done, 0.50) * 1000, "p99_ms": percentile(done, 0.99) * 1000,
            "max_ms": (done[-1] if done else 0.0) * 1000, "timed_out": time.perf_counter() > deadline[0]}


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]  # nearest rank


# --- One backend ------------------------------------------------------------------------------

def run_backend(backend: str, options, folder: Path) -> dict:
    from sqlalchemy import create_engine, text

    database = Database(backend, folder)
    try:
        t = time.perf_counter()
        people = options.scans - options.scans // 5 + 200
        app, session_id, enrolment_ids, token = prepare(database, folder, people)
        tickets, distinct, repeats = scan_plan(app, enrolment_ids, options.scans)
        print(f"[{backend}] setup: migrations + {people} enrolments + {options.scans} tickets "
              f"in {time.perf_counter() - t:.1f} s", flush=True)
        env = server_env(database, folder)
        auth = {"Authorization": f"Bearer {token}"}
        run_id = uuid.uuid4().hex[:8]
        # A device per scan: a repeat here is a person scanned again, not one card seen twice by one device
        # within checkin.REPEAT_WINDOW (answered as the first scan and not logged, which the counts below
        # would miss).
        scans = [{"token": ticket, "nonce": f"{run_id}-c-{i}", "device": f"may-{i}"}
                 for i, ticket in enumerate(tickets)]
        bare = [{"token": ticket, "nonce": f"{run_id}-b-{i}", "device": f"may-{i}"}
                for i, ticket in enumerate(tickets)]

        print(f"[{backend}] load average before the runs: {load_average()}", flush=True)
        with Gunicorn("wsgi:app", env, options, folder / f"gunicorn-{backend}-checkin.log") as server:
            checkin = drive(server.port, "/api/v1/checkins", scans, auth, options.clients, options.time_limit)
        with Gunicorn("bench.checkin_load:bare_app()", env, options, folder / f"gunicorn-{backend}-bare.log") as server:
            plain = drive(server.port, "/bench/bare", bare, auth, options.clients, options.time_limit)

        print(f"[{backend}] load average after the runs: {load_average()}", flush=True)
        engine = create_engine(database.engine_url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT enrolment_id FROM attendances WHERE session_id = :s"),
                                {"s": session_id}).scalars().all()
            duplicated = conn.execute(text(
                "SELECT count(*) FROM (SELECT session_id, enrolment_id FROM attendances "
                "GROUP BY session_id, enrolment_id HAVING count(*) > 1) d")).scalar()
            logged = conn.execute(text("SELECT count(*) FROM checkin_scans WHERE nonce LIKE :p"),
                                  {"p": f"{run_id}-c-%"}).scalar()
            bare_rows = conn.execute(text("SELECT count(*), count(DISTINCT nonce) FROM checkin_scans "
                                          "WHERE outcome = :o"), {"o": BARE_OUTCOME}).one()
        engine.dispose()
        scanned = {int(t_id) for t_id in set(enrolment_ids_of(app, tickets))}
        present = set(rows)
        counts = {}
        for answer in checkin["answers"]:
            key = answer[1] if answer and answer[0] == 200 else f"http {answer[0] if answer else 'none'}"
            counts[key] = counts.get(key, 0) + 1
        errors = sum(n for key, n in counts.items() if key not in ("checked_in", "already"))
        bare_errors = sum(1 for a in plain["answers"] if not a or a[0] != 200 or a[1] != "ok")
        result = {
            "backend": backend, "checkin": checkin, "bare": plain, "counts": counts,
            "expected": (distinct, repeats), "lost": len(scanned - present),
            "duplicated": duplicated + (len(rows) - len(present)), "extra": len(present - scanned),
            "logged": logged, "errors": errors, "bare_errors": bare_errors,
            "bare_lost": len(bare) - bare_rows[0], "bare_duplicated": bare_rows[0] - bare_rows[1],
        }
        report(result, options)
        return result
    finally:
        database.drop()


def load_average() -> str:
    """Other work on the machine skews every figure here: the 1/5/15-minute load, for the record."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def enrolment_ids_of(app, tickets: list[str]) -> list[int]:
    from bdgtrain.security import TICKET, read_token

    with app.app_context():
        return [read_token(TICKET, ticket) for ticket in tickets]


def report(r: dict, options) -> None:
    c, b = r["checkin"], r["bare"]
    distinct, repeats = r["expected"]
    ratio = c["per_s"] / b["per_s"] if b["per_s"] else 0.0
    counts_ok = r["counts"].get("checked_in") == distinct and r["counts"].get("already") == repeats
    clean = (r["lost"] == 0 and r["duplicated"] == 0 and r["extra"] == 0 and r["errors"] == 0 and counts_ok
             and c["completed"] == options.scans and r["logged"] == options.scans)
    met = ratio >= 0.6 and c["p99_ms"] < 100 and clean
    r.update(ratio=ratio, met=met, clean=clean)
    name = r["backend"]
    print(f"[{name}] check-in : {c['completed']}/{options.scans} scans in {c['elapsed']:.2f} s = "
          f"{c['per_s']:.0f} scans/s, p50 {c['p50_ms']:.1f} ms, p99 {c['p99_ms']:.1f} ms, max {c['max_ms']:.0f} ms"
          + (" (TIME LIMIT HIT)" if c["timed_out"] else ""))
    print(f"[{name}] answers  : {json.dumps(r['counts'], sort_keys=True)} (expected checked_in {distinct}, "
          f"already {repeats}); scan log rows {r['logged']}")
    print(f"[{name}] rows     : lost {r['lost']}, duplicated {r['duplicated']}, unexpected {r['extra']}, "
          f"errors {r['errors']}")
    print(f"[{name}] bare     : {b['completed']}/{options.scans} INSERTs in {b['elapsed']:.2f} s = "
          f"{b['per_s']:.0f} req/s, p50 {b['p50_ms']:.1f} ms, p99 {b['p99_ms']:.1f} ms "
          f"(lost {r['bare_lost']}, duplicated {r['bare_duplicated']}, errors {r['bare_errors']})")
    print(f"[{name}] ratio    : {ratio:.2f}x of bare (goal >= 0.60x), p99 {c['p99_ms']:.1f} ms (goal < 100 ms) "
          f"-> goal {'MET' if met else 'NOT MET'}", flush=True)


# --- Profile: what one scan costs, in process -------------------------------------------------

def profile_backend(backend: str, options, folder: Path) -> None:
    """Statements per scan (new and repeat) through the full Flask stack, and where the time goes."""
    import cProfile
    import pstats

    from sqlalchemy import event

    from bdgtrain.extensions import db

    database = Database(backend, folder)
    try:
        app, _session_id, enrolment_ids, token = prepare(database, folder, 1200)
        tickets, _distinct, _repeats = scan_plan(app, enrolment_ids, 1000)
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        statements: list[str] = []

        with app.app_context():
            engine = db.engine

        def listen(_conn, _cursor, statement, _params, _context, _executemany):
            statements.append(" ".join(statement.split()))

        def post(path, i, ticket):
            return client.post(path, json={"token": ticket, "nonce": f"p-{path[-4:]}-{i}", "device": "may-1"},
                               headers=auth)

        for i in range(20):  # warm caches (compiled statements, lazy imports, token touch)
            post("/api/v1/checkins", i, tickets[i])
        event.listen(engine, "before_cursor_execute", listen)
        seen = set(tickets[:20])
        fresh = next(i for i, t in enumerate(tickets) if t not in seen)
        statements.clear()
        post("/api/v1/checkins", 10_000, tickets[fresh])
        new_scan = list(statements)
        statements.clear()
        post("/api/v1/checkins", 10_001, tickets[fresh])
        repeat_scan = list(statements)
        event.remove(engine, "before_cursor_execute", listen)
        print(f"[{backend}] SQL for one new scan ({len(new_scan)} statements):")
        for s in new_scan:
            print(f"    {s[:200]}")
        print(f"[{backend}] SQL for one repeat scan ({len(repeat_scan)} statements):")
        for s in repeat_scan:
            print(f"    {s[:200]}")

        n = options.profile_scans
        profiler = cProfile.Profile()
        t = time.perf_counter()
        profiler.enable()
        for i in range(n):
            post("/api/v1/checkins", 20_000 + i, tickets[20 + i])
        profiler.disable()
        per_scan = (time.perf_counter() - t) / n * 1000
        print(f"[{backend}] in-process check-in (test client, 1 thread): {per_scan:.2f} ms/scan over {n} scans "
              f"(profiler on)")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"bdgtrain|flask|sqlalchemy|psycopg|sqlite|werkzeug|babel|limits",
                                                   45)
        stats.sort_stats("tottime").print_stats(25)
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--scans", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--worker-class", default="gthread", choices=("sync", "gthread"))
    # 2 threads per worker: the threads of one worker share its GIL, and on 2 cores more of them only
    # queued for it; both endpoints ran faster, with a shorter tail, than with 4 or 8 (docs/BENCHMARKS.md).
    parser.add_argument("--threads", type=int, default=2, help="threads per worker with gthread")
    parser.add_argument("--reuse-port", action=argparse.BooleanOptionalAction, default=True,
                        help="one listening socket per worker (SO_REUSEPORT), so both workers get connections")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds before a load run is cut short")
    parser.add_argument("--profile", action="store_true", help="profile one scan in process instead of the load")
    parser.add_argument("--profile-scans", type=int, default=300)
    options = parser.parse_args()
    backends = [b.strip() for b in options.backends.split(",") if b.strip()]
    with tempfile.TemporaryDirectory(prefix="bdg-bench-") as folder:
        os.environ["BDGTRAIN_INSTANCE"] = folder
        if options.profile:
            for backend in backends:
                profile_backend(backend, options, Path(folder))
            return
        print(f"gunicorn: 2 workers, {options.worker_class}"
              + (f", {options.threads} threads each" if options.worker_class == "gthread" else "")
              + (", --reuse-port" if options.reuse_port else "")
              + f", 127.0.0.1; {options.clients} clients, {options.scans} scans (20% repeats), "
                f"{os.cpu_count()} CPUs", flush=True)
        results = [run_backend(backend, options, Path(folder)) for backend in backends]
    print()
    print(f"{'backend':<11} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'lost':>5} {'dup':>4} {'errors':>6} "
          f"{'bare/s':>7} {'ratio':>6}  goal")
    for r in results:
        c = r["checkin"]
        print(f"{r['backend']:<11} {c['per_s']:>8.0f} {c['p50_ms']:>7.1f} {c['p99_ms']:>7.1f} {r['lost']:>5} "
              f"{r['duplicated']:>4} {r['errors']:>6} {r['bare']['per_s']:>7.0f} {r['ratio']:>5.2f}x  "
              f"{'met' if r['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()

"""Soak benchmark (issue 8 part 6): steady mixed traffic against gunicorn + PostgreSQL for minutes.

Not a timed test: it prints figures. A fresh PostgreSQL database (dropped afterwards) is migrated
and seeded as bench/checkin_load.py does (one class whose session is open now, --people enrolled,
an organiser with an API token), plus a class calendar feed and an organiser who logs in. Then
gunicorn (--workers x --threads, gthread as docs/DEPLOY.md runs it; 127.0.0.1 only) serves `wsgi:app`
and --clients threads send
requests at a steady --rate (requests per second, all routes together), in this mix:

    checkin     POST /api/v1/checkins            a ticket, through the scanner API (repeats answer "already")
    feed        GET  /cal/<token>.ics            a calendar app polling the class feed
    roster      GET  .../roster                  the organiser's roster page (logged in)
    attendance  GET  .../attendance              the attendance grid (the report page this branch has)
    live        GET  .../live                    the live attendance counts
    ticket      GET  /T/<token>                  a participant opening her ticket

Bounded in count (rate x duration) and time (duration + 60 s); only 127.0.0.1 is ever contacted.
Prints errors (any answer other than 200, or a transport error: must be 0), requests left unsent
because the server fell behind the rate (must be 0), latency percentiles per route, the schedule's lag
(how far behind the steady rate the clients fell), and the resident memory
(RSS) of the gunicorn master and workers after warm-up and at the end (goal: growth <= 10%).

    .venv/bin/python bench/soak.py [--minutes 10] [--rate 20] [--workers 2] [--threads 4] [--clients 8] [--people 2000]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.checkin_load import (  # noqa: E402
    CLASS_CODE,
    PLAN_CODE,
    Database,
    Gunicorn,
    load_average,
    percentile,
    prepare,
    server_env,
)

MIX = {"checkin": 40, "feed": 25, "roster": 10, "attendance": 10, "live": 5, "ticket": 10}
PASSWORD = secrets.token_urlsafe(18)
EMAIL = "soak@bench.vn"
MAX_RATE = 200  # requests per second: a soak, not a flood


def seed_extras(app) -> dict:
    """A class feed and an organiser who logs in through the form; tickets of every enrolment."""
    from sqlalchemy import select

    from bdgtrain.extensions import db
    from bdgtrain.models import Enrolment, Organisation, TrainingClass
    from bdgtrain.security import ticket_token
    from bdgtrain.services.accounts import accounts
    from bdgtrain.services.calendar import calendar_feeds

    with app.app_context():
        cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == CLASS_CODE))
        org = db.session.scalar(select(Organisation).where(Organisation.code == "SLDTBXH"))
        accounts.create_user(None, accounts.UserInput(email=EMAIL, role="organiser", organisation_id=org.id),
                             PASSWORD)
        feed = calendar_feeds.ensure_feed(None, "class", cls.id)
        feed_url = f"/cal/{calendar_feeds.feed_token(feed)}.ics"
        tickets = [ticket_token(e) for e in db.session.scalars(select(Enrolment.id).where(
            Enrolment.class_id == cls.id).order_by(Enrolment.id))]
        db.session.commit()
    return {"feed": feed_url, "tickets": tickets}


def login(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    answer = conn.getresponse()
    page = answer.read().decode()
    cookie = answer.getheader("Set-Cookie").split(";", 1)[0]
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    from urllib.parse import urlencode

    conn.request("POST", "/login", body=urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": csrf}),
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    if answer.status not in (302, 303):
        raise RuntimeError(f"login failed: HTTP {answer.status}")
    return answer.getheader("Set-Cookie").split(";", 1)[0]


def rss_kib(master_pid: int) -> dict[int, int]:
    """Resident memory of the gunicorn master and its workers, in KiB, from /proc."""
    pids = [master_pid]
    try:
        for task in Path(f"/proc/{master_pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        pass
    sizes = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1])
        except OSError:
            continue
    return sizes


def build_requests(extras: dict, cookie: str, token: str, total: int, seed: int = 8) -> list[tuple]:
    """(route, method, path, body, headers) for every scheduled request, in a fixed random order."""
    rng = random.Random(seed)
    routes = list(MIX)
    weights = [MIX[r] for r in routes]
    base = f"/plans/{PLAN_CODE}/classes/{CLASS_CODE}"
    api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    staff = {"Cookie": cookie}
    run = uuid.uuid4().hex[:8]
    requests = []
    for i in range(total):
        route = rng.choices(routes, weights)[0]
        ticket = rng.choice(extras["tickets"])
        if route == "checkin":
            body = json.dumps({"token": ticket, "nonce": f"soak-{run}-{i}", "device": f"may-{i % 4}"})
            requests.append((route, "POST", "/api/v1/checkins", body, api))
        elif route == "feed":
            requests.append((route, "GET", extras["feed"], None, {}))
        elif route == "ticket":
            requests.append((route, "GET", f"/T/{ticket}", None, {}))
        else:
            requests.append((route, "GET", f"{base}/{route}", None, staff))
    return requests


def drive(port: int, requests: list[tuple], rate: float, clients: int, limit_s: float) -> dict:
    """Send request i at start + i / rate (never earlier), from `clients` keep-alive connections."""
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    results: list = [None] * len(requests)
    start = time.perf_counter() + 0.5
    deadline = start + limit_s

    def worker():
        conn = None
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            due = start + index / rate
            now = time.perf_counter()
            if now > deadline:
                break
            if due > now:
                time.sleep(due - now)
            route, method, path, body, headers = requests[index]
            sent = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                status = answer.status
                if answer.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                if conn is not None:
                    conn.close()
                conn = None
            results[index] = (route, status, time.perf_counter() - sent, sent - due)
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()) + 60)
    return {"results": results, "elapsed": time.perf_counter() - start}


def summarise(run: dict) -> dict:
    by_route: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    lags = []
    sent = 0
    for item in run["results"]:
        if item is None:
            continue
        route, status, latency, lag = item
        sent += 1
        lags.append(max(0.0, lag))
        by_route.setdefault(route, []).append(latency)
        if status != 200:
            key = f"{route} {status}"
            errors[key] = errors.get(key, 0) + 1
    for values in by_route.values():
        values.sort()
    lags.sort()
    return {"sent": sent, "errors": errors, "by_route": by_route, "lags": lags}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second, all routes together")
    parser.add_argument("--workers", type=int, default=2, choices=[2, 3, 4])
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per gunicorn worker (gthread, as docs/DEPLOY.md runs it); 1 = sync workers")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds of traffic before the first RSS reading")
    options = parser.parse_args(argv)
    if not 0 < options.rate <= MAX_RATE:
        parser.error(f"--rate must be in (0, {MAX_RATE}]")
    if not 0 < options.minutes <= 120:
        parser.error("--minutes must be in (0, 120]")

    folder = Path(tempfile.mkdtemp(prefix="bdgtrain-soak-"))
    database = Database("postgresql", folder)
    try:
        t = time.perf_counter()
        app, _session_id, _enrolments, token = prepare(database, folder, options.people)
        extras = seed_extras(app)
        print(f"setup: migrations + {options.people} enrolments in {time.perf_counter() - t:.1f} s", flush=True)
        env = server_env(database, folder)
        total = int(options.rate * options.minutes * 60)
        gunicorn_options = SimpleNamespace(worker_class="gthread" if options.threads > 1 else "sync",
                                           threads=options.threads)
        print(f"load average before: {load_average()}", flush=True)
        with Gunicorn("wsgi:app", env, gunicorn_options, folder / "gunicorn-soak.log") as server:
            if options.workers != 2:  # checkin_load's Gunicorn runs 2 workers; more are added by signal
                import signal

                for _ in range(options.workers - 2):
                    os.kill(server.process.pid, signal.SIGTTIN)
                time.sleep(3)
            boot = rss_kib(server.process.pid)
            cookie = login(server.port)
            requests = build_requests(extras, cookie, token, total)
            readings = {}

            def read_after_warmup():
                time.sleep(options.warmup)
                readings["warm"] = rss_kib(server.process.pid)

            reader = threading.Thread(target=read_after_warmup, daemon=True)
            reader.start()
            print(f"driving {total} requests at {options.rate:g}/s for {options.minutes:g} min "
                  f"({options.workers} workers x {options.threads} threads, {options.clients} clients)...", flush=True)
            run = drive(server.port, requests, options.rate, options.clients, options.minutes * 60 + 30)
            end = rss_kib(server.process.pid)
            reader.join(1)
        print(f"load average after: {load_average()}", flush=True)
        report(summarise(run), run, total, boot, readings.get("warm", boot), end, options)
        return 0
    finally:
        database.drop()


def report(s: dict, run: dict, total: int, boot: dict, warm: dict, end: dict, options) -> None:
    print(f"\nsent {s['sent']}/{total} requests in {run['elapsed']:.0f} s "
          f"({s['sent'] / run['elapsed']:.1f}/s; schedule lag p50 {percentile(s['lags'], 0.5) * 1000:.0f} ms, "
          f"p99 {percentile(s['lags'], 0.99) * 1000:.0f} ms)")
    errors = sum(s["errors"].values())
    unsent = total - s["sent"]
    print(f"errors: {errors}" + (f" {json.dumps(s['errors'], sort_keys=True)}" if s["errors"] else ""))
    print(f"unsent: {unsent} (requests the clients could not send before the time limit: the server fell "
          f"behind the rate)" if unsent else "unsent: 0 (the steady rate was held)")
    print(f"{'route':<11} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for route in MIX:
        values = s["by_route"].get(route, [])
        if values:
            print(f"{route:<11} {len(values):>6} {percentile(values, .5) * 1000:>8.1f} "
                  f"{percentile(values, .95) * 1000:>8.1f} {percentile(values, .99) * 1000:>8.1f} "
                  f"{values[-1] * 1000:>8.1f}")
    total_warm, total_end = sum(warm.values()), sum(end.values())
    growth = (total_end - total_warm) / total_warm * 100 if total_warm else 0.0
    print(f"RSS (KiB, master + workers): boot {sum(boot.values())}, after {options.warmup:g} s warm-up "
          f"{total_warm}, end {total_end} -> growth {growth:+.1f}% (goal <= 10%)")
    for pid in sorted(end):
        print(f"  pid {pid}: warm {warm.get(pid, '-')} KiB, end {end[pid]} KiB")
    verdict = errors == 0 and unsent == 0 and growth <= 10
    print(f"goal {'MET' if verdict else 'NOT MET'}: errors {errors} (must be 0), unsent {unsent} (must be 0), "
          f"RSS growth {growth:+.1f}% (<= 10%)", flush=True)


if __name__ == "__main__":
    sys.exit(main())

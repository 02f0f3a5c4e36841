"""Benchmark: a participant's calendar feed of 300 sessions (100 classes of three sessions).

Prints (1) the time to build the feed in-process, cold (no event reused) and warm (every event
reused from the writer's cache), and (2) under gunicorn on 127.0.0.1 (one sync worker, bounded
loops), the requests per second of a bare Flask endpoint, of the feed's 304 path (If-None-Match
with the current ETag) and of the full feed, in the same run, with the per-process version cache
on (the default, 30 s) and off.

Goals (issue 5): the 304 path at least 0.8× the bare endpoint; the full feed of 300 events built
in under 50 ms.

    .venv/bin/python bench/calendar_feed.py [--requests 2000] [--builds 30]
"""
from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 5
BENCH_APP = '''
from bdgtrain import create_app
app = create_app()

@app.route("/bench/bare")
def bare():
    return "ok"
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_world(classes: int = 100, sessions_per_class: int = 3) -> tuple[str, int]:
    """A participant enrolled in `classes` classes; returns her feed's path and her person id."""
    from datetime import timedelta

    from flask_migrate import upgrade

    from bdgtrain import create_app
    from bdgtrain.extensions import db
    from bdgtrain.models import ClassSession, Enrolment, Person, TrainingClass
    from bdgtrain.models.base import utcnow
    from bdgtrain.rules.names import fold, sort_key
    from bdgtrain.services.calendar import calendar_feeds
    from bdgtrain.services.planning import directory, planning
    from bdgtrain.services.planning.orgs import OrgInput, create_org

    app = create_app()
    with app.app_context():
        upgrade()
        org = create_org(None, OrgInput(code="SLDTBXH", name="Sở LĐ-TB&XH", kind="department"))
        venue = directory.save_venue(None, directory.VenueInput(name="Hội trường Sở LĐ-TB&XH, tầng 3",
                                                                address="Số 2 Nguyễn Du, TP Hà Tĩnh"))
        trainer = directory.save_trainer(None, directory.TrainerInput(name="Đặng Ngọc Toàn", academic_title="Tiến sĩ"))
        plan = planning.create_plan(None, planning.PlanInput(code="HT-2019", number="110/KH-SNV",
                                                             title="Kế hoạch tập huấn", organiser_org_id=org.id))
        name = "Nguyễn Thị Hoa"
        person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), email="hoa@example.vn")
        db.session.add(person)
        db.session.flush()
        start = utcnow().replace(hour=0, minute=30, second=0, microsecond=0)
        for n in range(classes):
            cls = TrainingClass(plan_id=plan.id, code=f"LOP-{n + 1:03d}",
                                title=f"Bình đẳng giới trong lãnh đạo, quản lý; lớp {n + 1}",
                                content="Tổng quan về bình đẳng giới; lồng ghép giới trong văn bản pháp luật",
                                venue_id=venue.id, status="confirmed", date_expression="")
            cls.trainers = [trainer]
            db.session.add(cls)
            db.session.flush()
            for k in range(sessions_per_class):
                begins = start + timedelta(days=3 * n + k)
                db.session.add(ClassSession(class_id=cls.id, label="Sáng", starts_at=begins,
                                            ends_at=begins + timedelta(hours=4)))
            db.session.add(Enrolment(class_id=cls.id, person_id=person.id, status="confirmed"))
        db.session.flush()
        feed = calendar_feeds.ensure_feed(None, "person", person.id)
        path = f"/cal/{calendar_feeds.feed_token(feed)}.ics"
        db.session.commit()
        return path, person.id


def time_builds(person_id: int, builds: int) -> dict[str, float]:
    from bdgtrain import create_app
    from bdgtrain.rules import ical
    from bdgtrain.services.calendar import calendar_content

    app = create_app()
    scope = calendar_content.Scope("person", person_id)
    cold, warm, events = [], [], 0
    base_url = "http://127.0.0.1"
    with app.app_context():
        calendar_content.build_feed(scope, base_url=base_url)  # imports, first queries
        for _ in range(builds):
            ical._event_block.cache_clear()
            began = time.perf_counter()
            body = calendar_content.build_feed(scope, base_url=base_url)
            cold.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            calendar_content.build_feed(scope, base_url=base_url)
            warm.append((time.perf_counter() - began) * 1000)
            events = body.count(b"BEGIN:VEVENT")
    return {"events": events, "cold_ms": statistics.median(cold), "cold_min_ms": min(cold),
            "warm_ms": statistics.median(warm), "bytes": len(body)}


def rps(port: int, path: str, headers: dict, requests: int) -> tuple[float, int]:
    """Sequential requests, one connection each (gunicorn's sync worker closes after each)."""
    status = 0
    began = time.perf_counter()
    for _ in range(requests):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
    return requests / (time.perf_counter() - began), status


def serve(env: dict, folder: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "--chdir", str(folder),
         "--log-level", "warning", "bench_wsgi:app"], env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--builds", type=int, default=30)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bdgtrain-bench-cal-"))
    env = dict(os.environ, BDGTRAIN_ENV="production", SECRET_KEY=secrets.token_hex(32),
               DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}", PYTHONPATH=str(ROOT),
               BDGTRAIN_INSTANCE=str(folder))
    os.environ.update({k: env[k] for k in ("BDGTRAIN_ENV", "SECRET_KEY", "DATABASE_URL", "BDGTRAIN_INSTANCE")})
    (folder / "bench_wsgi.py").write_text(BENCH_APP)

    path, person_id = build_world()
    builds = time_builds(person_id, args.builds)
    print(f"feed of {builds['events']} events, {builds['bytes']} bytes")
    print(f"build: cold median {builds['cold_ms']:.1f} ms (min {builds['cold_min_ms']:.1f}), "
          f"warm median {builds['warm_ms']:.1f} ms")

    rows = []
    for cache in ("30", "0"):
        port = free_port()
        server = serve(dict(env, CALENDAR_VERSION_CACHE_SECONDS=cache), folder, port)
        try:
            rps(port, "/bench/bare", {}, 200)  # warm up the worker
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            etag = response.getheader("ETag")
            # Interleaved rounds, medians: the machine's load drifts, and both paths should see the same drift.
            bares, not_modifieds = [], []
            for _ in range(ROUNDS):
                bares.append(rps(port, "/bench/bare", {}, args.requests // ROUNDS)[0])
                rate, status_304 = rps(port, path, {"If-None-Match": etag}, args.requests // ROUNDS)
                not_modifieds.append(rate)
            bare, not_modified = statistics.median(bares), statistics.median(not_modifieds)
            full, status_200 = rps(port, path, {}, max(50, args.requests // 20))
            assert (status_304, status_200) == (304, 200), (status_304, status_200)
        finally:
            server.terminate()
            server.wait(10)
        rows.append((cache, bare, not_modified, full))
        print(f"version cache {cache:>2} s: bare {bare:7.0f} req/s | 304 {not_modified:7.0f} req/s "
              f"({not_modified / bare:.2f}× bare) | full {full:6.0f} req/s ({full / bare:.2f}× bare)")


if __name__ == "__main__":
    main()

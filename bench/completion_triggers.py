"""Benchmark: what the stored-completions triggers (migration 0012) cost a check-in scan, in process.

The same seeded database as bench/checkin_load.py (one class with a session open now); fresh scans
through the Flask test client (the full stack, one thread), in alternating blocks with the triggers
present (the class's completions already invalid, as while a session is open: the trigger's UPDATE
matches no row) and dropped. Prints wall and CPU milliseconds per scan of each block.

    .venv/bin/python bench/completion_triggers.py [--backends sqlite,postgresql] [--scans 300] [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TRIGGERS = {"trg_attendances_ins_completions": "attendances", "trg_attendances_upd_completions": "attendances"}


def run(backend: str, scans: int, rounds: int, folder: Path) -> None:
    import checkin_load as load
    from sqlalchemy import text

    from bdgtrain.extensions import db

    database = load.Database(backend, folder)
    try:
        wanted = scans * rounds * 2 + 20
        app, _session_id, enrolment_ids, token = load.prepare(database, folder, wanted * 2)
        tickets, _distinct, _repeats = load.scan_plan(app, enrolment_ids, wanted * 2)
        tickets = list(dict.fromkeys(tickets))  # fresh scans only
        assert len(tickets) >= wanted, (len(tickets), wanted)
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        with app.app_context():
            saved = {name: db.session.execute(text(
                "SELECT sql FROM sqlite_master WHERE name = :n" if backend == "sqlite" else
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = :n"), {"n": name}).scalar()
                for name in TRIGGERS}
        assert all(saved.values()), saved
        used = 0

        def block(label: str) -> tuple[float, float]:
            nonlocal used
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(scans):
                response = client.post("/api/v1/checkins", json={"token": tickets[used], "nonce": f"t-{used}",
                                                                 "device": "may-1"}, headers=auth)
                assert response.status_code in (200, 201), response.get_data(as_text=True)
                used += 1
            return (time.perf_counter() - t) / scans * 1000, (time.process_time() - cpu) / scans * 1000

        for i in range(20):  # warm up
            client.post("/api/v1/checkins", json={"token": tickets[used], "nonce": f"w-{i}"}, headers=auth)
            used += 1
        results: dict[str, list] = {"with": [], "without": []}
        for _round in range(rounds):
            results["with"].append(block("with"))
            with app.app_context():
                for name, table in TRIGGERS.items():
                    db.session.execute(text(f"DROP TRIGGER {name}" + (f" ON {table}" if backend != "sqlite" else "")))
                db.session.commit()
            results["without"].append(block("without"))
            with app.app_context():
                for sql in saved.values():
                    db.session.execute(text(sql))
                db.session.commit()
        for label, runs in results.items():
            print(f"[{backend}] triggers {label:<7}: wall {', '.join(f'{w:.2f}' for w, _c in runs)} ms/scan "
                  f"(median {statistics.median(w for w, _c in runs):.2f}); CPU of this process "
                  f"{', '.join(f'{c:.2f}' for _w, c in runs)} ms/scan", flush=True)
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
    os.environ.update(CHECKIN_RATE_LIMIT="1000000 per minute", RATELIMIT_STORAGE_URI="memory://")
    print(f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for backend in options.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="bdg-trg-") as folder:
            os.environ["BDGTRAIN_INSTANCE"] = folder
            run(backend, options.scans, options.rounds, Path(folder))
    print(f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()

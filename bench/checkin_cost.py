"""Benchmark: what one check-in costs in instructions, against the bare endpoint, on a shared machine.

The load figures of bench/checkin_load.py move by ±30 % with whatever else runs on the machine. This
counts instructions instead, which other work does not change (two runs agree within 0.5 %): the same
app and bare endpoint as checkin_load (same seeding, same hooks), driven in process through the Flask
test client, one request at a time, under valgrind's callgrind with instrumentation switched on only
around the measured requests (migrations and seeding run uninstrumented). It prints instructions per
request for new check-in scans and for the bare endpoint, and their ratio.

    .venv/bin/python bench/checkin_cost.py [--backend sqlite|postgresql] [--requests 100]

Needs valgrind (callgrind_control) on the PATH; takes about two minutes. Instructions are not time:
waits (round trips to PostgreSQL, locks, a thread start) cost few instructions, so use it for CPU work
of the Python stack, and checkin_load for the whole picture.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PHASES = ("checkin", "bare")


def child(backend: str, requests: int, fifo: str) -> None:
    """Seed, warm up, then run each phase when the parent writes to the FIFO (blocking costs nothing)."""
    from bdgtrain.security import ticket_token
    from bench import checkin_load as load

    folder = Path(tempfile.mkdtemp(prefix="bdg-cost-"))
    os.environ["BDGTRAIN_INSTANCE"] = str(folder)
    database = load.Database(backend, folder)
    try:
        app, _session_id, enrolment_ids, token = load.prepare(database, folder, requests + 100)
        with app.app_context():
            tickets = [ticket_token(e) for e in enrolment_ids]
        clients = {"checkin": (app.test_client(), "/api/v1/checkins"),
                   "bare": (load.bare_app().test_client(), "/bench/bare")}
        auth = {"Authorization": f"Bearer {token}"}

        def run(phase: str, first: int, count: int) -> None:
            client, path = clients[phase]
            for i in range(first, first + count):  # a new ticket and a new nonce each: the common case
                answer = client.post(path, json={"token": tickets[i], "nonce": f"{phase}-{i}", "device": "may-1"},
                                     headers=auth)
                assert answer.status_code == 200, answer.get_data(as_text=True)

        for phase in PHASES:
            run(phase, 0, 50)  # warm: compiled statements, the token cache, lazy imports
        print("READY", flush=True)
        for phase in PHASES:
            Path(fifo).read_text()
            run(phase, 50, requests)
            print(f"MEASURED {phase}", flush=True)
        Path(fifo).read_text()
    finally:
        database.drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.backend, options.requests, options.child)
        return
    with tempfile.TemporaryDirectory(prefix="bdg-cost-") as work:
        fifo, out = os.path.join(work, "go"), os.path.join(work, "callgrind.out")
        os.mkfifo(fifo)
        process = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
             sys.executable, __file__, "--backend", options.backend, "--requests", str(options.requests),
             "--child", fifo], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

        def expect(line: str) -> None:
            got = process.stdout.readline().strip()
            if got != line:
                process.kill()
                raise SystemExit(f"expected {line!r} from the measured process, got {got!r}")

        def callgrind(*args: str) -> None:
            subprocess.run(["callgrind_control", *args, str(process.pid)], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

        expect("READY")
        callgrind("-i", "on")
        for phase in PHASES:
            Path(fifo).write_text("go")
            expect(f"MEASURED {phase}")
            callgrind(f"--dump={phase}")  # the counts since the last dump, in a file of their own
        Path(fifo).write_text("go")
        process.wait(timeout=600)
        costs = {}
        for dump in Path(work).glob("callgrind.out*"):
            text = dump.read_text(errors="replace")
            trigger = re.search(r"^desc: Trigger: .*?(\w+)$", text, re.M)
            total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if trigger and total and trigger.group(1) in PHASES:
                costs[trigger.group(1)] = int(total.group(1)) / options.requests
    for phase in PHASES:
        print(f"[{options.backend}] {phase:8}: {costs.get(phase, 0) / 1e6:.2f} M instructions per request")
    if costs.get("checkin") and costs.get("bare"):
        print(f"[{options.backend}] bare / check-in: {costs['bare'] / costs['checkin']:.2f} "
              f"(the throughput ratio if both were bound by this CPU work alone)")


if __name__ == "__main__":
    main()

"""Benchmark: the trained-share report on a province-sized database, against one hand-written query.

Goal (issue 6): 1,000,000 pool entries over 10,000 units in a 4-level tree, 20,000 classes and
5,000,000 attendance rows, on SQLite and PostgreSQL. The whole-province trained-share report, as
the CLI `report trained-share` and the report page compute it (services.reporting.
compute_trained_share), takes at most 1.5x the time of ONE hand-written SQL query computing the
same figures, measured in the same run, and returns the same numbers (the run fails otherwise).
The per-unit report of a unit whose subtree holds 100,000 pool members (its figure, its
children's figures and the first page of its untrained women: services.unit_report.unit_report,
what the unit's report page calls) takes under 1 second, in a bounded number of statements; so
does the page itself, asked for by a logged-in administrator through Flask's test client (the
"rendered" line: access check, the same computation, the template and the access log's row), and
again while 1 % of the classes are computed live from attendance, as on a training day when the
classes running have no valid stored completions ("rendered, ... classes live").

Per backend: a fresh database (SQLite: a file in a temporary folder; PostgreSQL: a uniquely named
database on BENCH_POSTGRES_URL, dropped at the end) upgraded with the migrations, then filled
straight through the driver (SQLite: executemany in chunks; PostgreSQL: COPY), streaming the
generated rows in chunks. The shapes: a province, districts and departments (one district, the
city, holds a tenth of the pool), communes and their offices; people in the pool of two units,
people who left the pool and rejoined, people of three cycles, men and people of unknown sex;
classes of 1 to 5 sessions, some cancelled, some in plans that do not count, completion at 50, 80
or 100 %, enrolments declined or replaced, diligent and absent-minded participants; training
outside the system. PostgreSQL is ANALYZEd after loading (autovacuum would do it); SQLite is not
(nothing in the app runs ANALYZE), unless --analyze-sqlite.

Each measurement runs in a fresh process (so its peak memory is its own): the report N times, the
reference N times, the unit report N times; best and median are printed with the ratio.

    .venv/bin/python bench/report_trained_share.py [--scale 1.0] [--backend sqlite|postgresql|both]
        [--repeat 3] [--as-of 2024-12-31] [--analyze-sqlite]
    .venv/bin/python bench/report_trained_share.py --scale 0.01     # a quick run (10,000 entries)
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SEED = 6
CHUNK = 50_000
STAMP = datetime(2025, 1, 1, 0, 0, 0)  # created_at / updated_at of every generated row
REORG = date(2025, 6, 30)              # the last day of the districts abolished in 2025
BIG_SHARE = 0.10                       # the city's share of the pool: 100,000 entries at full scale
PAGE = 50
TARGET_START = date(2021, 1, 1)        # the start of the "page + target" measurement's target
PLAN_CODE = "KH-0000"                  # the plan whose report pages the "render" measurement asks for
BENCH_EMAIL, BENCH_PASSWORD = "bench-admin@example.invalid", "mat-khau-do-hieu-nang"  # its administrator
LIVE_EVERY = 100                       # "render-live": one class in this many computed live (200 of 20,000)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Thị Ngọc", "Thị Thanh", "Thị Hồng", "Thị Kim"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công"]
GIVEN_F = ["Hoa", "Lan", "Mai", "Đào", "Thu", "Hà", "Hương", "Hạnh", "Hằng", "Loan", "Nga", "Oanh", "Phương", "Yến"]
GIVEN_M = ["Hùng", "Dũng", "Nam", "Tuấn", "Sơn", "Hải", "Long", "Thắng"]
CYCLES = [("2020-2025", date(2020, 1, 1), date(2025, 12, 31), 0.65),
          ("2021-2026", date(2021, 1, 1), date(2026, 12, 31), 0.25),
          ("2016-2021", date(2016, 1, 1), date(2021, 12, 31), 0.10)]


# --- The world ------------------------------------------------------------------------------------

class World:
    """The sizes and the unit tree; every table's rows are generated from it, chunk by chunk."""

    def __init__(self, scale: float):
        self.entries = max(1000, round(1_000_000 * scale))
        self.units = max(60, round(10_000 * scale))
        self.classes = max(20, round(20_000 * scale))
        self.attendance = max(5000, round(5_000_000 * scale))
        self.plans = max(4, round(200 * scale))
        rng = random.Random(SEED)
        # The tree: 1 province, districts/departments (level 2), communes/offices (3), their offices (4).
        n2 = max(4, round(self.units * 0.0021))
        n3 = max(8, round(self.units * 0.05))
        n4 = self.units - 1 - n2 - n3
        self.orgs: list[tuple] = [(1, "TINH", "UBND tỉnh", "province", None, None, None)]
        level2 = list(range(2, 2 + n2))
        ended = set(level2[-max(1, n2 * 3 // 10):])  # the last 30 % of the districts end in 2025
        successors = {}
        for i, uid in enumerate(level2):
            kind = "district" if i % 3 else "department"
            self.orgs.append((uid, f"D{i:03d}", f"Đơn vị cấp 2 số {i}", kind, 1,
                              REORG if uid in ended else None, None))
        level3 = list(range(2 + n2, 2 + n2 + n3))
        parent3 = {uid: level2[0] if rng.random() < 0.15 else rng.choice(level2) for uid in level3}
        for j, uid in enumerate(level3):
            self.orgs.append((uid, f"X{j:05d}", f"Đơn vị cấp 3 số {j}", "commune", parent3[uid], None, None))
        level4 = list(range(2 + n2 + n3, 2 + n2 + n3 + n4))
        parent4 = {uid: rng.choice(level3) for uid in level4}
        for k, uid in enumerate(level4):
            self.orgs.append((uid, f"P{k:06d}", f"Đơn vị cấp 4 số {k}", "unit", parent4[uid], None, None))
        # The units that carry on the ended districts' work from 1/7/2025 (they hold no pool members).
        next_id = 2 + n2 + n3 + n4
        for uid in sorted(ended):
            successors[uid] = next_id
            self.orgs.append((next_id, f"M{uid:03d}", f"Đơn vị sau sáp nhập {uid}", "district", 1, None, None))
            next_id += 1
        self.orgs = [(o[0], o[1], o[2], o[3], o[4], o[5], successors.get(o[0])) for o in self.orgs]
        self.big = level2[0]
        below = {uid: parent3[uid] for uid in level3} | {uid: parent4[uid] for uid in level4}
        top = {}
        for uid in level3 + level4:
            at = uid
            while at in below:
                at = below[at]
            top[uid] = at
        self.big_units = [u for u in level3 + level4 if top[u] == self.big] + [self.big]
        self.other_units = [u for u in level3 + level4 if top[u] != self.big] + [u for u in level2 if u != self.big]

    # Rows are tuples in the column order of COLUMNS below.

    def organisations(self):
        for uid, code, name, kind, parent, valid_to, successor in self.orgs:
            valid_from = REORG + timedelta(days=1) if code.startswith("M") else None
            yield (uid, code, name, kind, parent, valid_from, valid_to, successor, STAMP, STAMP)

    def pool(self):
        """(people rows, pool entry rows, external training rows), streamed together in chunks."""
        rng = random.Random(SEED + 1)
        self.sex: bytearray = bytearray()  # per person id - 1: 1 woman, 2 man, 0 unknown
        people, entries, outside = [], [], []
        person_id = entry_id = outside_id = 0
        while entry_id < self.entries:
            person_id += 1
            sex = "F" if rng.random() < 0.65 else ("M" if rng.random() < 0.86 else None)
            people.append(self._person(rng, person_id, sex))
            units = self.big_units if rng.random() < BIG_SHARE else self.other_units
            unit = rng.choice(units)
            label, starts, ends, _w = rng.choices(CYCLES, weights=[c[3] for c in CYCLES])[0]
            added = starts + timedelta(days=rng.randrange(365 * 3 + 200))
            left = reason = None
            if rng.random() < (0.7 if ends < date(2024, 1, 1) else 0.12):  # she left the pool
                left = added + timedelta(days=rng.randrange(60, 2000))
                reason = rng.choice(["appointed", "moved", "removed", "other"])
            entry_id += 1
            entries.append((entry_id, person_id, unit, label, starts, ends, added, left, reason, STAMP, STAMP))
            extra = rng.random()
            if extra < 0.05 and entry_id < self.entries:  # in the pool of a second unit too
                entry_id += 1
                entries.append((entry_id, person_id, rng.choice(units), label, starts, ends,
                                added + timedelta(days=rng.randrange(400)), None, None, STAMP, STAMP))
            elif extra < 0.08 and left is not None and entry_id < self.entries:  # left, then joined again
                entry_id += 1
                entries.append((entry_id, person_id, unit, label, starts, ends,
                                left + timedelta(days=rng.randrange(30, 700)), None, None, STAMP, STAMP))
            if rng.random() < 0.03:  # a course at the political school, a master's programme
                outside_id += 1
                ended = date(2015, 1, 1) + timedelta(days=rng.randrange(4000)) if rng.random() < 0.9 else None
                started = ended - timedelta(days=rng.randrange(30, 700)) if ended else None
                outside.append((outside_id, person_id, "Cao cấp lý luận chính trị", started, ended,
                                rng.random() < 0.9, STAMP, STAMP))
            if len(entries) >= CHUNK:
                yield people, entries, outside
                people, entries, outside = [], [], []
        self.pool_people = person_id
        # Staff outside the pool who also attend classes: a fifth more people.
        for _ in range(person_id // 5):
            person_id += 1
            people.append(self._person(rng, person_id, "F" if rng.random() < 0.6 else "M"))
            if len(people) >= CHUNK:
                yield people, entries, outside
                people, entries, outside = [], [], []
        self.people = person_id
        yield people, entries, outside

    def _person(self, rng, person_id: int, sex: str | None) -> tuple:
        woman = sex == "F" or (sex is None and rng.random() < 0.5)
        name = (f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F if woman else MIDDLE_M)} "
                f"{rng.choice(GIVEN_F if woman else GIVEN_M)} {person_id}")
        folded = name.lower()
        self.sex.append({"F": 1, "M": 2}.get(sex, 0))
        return (person_id, name, folded, folded, sex, 1960 + rng.randrange(40), STAMP, STAMP)

    def plans_rows(self):
        rng = random.Random(SEED + 2)
        self.plan_counts = [rng.random() >= 0.08 for _ in range(self.plans)]
        for n in range(self.plans):
            yield (n + 1, f"KH-{n:04d}", f"{n}/KH", f"Kế hoạch {n}", 1, f"kh-{n:04d}", self.plan_counts[n], STAMP,
                   STAMP)

    def training(self):
        """(classes, sessions, enrolments, attendances) in chunks; about `attendance` rows in all."""
        rng = random.Random(SEED + 3)
        per_class = self.attendance / self.classes
        classes, sessions, enrolments, attendances = [], [], [], []
        session_id = enrolment_id = attendance_id = 0
        pool_people, everyone = self.pool_people, self.people
        for cid in range(1, self.classes + 1):
            status = "cancelled" if rng.random() < 0.03 else rng.choice(["planned", "confirmed", "confirmed"])
            percent = rng.choices([80, 50, 100], weights=[7, 2, 1])[0]
            classes.append((cid, 1 + rng.randrange(self.plans), f"L{cid:05d}", f"Lớp {cid}", status, "",
                            percent, rng.random() >= 0.04, STAMP, STAMP))
            count = rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 3, 2, 1])[0]
            first = date(2016, 1, 1) + timedelta(days=rng.randrange(3500))
            ids = []
            for k in range(count):  # mornings 07:30-11:30 and afternoons 13:30-17:00 local = UTC-7
                day = first + timedelta(days=k // 2)
                start = datetime(day.year, day.month, day.day, 0, 30) if k % 2 == 0 else \
                    datetime(day.year, day.month, day.day, 6, 30)
                end = start + timedelta(hours=4 if k % 2 == 0 else 3, minutes=0 if k % 2 == 0 else 30)
                session_id += 1
                ids.append(session_id)
                sessions.append((session_id, cid, f"Buổi {k + 1}", start, end,
                                 "cancelled" if rng.random() < 0.05 else "scheduled", k, STAMP, STAMP))
            seats = max(1, round(per_class / count))
            from_pool = min(pool_people, round(seats * 0.8))
            chosen = rng.sample(range(1, pool_people + 1), from_pool)
            if everyone > pool_people:
                chosen += rng.sample(range(pool_people + 1, everyone + 1),
                                     min(everyone - pool_people, seats - from_pool))
            for person in chosen:
                enrolment_id += 1
                e_status = rng.choices(["confirmed", "nominated", "declined", "replaced"], weights=[85, 8, 5, 2])[0]
                enrolments.append((enrolment_id, cid, person, e_status, STAMP, STAMP))
                diligence = rng.random()
                missed = -1 if diligence < 0.7 else (rng.randrange(count) if diligence < 0.9 else None)
                for k, sid in enumerate(ids):
                    came = e_status not in ("declined", "replaced") and (
                        k != missed if missed is not None else rng.random() < 0.3)
                    a_status = ("late" if rng.random() < 0.1 else "present") if came else \
                        ("excused" if rng.random() < 0.4 else "absent")
                    attendance_id += 1
                    attendances.append((attendance_id, sid, enrolment_id, a_status, "scanner", STAMP, STAMP))
            if len(attendances) >= CHUNK:
                yield classes, sessions, enrolments, attendances
                classes, sessions, enrolments, attendances = [], [], [], []
        self.attendance_rows, self.enrolment_rows, self.session_rows = attendance_id, enrolment_id, session_id
        yield classes, sessions, enrolments, attendances


COLUMNS = {
    "organisations": ("id", "code", "name", "kind", "parent_id", "valid_from", "valid_to", "successor_id",
                      "created_at", "updated_at"),
    "people": ("id", "full_name", "name_folded", "name_sort_key", "sex", "birth_year", "created_at", "updated_at"),
    "pool_entries": ("id", "person_id", "organisation_id", "cycle", "cycle_starts_on", "cycle_ends_on", "added_on",
                     "left_on", "leave_reason", "created_at", "updated_at"),
    "external_trainings": ("id", "person_id", "title", "started_on", "ended_on", "counts_towards_measures",
                           "created_at", "updated_at"),
    "plans": ("id", "code", "number", "title", "organiser_org_id", "search_text", "counts_for_trained_share",
              "created_at", "updated_at"),
    "training_classes": ("id", "plan_id", "code", "title", "status", "date_expression", "completion_percent",
                         "counts_for_trained_share", "created_at", "updated_at"),
    "class_sessions": ("id", "class_id", "label", "starts_at", "ends_at", "status", "sequence", "created_at",
                       "updated_at"),
    "enrolments": ("id", "class_id", "person_id", "status", "created_at", "updated_at"),
    "attendances": ("id", "session_id", "enrolment_id", "status", "source", "created_at", "updated_at"),
}


# --- Databases ------------------------------------------------------------------------------------

class Database:
    """A throwaway database: `url` for the app (DATABASE_URL)."""

    def __init__(self, backend: str, folder: Path):
        self.backend = backend
        self.name = None
        if backend == "sqlite":
            self.path = folder / "report.sqlite3"
            self.url = f"sqlite:///{self.path}"
            return
        import psycopg

        self.name = f"bdgtrain_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = re.sub(r"/[^/]*$", f"/{self.name}", PG_ADMIN_URL)

    def drop(self) -> None:
        if self.name is None:
            return
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def size(self) -> str:
        if self.backend == "sqlite":
            return f"{self.path.stat().st_size / 2**20:.0f} MiB"
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]


class Writer:
    """Rows to a table through the driver: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, database: Database):
        self.backend = database.backend
        if self.backend == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(database.path, isolation_level=None)
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("PRAGMA cache_size=-262144")
            self.conn.execute("BEGIN")
        else:
            import psycopg

            self.conn = psycopg.connect(database.url)

    def write(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = COLUMNS[table]
        if self.backend == "sqlite":
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                                  f"VALUES ({', '.join('?' * len(columns))})",
                                  (tuple(_sqlite(v) for v in row) for row in rows))
            return
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self, analyze: bool) -> None:
        if self.backend == "sqlite":
            self.conn.execute("COMMIT")
            if analyze:
                self.conn.execute("ANALYZE")
            self.conn.close()
            return
        for table in ("people", "pool_entries", "external_trainings", "plans", "training_classes",
                      "class_sessions", "enrolments", "attendances", "organisations"):
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        self.conn.commit()
        self.conn.autocommit = True
        self.conn.execute("VACUUM ANALYZE")
        self.conn.close()


def _sqlite(value):
    """As SQLAlchemy's SQLite dialect stores it: ISO dates, 'YYYY-MM-DD HH:MM:SS.ffffff', 1/0."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def build(database: Database, world: World, analyze_sqlite: bool) -> dict:
    os.environ["DATABASE_URL"] = database.url
    from flask_migrate import upgrade

    from bdgtrain import create_app

    t = time.perf_counter()
    app = create_app("production")
    with app.app_context():
        upgrade()
    from bdgtrain.extensions import db

    with app.app_context():
        db.engine.dispose()
    migrated = time.perf_counter() - t
    writer = Writer(database)
    t = time.perf_counter()
    writer.write("organisations", list(world.organisations()))
    for people, entries, outside in world.pool():
        writer.write("people", people)
        writer.write("pool_entries", entries)
        writer.write("external_trainings", outside)
    writer.write("plans", list(world.plans_rows()))
    for classes, sessions, enrolments, attendances in world.training():
        writer.write("training_classes", classes)
        writer.write("class_sessions", sessions)
        writer.write("enrolments", enrolments)
        writer.write("attendances", attendances)
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    writer.finish(analyze=database.backend == "postgresql" or analyze_sqlite)
    return {"migrate_s": migrated, "load_s": loaded, "finish_s": time.perf_counter() - t,
            "people": world.people, "entries": world.entries, "units": len(world.orgs),
            "classes": world.classes, "sessions": world.session_rows, "enrolments": world.enrolment_rows,
            "attendances": world.attendance_rows, "size": database.size()}


# --- The reference: one hand-written statement ----------------------------------------------------

LOCAL_DAY = {"sqlite": "date(h.last_end, '+7 hours')",
             "postgresql": "CAST(h.last_end + INTERVAL '7 hours' AS DATE)"}

REFERENCE = """
WITH RECURSIVE
units AS (
    SELECT id, parent_id FROM organisations
    WHERE (valid_from IS NULL OR valid_from <= :as_of) AND (valid_to IS NULL OR valid_to >= :as_of)
),
up(unit_id, report_id) AS (
    SELECT id, id FROM units
    UNION ALL
    SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.report_id WHERE u.parent_id IS NOT NULL
),
{held}completed AS ({completed}
    UNION ALL
    SELECT person_id, ended_on FROM external_trainings WHERE counts_towards_measures AND ended_on IS NOT NULL
),
entries AS (
    SELECT pe.person_id, pe.organisation_id, CASE WHEN p.sex = 'F' THEN 1 ELSE 0 END AS woman,
           pe.cycle_starts_on, pe.cycle_ends_on
    FROM pool_entries pe JOIN people p ON p.id = pe.person_id
    WHERE pe.added_on <= :as_of AND (pe.left_on IS NULL OR pe.left_on > :as_of) AND pe.cycle_ends_on >= :as_of
),
trained AS (
    SELECT DISTINCT en.person_id, en.organisation_id FROM entries en
    WHERE en.woman = 1 AND EXISTS (
        SELECT 1 FROM completed d WHERE d.person_id = en.person_id
          AND d.done_on BETWEEN en.cycle_starts_on AND en.cycle_ends_on AND d.done_on <= :as_of)
),
flagged AS (
    SELECT en.person_id, en.organisation_id, en.woman, CASE WHEN t.person_id IS NULL THEN 0 ELSE 1 END AS trained
    FROM entries en LEFT JOIN trained t ON t.person_id = en.person_id AND t.organisation_id = en.organisation_id
),
people_per_unit AS (
    SELECT up.report_id, f.person_id, MAX(f.woman) AS woman, MAX(f.trained) AS trained
    FROM flagged f JOIN up ON up.unit_id = f.organisation_id
    GROUP BY up.report_id, f.person_id
),
province AS (
    SELECT person_id, MAX(woman) AS woman, MAX(trained) AS trained FROM flagged GROUP BY person_id
)
SELECT report_id, COUNT(*), SUM(woman), SUM(trained) FROM people_per_unit GROUP BY report_id
UNION ALL
SELECT NULL, COUNT(*), SUM(woman), SUM(trained) FROM province
"""


# The completions of the reference: read from the stored rows (every class is refreshed before the
# measurements, which the run checks), or recomputed from attendance as before stored completions.
REFERENCE_COMPLETED = {
    "stored": ("", """
    SELECT k.person_id, k.done_on
    FROM class_completions k JOIN training_classes c ON c.id = k.class_id JOIN plans p ON p.id = c.plan_id
    WHERE c.status <> 'cancelled' AND c.counts_for_trained_share AND p.counts_for_trained_share"""),
    "attendance": ("""held AS (
    SELECT s.class_id, COUNT(*) AS held, MAX(s.ends_at) AS last_end, c.completion_percent AS percent
    FROM class_sessions s JOIN training_classes c ON c.id = s.class_id JOIN plans p ON p.id = c.plan_id
    WHERE s.status = 'scheduled' AND c.status <> 'cancelled'
      AND c.counts_for_trained_share AND p.counts_for_trained_share
    GROUP BY s.class_id, c.completion_percent
),
""", """
    SELECT e.person_id, {local_day} AS done_on
    FROM enrolments e
    JOIN held h ON h.class_id = e.class_id
    JOIN attendances a ON a.enrolment_id = e.id
    JOIN class_sessions s ON s.id = a.session_id AND s.class_id = e.class_id
    WHERE e.status IN ('nominated', 'confirmed') AND a.status IN ('present', 'late') AND s.status = 'scheduled'
    GROUP BY e.id, e.person_id, h.held, h.percent, h.last_end
    HAVING 100 * COUNT(*) >= h.held * h.percent"""),
}


def reference_sql(dialect: str, source: str) -> str:
    held, completed = REFERENCE_COMPLETED[source]
    return REFERENCE.format(held=held, completed=completed.format(local_day=LOCAL_DAY[dialect]))


# --- Measurements, each in a fresh process --------------------------------------------------------

def child(kind: str, url: str, as_of: date, repeat: int, unit_id: int | None) -> dict:
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import Date, bindparam, event, text

    from bdgtrain import create_app
    from bdgtrain.extensions import db

    app = create_app("production")
    gc.collect()
    gc.freeze()  # as wsgi.py does in every server process and CLI command
    out: dict = {"kind": kind, "times": [], "cpu": []}
    with app.app_context():
        db.session.execute(text("SELECT 1")).all()  # connect before the clock starts
        baseline = peak_rss_mib()
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: statements.append(statement))
        client = logged_in_client(app) if kind in ("render", "render-live") else None
        if kind == "render-live":  # as on a training day: the classes running now are computed live
            db.session.execute(text("UPDATE training_classes SET completions_as_of = NULL "
                                    f"WHERE id % {LIVE_EVERY} = 7"))
            db.session.commit()
            out["live_classes"] = db.session.scalar(text("SELECT COUNT(*) FROM training_classes "
                                                         "WHERE completions_as_of IS NULL"))
        if kind == "breakdowns":  # the province report the breakdowns are taken over, outside the clock
            from bdgtrain.services.reporting.reporting import compute_trained_share

            province_report, _info = compute_trained_share(as_of)
        for _ in range(repeat):
            statements.clear()
            t, cpu = time.perf_counter(), time.process_time()
            if kind == "breakdowns":  # what the province's report page adds: DTTS women and women part-way
                from bdgtrain.services.reporting.measures import breakdowns

                by_unit, whole = breakdowns(province_report, as_of)
                figures, total = {}, {"partial": whole.partial, "dtts_women": whole.dtts_women,
                                      "units": len(by_unit)}
            elif kind == "service":
                from bdgtrain.services.reporting.reporting import compute_trained_share

                report, _info = compute_trained_share(as_of)
                figures = {uid: (f.pool, f.women, f.trained) for uid, f in report.units.items()}
                total = (report.total.pool, report.total.women, report.total.trained)
            elif kind == "refresh":  # the migrations, then every class's completions stored (once, not timed per run)
                from flask_migrate import upgrade

                from bdgtrain.services.reporting import completions

                if _ == 0:
                    db.session.commit()  # the migrations take SQLite's write lock on their own connection
                    upgrade()
                    db.session.commit()
                out["refreshed"] = completions.refresh(everything=_ == 0 and os.environ.get("BENCH_REFRESH_ALL") == "1")
                db.session.commit()
                if db.engine.dialect.name == "postgresql":
                    # What autovacuum does soon after a large insert: statistics, and the visibility
                    # map that lets an index-only scan of class_completions skip the table itself.
                    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                        connection.exec_driver_sql("VACUUM (ANALYZE) class_completions")
                figures, total = {}, out["refreshed"]
            elif kind.startswith("reference"):
                from bdgtrain.services.reporting.completions import invalid_classes

                source = "attendance" if kind == "reference-attendance" else "stored"
                if source == "stored" and invalid_classes():
                    raise SystemExit("classes with invalid stored completions: refresh first")
                sql = text(reference_sql(db.engine.dialect.name, source)).bindparams(
                    bindparam("as_of", as_of, type_=Date))
                figures, total = {}, None
                for report_id, pool, women, trained in db.session.execute(sql):
                    if report_id is None:
                        total = (pool, women or 0, trained or 0)
                    else:
                        figures[report_id] = (pool, women or 0, trained or 0)
            elif kind in ("render", "render-live"):  # the unit's report page, as a browser asks for it (no network)
                code = db.session.scalar(text("SELECT code FROM organisations WHERE id = :u"), {"u": unit_id})
                response = client.get(f"/reports/{PLAN_CODE}/units/{code}?as_of={as_of:%d/%m/%Y}",
                                      base_url="https://localhost")
                body = response.get_data(as_text=True)
                if response.status_code != 200 or "<table" not in body:
                    raise SystemExit(f"the unit's report page answered {response.status_code}")
                figures, total = {}, {"bytes": len(body)}
            elif kind in ("page", "page-target"):  # what the unit's report page (web/reports unit_report) calls
                from bdgtrain.rules.targets import TargetSpec
                from bdgtrain.services.reporting.measures import measure_table, untrained_page_people

                # With a target that starts counting before the as-of day (as a plan's targets do, from
                # the plan's start), the page may also count the subtree on that day: the baseline its
                # progress is judged from, where the baseline can change a unit's status.
                targets = [] if kind == "page" else [
                    TargetSpec(1, "trained_share", 0.75, date(2025, 12, 31), TARGET_START, None)]
                table = measure_table(as_of, targets, root=unit_id, subtree_only=True, untrained_page=(1, PAGE))
                row = table.rows[0]
                people, untrained = untrained_page_people(table, unit_id), row["women"] - row["trained"]
                figures = {unit_id: (row["pool"], row["women"], row["trained"])}
                total = {"untrained": untrained, "listed": [p.person_id for p in people], "rows": len(table.rows)}
            else:
                from bdgtrain.services.reporting.unit_report import unit_report

                page = unit_report(unit_id, as_of, page=1, per_page=PAGE)
                figures = {page.unit_id: _triple(page.figure)}
                figures.update({c.unit_id: _triple(c.figure) for c in page.children})
                total = {"untrained": page.untrained_total, "listed": [p.person_id for p in page.untrained],
                         "pages": page.pages}
            out["times"].append(time.perf_counter() - t)
            out["cpu"].append(time.process_time() - cpu)  # SQLite works in this process: its CPU time is the
            db.session.rollback()                         # figure other work on the machine disturbs least
        if kind == "render-live":  # the stored rows valid again, as the session-closing job would make them
            from bdgtrain.services.reporting import completions

            completions.refresh()
            db.session.commit()
        out["statements"] = len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))])
        out["peak_rss_mib"] = peak_rss_mib()
        out["baseline_rss_mib"] = baseline
        out["figures"] = {str(k): v for k, v in figures.items()}
        out["total"] = total
    return out


def logged_in_client(app):
    """A test client logged in, through the login form, as an administrator made for the benchmark
    (once per kept database): the same cookies, CSRF check and login session as a browser's."""
    import re

    from bdgtrain.extensions import db
    from bdgtrain.models import User

    if db.session.query(User).filter_by(email=BENCH_EMAIL).one_or_none() is None:
        user = User(email=BENCH_EMAIL, full_name="Benchmark", role="admin")
        user.set_password(BENCH_PASSWORD)
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    login_page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    answer = client.post("/login", base_url="https://localhost", headers={"Referer": "https://localhost/login"},
                         data={"email": BENCH_EMAIL, "password": BENCH_PASSWORD, "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"the benchmark's login answered {answer.status_code}")
    db.session.rollback()
    return client


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _triple(figure) -> tuple:
    return (figure.pool, figure.women, figure.trained)


def measure(kind: str, database: Database, options, unit_id: int | None = None) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--url", database.url, "--as-of", options.as_of,
               "--repeat", str(options.repeat)]
    if unit_id is not None:
        command += ["--unit", str(unit_id)]
    env = dict(os.environ, DATABASE_URL=database.url)
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def run_backend(backend: str, options, folder: Path) -> dict:
    world = World(options.scale)
    if options.reuse:  # measure a database kept by an earlier --keep run of the same --scale
        database = Database.__new__(Database)
        database.backend, database.name, database.url = backend, None, options.reuse
    else:
        if options.keep:
            Path(options.keep).mkdir(parents=True, exist_ok=True)  # SQLite makes the file, not its folder
        database = Database(backend, Path(options.keep) if options.keep else folder)
    try:
        built = None
        if not options.reuse:
            print(f"[{backend}] building: {world.entries:,} pool entries, {world.units:,} units, "
                  f"{world.classes:,} classes, ~{world.attendance:,} attendance rows ...", flush=True)
            built = build(database, world, options.analyze_sqlite)
        if built:
                print(f"[{backend}] built in {built['migrate_s']:.1f} s (migrations) + "
                  f"{built['load_s']:.1f} s (load) + {built['finish_s']:.1f} s "
                  f"({'ANALYZE' if backend == 'postgresql' or options.analyze_sqlite else 'commit'})"
                  f": {built['people']:,} people, {built['entries']:,} entries, {built['units']:,} units, "
                  f"{built['classes']:,} classes, {built['sessions']:,} sessions, {built['enrolments']:,} enrolments, "
                  f"{built['attendances']:,} attendances; database {built['size']}", flush=True)
        results = {"backend": backend, "built": built}
        if options.build_only:
            return results
        print(f"[{backend}] load average before the refresh: {load_average()}", flush=True)
        refresh = measure("refresh", database, argparse.Namespace(**dict(vars(options), repeat=1)))
        print(f"[{backend}] migrated and stored the completions of {refresh['refreshed']:,} classes in "
              f"{refresh['times'][0]:.1f} s (CPU of this process {refresh['cpu'][0]:.1f} s)", flush=True)
        for kind in ("service", "reference"):
            if kind == "reference" and options.reference == "attendance":
                kind = "reference-attendance"
            print(f"[{backend}] load average before the {kind}: {load_average()}", flush=True)
            results[kind.split("-")[0]] = measure(kind, database, options)
            r = results[kind.split("-")[0]]
            print(f"[{backend}] {kind:<9}: best {min(r['times']):.2f} s, median {statistics.median(r['times']):.2f} s "
                  f"(runs: {', '.join(f'{x:.2f}' for x in r['times'])}; this process's CPU "
                  f"{', '.join(f'{x:.2f}' for x in r.get('cpu', []))}), {r['statements']} statements, "
                  f"peak RSS {r['peak_rss_mib']:.0f} MiB (after connecting {r['baseline_rss_mib']:.0f} MiB)",
                  flush=True)
        service, reference = results["service"], results["reference"]
        mismatches = compare(service, reference)
        if mismatches:
            print(f"[{backend}] MISMATCH between the report and the reference: {len(mismatches)} units, e.g. "
                  f"{mismatches[:5]}", flush=True)
            raise SystemExit(2)
        ratio = min(service["times"]) / min(reference["times"])
        median_ratio = statistics.median(service["times"]) / statistics.median(reference["times"])
        results.update(ratio=ratio, median_ratio=median_ratio)
        if backend == "sqlite":  # the database works inside the measuring process: CPU time is comparable too
            cpu_ratio = min(service["cpu"]) / min(reference["cpu"])
            results["cpu_ratio"] = cpu_ratio
            print(f"[{backend}] CPU ratio: {cpu_ratio:.2f}x (best CPU times {min(service['cpu']):.2f} s and "
                  f"{min(reference['cpu']):.2f} s)", flush=True)
        total = service["total"]
        print(f"[{backend}] same figures: {len(reference['figures']):,}"
              f" units with members; province: {total[0]:,} in the pool, {total[1]:,} women, {total[2]:,} trained "
              f"({total[2] / total[1] * 100 if total[1] else 0:.1f} %)")
        print(f"[{backend}] ratio    : {ratio:.2f}x best, {median_ratio:.2f}x median (goal <= 1.5x) -> "
              f"{'MET' if ratio <= 1.5 else 'NOT MET'}", flush=True)
        extra = measure("breakdowns", database, options)
        results["breakdowns"] = extra
        print(f"[{backend}] breakdowns: what the province's page adds to the report (DTTS women and "
              f"{extra['total']['partial']:,} women part-way, over {extra['total']['units']:,} units, one statement): "
              f"{timed(extra['times'], extra['cpu'])}, {extra['statements']} statements; "
              f"{min(extra['times']) / min(service['times']):.2f}x the province report", flush=True)
        unit_id = world.big
        members = service_members(service, reference, unit_id)
        print(f"[{backend}] load average before the unit report: {load_average()}", flush=True)
        unit = measure("unit", database, options, unit_id)
        results["unit"] = unit
        for uid, triple in unit["figures"].items():
            if list(service["figures"][uid]) != list(triple):
                print(f"[{backend}] MISMATCH: the unit report's figure of unit {uid} is {triple}, "
                      f"the province report's {service['figures'][uid]}", flush=True)
                raise SystemExit(2)
        women, trained = service["figures"][str(unit_id)][1:]
        if unit["total"]["untrained"] != women - trained or len(unit["total"]["listed"]) != min(PAGE, women - trained):
            print(f"[{backend}] MISMATCH: {unit['total']['untrained']} untrained women listed, expected "
                  f"{women - trained}", flush=True)
            raise SystemExit(2)
        print(f"[{backend}] unit     : unit {unit_id} with {members:,} pool members, "
              f"{len(unit['figures']) - 1} children,"
              f" {unit['total']['untrained']:,} untrained women ({unit['total']['pages']} pages of {PAGE}): "
              f"{timed(unit['times'], unit['cpu'])}, {unit['statements']} statements, "
              f"peak RSS {unit['peak_rss_mib']:.0f} MiB {under_a_second(unit['times'])}", flush=True)
        page = measure("page", database, options, unit_id)
        results["page"] = page
        if (list(page["figures"][str(unit_id)]) != list(service["figures"][str(unit_id)])
                or page["total"]["listed"] != unit["total"]["listed"]):
            print(f"[{backend}] MISMATCH: the report page's figure or women differ from the unit report's", flush=True)
            raise SystemExit(2)
        print(f"[{backend}] page     : what the unit's report page calls (measure_table of the subtree, "
              f"{page['total']['rows']:,} units, with the first page of untrained women, and their details): "
              f"best {min(page['times']):.3f} s "
              f"(runs: {', '.join(f'{x:.3f}' for x in page['times'])}; "
              f"CPU {', '.join(f'{x:.3f}' for x in page['cpu'])}), "
              f"{page['statements']} statements", flush=True)
        targeted = measure("page-target", database, options, unit_id)
        results["page_target"] = targeted
        if targeted["figures"] != page["figures"] or targeted["total"]["listed"] != page["total"]["listed"]:
            print(f"[{backend}] MISMATCH: the report page with a target differs from the page without", flush=True)
            raise SystemExit(2)
        print(f"[{backend}] page + target: the same with a target counted from {TARGET_START:%d/%m/%Y} (its "
              f"baseline, the subtree counted on that day, is counted too where it can change a status): "
              f"best {min(targeted['times']):.3f} s (runs: "
              f"{', '.join(f'{x:.3f}' for x in targeted['times'])}), {targeted['statements']} statements", flush=True)
        rendered = measure("render", database, options, unit_id)
        results["render"] = rendered
        print(f"[{backend}] rendered : the unit's report page as a browser asks for it (logged in, through the "
              f"test client: access check, the page above, its template, {rendered['total']['bytes']:,} bytes, the "
              f"access log written): {timed(rendered['times'])}, {rendered['statements']} statements "
              f"{under_a_second(rendered['times'])}", flush=True)
        live = measure("render-live", database, options, unit_id)
        results["render_live"] = live
        print(f"[{backend}] rendered, {live['live_classes']:,} classes live: the same page while those classes' "
              f"completions are computed from attendance (their sessions running, as on a training day): "
              f"{timed(live['times'])} {under_a_second(live['times'])}", flush=True)
        return results
    finally:
        if options.keep:
            print(f"[{backend}] kept: --reuse {database.url}", flush=True)
        elif not options.reuse:
            database.drop()


def timed(times: list[float], cpu: list[float] | None = None) -> str:
    """Best, median and every run of a measurement (and its CPU times, when given)."""
    runs = ", ".join(f"{x:.3f}" for x in times)
    if cpu is not None:
        runs += "; CPU " + ", ".join(f"{x:.3f}" for x in cpu)
    return f"best {min(times):.3f} s, median {statistics.median(times):.3f} s (runs: {runs})"


def under_a_second(times: list[float]) -> str:
    """Issue 6's verdict on a unit's page, judged by its best run."""
    return f"(goal < 1 s) -> {'MET' if min(times) < 1 else 'NOT MET'}"


def service_members(service: dict, reference: dict, unit_id: int) -> int:
    return service["figures"][str(unit_id)][0]


def compare(service: dict, reference: dict) -> list:
    """Units whose figures differ; the reference lists only units holding members on the day."""
    wrong = []
    ref = reference["figures"]
    for uid, triple in service["figures"].items():
        expected = ref.get(uid, [0, 0, 0])
        if list(triple) != list(expected):
            wrong.append((uid, triple, expected))
    wrong += [(uid, None, triple) for uid, triple in ref.items() if uid not in service["figures"]]
    if list(service["total"]) != list(reference["total"]):
        wrong.append(("province", service["total"], reference["total"]))
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 pool entries; 0.01 for a quick run")
    parser.add_argument("--backend", default="both", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--as-of", default="2024-12-31")
    parser.add_argument("--analyze-sqlite", action="store_true", help="run ANALYZE on SQLite after loading")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases (SQLite file in DIR) to --reuse them")
    parser.add_argument("--reuse", metavar="URL", help="measure a kept database (one --backend) instead of building")
    parser.add_argument("--reference", default="stored", choices=("stored", "attendance"),
                        help="the reference reads stored completions (default) or recounts attendance")
    parser.add_argument("--build-only", action="store_true", help="with --keep: build the databases, measure nothing")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--unit", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
    if options.child:
        result = child(options.child, options.url, date.fromisoformat(options.as_of), options.repeat, options.unit)
        print(json.dumps(result, default=str))
        return
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    with tempfile.TemporaryDirectory(prefix="bdg-bench-") as folder:
        os.environ["BDGTRAIN_INSTANCE"] = folder
        print(f"scale {options.scale}, as of {options.as_of}, {options.repeat} runs each, {os.cpu_count()} CPUs, "
              f"load average {load_average()}", flush=True)
        results = [run_backend(backend, options, Path(folder)) for backend in backends]
    if options.build_only:
        return
    print()
    print(f"{'backend':<11} {'report s':>9} {'reference s':>12} {'ratio':>6} {'unit s':>7} {'stmts':>6} "
          f"{'RSS MiB':>8}  goals")
    for r in results:
        s, ref, u = r["service"], r["reference"], r["unit"]
        print(f"{r['backend']:<11} {min(s['times']):>9.2f} {min(ref['times']):>12.2f} {r['ratio']:>5.2f}x "
              f"{min(u['times']):>7.3f} {u['statements']:>6} {s['peak_rss_mib']:>8.0f}  "
              f"ratio {'met' if r['ratio'] <= 1.5 else 'NOT met'}, unit {'met' if min(u['times']) < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()

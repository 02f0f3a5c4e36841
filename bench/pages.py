"""Benchmark: every GET page of the app on a province-scale world (issue 22).

Builds the world of bench/page_world.py through the services (at --scale 1.0: 200 classes of 40 with
attendance, a class of 3,000, a registry and a pool of 100,000, the 13 districts and their communes,
feedback and certificates) in a fresh database, logs each role in through the login form, then requests
every visit of bench/page_routes.py (every GET rule of the URL map; the crawler's coverage test fails
when a rule has none) and prints, per visit:

- statements: SQL statements the request sent (its first timed run), marked "w" when some write (the
  personal-data access log);
- median: server time, median of 5 after one warm-up (Flask's test client: no network, no gunicorn);
- bytes: the body's size;
- files (anything not HTML): the first byte's time and the request's peak Python memory (tracemalloc,
  a run of its own, since tracing slows the code it measures);
- listing pages: the time of a reference — one hand-written query for the same rows rendered by a bare
  Jinja template — served by the same app to the same logged-in client and measured the same way, in turn
  with the page (page, reference, page, ...: a slower spell of the machine falls on both), and the page's
  ratio to it. A reference shows what its page shows: the same rows and columns for a list;
  for a page of figures (compliance, the monitor's dashboard) the same figures, one hand-written statement
  per part of the page (_reference_queries). The reference's route (REFERENCE_RULE, added to the benchmark's app only)
  goes through the request cycle every page pays: the test client, the session and login check, the
  request-boundary hooks and security headers, but no layout, labels, links or permission checks. The
  query and template alone, outside any request, are printed too ("bare"), for comparison.

The machine's own speed is printed before and after the visits (cpu_spells: a fixed Python loop's best and
median time over 3 s): a page's absolute time moves with it, its ratio does not.

A durable one-row write (INSERT and COMMIT) is timed once per run: a page that logs an access pays it on top
of its reads, and on PostgreSQL it waits for the disk (fdatasync); for such a page with a reference, the ratio
less that time is printed beside the ratio, for the reader; the budget is judged on the ratio itself.

Budgets (flagged "OVER"): HTML ≤ 3× its reference, median < 300 ms and < 1 MB; files: first byte < 1 s
and peak memory < 200 MB.

    .venv/bin/python bench/pages.py [--scale 1.0] [--database postgresql://postgres@127.0.0.1:5432/postgres]
        [--only RULE-OR-ENDPOINT ...] [--skip RULE-OR-ENDPOINT ...] [--repeat 5] [--json out.json]
    .venv/bin/python bench/pages.py --scale 0.05      # a quick run

--database names a PostgreSQL server (any database on it): the benchmark creates a database of its own
there and drops it at the end. Without it, a SQLite file in a temporary folder. The app runs with the
production configuration (scrypt, secure cookies over https://localhost) except that rate limits are
off, since one client asks for every page six times.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = "https://localhost"
HTML_RATIO, HTML_MS, HTML_BYTES = 3.0, 300.0, 1_000_000
FILE_FIRST_BYTE_MS, FILE_PEAK_MB = 1000.0, 200.0


class Database:
    """A throwaway database: a SQLite file, or a uniquely named PostgreSQL database dropped at close()."""

    def __init__(self, server_url: str | None, folder: Path):
        self.server_url, self.name = server_url, None
        if server_url is None:
            self.url = f"sqlite:///{folder / 'pages.sqlite3'}"
            return
        import psycopg

        self.name = f"bdgtrain_pages_{uuid.uuid4().hex[:10]}"
        admin = re.sub(r"^postgresql(\+\w+)?://", "postgresql://", server_url)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = re.sub(r"/[^/]*$", f"/{self.name}", server_url)
        self.admin = admin

    @property
    def backend(self) -> str:
        return "sqlite" if self.name is None else "postgresql"

    def close(self) -> None:
        if self.name is None:
            return
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


REFERENCE_RULE = "/bench-reference/<name>"


def make_app(url: str, reference_args: dict | None = None):
    """The production app on `url`, plus the references' route (REFERENCE_RULE) reading `reference_args`
    (filled with the world's ids once it is built)."""
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    from bdgtrain import create_app

    app = create_app("production", overrides={"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                                               "RATELIMIT_STORAGE_URI": "memory://"})
    if reference_args is not None:
        app.add_url_rule(REFERENCE_RULE, "bench_reference", served_reference(reference_args))
    return app


class StatementCounter:
    """Counts the statements sent while active, and those that write (a page's access-log row)."""

    def __init__(self, engine):
        self.engine, self.count, self.writes = engine, 0, 0

    def _record(self, _conn, _cursor, statement, *_args):
        self.count += 1
        self.writes += statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")

    def __enter__(self):
        from sqlalchemy import event

        self.count = self.writes = 0
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)


# --- references: one hand-written query for the page's rows, a bare template ---------------------------

# A plan's compliance, as the page counts it, in one statement: each active enrolment's marks in the plan's
# held sessions, her outcome (attended, completed, late, no-show, outside the audience by sex), then the
# counts by class, by nominating agency and by district, and the first 50 people to look at (no-shows and
# people outside the audience). `:agency` keeps a supplier to her agency's nominations, as her page does.
_COMPLIANCE = """
WITH held AS (
    SELECT s.class_id, COUNT(*) AS held, SUM(CASE WHEN s.ends_at <= :now THEN 1 ELSE 0 END) AS ended
    FROM class_sessions s JOIN training_classes c ON c.id = s.class_id
    WHERE c.plan_id = :p AND s.status <> 'cancelled' GROUP BY s.class_id
),
marks AS (
    SELECT a.enrolment_id, SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS present,
           SUM(CASE WHEN a.status = 'late' THEN 1 ELSE 0 END) AS late
    FROM attendances a
    WHERE a.session_id IN (SELECT s.id FROM class_sessions s JOIN training_classes c ON c.id = s.class_id
                           WHERE c.plan_id = :p AND s.status <> 'cancelled')
    GROUP BY a.enrolment_id
),
outcomes AS (
    SELECT e.id, e.class_id, e.body_org_id, p.full_name, p.name_sort_key,
           CASE WHEN COALESCE(m.present, 0) + COALESCE(m.late, 0) > 0 THEN 1 ELSE 0 END AS attended,
           CASE WHEN h.held > 0 AND 100 * (COALESCE(m.present, 0) + COALESCE(m.late, 0))
                     >= h.held * c.completion_percent THEN 1 ELSE 0 END AS completed,
           CASE WHEN COALESCE(m.late, 0) > 0 THEN 1 ELSE 0 END AS late,
           CASE WHEN COALESCE(m.present, 0) + COALESCE(m.late, 0) = 0 AND COALESCE(h.ended, 0) > 0
                THEN 1 ELSE 0 END AS no_show,
           CASE WHEN COALESCE(m.present, 0) + COALESCE(m.late, 0) > 0 AND c.eligible_sex IS NOT NULL
                     AND p.sex IS NOT NULL AND p.sex <> c.eligible_sex THEN 1 ELSE 0 END AS outside
    FROM enrolments e JOIN training_classes c ON c.id = e.class_id JOIN people p ON p.id = e.person_id
    LEFT JOIN marks m ON m.enrolment_id = e.id LEFT JOIN held h ON h.class_id = e.class_id
    WHERE c.plan_id = :p AND e.status IN ('nominated', 'confirmed')
      AND (CAST(:agency AS INTEGER) IS NULL
           OR e.id IN (SELECT n.enrolment_id FROM nominations n WHERE n.organisation_id = CAST(:agency AS INTEGER)))
),
named AS (
    SELECT id, full_name FROM outcomes WHERE no_show = 1 OR outside = 1 ORDER BY name_sort_key, id LIMIT 50
)
SELECT 'class', CAST(o.class_id AS VARCHAR(20)), COUNT(*), SUM(attended), SUM(completed), SUM(late),
       SUM(no_show), SUM(outside) FROM outcomes o GROUP BY o.class_id
UNION ALL
SELECT 'agency', g.name, COUNT(*), SUM(attended), SUM(completed), SUM(late), SUM(no_show), SUM(outside)
FROM outcomes o JOIN nominations n ON n.enrolment_id = o.id JOIN organisations g ON g.id = n.organisation_id
WHERE CAST(:agency AS INTEGER) IS NULL OR n.organisation_id = CAST(:agency AS INTEGER)
GROUP BY g.name
UNION ALL
SELECT 'district', g.name, COUNT(*), SUM(attended), SUM(completed), SUM(late), SUM(no_show), SUM(outside)
FROM outcomes o LEFT JOIN organisations g ON g.id = o.body_org_id GROUP BY g.name
UNION ALL
SELECT 'person', full_name, NULL, NULL, NULL, NULL, NULL, NULL FROM named
"""

# A plan's classes as the monitor's dashboard shows them: dates of the held sessions, head count and
# certificates in force.
_DASHBOARD_CLASSES = """
SELECT c.code, c.title, c.status, MIN(s.starts_at), MAX(s.ends_at),
       (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = c.id AND e.status IN ('nominated', 'confirmed')),
       (SELECT COUNT(*) FROM certificates k JOIN enrolments e ON e.id = k.enrolment_id
        WHERE e.class_id = c.id AND k.revoked_at IS NULL)
FROM training_classes c LEFT JOIN class_sessions s ON s.class_id = c.id AND s.status <> 'cancelled'
WHERE c.plan_id = :p GROUP BY c.id, c.code, c.title, c.status ORDER BY c.code
"""

# The feedback of each class of the plan: how many answered, of how many enrolled.
_DASHBOARD_FEEDBACK = {
    "sqlite": "json_array_length(b.entries)",
    "postgresql": "json_array_length(CAST(b.entries AS JSON))",
}


def _reference_queries(args: dict) -> dict:
    """name -> ([(SQL, parameters), ...], template): the statements a page's content needs, written by hand,
    and the bare template drawing each statement's rows as a table. A reference shows what its page shows:
    the same rows and columns for a list, with the count its page links are made from when it has pages;
    the same figures for a page of figures (compliance, the monitor's dashboard); not the layout, the
    labels, the links or the forms around them."""
    table = ("<!doctype html><html><body>{% for rows in sections %}<table>{% for row in rows %}<tr>"
             "<td>{{ loop.index }}</td>{% for v in row %}<td>{{ v if v is not none else '' }}</td>{% endfor %}"
             "</tr>{% endfor %}</table>{% endfor %}</body></html>")
    class_id, plan_id = args["class_id"], args["plan_id"]
    dialect = args.get("dialect", "sqlite")
    agencies = {"sqlite": "group_concat(o.name, ', ')", "postgresql": "string_agg(o.name, ', ')"}[dialect]
    compliance = (_COMPLIANCE, {"p": plan_id, "now": args.get("now"), "agency": args.get("agency")})
    # A supplier's roster is the people her agency nominated: her nominations joined, for her only.
    agency = args.get("agency")
    hers = ("JOIN nominations h ON h.enrolment_id = e0.id AND h.organisation_id = :agency"
            if agency is not None else "")
    return {
        # The roster's first page in Vietnamese name order: 100 people, as the roster pages and the cards are
        # batched (services/core/paging.PER_PAGE, web/checkin CARDS_PER_BATCH), with every column the roster
        # shows: name and sex, date or year of birth, position and unit, the agencies that nominated her, her
        # status, its note and whom she was replaced by; for a supplier, those her agency nominated.
        "roster": ([(_roster_sql(agencies, hers), {"c": class_id, "agency": agency}),
                    # with the number of people the page's count and page links show
                    (f"SELECT COUNT(*) FROM enrolments e0 {hers} WHERE e0.class_id = :c AND e0.status != 'waiting'",
                     {"c": class_id, "agency": agency})], table),
        # The sign-in sheet's and the invitation cards' first batch (100): the columns they print of each person.
        "sign_in": ([("SELECT p.full_name, p.birth_year, p.position, p.unit_name, e.status FROM enrolments e "
                      "JOIN people p ON p.id = e.person_id WHERE e.class_id = :c AND e.status != 'waiting' "
                      "ORDER BY p.name_sort_key, p.id LIMIT 100", {"c": class_id}),
                     ("SELECT COUNT(*) FROM enrolments e WHERE e.class_id = :c AND e.status != 'waiting'",
                      {"c": class_id})], table),
        # The attendance grid's first page: 50 people (name, unit or position) and each session's mark, with the
        # time of her check-in and the reason a hand gave.
        "attendance": ([("SELECT p.full_name, p.unit_name, p.position, s.id, a.status, a.checked_in_at, a.reason "
                         "FROM (SELECT e.id, e.person_id FROM enrolments e "
                         "JOIN people p0 ON p0.id = e.person_id WHERE e.class_id = :c "
                         "ORDER BY p0.name_sort_key, p0.id LIMIT 50) e JOIN people p ON p.id = e.person_id "
                         "JOIN class_sessions s ON s.class_id = :c "
                         "LEFT JOIN attendances a ON a.enrolment_id = e.id AND a.session_id = s.id "
                         "ORDER BY p.name_sort_key, p.id, s.starts_at", {"c": class_id}),
                        ("SELECT COUNT(*) FROM enrolments e WHERE e.class_id = :c", {"c": class_id})], table),
        # Compliance: the plan's figures by class, agency and district, and the people to look at.
        "compliance": ([compliance], table),
        # The monitor's dashboard: the plan's classes, its compliance, the feedback of each class and the
        # province's trained share on the day the page reads it (bench/report_trained_share.py's
        # hand-written statement, from the stored completions as the app reads them).
        "dashboard": ([(_DASHBOARD_CLASSES, {"p": plan_id}), compliance,
                       (f"SELECT c.code, {_DASHBOARD_FEEDBACK[dialect]} FROM feedback_boxes b "
                        "JOIN training_classes c ON c.id = b.class_id WHERE c.plan_id = :p AND b.kind = 'form' "
                        "ORDER BY c.code", {"p": plan_id}),
                       (_trained_share_sql(dialect), {"as_of": args.get("share_day")})], table),
        # The class's certificates, the first page or batch (100), in the list's order (the holders' names).
        "certificates": ([("SELECT k.number, p.full_name, k.issued_at, k.revoked_at FROM certificates k "
                           "JOIN enrolments e ON e.id = k.enrolment_id JOIN people p ON p.id = e.person_id "
                           "WHERE e.class_id = :c ORDER BY p.name_sort_key, p.id LIMIT 100", {"c": class_id}),
                          ("SELECT COUNT(*) FROM certificates k JOIN enrolments e ON e.id = k.enrolment_id "
                           "WHERE e.class_id = :c", {"c": class_id})], table),
        # A printed batch of certificates (100 in force): each paper's holder, her position and unit, its number
        # and the day, place and signer printed on it.
        "certificate_papers": ([("SELECT k.number, p.full_name, p.position, p.unit_name, k.issued_on, k.place, "
                                 "k.signer_authority, k.signer_title, k.signer_name FROM certificates k "
                                 "JOIN enrolments e ON e.id = k.enrolment_id JOIN people p ON p.id = e.person_id "
                                 "WHERE e.class_id = :c AND k.revoked_at IS NULL ORDER BY p.name_sort_key, p.id "
                                 "LIMIT 100", {"c": class_id}),
                                ("SELECT COUNT(*) FROM certificates k JOIN enrolments e ON e.id = k.enrolment_id "
                                 "WHERE e.class_id = :c AND k.revoked_at IS NULL", {"c": class_id})], table),
        # A plan's classes with their head counts.
        "plan_classes": ([("SELECT c.code, c.title, c.status, count(e.id) FROM training_classes c "
                           "LEFT JOIN enrolments e ON e.class_id = c.id WHERE c.plan_id = :p "
                           "GROUP BY c.id, c.code, c.title, c.status ORDER BY c.id", {"p": plan_id})], table),
        # A unit's pool, its first page (50): name, sex, planned posts, the day she joined, when and why she left.
        "pool": ([("SELECT p.full_name, p.sex, x.planned_posts, x.added_on, x.left_on, x.leave_reason "
                   "FROM pool_entries x JOIN people p ON p.id = x.person_id "
                   "JOIN organisations o ON o.id = x.organisation_id WHERE o.code = :o AND x.cycle = '2016-2021' "
                   "ORDER BY p.name_sort_key, p.id LIMIT 50",
                   {"o": args["org_code"]}),
                  ("SELECT COUNT(*) FROM pool_entries x JOIN organisations o ON o.id = x.organisation_id "
                   "WHERE o.code = :o AND x.cycle = '2016-2021'", {"o": args["org_code"]})], table),
        # The page shows each event's changed fields too (their before and after) and names the object it is
        # about (a certificate's number, an account's e-mail, a person's or unit's name, a plan's or class's code).
        "audit": ([("SELECT e.occurred_at, e.actor_label, e.action, e.object_type, e.object_id, e.summary, "
                    "e.\"before\", e.\"after\", COALESCE(k.number, u.email, p.full_name, pl.code, c.code, o.name) "
                    "FROM audit_events e "
                    "LEFT JOIN certificates k ON e.object_type = 'Certificate' AND k.id = e.object_id "
                    "LEFT JOIN users u ON e.object_type = 'User' AND u.id = e.object_id "
                    "LEFT JOIN people p ON e.object_type = 'Person' AND p.id = e.object_id "
                    "LEFT JOIN plans pl ON e.object_type = 'Plan' AND pl.id = e.object_id "
                    "LEFT JOIN training_classes c ON e.object_type = 'TrainingClass' AND c.id = e.object_id "
                    "LEFT JOIN organisations o ON e.object_type = 'Organisation' AND o.id = e.object_id "
                    "ORDER BY e.id DESC LIMIT 50", {}),
                   ("SELECT COUNT(*) FROM audit_events", {})], table),
        # The page shows each account's unit by name, whether it is active and its last login.
        "users": ([("SELECT u.email, u.full_name, u.role, o.name, u.is_active_account, u.last_login_at FROM users u "
                    "LEFT JOIN organisations o ON o.id = u.organisation_id ORDER BY u.email LIMIT 50", {}),
                   ("SELECT COUNT(*) FROM users", {})], table),
        # The units with their kind, the days they were in being and the unit that took over an ended one.
        "organisations": ([("SELECT o.code, o.name, o.kind, o.parent_id, o.valid_from, o.valid_to, s.name "
                            "FROM organisations o LEFT JOIN organisations s ON s.id = o.successor_id ORDER BY o.code",
                            {})], table),
    }


def _roster_sql(agencies: str, hers: str) -> str:
    """The roster's first page as a hand-writer would write it for the fastest answer (each measured on
    PostgreSQL, about equal on SQLite): for everyone, the rows joined and sorted (1.0 ms against 2.3 picking
    the page's ids first); for a supplier, the page's ids among her agency's first, then their details
    (3.0 ms against 4.3)."""
    columns = ("SELECT p.full_name, p.sex, p.birth_date, p.birth_year, p.position, p.unit_name, "
               f"(SELECT {agencies} FROM nominations n JOIN organisations o ON o.id = n.organisation_id "
               "WHERE n.enrolment_id = e0.id), e0.status, e0.status_note, r.full_name ")
    replaced = "LEFT JOIN enrolments er ON er.id = e0.replaced_by_id LEFT JOIN people r ON r.id = er.person_id "
    if not hers:
        return (columns + "FROM enrolments e0 JOIN people p ON p.id = e0.person_id " + replaced
                + "WHERE e0.class_id = :c AND e0.status != 'waiting' ORDER BY p.name_sort_key, p.id LIMIT 100")
    return (columns + f"FROM (SELECT e0.id FROM enrolments e0 {hers} JOIN people p0 ON p0.id = e0.person_id "
            "WHERE e0.class_id = :c AND e0.status != 'waiting' ORDER BY p0.name_sort_key, p0.id LIMIT 100) page "
            "JOIN enrolments e0 ON e0.id = page.id JOIN people p ON p.id = e0.person_id " + replaced
            + "ORDER BY p.name_sort_key, p.id")


def _trained_share_sql(dialect: str) -> str:
    from bench.report_trained_share import reference_sql

    return reference_sql(dialect, "stored")


def _reference_args(args: dict, dialect: str, role_agency: int | None = None) -> dict:
    """The world's args plus what the figures' references ask for: the database's dialect, the moment and
    the day the pages read their figures on (services/monitoring.trained_share_day), a supplier's agency."""
    from bdgtrain.extensions import db
    from bdgtrain.localtime import to_local
    from bdgtrain.models import Plan
    from bdgtrain.models.base import utcnow
    from bdgtrain.services.monitoring.monitoring import trained_share_day

    now = utcnow()
    plan = db.session.get(Plan, args["plan_id"])
    return dict(args, dialect=dialect, now=now.replace(tzinfo=None),  # the columns hold naive UTC
                share_day=trained_share_day(plan, to_local(now).date()) if plan else None, agency=role_agency)


def _bare_templates() -> dict:
    from jinja2 import Environment

    environment = Environment(autoescape=True)
    return {name: environment.from_string(source) for name, (_statements, source) in _reference_queries({
        "class_id": 0, "plan_id": 0, "org_code": ""}).items()}


def _reference_rows(name: str, args: dict) -> list[list]:
    """Each of the reference's statements run, their rows."""
    from bdgtrain.extensions import db

    statements, _source = _reference_queries(args)[name]
    return [db.session.execute(db.text(sql), params).all() for sql, params in statements]


def reference_runner(name: str, args: dict, agency: int | None = None):
    """The reference outside any request: its statements and the bare template alone."""
    from bdgtrain.extensions import db

    template = _bare_templates()[name]
    args = _reference_args(args, db.engine.dialect.name, agency)

    def run() -> int:
        body = template.render(sections=_reference_rows(name, args)).encode()
        db.session.rollback()
        return len(body)

    return run


def served_reference(args: dict):
    """The reference as a page: a logged-in GET whose view runs the statements and renders the bare
    template. Any page must at least pass the session check; it answers 401 to a client that is not logged
    in. A supplier's figures are her agency's, as on her pages."""
    templates = _bare_templates()

    def view(name: str):
        from flask import abort
        from flask_login import current_user

        from bdgtrain.extensions import db

        if not current_user.is_authenticated:
            abort(401)
        agency = current_user.organisation_id if current_user.role == "supplier" else None
        rows = _reference_rows(name, _reference_args(args, db.engine.dialect.name, agency))
        return templates[name].render(sections=rows)

    return view


# --- measuring -------------------------------------------------------------------------------------------

def _timed(call, repeat: int) -> list[float]:
    call()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure_visit(app, client, url: str, repeat: int, reference_url: str | None = None) -> dict:
    """The visit's figures; with `reference_url`, the reference's median too, timed in turn with the page (page,
    reference, page, ...) so that a slower spell of a shared machine falls on both and not on the ratio."""
    from bdgtrain.extensions import db

    def get(address=url):
        response = client.get(address, base_url=BASE)
        body = response.get_data()
        return response, body

    get()  # warm-up
    if reference_url is not None:
        reference_status = get(reference_url)[0].status_code
        if reference_status != 200:
            raise SystemExit(f"the reference {reference_url} answered {reference_status}")
    with app.app_context():
        engine = db.engine
    with StatementCounter(engine) as counter:
        response, body = get()
    times, reference_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
        if reference_url is not None:
            start = time.perf_counter()
            get(reference_url)
            reference_times.append((time.perf_counter() - start) * 1000)
    result = {"status": response.status_code, "statements": counter.count, "writes": counter.writes, "bytes": len(body),
              "type": response.mimetype or "", "median_ms": statistics.median(times)}
    if reference_times:
        result["reference_ms"] = statistics.median(reference_times)
    if result["type"] != "text/html":
        start = time.perf_counter()
        streamed = client.get(url, base_url=BASE, buffered=False)
        chunks = iter(streamed.response)
        next(chunks, b"")
        result["first_byte_ms"] = (time.perf_counter() - start) * 1000
        for _chunk in chunks:
            pass
        streamed.close()
        tracemalloc.start()
        client.get(url, base_url=BASE).get_data()
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return result


def measure_commit(app, repeat: int = 9) -> float:
    """Median time of a durable one-row write: an INSERT and its COMMIT, what a page that logs a personal-data
    access pays beyond its reads (PostgreSQL waits for the disk's flush of its log; SQLite in WAL mode does
    not). Into a table of its own, in the benchmark's throwaway database."""
    from bdgtrain.extensions import db

    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, note VARCHAR(20))")

        def write(number: int) -> None:
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f"INSERT INTO bench_commit (id, note) VALUES ({number}, 'x')")

        write(0)
        times = []
        for number in range(1, repeat + 1):
            start = time.perf_counter()
            write(number)
            times.append((time.perf_counter() - start) * 1000)
        db.engine.dispose()
    return statistics.median(times)


CPU_SPELL_SECONDS = 3.0


def cpu_spells(seconds: float = CPU_SPELL_SECONDS) -> tuple[float, float, int]:
    """(best, median, count) of a fixed pure-Python loop timed again and again over `seconds`: what the
    machine's own speed did meanwhile. A shared machine can run the same code at one speed, then ~1.8x slower
    for seconds or minutes (seen 7/12/2026); the ratios survive that, since page and reference are timed in
    turn, but a page's absolute time moves with it, and the reader should know."""
    def loop() -> float:
        start = time.perf_counter()
        total = 0
        for number in range(100_000):
            total += number * number
        return (time.perf_counter() - start) * 1000

    times, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        times.append(loop())
        time.sleep(0.05)
    return min(times), statistics.median(times), len(times)


def _print_cpu(when: str) -> None:
    best, median, count = cpu_spells()
    print(f"# the CPU {when}: a fixed Python loop took {best:.1f} ms at best, {median:.1f} ms at the median of "
          f"{count} over {CPU_SPELL_SECONDS:g} s ({median / best:.2f}x)", flush=True)


def over_budget(r: dict) -> list[str]:
    problems = []
    if r["status"] >= 500:
        problems.append(f"status {r['status']}")
    if r["type"] == "text/html":
        if r["median_ms"] >= HTML_MS:
            problems.append(f"{r['median_ms']:.0f} ms")
        if r["bytes"] >= HTML_BYTES:
            problems.append(f"{r['bytes'] / 1e6:.1f} MB")
        if r.get("ratio") is not None and r["ratio"] > HTML_RATIO:
            problems.append(f"{r['ratio']:.1f}× reference")
    else:
        if r.get("first_byte_ms", 0) >= FILE_FIRST_BYTE_MS:
            problems.append(f"first byte {r['first_byte_ms']:.0f} ms")
        if r.get("peak_mb", 0) >= FILE_PEAK_MB:
            problems.append(f"{r['peak_mb']:.0f} MB memory")
    return problems


def _selected(rule: str, endpoint: str, only: list[str], skip: list[str]) -> bool:
    def hit(names):
        return any(name in (rule, endpoint) or name in rule for name in names)

    return (not only or hit(only)) and not hit(skip)


def run(options) -> list[dict]:
    from bdgtrain.extensions import db
    from bench import page_routes
    from bench.page_world import PASSWORD, build

    folder = Path(tempfile.mkdtemp(prefix="bdgtrain-pages-"))
    database = Database(options.database, folder)
    results = []
    try:
        reference_args: dict = {}
        app = make_app(database.url, reference_args)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            print(f"# {database.backend}, scale {options.scale}: building the world", flush=True)
            started = time.perf_counter()
            world = build(options.scale, progress=lambda text: print(text, flush=True))
            from bdgtrain.models import TrainingClass

            world.args["plan_id"] = db.session.get(TrainingClass, world.args["class_id"]).plan_id
            db.session.commit()
            if database.backend == "postgresql":
                # As autovacuum leaves a table some time after a bulk load (this server may run without it):
                # statistics for the planner and a visibility map, so that counts can be index-only.
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("VACUUM ANALYZE")
            reference_args.update(world.args)
            # A supplier's references count her agency's rows, as her pages do.
            from bdgtrain.models import User

            supplier_agencies = {role: user.organisation_id for role, email in world.accounts.items()
                                 if (user := db.session.scalar(db.select(User).filter_by(email=email)))
                                 and user.role == "supplier"}
            print(f"# built in {time.perf_counter() - started:.1f} s: {world.sizes}", flush=True)
            db.session.remove()
        commit_ms = measure_commit(app)
        print(f"# a durable one-row write (INSERT and COMMIT) takes {commit_ms:.2f} ms on this database", flush=True)
        _print_cpu("before the visits")
        endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
        clients = {}
        for role in ("admin", "organiser", "supplier", "supplier_hlhpn", "monitor"):
            client = app.test_client()
            page = client.get("/login", base_url=BASE).get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            answer = client.post("/login", base_url=BASE, headers={"Referer": f"{BASE}/login"},
                                 data={"email": world.accounts[role], "password": PASSWORD, "csrf_token": token})
            if answer.status_code != 302:
                raise SystemExit(f"logging in as {role} answered {answer.status_code}")
            clients[role] = client
        clients["participant"] = clients["anonymous"] = app.test_client()
        header = (f"{'route':58} {'as':15} {'st':>3} {'stmts':>5} {'median':>8} {'bytes':>9} "
                  f"{'ref':>7} {'ratio':>5} {'bare':>7} {'1st B':>7} {'peak':>6}  budget")
        print(header, flush=True)
        bare_references: dict[tuple[str, str], float] = {}
        for rule, visit, url in page_routes.visits(world.args):
            endpoint = endpoints.get(rule, "")
            if not _selected(rule, endpoint, options.only, options.skip):
                continue
            # The reference is served to the visit's own client: a supplier's session is checked as the page
            # checks it.
            reference_url = f"/bench-reference/{visit.reference}" if visit.reference else None
            r = measure_visit(app, clients[visit.role], url, options.repeat, reference_url)
            r.update(rule=rule, endpoint=endpoint, role=visit.label, url=url, backend=database.backend)
            if visit.reference:
                key = (visit.reference, visit.role)
                if key not in bare_references:
                    with app.app_context():
                        bare_references[key] = statistics.median(_timed(reference_runner(
                            visit.reference, world.args, supplier_agencies.get(visit.role)), options.repeat))
                r["reference"] = visit.reference
                r["bare_reference_ms"] = bare_references[key]
                reference_ms = r["reference_ms"]
                r["ratio"] = r["median_ms"] / reference_ms if reference_ms else None
                if r["writes"] and reference_ms:
                    # For the reader: the ratio with the page's durable commit taken away (the budget is
                    # judged on the ratio itself).
                    r["ratio_less_commit"] = max(r["median_ms"] - commit_ms, 0) / reference_ms
                    r["commit_ms"] = commit_ms
            r["over"] = over_budget(r)
            results.append(r)
            print(f"{rule[:58]:58} {visit.label[:15]:15} {r['status']:>3} "
                  f"{str(r['statements']) + ('w' if r['writes'] else ''):>5} "
                  f"{r['median_ms']:>6.1f}ms {r['bytes']:>9,} "
                  f"{(format(r['reference_ms'], '5.1f') + 'ms') if 'reference_ms' in r else '':>7} "
                  f"{format(r['ratio'], '5.1f') if r.get('ratio') else '':>5} "
                  f"{(format(r['bare_reference_ms'], '5.1f') + 'ms') if 'bare_reference_ms' in r else '':>7} "
                  f"{(format(r['first_byte_ms'], '5.0f') + 'ms') if 'first_byte_ms' in r else '':>7} "
                  f"{(format(r['peak_mb'], '4.0f') + 'MB') if 'peak_mb' in r else '':>6}  "
                  f"{'OVER: ' + ', '.join(r['over']) if r['over'] else 'ok'}"
                  + (f" ({r['ratio_less_commit']:.1f}x less the commit)" if 'ratio_less_commit' in r else ""),
                  flush=True)
        _print_cpu("after the visits")
        with app.app_context():
            db.engine.dispose()
    finally:
        database.close()
    over = [r for r in results if r["over"]]
    print(f"# {len(results)} visits of {len({r['rule'] for r in results})} routes, {len(over)} over budget "
          f"({database.backend}, scale {options.scale})")
    for r in over:
        print(f"#   OVER {r['rule']} as {r['role']}: {', '.join(r['over'])}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", help="a PostgreSQL server URL; a database of its own is made there")
    parser.add_argument("--only", action="append", default=[], help="a rule, an endpoint or part of a rule")
    parser.add_argument("--skip", action="append", default=[], help="a rule, an endpoint or part of a rule")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="write the results to this file")
    options = parser.parse_args(argv)
    results = run(options)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

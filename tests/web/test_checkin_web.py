"""Check-in over HTTP: the API with a bearer token, the participant's ticket and room pages, the CLI."""
from __future__ import annotations

import json

import pytest
from flask import request
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.accounts import api_tokens
from bdgtrain.services.checkin import checkin, rooms
from tests import factories as make


@pytest.fixture
def hall(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    stranger = make.user("khac@test.vn", "organiser", make.org("SYT", "Sở Y tế"))
    plan = make.plan(organiser_org, "KH-QR")
    cls, enrolments = make.class_open_now(plan, "LOP-QR", people=3)
    token, _row = api_tokens.create_token(None, organiser, "máy quét 1")
    other_token, _ = api_tokens.create_token(None, stranger, "máy lạ")
    db.session.commit()
    return cls, enrolments, token, other_token


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_api_checks_in_with_a_bearer_token_and_answers_already(client, hall):
    cls, (hoa, *_), token, _ = hall
    body = {"token": ticket_token(hoa.id), "nonce": "n1", "device": "may-1"}
    first = client.post("/api/v1/checkins", json=body, headers=bearer(token))
    assert first.status_code == 200 and first.json["status"] == "checked_in"
    assert first.json["name"] == hoa.person.full_name
    again = client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id)}, headers=bearer(token))
    assert again.json["status"] == "already" and again.json["checked_in_at_local"]
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    # Both scans logged, the first with all it knew (on PostgreSQL written with her attendance).
    from bdgtrain.models import CheckinScan
    logged = db.session.execute(select(CheckinScan.outcome, CheckinScan.nonce, CheckinScan.device,
                                       CheckinScan.enrolment_id, CheckinScan.class_id, CheckinScan.session_id,
                                       CheckinScan.source).order_by(CheckinScan.id)).all()
    session_id = db.session.scalar(select(Attendance.session_id))
    assert [tuple(row) for row in logged] == [("checked_in", "n1", "may-1", hoa.id, cls.id, session_id, "api"),
                                              ("already", None, None, hoa.id, cls.id, session_id, "api")]


def test_api_refuses_without_valid_token_and_other_organisers(client, hall):
    cls, (hoa, *_), _, other_token = hall
    body = {"token": ticket_token(hoa.id)}
    assert client.post("/api/v1/checkins", json=body).status_code == 401
    assert client.post("/api/v1/checkins", json=body, headers=bearer("bdg_forged")).status_code == 401
    denied = client.post("/api/v1/checkins", json=body, headers=bearer(other_token))
    assert denied.status_code == 403 and denied.json["error"]["code"] == "forbidden"
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_api_answers_each_refusal_code(client, hall):
    cls, (hoa, *_), token, _ = hall
    answer = client.post("/api/v1/checkins", json={"token": "HTTPS://X/T/NOTATOKEN"}, headers=bearer(token))
    assert answer.status_code == 200 and answer.json["status"] == "invalid_token"
    bad = client.post("/api/v1/checkins", data="not json", headers=bearer(token), content_type="application/json")
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_request"


def test_api_batch_is_idempotent_by_nonce(client, hall):
    cls, (hoa, lan, _), token, _ = hall
    scans = [{"token": ticket_token(hoa.id), "nonce": "q1", "scanned_at": utcnow().isoformat()},
             {"token": ticket_token(lan.id), "nonce": "q2"}, {"oops": 1}]
    body = {"class": f"{cls.plan.code}/{cls.code}", "device": "may-2", "scans": scans}
    first = client.post("/api/v1/checkins/batch", json=body, headers=bearer(token)).json
    second = client.post("/api/v1/checkins/batch", json=body, headers=bearer(token)).json
    assert [r["status"] for r in first["results"]] == ["checked_in", "checked_in", "malformed"]
    assert [r["status"] for r in second["results"]] == ["checked_in", "checked_in", "malformed"]
    assert (first["accepted"], first["refused"]) == (2, 1)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 2


def test_roster_snapshot_holds_digests_not_tickets(client, hall):
    cls, (hoa, *_), token, _ = hall
    snapshot = client.get(f"/api/v1/classes/{cls.plan.code}/{cls.code}/roster", headers=bearer(token)).json
    assert len(snapshot["people"]) == 3
    assert ticket_token(hoa.id) not in json.dumps(snapshot)
    from bdgtrain.rules.tokens import digest
    assert digest(ticket_token(hoa.id)) in {p["digest"] for p in snapshot["people"]}


def test_ticket_page_shows_the_card_and_unknown_token_is_a_plain_404(client, hall):
    cls, (hoa, *_), _, _ = hall
    page = client.get(f"/T/{ticket_token(hoa.id)}")
    assert page.status_code == 200 and hoa.person.full_name in page.get_data(as_text=True)
    assert "<svg" in page.get_data(as_text=True)
    assert client.get("/T/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    png = client.get(f"/T/{ticket_token(hoa.id)}/qr.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_room_code_flow_on_a_phone_that_opened_its_ticket(client, hall):
    cls, (hoa, *_), _, _ = hall
    client.get(f"/T/{ticket_token(hoa.id)}")  # the phone remembers her ticket
    code, _left = rooms.current_room_code(cls, utcnow())
    page = client.get(f"/R/{rooms.room_token(cls)}/{code}").get_data(as_text=True)
    assert hoa.person.full_name in page
    import re

    from tests.conftest import csrf_from
    proof = re.search(r'name="proof" value="([^"]+)"', page).group(1)
    done = client.post(f"/R/{rooms.room_token(cls)}", data={"proof": proof, "csrf_token": csrf_from(page)})
    assert "Đã điểm danh" in done.get_data(as_text=True)
    assert db.session.scalar(select(Attendance.status)) == "present"


def test_room_code_by_phone_and_birth_year(client, hall):
    cls, (hoa, *_), _, _ = hall
    code, _left = rooms.current_room_code(cls, utcnow())
    page = client.get(f"/R/{rooms.room_token(cls)}/{code}").get_data(as_text=True)
    import re

    from tests.conftest import csrf_from
    proof = re.search(r'name="proof" value="([^"]+)"', page).group(1)
    wrong = client.post(f"/R/{rooms.room_token(cls)}", data={
        "proof": proof, "csrf_token": csrf_from(page), "phone": hoa.person.phone, "birth_year": "1999"})
    assert wrong.status_code == 422 and "Không tìm thấy" in wrong.get_data(as_text=True)
    right = client.post(f"/R/{rooms.room_token(cls)}", data={
        "proof": proof, "csrf_token": csrf_from(page), "phone": hoa.person.phone, "birth_year": "1980"})
    assert "Đã điểm danh" in right.get_data(as_text=True)


def test_cli_prints_tickets_as_json_and_creates_api_tokens(runner, hall, app):
    cls, enrolments, _, _ = hall
    out = runner.invoke(args=["checkin", "tickets", "--class", cls.code, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert len(data["tickets"]) == 3
    assert data["tickets"][0]["ticket_url"].startswith("HTTP://127.0.0.1:5000/T/")
    created = runner.invoke(args=["api-token", "create", "--user", "tochuc@test.vn", "--label", "cổng"])
    assert created.exit_code == 0 and created.output.strip().startswith("bdg_")
    client = app.test_client()
    answer = client.post("/api/v1/checkins", json={"token": data["tickets"][0]["ticket_url"]},
                         headers=bearer(created.output.strip()))
    assert answer.json["status"] == "checked_in"


def test_scan_log_lists_refused_scans(client, hall, web):
    cls, (hoa, *_), token, _ = hall
    client.post("/api/v1/checkins", json={"token": "garbage", "class": f"{cls.plan.code}/{cls.code}"},
                headers=bearer(token))
    web.login("tochuc@test.vn")
    page = client.get(f"/plans/{cls.plan.code}/classes/{cls.code}/scans").get_data(as_text=True)
    assert "Mã không hợp lệ" in page and "garbage" in page


def test_wrong_class_card_held_up_at_a_scanner_is_logged_once_on_the_scanners_class_page(client, hall, web):
    cls, (hoa, *_), token, _ = hall
    lop_a, _people = make.class_open_now(cls.plan, "LOP-A", people=1)
    db.session.commit()
    body = {"token": ticket_token(hoa.id), "class": f"{cls.plan.code}/LOP-A", "device": "web-5470cb7a",
            "source": "scanner"}
    answers = [client.post("/api/v1/checkins", json={**body, "nonce": f"sighting-{n}"}, headers=bearer(token)).json
               for n in range(2)]
    assert [a["status"] for a in answers] == ["wrong_class", "wrong_class"]
    web.login("tochuc@test.vn")
    scans_of = {code: client.get(f"/plans/{cls.plan.code}/classes/{code}/scans").get_data(as_text=True)
                for code in ("LOP-A", cls.code)}
    assert scans_of["LOP-A"].count(hoa.person.full_name) == 1 and "Vé của lớp khác" in scans_of["LOP-A"]
    assert hoa.person.full_name not in scans_of[cls.code]


def test_scanner_form_pressed_twice_checks_in_and_logs_once(client, hall, web):
    cls, (hoa, *_), _token, _ = hall
    from bdgtrain.models import CheckinScan
    web.login("tochuc@test.vn")
    page = f"/plans/{cls.plan.code}/classes/{cls.code}/scanner"
    answers = [web.post(page, {"token": ticket_token(hoa.id)}, token_page=page) for _ in range(2)]
    assert all(a.status_code == 200 for a in answers)
    assert db.session.scalar(select(func.count()).select_from(CheckinScan)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_class_form_sets_checkin_settings_and_refuses_out_of_range(app, web, client):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org, "KH-QR")
    db.session.commit()
    web.login("tochuc@test.vn")
    form = {"code": "LOP-Z", "title": "Lớp Z", "date_expression": "11-12/7/2019", "status": "planned",
            "checkin_opens_minutes": "30", "late_after_minutes": "10", "room_code_seconds": "4",
            "completion_percent": "100"}
    refused = web.post(f"/plans/{plan.code}/classes/new", form, token_page=f"/plans/{plan.code}/classes/new")
    assert refused.status_code == 422 and "Từ 5 đến 3600 giây." in refused.get_data(as_text=True)
    form["room_code_seconds"] = "30"
    created = web.post(f"/plans/{plan.code}/classes/new", form, token_page=f"/plans/{plan.code}/classes/new")
    assert created.status_code in (302, 303)
    from bdgtrain.models import TrainingClass
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-Z"))
    assert (cls.checkin_opens_minutes, cls.late_after_minutes, cls.room_code_seconds, cls.completion_percent) == \
        (30, 10, 30, 100)


@pytest.mark.parametrize("page", ["live", "attendance", "cards", "scanner?q=nguyen"])
def test_checkin_pages_query_count_does_not_grow_with_people(app, web, count_queries, page):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org, "KH-QR")
    small, few_people = make.class_open_now(plan, "LOP-NHO", people=2, sessions=2)
    large, many_people = make.class_open_now(plan, "LOP-LON", people=25, sessions=2)
    for enrolment in few_people[:1] + many_people[:10]:
        checkin.perform_checkin(ticket_token(enrolment.id), source="scanner")
    db.session.commit()
    web.login("tochuc@test.vn")

    def statements(cls):
        with count_queries() as counter:
            response = web.client.get(f"/plans/{plan.code}/classes/{cls.code}/{page}")
            assert response.status_code == 200
        return counter.count

    assert statements(large) == statements(small)


def test_room_code_typed_on_the_ticket_page(client, hall):
    cls, (hoa, lan, _), _, _ = hall
    from tests.conftest import csrf_from
    page = client.get(f"/T/{ticket_token(hoa.id)}").get_data(as_text=True)
    code, _left = rooms.current_room_code(cls, utcnow())
    done = client.post(f"/T/{ticket_token(hoa.id)}/code", data={"room_code": code, "csrf_token": csrf_from(page)})
    assert "Đã điểm danh" in done.get_data(as_text=True)
    wrong_code = "000000" if code != "000000" else "111111"
    refused = client.post(f"/T/{ticket_token(lan.id)}/code",
                          data={"room_code": wrong_code, "csrf_token": csrf_from(page)})
    assert "Mã phòng không đúng hoặc đã hết hạn" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_behind_a_proxy_ticket_links_use_its_https_address(database_url):
    from bdgtrain.services.checkin.tickets import ticket_url
    from bdgtrain.web.common import link_base
    from tests.conftest import make_app

    app = make_app(database_url, PROXY_HOPS=1)
    seen = {}

    @app.route("/_probe")
    def probe():
        seen["url"] = ticket_url(7, link_base())
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hall.example.vn"})
    assert seen["url"].startswith("HTTPS://HALL.EXAMPLE.VN/T/")


def test_roster_search_matches_words_in_any_order(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    plan = make.plan(organiser_org, "KH-QR")
    cls, people = make.class_open_now(plan, "LOP-QR", people=3)
    from bdgtrain.services.checkin import attendance_view
    found = attendance_view.search_roster(cls, "001 hoa")
    assert [m.enrolment.id for m in found] == [people[1].id]
    assert len(attendance_view.search_roster(cls, "cam binh nguyen")) == 3
    assert attendance_view.search_roster(cls, "khong co ai") == []
    assert attendance_view.search_roster(cls, "oa") == []  # inside "Hoa": not the start of a word


def test_api_scan_costs_a_bounded_number_of_statements(client, hall, count_queries, backend):
    cls, (hoa, lan, mai), token, _ = hall
    tickets = [ticket_token(e.id) for e in (hoa, lan, mai)]
    client.post("/api/v1/checkins", json={"token": tickets[2]}, headers=bearer(token))  # marks the token used
    with count_queries() as first:
        assert client.post("/api/v1/checkins", json={"token": tickets[0], "nonce": "a"},
                           headers=bearer(token)).json["status"] == "checked_in"
    with count_queries() as repeat:
        assert client.post("/api/v1/checkins", json={"token": tickets[0], "nonce": "b"},
                           headers=bearer(token)).json["status"] == "already"
    # token with its user; enrolment with person/class/plan/sessions and the nonce; attendance insert;
    # scan log (on PostgreSQL both in one statement). A repeat also reads the row it found.
    # Permission checks reuse what was read.
    verbs = ("SELECT", "INSERT", "UPDATE", "WITH")
    first_count = len([s for s in first.statements if s.split()[0].upper() in verbs])
    repeat_count = len([s for s in repeat.statements if s.split()[0].upper() in verbs])
    assert (first_count, repeat_count) == ((4, 5) if backend == "sqlite" else (3, 5))


def test_api_scan_reads_before_taking_the_sqlite_write_lock(client, hall, count_queries, backend):
    cls, (hoa, lan, _), token, _ = hall
    first, second = ticket_token(hoa.id), ticket_token(lan.id)
    client.post("/api/v1/checkins", json={"token": first}, headers=bearer(token))  # marks the token used
    with count_queries() as scan:
        assert client.post("/api/v1/checkins", json={"token": second, "nonce": "x"},
                           headers=bearer(token)).json["status"] == "checked_in"
    verbs = [" ".join(s.split()[:2]).upper() if s.upper().startswith("BEGIN") else s.split()[0].upper()
             for s in scan.statements]
    # token, ticket: without the lock; then the two INSERTs under BEGIN IMMEDIATE. PostgreSQL has no
    # database-wide write lock: the same reads, then both writes in one statement, in one transaction
    # (BEGIN is implicit there).
    expected = (["BEGIN", "SELECT", "SELECT", "COMMIT", "BEGIN IMMEDIATE", "INSERT", "INSERT"] if backend == "sqlite"
                else ["SELECT", "SELECT", "WITH"])
    assert verbs == expected


def test_api_scan_commits_before_its_answer_is_built(client, hall, monkeypatch):
    """The scan's transaction (SQLite's write lock) ends when the view returns, not in the after-request hooks."""
    from bdgtrain.web import boundary

    cls, (hoa, lan, mai), token, other_token = hall
    seen, boundary_commit = [], boundary.commit_request

    def look_then_commit():  # what the request boundary's hook finds when it comes to commit
        with db.engine.connect() as other:  # another connection sees only what was committed
            seen.append((request.path, db.session().in_transaction(),
                         other.scalar(select(func.count()).select_from(Attendance))))
        boundary_commit()

    monkeypatch.setattr(boundary, "commit_request", look_then_commit)
    assert client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id), "nonce": "c1"},
                       headers=bearer(token)).json["status"] == "checked_in"
    batch = {"class": f"{cls.plan.code}/{cls.code}", "scans": [{"token": ticket_token(lan.id), "nonce": "c2"}]}
    assert client.post("/api/v1/checkins/batch", json=batch, headers=bearer(token)).json["accepted"] == 1
    assert seen == [("/api/v1/checkins", False, 1), ("/api/v1/checkins/batch", False, 2)]
    # A refused scan commits nothing: its answer is an error, which the boundary rolls back.
    assert client.post("/api/v1/checkins", json={"token": ticket_token(mai.id)},
                       headers=bearer(other_token)).status_code == 403
    assert len(seen) == 2 and db.session.scalar(select(func.count()).select_from(Attendance)) == 2


def test_batch_scan_of_another_organisers_class_is_refused_and_not_recorded(client, hall):
    cls, (hoa, *_), _, other_token = hall
    answer = client.post("/api/v1/checkins/batch", json={"scans": [{"token": ticket_token(hoa.id), "nonce": "z"}]},
                         headers=bearer(other_token)).json
    assert answer["results"][0]["status"] == "forbidden" and answer["refused"] == 1
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


@pytest.fixture
def token_cache(app):
    api_tokens.clear_cache()
    app.config["API_TOKEN_CACHE_SECONDS"] = 30
    yield
    app.config["API_TOKEN_CACHE_SECONDS"] = 0
    api_tokens.clear_cache()


def test_cached_token_saves_its_statement_and_a_revocation_elsewhere_holds_at_most_30_s(
        client, hall, count_queries, token_cache, monkeypatch, backend):
    import time as clock

    from bdgtrain.models import ApiToken

    cls, (hoa, lan, mai), token, _ = hall
    tickets = [ticket_token(e.id) for e in (hoa, lan, mai)]
    assert client.post("/api/v1/checkins", json={"token": tickets[0]}, headers=bearer(token)).status_code == 200
    with count_queries() as cached:
        answer = client.post("/api/v1/checkins", json={"token": tickets[1], "nonce": "c"}, headers=bearer(token))
    assert answer.json["status"] == "checked_in"
    # the ticket, then her attendance and the scan's log (one statement on PostgreSQL)
    writes_and_reads = [s for s in cached.statements if s.split()[0].upper() in ("SELECT", "INSERT", "UPDATE", "WITH")]
    assert len(writes_and_reads) == (3 if backend == "sqlite" else 2)
    # Revoked by another process (straight in the database): this one trusts its copy for up to 30 s.
    db.session.execute(ApiToken.__table__.update().values(revoked_at=utcnow()))
    db.session.commit()
    assert client.post("/api/v1/checkins", json={"token": tickets[2]}, headers=bearer(token)).status_code == 200
    later = clock.monotonic() + 31
    monkeypatch.setattr(clock, "monotonic", lambda: later)
    assert client.post("/api/v1/checkins", json={"token": tickets[2]}, headers=bearer(token)).status_code == 401


def test_token_revoked_in_this_process_is_refused_at_once_despite_the_cache(client, hall, token_cache):
    from bdgtrain.models import ApiToken

    cls, (hoa, *_), token, _ = hall
    assert client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id)},
                       headers=bearer(token)).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.label == "máy quét 1"))
    api_tokens.revoke_token(None, row)
    db.session.commit()
    assert client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id)},
                       headers=bearer(token)).status_code == 401


def test_a_flood_of_scans_from_one_device_is_rate_limited(app, client, hall, monkeypatch):
    cls, (hoa, *_), token, other_token = hall
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "3 per minute")
    answers = [client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id), "nonce": f"f{i}"},
                           headers=bearer(token)) for i in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0", "0", "0"]
    assert answers[0].headers["X-RateLimit-Limit"] == "3" and 0 < int(answers[3].headers["Retry-After"]) <= 60
    assert answers[3].json["error"]["code"] == "too_many_requests"
    # The limit is per API user: another organiser's scanner is not held up by this one.
    assert client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id)},
                       headers=bearer(other_token)).status_code == 403


def test_counting_scans_starts_no_thread_and_still_forgets_expired_counters(app, client, hall, monkeypatch):
    import threading

    from bdgtrain.extensions import SweepingMemoryStorage, limiter

    cls, (hoa, lan, mai), token, _ = hall
    storage = limiter.storage
    assert isinstance(storage, SweepingMemoryStorage)  # what memory:// (the tests' and the default) maps to
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    for i, enrolment in enumerate((hoa, lan, mai)):
        assert client.post("/api/v1/checkins", json={"token": ticket_token(enrolment.id), "nonce": f"t{i}"},
                           headers=bearer(token)).status_code == 200
    assert started == []  # limits' own memory storage started a Timer thread for each of them
    storage.incr("bdgtrain-test-key", expiry=0)
    storage._next_sweep = 0.0  # the next count sweeps: the expired key is dropped from memory
    storage.incr("bdgtrain-test-other", expiry=60)
    assert "bdgtrain-test-key" not in storage.storage and storage.get("bdgtrain-test-other") == 1

"""Personal data never reaches the logs, nor a URL beyond the signed tokens.

The typical flows (upload and submit a list, roster and exports, tickets, room check-in by phone and
birth year, the scanner API, a failed e-mail, an unexpected database error) run with every logger at
DEBUG; the captured output must not contain any test person's name, phone, e-mail or ID number.
"""
from __future__ import annotations

import io
import logging
import re
import smtplib

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bdgtrain.extensions import db
from bdgtrain.models import MailMessage, Organisation, Person
from bdgtrain.models.base import utcnow
from bdgtrain.rules.names import fold
from bdgtrain.security import ticket_token
from bdgtrain.services.accounts import api_tokens
from bdgtrain.services.calendar import mail
from bdgtrain.services.checkin import rooms
from bdgtrain.services.demo.demo import load_demo
from tests import factories as make
from tests import list_files as files
from tests.conftest import csrf_from

UPLOAD = "/plans/HT-2019/classes/LOP-3/lists/upload"
ROSTER = "/plans/HT-2019/classes/LOP-3/roster"
PERSONAL_WORDS = re.compile(r"(?:^|_)(?:name|full_name|phone|email|mail|id_number|cccd|birth\w*|address)(?:$|_)",
                            re.IGNORECASE)


def org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)  # the root logger: the app's, werkzeug's, SQLAlchemy's, alembic's
    for name in ("bdgtrain", "werkzeug", "sqlalchemy", "flask_limiter"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield caplog
    for name in ("bdgtrain", "werkzeug", "sqlalchemy", "flask_limiter"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def _secrets(people: list[Person]) -> set[str]:
    values = set()
    for person in people:
        values |= {person.full_name, fold(person.full_name), person.phone, person.email, person.id_number}
    return {v for v in values if v and len(v) >= 6}


def test_typical_flows_leave_no_personal_data_in_the_logs(app, web, everything_logged, monkeypatch):
    load_demo()
    make.user("noivu@test.vn", "supplier", org("SNV"))
    organiser = make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    make.commit()

    web.login("noivu@test.vn")
    token = web.csrf(UPLOAD)
    source = re.search(r'name="source_org_id"[^>]*>\s*<option[^>]*value="(\d+)"',
                       web.client.get(UPLOAD).get_data(as_text=True)).group(1)
    uploaded = web.client.post(UPLOAD, data={"csrf_token": token, "source_org_id": source,
                                             "file": (io.BytesIO(files.snv_xlsx(files.SNV_LOP3)), "ds.xlsx")},
                               content_type="multipart/form-data")
    assert uploaded.status_code == 303
    web.client.get(uploaded.headers["Location"])
    assert web.post(uploaded.headers["Location"] + "/submit", token_page=UPLOAD).status_code == 303
    web.client.post("/logout", data={"csrf_token": web.csrf("/")})

    web.login("tochuc@test.vn")
    for url in (ROSTER, ROSTER + ".xlsx", ROSTER + ".csv", "/plans/HT-2019/classes/LOP-3/sign-in-sheet",
                "/plans/HT-2019/classes/LOP-3/attendance", ROSTER + "?q=nguyen"):
        assert web.client.get(url).status_code == 200, url

    # A class open now: tickets, the room code by phone and birth year, the scanner API.
    from bdgtrain.services.planning import lookups

    cls, enrolments = make.class_open_now(lookups.get_plan("HT-2019"), code="LOP-QR", people=3)
    api_token, _row = api_tokens.create_token(None, organiser, "máy quét")
    make.commit()
    first, second, *_ = enrolments
    web.client.get(f"/T/{ticket_token(first.id)}")
    code, _left = rooms.current_room_code(cls, utcnow())
    page = web.client.get(f"/R/{rooms.room_token(cls)}/{code}").get_data(as_text=True)
    proof = re.search(r'name="proof" value="([^"]+)"', page).group(1)
    web.client.post(f"/R/{rooms.room_token(cls)}", data={"proof": proof, "csrf_token": csrf_from(page),
                                                          "phone": second.person.phone, "birth_year": "1999"})
    web.client.post(f"/R/{rooms.room_token(cls)}", data={"proof": proof, "csrf_token": csrf_from(page),
                                                          "phone": second.person.phone, "birth_year": "1980"})
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert web.client.post("/api/v1/checkins", json={"token": ticket_token(first.id)},
                           headers=bearer).status_code == 200
    web.client.get(f"/api/v1/classes/HT-2019/{cls.code}/roster", headers=bearer)

    # An e-mail the server refuses, quoting the address.
    first.person.email = "hoa.nguyen@example.vn"
    message = MailMessage(kind="invitation", class_id=cls.id, enrolment_id=first.id, recipient=first.person.email)
    db.session.add(message)
    make.commit()

    def refuse(message, now, base_url):
        raise smtplib.SMTPRecipientsRefused({message.recipient: (550, b"5.1.1 user unknown")})

    monkeypatch.setattr(mail, "build_email", refuse)
    mail.deliver(message.id, mail.Transport(app.config), utcnow(), app.config["BASE_URL"])
    make.commit()

    # An unexpected database error whose driver text quotes the row.
    victim = db.session.scalar(select(Person).where(Person.phone.is_not(None)).limit(1))
    leak = (f"duplicate key value violates unique constraint DETAIL: Key (id_number, full_name)="
            f"({victim.id_number}, {victim.full_name}, {victim.phone}) already exists")

    from bdgtrain.errors import _log_unexpected

    with app.test_request_context(ROSTER):  # what the 500 handler logs for such an error
        try:
            raise IntegrityError("INSERT INTO people ...", {"full_name": victim.full_name}, Exception(leak))
        except IntegrityError as error:
            _log_unexpected(app, error)

    people = list(db.session.scalars(select(Person)))
    assert len(people) >= 7
    logged = everything_logged.text  # formatted, with tracebacks
    # the failures were logged, without the data
    assert "mail 1 not sent" in logged and "Unhandled error on GET /plans/HT-2019/classes/LOP-3/roster" in logged
    leaked = sorted(value for value in _secrets(people) if value in logged)
    assert leaked == [], f"personal data in the logs: {leaked}"


def test_no_route_takes_a_name_phone_or_email(app):
    offending = [(rule.rule, name) for rule in app.url_map.iter_rules() for name in rule.arguments
                 if PERSONAL_WORDS.search(name)]
    assert offending == []
    # Person pages are addressed by the registry id (admin only); participants' pages by signed tokens.
    participant_rules = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith(("/T/", "/R/", "/cal/"))]
    assert participant_rules and all(set(re.findall(r"<(?:\w+:)?(\w+)>", r)) <= {"token", "room", "room_code", "kind",
                                                                                "code", "class_code"}
                                     for r in participant_rules)

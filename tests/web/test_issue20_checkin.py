"""Issue 20, findings 3 and 9: a room-code proof checks in one person from one browser, and a scan
nonce names one ticket.

3. The proof a phone gets from GET /R/<room>/<code> was accepted again, for 15 minutes, for anyone's
   phone number and birth year and from any browser: one person in the hall could mark absent
   colleagues present. Now it is bound to the browser that opened the code (a secret in an HttpOnly
   cookie, whose digest the proof carries) and used once; a wrong phone or birth year answers
   exactly as an unknown person does and is counted (per proof, and per address).
9. A nonce sent again with another ticket was answered "checked_in" with the first person's name,
   and the second scan was dropped silently. Now it is a conflict that names nobody; the first
   scan stands.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance, CheckinScan
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.accounts import api_tokens
from bdgtrain.services.checkin import checkin, rooms
from tests import factories as make
from tests.conftest import csrf_from


@pytest.fixture
def hall(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org, "KH-QR")
    cls, enrolments = make.class_open_now(plan, "LOP-QR", people=3)
    token, _row = api_tokens.create_token(None, organiser, "máy quét 1")
    db.session.commit()
    return cls, enrolments, token


def _attended() -> set[int]:
    return set(db.session.scalars(select(Attendance.enrolment_id)).all())


class Phone:
    """One browser in the hall: opens the projector's code, then identifies someone."""

    def __init__(self, app, cls):
        self.client = app.test_client()
        self.room = rooms.room_token(cls)
        self.cls = cls
        self.page = ""

    def scan(self) -> str:
        code, _left = rooms.current_room_code(self.cls, utcnow())
        self.page = self.client.get(f"/R/{self.room}/{code}").get_data(as_text=True)
        return self.proof

    @property
    def proof(self) -> str:
        return re.search(r'name="proof" value="([^"]*)"', self.page).group(1)

    def identify(self, enrolment=None, *, phone=None, birth_year="1980", proof=None, csrf=None):
        phone = phone if phone is not None else enrolment.person.phone
        return self.client.post(f"/R/{self.room}", data={
            "proof": proof if proof is not None else self.proof, "csrf_token": csrf or csrf_from(self.page),
            "phone": phone, "birth_year": birth_year})


# --- finding 3 ------------------------------------------------------------------------------------

def test_a_room_proof_checks_in_one_person_only(app, hall):
    cls, (hoa, lan, mai), _token = hall
    phone = Phone(app, cls)
    phone.scan()
    first = phone.identify(hoa)
    assert "Đã điểm danh" in first.get_data(as_text=True)
    proof_page = phone.page  # the same proof, sent again for two colleagues who are not in the hall
    for colleague in (lan, mai):
        again = phone.client.post(f"/R/{phone.room}", data={
            "proof": re.search(r'name="proof" value="([^"]*)"', proof_page).group(1),
            "csrf_token": csrf_from(proof_page), "phone": colleague.person.phone, "birth_year": "1980"})
        text = again.get_data(as_text=True)
        assert colleague.person.full_name not in text and "Đã điểm danh." not in text
    assert _attended() == {hoa.id}


def test_a_room_proof_from_another_browser_is_refused(app, hall):
    cls, (hoa, lan, _mai), _token = hall
    hers = Phone(app, cls)
    proof = hers.scan()
    other = Phone(app, cls)  # another browser, given her page's proof (a screenshot, a forwarded link)
    other.page = other.client.get("/login").get_data(as_text=True)
    answer = other.identify(lan, proof=proof, csrf=csrf_from(other.page))
    assert lan.person.full_name not in answer.get_data(as_text=True)
    assert "Mã phòng không đúng hoặc đã hết hạn" in answer.get_data(as_text=True)
    other.scan()  # even with a proof of its own, another browser's cookie does not fit her proof
    answer = other.identify(lan, proof=proof)
    assert "Mã phòng không đúng hoặc đã hết hạn" in answer.get_data(as_text=True)
    assert _attended() == set()
    assert "Đã điểm danh" in hers.identify(hoa).get_data(as_text=True)  # her own browser still can
    assert _attended() == {hoa.id}


def _without_values(html: str) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', html)


def test_a_wrong_birth_year_answers_exactly_as_an_unknown_phone(app, hall):
    cls, (hoa, *_), _token = hall
    phone = Phone(app, cls)
    phone.scan()
    wrong_year = phone.identify(hoa, birth_year="1999")
    unknown = phone.identify(phone="0987000111", birth_year="1980")
    assert wrong_year.status_code == unknown.status_code == 422
    assert _without_values(wrong_year.get_data(as_text=True)) == _without_values(unknown.get_data(as_text=True))
    assert hoa.person.full_name not in wrong_year.get_data(as_text=True)


def test_wrong_identifications_spend_the_proof(app, hall):
    cls, (hoa, *_), _token = hall
    phone = Phone(app, cls)
    phone.scan()
    for year in ("1990", "1991", "1992"):
        assert phone.identify(hoa, birth_year=year).status_code == 422
    spent = phone.identify(hoa)  # the right answer, after three guesses: scan the projector again
    assert "Mã phòng không đúng hoặc đã hết hạn" in spent.get_data(as_text=True)
    assert _attended() == set()
    phone.scan()
    assert "Đã điểm danh" in phone.identify(hoa).get_data(as_text=True)


def test_wrong_identifications_count_towards_the_address_limit(app, hall, monkeypatch):
    cls, (hoa, *_), _token = hall
    monkeypatch.setitem(app.config, "ROOM_IDENTIFY_FAILURE_LIMIT", "4 per 15 minutes")
    phone = Phone(app, cls)
    statuses = []
    for year in ("1990", "1991", "1992", "1993", "1994"):
        phone.scan()  # a fresh proof each time: the address still counts every wrong guess
        statuses.append(phone.identify(hoa, birth_year=year).status_code)
    assert statuses == [422, 422, 422, 422, 429]
    phone.scan()
    blocked = phone.identify(hoa)
    assert blocked.status_code == 429 and "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)
    assert _attended() == set()


def test_a_remembered_ticket_still_checks_in_with_the_room_code(app, hall):
    cls, (hoa, *_), _token = hall
    phone = Phone(app, cls)
    phone.client.get(f"/T/{ticket_token(hoa.id)}")
    phone.scan()
    assert hoa.person.full_name in phone.page
    done = phone.client.post(f"/R/{phone.room}", data={"proof": phone.proof, "csrf_token": csrf_from(phone.page)})
    assert "Đã điểm danh" in done.get_data(as_text=True) and _attended() == {hoa.id}


# --- finding 9 ------------------------------------------------------------------------------------

def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_nonce_sent_again_with_another_ticket_is_a_conflict_naming_nobody(client, hall):
    cls, (hoa, lan, _mai), token = hall
    first = client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id), "nonce": "n-1"},
                        headers=bearer(token))
    assert first.json["status"] == "checked_in" and first.json["name"] == hoa.person.full_name
    second = client.post("/api/v1/checkins", json={"token": ticket_token(lan.id), "nonce": "n-1"},
                         headers=bearer(token))
    assert second.status_code == 200
    assert second.json["status"] == "conflict" and second.json["accepted"] is False
    assert second.json["name"] is None and second.json["unit"] is None and second.json["class"] is None
    assert hoa.person.full_name not in second.get_data(as_text=True)
    assert _attended() == {hoa.id}  # the first scan stands
    # The same ticket sent again with its nonce is still the harmless retry it always was.
    retry = client.post("/api/v1/checkins", json={"token": ticket_token(hoa.id), "nonce": "n-1"},
                        headers=bearer(token))
    assert retry.json["status"] == "checked_in" and retry.json["name"] == hoa.person.full_name
    # The conflict is in the scan log (not dropped), against the second ticket, without the nonce.
    logged = db.session.execute(select(CheckinScan.outcome, CheckinScan.enrolment_id, CheckinScan.nonce)
                                .order_by(CheckinScan.id)).all()
    assert [tuple(r) for r in logged] == [("checked_in", hoa.id, "n-1"), ("conflict", lan.id, None)]


def test_a_batch_answers_a_reused_nonce_as_a_conflict(client, hall):
    cls, (hoa, lan, mai), token = hall
    body = {"class": f"{cls.plan.code}/{cls.code}",
            "scans": [{"token": ticket_token(hoa.id), "nonce": "q-1"}, {"token": ticket_token(lan.id), "nonce": "q-1"},
                      {"token": ticket_token(mai.id), "nonce": "q-2"}]}
    answer = client.post("/api/v1/checkins/batch", json=body, headers=bearer(token)).json
    assert [r["status"] for r in answer["results"]] == ["checked_in", "conflict", "checked_in"]
    assert answer["results"][1]["name"] is None
    assert (answer["accepted"], answer["refused"]) == (2, 1)
    assert _attended() == {hoa.id, mai.id}


def test_the_service_answers_conflict_for_an_invalid_token_after_a_real_one(app, hall):
    cls, (hoa, *_), _token = hall
    assert checkin.perform_checkin(ticket_token(hoa.id), source="api", nonce="s-1").outcome == "checked_in"
    clash = checkin.perform_checkin("NOT-A-TICKET", source="api", nonce="s-1")
    assert clash.outcome == "conflict" and clash.person_name is None and not clash.accepted
    assert "khác" in clash.message

"""A participant's e-mail and phone (issue 21): edited by the organiser from the roster, filled in on the
invitation page for those without an address; checked, audited, and out of reach for everyone else."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Enrolment, MailMessage, Person
from tests import seats_world as world
from tests.conftest import Browserless

ROSTER = "/plans/KH-2019/classes/LOP-3/roster"
INVITATIONS = "/plans/KH-2019/classes/LOP-3/invitations"


@pytest.fixture
def w(app):
    built = world.build(capacity=None)
    world.send_list(built.cls, built.snv, world.people(3))
    return built


def _login(app, email: str) -> Browserless:
    web = Browserless(app.test_client())
    assert web.login(email).status_code == 302
    return web


def _enrolment(n: int) -> Enrolment:
    name = world.people(1, start=n)[0]["name"]
    return db.session.scalar(select(Enrolment).join(Enrolment.person).where(Person.full_name == name))


def _person(n: int) -> Person:
    db.session.expire_all()
    return _enrolment(n).person


def test_the_organiser_edits_a_participants_contact_details_audited(app, w):
    organiser = _login(app, "org@example.vn")
    enrolment_id = _enrolment(0).id
    page_url = f"{ROSTER}/{enrolment_id}"
    page = organiser.client.get(page_url).get_data(as_text=True)
    assert "Thông tin liên hệ" in page and 'name="contact-email"' in page and "0912000000" in page
    response = organiser.post(f"{page_url}/contact", {"contact-email": " hoa.nt@hatinh.gov.vn ",
                                                      "contact-phone": "+84 912 000 999"}, token_page=page_url)
    assert response.status_code == 303
    assert "Đã lưu thông tin liên hệ" in organiser.client.get(response.headers["Location"]).get_data(as_text=True)
    person = _person(0)
    assert (person.email, person.phone) == ("hoa.nt@hatinh.gov.vn", "0912000999")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.contact.changed"))
    assert event.object_id == person.id
    assert event.before == {"email": None, "phone": "0912000000"}
    assert event.after == {"email": "hoa.nt@hatinh.gov.vn", "phone": "0912000999"}


@pytest.mark.parametrize(("email", "phone", "message"), [
    ("hoa.nt@", "0912000000", "không phải là địa chỉ e-mail"),
    ("", "12345", "không phải là số điện thoại"),
])
def test_a_bad_address_or_number_is_refused_in_vietnamese_and_nothing_changes(app, w, email, phone, message):
    organiser = _login(app, "org@example.vn")
    page_url = f"{ROSTER}/{_enrolment(1).id}"
    response = organiser.post(f"{page_url}/contact", {"contact-email": email, "contact-phone": phone},
                              token_page=page_url)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    person = _person(1)
    assert (person.email, person.phone) == (None, "0912000001")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "person.contact.changed")) == 0


@pytest.mark.parametrize("email", ["snv@example.vn", "hlhpn@example.vn", "other@example.vn"])
def test_suppliers_cannot_edit_contacts(app, w, email):
    supplier = _login(app, email)
    response = supplier.post(f"{ROSTER}/{_enrolment(0).id}/contact",
                             {"contact-email": "ke.gian@example.com", "contact-phone": ""})
    assert response.status_code == 403
    assert _person(0).email is None


def test_a_person_of_another_class_is_out_of_reach(app, w):
    # The organiser of both plans, through LOP-NA's URL, cannot reach a person of LOP-3: not found.
    organiser = _login(app, "org@example.vn")
    response = organiser.post(f"/plans/KH-NA/classes/LOP-NA/roster/{_enrolment(0).id}/contact",
                              {"contact-email": "x@example.com", "contact-phone": ""})
    assert response.status_code == 404
    assert _person(0).email is None


def test_the_invitation_page_counts_and_fills_in_missing_addresses(app, w):
    organiser = _login(app, "org@example.vn")
    page = organiser.client.get(INVITATIONS).get_data(as_text=True)
    assert "3 người chưa có địa chỉ e-mail" in page
    inputs = re.findall(r'name="email-(\d+)"', page)
    assert sorted(map(int, inputs)) == sorted(_enrolment(n).id for n in range(3))
    response = organiser.post(INVITATIONS + "/emails", {f"email-{_enrolment(0).id}": "hoa@hatinh.gov.vn",
                                                         f"email-{_enrolment(1).id}": "",
                                                         f"email-{_enrolment(2).id}": "lan@gmail.com"},
                              token_page=INVITATIONS)
    assert response.status_code == 303
    page = organiser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu 2 địa chỉ e-mail" in page and "1 người chưa có địa chỉ e-mail" in page
    assert [_person(n).email for n in range(3)] == ["hoa@hatinh.gov.vn", None, "lan@gmail.com"]
    # ...and the invitations now reach them.
    sent = organiser.post(INVITATIONS, {"action": "invite", "confirmed": "yes"}, token_page=INVITATIONS)
    assert sent.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(MailMessage)) == 2


def test_one_bad_address_saves_none_and_names_the_person(app, w):
    organiser = _login(app, "org@example.vn")
    response = organiser.post(INVITATIONS + "/emails", {f"email-{_enrolment(0).id}": "hoa@hatinh.gov.vn",
                                                         f"email-{_enrolment(1).id}": "chưa có"},
                              token_page=INVITATIONS)
    page = organiser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không lưu địa chỉ nào" in page and world.people(1, start=1)[0]["name"] in page
    assert [_person(n).email for n in range(2)] == [None, None]


def test_an_address_for_someone_outside_the_class_is_not_found(app, w):
    organiser = _login(app, "org@example.vn")
    response = organiser.post("/plans/KH-NA/classes/LOP-NA/invitations/emails",
                              {f"email-{_enrolment(0).id}": "x@example.com"}, token_page=INVITATIONS)
    assert response.status_code == 404
    assert _person(0).email is None


def test_suppliers_cannot_fill_in_addresses(app, w):
    supplier = _login(app, "snv@example.vn")
    response = supplier.post(INVITATIONS + "/emails", {f"email-{_enrolment(0).id}": "x@example.com"})
    assert response.status_code == 403
    assert _person(0).email is None


def test_a_long_list_without_addresses_is_paged(app):
    w = world.build(capacity=None)
    world.send_list(w.cls, w.snv, world.people(30))
    organiser = _login(app, "org@example.vn")
    first = organiser.client.get(INVITATIONS).get_data(as_text=True)
    assert "30 người chưa có địa chỉ e-mail" in first and len(re.findall(r'name="email-\d+"', first)) == 25
    second = organiser.client.get(INVITATIONS + "?page=2").get_data(as_text=True)
    assert len(re.findall(r'name="email-\d+"', second)) == 5

"""Certificates: issued to completers only, revoked with a reason, re-issued; tokens verify or not."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, TrainingClass
from bdgtrain.services.certificates import certificates
from tests import monitoring_world


def _class(code):
    return db.session.scalar(select(TrainingClass).where(TrainingClass.code == code))


@pytest.fixture
def world(app):
    plan, enrolments = monitoring_world.build()
    monitoring_world.save_signer(plan)
    return plan, enrolments


def test_issue_gives_one_certificate_to_each_completer_and_none_to_others(app, world):
    _plan, people = world
    issued = certificates.issue_certificates(None, _class("LOP-3"))
    holders = sorted(c.enrolment.person.full_name for c in issued)
    # Đào attended 1 of 4, Cúc none, Hạnh declined: no certificate.
    assert holders == ["Lê Văn Minh", "Nguyễn Thị Hoa", "Trần Thị Lan"]
    # Numbered in Vietnamese name order (by given name: Hoa, Lan, Minh).
    assert [(c.number, c.enrolment.person.full_name) for c in issued] == [
        ("HT-2019/LOP-3/001", "Nguyễn Thị Hoa"), ("HT-2019/LOP-3/002", "Trần Thị Lan"),
        ("HT-2019/LOP-3/003", "Lê Văn Minh")]
    assert certificates.issue_certificates(None, _class("LOP-3")) == []  # a second run: nothing new
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("certificate.issued") == 3


def test_issue_refuses_a_cancelled_class_and_a_class_without_completers(app, world):
    with pytest.raises(DomainError) as cancelled:
        certificates.issue_certificates(None, _class("LOP-1"))
    assert cancelled.value.code == "class_cancelled"
    with pytest.raises(DomainError) as nobody:
        certificates.issue_certificates(None, _class("LOP-2"))
    assert nobody.value.code == "no_completers"


def test_token_verifies_valid_then_revoked_and_a_tampered_token_finds_nothing(app, world):
    certificate = certificates.issue_certificates(None, _class("LOP-4"))[0]
    token = certificates.certificate_token(certificate)
    assert certificates.find_certificate(token).id == certificate.id
    assert certificates.find_certificate(token.lower()).id == certificate.id
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert certificates.find_certificate(tampered) is None
    from bdgtrain.security import ticket_token
    assert certificates.find_certificate(ticket_token(certificate.id)) is None  # another purpose
    certificates.revoke_certificate(None, certificate, "  Ghi sai   họ tên ")
    found = certificates.find_certificate(token)
    assert found.is_revoked and found.revoke_reason == "Ghi sai họ tên"


def test_revoke_needs_a_reason_and_happens_once(app, world):
    certificate = certificates.issue_certificates(None, _class("LOP-4"))[0]
    for reason in ("", "   ", None):
        with pytest.raises(DomainError) as missing:
            certificates.revoke_certificate(None, certificate, reason)
        assert missing.value.code == "reason_required" and missing.value.field == "reason"
    with pytest.raises(DomainError) as long:
        certificates.revoke_certificate(None, certificate, "x" * 501)
    assert long.value.code == "reason_too_long"
    assert not certificate.is_revoked
    certificates.revoke_certificate(None, certificate, "Điểm danh bị sửa")
    with pytest.raises(DomainError) as twice:
        certificates.revoke_certificate(None, certificate, "lần hai")
    assert twice.value.code == "already_revoked"


def test_reissue_revokes_the_old_one_and_gives_a_new_number(app, world):
    old = certificates.issue_certificates(None, _class("LOP-4"))[0]
    new = certificates.reissue_certificate(None, old)
    assert old.is_revoked and old.revoke_reason == "Cấp lại"
    assert new.replaces_id == old.id and new.number != old.number and not new.is_revoked
    assert certificates.current_for_enrolment(old.enrolment_id).id == new.id
    with pytest.raises(DomainError) as again:
        certificates.reissue_certificate(None, old)  # the holder already has the new one
    assert again.value.code == "already_holds"
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["certificate.revoked", "certificate.reissued"]


def test_no_reissue_for_someone_who_no_longer_completes(app, world):
    _plan, people = world
    certificate = certificates.issue_certificates(None, _class("LOP-4"))[0]
    certificate.enrolment.status = "declined"
    db.session.flush()
    with pytest.raises(DomainError) as refused:
        certificates.reissue_certificate(None, certificate)
    assert refused.value.code == "not_completed"


def test_hours_and_dates_come_from_the_held_sessions(app, world):
    cls = _class("LOP-3")
    assert certificates.held_hours(cls) == 15.0  # 2 days × (4 h + 3.5 h)
    first, last = certificates.held_dates(cls)
    assert (first.isoformat(), last.isoformat()) == ("2019-07-15T00:30:00+00:00", "2019-07-16T10:00:00+00:00")


def test_the_list_page_shows_the_columns_and_counts_of_the_certificates_themselves(app, world):
    """The list's page, read as columns with the class's counts in one statement, holds what the certificates
    read as entities hold, revoked and re-issued ones included, in the same order; a page past the last shows
    the last; a class without certificates counts none."""
    cls = _class("LOP-3")
    empty = certificates.certificates_page(cls, 3)
    assert (empty.page.items, empty.page.page, empty.page.pages, empty.page.total, empty.in_force) == ([], 1, 1, 0, 0)
    issued = certificates.issue_certificates(None, cls)
    certificates.revoke_certificate(None, issued[1], "Sai tên")
    certificates.reissue_certificate(None, issued[0])
    entities = certificates.class_certificates(cls)
    assert len(entities) == 4
    shown = [(c.id, c.number, c.enrolment.person.full_name, c.issued_on, c.issued_at, c.revoked_at, c.revoke_reason)
             for c in entities]
    for number in (1, 2, 99):
        listed = certificates.certificates_page(cls, number)
        assert [tuple(row) for row in listed.page.items] == shown
        assert (listed.page.page, listed.page.pages, listed.page.total) == (1, 1, 4)
        assert listed.in_force == len(certificates.current_certificates(cls)) == certificates.current_count(cls) == 2

"""Certificates as official documents (issue 19): issued with a day, a place and a signer, each refused
when wrong with nothing issued; printed as an A4 landscape Document; old certificates still print."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bdgtrain.documents.model import Image, Paragraph
from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.localtime import local_today
from bdgtrain.models import AuditEvent, Certificate, DocumentSettings, TrainingClass
from bdgtrain.services.certificates import certificate_documents, certificates
from bdgtrain.services.certificates.certificates import CertificateDetails
from bdgtrain.services.planning.document_settings import DocumentDefaults, save_document_defaults
from tests import monitoring_world

BASE = "http://localhost/"


def _class(code):
    return db.session.scalar(select(TrainingClass).where(TrainingClass.code == code))


def _issued_count():
    return db.session.scalar(select(func.count()).select_from(Certificate))


def _texts(document):
    return [block.text for block in document.body if isinstance(block, Paragraph)]


@pytest.fixture
def world(app):
    plan, people = monitoring_world.build()
    monitoring_world.save_signer(plan)
    return plan, people


GOOD = CertificateDetails(issued_on=date(2019, 7, 20), place="Hà Tĩnh", signer_authority="KT. Giám đốc",
                          signer_title="Phó Giám đốc", signer_name="Trần Thị Mai")


def test_the_default_issue_day_is_the_class_last_held_day_not_today(app, world):
    cls = _class("LOP-3")  # held 15-16/7/2019
    offered = certificates.default_details(cls)
    assert offered == CertificateDetails(issued_on=date(2019, 7, 16), place="Hà Tĩnh", signer_authority="KT. Giám đốc",
                                         signer_title="Phó Giám đốc", signer_name="Nguyễn Văn Bình")
    issued = certificates.issue_certificates(None, cls)  # the command line's way: the defaults
    assert {(c.issued_on, c.place, c.signer_title, c.signer_name) for c in issued} == {
        (date(2019, 7, 16), "Hà Tĩnh", "Phó Giám đốc", "Nguyễn Văn Bình")}
    assert local_today() != date(2019, 7, 16)
    kept = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.issued")).first()
    assert kept.after["issued_on"] == "2019-07-16" and kept.after["signer"] == "Phó Giám đốc Nguyễn Văn Bình"


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"signer_title": "  "}, "signer_title", "documents.signer_title_missing"),
    ({"signer_name": ""}, "signer_name", "documents.signer_name_missing"),
    ({"place": " "}, "place", "place_missing"),
    ({"issued_on": date(2019, 7, 15)}, "issued_on", "issued_before_class_end"),  # the class ends on 16/7
    ({"issued_on": local_today() + timedelta(days=1)}, "issued_on", "issued_after_today"),
    ({"issued_on": None}, "issued_on", "issued_on_missing"),
    ({"place": "x" * 121}, "place", "documents.too_long"),
])
def test_each_wrong_detail_is_refused_naming_its_field_and_nothing_is_issued(app, world, change, field, code):
    with pytest.raises(DomainError) as refused:
        certificates.issue_certificates(None, _class("LOP-3"), details=replace(GOOD, **change))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message  # a Vietnamese sentence for the form
    assert _issued_count() == 0
    assert "certificate.issued" not in db.session.scalars(select(AuditEvent.action)).all()


def test_after_today_is_the_local_today_of_the_issue_moment(app, world):
    """Issued at 23:30 on 19/7/2019 in Hà Tĩnh (16:30 UTC): 20/7 is tomorrow there, 19/7 is today."""
    moment = datetime(2019, 7, 19, 16, 30, tzinfo=timezone.utc)
    with pytest.raises(DomainError) as refused:
        certificates.issue_certificates(None, _class("LOP-3"), moment, details=GOOD)
    assert refused.value.field == "issued_on"
    issued = certificates.issue_certificates(None, _class("LOP-3"), moment,
                                             details=replace(GOOD, issued_on=date(2019, 7, 19)))
    assert len(issued) == 3 and {c.issued_on for c in issued} == {date(2019, 7, 19)}


def test_no_signer_saved_nor_given_refuses_the_command_lines_issue(app, world):
    plan, _people = world
    save_document_defaults(None, plan.organiser_org, DocumentDefaults(place="Hà Tĩnh"))  # a place, nobody to sign
    with pytest.raises(DomainError) as refused:
        certificates.issue_certificates(None, _class("LOP-3"))
    assert refused.value.field == "signer_title"
    assert _issued_count() == 0


def test_chosen_details_are_kept_cleaned_and_a_reissue_copies_them(app, world):
    chosen = replace(GOOD, place="  Hà   Tĩnh ", signer_name=" Trần  Thị Mai ")
    old = certificates.issue_certificates(None, _class("LOP-4"), details=chosen)[0]
    assert (old.issued_on, old.place, old.signer_authority, old.signer_title, old.signer_name) == (
        date(2019, 7, 20), "Hà Tĩnh", "KT. Giám đốc", "Phó Giám đốc", "Trần Thị Mai")
    new = certificates.reissue_certificate(None, old)
    assert (new.issued_on, new.place, new.signer_authority, new.signer_title, new.signer_name) == (
        old.issued_on, old.place, old.signer_authority, old.signer_title, old.signer_name)


def test_the_certificate_is_a_landscape_official_document(app, world):
    plan, people = world
    issued = {c.enrolment.person.full_name: c for c in certificates.issue_certificates(None, _class("LOP-3"),
                                                                                     details=GOOD)}
    document = certificate_documents.certificate_document(issued["Nguyễn Thị Hoa"], BASE)
    assert document.landscape and document.kind == "GIẤY CHỨNG NHẬN" and document.recipients == ()
    assert (document.header.parent_body, document.header.issuing_body) == (
        "UBND TỈNH HÀ TĨNH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    assert document.header.number_line == "Số: HT-2019/LOP-3/001"
    assert document.header.date_line == "Hà Tĩnh, ngày 20 tháng 7 năm 2019"
    assert document.summary == "Hoàn thành lớp tập huấn"
    assert _texts(document) == ["Chứng nhận: Bà Nguyễn Thị Hoa", "Đơn vị: Huyện ủy Cẩm Xuyên",
                                f"Đã hoàn thành Lớp tập huấn 3 thuộc Kế hoạch {plan.number}",
                                "từ ngày 15/07/2019 đến ngày 16/07/2019, thời lượng 15 giờ"]
    assert all(b.align == "center" for b in document.body if isinstance(b, Paragraph))
    qr = [b for b in document.body if isinstance(b, Image)]
    assert len(qr) == 1 and qr[0].png.startswith(b"\x89PNG")
    assert (document.signature.authority, document.signature.title, document.signature.name) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Mai")
    minh = certificate_documents.certificate_document(issued["Lê Văn Minh"], BASE)
    assert _texts(minh)[0] == "Chứng nhận: Ông Lê Văn Minh"
    person = issued["Trần Thị Lan"].enrolment.person
    person.sex, person.birth_year, person.position = None, 1984, "Phó Chủ tịch"
    lan = _texts(certificate_documents.certificate_document(issued["Trần Thị Lan"], BASE))
    assert lan[:2] == ["Chứng nhận: Ông/Bà Trần Thị Lan",
                       "Năm sinh: 1984; Chức vụ: Phó Chủ tịch; Đơn vị: UBND huyện Đức Thọ"]


def test_a_revoked_certificate_does_not_print(app, world):
    certificate = certificates.issue_certificates(None, _class("LOP-4"), details=GOOD)[0]
    certificates.revoke_certificate(None, certificate, "Ghi sai họ tên")
    with pytest.raises(DomainError) as refused:
        certificate_documents.certificate_document(certificate, BASE)
    assert refused.value.code == "certificate_revoked"
    documents, batch = certificate_documents.class_documents(_class("LOP-4"), BASE)
    assert len(documents) == 1 and batch.total == 1  # the other holder's, in force


def test_an_old_certificate_prints_its_local_issue_day_without_a_signature(app, world):
    _plan, people = world
    # Issued before issue 19 at 01:30 on 17/7/2019 in Hà Tĩnh (18:30 UTC the day before): no details kept.
    old = Certificate(enrolment_id=people["Hồ Thị Bình"].id, number="HT-2019/LOP-4/001",
                      issued_at=datetime(2019, 7, 16, 18, 30, tzinfo=timezone.utc))
    db.session.add(old)
    db.session.flush()
    document = certificate_documents.certificate_document(old, BASE)
    assert document.header.issued_on == date(2019, 7, 17)
    assert document.header.place == "Hà Tĩnh"  # the organiser's saved place
    assert document.signature is None
    db.session.execute(DocumentSettings.__table__.delete())
    assert certificate_documents.certificate_document(old, BASE).header.place == ""
    assert certificate_documents.date_line(certificate_documents.printed_details(old)) == "Ngày 17 tháng 7 năm 2019"

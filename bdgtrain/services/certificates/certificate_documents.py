"""A certificate as an official document (Decree 30/2020/NĐ-CP), and a class's certificates as one file.

The paper is A4 landscape: the organising unit's header (under its parent as of the issue day), the
number, the place and date chosen at issue, "GIẤY CHỨNG NHẬN", who completed which class of which
plan and when, the verifying QR code, and the signer kept with the certificate. The printed words are
the document's own Vietnamese, whatever the reader's language. A revoked certificate is never printed
(as the print page, which lists only those in force). A certificate issued before issue 19 prints the
local day it was issued, the organiser's saved place, and no signature block: nobody was named then.
Official text: the words printed here stay Vietnamese (not translated).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from flask_babel import lazy_gettext as _l

from ...documents.docx_writer import write_docx
from ...documents.model import Document, Header, Image, Paragraph, Signature, place_and_date
from ...documents.pdf_writer import write_pdf
from ...errors import DomainError
from ...localtime import format_date
from ...models import Certificate, Organisation, Person, TrainingClass
from ...rules import numbers
from ..core.paging import ListPage
from ..core.qr import qr_png
from ..planning.document_settings import document_defaults, document_header, signature_of
from .certificates import (
    FILE_BATCH,
    CertificateDetails,
    current_batch,
    details_of,
    held_dates,
    held_hours,
    verification_url,
)

KIND = "GIẤY CHỨNG NHẬN"
SUMMARY = "Hoàn thành lớp tập huấn"
# One landscape page holds the header, the body, the QR and the signature block (28 mm kept for the signature
# and seal) only with the body a point below the decree's 14 and the code at 22 mm without a caption, which
# still scans from paper and from a 150 dpi rendering: the writers put the QR in the flow above the signature,
# not beside it. Measured with the longest paper the tests print (a title over two lines, every detail known).
QR_WIDTH_MM = 22.0
TEXT_PT, NAME_PT = 13.0, 15.0


def honorific(sex: str | None) -> str:
    """How the paper addresses the holder: "Bà" (F), "Ông" (M), "Ông/Bà" when her sex is not known.
    A certificate is an official paper, written as official papers are: it keeps "Ông/Bà" while every
    page, mail and form a participant reads says "Anh/Chị" (issue 21; tests/web/test_participant_address.py)."""
    return {"F": "Bà", "M": "Ông"}.get(sex or "", "Ông/Bà")


def hours_text(hours: float, locale: str | None = None) -> str:
    """22.5 -> "22,5" (a decimal comma), 15.0 -> "15": hours are counted in half-hours, so one decimal at most."""
    return numbers.decimal(hours, 0 if float(hours).is_integer() else 1, locale)


def _centred(text: str, bold: bool = False, size: float = TEXT_PT) -> Paragraph:
    return Paragraph(text, bold=bold, align="center", size=size)


def _holder_lines(person: Person) -> list[Paragraph]:
    lines = [_centred(f"Chứng nhận: {honorific(person.sex)} {person.full_name}", bold=True, size=NAME_PT)]
    year = person.birth_year or (person.birth_date.year if person.birth_date else None)
    about = [f"Năm sinh: {year}" if year else "", f"Chức vụ: {person.position}" if person.position else "",
             f"Đơn vị: {person.unit_name}" if person.unit_name else ""]
    if any(about):
        lines.append(_centred("; ".join(part for part in about if part)))
    return lines


def _class_lines(cls: TrainingClass) -> list[Paragraph]:
    plan = cls.plan
    lines = [_centred(f"Đã hoàn thành {cls.title} thuộc Kế hoạch {plan.number or plan.code}", bold=True)]
    first, last = held_dates(cls)
    hours = f"thời lượng {hours_text(held_hours(cls))} giờ"
    if first is not None and last is not None:
        lines.append(_centred(f"từ ngày {format_date(first)} đến ngày {format_date(last)}, {hours}"))
    else:
        lines.append(_centred(hours[:1].upper() + hours[1:]))
    return lines


def printed_details(certificate: Certificate, organiser: Organisation | None = None) -> CertificateDetails:
    """What the paper prints: the details kept at issue; without a place kept, the organiser's saved one.
    `certificate` may be a row of current_batch_rows: the organiser is then given (the class's plan's)."""
    return printed_from(details_of(certificate),
                        lambda: organiser or certificate.enrolment.training_class.plan.organiser_org)


def printed_from(details: CertificateDetails, organiser_of: Callable[[], Organisation]) -> CertificateDetails:
    """printed_details from the details kept at issue (details_of): the organiser is asked for (and loaded)
    only when no place was kept."""
    if details.place:
        return details
    return CertificateDetails(issued_on=details.issued_on, place=document_defaults(organiser_of()).place,
                              signer_authority=details.signer_authority, signer_title=details.signer_title,
                              signer_name=details.signer_name)


def signature_for(details: CertificateDetails) -> Signature | None:
    """The signature block; none for a certificate issued before signers were kept."""
    if not (details.signer_title and details.signer_name):
        return None
    return signature_of(details.signer_authority, details.signer_title, details.signer_name)


def date_line(details: CertificateDetails) -> str:
    """"Hà Tĩnh, ngày 16 tháng 7 năm 2019"; without a place, "Ngày 16 tháng 7 năm 2019"."""
    line = place_and_date(details.place, details.issued_on)
    if details.place:
        return line
    line = line.removeprefix(", ")
    return line[:1].upper() + line[1:]


def certificate_document(certificate: Certificate, base_url: str) -> Document:
    """The certificate as a Document; a revoked one is refused (its QR already reads "revoked")."""
    return _document(certificate, base_url, {})


def _document(certificate: Certificate, base_url: str, headers: dict[tuple, Header]) -> Document:
    if certificate.is_revoked:
        raise DomainError("certificate_revoked", _l("Giấy chứng nhận %(number)s đã bị thu hồi: không in được.",
                                                    number=certificate.number))
    person = certificate.enrolment.person
    cls = certificate.enrolment.training_class
    details = printed_details(certificate)
    # One class's papers share their header but the number: the agency's names are read once per day and place.
    key = (cls.plan.organiser_org_id, details.place, details.issued_on)
    if key not in headers:
        headers[key] = document_header(cls.plan.organiser_org, "", details.place, details.issued_on)
    url = verification_url(certificate, base_url)
    body = (*_holder_lines(person), *_class_lines(cls),
            Image(png=qr_png(url), width_mm=QR_WIDTH_MM))
    return Document(
        header=replace(headers[key], number=certificate.number),
        kind=KIND, summary=SUMMARY, body=body, signature=signature_for(details),
        landscape=True, title=f"Giấy chứng nhận {certificate.number} - {person.full_name}",
        meta={"subject": f"{SUMMARY}: {cls.title}", "keywords": certificate.number})


def class_documents(cls: TrainingClass, base_url: str, batch: int = 1,
                    size: int = FILE_BATCH) -> tuple[list[Document], ListPage[Certificate]]:
    """Batch `batch` of the class's certificates in force (`size` to a batch, in the list's order) as Documents,
    and the batch itself (which of how many); refused when the class has none in force."""
    found = current_batch(cls, batch, size)
    if not found.items:
        raise DomainError("not_found", _l("Lớp %(code)s chưa có giấy chứng nhận nào còn hiệu lực.", code=cls.code))
    headers: dict[tuple, Header] = {}
    return [_document(certificate, base_url, headers) for certificate in found.items], found


def class_certificates_file(cls: TrainingClass, base_url: str, kind: str,
                            batch: int = 1) -> tuple[bytes, ListPage[Certificate]]:
    """A batch of the class's certificates in force in one file, "pdf" (a page each) or "docx" (a section
    each), and the batch it holds. A class of 3,000 in one file took 36 s (PDF) and many minutes (.docx)
    before its first byte: its files are FILE_BATCH certificates each, ?batch=N."""
    documents, found = class_documents(cls, base_url, batch)
    return (write_pdf(documents) if kind == "pdf" else write_docx(documents)), found


def certificate_pdf(certificate: Certificate, base_url: str) -> bytes:
    return write_pdf(certificate_document(certificate, base_url))


__all__ = ["certificate_document", "certificate_pdf", "class_certificates_file", "class_documents", "date_line",
           "honorific", "hours_text", "printed_details", "printed_from", "signature_for"]

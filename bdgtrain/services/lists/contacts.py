"""A participant's contact details (e-mail, phone) as the organiser corrects or fills them in.

Lists bring them when they have the columns (importers: cells.email, cells.phone); these are the
organiser's hand: one person from the roster, or the addresses missing on the invitation page, all
checked first and written together, each change audited person.contact.changed with before and after.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ...errors import DomainError
from ...extensions import db
from ...importers import cells
from ...models import Enrolment, Person, TrainingClass, User
from ..core import audit
from .seats import ACTIVE_STATUSES

CONTACT_FIELDS = ("email", "phone")


@dataclass
class ContactProblem:
    enrolment_id: int | None
    field: str
    message: str


def clean_email(text: str | None) -> str | None:
    """The address as stored, None when blank; DomainError when it is no address."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > 255:
        raise DomainError("person.bad_email", _l("Địa chỉ e-mail quá dài (tối đa 255 ký tự)."), field="email")
    try:
        return cells.email(text)
    except cells.CellError:
        raise DomainError("person.bad_email", _l(
            "“%(value)s” không phải là địa chỉ e-mail (ví dụ đúng: ten@donvi.gov.vn).", value=text[:80]),
            field="email") from None


def clean_phone(text: str | None) -> str | None:
    """The number as the lists store it (cells.phone: 0 and 9-10 digits, +84 → 0), None when blank."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return cells.phone(text)[0]
    except cells.CellError:
        raise DomainError("person.bad_phone", _l(
            "“%(value)s” không phải là số điện thoại (ví dụ đúng: 0912 345 678 hoặc +84 912 345 678).",
            value=text[:40]), field="phone") from None


def change_contact(actor: User | None, person: Person, email: str | None, phone: str | None) -> bool:
    """Set her e-mail and phone (blank clears); answers whether anything changed."""
    new = {"email": clean_email(email), "phone": clean_phone(phone)}
    return _write(actor, person, new)


def _write(actor: User | None, person: Person, new: dict) -> bool:
    before = audit.snapshot(person, CONTACT_FIELDS)
    for name, value in new.items():
        setattr(person, name, value)
    db.session.flush()
    old, changed = audit.changed_fields(before, audit.snapshot(person, CONTACT_FIELDS))
    if not changed:
        return False
    audit.record(actor, "person.contact.changed", person, before=old, after=changed, summary=person.full_name)
    return True


def no_address_condition():
    """What calendar.invitations.email_of takes for no address, in SQL."""
    email = Person.email
    return or_(email.is_(None), ~email.contains("@"), email.contains(" "), email.startswith("@"),
               email.endswith("@"))


def without_email_query(cls: TrainingClass):
    """The class's participants (holding a seat) with no e-mail address, by name: the invitation page's
    list to fill in."""
    return (select(Enrolment).join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES), no_address_condition())
            .order_by(Person.name_sort_key, Person.id))


def fill_emails(actor: User | None, cls: TrainingClass, addresses: dict[int, str]) -> int:
    """Addresses typed on the invitation page, by enrolment id; blanks are skipped. Every address is
    checked before any is written: one bad address refuses them all (DomainError listing the bad ones
    by name). An enrolment not of this class's participants is not found. Answers how many were saved."""
    wanted = {enrolment_id: text.strip() for enrolment_id, text in addresses.items() if (text or "").strip()}
    if not wanted:
        return 0
    enrolments = {e.id: e for e in db.session.scalars(select(Enrolment).where(
        Enrolment.id.in_(list(wanted)), Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES)))}
    if set(wanted) - set(enrolments):
        raise DomainError("not_found", _l("Không tìm thấy học viên trong lớp này."))
    bad, clean = [], {}
    for enrolment_id, text in wanted.items():
        try:
            clean[enrolment_id] = clean_email(text)
        except DomainError:
            bad.append(f"{enrolments[enrolment_id].person.full_name} (“{text[:80]}”)")
    if bad:
        raise DomainError("person.bad_email", _l(
            "Không lưu địa chỉ nào vì có địa chỉ e-mail không hợp lệ: %(people)s. Hãy sửa rồi lưu lại.",
            people="; ".join(bad)))
    return sum(_write(actor, enrolments[i].person, {"email": address}) for i, address in clean.items())

"""Certificates of completion: issue to every completer at once, revoke with a reason, re-issue.

A certificate carries a QR code with its signed token (purpose "certificate"; tokens, never ids),
which opens the public verification page: valid or revoked, name and class only. Services flush
and audit (`certificate.issued`, `certificate.revoked`, `certificate.reissued`); the request commits.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...errors import DomainError
from ...extensions import db
from ...links import external_url
from ...models import Certificate, Enrolment, Person, TrainingClass, User
from ...models.base import utcnow
from ...security import CERTIFICATE, read_token, sign_token
from ..checkin.attendance_view import completions
from ..core import audit
from ..core.qr import compact_url
from ..lists.lists import ACTIVE_STATUSES

REASON_MAX = 500


def certificate_token(certificate: Certificate | int) -> str:
    return sign_token(CERTIFICATE, certificate if isinstance(certificate, int) else certificate.id)


def verification_url(certificate: Certificate, base_url: str) -> str:
    """What the printed QR code carries: the public verification page."""
    return compact_url(external_url("certificates.verify", base_url, certificate_token=certificate_token(certificate)))


def _with_class():
    return joinedload(Certificate.enrolment).options(
        joinedload(Enrolment.person),
        joinedload(Enrolment.training_class).options(
            joinedload(TrainingClass.plan), selectinload(TrainingClass.sessions), joinedload(TrainingClass.venue)))


def find_certificate(text: str | None) -> Certificate | None:
    certificate_id = read_token(CERTIFICATE, text)
    if certificate_id is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.id == certificate_id).options(_with_class()))


def class_certificates(cls: TrainingClass) -> list[Certificate]:
    """Every certificate of the class, current and revoked, by the holder's name then newest first."""
    return list(db.session.scalars(
        select(Certificate).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.class_id == cls.id)
        .options(joinedload(Certificate.enrolment).joinedload(Enrolment.person))
        .order_by(Person.name_sort_key, Person.id, Certificate.issued_at.desc(), Certificate.id.desc())))


def current_certificates(cls: TrainingClass, certificate_id: int | None = None) -> list[Certificate]:
    """The certificates in force (not revoked), to print: the whole class or one."""
    found = [c for c in class_certificates(cls) if not c.is_revoked]
    return [c for c in found if c.id == certificate_id] if certificate_id is not None else found


def get_class_certificate(cls: TrainingClass, certificate_id: int) -> Certificate:
    """A certificate of this class, by the id in the class's page (404 for another class's)."""
    certificate = db.session.scalar(select(Certificate).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
                                    .where(Certificate.id == certificate_id, Enrolment.class_id == cls.id))
    if certificate is None:
        raise DomainError("not_found", _l("Không tìm thấy giấy chứng nhận này trong lớp."))
    return certificate


def current_for_enrolment(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.enrolment_id == enrolment_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.id.desc()).options(_with_class()).limit(1))


def _next_number(cls: TrainingClass) -> int:
    issued = db.session.scalar(select(func.count()).select_from(Certificate)
                               .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
                               .where(Enrolment.class_id == cls.id)) or 0
    return issued + 1


def _new(actor: User | None, cls: TrainingClass, enrolment_id: int, serial: int, now: datetime,
         replaces: Certificate | None = None) -> Certificate:
    certificate = Certificate(enrolment_id=enrolment_id, number=f"{cls.plan.code}/{cls.code}/{serial:03d}",
                              issued_at=now, issued_by_id=actor.id if actor is not None else None,
                              replaces_id=replaces.id if replaces is not None else None)
    db.session.add(certificate)
    return certificate


def _completers(cls: TrainingClass, now: datetime) -> set[int]:
    if cls.is_cancelled:
        return set()
    return {enrolment_id for enrolment_id, done in completions(cls, now).items() if done.completed}


def issue_certificates(actor: User | None, cls: TrainingClass, now: datetime | None = None) -> list[Certificate]:
    """A certificate for every completer who has none in force; those who have one keep it."""
    now = now or utcnow()
    if cls.is_cancelled:
        raise DomainError("class_cancelled", _l("Lớp đã bị hủy: không cấp giấy chứng nhận."))
    completers = _completers(cls, now)
    if not completers:
        raise DomainError("no_completers", _l("Chưa có học viên nào hoàn thành lớp %(code)s, nên chưa có giấy "
                                              "chứng nhận để cấp.", code=cls.code))
    holding = set(db.session.scalars(select(Certificate.enrolment_id).join(Enrolment)
                                     .where(Enrolment.class_id == cls.id, Certificate.revoked_at.is_(None))))
    missing = completers - holding
    # Numbered in the roster's order (Vietnamese name order), so the printed pile is easy to hand out.
    waiting = list(db.session.scalars(
        select(Enrolment.id).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.id.in_(missing)).order_by(Person.name_sort_key, Person.id))) if missing else []
    serial = _next_number(cls)
    issued = []
    for offset, enrolment_id in enumerate(waiting):
        issued.append(_new(actor, cls, enrolment_id, serial + offset, now))
    db.session.flush()
    for certificate in issued:
        audit.record(actor, "certificate.issued", certificate,
                     after={"number": certificate.number, "enrolment_id": certificate.enrolment_id})
    return issued


def _clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError("reason_required", _l("Hãy ghi lý do thu hồi."), field="reason")
    if len(text) > REASON_MAX:
        raise DomainError("reason_too_long", _l("Lý do dài quá %(max)s ký tự.", max=REASON_MAX), field="reason")
    return text


def revoke_certificate(actor: User | None, certificate: Certificate, reason: str | None,
                       now: datetime | None = None) -> Certificate:
    text = _clean_reason(reason)
    if certificate.is_revoked:
        raise DomainError("already_revoked", _l("Giấy chứng nhận %(number)s đã bị thu hồi trước đó.",
                                                number=certificate.number))
    certificate.revoked_at = now or utcnow()
    certificate.revoked_by_id = actor.id if actor is not None else None
    certificate.revoke_reason = text
    db.session.flush()
    audit.record(actor, "certificate.revoked", certificate, before={"revoked_at": None},
                 after={"revoked_at": certificate.revoked_at.isoformat(), "reason": text},
                 summary=certificate.number)
    return certificate


def reissue_certificate(actor: User | None, certificate: Certificate, now: datetime | None = None) -> Certificate:
    """A new certificate (new number, new token) for the holder of `certificate`, which is revoked if
    still in force: a lost or misprinted paper is replaced, and the old QR then reads "revoked"."""
    now = now or utcnow()
    enrolment = certificate.enrolment
    cls = enrolment.training_class
    if enrolment.status not in ACTIVE_STATUSES or enrolment.id not in _completers(cls, now):
        raise DomainError("not_completed", _l("%(name)s không còn đủ điều kiện hoàn thành lớp: không cấp lại.",
                                              name=enrolment.person.full_name))
    newer = current_for_enrolment(enrolment.id)
    if newer is not None and newer.id != certificate.id:
        raise DomainError("already_holds", _l("%(name)s đang có giấy chứng nhận %(number)s còn hiệu lực.",
                                              name=enrolment.person.full_name, number=newer.number))
    if not certificate.is_revoked:
        revoke_certificate(actor, certificate, str(_l("Cấp lại")), now)
    replacement = _new(actor, cls, enrolment.id, _next_number(cls), now, replaces=certificate)
    db.session.flush()
    audit.record(actor, "certificate.reissued", replacement,
                 after={"number": replacement.number, "replaces": certificate.number})
    return replacement


def held_dates(cls: TrainingClass) -> tuple[datetime | None, datetime | None]:
    held = [s for s in cls.sessions if s.status != "cancelled"]
    return (held[0].starts_at, held[-1].ends_at) if held else (None, None)


def held_hours(cls: TrainingClass) -> float:
    """The hours of the held sessions, as printed on the certificate (half hours kept)."""
    seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in cls.sessions if s.status != "cancelled")
    return round(seconds / 1800) / 2


def issued_counts(plan_id: int) -> dict[int, int]:
    """Certificates in force per class of a plan: one statement."""
    return dict(db.session.execute(
        select(Enrolment.class_id, func.count(Certificate.id)).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(TrainingClass.plan_id == plan_id, Certificate.revoked_at.is_(None))
        .group_by(Enrolment.class_id)).all())


__all__ = ["certificate_token", "class_certificates", "current_certificates", "current_for_enrolment",
           "find_certificate", "held_dates", "held_hours", "issue_certificates", "issued_counts",
           "reissue_certificate", "revoke_certificate", "verification_url"]

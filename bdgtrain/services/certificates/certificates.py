"""Certificates of completion: issue to every completer at once, revoke with a reason, re-issue.

A certificate carries a QR code with its signed token (purpose "certificate"; tokens, never ids),
which opens the public verification page: valid or revoked, name and class only. Services flush
and audit (`certificate.issued`, `certificate.revoked`, `certificate.reissued`); the request commits.

A class's certificates are issued together with the details their paper prints (issue 19): the issue
day (not before the class's last held day, not after today), the place and the signer. The organiser
chooses them in the issue form, pre-filled from the organising unit's document defaults; the command
line and older callers take those defaults. No certificate leaves without a signer.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Callable, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, Select, and_, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from ...errors import DomainError
from ...extensions import db
from ...links import external_url
from ...localtime import format_date, to_local
from ...models import Certificate, ClassSession, Enrolment, Organisation, Person, Plan, TrainingClass, User, Venue
from ...models.base import utcnow
from ...security import CERTIFICATE, read_token, sign_token, token_signer
from ..checkin.attendance_view import completions
from ..core import audit
from ..core.paging import ListPage, page_of_query
from ..core.qr import compact_url
from ..lists.lists import ACTIVE_STATUSES
from ..planning.document_settings import check_signer, document_defaults

REASON_MAX = 500
# A class of 3,000 is printed and downloaded in batches (?batch=N), as the invitation cards are: a browser
# lays out 100 A4 pages in a second or two; a file is written whole before its first byte leaves, at about
# 8 ms (PDF) or 5 ms (.docx) of CPU a certificate plus 5 ms for its QR code the first time, so a file holds 50.
PRINT_BATCH = 100
FILE_BATCH = 50
DETAIL_MAX = 120  # place and signer, as the columns hold them


def certificate_token(certificate: Certificate | int) -> str:
    return sign_token(CERTIFICATE, certificate if isinstance(certificate, int) else certificate.id)


def verification_url(certificate: Certificate, base_url: str) -> str:
    """What the printed QR code carries: the public verification page."""
    return verification_urls(base_url)(certificate.id)


def verification_urls(base_url: str) -> Callable[[int], str]:
    """verification_url by certificate id for a whole batch: the link's head built once (a batch of 100 bound
    the URL map 100 times)."""
    mark = "MARK"  # a token is 24 characters of A-Z and 2-7: never quoted in a path, never containing this
    head, tail = external_url("certificates.verify", base_url, certificate_token=mark).split(mark)
    # Whether compact_url upper-cases the link depends on its head and tail alone (a token is upper case and
    # alphanumeric already): decided once for the batch, not by parsing each paper's link.
    sign = token_signer(CERTIFICATE)
    whole = f"{head}{sign(1)}{tail}"
    if compact_url(whole) != whole:
        head, tail = head.upper(), tail.upper()
    return lambda certificate_id: f"{head}{sign(certificate_id)}{tail}"


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


def _in_list_order(query: Select, cls: TrainingClass) -> Select:
    """`query` (of certificates) narrowed to the class's, by the holder's name then newest first."""
    return (query.join(Enrolment, Enrolment.id == Certificate.enrolment_id)
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.class_id == cls.id)
            .order_by(Person.name_sort_key, Person.id, Certificate.issued_at.desc(), Certificate.id.desc()))


def _class_query(cls: TrainingClass, current_only: bool = False) -> Select:
    """The class's certificates by the holder's name then newest first, with their holders."""
    query = _in_list_order(select(Certificate), cls).options(
        contains_eager(Certificate.enrolment).contains_eager(Enrolment.person))
    return query.where(Certificate.revoked_at.is_(None)) if current_only else query


def class_certificates(cls: TrainingClass) -> list[Certificate]:
    """Every certificate of the class, current and revoked, by the holder's name then newest first."""
    return list(db.session.scalars(_class_query(cls)))


@dataclass(frozen=True)
class CertificatesPage:
    """A page of the class's list and the figures around it: how many certificates in force (the batches)."""
    page: ListPage[Row]
    in_force: int


def certificates_page(cls: TrainingClass, page: int = 1) -> CertificatesPage:
    """One page (100) of the class's list, current and revoked: a class of 3,000 was one 9 MB page. Each row
    holds what the list shows (id, number, full_name, issued_on, issued_at, revoked_at, revoke_reason) as
    plain columns: a page of entities with their enrolments and people cost more than the rest of the page.
    Two statements: the class's counts (the list's total and those in force, for the batches) and the page.
    (Window counts in the page's own statement took SQLite ten times as long as both.)"""
    issued, in_force = class_counts(cls)
    columns = select(Certificate.id, Certificate.number, Person.full_name, Certificate.issued_on,
                     Certificate.issued_at, Certificate.revoked_at, Certificate.revoke_reason)
    return CertificatesPage(page_of_query(_in_list_order(columns, cls), page, scalars=False, total=issued), in_force)


def class_counts(cls: TrainingClass) -> tuple[int, int]:
    """(every certificate of the class, those in force) in one statement. Without the join to people the
    list makes: an enrolment always has its person (NOT NULL, a foreign key)."""
    issued, revoked = db.session.execute(
        select(func.count(Certificate.id), func.count(Certificate.revoked_at))
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id).where(Enrolment.class_id == cls.id)).one()
    return issued, issued - revoked


def current_certificates(cls: TrainingClass, certificate_id: int | None = None) -> list[Certificate]:
    """The certificates in force (not revoked), to print: the whole class or one."""
    query = _class_query(cls, current_only=True)
    if certificate_id is not None:
        query = query.where(Certificate.id == certificate_id)
    return list(db.session.scalars(query))


def current_batch(cls: TrainingClass, batch: int = 1, size: int = PRINT_BATCH) -> ListPage[Certificate]:
    """Batch `batch` of the certificates in force, `size` to a batch in the list's order: what one print job
    or one file holds. The batches of one size together hold every certificate in force once."""
    return page_of_query(_class_query(cls, current_only=True), batch, size)


def current_batch_rows(cls: TrainingClass, batch: int = 1, size: int = PRINT_BATCH,
                       certificate_id: int | None = None) -> ListPage[Row]:
    """current_batch (or the one certificate in force `certificate_id`) as columns: what a printed paper
    shows of each certificate and its holder (id, number, the details kept at issue, the holder's
    full_name, position and unit_name), not 300 entities of certificates, enrolments and people."""
    columns = select(Certificate.id, Certificate.number, Certificate.issued_on, Certificate.issued_at,
                     Certificate.place, Certificate.signer_authority, Certificate.signer_title,
                     Certificate.signer_name, Person.full_name, Person.position, Person.unit_name)
    query = _in_list_order(columns, cls).where(Certificate.revoked_at.is_(None))
    if certificate_id is not None:
        return page_of_query(query.where(Certificate.id == certificate_id), batch, size, scalars=False)
    # Counted without the join to people the rows make, as class_counts.
    return page_of_query(query, batch, size, scalars=False, total=current_count(cls))


def current_count(cls: TrainingClass) -> int:
    """How many certificates of the class are in force: one statement."""
    query = (select(func.count(Certificate.id)).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
             .where(Enrolment.class_id == cls.id, Certificate.revoked_at.is_(None)))
    return db.session.scalar(query) or 0


def batch_count(total: int, size: int) -> int:
    """How many batches of `size` hold `total` certificates (one, even empty, as a page)."""
    return max(1, -(-total // size))


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


@dataclass(frozen=True)
class CertificateDetails:
    """What the paper prints beside the holder and the class: the issue day, where, who signs."""

    issued_on: date | None
    place: str = ""
    signer_authority: str = ""  # "KT. GIÁM ĐỐC"; empty when the head signs in her own name
    signer_title: str = ""
    signer_name: str = ""


def last_held_day(cls: TrainingClass) -> date | None:
    """The local day the class's last held (not cancelled) session ends: the earliest day a certificate bears."""
    _first, last = held_dates(cls)
    return to_local(last).date() if last is not None else None


def default_details(cls: TrainingClass) -> CertificateDetails:
    """What the issue form offers: the class's last held day, the organiser's saved place and signer."""
    saved = document_defaults(cls.plan.organiser_org)
    return CertificateDetails(issued_on=last_held_day(cls), place=saved.place, signer_authority=saved.signer_authority,
                              signer_title=saved.signer_title, signer_name=saved.signer_name)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def check_details(cls: TrainingClass, details: CertificateDetails, today: date) -> CertificateDetails:
    """The details cleaned, or a refusal naming the field: a day from the class's last held day to today,
    a place, and a signer's title and name."""
    clean = replace(details, **{name: _one_line(getattr(details, name)) for name in
                                ("place", "signer_authority", "signer_title", "signer_name")})
    if clean.issued_on is None:
        raise DomainError("issued_on_missing", _l("Hãy nhập ngày cấp."), field="issued_on")
    last = last_held_day(cls)
    if last is not None and clean.issued_on < last:
        raise DomainError("issued_before_class_end", _l("Ngày cấp không được trước ngày học cuối cùng của lớp "
                                                        "(%(date)s).", date=format_date(last)), field="issued_on")
    if clean.issued_on > today:
        raise DomainError("issued_after_today", _l("Ngày cấp không được sau hôm nay (%(date)s).",
                                                   date=format_date(today)), field="issued_on")
    if not clean.place:
        raise DomainError("place_missing", _l("Hãy nhập địa danh nơi cấp giấy."), field="place")
    check_signer(clean.signer_title, clean.signer_name)
    for name in ("place", "signer_authority", "signer_title", "signer_name"):
        if len(getattr(clean, name)) > DETAIL_MAX:
            raise DomainError("documents.too_long", _l("Nội dung quá dài (tối đa %(limit)s ký tự).", limit=DETAIL_MAX),
                              field=name)
    return clean


def details_of(certificate: Certificate) -> CertificateDetails:
    """What a certificate was issued with (one issued before issue 19: its day only, no place, no signer)."""
    return CertificateDetails(issued_on=certificate.issued_on or to_local(certificate.issued_at).date(),
                              place=certificate.place or "", signer_authority=certificate.signer_authority or "",
                              signer_title=certificate.signer_title or "", signer_name=certificate.signer_name or "")


def _new(actor: User | None, cls: TrainingClass, enrolment_id: int, serial: int, now: datetime,
         details: CertificateDetails, replaces: Certificate | None = None) -> Certificate:
    certificate = Certificate(enrolment_id=enrolment_id, number=f"{cls.plan.code}/{cls.code}/{serial:03d}",
                              issued_at=now, issued_by_id=actor.id if actor is not None else None,
                              replaces_id=replaces.id if replaces is not None else None,
                              issued_on=details.issued_on, place=details.place or None,
                              signer_authority=details.signer_authority if details.signer_title else None,
                              signer_title=details.signer_title or None,
                              signer_name=details.signer_name or None)
    db.session.add(certificate)
    return certificate


def _completers(cls: TrainingClass, now: datetime) -> set[int]:
    if cls.is_cancelled:
        return set()
    return {enrolment_id for enrolment_id, done in completions(cls, now).items() if done.completed}


def issue_certificates(actor: User | None, cls: TrainingClass, now: datetime | None = None, *,
                       details: CertificateDetails | None = None) -> list[Certificate]:
    """A certificate for every completer who has none in force; those who have one keep it. `details` None:
    the organiser's saved defaults on the class's last held day (refused, as any, without a signer)."""
    now = now or utcnow()
    if cls.is_cancelled:
        raise DomainError("class_cancelled", _l("Lớp đã bị hủy: không cấp giấy chứng nhận."))
    completers = _completers(cls, now)
    if not completers:
        raise DomainError("no_completers", _l("Chưa có học viên nào hoàn thành lớp %(code)s, nên chưa có giấy "
                                              "chứng nhận để cấp.", code=cls.code))
    details = check_details(cls, details or default_details(cls), to_local(now).date())
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
        issued.append(_new(actor, cls, enrolment_id, serial + offset, now, details))
    db.session.flush()
    for certificate in issued:
        audit.record(actor, "certificate.issued", certificate,
                     after={"number": certificate.number, "enrolment_id": certificate.enrolment_id,
                            "issued_on": details.issued_on.isoformat(), "place": details.place,
                            "signer": f"{details.signer_title} {details.signer_name}"})
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
    # The new paper says what the old one said: same day, place and signer (a lost paper, not a new decision).
    kept = details_of(certificate)
    replacement = _new(actor, cls, enrolment.id, _next_number(cls), now, kept, replaces=certificate)
    db.session.flush()
    audit.record(actor, "certificate.reissued", replacement,
                 after={"number": replacement.number, "replaces": certificate.number})
    return replacement


@dataclass(frozen=True)
class PaperCommon:
    """What every paper of a class prints alike: its plan's organising and issuing bodies, its venue, and its
    held (not cancelled) sessions as (starts_at, ends_at), in their order."""
    organiser: str
    issuing: str | None
    venue: str | None
    held: tuple[tuple[datetime, datetime], ...]


_ORGANISER, _ISSUING = aliased(Organisation, name="organiser"), aliased(Organisation, name="issuing")


def paper_common(cls: TrainingClass) -> PaperCommon:
    """PaperCommon in one statement (a row for each held session): the print page loaded both organisations,
    the venue and the sessions, one statement each."""
    rows = db.session.execute(
        select(_ORGANISER.name, _ISSUING.name, Venue.name, ClassSession.starts_at, ClassSession.ends_at)
        .select_from(Plan).join(_ORGANISER, _ORGANISER.id == Plan.organiser_org_id)
        .outerjoin(_ISSUING, _ISSUING.id == Plan.issuing_org_id)
        .outerjoin(Venue, Venue.id == cls.venue_id)
        .outerjoin(ClassSession, and_(ClassSession.class_id == cls.id, ClassSession.status != "cancelled"))
        .where(Plan.id == cls.plan_id).order_by(ClassSession.starts_at)).all()
    organiser, issuing, venue = rows[0][:3]
    return PaperCommon(organiser, issuing, venue,
                       tuple((starts, ends) for *_names, starts, ends in rows if starts is not None))


def _held_times(cls: TrainingClass) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in cls.sessions if s.status != "cancelled"]


def held_dates(cls: TrainingClass) -> tuple[datetime | None, datetime | None]:
    return span_of(_held_times(cls))


def held_hours(cls: TrainingClass) -> float:
    """The hours of the held sessions, as printed on the certificate (half hours kept)."""
    return hours_of(_held_times(cls))


def span_of(held: Sequence[tuple[datetime, datetime]]) -> tuple[datetime | None, datetime | None]:
    """The start of the first held session and the end of the last, from their (starts_at, ends_at)."""
    return (held[0][0], held[-1][1]) if held else (None, None)


def hours_of(held: Sequence[tuple[datetime, datetime]]) -> float:
    """held_hours from the held sessions' (starts_at, ends_at)."""
    seconds = sum((ends - starts).total_seconds() for starts, ends in held)
    return round(seconds / 1800) / 2


def issued_counts(plan_id: int) -> dict[int, int]:
    """Certificates in force per class of a plan: one statement."""
    return dict(db.session.execute(
        select(Enrolment.class_id, func.count(Certificate.id)).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(TrainingClass.plan_id == plan_id, Certificate.revoked_at.is_(None))
        .group_by(Enrolment.class_id)).all())


__all__ = ["FILE_BATCH", "PRINT_BATCH", "CertificateDetails", "CertificatesPage", "PaperCommon", "batch_count",
           "certificate_token", "certificates_page", "check_details", "class_certificates", "class_counts",
           "current_batch", "current_batch_rows", "current_certificates", "current_count", "current_for_enrolment",
           "default_details", "details_of", "find_certificate", "held_dates", "held_hours", "issue_certificates",
           "issued_counts", "hours_of", "last_held_day", "paper_common", "reissue_certificate", "revoke_certificate",
           "span_of", "verification_url", "verification_urls"]

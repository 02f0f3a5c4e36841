"""Invitations by e-mail: queuing invitations, updates and cancellations, and who was sent what.

Nothing here talks to a mail server: a request only adds rows to the outbox (MailMessage), and
`flask mail send` (services/calendar/mail.py) delivers them. A message is written when it leaves, from
the class as it is then, so an invitation still waiting when a session moves already carries the
new time and needs no update of its own. Updates and cancellations go to those who were invited.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import joinedload

from ...errors import DomainError
from ...extensions import db
from ...models import ClassSession, Enrolment, MailMessage, Person, TrainingClass, User
from ...models.base import utcnow
from ..checkin import marking
from ..checkin.attendance_view import completions
from ..core import audit
from ..core.paging import ListPage, page_of_query
from ..lists.contacts import no_address_condition
from ..lists.lists import ACTIVE_STATUSES


def email_of(person: Person) -> str | None:
    """Her address when it looks like one; most participants have only a phone number."""
    email = (person.email or "").strip()
    if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
        return None
    return email


def active_enrolments_query(cls: TrainingClass):
    return (select(Enrolment).join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))
            .options(joinedload(Enrolment.person)).order_by(Person.name_sort_key, Person.id))


def _active_enrolments(cls: TrainingClass) -> list[Enrolment]:
    return list(db.session.scalars(active_enrolments_query(cls)))


@dataclass
class QueueResult:
    queued: int = 0
    already: int = 0
    without_email: list[Enrolment] = field(default_factory=list)


def enqueue_invitations(actor: User | None, cls: TrainingClass, resend: bool = False) -> QueueResult:
    """Queue an invitation for every participant with an e-mail address not yet invited (all, with `resend`)."""
    if cls.is_cancelled:
        raise DomainError("calendar.class_cancelled", _l("Lớp đã hủy: không gửi giấy mời."))
    invited = set(db.session.scalars(select(MailMessage.enrolment_id).where(
        MailMessage.class_id == cls.id, MailMessage.kind == "invitation", MailMessage.status != "skipped")))
    result = QueueResult()
    for enrolment in _active_enrolments(cls):
        email = email_of(enrolment.person)
        if email is None:
            result.without_email.append(enrolment)
        elif enrolment.id in invited and not resend:
            result.already += 1
        else:
            db.session.add(MailMessage(kind="invitation", class_id=cls.id, enrolment_id=enrolment.id,
                                       recipient=email, created_by_id=actor.id if actor else None))
            result.queued += 1
    db.session.flush()
    if result.queued:
        audit.record(actor, "calendar.invitations.queued", cls, after={"queued": result.queued, "resend": resend},
                     summary=f"{cls.plan.code}/{cls.code}")
    return result


def invitations_started(cls: TrainingClass) -> bool:
    """Whether the organiser has sent the class's invitations (queued, sending or sent; not skipped)."""
    return db.session.scalar(select(MailMessage.id).where(
        MailMessage.class_id == cls.id, MailMessage.kind == "invitation",
        MailMessage.status != "skipped").limit(1)) is not None


def invite_promoted(actor: User | None, cls: TrainingClass, enrolments: list[Enrolment]) -> int:
    """People just given a seat from the waiting list (planning.seats): once the class's invitations
    went out, each with an address gets hers as the others did; before, they wait for the organiser's."""
    if cls.is_cancelled or not enrolments or not invitations_started(cls):
        return 0
    queued = 0
    for enrolment in enrolments:
        email = email_of(enrolment.person)
        if email is not None:
            db.session.add(MailMessage(kind="invitation", class_id=cls.id, enrolment_id=enrolment.id,
                                       recipient=email, created_by_id=actor.id if actor else None))
            queued += 1
    db.session.flush()
    if queued:
        audit.record(actor, "calendar.invitations.queued", cls, after={"queued": queued, "promoted": True},
                     summary=f"{cls.plan.code}/{cls.code}")
    return queued


WARN_AFTER_CLOSE = timedelta(days=1)  # sessions that ended longer ago than this send no warnings


def close_sessions_and_warn(now: datetime, cls: TrainingClass | None = None) -> int:
    """Close the sessions that have ended (marking.close_sessions: unmarked becomes absent; returns the
    rows written), then, for each session that ended within the last day, warn by e-mail the invited
    participants now below the class's completion threshold (once per session)."""
    written = marking.close_sessions(now, cls)
    for session in marking.sessions_ended_since(now - WARN_AFTER_CLOSE, now, cls):
        enqueue_completion_warnings(session.training_class, session, now)
    return written


def enqueue_completion_warnings(cls: TrainingClass, session: ClassSession, now) -> int:
    """After `session` has closed, e-mail each participant now below the completion threshold, once.

    Only people who were invited by e-mail hear from us: an invitation sent is how an organiser
    says that this class uses e-mail (most participants have only a phone; they are on the live view).
    """
    invited = set(db.session.scalars(select(MailMessage.enrolment_id).where(
        MailMessage.class_id == cls.id, MailMessage.kind == "invitation", MailMessage.status == "sent")))
    if not invited:
        return 0
    warned = set(db.session.scalars(select(MailMessage.enrolment_id).where(
        MailMessage.class_id == cls.id, MailMessage.kind == "completion_warning",
        MailMessage.session_id == session.id)))
    behind = {enrolment_id for enrolment_id, done in completions(cls, now).items()
              if done.below_threshold and not done.completed and enrolment_id in invited - warned}
    queued = 0
    for enrolment in _active_enrolments(cls):
        email = email_of(enrolment.person)
        if enrolment.id in behind and email is not None:
            db.session.add(MailMessage(kind="completion_warning", class_id=cls.id, enrolment_id=enrolment.id,
                                       session_id=session.id, recipient=email))
            queued += 1
    db.session.flush()
    return queued


def retry_failed(actor: User | None, cls: TrainingClass) -> int:
    """Put the messages that gave up back in the queue, to be tried again at once."""
    count = db.session.execute(
        update(MailMessage).where(MailMessage.class_id == cls.id, MailMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    if count:
        audit.record(actor, "calendar.invitations.retried", cls, after={"requeued": count},
                     summary=f"{cls.plan.code}/{cls.code}")
    return count


def notify_change(actor: User | None, cls: TrainingClass, session: ClassSession | None = None,
                  cancelled: bool = False) -> int:
    """Queue an update, or a cancellation (of `session`, or of the whole class), for everyone invited.

    Called by the planning services whenever a time, the venue or a status changes."""
    rows = db.session.execute(select(MailMessage.enrolment_id, MailMessage.status, MailMessage.kind,
                                     MailMessage.session_id).where(MailMessage.class_id == cls.id)).all()
    if not rows:
        return 0
    kind = "cancellation" if cancelled else "update"
    session_id = session.id if session is not None else None
    if cancelled and session is None:
        # Invitations still waiting for a class that no longer takes place are not sent.
        db.session.execute(update(MailMessage).where(
            MailMessage.class_id == cls.id, MailMessage.status == "queued", MailMessage.kind != "cancellation")
            .values(status="skipped", last_error=str(_l("Lớp đã hủy trước khi thư được gửi.")), updated_at=utcnow())
            .execution_options(synchronize_session=False))
    invited = {r.enrolment_id for r in rows if r.kind == "invitation" and r.status in ("sent", "sending", "failed")}
    pending = {(r.enrolment_id, r.kind, r.session_id) for r in rows if r.status == "queued"}
    queued = 0
    for enrolment in _active_enrolments(cls):
        email = email_of(enrolment.person)
        if enrolment.id not in invited or email is None or (enrolment.id, kind, session_id) in pending:
            continue
        db.session.add(MailMessage(kind=kind, class_id=cls.id, enrolment_id=enrolment.id, session_id=session_id,
                                   recipient=email, created_by_id=actor.id if actor else None))
        queued += 1
    db.session.flush()
    if queued:
        audit.record(actor, f"calendar.{kind}s.queued", cls, after={"queued": queued, "session_id": session_id},
                     summary=f"{cls.plan.code}/{cls.code}")
    return queued


def was_invited(cls: TrainingClass) -> bool:
    """Whether any invitation of the class has left (or is leaving): its sessions are in calendars."""
    return db.session.scalar(select(MailMessage.id).where(
        MailMessage.class_id == cls.id, MailMessage.kind == "invitation",
        MailMessage.status.in_(("sent", "sending"))).limit(1)) is not None


# --- what organisers see ------------------------------------------------------------------------

@dataclass
class InviteeRow:
    enrolment: Enrolment
    email: str | None
    messages: list[MailMessage]

    @property
    def last(self) -> MailMessage | None:
        return self.messages[0] if self.messages else None


def overview(cls: TrainingClass) -> list[InviteeRow]:
    """Every active participant with her address and her messages, newest first."""
    messages: dict[int, list[MailMessage]] = {}
    for message in db.session.scalars(select(MailMessage).where(MailMessage.class_id == cls.id)
                                      .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())):
        messages.setdefault(message.enrolment_id, []).append(message)
    return [InviteeRow(e, email_of(e.person), messages.get(e.id, [])) for e in _active_enrolments(cls)]


def overview_page(cls: TrainingClass, page: int) -> ListPage[InviteeRow]:
    """One page (100, by name) of overview(): a class of 3,000 made a page of half a megabyte."""
    enrolments = page_of_query(active_enrolments_query(cls), page)
    messages: dict[int, list[MailMessage]] = {}
    if enrolments.items:
        for message in db.session.scalars(select(MailMessage).where(
                MailMessage.class_id == cls.id, MailMessage.enrolment_id.in_([e.id for e in enrolments.items]))
                .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())):
            messages.setdefault(message.enrolment_id, []).append(message)
    return replace(enrolments, items=[InviteeRow(e, email_of(e.person), messages.get(e.id, []))
                                      for e in enrolments.items])


def class_counts(cls: TrainingClass) -> dict[str, int]:
    """counts(overview(cls)) in two grouped statements, whatever the size of the class."""
    active = and_(Enrolment.class_id == cls.id, Enrolment.status.in_(ACTIVE_STATUSES))
    invited = exists().where(MailMessage.enrolment_id == Enrolment.id, MailMessage.kind == "invitation",
                             MailMessage.status != "skipped")
    no_address = no_address_condition()
    people, without, to_invite = db.session.execute(
        select(func.count(), func.count().filter(no_address), func.count().filter(~no_address, ~invited))
        .select_from(Enrolment).join(Person, Person.id == Enrolment.person_id).where(active)).one()
    result = {"people": people, "without_email": without, "sent": 0, "queued": 0, "failed": 0,
              "to_invite": to_invite}
    for status, n in db.session.execute(select(MailMessage.status, func.count())
                                        .join(Enrolment, Enrolment.id == MailMessage.enrolment_id)
                                        .where(MailMessage.class_id == cls.id, active).group_by(MailMessage.status)):
        if status in ("sent", "failed"):
            result[status] += n
        elif status in ("queued", "sending"):
            result["queued"] += n
    return result


def counts(rows: list[InviteeRow]) -> dict[str, int]:
    """The invitation page's figures; `to_invite` counts those "Gửi giấy mời" would write to now (an
    address and no invitation yet, as enqueue_invitations decides)."""
    result = {"people": len(rows), "without_email": 0, "sent": 0, "queued": 0, "failed": 0, "to_invite": 0}
    for row in rows:
        if row.email is None:
            result["without_email"] += 1
        elif not any(message.kind == "invitation" and message.status != "skipped" for message in row.messages):
            result["to_invite"] += 1
        for message in row.messages:
            if message.status in ("sent", "failed"):
                result[message.status] += 1
            elif message.status in ("queued", "sending"):
                result["queued"] += 1
    return result

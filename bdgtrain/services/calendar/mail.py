"""Sending the e-mail outbox: writing each message, handing it to SMTP (or a folder), retrying.

Each message is written when it leaves, in Vietnamese: the class, its sessions, her personal QR
ticket inline (a cid: image), an .ics with METHOD:REQUEST (or CANCEL) both as the text/calendar
alternative that mail clients turn into an invitation card and as an attachment, and the link
to her calendar feed, which stays in step with every later change.

The sender (`flask mail send`) claims due messages one by one (queued -> sending, a conditional
UPDATE, so two senders never send the same message), delivers, and records the outcome. A refused
or unreachable server puts the message back in the queue with a growing delay (rules/retry);
after MAIL_MAX_ATTEMPTS it is "failed", shown to organisers, who may queue it again. A sender that
died while sending leaves "sending" rows that are taken back after STALE_CLAIM.

Unlike a request, the sender commits after each message: a message handed to the server cannot
be taken back, so its "sent" must not wait for the rest of the batch.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select, update

from ...extensions import db
from ...models import ClassSession, MailMessage
from ...models.base import utcnow
from ...rules import ical
from ...rules.retry import backoff
from ..checkin.attendance_view import completion_of
from ..checkin.tickets import ticket_url
from ..core.qr import qr_png
from . import calendar_content, calendar_feeds

STALE_CLAIM = timedelta(minutes=15)
METHOD_BY_KIND = {"invitation": "REQUEST", "update": "REQUEST", "cancellation": "CANCEL"}


# --- writing a message --------------------------------------------------------------------------

def _sender() -> tuple[str, str]:
    name, address = getaddresses([current_app.config["MAIL_FROM"]])[0]
    return name, address


def _sessions(message: MailMessage) -> list[ClassSession]:
    cls = message.training_class
    if message.kind == "cancellation":
        if message.session_id is not None:
            return [s for s in cls.sessions if s.id == message.session_id]
        return list(cls.sessions)
    return [s for s in cls.sessions if s.status == "scheduled"]


def _subject(message: MailMessage) -> str:
    cls = message.training_class
    if message.kind == "invitation":
        return _("Giấy mời tham dự lớp tập huấn %(code)s: %(title)s", code=cls.code, title=cls.title)
    if message.kind == "update":
        return _("Thay đổi lịch lớp tập huấn %(code)s: %(title)s", code=cls.code, title=cls.title)
    if message.session_id is None or cls.is_cancelled:
        return _("Hủy lớp tập huấn %(code)s: %(title)s", code=cls.code, title=cls.title)
    return _("Hủy một buổi của lớp tập huấn %(code)s: %(title)s", code=cls.code, title=cls.title)


def build_email(message: MailMessage, now: datetime, base_url: str) -> tuple[EmailMessage, str]:
    """The MIME message for an outbox row, its links under `base_url`, and the "session:sequence" list
    its .ics carries."""
    if message.kind == "completion_warning":
        return _warning_email(message, now, base_url), ""
    enrolment, cls = message.enrolment, message.training_class
    person = enrolment.person
    sessions = _sessions(message)
    method = METHOD_BY_KIND[message.kind]
    events = calendar_content.session_events(sessions, {cls.id: enrolment.id}, base_url=base_url)
    if method == "CANCEL":
        events = [replace(e, status="CANCELLED") for e in events]
    sender_name, sender_address = _sender()
    organiser = cls.plan.organiser_org.name if cls.plan.organiser_org else sender_name
    ics = ical.build_calendar(ical.CalendarData(
        name=calendar_content.feed_name(calendar_content.Scope("class", cls.id)), method=method,
        organizer=ical.Person(sender_address, organiser), attendee=ical.Person(message.recipient, person.full_name),
        stamp=now, events=events))
    ticket = ticket_url(enrolment, base_url)
    feed = calendar_feeds.ensure_feed(None, "person", person.id)
    links = calendar_feeds.subscribe_links(calendar_feeds.feed_url(feed, base_url))
    domain = sender_address.rsplit("@", 1)[-1] or "bdgtrain.local"
    qr_cid = make_msgid("qr", domain=domain)
    context = dict(message=message, cls=cls, person=person, sessions=sessions, ticket_url=ticket, links=links,
                   organiser=organiser, qr_cid=qr_cid[1:-1], location=calendar_content.location_of(cls))

    email = EmailMessage()
    email["Subject"] = _subject(message)
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = f"{person.full_name} <{message.recipient}>" if person.full_name else message.recipient
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id or make_msgid("moi", domain=domain)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(render_template("mail/message.txt", **context))
    email.add_alternative(render_template("mail/message.html", **context), subtype="html")
    html_part = email.get_payload()[1]
    html_part.add_related(qr_png(ticket, scale=6), "image", "png", cid=qr_cid, filename="ma-qr.png",
                          disposition="inline")
    email.add_alternative(ics.decode(), subtype="calendar", params={"method": method})
    email.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    sequences = ",".join(f"{s.id}:{s.sequence}" for s in sessions)
    return email, sequences


def _warning_email(message: MailMessage, now: datetime, base_url: str) -> EmailMessage:
    """Below the completion threshold after a session: what she attended and what completing needs."""
    enrolment, cls = message.enrolment, message.training_class
    sender_name, sender_address = _sender()
    organiser = cls.plan.organiser_org.name if cls.plan.organiser_org else sender_name
    context = dict(cls=cls, person=enrolment.person, organiser=organiser, ticket_url=ticket_url(enrolment, base_url),
                   completion=completion_of(cls, enrolment.id, now))
    email = EmailMessage()
    email["Subject"] = _("Nhắc về điều kiện hoàn thành lớp %(code)s", code=cls.code)
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = f"{enrolment.person.full_name} <{message.recipient}>"
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id or make_msgid("nhac", domain=sender_address.rsplit("@", 1)[-1])
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(render_template("mail/completion_warning.txt", **context))
    return email


# --- delivering ---------------------------------------------------------------------------------

class Transport:
    """One SMTP connection for a batch (or a folder of .eml files, for development)."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage, message_id: int) -> None:
        outbox = self.config.get("MAIL_OUTBOX_DIR")
        if outbox:
            folder = Path(outbox)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{utcnow():%Y%m%dT%H%M%S}-{message_id}.eml").write_bytes(bytes(email))
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        mode = c.get("SMTP_TLS", "none")
        if mode == "ssl":
            smtp = smtplib.SMTP_SSL(c["SMTP_HOST"], c["SMTP_PORT"], timeout=c["SMTP_TIMEOUT"],
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(c["SMTP_HOST"], c["SMTP_PORT"], timeout=c["SMTP_TIMEOUT"])
            if mode == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if c.get("SMTP_USER"):
            smtp.login(c["SMTP_USER"], c.get("SMTP_PASSWORD", ""))
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None


def claim_due(now: datetime, limit: int = 100) -> list[int]:
    """Take back stale claims, then claim up to `limit` due messages; the caller commits."""
    db.session.execute(update(MailMessage).where(MailMessage.status == "sending",
                                                 MailMessage.claimed_at < now - STALE_CLAIM)
                       .values(status="queued").execution_options(synchronize_session=False))
    due = db.session.scalars(select(MailMessage.id).where(
        MailMessage.status == "queued", MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.next_attempt_at, MailMessage.id).limit(limit)).all()
    claimed = []
    for message_id in due:
        taken = db.session.execute(update(MailMessage).where(MailMessage.id == message_id,
                                                             MailMessage.status == "queued")
                                   .values(status="sending", claimed_at=now)
                                   .execution_options(synchronize_session=False)).rowcount
        if taken:
            claimed.append(message_id)
    return claimed


@dataclass
class Outcome:
    message_id: int
    status: str
    error: str | None = None


def deliver(message_id: int, transport: Transport, now: datetime, base_url: str) -> Outcome:
    """Write and send one claimed message, its links under `base_url`; record what happened. The caller commits."""
    message = db.session.get(MailMessage, message_id)
    try:
        email, sequences = build_email(message, now, base_url)
        message.subject, message.method, message.sequences = (email["Subject"], METHOD_BY_KIND.get(message.kind),
                                                               sequences)
        message.message_id = email["Message-ID"]
        transport.send(email, message.id)
    except Exception as error:  # a refusing server, a dropped line, or a bug: all are retried and shown
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        message.claimed_at = None
        if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = "failed"
        else:
            message.status = "queued"
            message.next_attempt_at = now + backoff(message.attempts)
        db.session.flush()
        # The message id, never the address: personal data stays out of logs (a refusal quotes the address).
        logged = (message.last_error.replace(message.recipient, "<recipient>") if message.recipient
                  else message.last_error)
        current_app.logger.warning("mail %s not sent (attempt %s): %s", message.id, message.attempts, logged)
        return Outcome(message.id, message.status, message.last_error)
    message.attempts += 1
    message.status, message.sent_at, message.last_error, message.claimed_at = "sent", now, None, None
    db.session.flush()
    return Outcome(message.id, "sent")


def send_due(base_url: str, now: datetime | None = None, limit: int = 100, commit=None) -> list[Outcome]:
    """Deliver every due message (at most `limit`), its links under `base_url` (BDGTRAIN_BASE_URL for
    `flask mail send`). `commit` runs after the claim and after each message."""
    commit = commit or (lambda: None)
    claimed = claim_due(now or utcnow(), limit)
    commit()
    transport = Transport(current_app.config)
    outcomes = []
    try:
        for message_id in claimed:
            outcomes.append(deliver(message_id, transport, now or utcnow(), base_url))
            commit()
    finally:
        transport.close()
    return outcomes

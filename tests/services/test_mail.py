"""Invitations by e-mail, received by a real SMTP server on 127.0.0.1: MIME parts, the inline QR,
the .ics (REQUEST, then a higher SEQUENCE, then CANCEL), retries when the server refuses or is down."""
from __future__ import annotations

import email
import socket
from datetime import date, time, timedelta
from email import policy

import icalendar
import pytest
import vobject
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import MailMessage
from bdgtrain.models.base import utcnow
from bdgtrain.services.calendar import calendar_feeds, invitations, mail
from bdgtrain.services.checkin.tickets import ticket_url
from bdgtrain.services.planning import planning, sessions
from tests import calendar_world


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses it when told to."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Thư bị từ chối"
        self.messages.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="Sở LĐ-TB&XH <moi@so.example>")
    yield inbox
    controller.stop()
    app.config.update(SMTP_PORT=9)


BASE_URL = "https://bdg.example"


@pytest.fixture
def world(app):
    return calendar_world.build()


def send(now=None):
    outcomes = mail.send_due(BASE_URL, now=now or utcnow(), commit=db.session.commit)
    db.session.commit()
    return outcomes


def calendar_of(message) -> tuple[icalendar.Calendar, bytes]:
    parts = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    assert len(parts) == 1
    raw = parts[0].get_payload(decode=True)
    vobject.readOne(raw.decode())
    return icalendar.Calendar.from_ical(raw), raw


def test_invitations_reach_those_with_email_and_name_those_without(smtp, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    result = invitations.enqueue_invitations(organiser, cls)
    db.session.commit()
    assert result.queued == 2 and [e.person.full_name for e in result.without_email] == ["Lê Thị Mai"]
    assert smtp.messages == []  # queuing sends nothing
    outcomes = send()
    assert [o.status for o in outcomes] == ["sent", "sent"]
    assert sorted(rcpt[0] for rcpt, _ in smtp.messages) == ["hoa@example.vn", "lan@example.vn"]
    rows = db.session.scalars(select(MailMessage)).all()
    assert {r.status for r in rows} == {"sent"} and all(r.sent_at and r.subject and r.method == "REQUEST" for r in rows)
    assert invitations.enqueue_invitations(organiser, cls).queued == 0  # once is enough, unless asked again


def test_invitation_mime_parts_qr_and_ics(smtp, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    invitations.enqueue_invitations(organiser, cls)
    db.session.commit()
    send()
    rcpt, message = next(m for m in smtp.messages if m[0] == ["hoa@example.vn"])
    assert message["Subject"] == f"Giấy mời tham dự lớp tập huấn LOP-3: {cls.title}"
    assert message.get_content_type() == "multipart/mixed"
    types = [p.get_content_type() for p in message.walk()]
    assert types.count("text/plain") == 1 and types.count("text/html") == 1
    assert "multipart/related" in types and "image/png" in types and "text/calendar" in types
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    assert f'cid:{image["Content-ID"].strip("<>")}' in html
    assert image.get_payload(decode=True).startswith(b"\x89PNG")
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    feed = calendar_feeds.current_feed("person", enrolments[0].person_id)
    assert ticket_url(enrolments[0], BASE_URL) in text
    assert "webcal://bdg.example/cal/" in text and calendar_feeds.feed_token(feed) in text
    assert "15/07/2019" in text and "Tiến sĩ Đặng Ngọc Toàn" in text
    alternative = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert alternative.get_param("method") == "REQUEST"
    parsed, raw = calendar_of(message)
    assert b"METHOD:REQUEST" in raw
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 4
    assert str(events[0]["ATTENDEE"]) == "mailto:hoa@example.vn"
    assert str(events[0]["ORGANIZER"]) == "mailto:moi@so.example"
    assert str(events[0]["LOCATION"]).startswith(calendar_world.TRICKY_VENUE)


def test_moving_a_session_sends_an_update_with_a_higher_sequence(smtp, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    invitations.enqueue_invitations(organiser, cls)
    db.session.commit()
    send()
    first, _ = calendar_of(smtp.messages[0][1])
    session = cls.sessions[0]
    uid = f"session-{session.id}@bdgtrain.local"
    old_sequence = next(int(e["SEQUENCE"]) for e in first.walk("VEVENT") if str(e["UID"]) == uid)
    sessions.update_session(organiser, session, sessions.SessionInput(
        day=date(2019, 7, 15), start=time(8, 0), end=time(11, 0), label="Sáng"))
    sessions.update_session(organiser, session, sessions.SessionInput(  # twice: still one update each
        day=date(2019, 7, 15), start=time(8, 30), end=time(11, 0), label="Sáng"))
    db.session.commit()
    smtp.messages.clear()
    send()
    assert len(smtp.messages) == 2
    update = smtp.messages[0][1]
    assert update["Subject"].startswith("Thay đổi lịch lớp tập huấn")
    parsed, raw = calendar_of(update)
    event = next(e for e in parsed.walk("VEVENT") if str(e["UID"]) == uid)
    assert int(event["SEQUENCE"]) == old_sequence + 2
    assert event.decoded("DTSTART").strftime("%H:%M") == "08:30"


def test_cancelling_sends_method_cancel(smtp, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    invitations.enqueue_invitations(organiser, cls)
    db.session.commit()
    send()
    smtp.messages.clear()
    sessions.set_session_cancelled(organiser, cls.sessions[1], True)
    db.session.commit()
    send()
    parsed, raw = calendar_of(smtp.messages[0][1])
    assert b"METHOD:CANCEL" in raw
    assert [str(e["STATUS"]) for e in parsed.walk("VEVENT")] == ["CANCELLED"]
    smtp.messages.clear()
    planning.cancel_class(organiser, cls, "Hoãn vì bão")
    db.session.commit()
    send()
    parsed, raw = calendar_of(smtp.messages[0][1])
    assert smtp.messages[0][1]["Subject"].startswith("Hủy lớp tập huấn")
    assert len(list(parsed.walk("VEVENT"))) == 4 and b"METHOD:CANCEL" in raw


def test_queued_invitations_of_a_cancelled_class_are_not_sent(smtp, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    invitations.enqueue_invitations(organiser, cls)
    planning.cancel_class(organiser, cls, "Hoãn")
    db.session.commit()
    assert send() == []
    assert {m.status for m in db.session.scalars(select(MailMessage))} == {"skipped"}


def test_refusing_server_is_retried_with_backoff_then_reported(app, smtp, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    smtp.refuse = True
    invitations.enqueue_invitations(organiser, cls)
    db.session.commit()
    now = utcnow()
    assert {o.status for o in send(now)} == {"queued"}
    row = db.session.scalars(select(MailMessage)).first()
    assert row.attempts == 1 and "554" in row.last_error and row.next_attempt_at > now
    assert send(now) == []  # not due yet
    send(now + timedelta(minutes=2))
    assert {o.status for o in send(now + timedelta(minutes=10))} == {"failed"}
    page_rows = invitations.overview(cls)
    assert invitations.counts(page_rows)["failed"] == 2
    smtp.refuse = False
    assert invitations.retry_failed(organiser, cls) == 2
    db.session.commit()
    assert {o.status for o in send(now + timedelta(minutes=11))} == {"sent"}
    assert len(smtp.messages) == 2


def test_server_down_keeps_messages_queued(app, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    invitations.enqueue_invitations(organiser, cls)
    db.session.commit()
    outcomes = send()
    assert {o.status for o in outcomes} == {"queued"} and all("Connection" in o.error or "refused" in o.error
                                                              for o in outcomes)


def test_outbox_folder_for_development(app, tmp_path, world):
    plan, cls, organiser, enrolments, trainer, unit = world
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path)
    try:
        invitations.enqueue_invitations(organiser, cls)
        db.session.commit()
        assert {o.status for o in send()} == {"sent"}
    finally:
        app.config["MAIL_OUTBOX_DIR"] = ""
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    calendar_of(parsed)


def test_invitation_page_and_cli_sender(app, client, web, smtp, world, runner):
    plan, cls, organiser, enrolments, trainer, unit = world
    web.login(organiser.email)
    url = f"/plans/{plan.code}/classes/{cls.code}/invitations"
    asked = web.post(url, {"action": "invite"}, token_page=url)
    # Sending asks first (issue 21): the question names the count and nothing is queued yet.
    assert asked.status_code == 200 and "Gửi 2 giấy mời" in asked.get_data(as_text=True)
    assert "đang chờ gửi" not in client.get(url).get_data(as_text=True)
    response = web.post(url, {"action": "invite", "confirmed": "yes"}, token_page=url)
    assert response.status_code == 303 and smtp.messages == []
    page = client.get(url).get_data(as_text=True)
    assert "Lê Thị Mai" in page and f"/plans/{plan.code}/classes/{cls.code}/cards" in page
    assert "đang chờ gửi" in page
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Đã gửi 2/2 thư" in result.output
    assert len(smtp.messages) == 2
    assert "đã gửi lúc" in client.get(url).get_data(as_text=True)


def test_invitation_page_counts_in_sql_agree_with_the_rows(smtp, world):
    """class_counts (grouped SQL) against counts(overview()) (row by row), with a failed, a skipped and a queued
    message, someone without an address and a declined participant who was mailed."""
    from bdgtrain.models import Enrolment
    plan, cls, organiser, enrolments, trainer, unit = world
    invitations.enqueue_invitations(organiser, cls)
    db.session.flush()
    messages = db.session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
    messages[0].status = "failed"
    messages[1].status = "skipped"
    db.session.flush()
    expected = invitations.counts(invitations.overview(cls))
    assert invitations.class_counts(cls) == expected and expected["failed"] == 1 and expected["without_email"] == 1
    declined = db.session.get(Enrolment, messages[0].enrolment_id)
    declined.status = "declined"
    db.session.flush()
    expected = invitations.counts(invitations.overview(cls))
    assert invitations.class_counts(cls) == expected and expected["failed"] == 0 and expected["to_invite"] == 1
    page = invitations.overview_page(cls, 1)
    assert [(r.enrolment.id, r.email, r.messages) for r in page.items] == [
        (r.enrolment.id, r.email, r.messages) for r in invitations.overview(cls)]

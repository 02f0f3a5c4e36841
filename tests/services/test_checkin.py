"""Check-in through the one path: answers, idempotency, the earliest time, room codes, closing, concurrency."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bdgtrain import database
from bdgtrain.extensions import db
from bdgtrain.models import Attendance, AuditEvent, CheckinScan
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.checkin import batches, checkin, marking, rooms
from bdgtrain.services.planning import planning
from tests import factories as make


@pytest.fixture
def hall(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    plan = make.plan(organiser_org, "KH-QR")
    cls, enrolments = make.class_open_now(plan, "LOP-QR", people=3, sessions=2)
    db.session.commit()
    return plan, cls, enrolments, organiser


def rows(enrolment=None):
    query = select(func.count()).select_from(Attendance)
    if enrolment is not None:
        query = query.where(Attendance.enrolment_id == enrolment.id)
    return db.session.scalar(query)


def scan(enrolment_or_text, **kwargs):
    text = enrolment_or_text if isinstance(enrolment_or_text, str) else ticket_token(enrolment_or_text.id)
    kwargs.setdefault("source", "scanner")
    return checkin.perform_checkin(text, **kwargs)


def test_first_scan_checks_in_and_second_says_already_with_the_first_time(hall):
    _, cls, (hoa, *_), _ = hall
    first = scan(hoa, scanner_class=cls)
    assert (first.outcome, first.status, first.person_name) == ("checked_in", "present", hoa.person.full_name)
    later = first.checked_in_at + timedelta(minutes=3)
    second = scan(hoa, scanner_class=cls, scanned_at=later, received_at=later)
    assert second.outcome == "already"
    assert second.checked_in_at == first.checked_in_at
    assert rows(hoa) == 1


def test_second_scan_keeps_first_time_when_an_offline_device_scanned_earlier(hall):
    _, cls, (hoa, *_), _ = hall
    now = utcnow()
    scan(hoa, scanned_at=now)
    earlier = now - timedelta(minutes=2)
    assert scan(hoa, source="offline", scanned_at=earlier).outcome == "already"
    assert db.session.scalar(select(Attendance.checked_in_at)) == earlier.replace(microsecond=earlier.microsecond)
    assert rows() == 1


def test_scan_accepts_the_whole_ticket_url(hall, app):
    _, cls, (hoa, *_), _ = hall
    from bdgtrain.services.checkin.tickets import ticket_url
    url = ticket_url(hoa, "https://hall.local:5443")
    assert url.startswith("HTTPS://HALL.LOCAL:5443/T/")
    assert scan(url, scanner_class=cls).outcome == "checked_in"


@pytest.mark.parametrize("tamper", [lambda t: t[:-1], lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
                                    lambda t: "X" + t[1:] if t[0] != "X" else "Y" + t[1:], lambda t: "",
                                    lambda t: "hello"])
def test_forged_or_truncated_token_is_refused_and_logged(hall, tamper):
    _, cls, (hoa, *_), _ = hall
    result = scan(tamper(ticket_token(hoa.id)), scanner_class=cls)
    assert result.outcome == "invalid_token" and result.person_name is None
    assert rows() == 0
    assert db.session.scalar(select(CheckinScan.outcome)) == "invalid_token"


def test_ticket_of_another_class_is_wrong_class(hall):
    plan, cls, (hoa, *_), _ = hall
    other, _people = make.class_open_now(plan, "LOP-KHAC", people=1)
    assert scan(hoa, scanner_class=other).outcome == "wrong_class"
    assert rows() == 0


def test_wrong_class_scan_is_logged_under_the_class_of_the_scanner_that_made_it(hall):
    plan, cls, (hoa, *_), _ = hall
    lop_a, _people = make.class_open_now(plan, "LOP-A", people=1)
    assert scan(hoa, scanner_class=lop_a).outcome == "wrong_class"
    logged = db.session.execute(select(CheckinScan.class_id, CheckinScan.enrolment_id, CheckinScan.outcome)).all()
    assert [tuple(r) for r in logged] == [(lop_a.id, hoa.id, "wrong_class")]


def test_scan_without_a_scanner_class_is_logged_under_the_tickets_class(hall):
    _, cls, (hoa, *_), _ = hall
    assert scan(hoa, source="api").outcome == "checked_in"
    assert db.session.scalar(select(CheckinScan.class_id)) == cls.id


def test_one_scan_sent_twice_by_the_scanner_is_logged_once(hall):
    _, cls, (hoa, *_), _ = hall
    first = scan(hoa, scanner_class=cls, nonce="card-once")
    again = scan(hoa, scanner_class=cls, nonce="card-once")
    assert (first.outcome, again.outcome) == ("checked_in", "checked_in")
    assert again.checked_in_at == first.checked_in_at
    assert db.session.scalar(select(func.count()).select_from(CheckinScan)) == 1
    assert rows(hoa) == 1


def scans_logged():
    return db.session.scalar(select(func.count()).select_from(CheckinScan))


def test_one_card_seen_twice_by_the_camera_within_five_seconds_is_logged_once(hall):
    _, cls, (hoa, *_), _ = hall
    now = utcnow()
    first = scan(hoa, scanner_class=cls, device="web-5470cb7a", nonce="sighting-1", scanned_at=now)
    again = scan(hoa, scanner_class=cls, device="web-5470cb7a", nonce="sighting-2",
                 scanned_at=now + timedelta(seconds=4))
    assert (first.outcome, again.outcome) == ("checked_in", "checked_in")
    assert again.checked_in_at == first.checked_in_at and again.person_name == hoa.person.full_name
    assert scans_logged() == 1 and rows(hoa) == 1


def test_same_card_after_five_seconds_or_at_another_device_is_logged_again(hall):
    _, cls, (hoa, *_), _ = hall
    now = utcnow()
    scan(hoa, scanner_class=cls, device="web-1", scanned_at=now)
    assert scan(hoa, scanner_class=cls, device="web-2", scanned_at=now + timedelta(seconds=1)).outcome == "already"
    assert scan(hoa, scanner_class=cls, device="web-1", scanned_at=now + timedelta(seconds=6)).outcome == "already"
    assert scans_logged() == 3 and rows(hoa) == 1


def test_wrong_class_card_held_up_once_is_logged_once_under_the_scanners_class(hall):
    plan, cls, (hoa, *_), _ = hall
    lop_a, _people = make.class_open_now(plan, "LOP-A", people=1)
    now = utcnow()
    answers = [scan(hoa, scanner_class=lop_a, device="web-a", scanned_at=now + timedelta(seconds=s)).outcome
               for s in (0, 1, 2)]
    assert answers == ["wrong_class"] * 3
    logged = db.session.execute(select(CheckinScan.class_id, CheckinScan.outcome)).all()
    assert [tuple(r) for r in logged] == [(lop_a.id, "wrong_class")]
    # The same card at its own class's door an instant later is another scan, logged there.
    assert scan(hoa, scanner_class=cls, device="web-a", scanned_at=now + timedelta(seconds=3)).outcome == "checked_in"
    assert scans_logged() == 2


def test_replaced_enrolment_is_revoked(hall):
    _, cls, (hoa, lan, _), organiser = hall
    from bdgtrain.services.lists import roster_decisions
    roster_decisions.replace_enrolment(organiser, hoa, lan)
    assert scan(hoa, scanner_class=cls).outcome == "revoked"
    assert scan(lan, scanner_class=cls).outcome == "checked_in"


def test_removed_enrolment_is_not_on_list(hall):
    _, cls, (hoa, *_), _ = hall
    token = ticket_token(hoa.id)
    db.session.delete(hoa)
    db.session.flush()
    assert scan(token, scanner_class=cls).outcome == "not_on_list"


def test_cancelled_class_refuses(hall):
    _, cls, (hoa, *_), organiser = hall
    planning.cancel_class(organiser, cls, "Bão")
    assert scan(hoa).outcome == "cancelled"


def test_outside_window_says_when_it_opens(hall):
    _, cls, (hoa, *_), _ = hall
    session = cls.sessions[0]
    result = scan(hoa, scanned_at=session.starts_at - timedelta(hours=2))
    assert result.outcome == "outside_window"
    assert result.next_opens_at == session.starts_at - timedelta(minutes=60)
    assert "mở lúc" in result.message


def test_late_after_fifteen_minutes(hall):
    _, cls, (hoa, *_), _ = hall
    at = cls.sessions[0].starts_at + timedelta(minutes=16)
    result = scan(hoa, scanned_at=at, received_at=at)
    assert (result.outcome, result.status) == ("checked_in", "late")


def test_scan_time_in_the_future_is_taken_as_now(hall):
    _, cls, (hoa, *_), _ = hall
    now = utcnow()
    result = scan(hoa, scanned_at=now + timedelta(hours=1), received_at=now)
    assert result.checked_in_at == now


def test_same_nonce_twice_is_recorded_once_and_answered_the_same(hall):
    _, cls, (hoa, *_), _ = hall
    first = scan(hoa, nonce="n-1", source="offline")
    again = scan(hoa, nonce="n-1", source="offline")
    assert first.outcome == again.outcome == "checked_in"
    assert again.person_name == hoa.person.full_name
    assert db.session.scalar(select(func.count()).select_from(CheckinScan)) == 1
    assert rows() == 1


def test_batch_answers_each_entry_and_accepts_the_good_ones(hall):
    _, cls, (hoa, lan, mai), _ = hall
    answers = batches.redeem_batch([
        {"token": ticket_token(hoa.id), "nonce": "a", "scanned_at": utcnow().isoformat()},
        "not an object",
        {"token": 42},
        {"token": ticket_token(lan.id), "scanned_at": "yesterday-ish"},
        {"token": ticket_token(mai.id), "nonce": "c", "scanned_at": int(utcnow().timestamp() * 1000)},
    ], actor=None, scanner_class=cls)
    assert [a["status"] for a in answers] == ["checked_in", "malformed", "malformed", "malformed", "checked_in"]
    assert rows() == 2


def test_queued_scan_older_than_two_days_is_outside_window(hall):
    _, cls, (hoa, *_), _ = hall
    old = utcnow() - timedelta(days=3)
    assert scan(hoa, source="offline", scanned_at=old).outcome == "outside_window"


def test_room_code_checks_in_while_fresh_and_refuses_a_replay(hall):
    _, cls, (hoa, lan, _), _ = hall
    now = utcnow()
    code, _left = rooms.current_room_code(cls, now)
    accepted = rooms.checkin_by_room_code(cls, code, now, ticket_token(hoa.id), received_at=now)
    assert accepted.outcome == "checked_in"
    later = now + timedelta(seconds=3 * cls.room_code_seconds)
    replay = rooms.checkin_by_room_code(cls, code, later, ticket_token(lan.id), received_at=later)
    assert replay.outcome == "code_expired"
    assert rows(lan) == 0


def test_room_code_counts_the_scan_time_not_the_typing_time(hall):
    _, cls, (hoa, *_), _ = hall
    scanned = utcnow()
    code, _left = rooms.current_room_code(cls, scanned)
    submitted = scanned + timedelta(minutes=5)  # she typed her phone number slowly
    result = rooms.checkin_by_room_code(cls, code, scanned, ticket_token(hoa.id), received_at=submitted)
    assert result.outcome == "checked_in"


def test_close_marks_unmarked_absent_and_scan_later_cannot_fake(hall):
    _, cls, (hoa, lan, mai), _ = hall
    scan(hoa)
    after_end = cls.sessions[0].ends_at + timedelta(minutes=1)
    assert marking.close_sessions(after_end) == 2
    assert marking.close_sessions(after_end) == 0  # running it again writes nothing
    statuses = dict(db.session.execute(select(Attendance.enrolment_id, Attendance.status)).all())
    assert statuses == {hoa.id: "present", lan.id: "absent", mai.id: "absent"}


def test_manual_mark_needs_a_reason_for_absence_and_is_audited(hall):
    from bdgtrain.errors import DomainError
    _, cls, (hoa, *_), organiser = hall
    session = cls.sessions[0]
    with pytest.raises(DomainError) as refused:
        marking.mark_attendance(organiser, cls, hoa, session, "excused", "  ")
    assert refused.value.field == "reason"
    marking.mark_attendance(organiser, cls, hoa, session, "excused", "Ốm")
    marking.mark_attendance(organiser, cls, hoa, session, "present", None)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "checkin.manual.changed")).all()
    assert [e.after["status"] for e in events] == ["excused", "present"]
    assert events[1].before["status"] == "excused" and events[0].actor_id == organiser.id


def test_scan_of_someone_marked_absent_by_hand_checks_her_in(hall):
    _, cls, (hoa, *_), organiser = hall
    marking.mark_attendance(organiser, cls, hoa, cls.sessions[0], "absent", "Chưa thấy")
    assert scan(hoa).outcome == "checked_in"
    assert db.session.scalar(select(Attendance.status)) == "present"


@pytest.mark.parametrize("read_first", [False, True], ids=["locked", "read-first"])
def test_32_threads_scanning_200_tickets_with_repeats_leave_one_row_each(app, backend, read_first):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    plan = make.plan(organiser_org, "KH-TAI")
    cls, enrolments = make.class_open_now(plan, "LOP-TAI", people=200)
    tickets = [ticket_token(e.id) for e in enrolments]
    db.session.commit()  # end this thread's transaction: on SQLite an open one would hold the write lock
    work = [tickets[i % 200] for i in range(32 * 10)] + tickets[:80]  # every ticket, many twice or more
    answers, errors = [], []
    lock = threading.Lock()

    def worker(chunk):
        try:
            with app.app_context():
                for text in chunk:
                    if read_first:  # as the API does: SQLite's write lock only for the INSERTs
                        database.read_first(db.session)
                    result = checkin.perform_checkin(text, source="api")
                    db.session.commit()
                    with lock:
                        answers.append(result.outcome)
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(work[i::32],)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert len(answers) == len(work)
    assert answers.count("checked_in") == 200
    assert set(answers) == {"checked_in", "already"}
    per_pair = db.session.execute(select(Attendance.session_id, Attendance.enrolment_id, func.count())
                                  .group_by(Attendance.session_id, Attendance.enrolment_id)).all()
    assert len(per_pair) == 200 and all(n == 1 for *_, n in per_pair)


def test_invited_participant_below_threshold_is_warned_once_by_email(hall, app):
    from bdgtrain.models import MailMessage
    from bdgtrain.services.calendar import invitations, mail

    _, cls, (hoa, lan, mai), _ = hall
    for enrolment in (hoa, lan):
        enrolment.person.email = f"hv{enrolment.id}@example.vn"
    invitations.enqueue_invitations(None, cls)
    db.session.execute(MailMessage.__table__.update().values(status="sent"))  # as `flask mail send` leaves them
    scan(hoa)  # Hoa attends the first session; Lan and Mai do not (Mai has no e-mail)
    after_end = cls.sessions[0].ends_at + timedelta(minutes=1)
    invitations.close_sessions_and_warn(after_end)
    invitations.close_sessions_and_warn(after_end)  # cron runs again: nothing more is queued
    warnings = db.session.scalars(select(MailMessage).where(MailMessage.kind == "completion_warning")).all()
    assert [w.enrolment_id for w in warnings] == [lan.id]
    assert warnings[0].session_id == cls.sessions[0].id
    email, _sequences = mail.build_email(warnings[0], after_end, "https://hall.local")  # as `flask mail send` does
    body = email.get_content()
    assert "LOP-QR" in email["Subject"] and "0 trên 1 buổi" in body and "2 trên 2 buổi" in body


def test_sessions_closed_long_ago_send_no_warning(hall):
    from bdgtrain.models import MailMessage
    from bdgtrain.services.calendar import invitations

    _, cls, (hoa, *_), _ = hall
    hoa.person.email = "hoa@example.vn"
    invitations.enqueue_invitations(None, cls)
    db.session.execute(MailMessage.__table__.update().values(status="sent"))
    invitations.close_sessions_and_warn(cls.sessions[0].ends_at + timedelta(days=3))
    assert db.session.scalar(select(func.count()).select_from(MailMessage)
                             .where(MailMessage.kind == "completion_warning")) == 0

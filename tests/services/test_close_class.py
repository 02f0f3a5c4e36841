"""A class whose roll was called is never cancelled: it is closed, its sessions still to come cancelled,
and the sessions held keep their credit in completions, stored completions, the trained share and
the calendars, on both backends."""
from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.localtime import to_local
from bdgtrain.models import Attendance, AuditEvent, ClassSession, MailMessage, Person, PoolEntry, TrainingClass
from bdgtrain.models.base import utcnow
from bdgtrain.services.calendar import calendar_content
from bdgtrain.services.calendar.calendar_content import Scope
from bdgtrain.services.checkin.attendance_view import completions as class_completions
from bdgtrain.services.planning import planning, sessions
from bdgtrain.services.reporting import completions
from bdgtrain.services.reporting.reporting import compute_trained_share
from tests import factories as make
from tests.services.test_completions import expected_completions, invalid_ids, stored


@pytest.fixture
def held_in_part(app):
    """A class of four sessions a day apart: two held (at -36h and -12h), two to come (+12h, +36h).
    Hoa attended both held sessions, Lan the first only (absent from the second), Mai neither.
    Hoa and Lan are women in a unit's planning pool. Returns (class, [Hoa, Lan, Mai], organiser, now)."""
    province = make.org("T", "Tỉnh Hà Tĩnh", kind="province")
    unit = make.org("CX", "Huyện Cẩm Xuyên", kind="district", parent=province)
    organiser = make.user("tochuc@test.vn", "organiser", province)
    plan = make.plan(province, "KH-DONG")
    cls, enrolments = make.class_open_now(plan, "LOP-DONG", people=3, sessions=4, started_minutes_ago=36 * 60)
    held = cls.sessions[:2]
    marks = {0: ["present", "present"], 1: ["present", "absent"], 2: ["absent", "absent"]}
    for n, enrolment in enumerate(enrolments):
        for session, status in zip(held, marks[n]):
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status=status,
                                      source="manual"))
    year = to_local(utcnow()).year
    for enrolment in enrolments[:2]:
        db.session.add(PoolEntry(person_id=enrolment.person_id, organisation_id=unit.id,
                                 cycle=f"{year - 4}-{year + 1}", cycle_starts_on=date(year - 4, 1, 1),
                                 cycle_ends_on=date(year + 1, 12, 31), added_on=date(year - 4, 1, 1)))
    db.session.commit()
    return cls, enrolments, organiser, utcnow()


def _audit_actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def _today():
    return to_local(utcnow()).date()


# --- refusals ------------------------------------------------------------------------------------

def test_cancelling_a_class_with_attendance_is_refused_and_says_to_close(held_in_part):
    cls, _, organiser, _ = held_in_part
    sequences = [s.sequence for s in cls.sessions]
    events = len(_audit_actions())
    with pytest.raises(DomainError) as refused:
        planning.cancel_class(organiser, cls, "Hết kinh phí")
    assert refused.value.code == "class.has_attendance"
    assert "không thể hủy" in refused.value.message and "Đóng lớp" in refused.value.message
    db.session.rollback()
    cls = db.session.get(TrainingClass, cls.id)
    assert (cls.status, cls.cancel_reason, cls.cancelled_at) == ("planned", None, None)
    assert [s.sequence for s in cls.sessions] == sequences
    assert len(_audit_actions()) == events


def test_absent_marks_alone_are_a_roll_call(held_in_part):
    cls, enrolments, organiser, _ = held_in_part
    db.session.execute(Attendance.__table__.update().where(Attendance.status != "absent").values(status="absent"))
    with pytest.raises(DomainError) as refused:
        planning.cancel_class(organiser, cls, "Hết kinh phí")
    assert refused.value.code == "class.has_attendance"


def test_an_excused_mark_ahead_of_the_class_does_not_stop_a_cancellation(app):
    province = make.org("T", "Tỉnh", kind="province")
    plan = make.plan(province)
    cls, (hoa, *_) = make.class_open_now(plan, people=2, sessions=2, started_minutes_ago=-24 * 60)
    db.session.add(Attendance(session_id=cls.sessions[1].id, enrolment_id=hoa.id, status="excused",
                              reason="Đi công tác"))
    db.session.flush()
    sessions.set_session_cancelled(None, cls.sessions[1], True)
    planning.cancel_class(None, cls, "Bão")
    assert cls.status == "cancelled"


def test_cancelling_a_session_with_attendance_is_refused(held_in_part):
    cls, _, organiser, _ = held_in_part
    held = cls.sessions[1]
    with pytest.raises(DomainError) as refused:
        sessions.set_session_cancelled(organiser, held, True)
    assert refused.value.code == "session.has_attendance"
    assert "Đóng lớp" in refused.value.message
    db.session.rollback()
    held = db.session.get(ClassSession, held.id)
    assert (held.status, held.sequence) == ("scheduled", 0)
    assert "plan.session.cancelled" not in _audit_actions()
    # A session still to come, with no roll call, is cancelled as before.
    sessions.set_session_cancelled(organiser, db.session.get(TrainingClass, cls.id).sessions[3], True)


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_needs_a_reason(held_in_part, reason):
    cls, _, organiser, now = held_in_part
    with pytest.raises(DomainError) as refused:
        planning.close_class(organiser, cls, now, reason)
    assert (refused.value.code, refused.value.field) == ("class.close_reason_missing", "reason")
    db.session.rollback()
    assert {s.status for s in db.session.get(TrainingClass, cls.id).sessions} == {"scheduled"}
    assert "plan.class.closed" not in _audit_actions()


def test_closing_a_class_not_yet_held_is_refused_and_says_to_cancel(app):
    plan = make.plan(make.org("T", "Tỉnh", kind="province"))
    cls, _ = make.class_open_now(plan, people=1, sessions=2, started_minutes_ago=-24 * 60)
    with pytest.raises(DomainError) as refused:
        planning.close_class(None, cls, utcnow(), "Hết kinh phí")
    assert refused.value.code == "class.nothing_held" and "Hủy lớp" in refused.value.message


def test_closing_a_class_with_nothing_left_to_come_is_refused(held_in_part):
    cls, _, organiser, now = held_in_part
    with pytest.raises(DomainError) as refused:
        planning.close_class(organiser, cls, now + timedelta(days=3), "Hết kinh phí")
    assert refused.value.code == "class.nothing_to_close"


def test_closing_twice_or_a_cancelled_class_is_refused(held_in_part):
    cls, _, organiser, now = held_in_part
    planning.close_class(organiser, cls, now, "Giảng viên ốm")
    with pytest.raises(DomainError) as refused:
        planning.close_class(organiser, cls, now, "Lần nữa")
    assert refused.value.code == "class.already_closed"
    plan = make.plan(make.org("T2", "Tỉnh 2", kind="province"), code="KH-2")
    other = make.training_class(plan)
    planning.cancel_class(None, other, "Bão")
    with pytest.raises(DomainError) as refused:
        planning.close_class(None, other, now, "Bão")
    assert refused.value.code == "class.already_cancelled"


# --- closing -------------------------------------------------------------------------------------

def test_closing_cancels_the_sessions_to_come_and_keeps_the_held_ones(held_in_part):
    cls, _, organiser, now = held_in_part
    attendance_before = db.session.scalar(select(func.count()).select_from(Attendance))
    closing = planning.plan_closing(cls, now)
    assert [s.id for s in closing.cancelled] == [s.id for s in cls.sessions[2:]]
    assert [s.id for s in closing.kept] == [s.id for s in cls.sessions[:2]]
    planning.close_class(organiser, cls, now, "  Giảng viên ốm dài ngày  ")
    db.session.commit()
    cls = db.session.get(TrainingClass, cls.id)
    assert [s.status for s in cls.sessions] == ["scheduled", "scheduled", "cancelled", "cancelled"]
    assert [s.sequence for s in cls.sessions] == [0, 0, 1, 1]
    assert (cls.status, cls.is_closed, cls.close_reason) == ("planned", True, "Giảng viên ốm dài ngày")
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == attendance_before
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.class.closed")).one()
    assert event.after["close_reason"] == "Giảng viên ốm dài ngày"
    assert event.after["cancelled_session_ids"] == [s.id for s in cls.sessions[2:]]
    assert _audit_actions().count("plan.session.cancelled") == 2


def test_closing_keeps_a_session_already_checked_into(held_in_part):
    cls, (hoa, *_), organiser, now = held_in_part
    early = cls.sessions[2]  # the door opens before the start: she is already in
    db.session.add(Attendance(session_id=early.id, enrolment_id=hoa.id, status="present", checked_in_at=now))
    db.session.flush()
    planning.close_class(organiser, cls, now, "Giảng viên ốm")
    assert [s.status for s in cls.sessions] == ["scheduled", "scheduled", "scheduled", "cancelled"]
    # Editing the note of the session kept does not reopen the class. (The fixture's sessions start at
    # now - 36 h and last 4 h: run between 08:00 and 12:00 local, one crosses midnight, which the one-day
    # session form cannot say; it then ends at 23:59.)
    starts, ends = to_local(early.starts_at), to_local(early.ends_at)
    end = ends.time().replace(microsecond=0) if ends.date() == starts.date() else time(23, 59)
    sessions.update_session(organiser, early, sessions.SessionInput(
        day=starts.date(), start=starts.time().replace(microsecond=0), end=end, label=early.label, note="Phòng 2"))
    assert cls.is_closed


def test_closed_class_keeps_the_credit_of_its_held_sessions(held_in_part):
    cls, (hoa, lan, mai), organiser, now = held_in_part
    before = class_completions(cls, now)
    assert not before[hoa.id].completed  # 2 of 4 sessions while two are still to come
    report, _ = compute_trained_share(_today())
    assert (report.total.women, report.total.trained) == (2, 0)

    planning.close_class(organiser, cls, now, "Giảng viên ốm dài ngày")
    db.session.commit()
    cls = db.session.get(TrainingClass, cls.id)
    after = class_completions(cls, utcnow())
    assert after[hoa.id].completed and (after[hoa.id].attended, after[hoa.id].held) == (2, 2)
    assert not after[lan.id].completed and not after[mai.id].completed
    report, _ = compute_trained_share(_today())
    assert (report.total.women, report.total.trained) == (2, 1)


def test_stored_completions_follow_a_closing(held_in_part):
    cls, (hoa, *_), organiser, now = held_in_part
    completions.refresh(everything=True)
    db.session.commit()
    assert invalid_ids() == set() and stored() == expected_completions() == set()
    planning.close_class(organiser, cls, now, "Giảng viên ốm dài ngày")
    db.session.flush()
    assert invalid_ids() == {cls.id}  # the triggers saw the sessions cancelled
    live, _ = compute_trained_share(_today())
    completions.refresh()
    db.session.commit()
    assert invalid_ids() == set()
    last_held = to_local(cls.sessions[1].ends_at).date()
    assert stored() == expected_completions() == {(hoa.id, hoa.person_id, cls.id, last_held)}
    report, _ = compute_trained_share(_today())
    assert report.total == live.total and report.total.trained == 1


def test_restoring_a_cancelled_session_reopens_the_class(held_in_part):
    cls, _, organiser, now = held_in_part
    planning.close_class(organiser, cls, now, "Giảng viên ốm")
    sessions.set_session_cancelled(organiser, cls.sessions[3], False)
    assert (cls.is_closed, cls.close_reason) == (False, None)
    assert _audit_actions()[-2:] == ["plan.session.restored", "plan.class.reopened"]
    planning.close_class(organiser, cls, utcnow(), "Giảng viên ốm")  # it may be closed again
    assert cls.is_closed and [s.status for s in cls.sessions][2:] == ["cancelled", "cancelled"]


def test_feed_shows_the_sessions_a_closing_cancelled(held_in_part):
    cls, _, organiser, now = held_in_part
    planning.close_class(organiser, cls, now, "Giảng viên ốm dài ngày")
    db.session.commit()
    raw = calendar_content.build_feed(Scope("class", cls.id), base_url="https://bdg.example")
    found = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
    by_session = {s.id: found[calendar_content.event_uid(s)] for s in cls.sessions}
    assert [str(by_session[s.id]["STATUS"]) for s in cls.sessions] == ["TENTATIVE", "TENTATIVE", "CANCELLED",
                                                                       "CANCELLED"]
    assert [int(by_session[s.id]["SEQUENCE"]) for s in cls.sessions] == [0, 0, 1, 1]
    assert "lớp đã đóng: Giảng viên ốm dài ngày" in str(by_session[cls.sessions[3].id]["DESCRIPTION"])
    assert "đã đóng" not in str(by_session[cls.sessions[0].id]["DESCRIPTION"])


def test_invited_participants_are_told_of_each_cancelled_session(held_in_part):
    cls, enrolments, organiser, now = held_in_part
    for enrolment in enrolments:
        person = db.session.get(Person, enrolment.person_id)
        person.email = f"hv{enrolment.id}@example.vn"
        db.session.add(MailMessage(kind="invitation", class_id=cls.id, enrolment_id=enrolment.id,
                                   recipient=person.email, status="sent"))
    db.session.flush()
    planning.close_class(organiser, cls, now, "Giảng viên ốm")
    cancellations = db.session.execute(select(MailMessage.enrolment_id, MailMessage.session_id)
                                       .where(MailMessage.kind == "cancellation")).all()
    assert sorted(cancellations) == sorted((e.id, s.id) for e in enrolments for s in cls.sessions[2:])

"""The demo's practice class: on the day it is run, idempotent, open for check-in and feedback, marked,
and in no figure (reports, monitoring, periodic reports, trained share)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.localtime import local_to_utc, local_today, to_local
from bdgtrain.models import Attendance, ClassSession, Enrolment, Organisation, PoolEntry, TrainingClass, User
from bdgtrain.models.base import utcnow
from bdgtrain.security import ticket_token
from bdgtrain.services.checkin import checkin
from bdgtrain.services.demo import practice
from bdgtrain.services.feedback import feedback
from bdgtrain.services.reporting import completions
from bdgtrain.services.reporting.reporting import compute_trained_share
from tests import factories as make
from tests import monitoring_world

NOON = time(12, 0)


def _noon(day: date) -> datetime:
    return local_to_utc(day, NOON)


def _attendance(cls: TrainingClass) -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance).join(ClassSession)
                             .where(ClassSession.class_id == cls.id))


def test_practice_class_is_on_the_day_it_is_run_with_its_people(app):
    day = local_today()
    made = practice.ensure_practice_class(_noon(day))
    assert made.plan.is_practice and not made.plan.counts_for_trained_share
    assert not made.cls.counts_for_trained_share
    [session] = made.cls.sessions
    assert to_local(session.starts_at).date() == day and to_local(session.ends_at).date() == day
    assert [e.person.full_name for e in made.enrolments] == [name for name, _unit in practice.PEOPLE]
    assert all(e.status == "confirmed" for e in made.enrolments)


def test_running_it_again_the_same_day_changes_nothing(app):
    day = local_today()
    first = practice.ensure_practice_class(_noon(day))
    session_id = first.cls.sessions[0].id
    db.session.commit()
    again = practice.ensure_practice_class(_noon(day) + timedelta(hours=3))
    assert not again.moved and again.cls.id == first.cls.id
    assert [s.id for s in again.cls.sessions] == [session_id]
    assert db.session.scalar(select(func.count()).select_from(Enrolment)
                             .where(Enrolment.class_id == first.cls.id)) == len(practice.PEOPLE)


def test_a_later_day_moves_its_session_and_clears_the_practice_check_ins(app):
    yesterday = local_today() - timedelta(days=1)
    first = practice.ensure_practice_class(_noon(yesterday))
    result = checkin.perform_checkin(ticket_token(first.enrolments[0].id), source="scanner",
                                     scanner_class=first.cls, scanned_at=_noon(yesterday),
                                     received_at=_noon(yesterday))
    assert result.outcome == "checked_in"
    assert _attendance(first.cls) == 1
    today = practice.ensure_practice_class(_noon(local_today()))
    assert today.moved
    assert to_local(today.cls.sessions[0].starts_at).date() == local_today()
    assert _attendance(today.cls) == 0


def test_check_in_and_the_feedback_form_are_open_all_that_day(app):
    day = local_today()
    made = practice.ensure_practice_class(_noon(day))
    for hour in (0, 7, 12, 23):
        at = local_to_utc(day, time(hour, 30 if hour < 23 else 0))
        assert checkin.open_session(made.cls, at) is not None, hour
        assert feedback.form_state(made.cls, feedback.form_config(made.plan), at) == "open", hour
    at = _noon(day)
    result = checkin.perform_checkin(ticket_token(made.enrolments[1].id), source="scanner", scanner_class=made.cls,
                                     scanned_at=at, received_at=at)
    assert (result.outcome, result.status) == ("checked_in", "present")  # nobody is late in practice


# --- in no figure ------------------------------------------------------------------------------------

def _pool_entry(person_id: int, org: Organisation) -> None:
    db.session.add(PoolEntry(person_id=person_id, organisation_id=org.id, cycle="2025-2030",
                             cycle_starts_on=date(2025, 1, 1), cycle_ends_on=date(2030, 12, 31),
                             added_on=date(2025, 1, 1)))


def _figures(as_of: date) -> dict:
    report, _info = compute_trained_share(as_of)
    return {"total": report.total, "units": dict(report.units)}


CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+|(data-csrf=")[^"]+|(<meta name="csrf-token" content=")[^"]+')


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return CSRF.sub("", response.get_data(as_text=True))


@pytest.fixture
def counted_world(app):
    """The monitored demo (monitoring_world), a pool holding Hoa and a practice woman, a periodic report."""
    plan, people = monitoring_world.build()
    org = db.session.scalar(select(Organisation).where(Organisation.code == "HT-CX"))
    _pool_entry(people["Nguyễn Thị Hoa"].person_id, org)
    made = practice.ensure_practice_class(utcnow())
    an = made.enrolments[0]  # Nguyễn Thị An, a woman
    _pool_entry(an.person_id, org)
    # Even a practice plan and class set to count for the trained share stay out: the one filter is
    # is_practice, not the plan's switches, which an organiser may flip.
    made.plan.counts_for_trained_share = True
    made.cls.counts_for_trained_share = True
    organiser_org = plan.organiser_org
    make.user("tochuc@test.vn", "organiser", organiser_org)
    make.user("giamsat@test.vn", "monitor", db.session.scalar(select(Organisation).where(Organisation.code == "HLHPN")))
    db.session.commit()
    completions.refresh(everything=True)
    db.session.commit()
    return plan, made


def test_a_practice_attendance_changes_no_figure(counted_world, web):
    plan, made = counted_world
    as_of = local_today()
    figures = _figures(as_of)
    assert figures["total"].women >= 2
    web.login("tochuc@test.vn")
    pages = ["/", f"/reports/{plan.code}", f"/monitor/{plan.code}", f"/plans/{plan.code}/compliance",
             f"/reports/{plan.code}/periodic"]  # the dashboard first: it shows the login's message
    before = {path: _page(web.client, path) for path in pages}

    an = made.enrolments[0]
    now = utcnow()
    assert checkin.perform_checkin(ticket_token(an.id), source="scanner", scanner_class=made.cls, scanned_at=now,
                                   received_at=now).outcome == "checked_in"
    db.session.commit()
    completions.refresh(everything=True)
    db.session.commit()
    # She completed the practice class (one session of one, attended): had it counted, she would be trained.
    assert db.session.scalar(select(func.count()).select_from(Attendance)
                             .where(Attendance.enrolment_id == an.id)) == 1
    assert _figures(as_of) == figures
    after = {path: _page(web.client, path) for path in pages}
    for path in pages:
        if path == "/":  # the dashboard lists today's practice session, and nothing else changes
            continue
        assert after[path] == before[path], path


def test_monitoring_lists_no_practice_plan(counted_world, web):
    plan, made = counted_world
    web.login("giamsat@test.vn")
    page = _page(web.client, "/monitor/")
    assert plan.code in page
    assert made.plan.code not in page


def test_practice_pages_are_marked(counted_world, web):
    plan, made = counted_world
    web.login("tochuc@test.vn")
    base = f"/plans/{made.plan.code}/classes/{made.cls.code}"
    for path in (f"/plans/{made.plan.code}", base, f"{base}/scanner", f"{base}/kiosk", f"{base}/attendance",
                 f"{base}/live", f"/reports/{made.plan.code}"):
        assert "Lớp thực hành" in _page(web.client, path), path
    assert "Lớp thực hành" not in _page(web.client, f"/plans/{plan.code}")
    dashboard = _page(web.client, "/")
    assert "Lớp thực hành" in dashboard and f"{base}/scanner" in dashboard


def test_demo_practice_command_prints_the_links(app, runner):
    result = runner.invoke(args=["demo", "practice", "--base", "http://127.0.0.1:5001"])
    assert result.exit_code == 0, result.output
    assert f"http://127.0.0.1:5001/plans/{practice.PRACTICE_PLAN_CODE}/classes/{practice.PRACTICE_CLASS_CODE}/scanner" \
        in result.output
    [form_line] = [line for line in result.output.splitlines() if "Phiếu đánh giá:" in line]
    assert "HTTP://127.0.0.1:5001/" in form_line.upper()
    assert result.output.count("Vé của") == len(practice.PEOPLE)
    again = runner.invoke(args=["demo", "practice"])
    assert again.exit_code == 0 and "đã chuyển" not in again.output
    assert db.session.scalar(select(func.count()).select_from(TrainingClass)
                             .where(TrainingClass.code == practice.PRACTICE_CLASS_CODE)) == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 0

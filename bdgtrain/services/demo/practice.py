"""The demo's practice class ("Lớp thực hành"): the training day to try today, out of every figure.

The demo plan is in 2019, so its scanner, room code and feedback form answer "not open". The practice
plan (plans.is_practice, counts_for_trained_share off) holds one class with a few enrolled people
whose one session lasts the whole local day `ensure_practice_class` is run on (`make run` runs it
every time): check-in and the feedback form are open all that day. Run again the same day, it
changes nothing; run on a later day, it moves the session to that day and clears the practice's
check-ins, so the next newcomer starts afresh. Every counting query leaves practice plans out
(models.planning.COUNTED_PLAN_SQL); the pages mark them (templates/base.html).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import delete, select

from ...extensions import db
from ...localtime import local_to_utc, to_local
from ...models import Attendance, CheckinScan, ClassSession, Enrolment, Person, Plan, TrainingClass
from ...models.base import utcnow
from ...models.feedback import FeedbackSettings
from ...rules import feedback as feedback_rules
from ...rules.names import fold, sort_key
from ..feedback import feedback
from ..planning import planning
from .demo import _org, load_demo

PRACTICE_PLAN_CODE = "THUC-HANH"
PRACTICE_CLASS_CODE = "LOP-THUC-HANH"
SESSION_LABEL = "Cả ngày (thực hành)"
PEOPLE = [  # (full name, unit)
    ("Nguyễn Thị An", "UBND xã Cẩm Bình"),
    ("Trần Thị Bình", "UBND phường Bắc Hà"),
    ("Lê Văn Cường", "Sở Nội vụ"),
    ("Phạm Thị Dung", "Hội Liên hiệp Phụ nữ tỉnh"),
    ("Hoàng Thị Hoa", "UBND xã Thạch Hạ"),
]


@dataclass
class Practice:
    plan: Plan
    cls: TrainingClass
    enrolments: list[Enrolment]
    moved: bool  # its session was moved to today (and yesterday's practice check-ins cleared)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    return local_to_utc(day, time(0, 0)), local_to_utc(day, time(23, 59))


def _ensure_plan(demo_plan: Plan) -> Plan:
    plan = db.session.scalar(select(Plan).where(Plan.code == PRACTICE_PLAN_CODE))
    if plan is None:
        plan = planning.create_plan(None, planning.PlanInput(
            code=PRACTICE_PLAN_CODE, number="Thực hành", organiser_org_id=demo_plan.organiser_org_id,
            issuing_org_id=None,
            title="Lớp thực hành: thử ngày học (quét mã, mã phòng, phiếu đánh giá) — không tính vào số liệu",
            monitor_org_ids=[_org("HLHPN").id]))
    plan.is_practice = True
    plan.counts_for_trained_share = False
    if db.session.scalar(select(FeedbackSettings).where(FeedbackSettings.plan_id == plan.id)) is None:
        # The form opens when the (all-day) session starts, so it can be tried the same morning.
        feedback.save_settings(None, plan, feedback.SettingsInput(
            anonymous=True, opens_when="last_started", close_after_days=7,
            questions_text=feedback_rules.DEFAULT_QUESTIONS_TEXT))
    db.session.flush()
    return plan


def _ensure_class(plan: Plan, demo_plan: Plan, day: date) -> TrainingClass:
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.plan_id == plan.id,
                                                        TrainingClass.code == PRACTICE_CLASS_CODE))
    if cls is None:
        venue = next((c.venue for c in demo_plan.classes if c.venue is not None), None)
        cls = planning.create_class(None, plan, planning.ClassInput(
            code=PRACTICE_CLASS_CODE, title="Lớp thực hành — thử điểm danh và phiếu đánh giá",
            date_expression=f"{day.day}/{day.month}/{day.year}", capacity=20,
            venue_id=venue.id if venue else None,
            content="Lớp để thử quét mã QR, mã phòng trên máy chiếu và phiếu đánh giá; không tính vào số liệu."))
    cls.counts_for_trained_share = False
    # The session is the whole day: nobody is "late" in practice.
    cls.checkin_opens_minutes, cls.late_after_minutes = 60, 1440
    db.session.flush()
    return cls


def _ensure_today(cls: TrainingClass, day: date) -> bool:
    """One session over the whole local day `day`; True when it had to be moved (or made)."""
    starts, ends = _day_bounds(day)
    live = [s for s in cls.sessions if s.status != "cancelled"]
    if len(live) == 1 and len(cls.sessions) == 1 and live[0].starts_at == starts and live[0].ends_at == ends:
        return False
    session_ids = [s.id for s in cls.sessions]
    if session_ids:  # a new practice day: yesterday's check-ins are cleared with its sessions
        db.session.execute(delete(Attendance).where(Attendance.session_id.in_(session_ids)))
    db.session.execute(delete(CheckinScan).where(CheckinScan.class_id == cls.id))
    for session in list(cls.sessions):
        cls.sessions.remove(session)
    db.session.flush()
    db.session.add(ClassSession(class_id=cls.id, label=SESSION_LABEL, starts_at=starts, ends_at=ends,
                                note="Lớp thực hành: không tính vào số liệu"))
    cls.date_expression = f"{day.day}/{day.month}/{day.year}"
    db.session.flush()
    db.session.refresh(cls)
    return True


def _ensure_people(cls: TrainingClass) -> list[Enrolment]:
    enrolled = {e.person.full_name: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == cls.id))}
    for name, unit in PEOPLE:
        if name in enrolled:
            continue
        person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), unit_name=unit,
                        unit_folded=fold(unit), sex="M" if "Văn" in name else "F")
        db.session.add(person)
        db.session.flush()
        enrolment = Enrolment(class_id=cls.id, person_id=person.id, status="confirmed")
        db.session.add(enrolment)
        enrolled[name] = enrolment
    db.session.flush()
    return [enrolled[name] for name, _unit in PEOPLE]


def ensure_practice_class(now: datetime | None = None) -> Practice:
    """Create or move the practice class to the local day of `now`; idempotent within a day."""
    now = now or utcnow()
    demo_plan = load_demo()
    plan = _ensure_plan(demo_plan)
    day = to_local(now).date()
    cls = _ensure_class(plan, demo_plan, day)
    moved = _ensure_today(cls, day)
    return Practice(plan, cls, _ensure_people(cls), moved)


"""A plan with a class whose last session ended an hour ago (the feedback form is open), for feedback tests."""
from __future__ import annotations

from bdgtrain.extensions import db
from bdgtrain.models import Trainer
from bdgtrain.services.feedback import feedback
from tests import factories as make

ORGANISER = "tochuc@test.vn"
MONITOR = "giamsat@test.vn"
PLAN = "HT-2026"

GOOD = {"q1": "5", "q2": "4", "q3": "4", "q4": "Phần luật bình đẳng giới", "q5": "Thêm thời gian thảo luận"}


def build(people: int = 4, *, code: str = "LOP-DG", ended_minutes_ago: int = 60, named: bool = False,
          quiz_text: str = ""):
    organiser_org = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    monitor_org = make.org("HLHPN", "Hội LHPN tỉnh", kind="union")
    make.user(ORGANISER, "organiser", organiser_org)
    make.user(MONITOR, "monitor", monitor_org)
    plan = make.plan(organiser_org, code=PLAN, monitor_org_ids=[monitor_org.id])
    cls, enrolments = make.class_open_now(plan, code, people=people, started_minutes_ago=240 + ended_minutes_ago)
    trainer = Trainer(name="Đặng Ngọc Toàn", academic_title="Tiến sĩ")
    db.session.add(trainer)
    db.session.flush()
    cls.trainers.append(trainer)
    if named or quiz_text:
        from bdgtrain.rules.feedback import DEFAULT_QUESTIONS_TEXT

        feedback.save_settings(None, plan, feedback.SettingsInput(
            anonymous=not named, opens_when="last_ended", close_after_days=7,
            questions_text=DEFAULT_QUESTIONS_TEXT, quiz_text=quiz_text))
    db.session.flush()
    return plan, cls, enrolments, trainer

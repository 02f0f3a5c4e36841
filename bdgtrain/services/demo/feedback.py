"""Made-up feedback answers for the demo or a training session (`flask feedback sample`), never real data.

They go through the same service as real answers (receipts, shuffled boxes), an hour after each
class's form opened: the demo's 2019 forms closed long ago. Classes already answered are skipped.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import Enrolment, Plan, TrainingClass
from ..checkin.tickets import REVOKED_STATUSES
from ..feedback import feedback

_SAMPLE_TEXTS = {
    "q4": ["Phần lồng ghép giới trong xây dựng văn bản", "Các số liệu về tỷ lệ nữ tham gia cấp ủy",
           "Kỹ năng truyền thông về bình đẳng giới", "Trao đổi kinh nghiệm giữa các huyện"],
    "q5": ["Thêm thời gian thảo luận nhóm", "Gửi tài liệu trước khi học", "Nhiều ví dụ thực tế ở cấp xã hơn"],
}


def _sample_form(config: feedback.FormConfig, rng: random.Random) -> dict[str, str]:
    form = {}
    for q in config.questions:
        if q.kind == "scale":
            form[q.key] = str(rng.choice([3, 4, 4, 4, 5, 5, 5, 2]))
        elif rng.random() < 0.5:
            form[q.key] = rng.choice(_SAMPLE_TEXTS.get(q.key, ["Không có ý kiến thêm"]))
    for q in config.quiz:
        form[q.key] = str(q.correct if rng.random() < 0.75 else (q.correct + 1) % len(q.options))
    return form


def answer_sample_forms(plan: Plan, share: float, seed: int) -> int:
    """Answer the form for `share` of each open-form class's participants; the number of answers written."""
    config = feedback.form_config(plan)
    rng = random.Random(seed)
    written = 0
    for cls in db.session.scalars(select(TrainingClass).where(TrainingClass.plan_id == plan.id,
                                                               TrainingClass.status != "cancelled")):
        window = feedback.form_window(cls, config)
        if window.opens_at is None:
            continue
        people = list(db.session.scalars(select(Enrolment).where(
            Enrolment.class_id == cls.id, Enrolment.status.not_in(REVOKED_STATUSES)).order_by(Enrolment.id)))
        for enrolment in people[:round(len(people) * share)]:
            if feedback.has_answered(enrolment):
                continue
            feedback.submit_feedback(enrolment, _sample_form(config, rng), window.opens_at + timedelta(hours=1))
            written += 1
    return written

"""Flask commands for class feedback: `feedback summary PLAN` (results, as text or JSON) and
`feedback sample PLAN --yes` (sample answers for a demo or a training session, never real data)."""
from __future__ import annotations

import json
import random
from datetime import timedelta

import click
from flask import Flask
from sqlalchemy import select

from .errors import DomainError
from .extensions import db
from .models import Enrolment, TrainingClass
from .services.feedback import feedback
from .services.planning import planning
from .services.checkin.tickets import REVOKED_STATUSES

_SAMPLE_TEXTS = {
    "q4": ["Phần lồng ghép giới trong xây dựng văn bản", "Các số liệu về tỷ lệ nữ tham gia cấp ủy",
           "Kỹ năng truyền thông về bình đẳng giới", "Trao đổi kinh nghiệm giữa các huyện"],
    "q5": ["Thêm thời gian thảo luận nhóm", "Gửi tài liệu trước khi học", "Nhiều ví dụ thực tế ở cấp xã hơn"],
}


def _plan(code: str):
    try:
        return planning.get_plan(code)
    except DomainError as error:
        raise click.ClickException(error.message) from None


def _number(value, digits=2):
    return None if value is None else round(value, digits)


def register_feedback_cli(app: Flask) -> None:
    @app.cli.group("feedback")
    def feedback_group():
        """Class feedback (phiếu đánh giá) and the knowledge quiz."""

    @feedback_group.command("summary")
    @click.argument("plan_code")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    def summary(plan_code: str, as_json: bool):
        """Responses, average scores and quiz gain per class of a plan."""
        result = feedback.summarise_plan_feedback(_plan(plan_code))
        classes = []
        for cls in result.classes:
            s = result.by_class[cls.id]
            classes.append({"class": cls.code, "responses": s.responses, "enrolled": result.enrolled[cls.id],
                            "averages": {q.question.key: _number(q.average) for q in s.questions
                                         if q.question.kind == "scale"},
                            "quiz_gain": _number(s.gain, 4),
                            # too few anonymous answers to show (FEEDBACK_MIN_ANONYMOUS_ANSWERS): counts only
                            "withheld": s.withheld, "quiz_withheld": s.quiz_withheld})
        if as_json:
            click.echo(json.dumps({"plan": plan_code, "responses": result.responses, "classes": classes,
                                   "averages": {k: _number(v) for k, v in result.averages.items()}},
                                  ensure_ascii=False))
            return
        for row in classes:
            scores = ", ".join(f"{k}={'—' if v is None else str(v).replace('.', ',')}" for k, v in row["averages"].items())
            hidden = " (điểm ẩn: quá ít phiếu để giữ ẩn danh)" if row["withheld"] else ""
            click.echo(f"{row['class']}: {row['responses']}/{row['enrolled']} phiếu; {scores}{hidden}")
        click.echo(f"Tổng: {result.responses} phiếu.")

    @feedback_group.command("sample")
    @click.argument("plan_code")
    @click.option("--share", default=0.8, show_default=True, help="Share of each class's participants who answer.")
    @click.option("--seed", default=7, show_default=True)
    @click.option("--yes", is_flag=True, help="Confirm: these are made-up answers, for a demo or a training session.")
    def sample(plan_code: str, share: float, seed: int, yes: bool):
        """Answer the form for some participants of each class of a plan, an hour after it opened.

        Made-up answers, through the same service as real ones (receipts, shuffled boxes): for the
        demo, where the 2019 classes' forms closed long ago. Classes already answered are skipped."""
        if not yes:
            raise click.ClickException("Lệnh này ghi phiếu trả lời mẫu (không có thật); thêm --yes để xác nhận.")
        plan = _plan(plan_code)
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
                form = {}
                for q in config.questions:
                    if q.kind == "scale":
                        form[q.key] = str(rng.choice([3, 4, 4, 4, 5, 5, 5, 2]))
                    elif rng.random() < 0.5:
                        form[q.key] = rng.choice(_SAMPLE_TEXTS.get(q.key, ["Không có ý kiến thêm"]))
                for q in config.quiz:
                    form[q.key] = str(q.correct if rng.random() < 0.75 else (q.correct + 1) % len(q.options))
                feedback.submit_feedback(enrolment, form, window.opens_at + timedelta(hours=1))
                written += 1
        db.session.commit()
        click.echo(f"Đã ghi {written} phiếu mẫu cho kế hoạch {plan.code}.")

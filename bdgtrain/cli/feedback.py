"""`flask feedback summary PLAN` (results, as text or JSON) and `flask feedback sample PLAN --yes`
(sample answers for a demo or a training session, never real data)."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from ..models import Plan
from ..rules import numbers
from ..services.demo.feedback import answer_sample_forms
from ..services.feedback import feedback
from ..services.planning import lookups

feedback_group = AppGroup("feedback", help="Class feedback (phiếu đánh giá) and the knowledge quiz.")


def _plan(code: str) -> Plan:
    try:
        return lookups.get_plan(code)
    except DomainError as error:
        raise click.ClickException(error.message) from None


def _number(value, digits=2):
    return None if value is None else round(value, digits)


def _class_rows(result: feedback.PlanFeedback) -> list[dict]:
    rows = []
    for cls in result.classes:
        s = result.by_class[cls.id]
        rows.append({"class": cls.code, "responses": s.responses, "enrolled": result.enrolled[cls.id],
                     "averages": {q.question.key: _number(q.average) for q in s.questions
                                  if q.question.kind == "scale"},
                     "quiz_gain": _number(s.gain, 4),
                     # too few anonymous answers to show (FEEDBACK_MIN_ANONYMOUS_ANSWERS): counts only
                     "withheld": s.withheld, "quiz_withheld": s.quiz_withheld})
    return rows


@feedback_group.command("summary")
@click.argument("plan_code")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def summary(plan_code: str, as_json: bool):
    """Responses, average scores and quiz gain per class of a plan."""
    result = feedback.summarise_plan_feedback(_plan(plan_code))
    classes = _class_rows(result)
    if as_json:
        click.echo(json.dumps({"plan": plan_code, "responses": result.responses, "classes": classes,
                               "averages": {k: _number(v) for k, v in result.averages.items()}},
                              ensure_ascii=False))
        return
    for cls, row in zip(result.classes, classes):
        # from the unrounded averages: the JSON's round() ties to even, a reader's figure rounds half-up
        scores = ", ".join(f"{q.question.key}={numbers.points(q.average)}" for q in result.by_class[cls.id].questions
                           if q.question.kind == "scale")
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
    written = answer_sample_forms(plan, share, seed)
    db.session.commit()
    click.echo(f"Đã ghi {written} phiếu mẫu cho kế hoạch {plan.code}.")

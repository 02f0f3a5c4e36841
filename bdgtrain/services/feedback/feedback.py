"""Class feedback: the plan's settings, answering the form and the pre-class quiz, results (trainers'
result links are trainer_links.py's).

Every answer goes through `submit_feedback` or `submit_pre_quiz`: they check the window, refuse a
second answer (a receipt per enrolment and kind, unique in the database), validate, and add the
answer to the class's box, shuffled. What is stored is described in models/feedback.py and
docs/FEEDBACK.md. Services flush, never commit.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from ...errors import DomainError
from ...extensions import db
from ...links import external_url
from ...localtime import format_datetime, to_local
from ...models import Enrolment, FeedbackBox, FeedbackReceipt, FeedbackSettings, Person, Plan, TrainingClass, User
from ...rules import feedback as rules
from ...rules.feedback import FeedbackSummary
from ...security import FEEDBACK_FORM, read_token, sign_token
from ..checkin.tickets import REVOKED_STATUSES
from ..core import audit
from ..core.qr import compact_url

_shuffle = random.SystemRandom().shuffle


# --- settings -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _default_questions() -> tuple[rules.Question, ...]:
    """The default questions, parsed once per process (frozen values): a plan of 200 classes without
    settings of its own parsed them once per class."""
    return tuple(rules.parse_questions(rules.DEFAULT_QUESTIONS_TEXT))


@dataclass(frozen=True)
class FormConfig:
    """A plan's feedback settings as plain values; the defaults when the plan never changed them."""
    anonymous: bool = True
    opens_when: str = "last_ended"
    close_after_days: int = 7
    questions: tuple[rules.Question, ...] = field(default_factory=_default_questions)
    quiz: tuple[rules.QuizQuestion, ...] = ()


def _config_of(settings: FeedbackSettings | None) -> FormConfig:
    if settings is None:
        return FormConfig()
    return FormConfig(settings.anonymous, settings.opens_when, settings.close_after_days,
                      tuple(rules.questions_from_data(settings.questions)), tuple(rules.quiz_from_data(settings.quiz)))


def form_config(plan: Plan | int) -> FormConfig:
    plan_id = plan if isinstance(plan, int) else plan.id
    return _config_of(db.session.scalar(select(FeedbackSettings).where(FeedbackSettings.plan_id == plan_id)))


@dataclass
class SettingsInput:
    anonymous: bool
    opens_when: str
    close_after_days: int
    questions_text: str
    quiz_text: str = ""


def plan_has_answers(plan: Plan) -> bool:
    return bool(db.session.scalar(select(exists().where(
        FeedbackReceipt.class_id == TrainingClass.id, TrainingClass.plan_id == plan.id))))


def save_settings(actor: User | None, plan: Plan, data: SettingsInput) -> FeedbackSettings:
    """Change the plan's form. Questions, quiz and anonymity are locked once anyone has answered:
    stored answers are keyed by question order, and a promise of anonymity cannot be taken back."""
    if data.opens_when not in rules.OPENS_WHEN:
        raise DomainError("feedback.bad_settings", _l("Hãy chọn thời điểm mở phiếu."), field="opens_when")
    low, high = rules.CLOSE_AFTER_RANGE
    if not low <= (data.close_after_days or 0) <= high:
        raise DomainError("feedback.bad_settings", _l("Số ngày mở phiếu phải từ %(low)s đến %(high)s.",
                                                      low=low, high=high), field="close_after_days")
    try:
        questions = rules.parse_questions(data.questions_text)
    except rules.FeedbackRuleError as error:
        raise DomainError("feedback.bad_questions", error.message, field="questions_text") from None
    try:
        quiz = rules.parse_quiz(data.quiz_text)
    except rules.FeedbackRuleError as error:
        raise DomainError("feedback.bad_quiz", error.message, field="quiz_text") from None
    settings = db.session.scalar(select(FeedbackSettings).where(FeedbackSettings.plan_id == plan.id))
    current = _config_of(settings)
    content_changed = (tuple(questions) != current.questions or tuple(quiz) != current.quiz
                       or data.anonymous != current.anonymous)
    if content_changed and plan_has_answers(plan):
        raise DomainError("feedback.locked", _l("Đã có học viên trả lời phiếu: không thể đổi câu hỏi, bài kiểm tra "
                                                "hay chế độ ẩn danh nữa (chỉ đổi được thời gian mở phiếu)."))
    fields = ("anonymous", "opens_when", "close_after_days", "questions", "quiz")
    before = audit.snapshot(settings, fields) if settings is not None else {}
    if settings is None:
        settings = FeedbackSettings(plan_id=plan.id)
        db.session.add(settings)
    settings.anonymous = data.anonymous
    settings.opens_when = data.opens_when
    settings.close_after_days = data.close_after_days
    settings.questions = [dict(key=q.key, kind=q.kind, text=q.text, required=q.required) for q in questions]
    settings.quiz = [dict(key=q.key, text=q.text, options=list(q.options), correct=q.correct) for q in quiz]
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(settings, fields))
    audit.record(actor, "feedback.settings.changed", plan, before=old, after=new)
    return settings


# --- the window ---------------------------------------------------------------------------------

def _session_times(cls: TrainingClass) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in cls.sessions if s.status != "cancelled"]


def form_window(cls: TrainingClass, config: FormConfig) -> rules.Window:
    return rules.feedback_window(_session_times(cls), config.opens_when, config.close_after_days)


def form_state(cls: TrainingClass, config: FormConfig, now: datetime) -> str:
    if cls.is_cancelled:
        return "cancelled"
    return rules.window_state(form_window(cls, config), now)


def closed_message(cls: TrainingClass, config: FormConfig, now: datetime):
    """Why the form cannot be answered now, or None when it can."""
    state = form_state(cls, config, now)
    window = form_window(cls, config)
    if state == "cancelled":
        return _l("Lớp này đã bị hủy nên không nhận phiếu đánh giá.")
    if state == "no_sessions":
        return _l("Lớp chưa có lịch học nên chưa nhận phiếu đánh giá.")
    if state == "not_yet":
        return _l("Lớp học chưa kết thúc. Phiếu đánh giá mở từ %(at)s.", at=format_datetime(window.opens_at))
    if state == "closed":
        return _l("Phiếu đánh giá đã đóng lúc %(at)s. Cảm ơn Anh/Chị đã quan tâm.",
                  at=format_datetime(window.closes_at))
    return None


def pre_quiz_message(cls: TrainingClass, config: FormConfig, now: datetime):
    if not config.quiz:
        return _l("Kế hoạch này không có bài kiểm tra kiến thức.")
    if cls.is_cancelled:
        return _l("Lớp này đã bị hủy.")
    window = rules.quiz_pre_window(_session_times(cls))
    state = rules.window_state(window, now)
    if state == "no_sessions":
        return _l("Lớp chưa có lịch học nên chưa mở bài kiểm tra đầu khóa.")
    if state == "closed":
        return _l("Bài kiểm tra đầu khóa đã đóng khi buổi học đầu tiên kết thúc (%(at)s).",
                  at=format_datetime(window.closes_at))
    return None


# --- tokens ---------------------------------------------------------------------------------------

def form_token(cls: TrainingClass) -> str:
    """What the kiosk's feedback QR carries: the class, never a person."""
    return sign_token(FEEDBACK_FORM, cls.id)


def form_url(cls: TrainingClass, base_url: str) -> str:
    """The absolute URL of the kiosk's feedback QR (upper-cased when that keeps it exact: a smaller code)."""
    return compact_url(external_url("feedback.class_form", base_url, form_token=form_token(cls)))


def class_for_form_token(token: str | None) -> TrainingClass | None:
    class_id = read_token(FEEDBACK_FORM, token)
    return db.session.get(TrainingClass, class_id) if class_id is not None else None


# --- answering ----------------------------------------------------------------------------------

class FeedbackInvalid(DomainError):
    """The answers were incomplete or malformed: `errors` says which question, by key."""

    def __init__(self, errors: dict):
        super().__init__("feedback.invalid", _l("Phiếu chưa đầy đủ: hãy xem các câu được đánh dấu bên dưới."))
        self.errors = errors


def has_answered(enrolment: Enrolment, kind: str = "form") -> bool:
    return bool(db.session.scalar(select(exists().where(FeedbackReceipt.enrolment_id == enrolment.id,
                                                        FeedbackReceipt.kind == kind))))


def _check_person(enrolment: Enrolment) -> None:
    if enrolment.status in REVOKED_STATUSES:
        raise DomainError("feedback.not_participant", _l("Giấy mời này không còn hiệu lực nên không thể gửi phiếu."))


def _already(kind: str) -> DomainError:
    if kind == "pre_quiz":
        return DomainError("feedback.already_answered", _l("Anh/Chị đã làm bài kiểm tra đầu khóa rồi. Cảm ơn Anh/Chị!"))
    return DomainError("feedback.already_answered",
                       _l("Anh/Chị đã gửi phiếu đánh giá cho lớp này rồi; mỗi người chỉ gửi một lần. Cảm ơn Anh/Chị!"))


def _drop_in_box(enrolment: Enrolment, kind: str, entry: dict, now: datetime) -> None:
    """The receipt, then the entry added to the class's box and the whole list shuffled."""
    receipt = FeedbackReceipt(class_id=enrolment.class_id, enrolment_id=enrolment.id, kind=kind,
                              answered_on=to_local(now).date())
    try:
        with db.session.begin_nested():
            db.session.add(receipt)
    except IntegrityError:  # a second answer sent at the same moment as the first
        raise _already(kind) from None
    box = _box_for_update(enrolment.class_id, kind)
    entries = list(box.entries or []) + [entry]
    _shuffle(entries)
    box.entries = entries  # a new list, so the JSON column is written
    db.session.flush()


def _box_for_update(class_id: int, kind: str) -> FeedbackBox:
    query = select(FeedbackBox).where(FeedbackBox.class_id == class_id, FeedbackBox.kind == kind).with_for_update()
    box = db.session.scalar(query)
    if box is None:
        try:
            with db.session.begin_nested():
                box = FeedbackBox(class_id=class_id, kind=kind, entries=[])
                db.session.add(box)
        except IntegrityError:  # another first answer created it meanwhile
            box = db.session.scalar(query.execution_options(populate_existing=True))
    return box


def submit_feedback(enrolment: Enrolment, form: dict[str, str], now: datetime) -> None:
    """Her answers to the class's form (and the end-of-class quiz, when the plan has one)."""
    cls = enrolment.training_class
    config = form_config(cls.plan_id)
    _check_person(enrolment)
    problem = closed_message(cls, config, now)
    if problem is not None:
        raise DomainError("feedback.closed", problem)
    if has_answered(enrolment, "form"):
        raise _already("form")
    answers, errors = rules.validate_answers(list(config.questions), form)
    chosen, quiz_errors = rules.score_quiz(list(config.quiz), form)
    errors.update(quiz_errors)
    if errors:
        raise FeedbackInvalid(errors)
    entry: dict = {"a": answers}
    if config.quiz:
        entry.update(c=chosen, s=rules.quiz_score(list(config.quiz), chosen))
    if not config.anonymous:
        entry["e"] = enrolment.id
    _drop_in_box(enrolment, "form", entry, now)


def submit_pre_quiz(enrolment: Enrolment, form: dict[str, str], now: datetime) -> None:
    cls = enrolment.training_class
    config = form_config(cls.plan_id)
    _check_person(enrolment)
    problem = pre_quiz_message(cls, config, now)
    if problem is not None:
        raise DomainError("feedback.closed", problem)
    if has_answered(enrolment, "pre_quiz"):
        raise _already("pre_quiz")
    chosen, errors = rules.score_quiz(list(config.quiz), form)
    if errors:
        raise FeedbackInvalid(errors)
    entry: dict = {"c": chosen, "s": rules.quiz_score(list(config.quiz), chosen)}
    if not config.anonymous:
        entry["e"] = enrolment.id
    _drop_in_box(enrolment, "pre_quiz", entry, now)


# --- results --------------------------------------------------------------------------------------

def anonymous_minimum() -> int:
    """Fewer anonymous answers than this in a class show as counts only (FEEDBACK_MIN_ANONYMOUS_ANSWERS)."""
    return current_app.config["FEEDBACK_MIN_ANONYMOUS_ANSWERS"]


def summarise_feedback(class_ids: list[int]) -> dict[int, FeedbackSummary]:
    """Feedback results of each class, keyed by class id (every id given, even with no answers).

    Each `FeedbackSummary` (bdgtrain.rules.feedback) holds: `responses` (forms received), per
    question (`questions`, in the plan's order) the number answered, the average and the 1-5
    distribution of a score question or the free texts of a text question (in the box's shuffled
    order); and for the quiz the number of questions, how many took it before and after, the mean
    share of correct answers before and after (0..1) and the gain (after - before), None when
    there is no quiz or no answers on one side. Answers never carry who gave them.

    Two statements whatever the number of classes: the classes with their plan's settings, and
    their boxes. Answers live in one box row per class (for anonymity, see models/feedback.py),
    so counting happens over the loaded lists rather than in SQL GROUP BY.
    """
    if not class_ids:
        return {}
    rows = db.session.execute(
        select(TrainingClass.id, FeedbackSettings).select_from(TrainingClass)
        .outerjoin(FeedbackSettings, FeedbackSettings.plan_id == TrainingClass.plan_id)
        .where(TrainingClass.id.in_(class_ids))).all()
    by_settings: dict[int | None, FormConfig] = {}  # the classes of one plan share its settings: read once
    configs = {}
    for class_id, settings in rows:
        key = settings.id if settings is not None else None
        if key not in by_settings:
            by_settings[key] = _config_of(settings)
        configs[class_id] = by_settings[key]
    boxes: dict[tuple[int, str], list] = {}
    for class_id, kind, entries in db.session.execute(
            select(FeedbackBox.class_id, FeedbackBox.kind, FeedbackBox.entries)
            .where(FeedbackBox.class_id.in_(class_ids))):
        boxes[(class_id, kind)] = entries or []
    minimum = anonymous_minimum()
    result = {}
    for class_id in class_ids:
        config = configs.get(class_id, FormConfig())
        forms = boxes.get((class_id, "form"), [])
        pre = boxes.get((class_id, "pre_quiz"), [])
        result[class_id] = rules.summarise(list(config.questions), list(config.quiz), forms,
                                           [e["s"] for e in pre if "s" in e], [e["s"] for e in forms if "s" in e],
                                           withhold_below=minimum if config.anonymous else 0)
    return result


@dataclass
class PlanFeedback:
    plan: Plan
    config: FormConfig
    classes: list[TrainingClass]
    by_class: dict[int, FeedbackSummary]
    enrolled: dict[int, int]  # active enrolments per class: responses are out of these
    responses: int
    averages: dict[str, float | None]  # per score question key, weighted over the plan's classes
    distributions: dict[str, rules.QuestionSummary]  # per score question key, the classes' counts added up


def summarise_plan_feedback(plan: Plan) -> PlanFeedback:
    """The plan's classes (cancelled ones left out) with their feedback; four statements in all."""
    classes = list(db.session.scalars(select(TrainingClass).where(
        TrainingClass.plan_id == plan.id, TrainingClass.status != "cancelled").order_by(TrainingClass.code)))
    ids = [c.id for c in classes]
    by_class = summarise_feedback(ids)
    enrolled = enrolled_counts(ids)
    total, averages = rules.merge_counts(list(by_class.values()))
    return PlanFeedback(plan, form_config(plan), classes, by_class, enrolled, total, averages,
                        rules.merge_distributions(list(by_class.values())))


def enrolled_counts(class_ids: list[int]) -> dict[int, int]:
    counts = dict(db.session.execute(
        select(Enrolment.class_id, func.count()).where(Enrolment.class_id.in_(class_ids),
                                                       Enrolment.status.not_in(REVOKED_STATUSES))
        .group_by(Enrolment.class_id)).all()) if class_ids else {}
    return {class_id: counts.get(class_id, 0) for class_id in class_ids}


def named_entries(cls: TrainingClass) -> list[tuple[str, dict]]:
    """(name, answers) for a plan that asked for named answers; empty for an anonymous plan."""
    if form_config(cls.plan_id).anonymous:
        return []
    entries = db.session.scalar(select(FeedbackBox.entries).where(FeedbackBox.class_id == cls.id,
                                                                  FeedbackBox.kind == "form")) or []
    ids = {e["e"] for e in entries if "e" in e}
    names = dict(db.session.execute(select(Enrolment.id, Person.full_name)
                                    .join(Person, Person.id == Enrolment.person_id)
                                    .where(Enrolment.id.in_(ids))).all()) if ids else {}
    return sorted(((names.get(e.get("e"), "?"), e) for e in entries), key=lambda pair: pair[0])

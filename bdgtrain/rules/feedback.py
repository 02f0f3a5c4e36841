"""Class feedback and the pre/post knowledge quiz, as pure functions: questions, windows, answers, scores.

A plan's questions are written as text lines the organiser can edit (`parse_questions`):

    * [1-5] Nội dung tập huấn hữu ích        (a leading * means required; [1-5] a score from 1 to 5)
    [văn bản] Điều gì hữu ích nhất?           ([văn bản] free text)

and its quiz as blocks separated by blank lines, the question first, then its options, the correct one
starred (`parse_quiz`). Keys (q1, q2, ..., k1, k2, ...) follow the order, so answers stored under them
stay readable as long as the questions do not change (the service locks them once answers exist).

Nothing here knows who answered: `summarise` takes the stored entries and returns counts, averages,
distributions and the quiz gain.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..messages import Message

SCALE = "scale"
TEXT = "text"
SCALE_VALUES = (1, 2, 3, 4, 5)
TEXT_LIMIT = 1000  # characters of one free-text answer
MAX_QUESTIONS = 20
MAX_QUIZ_QUESTIONS = 20
MAX_OPTIONS = 6
OPENS_WHEN = ("last_started", "last_ended")  # the class's last session has started / has ended
CLOSE_AFTER_RANGE = (1, 90)  # days

DEFAULT_QUESTIONS_TEXT = "\n".join([
    "* [1-5] Mức độ hữu ích của nội dung tập huấn",
    "* [1-5] Giảng viên (kiến thức, cách truyền đạt)",
    "* [1-5] Công tác tổ chức lớp (thời gian, địa điểm, tài liệu)",
    "[văn bản] Nội dung nào hữu ích nhất với Anh/Chị?",
    "[văn bản] Lớp tập huấn cần cải thiện điều gì?",
])

_QUESTION_LINE = re.compile(r"^(\*)?\s*\[\s*(1\s*-\s*5|văn bản|van ban|text)\s*\]\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # SCALE or TEXT
    text: str
    required: bool

    def as_line(self) -> str:
        kind = "[1-5]" if self.kind == SCALE else "[văn bản]"
        return f"{'* ' if self.required else ''}{kind} {self.text}"


@dataclass(frozen=True)
class QuizQuestion:
    key: str
    text: str
    options: tuple[str, ...]
    correct: int  # index into options

    def as_block(self) -> str:
        return "\n".join([self.text] + [("* " if i == self.correct else "- ") + o for i, o in enumerate(self.options)])


class FeedbackRuleError(ValueError):
    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def clean_text(text: str | None) -> str:
    """NFC, without control characters (but keeping line breaks), trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.replace("\t", " ").strip()


def parse_questions(text: str) -> list[Question]:
    questions: list[Question] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = clean_text(raw)
        if not line:
            continue
        match = _QUESTION_LINE.match(line)
        if not match or not match[3].strip():
            raise FeedbackRuleError(Message(
                "Dòng %(line)s: hãy viết \"[1-5] câu hỏi\" hoặc \"[văn bản] câu hỏi\" (thêm * ở đầu nếu bắt buộc).",
                line=number))
        kind = SCALE if match[2].replace(" ", "").startswith("1") else TEXT
        if len(match[3]) > 300:
            raise FeedbackRuleError(Message("Dòng %(line)s: câu hỏi dài quá 300 ký tự.", line=number))
        questions.append(Question(f"q{len(questions) + 1}", kind, match[3].strip(), bool(match[1])))
    if not questions:
        raise FeedbackRuleError(Message("Phiếu đánh giá cần ít nhất một câu hỏi."))
    if len(questions) > MAX_QUESTIONS:
        raise FeedbackRuleError(Message("Phiếu đánh giá có tối đa %(n)s câu hỏi.", n=MAX_QUESTIONS))
    return questions


def parse_quiz(text: str) -> list[QuizQuestion]:
    """Blocks separated by blank lines: the question, then options ("- sai", "* đúng"). Empty text: no quiz."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = clean_text(raw)
        if line:
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    quiz: list[QuizQuestion] = []
    for block in (b for b in blocks if b):
        (first_line, question), options = block[0], block[1:]
        if question[0] in "-*":
            raise FeedbackRuleError(Message("Dòng %(line)s: mỗi câu hỏi kiểm tra bắt đầu bằng nội dung câu hỏi, "
                                            "sau đó mới đến các phương án.", line=first_line))
        texts, correct = [], []
        for number, line in options:
            if line[0] not in "-*" or not line[1:].strip():
                raise FeedbackRuleError(Message("Dòng %(line)s: phương án bắt đầu bằng \"-\" (sai) hoặc \"*\" (đúng).",
                                                line=number))
            if line[0] == "*":
                correct.append(len(texts))
            texts.append(line[1:].strip())
        if not 2 <= len(texts) <= MAX_OPTIONS:
            raise FeedbackRuleError(Message("Dòng %(line)s: mỗi câu hỏi cần từ 2 đến %(n)s phương án.",
                                            line=first_line, n=MAX_OPTIONS))
        if len(correct) != 1:
            raise FeedbackRuleError(Message("Dòng %(line)s: đánh dấu * cho đúng một phương án đúng.", line=first_line))
        quiz.append(QuizQuestion(f"k{len(quiz) + 1}", question, tuple(texts), correct[0]))
    if len(quiz) > MAX_QUIZ_QUESTIONS:
        raise FeedbackRuleError(Message("Bài kiểm tra có tối đa %(n)s câu hỏi.", n=MAX_QUIZ_QUESTIONS))
    return quiz


def questions_from_data(data: list[dict]) -> list[Question]:
    return [Question(d["key"], d["kind"], d["text"], bool(d["required"])) for d in data or []]


def quiz_from_data(data: list[dict]) -> list[QuizQuestion]:
    return [QuizQuestion(d["key"], d["text"], tuple(d["options"]), int(d["correct"])) for d in data or []]


# --- the window ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    opens_at: datetime | None  # None: the class has no session to end
    closes_at: datetime | None


def feedback_window(session_times: list[tuple[datetime, datetime]], opens_when: str, close_after_days: int) -> Window:
    """When the form is open: from the last session's start (or end) for `close_after_days` days."""
    if not session_times:
        return Window(None, None)
    start, end = max(session_times, key=lambda t: t[0])
    opens = start if opens_when == "last_started" else end
    return Window(opens, opens + timedelta(days=close_after_days))


def quiz_pre_window(session_times: list[tuple[datetime, datetime]]) -> Window:
    """The pre-class quiz: any time until the first session ends (people answer it as the class begins)."""
    if not session_times:
        return Window(None, None)
    first_start, first_end = min(session_times, key=lambda t: t[0])
    return Window(None, first_end)


def window_state(window: Window, as_of: datetime) -> str:
    """"no_sessions", "not_yet", "open" or "closed"."""
    if window.closes_at is None:
        return "no_sessions"
    if window.opens_at is not None and as_of < window.opens_at:
        return "not_yet"
    return "open" if as_of < window.closes_at else "closed"


# --- answers ------------------------------------------------------------------------------------------

def validate_answers(questions: list[Question], form: dict[str, str]) -> tuple[dict[str, object], dict[str, Message]]:
    """What she answered, cleaned, and a message per question that is missing or malformed."""
    answers: dict[str, object] = {}
    errors: dict[str, Message] = {}
    for q in questions:
        raw = clean_text(form.get(q.key))
        if not raw:
            if q.required:
                errors[q.key] = Message("Câu này bắt buộc: \"%(question)s\".", question=q.text)
            continue
        if q.kind == SCALE:
            if raw not in {str(v) for v in SCALE_VALUES}:
                errors[q.key] = Message("Hãy chọn một mức từ 1 đến 5 cho \"%(question)s\".", question=q.text)
                continue
            answers[q.key] = int(raw)
        else:
            if len(raw) > TEXT_LIMIT:
                errors[q.key] = Message("Câu trả lời dài %(length)s ký tự; tối đa %(limit)s ký tự.",
                                        length=len(raw), limit=TEXT_LIMIT)
                continue
            answers[q.key] = raw
    return answers, errors


def score_quiz(quiz: list[QuizQuestion], form: dict[str, str]) -> tuple[dict[str, int], dict[str, Message]]:
    """The chosen option per quiz question (every question must be answered) and what is missing."""
    chosen: dict[str, int] = {}
    errors: dict[str, Message] = {}
    for q in quiz:
        raw = (form.get(q.key) or "").strip()
        if not raw.isdigit() or int(raw) >= len(q.options):
            errors[q.key] = Message("Hãy chọn một phương án cho câu \"%(question)s\".", question=q.text)
            continue
        chosen[q.key] = int(raw)
    return chosen, errors


def quiz_score(quiz: list[QuizQuestion], chosen: dict[str, int]) -> int:
    return sum(1 for q in quiz if chosen.get(q.key) == q.correct)


# --- results ------------------------------------------------------------------------------------------

@dataclass
class QuestionSummary:
    question: Question
    answered: int = 0
    average: float | None = None
    distribution: dict[int, int] = field(default_factory=dict)  # scale value -> count
    texts: list[str] = field(default_factory=list)  # free text, in stored order (shuffled)


@dataclass
class FeedbackSummary:
    responses: int
    questions: list[QuestionSummary]
    quiz_questions: int
    pre_count: int
    post_count: int
    pre_average: float | None  # mean share of correct answers, 0..1
    post_average: float | None
    gain: float | None  # post_average - pre_average, in points of share (0..1)
    # Anonymous answers too few to show without pointing at who gave them: only their counts are kept.
    withheld: bool = False  # the forms' scores and words
    quiz_withheld: bool = False  # the quiz averages and gain
    shown_from: int = 0  # the number of answers from which they are shown

    def average(self, key: str) -> float | None:
        """The mean score of one scale question, or None when nobody scored it."""
        return next((q.average for q in self.questions if q.question.key == key), None)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(questions: list[Question], quiz: list[QuizQuestion], entries: list[dict],
              pre_scores: list[int], post_scores: list[int], *, withhold_below: int = 0) -> FeedbackSummary:
    """Counts, averages and distributions per question, and the quiz gain.

    `entries` are stored answers ({"a": {key: value}}); `pre_scores`/`post_scores` the number of
    correct answers of each quiz taken before and after the class. With `withhold_below`, a class
    with fewer forms (or fewer quizzes on either side) than that shows its counts only: in a class
    where one person answered, her "anonymous" scores and words would be hers for all to read.
    The withheld answers also stay out of every total built from the summary (merge_counts,
    merge_distributions), or a plan's figures minus the other classes' would give them back.
    """
    withheld = 0 < len(entries) < withhold_below
    quiz_withheld = any(0 < len(scores) < withhold_below for scores in (pre_scores, post_scores))
    per_question = []
    for q in questions:
        summary = QuestionSummary(q, distribution={v: 0 for v in SCALE_VALUES} if q.kind == SCALE else {})
        values = []
        for entry in entries:
            value = (entry.get("a") or {}).get(q.key)
            if value is None:
                continue
            summary.answered += 1
            if q.kind == SCALE and value in summary.distribution:
                summary.distribution[value] += 1
                values.append(value)
            elif q.kind == TEXT:
                summary.texts.append(str(value))
        summary.average = _mean(values)
        per_question.append(QuestionSummary(q, distribution={v: 0 for v in summary.distribution})
                            if withheld else summary)
    total = len(quiz)
    pre = _mean([s / total for s in pre_scores]) if total and not quiz_withheld else None
    post = _mean([s / total for s in post_scores]) if total and not quiz_withheld else None
    gain = post - pre if pre is not None and post is not None else None
    return FeedbackSummary(len(entries), per_question, total, len(pre_scores), len(post_scores), pre, post, gain,
                           withheld=withheld, quiz_withheld=quiz_withheld, shown_from=withhold_below)


def merge_counts(summaries: list[FeedbackSummary]) -> tuple[int, dict[str, float | None]]:
    """Total responses and, per question key, the response-weighted average across classes."""
    total = sum(s.responses for s in summaries)
    sums: dict[str, list[float]] = {}
    for s in summaries:
        for qs in s.questions:
            if qs.average is not None:
                acc = sums.setdefault(qs.question.key, [0.0, 0])
                acc[0] += qs.average * sum(qs.distribution.values())
                acc[1] += sum(qs.distribution.values())
    return total, {k: (v[0] / v[1] if v[1] else None) for k, v in sums.items()}


def merge_distributions(summaries: list[FeedbackSummary]) -> dict[str, QuestionSummary]:
    """Per score question key, the classes' 1-5 counts added up (with the average they give)."""
    merged: dict[str, QuestionSummary] = {}
    for s in summaries:
        for qs in s.questions:
            if qs.question.kind != SCALE:
                continue
            total = merged.setdefault(qs.question.key,
                                      QuestionSummary(qs.question, distribution={v: 0 for v in SCALE_VALUES}))
            total.answered += qs.answered
            for value, count in qs.distribution.items():
                total.distribution[value] = total.distribution.get(value, 0) + count
    for total in merged.values():
        counted = sum(total.distribution.values())
        total.average = sum(v * n for v, n in total.distribution.items()) / counted if counted else None
    return merged

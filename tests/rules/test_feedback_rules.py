"""The feedback rules as tables: question and quiz text, the window, answers, scores, summaries."""
from datetime import datetime, timedelta, timezone

import pytest

from bdgtrain.rules import feedback as rules

T0 = datetime(2019, 7, 16, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hà Tĩnh
SESSIONS = [(T0, T0 + timedelta(hours=4)), (T0 + timedelta(days=1), T0 + timedelta(days=1, hours=4))]


def test_default_questions_are_three_scores_and_two_texts():
    questions = rules.parse_questions(rules.DEFAULT_QUESTIONS_TEXT)
    assert [(q.key, q.kind, q.required) for q in questions] == [
        ("q1", "scale", True), ("q2", "scale", True), ("q3", "scale", True), ("q4", "text", False),
        ("q5", "text", False)]
    assert "\n".join(q.as_line() for q in questions) == rules.DEFAULT_QUESTIONS_TEXT


@pytest.mark.parametrize("text, line", [
    ("* [1-5] Tốt\nkhông có loại câu hỏi", 2),
    ("[1-5]   ", 1),
    ("[1-10] Thang khác", 1),
])
def test_a_question_line_that_cannot_be_read_is_named_by_its_line(text, line):
    with pytest.raises(rules.FeedbackRuleError) as error:
        rules.parse_questions(text)
    assert f"Dòng {line}" in str(error.value)


def test_no_questions_is_refused():
    with pytest.raises(rules.FeedbackRuleError, match="ít nhất một câu hỏi"):
        rules.parse_questions("\n  \n")


QUIZ = """Luật Bình đẳng giới được thông qua năm nào?
- 2004
* 2006
- 2010

Tỷ lệ nữ trong diện quy hoạch đến 2025 tối thiểu là?
* 40%
- 20%"""


def test_quiz_blocks_become_questions_with_one_correct_option():
    quiz = rules.parse_quiz(QUIZ)
    assert [(q.key, q.options, q.correct) for q in quiz] == [
        ("k1", ("2004", "2006", "2010"), 1), ("k2", ("40%", "20%"), 0)]
    assert rules.parse_quiz("\n\n".join(q.as_block() for q in quiz)) == quiz
    assert rules.parse_quiz("") == []


@pytest.mark.parametrize("text, expected", [
    ("Câu hỏi?\n- a\n- b", "đúng một phương án đúng"),
    ("Câu hỏi?\n* a\n* b", "đúng một phương án đúng"),
    ("Câu hỏi?\n* a", "từ 2 đến"),
    ("Câu hỏi?\n* a\nb", "Dòng 3"),
    ("* a\n- b", "Dòng 1"),
])
def test_a_malformed_quiz_says_what_is_wrong(text, expected):
    with pytest.raises(rules.FeedbackRuleError, match=expected):
        rules.parse_quiz(text)


@pytest.mark.parametrize("opens_when, as_of, state", [
    ("last_ended", T0 + timedelta(days=1, hours=3), "not_yet"),
    ("last_started", T0 + timedelta(days=1, hours=3), "open"),
    ("last_ended", T0 + timedelta(days=1, hours=4), "open"),
    ("last_ended", T0 + timedelta(days=8, hours=3, minutes=59), "open"),
    ("last_ended", T0 + timedelta(days=8, hours=4), "closed"),
    ("last_started", T0 - timedelta(days=30), "not_yet"),
])
def test_the_form_opens_with_the_last_session_and_closes_days_later(opens_when, as_of, state):
    window = rules.feedback_window(SESSIONS, opens_when, 7)
    assert rules.window_state(window, as_of) == state


def test_a_class_without_sessions_has_no_window():
    assert rules.window_state(rules.feedback_window([], "last_ended", 7), T0) == "no_sessions"


def test_the_pre_quiz_closes_when_the_first_session_ends():
    window = rules.quiz_pre_window(SESSIONS)
    assert rules.window_state(window, T0 - timedelta(days=3)) == "open"
    assert rules.window_state(window, T0 + timedelta(hours=4)) == "closed"


QUESTIONS = rules.parse_questions(rules.DEFAULT_QUESTIONS_TEXT)


def test_missing_required_answers_are_named_by_question():
    answers, errors = rules.validate_answers(QUESTIONS, {"q1": "5", "q4": "  "})
    assert answers == {"q1": 5}
    assert set(errors) == {"q2", "q3"}
    assert "Giảng viên" in errors["q2"]


@pytest.mark.parametrize("value", ["0", "6", "4.5", "năm", "=1+1"])
def test_a_score_outside_one_to_five_is_refused(value):
    _answers, errors = rules.validate_answers(QUESTIONS, {"q1": value, "q2": "3", "q3": "3"})
    assert set(errors) == {"q1"}


def test_free_text_is_cleaned_and_length_limited():
    base = {"q1": "4", "q2": "4", "q3": "4"}
    answers, errors = rules.validate_answers(QUESTIONS, dict(base, q4="  Nội dung\u0000 luật\r\n  "))
    assert not errors and answers["q4"] == "Nội dung luật"
    decomposed = "Nguye\u0302\u0303n"  # NFD
    assert rules.validate_answers(QUESTIONS, dict(base, q4=decomposed))[0]["q4"] == "Nguyễn"
    _answers, errors = rules.validate_answers(QUESTIONS, dict(base, q5="x" * (rules.TEXT_LIMIT + 1)))
    assert set(errors) == {"q5"} and "1001" in errors["q5"]
    assert rules.validate_answers(QUESTIONS, dict(base, q5="x" * rules.TEXT_LIMIT))[1] == {}


def test_quiz_answers_are_scored_and_every_question_is_required():
    quiz = rules.parse_quiz(QUIZ)
    chosen, errors = rules.score_quiz(quiz, {"k1": "1", "k2": "1"})
    assert not errors and rules.quiz_score(quiz, chosen) == 1
    _chosen, errors = rules.score_quiz(quiz, {"k1": "7"})
    assert set(errors) == {"k1", "k2"}


def test_summary_counts_averages_distributions_and_gain():
    quiz = rules.parse_quiz(QUIZ)
    entries = [{"a": {"q1": 5, "q2": 4, "q3": 3, "q4": "Luật"}, "s": 2},
               {"a": {"q1": 3, "q2": 4, "q3": 3}, "s": 1},
               {"a": {"q1": 4, "q2": 5, "q3": 1, "q5": "Thêm thời gian"}, "s": 2}]
    summary = rules.summarise(QUESTIONS, quiz, entries, pre_scores=[0, 1, 1, 2], post_scores=[e["s"] for e in entries])
    assert summary.responses == 3
    q1 = summary.questions[0]
    assert q1.answered == 3 and q1.average == pytest.approx(4.0)
    assert q1.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert summary.questions[3].texts == ["Luật"] and summary.questions[3].answered == 1
    assert summary.pre_average == pytest.approx(0.5)
    assert summary.post_average == pytest.approx(5 / 6)
    assert summary.gain == pytest.approx(5 / 6 - 0.5)


def test_no_answers_no_averages_and_no_gain():
    summary = rules.summarise(QUESTIONS, [], [], [], [])
    assert summary.responses == 0 and summary.questions[0].average is None and summary.gain is None


def test_plan_averages_weight_classes_by_their_answers():
    one = rules.summarise(QUESTIONS, [], [{"a": {"q1": 5}}], [], [])
    three = rules.summarise(QUESTIONS, [], [{"a": {"q1": 2}}] * 3, [], [])
    total, averages = rules.merge_counts([one, three])
    assert total == 4 and averages["q1"] == pytest.approx((5 + 6) / 4)


def test_plan_distributions_add_up_the_classes():
    one = rules.summarise(QUESTIONS, [], [{"a": {"q1": 5}}, {"a": {"q1": 4}}], [], [])
    two = rules.summarise(QUESTIONS, [], [{"a": {"q1": 5, "q2": 1}}], [], [])
    merged = rules.merge_distributions([one, two])
    assert merged["q1"].distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2} and merged["q1"].average == pytest.approx(14 / 3)
    assert merged["q2"].answered == 1 and "q4" not in merged


def test_too_few_anonymous_answers_show_their_count_only():
    entries = [{"a": {"q1": 1, "q4": "Giảng viên nói quá nhanh"}}, {"a": {"q1": 5}}]
    summary = rules.summarise(QUESTIONS, [], entries, [], [], withhold_below=3)
    assert summary.withheld and summary.responses == 2 and summary.shown_from == 3
    assert all(q.average is None and q.answered == 0 and not q.texts and not any(q.distribution.values())
               for q in summary.questions)
    shown = rules.summarise(QUESTIONS, [], entries + [{"a": {"q1": 3}}], [], [], withhold_below=3)
    assert not shown.withheld and shown.questions[0].average == pytest.approx(3.0)
    assert shown.questions[3].texts == ["Giảng viên nói quá nhanh"]


def test_a_quiz_taken_by_too_few_hides_its_scores_but_not_the_forms():
    quiz = rules.parse_quiz(QUIZ)
    entries = [{"a": {"q1": 4}, "s": 2}, {"a": {"q1": 4}, "s": 1}, {"a": {"q1": 4}, "s": 2}]
    summary = rules.summarise(QUESTIONS, quiz, entries, pre_scores=[0, 1], post_scores=[2, 1, 2], withhold_below=3)
    assert not summary.withheld and summary.questions[0].average == pytest.approx(4.0)
    assert summary.quiz_withheld and (summary.pre_count, summary.post_count) == (2, 3)
    assert summary.pre_average is None and summary.post_average is None and summary.gain is None


def test_withheld_answers_stay_out_of_the_plan_totals():
    # Otherwise the plan's average minus the other classes' would give the lone answer back.
    lone = rules.summarise(QUESTIONS, [], [{"a": {"q1": 1}}], [], [], withhold_below=3)
    three = rules.summarise(QUESTIONS, [], [{"a": {"q1": 4}}] * 3, [], [], withhold_below=3)
    total, averages = rules.merge_counts([lone, three])
    assert total == 4 and averages["q1"] == pytest.approx(4.0)
    assert rules.merge_distributions([lone, three])["q1"].distribution == {1: 0, 2: 0, 3: 0, 4: 3, 5: 0}

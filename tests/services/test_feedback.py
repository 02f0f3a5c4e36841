"""Answering the feedback form and the quiz, the refusals, anonymity in the database, and the results."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select, text

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Enrolment, FeedbackBox, FeedbackReceipt
from bdgtrain.models.base import utcnow
from bdgtrain.rules.feedback import DEFAULT_QUESTIONS_TEXT
from bdgtrain.services.feedback import feedback, feedback_output, trainer_links
from tests import factories as make
from tests.feedback_world import GOOD, build

QUIZ = ("Luật Bình đẳng giới được thông qua năm nào?\n- 2004\n* 2006\n\n"
        "Chỉ tiêu nữ trong diện quy hoạch 2025?\n* 40%\n- 10%")


def _answers(box_kind="form"):
    return db.session.scalar(select(FeedbackBox.entries).where(FeedbackBox.kind == box_kind)) or []


def test_an_answer_is_stored_with_a_receipt_and_counted(app, every_feedback_answer_shown):
    plan, cls, enrolments, _trainer = build()
    feedback.submit_feedback(enrolments[0], GOOD, utcnow())
    receipt = db.session.scalar(select(FeedbackReceipt))
    assert (receipt.enrolment_id, receipt.kind) == (enrolments[0].id, "form")
    assert _answers() == [{"a": {"q1": 5, "q2": 4, "q3": 4, "q4": GOOD["q4"], "q5": GOOD["q5"]}}]
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    assert summary.responses == 1 and summary.questions[0].average == 5


def test_second_answer_from_the_same_person_is_refused_politely(app):
    _plan, _cls, enrolments, _trainer = build()
    feedback.submit_feedback(enrolments[0], GOOD, utcnow())
    with pytest.raises(DomainError) as error:
        feedback.submit_feedback(enrolments[0], dict(GOOD, q1="1"), utcnow())
    assert error.value.code == "feedback.already_answered" and "Cảm ơn" in error.value.message
    assert len(_answers()) == 1


def test_a_concurrent_second_answer_is_stopped_by_the_database(app):
    _plan, cls, enrolments, _trainer = build()
    db.session.add(FeedbackReceipt(class_id=cls.id, enrolment_id=enrolments[0].id, kind="form",
                                   answered_on=utcnow().date()))
    db.session.flush()
    # As if the check had passed before the other request wrote its receipt.
    with pytest.raises(DomainError) as error:
        feedback._drop_in_box(enrolments[0], "form", {"a": {}}, utcnow())
    assert error.value.code == "feedback.already_answered"
    assert _answers() == []


@pytest.mark.parametrize("ended_minutes_ago, message", [
    (-30, "chưa kết thúc"),
    (8 * 24 * 60, "đã đóng"),
])
def test_the_form_refuses_before_the_class_ends_and_after_it_closes(app, ended_minutes_ago, message):
    _plan, _cls, enrolments, _trainer = build(ended_minutes_ago=ended_minutes_ago)
    with pytest.raises(DomainError) as error:
        feedback.submit_feedback(enrolments[0], GOOD, utcnow())
    assert error.value.code == "feedback.closed" and message in error.value.message
    assert db.session.scalar(select(FeedbackReceipt)) is None


def test_a_cancelled_class_and_a_replaced_participant_cannot_answer(app):
    _plan, cls, enrolments, _trainer = build()
    enrolments[1].status = "replaced"
    with pytest.raises(DomainError, match="không còn hiệu lực"):
        feedback.submit_feedback(enrolments[1], GOOD, utcnow())
    cls.status = "cancelled"
    with pytest.raises(DomainError, match="đã bị hủy"):
        feedback.submit_feedback(enrolments[0], GOOD, utcnow())


def test_missing_required_answers_are_named_and_nothing_is_written(app):
    _plan, _cls, enrolments, _trainer = build()
    with pytest.raises(feedback.FeedbackInvalid) as error:
        feedback.submit_feedback(enrolments[0], {"q1": "5", "q4": "x" * 2000}, utcnow())
    assert set(error.value.errors) == {"q2", "q3", "q4"}
    assert db.session.scalar(select(FeedbackReceipt)) is None and _answers() == []


def test_pre_and_post_quiz_give_the_gain_per_class(app, every_feedback_answer_shown):
    _plan, cls, enrolments, _trainer = build(quiz_text=QUIZ, ended_minutes_ago=60)
    # The pre-class quiz closed with the first session: open it again by moving the class a day on.
    for session in cls.sessions:
        session.starts_at += timedelta(days=1)
        session.ends_at += timedelta(days=1)
    db.session.flush()
    feedback.submit_pre_quiz(enrolments[0], {"k1": "0", "k2": "0"}, utcnow())  # 1 of 2
    feedback.submit_pre_quiz(enrolments[1], {"k1": "0", "k2": "1"}, utcnow())  # 0 of 2
    with pytest.raises(DomainError, match="đã làm bài"):
        feedback.submit_pre_quiz(enrolments[1], {"k1": "1", "k2": "0"}, utcnow())
    for session in cls.sessions:
        session.starts_at -= timedelta(days=1)
        session.ends_at -= timedelta(days=1)
    db.session.flush()
    with pytest.raises(DomainError, match="đã đóng"):
        feedback.submit_pre_quiz(enrolments[2], {"k1": "1", "k2": "0"}, utcnow())
    with pytest.raises(feedback.FeedbackInvalid) as error:
        feedback.submit_feedback(enrolments[0], GOOD, utcnow())
    assert set(error.value.errors) == {"k1", "k2"}
    feedback.submit_feedback(enrolments[0], dict(GOOD, k1="1", k2="0"), utcnow())  # 2 of 2
    feedback.submit_feedback(enrolments[1], dict(GOOD, k1="1", k2="1"), utcnow())  # 1 of 2
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    assert (summary.pre_count, summary.post_count) == (2, 2)
    assert summary.pre_average == pytest.approx(0.25) and summary.post_average == pytest.approx(0.75)
    assert summary.gain == pytest.approx(0.5)


def test_questions_are_locked_once_someone_answered_but_the_window_is_not(app):
    plan, _cls, enrolments, _trainer = build()
    feedback.submit_feedback(enrolments[0], GOOD, utcnow())
    with pytest.raises(DomainError) as error:
        feedback.save_settings(None, plan, feedback.SettingsInput(True, "last_ended", 7, "[1-5] Câu khác"))
    assert error.value.code == "feedback.locked"
    with pytest.raises(DomainError):  # nor may anonymous answers become named
        feedback.save_settings(None, plan, feedback.SettingsInput(False, "last_ended", 7, DEFAULT_QUESTIONS_TEXT))
    feedback.save_settings(None, plan, feedback.SettingsInput(True, "last_started", 14, DEFAULT_QUESTIONS_TEXT))
    assert feedback.form_config(plan).close_after_days == 14
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "feedback.settings.changed"))


@pytest.mark.parametrize("data, field", [
    (feedback.SettingsInput(True, "last_ended", 0, DEFAULT_QUESTIONS_TEXT), "close_after_days"),
    (feedback.SettingsInput(True, "sometime", 7, DEFAULT_QUESTIONS_TEXT), "opens_when"),
    (feedback.SettingsInput(True, "last_ended", 7, "Câu hỏi không có loại"), "questions_text"),
    (feedback.SettingsInput(True, "last_ended", 7, DEFAULT_QUESTIONS_TEXT, "Câu?\n- a\n- b"), "quiz_text"),
])
def test_bad_settings_name_their_field(app, data, field):
    organiser = make.org("SLDTBXH")
    plan = make.plan(organiser)
    with pytest.raises(DomainError) as error:
        feedback.save_settings(None, plan, data)
    assert error.value.field == field


# --- anonymity --------------------------------------------------------------------------------------

def _submit_all(enrolments, scores):
    for enrolment, score in zip(enrolments, scores):
        feedback.submit_feedback(enrolment, dict(GOOD, q1=str(score), q4=f"Ý kiến {score}"), utcnow())
        db.session.commit()  # each answer is its own request


def test_anonymous_answers_cannot_be_joined_back_to_a_person(app, backend):
    plan, cls, enrolments, _trainer = build(people=5)
    _submit_all(enrolments, [1, 2, 3, 4, 5])
    # 1. The answers have no row of their own: one box per class, and no column that names anyone.
    boxes = db.session.scalars(select(FeedbackBox)).all()
    assert len(boxes) == 1
    columns = {c["name"] for c in inspect(db.session.connection()).get_columns("feedback_boxes")}
    assert columns == {"id", "class_id", "kind", "entries"}
    receipt_columns = {c["name"] for c in inspect(db.session.connection()).get_columns("feedback_receipts")}
    assert receipt_columns == {"id", "class_id", "enrolment_id", "kind", "answered_on"}  # no time, no answer
    # 2. No entry carries an enrolment, a person, a time or a position.
    entries = boxes[0].entries
    assert len(entries) == 5 and all(set(entry) == {"a"} for entry in entries)
    ids = {str(e.id) for e in enrolments} | {e.person.full_name for e in enrolments}
    assert not any(value in str(entries) for value in ids if len(value) > 2)
    # 3. The order is shuffled on every write: over a few classes, it is not always the answering order.
    orders = []
    for n in range(4):
        other, people = make.class_open_now(plan, f"LOP-X{n}", people=5, started_minutes_ago=300)
        _submit_all(people, [1, 2, 3, 4, 5])
        box = db.session.scalar(select(FeedbackBox).where(FeedbackBox.class_id == other.id))
        orders.append([entry["a"]["q1"] for entry in box.entries])
    assert any(order != [1, 2, 3, 4, 5] for order in orders)
    # 4. PostgreSQL's system columns: every receipt was written in its own transaction, the box holds
    # all answers in one tuple, so the box's xmin can at most point at the last receipt, and names no answer.
    if backend == "postgresql":
        receipt_xmins = db.session.scalars(text("SELECT xmin::text FROM feedback_receipts WHERE class_id = :c"),
                                           {"c": cls.id}).all()
        box_xmins = db.session.scalars(text("SELECT xmin::text FROM feedback_boxes WHERE class_id = :c"),
                                       {"c": cls.id}).all()
        assert len(set(receipt_xmins)) == 5 and len(box_xmins) == 1
        # At most the last writer's receipt shares the box's xmin (here none: receipts are written in a
        # savepoint, a subtransaction of their own), and that box tuple holds all five answers anyway.
        assert sum(x == box_xmins[0] for x in receipt_xmins) <= 1
    # 5. Neither the audit log nor the exports name who answered what.
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("feedback.answer%"))).all()
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    workbook = load_workbook(io.BytesIO(feedback_output.results_xlsx(plan, [(cls, summary, 5)])))
    cells = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value)
    for enrolment in enrolments:
        assert enrolment.person.full_name not in cells
    assert feedback.named_entries(cls) == []


def test_few_anonymous_answers_show_as_counts_only_in_the_results_and_the_export(app):
    plan, cls, enrolments, _trainer = build(people=4)
    _submit_all(enrolments[:2], [1, 5])
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    assert summary.withheld and summary.responses == 2 and summary.average("q1") is None
    workbook = load_workbook(io.BytesIO(feedback_output.results_xlsx(plan, [(cls, summary, 4)])))
    assert [row[0].value for row in workbook["Ý kiến"].iter_rows(min_row=2)] == []
    assert workbook["Phân bố điểm"].max_row == 1
    assert "dưới 3 phiếu" in " ".join(str(c.value) for c in workbook["Tổng hợp"][6] if c.value)
    _submit_all(enrolments[2:3], [3])  # the third answer shows them all
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    assert not summary.withheld and summary.average("q1") == pytest.approx(3.0)
    assert sorted(summary.questions[3].texts) == ["Ý kiến 1", "Ý kiến 3", "Ý kiến 5"]


def test_the_export_keeps_scores_as_numbers_that_excel_rounds(app):
    """The summary and distribution sheets hold 13/3 itself, shown 0.00 (4,33 in a Vietnamese Excel),
    never a figure already rounded by Python (round() ties to even: 4.125 would become 4.12)."""
    plan, cls, enrolments, _trainer = build(people=3)
    _submit_all(enrolments, [5, 4, 4])
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    workbook = load_workbook(io.BytesIO(feedback_output.results_xlsx(plan, [(cls, summary, 3)])))
    usefulness = workbook["Tổng hợp"].cell(6, 6)
    assert usefulness.value == pytest.approx(13 / 3, abs=1e-9) and usefulness.number_format == "0.00"
    mean = workbook["Phân bố điểm"].cell(2, 9)
    assert mean.value == pytest.approx(13 / 3, abs=1e-9) and mean.number_format == "0.00"


def test_named_answers_are_shown_however_few(app):
    _plan, cls, enrolments, _trainer = build(people=2, named=True)
    _submit_all(enrolments[:1], [2])
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    assert not summary.withheld and summary.average("q1") == 2


def test_named_plan_keeps_who_said_what(app):
    plan, cls, enrolments, _trainer = build(people=2, named=True)
    _submit_all(enrolments, [2, 5])
    named = feedback.named_entries(cls)
    assert sorted((name, entry["a"]["q1"]) for name, entry in named) == sorted(
        (e.person.full_name, score) for e, score in zip(enrolments, [2, 5]))


# --- results ----------------------------------------------------------------------------------------

def test_summaries_for_many_classes_take_a_bounded_number_of_statements(app, count_queries):
    plan, cls, enrolments, _trainer = build(people=3)
    _submit_all(enrolments, [3, 4, 5])
    ids = [cls.id]
    for n in range(6):
        other, people = make.class_open_now(plan, f"LOP-N{n}", people=2, started_minutes_ago=300)
        _submit_all(people, [4, 4])
        ids.append(other.id)
    db.session.expire_all()
    with count_queries() as counter:
        summaries = feedback.summarise_feedback(ids + [999_999])
    assert counter.count <= 2
    assert summaries[cls.id].responses == 3 and summaries[ids[-1]].responses == 2
    assert summaries[999_999].responses == 0
    db.session.expire_all()
    with count_queries() as counter:
        result = feedback.summarise_plan_feedback(plan)
    assert counter.count <= 6  # the expired plan, its classes, settings, boxes, enrolments, its own settings
    assert result.responses == 15 and result.averages["q1"] == pytest.approx((3 + 4 + 5 + 4 * 12) / 15)


def test_hostile_free_text_is_defused_in_the_export(app, every_feedback_answer_shown):
    plan, cls, enrolments, _trainer = build(people=2)
    feedback.submit_feedback(enrolments[0], dict(GOOD, q4='=HYPERLINK("http://x","bấm")'), utcnow())
    feedback.submit_feedback(enrolments[1], dict(GOOD, q4="@SUM(A1:A2)", q5="-1+2"), utcnow())
    summary = feedback.summarise_feedback([cls.id])[cls.id]
    workbook = load_workbook(io.BytesIO(feedback_output.results_xlsx(plan, [(cls, summary, 2)])))
    texts = [row[2] for row in workbook["Ý kiến"].iter_rows(min_row=2, values_only=True)]
    assert sorted(texts) == sorted(["'=HYPERLINK(\"http://x\",\"bấm\")", "'@SUM(A1:A2)", "'-1+2",
                                    GOOD["q5"]])
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)


def test_chart_text_is_escaped():
    from bdgtrain.rules.feedback import parse_questions, summarise

    question = parse_questions("[1-5] <script>alert(1)</script>")[0]
    summary = summarise([question], [], [{"a": {"q1": 4}}], [], [])
    svg = str(feedback_output.distribution_svg(summary.questions[0], question.text))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_trainer_links_are_signed_and_revocable(app):
    _plan, cls, _enrolments, trainer = build()
    first = trainer_links.issue_trainer_link(None, cls, trainer.id, utcnow())
    token = trainer_links.trainer_link_token(first)
    assert str(first.id) != token and trainer_links.find_trainer_link(token) is first
    second = trainer_links.issue_trainer_link(None, cls, trainer.id, utcnow())
    assert trainer_links.find_trainer_link(token) is None  # the new link replaces the old one
    assert trainer_links.revoke_trainer_link(None, cls, trainer.id, utcnow()) == 1
    assert trainer_links.find_trainer_link(trainer_links.trainer_link_token(second)) is None
    assert trainer_links.find_trainer_link(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    with pytest.raises(DomainError):
        trainer_links.issue_trainer_link(None, cls, trainer.id + 100, utcnow())
    assert db.session.get(Enrolment, _enrolments[0].id) is not None


def test_answers_sent_at_the_same_moment_are_all_kept(app):
    """Several phones submit at once, the class's box not yet created: no answer is lost to a race."""
    import threading

    _plan, cls, enrolments, _trainer = build(people=4)
    ids = [e.id for e in enrolments]
    db.session.commit()
    barrier, errors = threading.Barrier(len(ids)), []

    def answer(enrolment_id):
        try:
            with app.app_context():
                barrier.wait(timeout=10)  # then all at once (SQLite's writer lock queues them; PostgreSQL races)
                feedback.submit_feedback(db.session.get(Enrolment, enrolment_id), GOOD, utcnow())
                db.session.commit()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    db.session.expire_all()
    assert len(_answers()) == 4 and feedback.summarise_feedback([cls.id])[cls.id].responses == 4
    assert db.session.scalar(select(func.count()).select_from(FeedbackReceipt)) == 4

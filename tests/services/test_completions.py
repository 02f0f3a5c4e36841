"""Stored completions: refresh stores exactly what rules/completion.py decides, and every change that can
alter a class's completions invalidates it at once (database triggers), on both backends."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select, text

from bdgtrain.extensions import db
from bdgtrain.localtime import LOCAL_TZ, to_local
from bdgtrain.models import Attendance, ClassCompletion, ClassSession, Enrolment, Person, TrainingClass
from bdgtrain.rules.completion import completion
from bdgtrain.services.lists import roster_decisions
from bdgtrain.services.planning import sessions
from bdgtrain.services.reporting import completions
from bdgtrain.services.reporting.reporting import compute_trained_share
from tests.services.test_reporting import build_world


def expected_completions() -> set[tuple]:
    """(enrolment, person, class, local day of the last held session) of every completed enrolment, by the rule."""
    sessions = db.session.scalars(select(ClassSession)).all()
    held = {}
    for s in sessions:
        if s.status != "cancelled":
            held.setdefault(s.class_id, []).append(s)
    marks = {}
    for a in db.session.scalars(select(Attendance)).all():
        marks.setdefault(a.enrolment_id, {})[a.session_id] = a.status
    out = set()
    for e in db.session.scalars(select(Enrolment)).all():
        cls_held = held.get(e.class_id, [])
        if e.status not in ("nominated", "confirmed") or not cls_held:
            continue
        statuses = [marks.get(e.id, {}).get(s.id) for s in cls_held]
        if completion(statuses, held=len(cls_held), remaining=0,
                      percent=db.session.get(TrainingClass, e.class_id).completion_percent).completed:
            last = max(s.ends_at for s in cls_held).astimezone(LOCAL_TZ).date()
            out.add((e.id, e.person_id, e.class_id, last))
    return out


def stored() -> set[tuple]:
    return {(c.enrolment_id, c.person_id, c.class_id, c.done_on)
            for c in db.session.scalars(select(ClassCompletion)).all()}


def invalid_ids() -> set[int]:
    return set(db.session.scalars(text("SELECT id FROM training_classes WHERE completions_as_of IS NULL")))


def refreshed_world(seed: int):
    world = build_world(seed)
    db.session.commit()
    completions.refresh()
    db.session.commit()
    assert invalid_ids() == set()
    return world


def figures(as_of=date(2030, 1, 1)):
    report, _info = compute_trained_share(as_of)
    return report.units, report.total


def test_refresh_stores_what_the_rule_decides_and_only_invalid_classes(app):
    build_world(21)
    db.session.commit()
    classes = set(db.session.scalars(select(TrainingClass.id)))
    assert invalid_ids() == classes  # as after the upgrade
    assert completions.refresh() == len(classes)
    db.session.commit()
    assert stored() == expected_completions() and stored()
    assert completions.refresh() == 0  # nothing invalid: nothing recomputed
    assert completions.refresh(everything=True) == db.session.query(TrainingClass).count()
    assert stored() == expected_completions()


def test_the_form_for_many_classes_stores_the_same(app, monkeypatch):
    build_world(28)
    db.session.commit()
    monkeypatch.setattr(completions, "_MANY", 0)  # PostgreSQL groups all the attendance at once
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions() and stored()


def _one_completed_enrolment() -> Enrolment:
    enrolment_id = sorted(stored())[0][0]
    return db.session.get(Enrolment, enrolment_id)


def test_attendance_marked_on_the_roster_invalidates_its_class(app):
    refreshed_world(22)
    enrolment = _one_completed_enrolment()
    row = db.session.scalar(select(Attendance).join(ClassSession).where(
        Attendance.enrolment_id == enrolment.id, Attendance.status.in_(("present", "late")),
        ClassSession.status == "scheduled", ClassSession.class_id == enrolment.class_id))
    row.status = "absent"
    db.session.flush()
    assert invalid_ids() == {enrolment.class_id}
    live = figures()  # the report reads the changed class live: exact before any refresh
    completions.refresh()
    db.session.commit()
    assert invalid_ids() == set() and stored() == expected_completions()
    assert figures() == live
    # Deleting a row, or adding one, invalidates too.
    session_id = row.session_id
    db.session.execute(text("DELETE FROM attendances WHERE id = :a"), {"a": row.id})
    assert invalid_ids() == {enrolment.class_id}
    completions.refresh()
    db.session.add(Attendance(session_id=session_id, enrolment_id=enrolment.id, status="present"))
    db.session.flush()
    assert invalid_ids() == {enrolment.class_id}
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions()


def test_cancelling_a_session_and_changing_the_percent_invalidate_the_class(app):
    refreshed_world(23)
    cls = db.session.get(TrainingClass, sorted(stored())[0][2])
    # A session whose roll was called is never cancelled: the class gains one with no roll yet.
    day = max(to_local(s.starts_at).date() for s in cls.sessions) + timedelta(days=1)
    session = sessions.add_session(None, cls, sessions.SessionInput(day=day, start=time(8), end=time(11), label="Bù"))
    assert invalid_ids() == {cls.id}
    completions.refresh()
    db.session.commit()
    assert invalid_ids() == set()
    sessions.set_session_cancelled(None, session, True)
    assert invalid_ids() == {cls.id}
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions()
    cls = db.session.get(TrainingClass, cls.id)
    cls.completion_percent = 100 if cls.completion_percent != 100 else 50
    db.session.flush()
    assert invalid_ids() == {cls.id}
    completions.refresh()
    db.session.commit()
    assert invalid_ids() == set() and stored() == expected_completions()
    # Another column of the class (its title) leaves the stored rows valid: they do not depend on it.
    cls.title = "Lớp đổi tên"
    db.session.flush()
    assert invalid_ids() == set()


def test_enrolment_declined_replaced_or_moved_to_another_person_invalidates_its_class(app):
    refreshed_world(24)
    enrolment = _one_completed_enrolment()
    roster_decisions.set_enrolment_status(None, enrolment, "declined", note="Bận công tác")
    assert invalid_ids() == {enrolment.class_id}
    live = figures()
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions() and figures() == live
    assert enrolment.id not in {row[0] for row in stored()}
    # A person merge moves enrolments to the person kept: the class is recomputed for her.
    enrolment = _one_completed_enrolment()
    other = db.session.scalar(select(Person).where(Person.id != enrolment.person_id, ~Person.id.in_(
        select(Enrolment.person_id).where(Enrolment.class_id == enrolment.class_id))))
    enrolment.person_id = other.id
    db.session.flush()
    assert invalid_ids() == {enrolment.class_id}
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions()
    assert (enrolment.id, other.id) in {row[:2] for row in stored()}
    # A replaced enrolment (no attendance allowed) and a deleted one invalidate too.
    cls_id = enrolment.class_id
    db.session.execute(text("DELETE FROM attendances WHERE enrolment_id = :e"), {"e": enrolment.id})
    db.session.delete(db.session.get(Enrolment, enrolment.id))
    db.session.flush()
    assert invalid_ids() == {cls_id}
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions()


def test_a_new_session_invalidates_and_the_figures_follow_the_data(app):
    refreshed_world(25)
    cls = db.session.get(TrainingClass, sorted(stored())[0][2])
    last = max(s.ends_at for s in cls.sessions)
    db.session.add(ClassSession(class_id=cls.id, label="Thêm", starts_at=last + timedelta(days=1),
                                ends_at=last + timedelta(days=1, hours=2)))
    db.session.flush()
    assert invalid_ids() == {cls.id}
    live = figures()
    completions.refresh()
    db.session.commit()
    assert stored() == expected_completions() and figures() == live


def test_refresh_of_named_classes_leaves_the_others_alone(app):
    refreshed_world(26)
    ids = sorted(db.session.scalars(select(TrainingClass.id)))
    db.session.execute(text("UPDATE training_classes SET completions_as_of = NULL"))
    assert completions.refresh(ids[:3]) == 3
    assert invalid_ids() == set(ids[3:])


def test_a_refresh_in_steps_leaves_every_step_committed_and_the_figures_exact_between_them(app):
    """Each step is its own transaction: after the first commit its classes are valid and stored, the others
    still invalid, and the report (stored rows for some classes, live for the rest) is the same throughout."""
    build_world(29)
    db.session.commit()
    before = figures()
    ids = sorted(db.session.scalars(select(TrainingClass.id)))
    steps = completions.refresh_in_steps(step=5)
    assert next(steps) == 5
    db.session.commit()
    assert invalid_ids() == set(ids[5:])
    assert {c for _e, _p, c, _d in stored()} <= set(ids[:5])
    assert figures() == before
    rest = list(steps)
    db.session.commit()
    assert rest == [5] * ((len(ids) - 5) // 5) + ([(len(ids) - 5) % 5] if (len(ids) - 5) % 5 else [])
    assert invalid_ids() == set() and stored() == expected_completions() and figures() == before
    assert list(completions.refresh_in_steps(step=5)) == []  # nothing left to do
    assert sum(completions.refresh_in_steps(everything=True, step=5)) == len(ids)


def test_the_command_and_the_session_closing_job_store_completions(app, runner):
    build_world(27)
    db.session.commit()
    result = runner.invoke(args=["report", "refresh-completions"])
    assert result.exit_code == 0 and "12 lớp" in result.output, result.output
    db.session.expire_all()
    assert invalid_ids() == set() and stored() == expected_completions()
    enrolment = _one_completed_enrolment()
    enrolment.status = "declined"
    db.session.commit()
    assert invalid_ids() == {enrolment.class_id}
    result = runner.invoke(args=["checkin", "close-sessions"])  # its absent marks invalidate classes too
    assert result.exit_code == 0 and "hoàn thành của 0 lớp" not in result.output, result.output
    db.session.expire_all()
    assert invalid_ids() == set() and stored() == expected_completions()

"""The live view's tallies, grouped in SQL (attendance_view.live), against the row-by-row reckoning they
replaced, on a class with every edge: marks of each status, a closed session without marks, a cancelled
one, an open one, a declined participant who was marked, units blank and empty, two agencies of one name
and an agency whose only nominee declined."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance, Enrolment, Nomination, Organisation
from bdgtrain.models.base import utcnow
from bdgtrain.rules import checkin as table
from bdgtrain.services.checkin import attendance_view
from bdgtrain.services.checkin.checkin import open_session
from tests import factories as make


def _old_live(cls, now):
    """attendance_view.live before issue 22: every active enrolment loaded, each tally counted in Python."""
    enrolments = attendance_view.active_enrolments(cls)
    marks = attendance_view._marks(cls)
    current = open_session(cls, now)
    counts = []
    for session in cls.sessions:
        count = attendance_view.SessionCount(session)
        for enrolment in enrolments:
            mark = marks.get((enrolment.id, session.id))
            if mark is not None:
                setattr(count, mark.status, getattr(count, mark.status) + 1)
            elif session.ends_at <= now and session.status != "cancelled":
                count.absent += 1
        counts.append(count)
    here = {e.id for e in enrolments if current is not None and (e.id, current.id) in marks
            and marks[(e.id, current.id)].status in table.ATTENDED}
    agencies = defaultdict(set)
    for enrolment_id, name in db.session.execute(
            select(Nomination.enrolment_id, Organisation.name).join(Organisation)
            .join(Enrolment, Enrolment.id == Nomination.enrolment_id).where(Enrolment.class_id == cls.id)):
        agencies[name].add(enrolment_id)
    active_ids = {e.id for e in enrolments}
    by_agency = sorted((name, len(ids & active_ids), len(ids & here)) for name, ids in agencies.items())
    units_expected, units_here = Counter(), Counter()
    for enrolment in enrolments:
        unit = enrolment.person.unit_name or "—"
        units_expected[unit] += 1
        units_here[unit] += enrolment.id in here
    by_unit = sorted((unit, n, units_here[unit]) for unit, n in units_expected.items())
    missing = [e.id for e in enrolments if e.id not in here] if current is not None else None
    completed, below = 0, []
    for enrolment in enrolments:
        done = attendance_view._completion(cls, enrolment.id, marks, now)
        completed += done.completed
        if done.below_threshold and not done.completed:
            below.append((enrolment.id, done))
    return ([(c.session.id, c.present, c.late, c.excused, c.absent) for c in counts], by_agency, by_unit, missing,
            completed, below, len(enrolments))


def _new_live(cls, now, per_page=100):
    live = attendance_view.live(cls, now, per_page=per_page)
    pages = [live]
    while pages[-1].below_threshold.has_next or (pages[-1].missing and pages[-1].missing.has_next):
        last = pages[-1]
        pages.append(attendance_view.live(cls, now, last.missing.page + 1 if last.missing else 1,
                                          last.below_threshold.page + 1, per_page))
    missing = None
    if live.missing is not None:
        missing = list(dict.fromkeys(e.id for p in pages for e in p.missing.items))
    below = list(dict.fromkeys((e.id, c) for p in pages for e, c in p.below_threshold.items))
    return ([(c.session.id, c.present, c.late, c.excused, c.absent) for c in live.sessions], live.by_agency,
            live.by_unit, missing, live.completed, below, live.expected)


def _class_with_every_edge():
    organiser = make.org("SLD", "Sở Lao động")
    plan = make.plan(organiser)
    cls, enrolments = make.class_open_now(plan, people=9, sessions=4, started_minutes_ago=2 * 24 * 60 + 5)
    first, second, third, fourth = sorted(cls.sessions, key=lambda s: s.starts_at)
    # first and second closed days ago; third open now; fourth tomorrow. The second was cancelled.
    second.status = "cancelled"
    agency_a, agency_b = make.org("A1", "Hội Phụ nữ"), make.org("A2", "Hội Phụ nữ")  # two agencies, one name
    lonely = make.org("A3", "Sở Nội vụ")
    for i, enrolment in enumerate(enrolments):
        db.session.add(Nomination(enrolment_id=enrolment.id, organisation_id=(agency_a if i % 2 else agency_b).id))
    db.session.add(Nomination(enrolment_id=enrolments[1].id, organisation_id=agency_b.id))  # nominated twice
    enrolments[8].status = "declined"
    db.session.add(Nomination(enrolment_id=enrolments[8].id, organisation_id=lonely.id))
    enrolments[2].person.unit_name = None
    enrolments[3].person.unit_name = ""
    marks = {first: ["present", "late", "excused", "absent", None, "present", None, "present", "present"],
             second: ["present", None, None, None, None, None, None, None, "late"],
             third: ["present", "late", None, "absent", "present", None, None, None, "present"]}
    for session, statuses in marks.items():
        for enrolment, status in zip(enrolments, statuses, strict=True):
            if status:
                db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status=status))
    db.session.flush()
    db.session.refresh(cls)
    return cls, enrolments


def test_live_tallies_in_sql_agree_with_the_row_by_row_reckoning(app):
    cls, _enrolments = _class_with_every_edge()
    now = utcnow()
    old = _old_live(cls, now)
    assert _new_live(cls, now) == old and _new_live(cls, now, per_page=2) == old
    assert old[3] and old[5] and old[6] == 8  # someone missing, someone below, 8 active
    # the first session: the declined one's mark left out; absent: one marked, two never marked
    assert [row[1:] for row in old[0][:2]] == [(3, 1, 1, 3), (1, 0, 0, 0)]


def test_live_pages_the_missing_and_those_below(app):
    organiser = make.org("SLD", "Sở Lao động")
    plan = make.plan(organiser)
    cls, enrolments = make.class_open_now(plan, people=5, sessions=2, started_minutes_ago=24 * 60 + 5)
    db.session.refresh(cls)
    now = utcnow() + timedelta(seconds=1)
    old = _old_live(cls, now)
    assert _new_live(cls, now, per_page=2) == old and len(old[3]) == 5 and len(old[5]) == 5


def test_completions_counted_in_sql_agree_with_each_persons_marks(app):
    """completions() (attended counts grouped by the database) decides as completion_of() does from each
    person's marks: marks in a cancelled session, excused and absent marks, a declined participant, an
    open session and one still to come; before the class, during it and after it."""
    cls, enrolments = _class_with_every_edge()
    active = [e.id for e in enrolments if e.status != "declined"]
    for percent in (80, 50):  # at 80 % nobody can complete three held sessions yet; at 50 % some do
        cls.completion_percent = percent
        for now in (utcnow() - timedelta(days=5), utcnow(), utcnow() + timedelta(days=5)):
            by_marks = {i: attendance_view.completion_of(cls, i, now) for i in active}
            assert attendance_view.completions(cls, now) == by_marks
            assert attendance_view.class_figures(cls, now).completed == sum(c.completed for c in by_marks.values())
    after = attendance_view.completions(cls, utcnow() + timedelta(days=5))
    assert {c.completed for c in after.values()} == {True, False}  # the class tells the two apart

"""The attendance grid reads its marks as plain rows (issue 22): each cell shows the status, time and reason
the Attendance objects held, and completion is unchanged. Random marks, both databases."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance
from bdgtrain.models.base import utcnow
from bdgtrain.rules.completion import completion
from bdgtrain.services.checkin import attendance_view
from tests import factories


@pytest.mark.parametrize("seed", range(4))
def test_grid_cells_hold_what_the_attendance_rows_hold(app, seed):
    rng = random.Random(seed)
    organiser = factories.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    plan = factories.plan(organiser, "KH-2019")
    cls, enrolments = factories.class_open_now(plan, people=6, sessions=3, started_minutes_ago=60 * 24 * 2)
    now = utcnow()
    for enrolment in enrolments:
        for session in cls.sessions:
            if rng.random() < 0.7:
                db.session.add(Attendance(
                    session_id=session.id, enrolment_id=enrolment.id,
                    status=rng.choice(["present", "late", "excused", "absent"]),
                    checked_in_at=rng.choice([None, now - timedelta(minutes=rng.randint(1, 5000))]),
                    reason=rng.choice([None, "", "Ốm <b>nặng</b>"])))
    db.session.flush()
    db.session.expire_all()
    held = {(a.enrolment_id, a.session_id): a for a in db.session.scalars(select(Attendance))}
    rows = attendance_view.grid(cls, enrolments, now)
    for enrolment, row in zip(enrolments, rows):
        statuses = []
        for session, (status, mark, closed) in zip(cls.sessions, row.cells):
            kept = held.get((enrolment.id, session.id))
            assert closed == (session.ends_at <= now and session.status != "cancelled")
            assert status == (kept.status if kept else ("absent" if closed else None))
            assert (mark is None) == (kept is None)
            if kept is not None:
                assert (mark.status, mark.checked_in_at, mark.reason) == (kept.status, kept.checked_in_at, kept.reason)
            statuses.append(kept.status if kept else None)
        assert row.completion == completion(statuses, held=3, remaining=sum(1 for s in cls.sessions if s.ends_at > now),
                                            percent=cls.completion_percent)
        assert attendance_view.completion_of(cls, enrolment.id, now) == row.completion

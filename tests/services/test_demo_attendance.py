"""`flask demo attendance`: sample marks in Lớp 3's past sessions, some late, some absent, written once."""
from __future__ import annotations

from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance
from bdgtrain.models.base import utcnow
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.monitoring.compliance import plan_compliance


def test_demo_attendance_gives_the_monitor_something_to_read(app, runner, tmp_path):
    plan = load_demo()
    db.session.commit()
    assert runner.invoke(args=["demo", "lists", str(tmp_path)]).exit_code == 0
    for source in ("SNV", "HLHPN"):
        result = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", source,
                                     str(tmp_path / f"LOP-3-{source}.xlsx")])
        assert result.exit_code == 0, result.output
    first = runner.invoke(args=["demo", "attendance"])
    assert first.exit_code == 0 and "LOP-3: 50 " in first.output
    again = runner.invoke(args=["demo", "attendance"])
    assert "LOP-3: 0 " in again.output  # idempotent
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 50
    lop3 = next(c for c in plan_compliance(plan, utcnow()).classes if c.facts.code == "LOP-3")
    tally = lop3.tally
    # 16 people: the 8th and 16th never came, the 6th and 12th came once, the 4th was late once.
    assert (tally.nominated, tally.attended, tally.no_show, tally.completed, tally.late) == (16, 14, 2, 12, 1)
    assert lop3.state == "held"

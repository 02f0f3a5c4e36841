"""Audience compliance from the database equals the rule's decisions, on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Organisation
from bdgtrain.models.base import utcnow
from bdgtrain.rules.compliance import UNKNOWN_GROUP
from bdgtrain.services.monitoring.compliance import plan_compliance
from bdgtrain.services.monitoring.monitoring import overview
from tests import monitoring_world


def _counts(t):
    return (t.nominated, t.attended, t.completed, t.late, t.no_show, t.outside)


def test_compliance_of_the_plan_with_outsiders_no_shows_and_late_arrivals(app):
    plan, _ = monitoring_world.build()
    result = plan_compliance(plan, utcnow())
    classes = {c.facts.code: c for c in result.classes}
    # LOP-2's sessions are over but nobody's attendance was recorded: not counted as held.
    assert [c.state for c in result.classes] == ["cancelled", "unrecorded", "held", "held"]
    assert (result.planned, result.held, result.unrecorded, result.cancelled) == (4, 2, 1, 1)
    assert _counts(classes["LOP-3"].tally) == (5, 4, 3, 1, 1, 1)  # Hạnh declined: not counted
    assert _counts(classes["LOP-4"].tally) == (2, 2, 2, 1, 0, 1)
    assert _counts(classes["LOP-2"].tally) == (0, 0, 0, 0, 0, 0)
    assert [o.nominee.name for o in classes["LOP-3"].outside] == ["Lê Văn Minh"]
    assert [o.nominee.name for o in classes["LOP-4"].outside] == ["Hồ Thị Bình"]
    assert [o.nominee.name for o in classes["LOP-3"].no_shows] == ["Phạm Thị Cúc"]
    assert classes["LOP-3"].tally.late_marks == 1 and classes["LOP-4"].tally.late_marks == 5
    districts = {t.name: _counts(t) for t in result.by_district}
    assert districts[UNKNOWN_GROUP] == (1, 1, 1, 0, 0, 1)  # Bình, whose unit names no district
    cam_xuyen = next(v for k, v in districts.items() if "Cẩm Xuyên" in k)
    assert cam_xuyen == (3, 3, 2, 1, 0, 0)  # Hoa, Đào (1 session), Xuân (late)
    assert _counts(result.total) == (7, 6, 5, 2, 1, 2)


def test_agency_figures_match_by_name(app):
    plan, _ = monitoring_world.build()
    names = dict(db.session.execute(select(Organisation.code, Organisation.name)
                                    .where(Organisation.code.in_(["SNV", "HLHPN"]))).all())
    agencies = {t.name: _counts(t) for t in plan_compliance(plan, utcnow()).by_agency}
    assert agencies == {names["HLHPN"]: (3, 2, 2, 1, 1, 1), names["SNV"]: (5, 5, 4, 2, 0, 1)}


def test_a_supplier_reads_only_the_people_her_agency_nominated(app):
    plan, _ = monitoring_world.build()
    hlhpn = db.session.scalar(select(Organisation).where(Organisation.code == "HLHPN"))
    result = plan_compliance(plan, utcnow(), agency_id=hlhpn.id)
    names = sorted(o.nominee.name for c in result.classes for o in c.outcomes)
    assert names == ["Hồ Thị Bình", "Phạm Thị Cúc", "Trần Thị Lan"]
    assert [t.name for t in result.by_agency] == [hlhpn.name]  # Lan's other agency is not shown to her


def test_before_the_classes_nobody_is_late_or_absent(app):
    plan, _ = monitoring_world.build()
    from datetime import datetime, timezone
    result = plan_compliance(plan, datetime(2019, 7, 1, tzinfo=timezone.utc))
    assert [c.state for c in result.classes] == ["cancelled", "planned", "planned", "planned"]
    assert result.total.no_show == 0


def test_overview_reads_in_a_bounded_number_of_statements(app, count_queries):
    plan, _ = monitoring_world.build()
    overview(plan, utcnow())  # the process now holds the units (reporting._tree): both counts below are warm
    db.session.commit()
    with count_queries() as small:
        overview(plan, utcnow())
    # Twice the people and classes: the same number of statements.
    from bdgtrain.models import Enrolment, Person
    from tests import factories as make
    extra = make.training_class(plan, "LOP-5", date_expression="20-21/7/2019")
    for n in range(10):
        person = Person(full_name=f"Người {n}", name_folded=f"nguoi {n}", name_sort_key=f"nguoi {n}", sex="F")
        db.session.add(person)
        db.session.flush()
        db.session.add(Enrolment(class_id=extra.id, person_id=person.id, status="confirmed"))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as large:
        view = overview(plan, utcnow())
    # 15: 10 + the feedback results (4) + BEGIN; SQLite also fills the trained-share report's temporary
    # table of (unit, reported unit) pairs: create it, its index, empty it, insert (services/reporting.py).
    bound = 16 + (4 if db.engine.dialect.name == "sqlite" else 0)
    assert large.count == small.count <= bound, [small.count, large.statements]
    assert view.compliance.total.nominated == 17

"""Issue 23's round trip: the Hà Tĩnh demo's own Kế hoạch written as .docx (services/planning/plan_document)
and read back by the plan reader (importers/plan_text + rules/plan_reading) gives the same classes, in the
same order, on the same days, with the same audiences and the targets the plan holds; on both databases."""
from __future__ import annotations

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.importers.plan_text import extract_plan_text
from bdgtrain.localtime import to_local
from bdgtrain.models import Plan, Target
from bdgtrain.rules.plan_reading import read_plan_text
from bdgtrain.services.demo import demo
from bdgtrain.services.planning import plan_document


def _session_days(cls) -> list:
    return sorted({to_local(s.starts_at).date() for s in cls.sessions if s.status != "cancelled"})


def test_the_demo_plan_written_then_read_back_has_the_same_classes_and_days(app):
    demo.load_demo()
    db.session.commit()
    plan = db.session.scalar(select(Plan).where(Plan.code == "HT-2019"))
    written = plan_document.plan_document_file(plan, "docx")

    reading = read_plan_text(extract_plan_text(written, "ke-hoach.docx"))

    assert not reading.errors
    classes = [c for c in plan.classes if not c.is_cancelled]
    assert len(classes) == 4 and [c.code for c in reading.classes] == [c.code for c in classes]
    for read, cls in zip(reading.classes, classes, strict=True):
        assert read.dates == _session_days(cls), cls.code
        assert read.tentative == (cls.status == "planned"), cls.code
        assert read.audience.value and read.audience.value.strip() == (cls.audience or "").strip(), cls.code
    assert sorted((round(t.share, 4), t.year) for t in reading.targets) == sorted(
        (round(t.value_percent / 100, 4), t.deadline.year)
        for t in db.session.scalars(select(Target).where(Target.plan_id == plan.id)))

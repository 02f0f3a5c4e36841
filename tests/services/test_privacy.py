"""Erasure keeps every figure, removes every personal value; the dossier holds everything; retention purges."""
from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import (
    Attendance,
    AuditEvent,
    ClassSession,
    Enrolment,
    ExternalTraining,
    ListImport,
    Person,
    PersonalDataAccess,
    PoolEntry,
    TrainingClass,
)
from bdgtrain.models.base import utcnow
from bdgtrain.services.checkin.attendance_view import completions
from bdgtrain.services.core import audit
from bdgtrain.services.lists import roster, roster_decisions
from bdgtrain.services.privacy import access_log, privacy
from bdgtrain.services.reporting.reporting import compute_trained_share
from tests.services.test_reporting import build_world

AS_OF_DATES = [date(2019, 12, 31), date(2021, 6, 30), date(2024, 12, 31), date(2026, 6, 30)]


def _figures() -> dict:
    """Every trained-share figure on several dates and windows, and every class's attendance totals."""
    figures = {}
    for as_of in AS_OF_DATES:
        for window in (None, (date(2019, 1, 1), date(2030, 12, 31))):
            report, _info = compute_trained_share(as_of, window=window)
            figures[(as_of, window)] = (dict(report.units), report.total)
    per_class = {}
    for cls in db.session.scalars(select(TrainingClass).order_by(TrainingClass.id)):
        marks = db.session.execute(
            select(Attendance.session_id, Attendance.status, func.count()).join(ClassSession)
            .where(ClassSession.class_id == cls.id).group_by(Attendance.session_id, Attendance.status)).all()
        done = completions(cls, utcnow())
        per_class[cls.code] = (sorted(marks), roster.status_counts(cls),
                               sorted((c.completed, c.attended) for c in done.values()))
    return {"share": figures, "classes": per_class}


def _make_identifiable(people: list[Person]) -> None:
    for n, person in enumerate(people):
        person.full_name = f"Lò Thị Mây {n}"
        person.phone = f"0912{n:06d}"
        person.email = f"may{n}@example.vn"
        person.id_number = f"0401900{n:05d}"
        person.birth_date = date(1985, 3, 1 + n)
        person.position = "Phó Chủ tịch UBND xã"
        person.unit_name = "UBND xã Tả Phìn"
        person.ethnicity = "Thái"
    db.session.flush()


@pytest.mark.parametrize("seed", [1, 2])
def test_erasure_keeps_every_trained_share_figure_and_attendance_total(app, seed):
    build_world(seed)
    db.session.commit()
    # The people who count most: women with pool entries and attendance.
    candidates = list(db.session.scalars(
        select(Person).where(Person.sex == "F", Person.id.in_(select(PoolEntry.person_id)),
                             Person.id.in_(select(Enrolment.person_id).join(Attendance)))
        .order_by(Person.id)))
    chosen = random.Random(seed).sample(candidates, min(6, len(candidates)))
    assert len(chosen) >= 3
    _make_identifiable(chosen)
    db.session.commit()
    before = _figures()
    assert any(total.trained for _units, total in before["share"].values())  # the world has trained women

    for person in chosen:
        privacy.erase_person(None, person)
    db.session.commit()

    assert _figures() == before
    for person in chosen:
        db.session.refresh(person)
        assert person.erased_at is not None and person.full_name.startswith("[Đã xóa #")
        assert (person.phone, person.email, person.id_number, person.birth_date, person.position) == (None,) * 5
        assert person.sex == "F"


def test_erasure_removes_her_values_from_audit_free_text_and_files(app):
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    plan = factories.plan(organiser)
    cls, (enrolment, other) = factories.class_open_now(plan, people=2)
    hoa = enrolment.person
    hoa.id_number, hoa.email = "040190012345", "hoa@example.vn"
    upload = ListImport(class_id=cls.id, source_org_id=organiser.id, filename="ds.xlsx", sha256="0" * 64, size=3,
                        content=b"xyz", status="submitted")
    db.session.add(upload)
    db.session.flush()
    from bdgtrain.models import Nomination

    db.session.add(Nomination(enrolment_id=enrolment.id, organisation_id=organiser.id, list_import_id=upload.id,
                              source_row=7))
    roster_decisions.set_enrolment_status(None, enrolment, "confirmed",
                                          note=f"Gọi {hoa.phone}, gặp chị {hoa.full_name}")
    audit.record(None, "lists.person.edited", hoa, before={"full_name": hoa.full_name, "sex": "F"},
                 after={"full_name": "x", "phone": hoa.phone})
    kept_event = audit.record(None, "plan.class.edited", cls, summary=f"Lớp có {other.person.full_name}")
    name, phone = hoa.full_name, hoa.phone
    db.session.commit()

    counts = privacy.erase_person(None, hoa)
    db.session.commit()

    texts = json.dumps([[e.summary, e.before, e.after] for e in db.session.scalars(select(AuditEvent))],
                       ensure_ascii=False)
    assert name not in texts and phone not in texts and "040190012345" not in texts
    assert other.person.full_name in texts  # the other participant's history is untouched
    assert db.session.get(AuditEvent, kept_event.id).summary == f"Lớp có {other.person.full_name}"
    assert db.session.get(Enrolment, enrolment.id).status_note is None
    assert db.session.get(ListImport, upload.id).content is None
    assert counts["list_files"] == 1
    erased = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.person.erased"))
    assert erased.object_id == hoa.id and name not in json.dumps([erased.summary, erased.after], ensure_ascii=False)
    with pytest.raises(DomainError) as refused:
        privacy.erase_person(None, db.session.get(Person, hoa.id))
    assert refused.value.code == "privacy.already_erased"


def test_dossier_holds_every_section_about_her(app):
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    district = factories.org("HS", "Huyện Hương Sơn", kind="district")
    plan = factories.plan(organiser)
    cls, (enrolment, other) = factories.class_open_now(plan, people=2)
    hoa = enrolment.person
    session = cls.sessions[0]
    db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status="present"))
    db.session.add(PoolEntry(person_id=hoa.id, organisation_id=district.id, cycle="2021-2026",
                             cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                             added_on=date(2021, 3, 1), planned_posts="Phó Chủ tịch"))
    db.session.add(ExternalTraining(person_id=hoa.id, title="Trung cấp lý luận chính trị", evidence="QĐ 12"))
    roster_decisions.set_enrolment_status(None, enrolment, "confirmed")
    from bdgtrain.models import Certificate, FeedbackReceipt

    db.session.add(Certificate(enrolment_id=enrolment.id, number="KH/LOP/001"))
    db.session.add(FeedbackReceipt(class_id=cls.id, enrolment_id=enrolment.id, kind="form",
                                   answered_on=date(2026, 1, 2)))
    db.session.commit()
    access_log.record_access("roster.viewed", actor=None, cls=cls, people_count=2)
    access_log.record_access("person.viewed", actor=None, person=other.person)  # about someone else
    db.session.commit()

    dossier = privacy.person_dossier(hoa)

    assert dossier["person"]["full_name"] == hoa.full_name and dossier["person"]["phone"] == hoa.phone
    assert [e["class"] for e in dossier["enrolments"]] == [cls.code]
    assert [a["status"] for a in dossier["attendance"]] == ["present"]
    assert [p["planned_posts"] for p in dossier["pool_entries"]] == ["Phó Chủ tịch"]
    assert [t["evidence"] for t in dossier["external_trainings"]] == ["QĐ 12"]
    assert dossier["audit_events"] and {e["object"] for e in dossier["audit_events"]} == {f"Enrolment #{enrolment.id}"}
    assert [a["action"] for a in dossier["access_log"]] == ["roster.viewed"]
    assert [c["number"] for c in dossier["certificates"]] == ["KH/LOP/001"]
    assert dossier["feedback_answered"] == [{"class": cls.code, "kind": "form", "answered_on": "2026-01-02"}]
    json.dumps(dossier)  # JSON-safe


def test_access_about_her_counts_only_classes_she_was_in_at_the_time(app):
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    plan = factories.plan(organiser)
    cls, (enrolment,) = factories.class_open_now(plan, people=1)
    db.session.commit()
    earlier = utcnow() - timedelta(days=3)
    db.session.add_all([
        privacy_row("roster.viewed", cls, earlier),  # before she was enrolled: not about her
        privacy_row("roster.viewed", cls, utcnow()),
    ])
    db.session.commit()
    assert [a.occurred_at > earlier for a in access_log.accesses_about(enrolment.person)] == [True]


def test_an_entry_naming_people_is_about_each_of_them_and_nobody_else(app):
    """A page no class scopes (a unit's untrained women, say), logged from the CLI: found for each woman
    it named (once, whatever the repeats), not for another."""
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    plan = factories.plan(organiser)
    _cls, enrolments = factories.class_open_now(plan, people=3)
    db.session.commit()
    named, other = [e.person for e in enrolments[:2]], enrolments[2].person
    access_log.record_access("pool.untrained.viewed", actor=None,
                             people=[p.id for p in named] + [named[0].id, None], people_count=2,
                             detail="plan KH unit X")
    db.session.commit()
    for person in named:
        assert [(a.action, a.people_count) for a in access_log.accesses_about(person)] == [("pool.untrained.viewed", 2)]
    assert access_log.accesses_about(other) == []


def test_a_request_writes_its_plain_entries_together_and_each_naming_entry_with_its_people(app):
    from bdgtrain.web import access_log as request_access_log
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    plan = factories.plan(organiser)
    cls, enrolments = factories.class_open_now(plan, people=3)
    db.session.commit()
    first, second, third = (e.person for e in enrolments)
    with app.test_request_context("/"):
        request_access_log.record_access("roster.viewed", cls=cls, people_count=3)
        request_access_log.record_access("person.searched", people=[first.id, second.id], people_count=2)
        request_access_log.record_access("pool.untrained.viewed", people=[third.id], people_count=1)
        request_access_log.record_access("person.searched", people=[], people_count=0)  # found nobody: a plain entry
        assert request_access_log.write_pending() is True
        assert request_access_log.write_pending() is False  # written once
    db.session.commit()
    about = {p.full_name: sorted(a.action for a in access_log.accesses_about(p)) for p in (first, second, third)}
    assert about == {first.full_name: ["person.searched", "roster.viewed"],
                     second.full_name: ["person.searched", "roster.viewed"],
                     third.full_name: ["pool.untrained.viewed", "roster.viewed"]}
    assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 4


def test_an_entry_naming_many_people_writes_them_in_one_statement(app):
    """The people of an entry go in one INSERT whatever their number (a page of 100 named people is not
    100 statements), each of them once."""
    from sqlalchemy import event

    from bdgtrain.models import PersonalDataAccessPerson
    from bdgtrain.web import access_log as request_access_log
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    plan = factories.plan(organiser)
    _cls, enrolments = factories.class_open_now(plan, people=30)
    db.session.commit()
    ids = [e.person_id for e in enrolments]
    sent = []

    def record(_conn, _cursor, statement, _parameters, _context, executemany):
        sent.append((statement.split()[0].upper(), executemany))

    with app.test_request_context("/"):
        request_access_log.record_access("pool.untrained.viewed", people=ids + ids[:5], people_count=30)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            request_access_log.write_pending()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    db.session.commit()
    # The entry, then its people: two statements, neither sent once per row (executemany).
    assert [s for s in sent if s[0] == "INSERT"] == [("INSERT", False), ("INSERT", False)]
    assert sorted(db.session.scalars(select(PersonalDataAccessPerson.person_id))) == sorted(ids)


def privacy_row(action, cls, at):
    from bdgtrain.models import PersonalDataAccess

    return PersonalDataAccess(occurred_at=at, action=action, actor_label="cli", class_id=cls.id,
                              scope_label=cls.code, people_count=1)


def test_purge_removes_old_files_and_previews_only(app, runner):
    from tests import factories

    organiser = factories.org("SLD", "Sở LĐ")
    plan = factories.plan(organiser)
    cls = factories.training_class(plan)
    now = utcnow()
    old_preview, old_done, fresh = (
        ListImport(class_id=cls.id, source_org_id=organiser.id, filename=f"{n}.xlsx", sha256="0" * 64, size=3,
                   content=b"xyz", status=status, created_at=now - timedelta(days=age))
        for n, status, age in (("a", "preview", 40), ("b", "submitted", 31), ("c", "preview", 5)))
    db.session.add_all([old_preview, old_done, fresh])
    db.session.commit()

    dry = runner.invoke(args=["privacy", "purge", "--days", "30", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    db.session.expire_all()
    assert old_done.content == b"xyz"

    result = runner.invoke(args=["privacy", "purge", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "2" in result.output
    db.session.expire_all()
    assert (old_preview.content, old_preview.status) == (None, "discarded")
    assert (old_done.content, old_done.status) == (None, "submitted")
    assert (fresh.content, fresh.status) == (b"xyz", "preview")
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "privacy.imports.purged"))

    refused = runner.invoke(args=["privacy", "purge", "--days", "-1"])
    assert refused.exit_code != 0


def test_purge_also_empties_old_external_training_files(app, runner):
    from bdgtrain.models import ExternalTrainingImport

    now = utcnow()
    old, fresh = (ExternalTrainingImport(filename=f"{n}.xlsx", sha256="0" * 64, size=3, content=b"xyz",
                                         status="preview", created_at=now - timedelta(days=age))
                  for n, age in (("a", 40), ("b", 5)))
    db.session.add_all([old, fresh])
    db.session.commit()
    assert runner.invoke(args=["privacy", "purge", "--days", "30"]).exit_code == 0
    db.session.expire_all()
    assert (old.content, old.status) == (None, "discarded")
    assert (fresh.content, fresh.status) == (b"xyz", "preview")

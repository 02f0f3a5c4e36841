"""Seats (issue 21): a class's capacity is enforced with a waiting list in nomination order; a freed seat
or a higher capacity promotes from it, audited, with an invitation when the class's were sent."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Enrolment, ListImport, MailMessage, Person, SeatQuota, TrainingClass
from bdgtrain.services.calendar import invitations
from bdgtrain.services.lists import import_writing, roster, roster_decisions
from bdgtrain.services.planning import planning
from bdgtrain.services.planning import seats as planning_seats
from tests import seats_world as world


@pytest.fixture
def w(app):
    return world.build(capacity=3)


def _enrolment(name: str) -> Enrolment:
    return db.session.scalar(select(Enrolment).join(Enrolment.person).where(Person.full_name == name))


def _seats_held(cls) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.class_id == cls.id, Enrolment.status.in_(("nominated", "confirmed"))))


def test_nominations_beyond_capacity_wait_in_row_order(w):
    rows = world.people(5)
    report = world.send_list(w.cls, w.snv, rows)
    assert (report["added"], report["waiting"]) == (5, 2)
    assert world.statuses(w.cls) == {rows[0]["name"]: "nominated", rows[1]["name"]: "nominated",
                                     rows[2]["name"]: "nominated", rows[3]["name"]: "waiting",
                                     rows[4]["name"]: "waiting"}
    assert world.waiting_names(w.cls) == [rows[3]["name"], rows[4]["name"]]


def test_the_preview_counts_the_waiting_before_anything_is_written(w):
    world.send_list(w.cls, w.snv, world.people(2))
    plan = world.plan_list(w.cls, w.hlhpn, world.people(4, start=2))
    assert plan.waiting == 3 and [p.waiting for p in plan.rows] == [False, True, True, True]
    assert plan.as_report(written=False)["waiting"] == 3
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 2


def test_a_person_already_on_the_roster_takes_no_new_seat(w):
    rows = world.people(3)
    world.send_list(w.cls, w.snv, rows)
    # Hội LHPN sends one of them again and one newcomer: only the newcomer waits.
    plan = world.plan_list(w.cls, w.hlhpn, [rows[0], *world.people(1, start=3)])
    assert [(p.outcome, p.waiting) for p in plan.rows] == [("merged", False), ("added", True)]


def test_a_class_without_capacity_has_no_waiting_list(app):
    w = world.build(capacity=None)
    report = world.send_list(w.cls, w.snv, world.people(30))
    assert report["waiting"] == 0 and _seats_held(w.cls) == 30


def test_a_declined_seat_goes_to_the_first_waiting_person(w):
    rows = world.people(5)
    world.send_list(w.cls, w.snv, rows)
    promoted = planning_seats.change_enrolment(None, _enrolment(rows[1]["name"]), "declined", "Bận công tác")
    db.session.commit()
    assert [e.person.full_name for e in promoted] == [rows[3]["name"]]
    assert world.statuses(w.cls)[rows[3]["name"]] == "nominated"
    assert world.waiting_names(w.cls) == [rows[4]["name"]]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "lists.enrolment.promoted"))
    assert (event.before, event.after, event.summary) == ({"status": "waiting"}, {"status": "nominated"},
                                                        rows[3]["name"])
    assert _seats_held(w.cls) == 3


def test_a_replacement_from_the_waiting_list_takes_the_replaced_seat(w):
    rows = world.people(5)
    world.send_list(w.cls, w.snv, rows)
    # The organiser picks the second in line, not the first.
    promoted = planning_seats.change_enrolment(None, _enrolment(rows[0]["name"]), "replaced", "Thay người",
                                               _enrolment(rows[4]["name"]))
    db.session.commit()
    assert promoted == []  # her seat went to the replacement: no seat was left to offer
    assert world.statuses(w.cls)[rows[4]["name"]] == "nominated"
    assert world.waiting_names(w.cls) == [rows[3]["name"]]
    assert _seats_held(w.cls) == 3


def test_a_waiting_person_cannot_jump_into_a_full_class(w):
    rows = world.people(4)
    world.send_list(w.cls, w.snv, rows)
    with pytest.raises(DomainError) as refused:
        roster_decisions.set_enrolment_status(None, _enrolment(rows[3]["name"]), "confirmed")
    assert refused.value.code == "lists.class_full" and "đã đủ 3 chỗ" in str(refused.value.message)
    db.session.rollback()
    # ...nor may a declined person come back while the class is full.
    planning_seats.change_enrolment(None, _enrolment(rows[0]["name"]), "declined", "Ốm")
    db.session.commit()
    with pytest.raises(DomainError):
        roster_decisions.set_enrolment_status(None, _enrolment(rows[0]["name"]), "nominated")


def test_a_waiting_person_may_withdraw(w):
    rows = world.people(4)
    world.send_list(w.cls, w.snv, rows)
    planning_seats.change_enrolment(None, _enrolment(rows[3]["name"]), "declined", "Không đi được")
    db.session.commit()
    assert world.waiting_names(w.cls) == [] and _seats_held(w.cls) == 3


def test_raising_the_capacity_promotes_from_the_list_in_order(w):
    rows = world.people(6)
    world.send_list(w.cls, w.snv, rows)
    planning.update_class(None, w.cls, world.class_input(w.cls, capacity=5))
    db.session.commit()
    assert world.waiting_names(w.cls) == [rows[5]["name"]]
    assert [world.statuses(w.cls)[r["name"]] for r in rows[3:5]] == ["nominated", "nominated"]
    # No capacity at all: everybody gets a seat.
    planning.update_class(None, w.cls, world.class_input(w.cls, capacity=None))
    db.session.commit()
    assert world.waiting_names(w.cls) == [] and _seats_held(w.cls) == 6


def test_lowering_the_capacity_below_the_seats_held_is_refused(w):
    world.send_list(w.cls, w.snv, world.people(3))
    with pytest.raises(DomainError) as refused:
        planning.update_class(None, w.cls, world.class_input(w.cls, capacity=2))
    assert refused.value.code == "class.capacity_below_enrolled" and refused.value.field == "capacity"
    assert "3 người" in str(refused.value.message)
    db.session.rollback()
    assert db.session.get(TrainingClass, w.cls.id).capacity == 3
    planning.update_class(None, w.cls, world.class_input(w.cls, capacity=3, title="Lớp 3 (đổi tên)"))
    db.session.commit()  # down to exactly the seats held is allowed


def test_the_promoted_person_is_invited_once_invitations_were_sent(w):
    rows = world.people(5, emails=True)
    world.send_list(w.cls, w.snv, rows)
    assert invitations.enqueue_invitations(None, w.cls).queued == 3
    db.session.commit()
    planning_seats.change_enrolment(None, _enrolment(rows[2]["name"]), "declined", "Bận")
    db.session.commit()
    promoted = _enrolment(rows[3]["name"])
    sent_to = db.session.scalars(select(MailMessage.recipient).where(
        MailMessage.kind == "invitation", MailMessage.enrolment_id == promoted.id)).all()
    assert sent_to == [rows[3]["email"]]
    # Nobody still waiting got one.
    assert db.session.scalar(select(func.count()).select_from(MailMessage).where(
        MailMessage.enrolment_id == _enrolment(rows[4]["name"]).id)) == 0


def test_no_invitation_before_the_organiser_sends_them(w):
    rows = world.people(4, emails=True)
    world.send_list(w.cls, w.snv, rows)
    planning_seats.change_enrolment(None, _enrolment(rows[0]["name"]), "declined", "Bận")
    db.session.commit()
    assert world.statuses(w.cls)[rows[3]["name"]] == "nominated"
    assert db.session.scalar(select(func.count()).select_from(MailMessage)) == 0


def test_seat_quotas_count_only_the_seats_held(w):
    db.session.add(SeatQuota(class_id=w.cls.id, organisation_id=w.snv.id, seats=2))
    db.session.commit()
    # The unit is no district: each person fills a seat of the agency that sent her.
    plan = world.plan_list(w.cls, w.snv, world.people(5, unit="Văn phòng Sở"))
    assert plan.waiting == 2
    assert [str(m) for m in plan.quota_warnings] == [
        "Sở Nội vụ: 3 người, vượt số suất được phân bổ (2 suất)."]  # 3 seats held, not 5 nominated
    db.session.rollback()
    world.send_list(w.cls, w.snv, world.people(5, unit="Văn phòng Sở"))
    lines = {line.organisation.code: (line.seats, line.filled, line.waiting) for line in roster.seat_lines(w.cls)}
    assert lines == {"SNV": (2, 3, 2)}


def test_a_later_list_finds_the_class_full(w):
    world.send_list(w.cls, w.snv, world.people(2))
    report = world.send_list(w.cls, w.hlhpn, world.people(3, start=2))
    assert report["waiting"] == 2 and _seats_held(w.cls) == 3


def test_waiting_people_hold_no_ticket(w):
    from bdgtrain.services.checkin import tickets

    rows = world.people(4)
    world.send_list(w.cls, w.snv, rows)
    assert tickets.is_revoked(_enrolment(rows[3]["name"])) and not tickets.is_revoked(_enrolment(rows[0]["name"]))


def _import_in_thread(app, class_id: int, source_id: int, rows: list[dict], ready: threading.Barrier | None,
                      results: list, errors: list) -> None:
    from bdgtrain.models import Organisation

    try:
        with app.app_context():
            cls, source = db.session.get(TrainingClass, class_id), db.session.get(Organisation, source_id)
            plan = world.plan_list(cls, source, rows)
            if ready is not None:
                assert plan.waiting == 0  # each saw every seat free: only the write can tell
                ready.wait(timeout=30)  # both planned (both saw the seats free) before either writes
            results.append(import_writing.apply_import(None, plan)["waiting"])
            db.session.commit()
    except Exception as error:  # noqa: BLE001 (reported to the test thread)
        errors.append(error)


def test_two_imports_at_once_never_exceed_the_capacity(app, backend):
    w = world.build(capacity=5)
    # PostgreSQL: both plan side by side, then race to write; the class row's lock makes the second wait
    # and count again. SQLite: every writing transaction holds the database's write lock from its start,
    # so the second import cannot even plan beside the first (no barrier there, or they would deadlock).
    ready = threading.Barrier(2) if backend == "postgresql" else None
    results, errors = [], []
    jobs = [(w.cls.id, source.id, world.people(4, start=start)) for source, start in ((w.snv, 0), (w.hlhpn, 10))]
    db.session.commit()  # reading the ids began a transaction: SQLite's write lock must not stay with the test
    threads = [threading.Thread(target=_import_in_thread, args=(app, *job, ready, results, errors)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == [0, 3]
    db.session.expire_all()
    assert _seats_held(w.cls) == 5
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.status == "waiting")) == 3
    assert db.session.scalar(select(func.count()).select_from(ListImport)) == 0


def test_a_woman_nominated_from_the_pool_to_a_full_class_waits(app):
    from datetime import date, datetime, timedelta, timezone

    from bdgtrain.models import PoolEntry
    from bdgtrain.rules.names import fold, sort_key
    from bdgtrain.services.pool import pool_nominations
    from tests import factories as make

    province = make.org("T", "Tỉnh", kind="province")
    unit = make.org("A", "Huyện A", kind="district", parent=province)
    plan = make.plan(province, code="KH-N")
    now = datetime.now(timezone.utc)
    cls = make.training_class(plan, code="SAP", capacity=1,
                              date_expression=(now + timedelta(days=20)).date().strftime("%d/%m/%Y"))
    women = []
    for name in ("Nguyễn Thị An", "Trần Thị Bình"):
        person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), sex="F")
        db.session.add(person)
        db.session.flush()
        db.session.add(PoolEntry(person_id=person.id, organisation_id=unit.id, cycle="2021-2026",
                                 cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                                 added_on=date(2021, 1, 1)))
        women.append(person)
    db.session.flush()
    first = pool_nominations.nominate_from_pool(None, cls, women[0], unit, now)
    second = pool_nominations.nominate_from_pool(None, cls, women[1], unit, now)
    assert (first.status, second.status) == ("nominated", "waiting")


def test_the_command_line_import_says_who_waits(w, runner, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(world.list_xlsx(world.people(5)))
    result = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 người vào danh sách chờ (lớp đã đủ chỗ)." in result.output and "Đã ghi." in result.output
    assert _seats_held(w.cls) == 3

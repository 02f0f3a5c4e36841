"""The pool as a register kept through the years: adding, leaving, joining again, carrying into the next
cycle, the history of a person's entries, and the bad inputs each refuses with nothing written."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Organisation, Person, PoolEntry
from bdgtrain.services.pool import pool_register as register
from tests import factories as make

TODAY = date(2026, 12, 5)


@pytest.fixture
def units(app):
    province = make.org("HT", "UBND tỉnh Hà Tĩnh", kind="province")
    can_loc = make.org("HT-CL", "Huyện Can Lộc", kind="district", parent=province)
    duc_tho = make.org("HT-DT", "Huyện Đức Thọ", kind="district", parent=province)
    make.commit()
    return province, can_loc, duc_tho


def _new(name, sex="F", year=1985):
    return register.NewPerson(full_name=name, sex=sex, birth_year=year)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type != "Organisation")
                                   .order_by(AuditEvent.id)))


def test_added_person_joins_on_the_cycle_first_day_and_is_audited(units):
    _province, can_loc, _ = units
    entry = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"))
    assert (entry.cycle, entry.added_on, entry.cycle_ends_on) == ("2021-2026", date(2021, 1, 1), date(2026, 12, 31))
    assert entry.person.organisation_id == can_loc.id
    assert _actions() == ["person.created", "pool.entry.added"]


def test_an_existing_person_is_added_from_the_registry_and_not_twice(units):
    _province, can_loc, duc_tho = units
    lan = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan")).person
    other = register.add_to_pool(None, duc_tho, "2021-2026", person=lan, added_on=date(2022, 3, 1))
    assert other.person_id == lan.id and other.added_on == date(2022, 3, 1)
    with pytest.raises(DomainError) as refused:
        register.add_to_pool(None, duc_tho, "2021-2026", person=lan)
    assert refused.value.code == "pool.already_in"
    assert register.find_people("tran thi") == [lan]


def test_a_known_person_typed_again_is_refused(units):
    _province, can_loc, _ = units
    register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan", year=1985))
    with pytest.raises(DomainError) as refused:
        register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("TRẦN THỊ LAN", year=1985))
    assert refused.value.code == "pool.person_exists" and refused.value.field == "full_name"


@pytest.mark.parametrize("cycle, words", [("2026-2021", "năm đầu phải trước năm cuối"), ("2021", "2021-2026"),
                                          ("", "2021-2026")])
def test_a_bad_cycle_is_refused_naming_the_field(units, cycle, words):
    _province, can_loc, _ = units
    with pytest.raises(DomainError) as refused:
        register.add_to_pool(None, can_loc, cycle, new_person=_new("Trần Thị Lan"))
    assert refused.value.field == "cycle" and words in refused.value.message
    assert _count(Person) == 0 and _count(PoolEntry) == 0


def test_joining_after_the_cycle_is_refused(units):
    _province, can_loc, _ = units
    with pytest.raises(DomainError) as refused:
        register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Trần Thị Lan"), added_on=date(2022, 1, 1))
    assert refused.value.code == "pool.added_after_cycle" and refused.value.field == "added_on"
    assert _count(PoolEntry) == 0


def test_the_list_is_in_vietnamese_name_order_searchable_and_paged(units):
    _province, can_loc, duc_tho = units
    for name in ("Trần Thị Lan", "Nguyễn Thị Ánh", "Lê Thị Yến", "Phan Văn Bình"):
        register.add_to_pool(None, can_loc, "2021-2026", new_person=_new(name))
    register.add_to_pool(None, duc_tho, "2021-2026", new_person=_new("Hoàng Thị An"))
    listing = register.list_pool(can_loc, "2021-2026", TODAY)
    assert [v.full_name for v in listing.rows] == ["Nguyễn Thị Ánh", "Phan Văn Bình", "Trần Thị Lan",
                                                                 "Lê Thị Yến"]
    assert register.list_pool(can_loc, "2021-2026", TODAY, search="thi lan").total == 1
    second = register.list_pool(can_loc, "2021-2026", TODAY, page=2, per_page=3)
    assert (second.total, second.pages, [v.full_name for v in second.rows]) == (4, 2, ["Lê Thị Yến"])
    assert register.list_pool(can_loc, "2016-2021", TODAY).total == 0
    assert register.unit_cycles(can_loc) == ["2021-2026"]


@pytest.mark.parametrize("reason", ["appointed", "moved", "removed", "retired", "other"])
def test_leaving_keeps_the_entry_with_day_and_reason(units, reason):
    _province, can_loc, _ = units
    entry = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"))
    register.leave_pool(None, entry, date(2023, 5, 1), reason)
    db.session.commit()
    assert (entry.left_on, entry.leave_reason) == (date(2023, 5, 1), reason)
    assert register.list_pool(can_loc, "2021-2026", TODAY).rows[0].state == "left"
    assert _actions()[-1] == "pool.entry.left"


@pytest.mark.parametrize("left_on, reason, code, field", [
    (date(2020, 12, 31), "moved", "pool.left_before_added", "left_on"),
    (date(2023, 1, 1), "fired", "pool.bad_reason", "reason"),
    (date(2028, 1, 1), "moved", "pool.left_after_cycle", "left_on"),
    (None, "moved", "pool.left_on_required", "left_on"),
])
def test_a_bad_leaving_is_refused_and_nothing_changes(units, left_on, reason, code, field):
    _province, can_loc, _ = units
    entry = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"))
    with pytest.raises(DomainError) as refused:
        register.leave_pool(None, entry, left_on, reason)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert entry.left_on is None and _actions()[-1] == "pool.entry.added"


def test_leaving_twice_is_refused(units):
    _province, can_loc, _ = units
    entry = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"))
    register.leave_pool(None, entry, date(2023, 5, 1), "moved")
    with pytest.raises(DomainError) as refused:
        register.leave_pool(None, entry, date(2023, 6, 1), "other")
    assert refused.value.code == "pool.already_left" and entry.left_on == date(2023, 5, 1)


def test_rejoining_is_a_new_entry_and_the_history_keeps_both(units):
    _province, can_loc, _ = units
    first = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"))
    with pytest.raises(DomainError) as refused:
        register.rejoin_pool(None, first, date(2023, 1, 1))
    assert refused.value.code == "pool.not_left"
    register.leave_pool(None, first, date(2023, 5, 1), "moved")
    with pytest.raises(DomainError) as refused:
        register.rejoin_pool(None, first, date(2023, 4, 30))
    assert (refused.value.code, refused.value.field) == ("pool.rejoined_before_left", "added_on")
    with pytest.raises(DomainError) as refused:
        register.rejoin_pool(None, first, date(2027, 1, 1))
    assert refused.value.code == "pool.added_after_cycle"
    again = register.rejoin_pool(None, first, date(2024, 2, 1))
    assert again.id != first.id and (first.left_on, again.added_on, again.left_on) == (date(2023, 5, 1),
                                                                                       date(2024, 2, 1), None)
    with pytest.raises(DomainError):
        register.rejoin_pool(None, first, date(2024, 3, 1))  # already back in
    history = register.person_history(first.person, TODAY)
    assert [(v.entry.added_on, v.state) for v in history] == [(date(2021, 1, 1), "left"), (date(2024, 2, 1), "in_pool")]
    assert "pool.entry.rejoined" in _actions()


def test_an_entry_ends_with_its_cycle_unless_carried(units):
    _province, can_loc, _ = units
    old = register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Trần Thị Lan"), added_on=date(2018, 6, 1))
    gone = register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Lê Thị Yến"), added_on=date(2018, 6, 1))
    register.leave_pool(None, gone, date(2020, 1, 1), "retired")
    assert register.list_pool(can_loc, "2016-2021", TODAY).rows[0].state == "ended"  # Lan, by her given name
    carried = register.carry_entry(None, old, "2021-2026")
    assert (carried.cycle, carried.added_on, carried.carried_from_id) == ("2021-2026", date(2021, 1, 1), old.id)
    states = {v.full_name: (v.state, v.carried_to)
              for v in register.list_pool(can_loc, "2016-2021", TODAY).rows}
    assert states == {"Trần Thị Lan": ("carried", "2021-2026"), "Lê Thị Yến": ("left", None)}
    with pytest.raises(DomainError) as refused:
        register.carry_entry(None, old, "2021-2026")
    assert refused.value.code == "pool.already_in"
    with pytest.raises(DomainError) as refused:
        register.carry_entry(None, gone, "2021-2026")
    assert refused.value.code == "pool.already_left"
    assert _actions().count("pool.entry.carried") == 1


def test_carrying_keeps_a_later_day_of_joining(units):
    _province, can_loc, _ = units
    late = register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Trần Thị Lan"), added_on=date(2021, 6, 1))
    assert register.carry_entry(None, late, "2021-2026").added_on == date(2021, 6, 1)


@pytest.mark.parametrize("to_cycle", ["2016-2021", "2011-2016", "2015-2020", "2019-2024"])
def test_carrying_to_a_cycle_that_is_not_after_is_refused(units, to_cycle):
    _province, can_loc, _ = units
    entry = register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Trần Thị Lan"))
    with pytest.raises(DomainError) as refused:
        register.carry_entry(None, entry, to_cycle)
    assert (refused.value.code, refused.value.field) == ("pool.cycle_not_after", "to_cycle")
    assert _count(PoolEntry) == 1


def test_carrying_a_unit_in_bulk_takes_its_open_entries_once(units):
    _province, can_loc, duc_tho = units
    for name in ("Trần Thị Lan", "Lê Thị Yến", "Phan Văn Bình"):
        register.add_to_pool(None, can_loc, "2016-2021", new_person=_new(name))
    register.add_to_pool(None, duc_tho, "2016-2021", new_person=_new("Hoàng Thị An"))
    yen = db.session.scalar(select(PoolEntry).join(Person).where(Person.full_name == "Lê Thị Yến"))
    register.leave_pool(None, yen, date(2019, 1, 1), "appointed")
    result = register.carry_unit(None, can_loc, "2016-2021", "2021-2026")
    assert result.as_report() == {"carried": 2, "already": 0, "left": 0}  # she who left is not even offered
    assert register.carry_unit(None, can_loc, "2016-2021", "2021-2026").as_report()["carried"] == 0
    assert register.list_pool(duc_tho, "2016-2021", TODAY).open_not_carried == 1


def test_an_entry_of_another_unit_is_not_found_through_this_one(units):
    _province, can_loc, duc_tho = units
    entry = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"))
    with pytest.raises(DomainError) as refused:
        register.get_entry(entry.id, duc_tho)
    assert refused.value.code == "not_found"
    with pytest.raises(DomainError):
        register.get_unit_person(entry.person_id, duc_tho)
    assert register.get_unit_person(entry.person_id, can_loc) == entry.person


# --- the command line -------------------------------------------------------------------------------

def test_cli_leave_and_carry(units, runner):
    _province, can_loc, duc_tho = units
    lan = register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Trần Thị Lan"))
    register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Lê Thị Yến"))
    register.add_to_pool(None, duc_tho, "2016-2021", new_person=_new("Hoàng Thị An"))
    db.session.commit()
    listed = json.loads(runner.invoke(args=["pool", "list", "--org", "HT-CL", "--cycle", "2016-2021",
                                            "--json"]).output)
    assert [e["name"] for e in listed["entries"]] == ["Trần Thị Lan", "Lê Thị Yến"]
    result = runner.invoke(args=["pool", "leave", "--entry", str(lan.id), "--on", "2019-03-01", "--reason",
                                 "retired"])
    assert result.exit_code == 0 and "rời diện quy hoạch" in result.output
    db.session.expire_all()
    assert db.session.get(PoolEntry, lan.id).leave_reason == "retired"
    bad = runner.invoke(args=["pool", "leave", "--entry", str(lan.id), "--on", "2019-04-01", "--reason", "moved"])
    assert bad.exit_code == 1 and "đã rời" in bad.output
    dry = json.loads(runner.invoke(args=["pool", "carry", "--from-cycle", "2016-2021", "--to-cycle", "2021-2026",
                                         "--dry-run", "--json"]).output)
    assert dry == {"carried": 2, "already": 0, "left": 0, "written": False}
    assert _count(PoolEntry) == 3
    done = runner.invoke(args=["pool", "carry", "--from-cycle", "2016-2021", "--to-cycle", "2021-2026", "--org",
                               "HT-CL"])
    assert done.exit_code == 0 and "1 người chuyển sang" in done.output
    carried = db.session.scalars(select(PoolEntry).where(PoolEntry.cycle == "2021-2026")).all()
    assert [(e.organisation_id, e.added_on) for e in carried] == [(can_loc.id, date(2021, 1, 1))]


@pytest.mark.parametrize("args, words", [
    (["--from-cycle", "2021-2016", "--to-cycle", "2021-2026"], "năm đầu phải trước năm cuối"),
    (["--from-cycle", "2016-2021", "--to-cycle", "2011-2016"], "phải là nhiệm kỳ sau"),
    (["--from-cycle", "2016-2021", "--to-cycle", "2021-2026", "--org", "KHONG-CO"], "Không có đơn vị"),
])
def test_cli_carry_refuses_bad_input(units, runner, args, words):
    _province, can_loc, _ = units
    register.add_to_pool(None, can_loc, "2016-2021", new_person=_new("Trần Thị Lan"))
    db.session.commit()
    result = runner.invoke(args=["pool", "carry", *args])
    assert result.exit_code == 1 and words in result.output
    assert _count(PoolEntry) == 1


def test_cli_leave_refuses_a_day_before_joining(units, runner):
    _province, can_loc, _ = units
    entry = register.add_to_pool(None, can_loc, "2021-2026", new_person=_new("Trần Thị Lan"),
                                 added_on=date(2022, 1, 1))
    db.session.commit()
    result = runner.invoke(args=["pool", "leave", "--entry", str(entry.id), "--on", "2021-06-01", "--reason", "moved"])
    assert result.exit_code == 1 and "trước ngày vào" in result.output
    db.session.expire_all()
    assert db.session.get(PoolEntry, entry.id).left_on is None
    unknown = runner.invoke(args=["pool", "leave", "--entry", "999", "--on", "2022-06-01", "--reason", "moved"])
    assert unknown.exit_code == 1 and "Không có mục" in unknown.output


def test_organisation_fixture_is_a_tree(units):
    province, can_loc, _ = units
    assert db.session.get(Organisation, can_loc.id).parent_id == province.id

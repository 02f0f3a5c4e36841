"""Organisations through time: dated moves and renames, ends with several successors, each refused when it
would rewrite history or make no sense, and reports that keep each day's tree and names (both databases)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, OrganisationPeriod, OrganisationSuccessor, Person, PoolEntry
from bdgtrain.services.planning import orgs
from bdgtrain.services.reporting.reporting import compute_trained_share, subtree_rows
from tests import factories as make


@pytest.fixture
def tree(app):
    """UBND > Huyện A > Xã 1, Xã 2; UBND > Huyện B; the two districts from 2000."""
    province = make.org("UBND", "UBND tỉnh", kind="province")
    district_a = make.org("HA", "Huyện A", kind="district", parent=province, valid_from=date(2000, 1, 1))
    district_b = make.org("HB", "Huyện B", kind="district", parent=province, valid_from=date(2000, 1, 1))
    commune = make.org("X1", "Xã 1", kind="commune", parent=district_a, valid_from=date(2000, 1, 1))
    other = make.org("X2", "Xã 2", kind="commune", parent=district_a, valid_from=date(2000, 1, 1))
    make.commit()
    return province, district_a, district_b, commune, other


def _written():
    return (db.session.scalar(select(func.count()).select_from(OrganisationPeriod)),
            db.session.scalar(select(func.count()).select_from(OrganisationSuccessor)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def _refused(call, *args):
    before = _written()
    with pytest.raises(DomainError) as refused:
        call(None, *args)
    db.session.rollback()
    assert _written() == before  # nothing written
    return refused.value


def test_a_move_starts_a_new_period_and_keeps_the_old_one(tree):
    _province, district_a, district_b, commune, _ = tree
    orgs.move_org(None, commune, date(2020, 1, 1), district_b.id)
    db.session.commit()
    periods = [(p.valid_from, p.valid_to, p.parent_id, p.name) for p in orgs.sorted_periods(commune)]
    assert periods == [(date(2000, 1, 1), date(2019, 12, 31), district_a.id, "Xã 1"),
                       (date(2020, 1, 1), None, district_b.id, "Xã 1")]
    assert commune.parent_id == district_b.id  # the unit's own row says its latest period
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "org.moved"))
    assert event.before == {"parent_id": district_a.id}
    assert event.after == {"parent_id": district_b.id, "on": "2020-01-01"}


def test_a_rename_is_dated_and_a_move_on_the_same_day_shares_its_period(tree):
    _province, _a, district_b, commune, _ = tree
    orgs.rename_org(None, commune, date(2021, 3, 1), "Phường 1")
    orgs.move_org(None, commune, date(2021, 3, 1), district_b.id)
    db.session.commit()
    assert [(p.valid_from, p.name, p.parent_id) for p in orgs.sorted_periods(commune)][1:] == [
        (date(2021, 3, 1), "Phường 1", district_b.id)]
    assert orgs.name_on(commune, date(2021, 2, 28)) == "Xã 1" and orgs.name_on(commune, date(2021, 3, 1)) == "Phường 1"
    assert commune.name == "Phường 1"
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith("org.r")))] \
        == ["org.renamed"]


def test_ending_with_several_successors_records_each_and_is_audited(tree):
    province, district_a, _b, commune, other = tree
    orgs.move_org(None, commune, date(2025, 7, 1), province.id)
    orgs.move_org(None, other, date(2025, 7, 1), province.id)
    orgs.end_org(None, district_a, date(2025, 6, 30), [commune.id, other.id], note="Nghị quyết sắp xếp 2025")
    db.session.commit()
    assert district_a.valid_to == date(2025, 6, 30) and district_a.successor_id == commune.id
    assert [link.successor_id for link in district_a.successor_links] == [commune.id, other.id]
    history = orgs.org_history(commune)
    assert [p.code for p in history.predecessors] == ["HA"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "org.ended"))
    assert event.after == {"valid_to": "2025-06-30", "successor_ids": [commune.id, other.id]}
    # ending it again with one successor replaces the list
    orgs.end_org(None, district_a, date(2025, 6, 30), [other.id])
    assert [link.successor_id for link in district_a.successor_links] == [other.id]


def test_a_move_that_makes_a_unit_its_own_ancestor_on_that_date_is_refused(tree):
    _province, district_a, _b, commune, _ = tree
    error = _refused(orgs.move_org, district_a, date(2020, 1, 1), commune.id)
    assert error.code == "org.cycle" and error.field == "parent_id" and "01/01/2020" in error.message
    assert _refused(orgs.move_org, district_a, date(2020, 1, 1), district_a.id).field == "parent_id"


def test_a_move_refused_because_of_a_later_recorded_move(tree):
    """Huyện B is recorded under Xã 2 (of Huyện A) from 2022: Huyện A under Huyện B from 2021 is a cycle
    from 2022 on, so it is refused, naming that day."""
    _province, district_a, district_b, commune, other = tree
    orgs.move_org(None, district_b, date(2022, 1, 1), other.id)  # B under Xã 2 (of A) from 2022
    db.session.commit()
    # A under B from 2021 is fine in 2021, but from 2022 B is under Xã 2, which is under A: a cycle.
    error = _refused(orgs.move_org, district_a, date(2021, 1, 1), district_b.id)
    assert error.code == "org.cycle" and "01/01/2022" in error.message


def test_a_successor_that_ended_before_the_unit_is_refused(tree):
    province, district_a, district_b, commune, _ = tree
    orgs.end_org(None, district_b, date(2020, 12, 31))
    db.session.commit()
    error = _refused(orgs.end_org, district_a, date(2025, 6, 30), [commune.id, district_b.id])
    assert error.code == "org.successor_ended" and error.field == "successor_ids" and "Huyện B" in error.message
    assert _refused(orgs.end_org, district_a, date(2025, 6, 30), [district_a.id]).code == "org.own_successor"
    assert _refused(orgs.end_org, district_a, date(2025, 6, 30), [999999]).code == "org.unknown"
    # successors that would lead back to the unit
    orgs.end_org(None, commune, date(2025, 6, 30), [district_a.id])
    db.session.commit()
    assert _refused(orgs.end_org, district_a, date(2025, 6, 30), [commune.id]).code == "org.successor_cycle"
    assert province.valid_to is None


def test_an_end_before_the_start_and_dates_outside_the_unit_are_refused(tree):
    _province, district_a, district_b, commune, _ = tree
    error = _refused(orgs.end_org, district_a, date(1999, 12, 31), [])
    assert error.field == "valid_to" and "01/01/2000" in error.message
    assert _refused(orgs.end_org, district_a, None, []).field == "valid_to"
    assert _refused(orgs.move_org, commune, date(1999, 1, 1), district_b.id).field == "moved_on"
    assert _refused(orgs.rename_org, commune, date(1999, 1, 1), "Xã Mới").field == "renamed_on"
    assert _refused(orgs.move_org, commune, None, district_b.id).field == "moved_on"
    orgs.end_org(None, commune, date(2025, 6, 30))
    db.session.commit()
    error = _refused(orgs.rename_org, commune, date(2025, 7, 1), "Xã Mới")
    assert error.code == "org.day_outside" and error.field == "renamed_on"


def test_a_date_before_the_current_period_is_refused(tree):
    _province, district_a, district_b, commune, _ = tree
    orgs.move_org(None, commune, date(2020, 1, 1), district_b.id)
    db.session.commit()
    error = _refused(orgs.rename_org, commune, date(2019, 6, 1), "Xã Mới")
    assert error.code == "org.before_current_period" and error.field == "renamed_on" and "01/01/2020" in error.message
    assert _refused(orgs.move_org, commune, date(2019, 6, 1), district_a.id).field == "moved_on"
    assert _refused(orgs.end_org, commune, date(2019, 6, 1), []).field == "valid_to"


def test_other_bad_moves_and_renames_are_refused(tree):
    _province, district_a, district_b, commune, _ = tree
    assert _refused(orgs.move_org, commune, date(2020, 1, 1), district_a.id).code == "org.same_parent"
    assert _refused(orgs.move_org, commune, date(2020, 1, 1), 999999).field == "parent_id"
    orgs.end_org(None, district_b, date(2019, 12, 31))
    db.session.commit()
    assert _refused(orgs.move_org, commune, date(2020, 1, 1), district_b.id).code == "org.parent_inactive"
    assert _refused(orgs.rename_org, commune, date(2020, 1, 1), "  ").field == "name"
    assert _refused(orgs.rename_org, commune, date(2020, 1, 1), "Xã 1").code == "org.same_name"


def test_the_edit_form_corrects_the_latest_period_without_a_date(tree):
    _province, district_a, district_b, commune, _ = tree
    orgs.move_org(None, commune, date(2020, 1, 1), district_b.id)
    data = orgs.OrgInput(code="X1", name="Xã Một", kind="commune", parent_id=district_b.id,
                         valid_from=date(2000, 1, 1))
    orgs.update_org(None, commune, data)
    db.session.commit()
    assert [p.name for p in orgs.sorted_periods(commune)] == ["Xã 1", "Xã Một"]
    with pytest.raises(DomainError) as refused:
        orgs.update_org(None, commune, orgs.OrgInput(code="X1", name="Xã Một", kind="commune",
                                                     parent_id=district_b.id, valid_from=date(2020, 6, 1)))
    assert refused.value.field == "valid_from"


def test_a_unit_that_was_once_a_parent_cannot_be_deleted(tree):
    province, _a, district_b, commune, _ = tree
    lone = make.org("HC", "Huyện C", kind="district", parent=province)
    orgs.move_org(None, commune, date(2020, 1, 1), lone.id)
    orgs.move_org(None, commune, date(2021, 1, 1), district_b.id)
    db.session.commit()
    assert orgs.org_in_use(lone)


def test_organisation_on_a_day_follows_the_successor_chain_with_that_days_name(tree):
    province, district_a, district_b, _commune, _ = tree
    orgs.rename_org(None, district_b, date(2024, 1, 1), "Huyện B mới")
    orgs.end_org(None, district_a, date(2023, 6, 30), [district_b.id])
    db.session.commit()
    assert orgs.organisation_on(district_a, date(2023, 6, 30)) == (district_a, "Huyện A")
    assert orgs.organisation_on(district_a, date(2023, 7, 1)) == (district_b, "Huyện B")
    assert orgs.organisation_on(district_a, date(2024, 1, 1)) == (district_b, "Huyện B mới")


# --- reports through time ---------------------------------------------------------------------------------

def _member(unit, name="Nguyễn Thị An"):
    person = Person(full_name=name, name_folded=name.lower(), name_sort_key=name, sex="F")
    db.session.add(person)
    db.session.flush()
    db.session.add(PoolEntry(person_id=person.id, organisation_id=unit.id, cycle="2016-2026",
                             cycle_starts_on=date(2016, 1, 1), cycle_ends_on=date(2026, 12, 31),
                             added_on=date(2018, 1, 1)))
    return person


def _figures(day, **options):
    report, info = compute_trained_share(day, **options)
    return {info[u].code: (f.women, info[u].name) for u, f in report.units.items()}


def test_a_commune_moved_in_2020_counts_in_its_old_district_in_2019_and_the_new_in_2021(tree):
    _province, _a, district_b, commune, _ = tree
    _member(commune)
    db.session.commit()
    before_move = _figures(date(2019, 12, 31))
    orgs.move_org(None, commune, date(2020, 1, 1), district_b.id)
    orgs.rename_org(None, commune, date(2020, 1, 1), "Phường 1")
    db.session.commit()
    in_2019 = _figures(date(2019, 12, 31))
    assert in_2019 == before_move  # a later move never changes an earlier figure
    assert in_2019["HA"] == (1, "Huyện A") and in_2019["HB"] == (0, "Huyện B") and in_2019["X1"] == (1, "Xã 1")
    in_2021 = _figures(date(2021, 6, 30))
    assert in_2021["HA"] == (0, "Huyện A") and in_2021["HB"] == (1, "Huyện B") and in_2021["X1"] == (1, "Phường 1")
    report, info = compute_trained_share(date(2019, 12, 31))
    rows = subtree_rows(report, info, _a.id)
    assert [(r["code"], r["name"], r["depth"]) for r in rows] == [("HA", "Huyện A", 0), ("X1", "Xã 1", 1),
                                                                  ("X2", "Xã 2", 1)]


def test_a_district_split_among_communes_keeps_its_figures_and_folds_into_their_common_ancestor(tree):
    province, district_a, _b, commune, other = tree
    _member(district_a)
    _member(commune, "Trần Thị Bình")
    db.session.commit()
    for unit in (commune, other):
        orgs.move_org(None, unit, date(2025, 7, 1), province.id)
    orgs.end_org(None, district_a, date(2025, 6, 30), [commune.id, other.id])
    db.session.commit()
    in_2019 = _figures(date(2019, 12, 31))
    assert in_2019["HA"][0] == 2 and in_2019["X1"][0] == 1
    today = _figures(date(2026, 6, 30))
    assert today["HA"][0] == 1  # still holds a member: reported as itself
    folded, _info = compute_trained_share(date(2026, 6, 30), fold_successors=True)
    assert folded.folded[district_a.id] == province.id and district_a.id not in folded.units
    assert folded.units[province.id].women == 2


# --- the command line -------------------------------------------------------------------------------------

def test_orgs_commands_move_rename_and_end_and_refuse_with_the_message(tree, runner):
    _province, district_a, district_b, commune, other = tree
    result = runner.invoke(args=["orgs", "move", "x1", "--on", "2020-01-01", "--parent", "HB"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["orgs", "rename", "X1", "--on", "2021-01-01", "--name", "Phường 1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["orgs", "end", "HA", "--last-day", "2025-06-30", "--successor", "X1",
                                 "--successor", "X2"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert commune.parent_id == district_b.id and commune.name == "Phường 1"
    assert [link.successor_id for link in district_a.successor_links] == [commune.id, other.id]
    result = runner.invoke(args=["orgs", "move", "HB", "--on", "2021-01-01", "--parent", "X1"])
    assert result.exit_code == 1 and "cấp trên của chính nó" in result.output
    result = runner.invoke(args=["orgs", "rename", "X1", "--on", "2019-01-01", "--name", "Xã Cũ"])
    assert result.exit_code == 1 and "01/01/2021" in result.output

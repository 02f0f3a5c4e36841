"""The trained-share measure, edge case by edge case, as docs/MEASURES.md settles them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bdgtrain.rules.trained_share import (
    CycleError,
    Figure,
    Membership,
    Training,
    Unit,
    parse_cycle,
    snapshot,
    today_successor,
    trained_share,
)

PROVINCE, DISTRICT_A, DISTRICT_B, COMMUNE = 1, 2, 3, 4
LAST_DISTRICT_DAY = date(2025, 6, 30)
TREE = [Unit(PROVINCE), Unit(DISTRICT_A, PROVINCE, valid_to=LAST_DISTRICT_DAY, successor_id=PROVINCE),
        Unit(DISTRICT_B, PROVINCE, valid_to=LAST_DISTRICT_DAY, successor_id=PROVINCE),
        Unit(COMMUNE, DISTRICT_A)]
CYCLE = (date(2020, 1, 1), date(2025, 12, 31))
AS_OF = date(2023, 6, 30)


def member(person, unit=DISTRICT_A, sex="F", added=date(2020, 3, 1), left=None, cycle=CYCLE):
    return Membership(person, unit, sex, added, left, *cycle)


def report(memberships, trainings=(), as_of=AS_OF, **options):
    return trained_share(TREE, memberships, [Training(p, d) for p, d in trainings], as_of, **options)


@pytest.mark.parametrize("text, expected", [
    ("2021-2026", ("2021-2026", date(2021, 1, 1), date(2026, 12, 31))),
    (" 2020 – 2025 ", ("2020-2025", date(2020, 1, 1), date(2025, 12, 31))),
    ("2020/2025", ("2020-2025", date(2020, 1, 1), date(2025, 12, 31))),
])
def test_cycle_is_read_as_whole_years(text, expected):
    assert parse_cycle(text) == expected


@pytest.mark.parametrize("text", ["", "2025", "2026-2021", "nhiệm kỳ mới", "20-25"])
def test_cycle_that_is_not_two_years_in_order_is_refused(text):
    with pytest.raises(CycleError):
        parse_cycle(text)


def test_trained_woman_counts_in_her_unit_its_parents_and_the_province():
    result = report([member(1, COMMUNE), member(2, COMMUNE)], [(1, date(2021, 7, 16))])
    for unit in (COMMUNE, DISTRICT_A, PROVINCE):
        assert result.units[unit] == Figure(trained=1, women=2, pool=2)
    assert result.units[COMMUNE].trained_share == 0.5
    assert result.total == Figure(1, 2, 2)


def test_person_in_the_pool_of_two_units_counts_in_each_and_once_above_them():
    result = report([member(1, DISTRICT_A), member(1, DISTRICT_B)], [(1, date(2021, 1, 1))])
    assert result.units[DISTRICT_A] == result.units[DISTRICT_B] == Figure(1, 1, 1)
    assert result.units[PROVINCE] == Figure(1, 1, 1)
    assert result.total == Figure(1, 1, 1)


def test_training_before_joining_the_pool_counts_when_inside_the_window():
    result = report([member(1, added=date(2022, 1, 1))], [(1, date(2020, 7, 16))])
    assert result.units[DISTRICT_A] == Figure(1, 1, 1)


def test_training_before_the_window_does_not_count():
    result = report([member(1)], [(1, date(2019, 7, 16))])
    assert result.units[DISTRICT_A] == Figure(0, 1, 1)


def test_explicit_window_replaces_the_cycle():
    result = report([member(1)], [(1, date(2019, 7, 16))], window=(date(2019, 1, 1), date(2025, 12, 31)))
    assert result.units[DISTRICT_A] == Figure(1, 1, 1)


def test_training_after_the_as_of_date_does_not_count_yet():
    result = report([member(1)], [(1, AS_OF + timedelta(days=1))])
    assert result.units[DISTRICT_A] == Figure(0, 1, 1)
    assert report([member(1)], [(1, AS_OF)]).units[DISTRICT_A] == Figure(1, 1, 1)


def test_left_before_the_as_of_date_is_not_in_the_denominator():
    result = report([member(1, left=date(2023, 1, 1)), member(2)], [(1, date(2021, 1, 1))])
    assert result.units[DISTRICT_A] == Figure(0, 1, 1)


def test_leaving_on_the_as_of_date_means_out_and_joining_on_it_means_in():
    assert report([member(1, left=AS_OF)]).units[DISTRICT_A] == Figure(0, 0, 0)
    assert report([member(1, added=AS_OF)]).units[DISTRICT_A] == Figure(0, 1, 1)


def test_rejoining_is_a_new_membership_counted_once():
    result = report([member(1, added=date(2020, 1, 1), left=date(2021, 1, 1)), member(1, added=date(2022, 1, 1))])
    assert result.units[DISTRICT_A] == Figure(0, 1, 1)


def test_men_count_in_the_pool_but_not_in_the_trained_share():
    result = report([member(1), member(2, sex="M"), member(3, sex=None)],
                    [(1, date(2021, 1, 1)), (2, date(2021, 1, 1))])
    figure = result.units[DISTRICT_A]
    assert figure == Figure(trained=1, women=1, pool=3)
    assert figure.trained_share == 1.0
    assert figure.women_share == pytest.approx(1 / 3)


def test_unit_with_an_empty_pool_has_no_figure_not_zero():
    result = report([member(1, DISTRICT_A)])
    assert result.units[DISTRICT_B] == Figure(0, 0, 0)
    assert result.units[DISTRICT_B].trained_share is None
    assert result.units[DISTRICT_B].women_share is None


def test_pool_of_men_only_has_a_women_share_of_zero_and_no_trained_share():
    figure = report([member(1, sex="M")]).units[DISTRICT_A]
    assert figure.women_share == 0.0 and figure.trained_share is None


def test_as_of_date_before_any_data_gives_empty_figures_for_the_tree_of_that_day():
    result = report([member(1)], [(1, date(2021, 1, 1))], as_of=date(2000, 1, 1))
    assert result.total == Figure()
    assert all(f == Figure() for f in result.units.values())
    assert set(result.units) == {PROVINCE, DISTRICT_A, DISTRICT_B, COMMUNE}


def test_nothing_at_all_is_no_crash():
    result = trained_share([], [], [], AS_OF)
    assert result.units == {} and result.total.trained_share is None


def test_abolished_districts_keep_their_own_figures_for_earlier_years():
    result = report([member(1, DISTRICT_A), member(2, DISTRICT_B)], [(1, date(2021, 1, 1))])
    assert result.units[DISTRICT_A] == Figure(1, 1, 1)
    assert result.units[DISTRICT_B] == Figure(0, 1, 1)
    assert result.units[PROVINCE] == Figure(1, 2, 2)


def test_after_abolition_districts_are_gone_from_the_tree_unless_they_still_hold_members():
    later = date(2025, 9, 1)
    result = report([member(1, DISTRICT_A)], as_of=later)
    assert DISTRICT_A in result.units and DISTRICT_B not in result.units
    assert result.units[PROVINCE] == Figure(0, 1, 1)


def test_switch_folds_ended_units_into_todays_successor():
    result = report([member(1, COMMUNE), member(2, DISTRICT_B)], [(1, date(2021, 1, 1))], fold_successors=True)
    assert DISTRICT_A not in result.units and DISTRICT_B not in result.units
    assert result.units[COMMUNE] == Figure(1, 1, 1)  # the commune has not ended: it stays, under the province
    assert result.units[PROVINCE] == Figure(1, 2, 2)
    assert result.folded == {DISTRICT_A: PROVINCE, DISTRICT_B: PROVINCE}


def test_successor_chains_are_followed_and_cycles_do_not_hang():
    units = [Unit(1), Unit(2, 1, valid_to=date(2020, 1, 1), successor_id=3),
             Unit(3, 1, valid_to=date(2021, 1, 1), successor_id=2)]
    tree = snapshot(units, date(2022, 1, 1), fold_successors=True)
    assert tree.home[1] == 1 and tree.home[2] in (2, 3)
    units = [Unit(1), Unit(2, 1, valid_to=date(2020, 1, 1), successor_id=3), Unit(3, 1)]
    assert snapshot(units, date(2019, 1, 1), fold_successors=True).home[2] == 3


def test_tree_order_puts_parents_first_with_depth():
    result = report([])
    assert list(result.units) == [PROVINCE, DISTRICT_A, COMMUNE, DISTRICT_B]
    assert result.depth == {PROVINCE: 0, DISTRICT_A: 1, COMMUNE: 2, DISTRICT_B: 1}


# --- properties ------------------------------------------------------------------------------------

days = st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31))
memberships = st.builds(lambda p, u, s, a, gap: member(p, u, s, a, a + timedelta(days=gap) if gap else None),
                        st.integers(1, 12), st.sampled_from([DISTRICT_A, DISTRICT_B, COMMUNE]),
                        st.sampled_from(["F", "F", "M", None]), days, st.one_of(st.none(), st.integers(0, 2000)))


def _consistent_sex(ms):
    sex = {}
    return [Membership(m.person_id, m.unit_id, sex.setdefault(m.person_id, m.sex), m.added_on, m.left_on,
                       m.cycle_start, m.cycle_end) for m in ms]


@settings(max_examples=200, deadline=None)
@given(st.lists(memberships, max_size=25), st.lists(st.tuples(st.integers(1, 12), days), max_size=15), days,
       st.booleans())
def test_a_units_figure_is_the_union_of_its_subtree_each_person_once(ms, trainings, as_of, fold):
    ms = _consistent_sex(ms)
    result = report(ms, trainings, as_of=as_of, fold_successors=fold)
    counting = [m for m in ms if m.counts_on(as_of)]
    for unit_id, figure in result.units.items():
        below = {u for u, chain in snapshot(TREE, as_of, fold_successors=fold,
                                             with_members={m.unit_id for m in counting}).ancestors.items()
                 if unit_id in chain}
        inside = [m for m in counting if (PROVINCE if fold and m.unit_id in (DISTRICT_A, DISTRICT_B) else m.unit_id)
                  in below]
        assert figure.pool == len({m.person_id for m in inside})
        assert figure.women == len({m.person_id for m in inside if m.sex == "F"})
        assert figure.trained <= figure.women
    assert result.total.pool == len({m.person_id for m in counting})
    if PROVINCE in result.units:
        assert result.units[PROVINCE] == result.total


def test_an_entry_ends_with_its_cycle_unless_carried_into_the_next():
    ended = member(1, cycle=(date(2016, 1, 1), date(2021, 12, 31)), added=date(2018, 6, 1))
    assert report([ended], as_of=date(2021, 12, 31)).units[DISTRICT_A] == Figure(0, 1, 1)
    assert report([ended], as_of=date(2022, 1, 1)).units[DISTRICT_A] == Figure(0, 0, 0)
    carried = member(1, cycle=(date(2021, 1, 1), date(2026, 12, 31)), added=date(2021, 1, 1))
    assert report([ended, carried], as_of=date(2022, 1, 1)).units[DISTRICT_A] == Figure(0, 1, 1)


# --- the tree through time: dated parents and names, several successors ------------------------------

MOVED = 5  # a commune of district A until 31/12/2019, of district B from 1/1/2020
DATED_TREE = [Unit(PROVINCE), Unit(DISTRICT_A, PROVINCE), Unit(DISTRICT_B, PROVINCE),
              Unit(MOVED, DISTRICT_B, parents=((None, DISTRICT_A), (date(2020, 1, 1), DISTRICT_B)),
                   names=((None, "Xã Cũ"), (date(2020, 1, 1), "Xã Mới")))]


def test_a_commune_moved_in_2020_counts_in_its_old_district_in_2019_and_in_the_new_in_2021():
    people = [member(1, MOVED, added=date(2018, 1, 1), cycle=(date(2016, 1, 1), date(2026, 12, 31)))]
    before = trained_share(DATED_TREE, people, [Training(1, date(2019, 7, 16))], date(2019, 12, 31))
    after = trained_share(DATED_TREE, people, [Training(1, date(2019, 7, 16))], date(2021, 6, 30))
    assert before.units[DISTRICT_A] == Figure(1, 1, 1) and before.units[DISTRICT_B] == Figure()
    assert after.units[DISTRICT_A] == Figure() and after.units[DISTRICT_B] == Figure(1, 1, 1)
    assert before.total == after.total == Figure(1, 1, 1)
    # the day of the move belongs to the new parent, the day before to the old one
    assert snapshot(DATED_TREE, date(2019, 12, 31)).ancestors[MOVED] == [MOVED, DISTRICT_A, PROVINCE]
    assert snapshot(DATED_TREE, date(2020, 1, 1)).ancestors[MOVED] == [MOVED, DISTRICT_B, PROVINCE]


def test_dated_parent_and_name_are_those_of_the_day():
    moved = DATED_TREE[-1]
    assert moved.parent_on(date(1990, 1, 1)) == DISTRICT_A and moved.parent_on(date(2030, 1, 1)) == DISTRICT_B
    assert moved.name_on(date(2019, 12, 31)) == "Xã Cũ" and moved.name_on(date(2020, 1, 1)) == "Xã Mới"
    plain = Unit(9, PROVINCE)  # no history: its one parent all along, and the name it is given
    assert plain.parent_on(date(2019, 1, 1)) == PROVINCE and plain.name_on(date(2019, 1, 1), "Tên") == "Tên"


SPLIT = 6  # a district split among two communes on 1/7/2025; the communes hang under the province today
C1, C2, C3 = 7, 8, 9
SPLIT_TREE = [Unit(PROVINCE), Unit(SPLIT, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C1, C2)),
              Unit(C1, PROVINCE, valid_from=date(2025, 7, 1)), Unit(C2, PROVINCE, valid_from=date(2025, 7, 1))]


def test_a_district_split_among_communes_folds_into_their_nearest_common_ancestor_active_today():
    units = {u.id: u for u in SPLIT_TREE}
    assert today_successor(units, SPLIT) == PROVINCE
    people = [member(1, SPLIT, added=date(2020, 1, 1))]
    kept = trained_share(SPLIT_TREE, people, [], date(2024, 1, 1))
    folded = trained_share(SPLIT_TREE, people, [], date(2024, 1, 1), fold_successors=True)
    assert kept.units[SPLIT] == Figure(0, 1, 1) and SPLIT not in folded.units
    assert folded.folded == {SPLIT: PROVINCE} and folded.units[PROVINCE] == Figure(0, 1, 1)


def test_one_successor_is_folded_into_as_before_and_several_below_one_commune_fold_into_it():
    units = {u.id: u for u in [Unit(PROVINCE), Unit(SPLIT, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C1,)),
                               Unit(C1, PROVINCE), Unit(C2, C1), Unit(C3, C1),
                               Unit(10, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C2, C3))]}
    assert today_successor(units, SPLIT) == C1
    assert today_successor(units, 10) == C1


def test_several_successors_without_a_common_ancestor_active_today_are_not_folded():
    units = {u.id: u for u in [Unit(PROVINCE, valid_to=LAST_DISTRICT_DAY), Unit(C1, PROVINCE), Unit(C2),
                               Unit(SPLIT, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C1, C2))]}
    assert today_successor(units, SPLIT) == SPLIT
    # an ended common ancestor does not take them either
    units[C2] = Unit(C2, PROVINCE)
    assert today_successor(units, SPLIT) == SPLIT


def test_successor_cycles_through_several_successors_do_not_hang():
    units = {u.id: u for u in [Unit(PROVINCE), Unit(C1, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C2, C3)),
                               Unit(C2, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C1,)),
                               Unit(C3, PROVINCE, valid_to=LAST_DISTRICT_DAY, successors=(C1, C2))]}
    assert today_successor(units, C1) in units

"""One unit's report (the report page's figures and its untrained women) equals the rule's, on both backends,
in a fixed number of statements."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from bdgtrain.extensions import db
from bdgtrain.models import Person
from bdgtrain.rules.trained_share import Figure, snapshot, trained_share, trained_women
from bdgtrain.services.reporting import completions
from bdgtrain.services.reporting.reporting import compute_trained_share
from bdgtrain.services.reporting.unit_report import unit_report
from tests.services.test_reporting import build_world, store_completions


def expected_untrained(units, memberships, trainings, as_of, window, fold, unit_id) -> set[int]:
    """The women counting in the unit's subtree on `as_of` with no qualifying training there, by the rule."""
    counting = [m for m in memberships if m.counts_on(as_of)]
    tree = snapshot(units, as_of, fold_successors=fold, with_members={m.unit_id for m in counting})
    trained = trained_women(counting, trainings, as_of, window)
    inside = [m for m in counting if m.sex == "F" and unit_id in tree.ancestors.get(tree.home[m.unit_id], ())]
    done = {m.person_id for m in inside if (m.person_id, m.unit_id) in trained}
    return {m.person_id for m in inside} - done


@pytest.mark.parametrize("seed, mode", [(11, "live"), (12, "stored"), (15, "mixed")])
def test_unit_report_equals_the_rule_and_the_province_report(app, seed, mode):
    units, memberships, trainings = build_world(seed, history=True)
    db.session.commit()
    sort_keys = dict(db.session.execute(db.select(Person.id, Person.name_sort_key)).all())
    rng = random.Random(seed)
    store_completions(mode, rng)
    checked_pages = 0
    for _ in range(4):
        as_of = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        window = rng.choice([None, (date(2019, 1, 1), date(2030, 12, 31))])
        fold = rng.random() < 0.5
        expected = trained_share(units, memberships, trainings, as_of, window=window, fold_successors=fold)
        province, _info = compute_trained_share(as_of, window=window, fold_successors=fold)
        assert province.units == expected.units
        for unit_id, depth in expected.depth.items():
            got = unit_report(unit_id, as_of, window=window, fold_successors=fold, per_page=4)
            assert got is not None
            assert got.figure == expected.units[unit_id]
            order = list(expected.depth)
            below = order[order.index(unit_id) + 1:]
            children = []
            for other in below:  # tree order: the subtree follows the unit until the depth comes back up
                if expected.depth[other] <= depth:
                    break
                if expected.depth[other] == depth + 1:
                    children.append(other)
            assert [c.unit_id for c in got.children] == children
            assert all(c.figure == expected.units[c.unit_id] for c in got.children)
            # Every page of untrained women, in name order, adds up to the women not trained.
            untrained = expected_untrained(units, memberships, trainings, as_of, window, fold, unit_id)
            assert got.untrained_total == len(untrained) == got.figure.women - got.figure.trained
            listed = []
            for page in range(1, got.pages + 1):
                rows = unit_report(unit_id, as_of, window=window, fold_successors=fold, page=page,
                                   per_page=4).untrained
                assert len(rows) <= 4
                listed += [w.person_id for w in rows]
                checked_pages += 1
            assert listed == sorted(untrained, key=lambda p: (sort_keys[p], p))
            assert all(w.unit_id in got.units for w in got.untrained)
    assert checked_pages > 10  # the worlds are big enough to page through


def test_unit_report_in_four_statements_whatever_the_subtree(app, count_queries):
    build_world(13)
    db.session.commit()
    completions.refresh()
    db.session.commit()
    report, info = compute_trained_share(date(2023, 6, 30))
    province = next(u for u in info.values() if u.code == "P")
    with count_queries() as counter:
        got = unit_report(province.id, date(2023, 6, 30), per_page=10)
    queries = [s for s in counter.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    # the units, the units with members, figures and page, the page's women
    assert len(queries) == 4, counter.statements
    # and, on SQLite, the BEGIN of the transaction and the four that fill the indexed temporary `closure`
    assert counter.count <= 9
    assert got.figure == report.units[province.id] and len(got.untrained) == min(10, got.untrained_total)


def test_unit_outside_the_tree_and_unit_without_pool(app):
    units, _memberships, _trainings = build_world(14)
    db.session.commit()
    # Before any data, a unit has an empty pool: zero counts, no share, nobody to list.
    got = unit_report(units[1].id, date(2000, 1, 1))
    assert got.figure == Figure() and got.figure.trained_share is None
    assert got.untrained == [] and got.untrained_total == 0 and got.pages == 1
    assert unit_report(999_999, date(2023, 6, 30)) is None
    # A district that ended on 30/6/2025 is reported for earlier days, not when folded into its successor.
    ended = next(u for u in units if u.valid_to is not None)  # seed 14 ends some districts
    assert unit_report(ended.id, date(2024, 1, 1)) is not None
    assert unit_report(ended.id, date(2024, 1, 1), fold_successors=True) is None

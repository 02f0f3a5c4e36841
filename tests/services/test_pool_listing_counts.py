"""A unit's pool page reads its cycles and counts its list through ix_pool_entries_unit_cycle (issue 22): its
cycles, its totals and who a bulk carry would take equal what the grouping and counting queries they replace
gave, on random worlds with left, rejoined, carried (twice, or into another unit), odd cycle days and names
that look like wildcards, on both databases."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from bdgtrain.extensions import db
from bdgtrain.models import Person, PoolEntry
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.pool import pool_register as register
from tests import factories as make

TODAY = date(2026, 12, 5)
CYCLES = [("2011-2016", 2011, 2016), ("2016-2021", 2016, 2021), ("2021-2026", 2021, 2026), ("2026-2031", 2026, 2031)]
NAMES = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Hoa", "Phạm 100% Mai", "Hồ_Thị Yến", "Đặng Thị Ánh", "Lan Anh"]
SEARCHES = ["", "lan", "thi", "100%", "_", "ho_", "yen", "khong co ai"]


def old_unit_cycles(unit) -> list[str]:
    rows = db.session.execute(select(PoolEntry.cycle, func.max(PoolEntry.cycle_starts_on))
                              .where(PoolEntry.organisation_id == unit.id).group_by(PoolEntry.cycle)).all()
    return [cycle for cycle, _start in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]


def old_counts(unit, cycle: str, search: str) -> tuple[int, int]:
    query = (select(PoolEntry).join(PoolEntry.person)
             .where(PoolEntry.organisation_id == unit.id, PoolEntry.cycle == cycle))
    if search.strip():
        query = query.where(Person.name_folded.contains(fold(search), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    later = aliased(PoolEntry)
    open_count = db.session.scalar(select(func.count()).select_from(PoolEntry).where(
        PoolEntry.organisation_id == unit.id, PoolEntry.cycle == cycle, PoolEntry.left_on.is_(None),
        ~exists().where(later.carried_from_id == PoolEntry.id)))
    return total, open_count


def build_world(seed: int):
    rng = random.Random(seed)
    province = make.org("HT", "UBND tỉnh Hà Tĩnh", kind="province")
    units = [province] + [make.org(f"HT-{n}", f"Huyện {n}", kind="district", parent=province) for n in range(4)]
    people = []
    for n in range(rng.randrange(15, 40)):
        name = f"{rng.choice(NAMES)} {n}"
        people.append(Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name),
                             sex=rng.choice(["F", "M", None])))
    db.session.add_all(people)
    db.session.flush()
    entries = []
    for _ in range(rng.randrange(30, 120)):
        label, first, last = rng.choice(CYCLES)
        starts = date(first, 1, 1) + timedelta(days=rng.choice([0, 0, 0, 40]))  # now and then an odd first day
        added = starts + timedelta(days=rng.randrange(0, 400))
        left = added + timedelta(days=rng.randrange(0, 900)) if rng.random() < 0.3 else None
        entries.append(PoolEntry(person_id=rng.choice(people).id, organisation_id=rng.choice(units[1:]).id,
                                 cycle=label, cycle_starts_on=starts, cycle_ends_on=date(last, 12, 31),
                                 added_on=added, left_on=left, leave_reason="moved" if left else None))
    db.session.add_all(entries)
    db.session.flush()
    for entry in rng.sample(entries, len(entries) // 4):  # carried: once, twice, or into another unit's pool
        label, first, last = next(c for c in CYCLES if c[1] >= entry.cycle_ends_on.year) if \
            entry.cycle_ends_on.year < 2031 else CYCLES[-1]
        for _ in range(rng.choice([1, 1, 2])):
            unit_id = entry.organisation_id if rng.random() < 0.8 else rng.choice(units[1:]).id
            db.session.add(PoolEntry(person_id=entry.person_id, organisation_id=unit_id, cycle=label,
                                     cycle_starts_on=date(first, 1, 1), cycle_ends_on=date(last, 12, 31),
                                     added_on=date(first, 1, 1), carried_from_id=entry.id))
    db.session.flush()
    open_ones = [e for e in entries if e.left_on is None and e.cycle == "2016-2021"]
    if open_ones:  # and through the service, as the pool page's button does
        register.carry_entries(None, rng.sample(open_ones, min(3, len(open_ones))), "2021-2026")
    db.session.commit()
    return units


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_units_cycles_and_counts_equal_the_queries_they_replace(app, seed):
    units = build_world(seed)
    checked = 0
    for unit in units:
        assert register.unit_cycles(unit) == old_unit_cycles(unit)
        for label, _first, _last in CYCLES:
            for search in SEARCHES:
                listing = register.list_pool(unit, label, TODAY, search, per_page=5)
                assert (listing.total, listing.open_not_carried) == old_counts(unit, label, search), \
                    (unit.code, label, search)
                checked += listing.total > 0
    assert checked > 20  # the worlds have lists to count


def test_a_unit_without_entries_has_no_cycles_and_counts_nothing(app):
    unit = make.org("HT-X", "Huyện trống", kind="district")
    make.commit()
    assert register.unit_cycles(unit) == []
    listing = register.list_pool(unit, "2021-2026", TODAY, "lan")
    assert (listing.total, listing.open_not_carried, listing.rows) == (0, 0, [])

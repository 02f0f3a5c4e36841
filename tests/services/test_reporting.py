"""The trained share from the database equals the pure rule's, on both backends, in a bounded number of statements."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from bdgtrain.extensions import db
from bdgtrain.localtime import LOCAL_TZ
from bdgtrain.models import (
    Attendance,
    ClassSession,
    Enrolment,
    ExternalTraining,
    Organisation,
    OrganisationPeriod,
    OrganisationSuccessor,
    Person,
    Plan,
    PoolEntry,
    TrainingClass,
)
from bdgtrain.rules.completion import completion
from bdgtrain.rules.trained_share import Figure, Membership, Training, Unit, parse_cycle, trained_share
from bdgtrain.services.reporting import completions
from bdgtrain.services.reporting.reporting import compute_trained_share, subtree_rows

CYCLES = ["2016-2021", "2020-2025", "2021-2026"]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def build_world(seed: int, *, history: bool = False):
    """Random units, people, pool entries, classes, attendance and outside training, written to the
    database; returns the same facts as the rule's plain values. With `history`, some communes also
    move to another district (and are renamed) on a random day, and ended districts are split among
    one to three successors."""
    rng = random.Random(seed)
    province = Organisation(code="P", name="Tỉnh", kind="province")
    db.session.add(province)
    db.session.flush()
    orgs = [province]
    for n in range(6):
        ended = rng.random() < 0.5
        district = Organisation(code=f"D{n}", name=f"Huyện {n}", kind="district", parent_id=province.id,
                                valid_to=date(2025, 6, 30) if ended else None,
                                successor_id=province.id if ended else None)
        db.session.add(district)
        db.session.flush()
        orgs.append(district)
        for m in range(2):
            commune = Organisation(code=f"D{n}C{m}", name=f"Xã {n}.{m}", kind="commune", parent_id=district.id)
            db.session.add(commune)
            orgs.append(commune)
    db.session.flush()
    people = []
    for n in range(60):
        sex = rng.choice(["F", "F", "F", "M", None])
        person = Person(full_name=f"Người {n}", name_folded=f"nguoi {n}", name_sort_key=f"{n:04d}", sex=sex)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    memberships = []
    for _ in range(90):
        person, org = rng.choice(people), rng.choice(orgs[1:])
        label, starts, ends = parse_cycle(rng.choice(CYCLES))
        added = date(2017, 1, 1) + timedelta(days=rng.randrange(3000))
        left = added + timedelta(days=rng.randrange(2000)) if rng.random() < 0.3 else None
        db.session.add(PoolEntry(person_id=person.id, organisation_id=org.id, cycle=label, cycle_starts_on=starts,
                                 cycle_ends_on=ends, added_on=added, left_on=left,
                                 leave_reason="appointed" if left else None))
        memberships.append(Membership(person.id, org.id, person.sex, added, left, starts, ends))
    plans = [Plan(code=f"KH{n}", number="1", title="KH", organiser_org_id=province.id,
                  counts_for_trained_share=n != 2) for n in range(3)]
    db.session.add_all(plans)
    db.session.flush()
    trainings = []
    for n in range(12):
        status = rng.choice(["planned", "confirmed", "confirmed", "cancelled"])
        cls = TrainingClass(plan_id=rng.choice(plans).id, code=f"L{n}", title=f"Lớp {n}", status=status,
                            completion_percent=rng.choice([50, 80, 100]), counts_for_trained_share=rng.random() < 0.85)
        db.session.add(cls)
        db.session.flush()
        first = date(2018, 1, 1) + timedelta(days=rng.randrange(3200))
        sessions = []
        for k in range(rng.randint(1, 4)):
            # Ending at 6-7h local is the previous UTC day, at 23h the same: the local day is what counts.
            session = ClassSession(class_id=cls.id, label=f"B{k}", starts_at=_at(first + timedelta(days=k), 6),
                                   ends_at=_at(first + timedelta(days=k), rng.choice([7, 11, 17, 23])),
                                   status="cancelled" if rng.random() < 0.15 else "scheduled")
            db.session.add(session)
            sessions.append(session)
        db.session.flush()
        held = [s for s in sessions if s.status != "cancelled"]
        plan = next(p for p in plans if p.id == cls.plan_id)
        counts = cls.status != "cancelled" and cls.counts_for_trained_share and plan.counts_for_trained_share
        for person in rng.sample(people, 15):
            enrolment = Enrolment(class_id=cls.id, person_id=person.id,
                                  status=rng.choice(["nominated", "confirmed", "confirmed", "declined"]))
            db.session.add(enrolment)
            db.session.flush()
            statuses = []
            for session in sessions:
                if rng.random() < 0.7:
                    status = rng.choice(["present", "present", "late", "excused", "absent"])
                    db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status=status))
                    if session.status != "cancelled":
                        statuses.append(status)
            done = completion(statuses, held=len(held), remaining=0, percent=cls.completion_percent)
            if counts and done.completed and enrolment.status in ("nominated", "confirmed"):
                last = max(s.ends_at for s in held)
                trainings.append(Training(person.id, last.astimezone(LOCAL_TZ).date()))
    for _ in range(10):
        person = rng.choice(people)
        ended = date(2018, 1, 1) + timedelta(days=rng.randrange(3000)) if rng.random() < 0.8 else None
        counts = rng.random() < 0.8
        db.session.add(ExternalTraining(person_id=person.id, title="Cao cấp lý luận chính trị", ended_on=ended,
                                        counts_towards_measures=counts))
        if ended and counts:
            trainings.append(Training(person.id, ended))
    db.session.flush()
    units = [Unit(o.id, o.parent_id, o.valid_from, o.valid_to, o.successor_id) for o in orgs]
    if history:
        units = _add_history(random.Random(seed * 7919), orgs, units)
    return units, memberships, trainings


def _add_history(rng: random.Random, orgs: list[Organisation], units: list[Unit]) -> list[Unit]:
    """Dated moves of communes between districts and split districts, written as the services would."""
    districts = [o for o in orgs if o.kind == "district"]
    communes = [o for o in orgs if o.kind == "commune"]
    by_id = {u.id: u for u in units}
    for commune in communes:
        db.session.add(OrganisationPeriod(organisation_id=commune.id, valid_from=None, parent_id=commune.parent_id,
                                          name=commune.name))
        if rng.random() < 0.4:
            moved_on = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
            first, second = commune.parent_id, rng.choice([d for d in districts if d.id != commune.parent_id]).id
            db.session.execute(update(OrganisationPeriod).where(OrganisationPeriod.organisation_id == commune.id)
                               .values(valid_to=moved_on - timedelta(days=1)))
            db.session.add(OrganisationPeriod(organisation_id=commune.id, valid_from=moved_on, parent_id=second,
                                              name=commune.name + " (mới)"))
            commune.parent_id, commune.name = second, commune.name + " (mới)"
            by_id[commune.id] = replace(by_id[commune.id], parent_id=second,
                                        parents=((None, first), (moved_on, second)),
                                        names=((None, commune.name.removesuffix(" (mới)")), (moved_on, commune.name)))
    for district in districts:
        if district.valid_to is not None:
            heirs = rng.sample(communes, rng.randint(1, 3))
            db.session.add_all(OrganisationSuccessor(organisation_id=district.id, successor_id=c.id) for c in heirs)
            district.successor_id = heirs[0].id
            by_id[district.id] = replace(by_id[district.id], successor_id=heirs[0].id,
                                         successors=tuple(c.id for c in heirs))
    db.session.flush()
    return [by_id[u.id] for u in units]


def store_completions(mode: str, rng: random.Random) -> None:
    """Reports read stored completions for valid classes and compute the others live: all live (as
    after the upgrade), all stored, or a random mix of both."""
    if mode == "stored":
        assert completions.refresh() == db.session.scalar(select(func.count()).select_from(TrainingClass))
    elif mode == "mixed":
        ids = db.session.scalars(select(TrainingClass.id).order_by(TrainingClass.id)).all()
        completions.refresh(rng.sample(ids, len(ids) // 2))
    db.session.commit()


@pytest.mark.parametrize("mode", ["live", "stored", "mixed"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_figures_equal_the_rules_on_a_random_world(app, seed, mode):
    units, memberships, trainings = build_world(seed, history=True)
    db.session.commit()
    rng = random.Random(seed)
    store_completions(mode, rng)
    for _ in range(4):
        as_of = date(2018, 1, 1) + timedelta(days=rng.randrange(3600))
        window = rng.choice([None, (date(2019, 1, 1), date(2030, 12, 31)), (date(2021, 1, 1), date(2022, 12, 31))])
        fold = rng.random() < 0.5
        expected = trained_share(units, memberships, trainings, as_of, window=window, fold_successors=fold)
        got, info = compute_trained_share(as_of, window=window, fold_successors=fold)
        assert got.units == expected.units, (as_of, window, fold)
        assert {u.id: info[u.id].name for u in units if u.names} == {u.id: u.name_on(as_of) for u in units if u.names}
        assert list(got.units) == list(expected.units)
        assert got.total == expected.total
        assert got.folded == expected.folded


def test_report_issues_a_fixed_number_of_statements_whatever_the_pool(app, count_queries):
    build_world(7)
    db.session.commit()
    with count_queries() as counter:
        compute_trained_share(date(2023, 6, 30))
    queries = [s for s in counter.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    # the versions, the units (unless this process holds them: see the next test), the units with members,
    # whether anyone counts that day, the pool (unless kept: see test_kept_pool_counts_follow_every_change_to_the_pool),
    # the trained
    assert len(queries) <= 6, counter.statements
    # and, on SQLite, the BEGIN of the transaction and the four that fill the indexed temporary `closure`
    assert counter.count <= 11


def _selects(counter) -> list[str]:
    return [s for s in counter.statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def test_the_units_are_read_again_only_when_an_organisation_changes(app, count_queries):
    from bdgtrain.services.planning import orgs

    build_world(3)
    db.session.commit()
    day = date(2023, 6, 30)
    _report, info = compute_trained_share(day)
    with count_queries() as counter:
        compute_trained_share(day)
    assert not any(s.startswith("SELECT id, code, name, parent_id") for s in _selects(counter))  # kept
    assert len(_selects(counter)) == 3  # the versions, the units with members, the trained (the pool kept)

    district = db.session.scalar(select(Organisation).where(Organisation.code == "D1"))
    data = orgs.OrgInput(code="D1", name="Huyện Một (đổi tên)", kind=district.kind, parent_id=district.parent_id,
                         valid_from=district.valid_from, valid_to=district.valid_to,
                         successor_id=district.successor_id)
    orgs.update_org(None, district, data)
    db.session.commit()
    with count_queries() as counter:
        _report, renamed = compute_trained_share(day)
    assert renamed[district.id].name == "Huyện Một (đổi tên)" and info[district.id].name == "Huyện 1"
    # read again, and the tree they make is a new one: the pool is counted again under it
    assert len(_selects(counter)) == 6 and any(s.startswith("SELECT id, code, name, parent_id")
                                               for s in _selects(counter))

    added = orgs.create_org(None, orgs.OrgInput(code="D9", name="Huyện mới", kind="district",
                                                parent_id=district.parent_id))
    db.session.commit()
    report, grown = compute_trained_share(day)
    assert added.id in grown and added.id in report.units


def test_empty_database_and_date_before_any_data(app):
    report, _ = compute_trained_share(date(2000, 1, 1))
    assert report.units == {} and report.total == Figure()
    build_world(4)
    db.session.commit()
    report, info = compute_trained_share(date(2000, 1, 1))
    assert report.total == Figure() and all(f == Figure() for f in report.units.values())
    rows = subtree_rows(report, info)
    assert rows[0]["code"] == "P" and rows[0]["trained_share"] is None


def test_subtree_rows_of_one_unit(app):
    build_world(5)
    db.session.commit()
    report, info = compute_trained_share(date(2020, 6, 30))
    district = next(u for u in info.values() if u.code == "D1")
    rows = subtree_rows(report, info, district.id)
    assert [r["code"] for r in rows] == ["D1", "D1C0", "D1C1"]
    assert [r["depth"] for r in rows] == [0, 1, 1]


# The statement that grouped every (reported unit, person) pair, as it was before people in one unit
# were counted per unit: the reference the grouped counts must equal.
_PAIRS_FIGURES = """SELECT report_id, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
FROM (SELECT c.report_id, m.person_id, m.sex, MAX(m.trained) AS trained
      FROM members m JOIN closure c ON c.unit_id = m.unit_id
      GROUP BY c.report_id, m.person_id, m.sex) per_unit
GROUP BY report_id
UNION ALL
SELECT NULL, COUNT(*), SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END), SUM(trained)
FROM (SELECT m.person_id, m.sex, MAX(m.trained) AS trained FROM members m GROUP BY m.person_id, m.sex) everyone"""


def _figures_by_pairs(as_of, window, fold):
    from bdgtrain.services.reporting import reporting, trained_share_sql

    units, _info, tree = reporting._tree(as_of, fold)
    pairs = [(u.id, above) for u in units for above in tree.ancestors.get(tree.home[u.id], ())]
    statement = trained_share_sql.dated(db.text(trained_share_sql.with_clause(window, pairs) + _PAIRS_FIGURES),
                                        **trained_share_sql.day_values(as_of, window))
    figures = {report_id: Figure(trained=int(c or 0), women=int(b or 0), pool=int(a or 0))
               for report_id, a, b, c in db.session.execute(statement)}
    return figures.pop(None, Figure()), figures


def _add_edge_cases(rng):
    """People the per-unit counts must not count twice: in two communes of one district, in a district
    and one of its communes, twice in one commune, in this province and another one (a second top unit),
    left the pool; and a unit whose only member is in another unit too."""
    other = Organisation(code="Q", name="Tỉnh khác", kind="province")
    db.session.add(other)
    db.session.flush()
    q_commune = Organisation(code="QC", name="Xã khác", kind="commune", parent_id=other.id)
    db.session.add(q_commune)
    db.session.flush()
    orgs = {o.code: o.id for o in db.session.scalars(select(Organisation))}
    places = [("D0C0", "D0C1"), ("D1", "D1C0"), ("D2C0", "D2C0"), ("D3C1", "QC"), ("QC", "QC"), ("D4", "D5C1")]
    for n, (first, second) in enumerate(places * 2):
        person = Person(full_name=f"Biên {n}", name_folded=f"bien {n}", name_sort_key=f"b{n:03d}",
                        sex=rng.choice(["F", "F", "M", None]))
        db.session.add(person)
        db.session.flush()
        for code in (first, second):
            label, starts, ends = parse_cycle(rng.choice(CYCLES))
            added = date(2017, 1, 1) + timedelta(days=rng.randrange(2000))
            left = added + timedelta(days=rng.randrange(2500)) if rng.random() < 0.3 else None
            db.session.add(PoolEntry(person_id=person.id, organisation_id=orgs[code], cycle=label,
                                     cycle_starts_on=starts, cycle_ends_on=ends, added_on=added, left_on=left,
                                     leave_reason="appointed" if left else None))
        if rng.random() < 0.6:
            db.session.add(ExternalTraining(person_id=person.id, title="Ngoài", counts_towards_measures=True,
                                            ended_on=date(2018, 1, 1) + timedelta(days=rng.randrange(2500))))
    db.session.commit()


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_per_unit_counts_equal_the_per_person_grouping(app, seed):
    build_world(seed, history=seed % 2 == 0)
    rng = random.Random(seed)
    _add_edge_cases(rng)
    store_completions(rng.choice(["live", "stored", "mixed"]), rng)
    seen_single = seen_several = 0
    for _ in range(6):
        as_of = date(2018, 1, 1) + timedelta(days=rng.randrange(3600))
        window = rng.choice([None, (date(2019, 1, 1), date(2030, 12, 31))])
        fold = rng.random() < 0.5
        total, figures = _figures_by_pairs(as_of, window, fold)
        got, _info = compute_trained_share(as_of, window=window, fold_successors=fold)
        assert got.total == total, (as_of, window, fold)
        assert {u: f for u, f in got.units.items() if f != Figure()} == figures, (as_of, window, fold)
        for root in got.units:  # a unit's report: itself and its children, from its subtree only
            sub, _info = compute_trained_share(as_of, window=window, fold_successors=fold, root=root)
            assert all(f == got.units[u] for u, f in sub.units.items()), (as_of, window, fold, root)
            assert sub.total == got.units[root]
        counting = db.session.execute(db.text(
            "SELECT person_id, COUNT(DISTINCT organisation_id) FROM pool_entries WHERE added_on <= :d "
            "AND (left_on IS NULL OR left_on > :d) AND cycle_ends_on >= :d GROUP BY person_id"),
            {"d": as_of.isoformat() if db.engine.dialect.name == "sqlite" else as_of}).all()
        seen_single += sum(1 for _p, n in counting if n == 1)
        seen_several += sum(1 for _p, n in counting if n > 1)
    assert seen_single and seen_several  # both ways of counting were taken
    entries = dict(db.session.execute(db.text("SELECT person_id, COUNT(*) FROM pool_entries GROUP BY person_id")).all())
    assert 1 in entries.values() and any(n > 1 for n in entries.values())  # one entry in all, and more


def _pool_counted(statements) -> bool:
    """Whether the province's pool was counted (trained_share_sql.pool_statement) among `statements`."""
    return any("by_unit" in statement for statement in statements)


def _same_as_counted_afresh(as_of, window=None):
    """The province's figures as reported (kept pool counts or not) equal those of the uncached statement
    that groups every (reported unit, person) pair; returns whether the pool was counted again."""
    from tests.conftest import QueryCounter

    total, figures = _figures_by_pairs(as_of, window, False)
    with QueryCounter(db.engine) as counter:
        got, _info = compute_trained_share(as_of, window=window)
    assert got.total == total
    assert {u: f for u, f in got.units.items() if f != Figure()} == figures
    return _pool_counted(counter.statements)


def test_kept_pool_counts_follow_every_change_to_the_pool(app):
    """The province's pool and women are kept between reports under the pool's stamp (migration 0035); every way
    the pool or a person's sex can change, through the ORM, in plain SQL or rolled back, sets a new stamp, so a
    report never shows a kept count its data has left behind. The trained are counted on every report."""
    build_world(41)
    rng = random.Random(41)
    _add_edge_cases(rng)
    store_completions("mixed", rng)
    day = date(2022, 6, 30)
    assert _same_as_counted_afresh(day) is True
    assert _same_as_counted_afresh(day) is False  # kept: nothing changed
    assert _same_as_counted_afresh(day, (date(2021, 1, 1), date(2022, 12, 31))) is False  # a window: the same pool

    commune = db.session.scalar(select(Organisation).filter_by(code="D0C0"))
    woman = Person(full_name="Mới", name_folded="moi", name_sort_key="moi", sex="F")
    db.session.add(woman)
    db.session.flush()
    entry = PoolEntry(person_id=woman.id, organisation_id=commune.id, cycle="2020-2025",
                      cycle_starts_on=date(2020, 1, 1), cycle_ends_on=date(2025, 12, 31), added_on=date(2021, 1, 1))
    db.session.add(entry)
    db.session.commit()
    assert _same_as_counted_afresh(day) is True  # an entry added

    db.session.add(ExternalTraining(person_id=woman.id, title="Ngoài", counts_towards_measures=True,
                                    ended_on=date(2022, 3, 1)))
    db.session.commit()
    before = compute_trained_share(day)[0].total
    assert _same_as_counted_afresh(day) is False  # training: the pool is the same, the trained are counted anew
    assert before.trained >= 1

    woman.sex = "M"
    db.session.commit()
    assert _same_as_counted_afresh(day) is True  # her sex
    assert compute_trained_share(day)[0].total.women == before.women - 1

    entry.left_on, entry.leave_reason = date(2022, 1, 1), "appointed"
    db.session.commit()
    assert _same_as_counted_afresh(day) is True  # she left
    db.session.execute(update(PoolEntry).where(PoolEntry.id == entry.id).values(left_on=None, leave_reason=None))
    db.session.commit()
    assert _same_as_counted_afresh(day) is True  # plain SQL, around the ORM

    kept = compute_trained_share(day)[0].total
    db.session.execute(db.text("DELETE FROM pool_entries WHERE person_id <> :p"), {"p": woman.id})
    assert compute_trained_share(day)[0].total.pool == 1  # inside the transaction: its own stamp
    db.session.rollback()
    assert compute_trained_share(day)[0].total == kept  # rolled back: the stamp before it, and the counts
    assert _same_as_counted_afresh(day) is False

    db.session.delete(entry)
    db.session.commit()
    assert _same_as_counted_afresh(day) is True  # an entry removed

    # Two changes in one transaction, a report after each: the second must see the second change, whatever
    # the stamp did in between (PostgreSQL sets it at the transaction's first change only).
    others = db.session.scalars(select(PoolEntry).where(PoolEntry.left_on.is_(None), PoolEntry.added_on < day,
                                                        PoolEntry.cycle_ends_on >= day)
                                .order_by(PoolEntry.id).limit(2)).all()
    assert len(others) == 2
    for other in others:  # she leaves on the day: she no longer counts on it
        other.left_on, other.leave_reason = day, "appointed"
        db.session.flush()
        assert _same_as_counted_afresh(day) is True
    db.session.commit()
    _same_as_counted_afresh(day)  # committed (counted again on PostgreSQL, which kept nothing in the transaction)
    assert _same_as_counted_afresh(day) is False


def test_no_pool_stamp_keeps_nothing(app):
    """Without a stamp (the pool not changed since the table was emptied, a database upgraded by hand), every
    report counts the pool: nothing is kept under a value that could be stale."""
    build_world(42)
    db.session.commit()
    db.session.execute(db.text("DELETE FROM change_stamps"))
    db.session.commit()
    day = date(2022, 6, 30)
    assert _same_as_counted_afresh(day) is True
    assert _same_as_counted_afresh(day) is True


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2031, 6, 30)])
def test_a_day_nobody_counts_is_all_zero_without_the_figures_statement(app, day):
    """Before anyone joined, and after every cycle ended, no entry counts: every figure is zero, as the
    province's statement itself finds, and the report does not read the whole pool to find it."""
    from bdgtrain.services.reporting import reporting
    from bdgtrain.services.reporting import trained_share_sql as sql
    from tests.conftest import QueryCounter

    build_world(51)
    db.session.commit()
    with QueryCounter(db.engine) as counter:
        report, _info = compute_trained_share(day)
    assert report.total == Figure() and report.units and set(report.units.values()) == {Figure()}
    assert not _pool_counted(counter.statements)
    units, _info, tree = reporting._tree(day, False)
    pairs = [(u.id, above) for u in units for above in tree.ancestors.get(tree.home[u.id], ())]
    rows = db.session.execute(sql.dated(db.text(sql.pool_statement(sql.closure_of(pairs))), as_of=day))
    assert all(not pool for _report_id, pool, _women in rows)
    # A day that counts still reads them.
    with QueryCounter(db.engine) as counter:
        assert compute_trained_share(date(2022, 6, 30))[0].total.pool > 0
    assert _pool_counted(counter.statements)

"""The roster page's rows and figures and the sign-in sheet's rows read as plain columns (issue 22) are the
ones the ORM reading gave: roster_page against roster_query + roster_rows, roster_figures against
status_counts + seat_lines + supplier_orgs + list_quota_bodies, waiting_preview against waiting_query +
waiting_rows, venue_and_sessions against the class's venue and sessions, signin_page against the
enrolments and people the sheet printed, card_page and ticket_urls against the enrolments and ticket_url
the invitation cards printed, on random classes with every status, replacements, notes, several
agencies, men in a class for women, units of other kinds, people without a unit or an organisation, and
every filter. Both databases."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager

from bdgtrain.extensions import db
from bdgtrain.models import ClassSession, Enrolment, Nomination, Person, SeatQuota, Venue
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.checkin import attendance_view, tickets
from bdgtrain.services.core.paging import page_of_query
from bdgtrain.services.lists import roster
from bdgtrain.services.lists.lists import ACTIVE_STATUSES
from bdgtrain.services.planning import sessions as planning_sessions
from tests import factories

STATUSES = ("nominated", "confirmed", "declined", "replaced", "waiting")
NAMES = ["Nguyễn Thị Hoa", "Trần Thị Hoa", "Lê Văn An", "Đặng Thị Ánh", "Nguyễn Thị Hòa", "Bùi Thị Yến",
         "Phạm Thị Ngọc Lan", "Đỗ Văn Đức", "Nguyễn Thị Hoa"]  # the same name twice: the order falls to the id
UNITS = ["UBND xã Cẩm Bình", "Sở Nội vụ", "Hội Liên hiệp Phụ nữ huyện Hương Sơn", "UBND huyện Kỳ Anh", None, ""]


def _world(rng: random.Random, size: int):
    organiser = factories.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    agencies = [factories.org("SNV", "Sở Nội vụ"), factories.org("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh"),
                factories.org("HS", "Huyện Hương Sơn", kind="district")]
    commune = factories.org("CB", "Xã Cẩm Bình", kind="commune", parent=agencies[2])
    plan = factories.plan(organiser, "KH-2019")
    cls = factories.training_class(plan, "LOP-3", supplier_org_ids=[a.id for a in agencies[:2]],
                                   eligible_sex=rng.choice([None, "F"]),
                                   eligible_org_kinds=rng.choice([[], ["commune"], ["commune", "district"]]))
    other = factories.training_class(plan, "LOP-4")
    enrolments = []
    for n in range(size):
        name = rng.choice(NAMES)
        unit = rng.choice(UNITS)
        person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name),
                        sex=rng.choice([None, "F", "F", "M"]), unit_name=unit, unit_folded=fold(unit) if unit else None,
                        position=rng.choice([None, "", "Phó Chủ tịch", "Chuyên viên"]),
                        birth_date=rng.choice([None, date(1970 + n % 30, 1 + n % 12, 1 + n % 28)]),
                        birth_year=rng.choice([None, 1970 + n % 30]),
                        organisation_id=rng.choice([None, None, commune.id, agencies[0].id, agencies[2].id]))
        db.session.add(person)
        db.session.flush()
        enrolment = Enrolment(class_id=rng.choice([cls.id] * 5 + [other.id]), person_id=person.id,
                              status=rng.choice(STATUSES), status_note=rng.choice([None, "", "Ốm <b>nặng</b>"]),
                              body_org_id=rng.choice([None, agencies[0].id, agencies[1].id, agencies[2].id]))
        db.session.add(enrolment)
        db.session.flush()
        for agency in rng.sample(agencies, rng.randint(0, 3)):
            db.session.add(Nomination(enrolment_id=enrolment.id, organisation_id=agency.id))
        enrolments.append(enrolment)
    for enrolment in enrolments:
        if enrolment.status == "replaced" and rng.random() < 0.8:
            enrolment.replaced_by_id = rng.choice(enrolments).id
    if rng.random() < 0.7:
        db.session.add(SeatQuota(class_id=cls.id, organisation_id=agencies[1].id, seats=rng.randint(0, 5)))
    db.session.flush()
    db.session.expire_all()
    return cls, agencies


def _as_before(cls, filters, page, per_page):
    """The page as the roster read it before: its enrolments as objects, then roster_rows."""
    listed = page_of_query(roster.roster_query(cls, filters), page, per_page)
    rows = roster.roster_rows(cls, listed.items)
    lines = [(r.enrolment.id, r.enrolment.status, r.enrolment.status_note,
              r.enrolment.replaced_by.person.full_name if r.enrolment.replaced_by else None,
              r.enrolment.person.full_name, r.enrolment.person.sex, r.enrolment.person.birth_date,
              r.enrolment.person.birth_year, r.enrolment.person.position, r.enrolment.person.unit_name,
              r.agencies, [str(w) for w in r.warnings]) for r in rows]
    return (listed.page, listed.pages, listed.total), lines


def _as_now(cls, filters, page, per_page, total=None):
    listed = roster.roster_page(cls, filters, page, per_page, total=total)
    lines = [(r.enrolment_id, r.status, r.status_note, r.replaced_by_name, r.full_name, r.sex, r.birth_date,
              r.birth_year, r.position, r.unit_name, r.agencies, [str(w) for w in r.warnings])
             for r in listed.items]
    return (listed.page, listed.pages, listed.total), lines


@pytest.mark.parametrize("seed", range(6))
def test_roster_page_reads_the_rows_roster_rows_gave(app, seed):
    rng = random.Random(seed)
    cls, agencies = _world(rng, rng.choice([0, 1, 7, 40]))
    filter_sets = [roster.RosterFilters(), roster.RosterFilters(q="hoa"), roster.RosterFilters(unit="cam binh"),
                   roster.RosterFilters(status="replaced"), roster.RosterFilters(status="waiting"),
                   roster.RosterFilters(agency_id=agencies[1].id), roster.RosterFilters(only_agency_id=agencies[0].id),
                   roster.RosterFilters(q="thi", agency_id=agencies[0].id, only_agency_id=agencies[0].id)]
    for filters in filter_sets:
        for page, per_page in ((1, 100), (1, 3), (2, 3), (4, 5), (99, 4)):
            assert _as_now(cls, filters, page, per_page) == _as_before(cls, filters, page, per_page), (filters, page)
            db.session.expire_all()
        # An agency's filter keeps her nominees, each once.
        for agency_id in {filters.agency_id, filters.only_agency_id} - {None}:
            listed = [r.enrolment_id for r in roster.roster_page(cls, filters, 1, 1000).items]
            assert len(listed) == len(set(listed))
            assert set(listed) <= set(db.session.scalars(select(Nomination.enrolment_id).where(
                Nomination.organisation_id == agency_id)))
        if filters.agency_alone:
            assert len(roster.roster_page(cls, filters, 1, 1000).items) == db.session.scalar(
                select(func.count()).select_from(Enrolment).where(Enrolment.class_id == cls.id, exists().where(
                    Nomination.enrolment_id == Enrolment.id, Nomination.organisation_id == filters.agency_alone)))
        # The count the page takes from the figures (unfiltered, or one agency's nominees) is its own.
        total = roster.roster_figures(cls, nominated_by=filters.agency_alone).roster_total(filters)
        assert total == roster.count_roster(cls, filters) or total is None and filters.narrows \
            and not filters.agency_alone, filters
        if total is not None:
            assert _as_now(cls, filters, 2, 3) == _as_now(cls, filters, 2, 3, total), filters


@pytest.mark.parametrize("seed", range(6))
def test_roster_figures_are_status_counts_and_seat_lines(app, seed):
    rng = random.Random(seed)
    cls, _agencies = _world(rng, rng.choice([0, 1, 7, 40]))
    figures = roster.roster_figures(cls, with_quota_bodies=True)
    assert figures.counts == roster.status_counts(cls)
    as_tuples = [(line.organisation.id, line.seats, line.filled, line.waiting) for line in figures.seats]
    assert as_tuples == [(line.organisation.id, line.seats, line.filled, line.waiting)
                         for line in roster.seat_lines(cls)]
    assert [(b.id, b.name) for b in figures.suppliers] == sorted((o.id, o.name) for o in cls.supplier_orgs)
    assert [(b.id, b.name) for b in figures.quota_bodies] == [(o.id, o.name) for o in roster.list_quota_bodies(cls)]
    assert roster.roster_figures(cls).quota_bodies is None


@pytest.mark.parametrize("seed", range(6))
def test_waiting_preview_is_the_head_waiting_rows_gave(app, seed):
    rng = random.Random(seed)
    cls, agencies = _world(rng, rng.choice([0, 1, 7, 40]))
    for only in (None, agencies[0].id, agencies[1].id):
        for shown in (1, 3, 10):
            query = roster.waiting_query(cls, only)
            head = db.session.scalars(query.limit(shown)).unique().all()
            before = [(r.enrolment.id, r.position, r.enrolment.person.full_name, r.enrolment.person.position,
                       r.enrolment.person.unit_name, r.agencies) for r in roster.waiting_rows(cls, head)]
            total = len(db.session.scalars(query).unique().all())
            lines, counted = roster.waiting_preview(cls, shown, only)
            assert ([(r.enrolment_id, r.place, r.full_name, r.position, r.unit_name, r.agencies) for r in lines],
                    counted) == (before, total), (only, shown)
            db.session.expire_all()


def _sheet_before(cls, filters, batch, per_batch):
    """The sign-in sheet's batch as it was read before: enrolments with their person, printed by the template."""
    query = roster._filtered(select(Enrolment).options(contains_eager(Enrolment.person)), cls, filters)
    query = query if filters.status else query.where(Enrolment.status.in_(ACTIVE_STATUSES))
    listed = page_of_query(query, batch, per_batch)
    printed = [(e.person.full_name, e.person.birth_date.year if e.person.birth_date else (e.person.birth_year or ""),
                e.person.position or "", e.person.unit_name or "") for e in listed.items]
    return (listed.page, listed.pages, listed.total, listed.offset), printed


@pytest.mark.parametrize("seed", range(6))
def test_signin_page_prints_the_people_the_sheet_printed(app, seed):
    rng = random.Random(seed)
    cls, agencies = _world(rng, rng.choice([0, 1, 7, 40]))
    for filters in (roster.RosterFilters(), roster.RosterFilters(q="hoa"), roster.RosterFilters(status="declined"),
                    roster.RosterFilters(status="waiting", unit="huong son"),
                    roster.RosterFilters(agency_id=agencies[1].id)):
        for batch, per_batch in ((1, 500), (1, 3), (2, 3), (99, 4)):
            listed = roster.signin_page(cls, filters, batch, per_batch)
            assert ((listed.page, listed.pages, listed.total, listed.offset), listed.items) == \
                _sheet_before(cls, filters, batch, per_batch), (filters, batch)
            db.session.expire_all()


@pytest.mark.parametrize("seed", range(4))
def test_card_page_prints_the_people_and_tickets_the_cards_printed(app, seed):
    rng = random.Random(seed)
    cls, _agencies = _world(rng, rng.choice([0, 1, 7, 40]))
    for batch, per_batch in ((1, 100), (1, 3), (2, 3), (99, 4)):
        listed = attendance_view.card_page(cls, batch, per_batch)
        before = page_of_query(attendance_view.active_enrolments_query(cls), batch, per_batch)
        assert (listed.page, listed.pages, listed.total) == (before.page, before.pages, before.total)
        assert listed.items == [(e.id, e.person.full_name, e.person.unit_name or e.person.position or "")
                                for e in before.items]
        for base in ("https://localhost/", "http://192.168.1.20:8000/bdg/"):
            assert tickets.ticket_urls([i for i, _name, _unit in listed.items], base) == \
                [tickets.ticket_url(e, base) for e in before.items]
        db.session.expire_all()


@pytest.mark.parametrize("with_venue", [False, True])
def test_venue_and_sessions_are_what_the_class_loads_as_objects(app, with_venue):
    cls, _agencies = _world(random.Random(1), 0)
    if with_venue:
        venue = Venue(name="Hội trường <A> & B")
        db.session.add(venue)
        db.session.flush()
        cls.venue_id = venue.id
    for n, (day, status) in enumerate([(3, "scheduled"), (1, "cancelled"), (2, "scheduled"), (2, "scheduled")]):
        start = datetime(2019, 7, day, 1 + n, tzinfo=timezone.utc)
        db.session.add(ClassSession(class_id=cls.id, label=f"Buổi {n}", starts_at=start,
                                    ends_at=start + timedelta(hours=1), status=status))
    db.session.flush()
    db.session.expire_all()
    venue_name, printed = planning_sessions.venue_and_sessions(cls)
    assert venue_name == (cls.venue.name if cls.venue else None)
    assert printed == [(s.starts_at, s.label, s.status) for s in cls.sessions]
    other = factories.training_class(cls.plan, "LOP-9")  # no venue: sessions from its dates
    assert planning_sessions.venue_and_sessions(other) == (None, [(s.starts_at, s.label, s.status)
                                                                  for s in other.sessions])

"""Feeds from the database: scopes, stable UIDs, growing SEQUENCE, cancellations, versions, links."""
from __future__ import annotations

from datetime import date, time, timedelta

import icalendar
import pytest
import vobject
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, ClassSession
from bdgtrain.models.base import utcnow
from bdgtrain.security import FEED, read_token
from bdgtrain.services.calendar import calendar_content, calendar_feeds
from bdgtrain.services.calendar.calendar_content import Scope
from bdgtrain.services.planning import directory, planning, sessions
from tests import calendar_world
from tests import factories as make

BASE_URL = "https://bdg.example"


@pytest.fixture
def world(app):
    return calendar_world.build(title=calendar_world.TRICKY_TITLE)


def events(scope, now=None):
    raw = calendar_content.build_feed(scope, now, base_url=BASE_URL)
    parsed = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
    vobject.readOne(raw.decode())  # a second, independent parser accepts it too
    return parsed


def class_input(cls, **changes):
    data = dict(code=cls.code, title=cls.title, date_expression=cls.date_expression, content=cls.content,
                venue_id=cls.venue_id, status=cls.status, trainer_ids=[t.id for t in cls.trainers])
    data.update(changes)
    return planning.ClassInput(**data)


def test_one_event_per_session_with_class_venue_and_trainer(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    found = events(Scope("class", cls.id))
    assert len(found) == 4  # two days, morning and afternoon
    first = found[calendar_content.event_uid(cls.sessions[0])]
    assert str(first["SUMMARY"]) == f"LOP-3: {calendar_world.TRICKY_TITLE} (Sáng)"
    assert str(first["LOCATION"]) == f"{calendar_world.TRICKY_VENUE}, {calendar_world.TRICKY_ADDRESS}"
    assert "Tiến sĩ Đặng Ngọc Toàn" in str(first["DESCRIPTION"])
    assert "https://bdg.example/plans/HT-2019/classes/LOP-3" in str(first["DESCRIPTION"])
    assert str(first["STATUS"]) == "TENTATIVE"
    start = first.decoded("DTSTART")
    assert (start.date(), start.hour, start.utcoffset()) == (date(2019, 7, 15), 7, timedelta(hours=7))


def test_person_feed_spans_her_classes_and_links_her_own_ticket(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    other = make.training_class(plan, "LOP-4", date_expression="17/7/2019")
    calendar_world.enrol(other, enrolments[0].person)
    db.session.commit()
    found = events(Scope("person", enrolments[0].person_id))
    assert len(found) == 6
    descriptions = " ".join(str(e["DESCRIPTION"]) for e in found.values())
    assert "/T/" in descriptions
    from bdgtrain.services.checkin.tickets import ticket_url
    assert ticket_url(enrolments[0], BASE_URL) in descriptions
    assert ticket_url(enrolments[1], BASE_URL) not in descriptions


def test_declined_enrolment_leaves_her_feed(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    before = calendar_content.feed_version(Scope("person", enrolments[1].person_id))
    enrolments[1].status = "declined"
    db.session.commit()
    assert events(Scope("person", enrolments[1].person_id)) == {}
    after = calendar_content.feed_version(Scope("person", enrolments[1].person_id))
    assert after.etag != before.etag and after.last_modified >= before.last_modified


def test_organisation_and_trainer_feeds(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    assert len(events(Scope("organisation", unit.id))) == 4
    assert len(events(Scope("trainer", trainer.id))) == 4
    stranger = make.org("SYT", "Sở Y tế")
    assert events(Scope("organisation", stranger.id)) == {}


def test_uids_are_stable_across_regeneration_and_edits(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    first = set(events(Scope("class", cls.id)))
    session = cls.sessions[0]
    sessions.update_session(organiser, session, sessions.SessionInput(
        day=date(2019, 7, 15), start=time(8, 0), end=time(11, 0), label="Sáng"))
    db.session.commit()
    assert set(events(Scope("class", cls.id))) == first
    scope = Scope("class", cls.id)
    built = calendar_content.build_feed(scope, base_url=BASE_URL)
    assert calendar_content.build_feed(scope, base_url=BASE_URL) == built


def test_sequence_grows_when_time_venue_or_status_change(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    session = cls.sessions[0]
    uid = calendar_content.event_uid(session)

    def sequence():
        return int(events(Scope("class", cls.id))[uid]["SEQUENCE"])

    start = sequence()
    sessions.update_session(organiser, session, sessions.SessionInput(
        day=date(2019, 7, 15), start=time(8, 0), end=time(11, 30), label="Sáng"))
    db.session.commit()
    assert sequence() == start + 1
    sessions.update_session(organiser, session, sessions.SessionInput(  # a new label only: no new sequence
        day=date(2019, 7, 15), start=time(8, 0), end=time(11, 30), label="Buổi sáng", note="Mang giấy mời"))
    db.session.commit()
    assert sequence() == start + 1
    hall = directory.save_venue(None, directory.VenueInput(name="Hội trường UBND tỉnh"))
    planning.update_class(organiser, cls, class_input(cls, venue_id=hall.id))
    db.session.commit()
    assert sequence() == start + 2
    assert str(events(Scope("class", cls.id))[uid]["LOCATION"]) == "Hội trường UBND tỉnh"
    planning.update_class(organiser, cls, class_input(cls, status="confirmed"))
    db.session.commit()
    assert sequence() == start + 3
    assert str(events(Scope("class", cls.id))[uid]["STATUS"]) == "CONFIRMED"
    sessions.set_session_cancelled(organiser, session, True)
    db.session.commit()
    assert sequence() == start + 4
    assert str(events(Scope("class", cls.id))[uid]["STATUS"]) == "CANCELLED"


def test_cancelled_class_stays_cancelled_for_30_days_then_leaves(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    planning.cancel_class(organiser, cls, "Trùng lịch họp HĐND")
    db.session.commit()
    found = events(Scope("class", cls.id))
    assert {str(e["STATUS"]) for e in found.values()} == {"CANCELLED"}
    later = utcnow() + timedelta(days=31)
    assert events(Scope("class", cls.id), now=later) == {}
    version = calendar_content.feed_version(Scope("class", cls.id), now=later)
    assert version.events == 0
    assert version.last_modified >= cls.cancelled_at.replace(microsecond=0) + timedelta(days=30)


def test_deleting_a_session_moves_last_modified(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    scope = Scope("class", cls.id)
    old = calendar_content.feed_version(scope)
    for session in cls.sessions:  # make every stamp old, so that only the deletion is recent
        session.updated_at = utcnow() - timedelta(days=5)
    for row in (cls, cls.venue, trainer):
        row.updated_at = utcnow() - timedelta(days=5)
    db.session.commit()
    stale = calendar_content.feed_version(scope)
    sessions.delete_session(organiser, cls.sessions[-1])
    db.session.commit()
    fresh = calendar_content.feed_version(scope)
    assert fresh.events == 3 and fresh.etag not in (old.etag, stale.etag)
    assert fresh.last_modified > stale.last_modified


def test_class_without_sessions_gives_an_empty_feed(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    for session in list(cls.sessions):
        sessions.delete_session(organiser, session)
    db.session.commit()
    assert events(Scope("class", cls.id)) == {}
    assert calendar_content.feed_version(Scope("class", cls.id)).events == 0


def test_version_is_stable_while_nothing_changes(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    scope = Scope("plan", plan.id)
    assert calendar_content.feed_version(scope) == calendar_content.feed_version(scope)
    directory.save_trainer(None, directory.TrainerInput(name="Đặng Ngọc Toàn", academic_title="PGS.TS"), trainer)
    db.session.commit()
    assert calendar_content.feed_version(scope).etag != calendar_content.feed_version(Scope("class", cls.id)).etag


def test_rotate_revokes_the_old_link_and_audits(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    first = calendar_feeds.rotate_feed(organiser, "class", cls.id)
    token = calendar_feeds.feed_token(first)
    assert read_token(FEED, token) == first.id
    second = calendar_feeds.rotate_feed(organiser, "class", cls.id)
    db.session.commit()
    assert first.is_revoked and not second.is_revoked
    assert calendar_feeds.current_feed("class", cls.id).id == second.id
    calendar_feeds.revoke_feed(organiser, "class", cls.id)
    db.session.commit()
    assert calendar_feeds.current_feed("class", cls.id) is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "CalendarFeed")).all()
    assert actions == ["calendar.feed.created", "calendar.feed.rotated", "calendar.feed.revoked"]


def test_subscribe_links_use_webcal_for_google():
    links = calendar_feeds.subscribe_links("https://bdg.example/cal/ABC.ics")
    assert links.webcal == "webcal://bdg.example/cal/ABC.ics"
    assert links.google == "https://calendar.google.com/calendar/render?cid=webcal://bdg.example/cal/ABC.ics"


def test_session_sequence_is_bumped_by_restore(world):
    plan, cls, organiser, enrolments, trainer, unit = world
    planning.cancel_class(organiser, cls, "Hoãn")
    planning.restore_class(organiser, cls)
    db.session.commit()
    assert all(s.sequence == 2 for s in db.session.scalars(select(ClassSession).where(ClassSession.class_id == cls.id)))

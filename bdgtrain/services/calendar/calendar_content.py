"""What a calendar feed holds: the sessions in its scope, their events, and the feed's version.

A feed's scope is a kind and a subject: a person (every class she is enrolled in), a class, a
plan, an organisation (the classes its people attend) or a trainer. Its *version* (ETag and
Last-Modified) comes from a few light queries over the stamps of what the feed shows, so that a
client that already has the feed gets its 304 without the feed being built. Last-Modified is the
latest change of anything shown, and of anything that left: a removed enrolment, a deleted
session (it touches its class), a cancelled event past its 30 days. A Last-Modified that misses
such a change would let If-Modified-Since answer 304 to a client holding an older feed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, not_, or_, select, type_coerce
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...links import external_url
from ...models import (
    ClassSession,
    Enrolment,
    Organisation,
    Person,
    Plan,
    Trainer,
    TrainingClass,
    Venue,
    class_trainers,
)
from ...models.base import UTCDateTime, utcnow
from ...rules import ical
from ..checkin.tickets import ticket_url
from ..lists.lists import ACTIVE_STATUSES

SUBJECTS = {"person": Person, "class": TrainingClass, "plan": Plan, "organisation": Organisation,
            "trainer": Trainer}


@dataclass(frozen=True)
class Scope:
    kind: str
    target_id: int


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    last_modified: datetime  # exact (with microseconds); HTTP gives it to the second
    events: int


def _class_ids(scope: Scope):
    """The classes a feed shows, as a subquery (None: one class or one plan, filtered directly)."""
    if scope.kind == "person":
        return select(Enrolment.class_id).where(Enrolment.person_id == scope.target_id,
                                                Enrolment.status.in_(ACTIVE_STATUSES))
    if scope.kind == "organisation":
        return (select(Enrolment.class_id).join(Person, Person.id == Enrolment.person_id)
                .where(Enrolment.status.in_(ACTIVE_STATUSES),
                       or_(Person.organisation_id == scope.target_id, Enrolment.body_org_id == scope.target_id)))
    if scope.kind == "trainer":
        return select(class_trainers.c.class_id).where(class_trainers.c.trainer_id == scope.target_id)
    return None


def _in_scope(query, scope: Scope):
    if scope.kind == "class":
        return query.where(TrainingClass.id == scope.target_id)
    if scope.kind == "plan":
        return query.where(TrainingClass.plan_id == scope.target_id)
    return query.where(TrainingClass.id.in_(_class_ids(scope)))


def _cancelled_at(session_status: str, session_changed: datetime, class_status: str,
                  class_cancelled_at: datetime | None) -> datetime | None:
    """When the event became CANCELLED (None while it stands)."""
    if class_status == "cancelled":
        return class_cancelled_at or session_changed
    return session_changed if session_status == "cancelled" else None


def _scope_stamps(scope: Scope) -> list[datetime | None]:
    """Changes that move events in or out of the scope without touching the events themselves."""
    subject = SUBJECTS[scope.kind]
    stamps = [db.session.scalar(select(subject.updated_at).where(subject.id == scope.target_id))]
    if scope.kind == "person":
        stamps.append(db.session.scalar(select(func.max(Enrolment.updated_at))
                                        .where(Enrolment.person_id == scope.target_id)))
    elif scope.kind == "organisation":
        stamps.append(db.session.scalar(
            select(func.max(Enrolment.updated_at)).join(Person, Person.id == Enrolment.person_id)
            .where(or_(Person.organisation_id == scope.target_id, Enrolment.body_org_id == scope.target_id))))
        stamps.append(db.session.scalar(select(func.max(Person.updated_at))
                                        .where(Person.organisation_id == scope.target_id)))
    return stamps


def feed_version(scope: Scope, now: datetime | None = None, salt: str = "") -> FeedVersion | None:
    """ETag and Last-Modified of a feed without building it; None when its subject is gone.

    One aggregate over the feed's sessions: any change to a session, its class or its venue sets
    that row's updated_at to now, the latest of all, so the maxima move; counts and sums of ids and
    sequences move when sessions join or leave. `salt` is whatever else shapes the bytes (the host
    the links point at)."""
    now = now or utcnow()
    stamps = _scope_stamps(scope)
    if stamps[0] is None:
        return None
    gone = type_coerce(case(
        (TrainingClass.status == "cancelled", func.coalesce(TrainingClass.cancelled_at, ClassSession.updated_at)),
        (ClassSession.status == "cancelled", ClassSession.updated_at), else_=None), UTCDateTime())
    cutoff = now - ical.CANCELLED_KEPT
    kept = or_(gone.is_(None), gone > cutoff)
    totals = db.session.execute(_in_scope(
        select(func.count(ClassSession.id).filter(kept), func.sum(ClassSession.id).filter(kept),
               func.sum(ClassSession.sequence).filter(kept),
               func.sum(case((ClassSession.status == "cancelled", ClassSession.id), else_=0)).filter(kept),
               type_coerce(func.max(ClassSession.updated_at).filter(kept), UTCDateTime()),
               type_coerce(func.max(TrainingClass.updated_at).filter(kept), UTCDateTime()),
               type_coerce(func.max(Venue.updated_at).filter(kept), UTCDateTime()),
               type_coerce(func.max(gone).filter(not_(kept)), UTCDateTime()))
        .select_from(ClassSession).join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .outerjoin(Venue, Venue.id == TrainingClass.venue_id), scope)).one()
    count, id_sum, sequence_sum, cancelled_sum, *changes, last_gone = totals
    trainers_changed = db.session.scalar(_in_scope(
        select(func.max(Trainer.updated_at)).join(class_trainers, class_trainers.c.trainer_id == Trainer.id)
        .join(TrainingClass, TrainingClass.id == class_trainers.c.class_id), scope))
    latest = [s for s in stamps + changes + [trainers_changed] if s is not None]
    if last_gone is not None:
        latest.append(last_gone + ical.CANCELLED_KEPT)  # the moment the last one left the feed
    etag = ical.version_tag([scope.kind, scope.target_id, salt, stamps, count, id_sum, sequence_sum,
                             cancelled_sum, changes, last_gone, trainers_changed])
    return FeedVersion(etag=etag, last_modified=max(latest), events=count)


# --- building ---------------------------------------------------------------------------------

def sessions_in_scope(scope: Scope, now: datetime | None = None) -> list[ClassSession]:
    """The sessions a feed shows, with what their events need loaded, cancelled ones for 30 days."""
    now = now or utcnow()
    query = _in_scope(
        select(ClassSession).join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .options(joinedload(ClassSession.training_class).options(
            joinedload(TrainingClass.plan), joinedload(TrainingClass.venue), selectinload(TrainingClass.trainers)))
        .order_by(ClassSession.starts_at, ClassSession.id), scope)
    sessions = []
    for session in db.session.scalars(query):
        cls = session.training_class
        gone = _cancelled_at(session.status, session.updated_at, cls.status, cls.cancelled_at)
        if ical.keeps_cancelled(gone, now):
            sessions.append(session)
    return sessions


def event_uid(session: ClassSession) -> str:
    """Never changes for a session: clients match updates and cancellations by it."""
    return f"session-{session.id}@{current_app.config['CALENDAR_UID_DOMAIN']}"


def location_of(cls: TrainingClass) -> str | None:
    if cls.venue is None:
        return None
    return ", ".join(part for part in (cls.venue.name, cls.venue.address) if part)


def changed_at(session: ClassSession) -> datetime:
    cls = session.training_class
    stamps = [session.updated_at, cls.updated_at] + ([cls.venue.updated_at] if cls.venue else [])
    return max(stamps)


def session_events(sessions: Sequence[ClassSession], tickets: dict[int, int] | None = None, *,
                   base_url: str) -> list[ical.EventData]:
    """One event per session, its links under `base_url`. `tickets` maps a class id to the enrolment
    whose ticket link to add."""
    labels = {"trainers": _("Giảng viên"), "content": _("Nội dung"), "page": _("Trang lớp học"),
              "ticket": _("Giấy mời và mã QR điểm danh của Anh/Chị"), "note": _("Ghi chú"),
              "cancelled": _("Lớp đã hủy"), "session_cancelled": _("Buổi học này đã bị hủy."),
              "closed": _("Buổi học này đã bị hủy vì lớp đã đóng")}
    per_class: dict[int, tuple[str, str | None, str]] = {}
    events = []
    for session in sessions:
        cls = session.training_class
        if cls.id not in per_class:
            page = external_url("plans.view_class", base_url, code=cls.plan.code, class_code=cls.code)
            lines = [f"{cls.code}: {cls.title}"]
            if cls.content:
                lines.append(f"{labels['content']}: {cls.content}")
            if cls.trainers:
                lines.append(f"{labels['trainers']}: {', '.join(t.display_name for t in cls.trainers)}")
            if cls.is_cancelled:
                lines.append(f"{labels['cancelled']}: {cls.cancel_reason or ''}".rstrip(": "))
            lines.append(f"{labels['page']}: {page}")
            if tickets and cls.id in tickets:
                lines.append(f"{labels['ticket']}: {ticket_url(tickets[cls.id], base_url)}")
            per_class[cls.id] = ("\n".join(lines), location_of(cls), page)
        description, location, page = per_class[cls.id]
        if session.status == "cancelled" and cls.is_closed and session.starts_at > cls.closed_at:
            description = f"{labels['closed']}: {cls.close_reason}\n{description}"
        elif session.status == "cancelled" and not cls.is_cancelled:
            description = f"{labels['session_cancelled']}\n{description}"
        if session.note:
            description = f"{description}\n{labels['note']}: {session.note}"
        events.append(ical.EventData(
            uid=event_uid(session), starts_at=session.starts_at, ends_at=session.ends_at,
            summary=f"{cls.code}: {cls.title} ({session.label})", status=ical.event_status(cls.status, session.status),
            sequence=session.sequence, changed_at=changed_at(session), location=location,
            description=description, url=page))
    return events


def person_tickets(person_id: int) -> dict[int, int]:
    """Her active enrolment in each class: the ticket each event of her feed links to."""
    return dict(db.session.execute(select(Enrolment.class_id, Enrolment.id).where(
        Enrolment.person_id == person_id, Enrolment.status.in_(ACTIVE_STATUSES))).all())


def feed_name(scope: Scope) -> str:
    subject = db.session.get(SUBJECTS[scope.kind], scope.target_id)
    if scope.kind == "person":
        return _("Lịch tập huấn của %(name)s", name=subject.full_name)
    if scope.kind == "class":
        return _("Lớp %(code)s: %(title)s", code=subject.code, title=subject.title)
    if scope.kind == "plan":
        return _("Kế hoạch %(code)s", code=subject.code)
    if scope.kind == "organisation":
        return _("Lịch tập huấn của %(name)s", name=subject.name)
    return _("Lịch giảng dạy của %(name)s", name=subject.display_name)


def refresh_interval() -> timedelta:
    return timedelta(minutes=current_app.config["CALENDAR_REFRESH_MINUTES"])


def build_feed(scope: Scope, now: datetime | None = None, *, base_url: str) -> bytes:
    """The feed's iCalendar bytes (METHOD:PUBLISH), its links under `base_url`."""
    tickets = person_tickets(scope.target_id) if scope.kind == "person" else None
    events = session_events(sessions_in_scope(scope, now), tickets, base_url=base_url)
    return ical.build_calendar(ical.CalendarData(name=feed_name(scope), refresh=refresh_interval(), events=events))

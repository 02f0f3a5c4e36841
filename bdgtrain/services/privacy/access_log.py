"""The access log of personal data: who viewed or exported whose data, written cheaply.

A view (or the API) calls `record_access` once for what it showed: a class's roster, sign-in
sheet, attendance grid or export is one entry scoped to the class with the number of people it
covered; a page or file about one person is one entry with her id; a page that names people no
class scopes (a unit's untrained women, a plan's no-shows, a search's results) is one entry naming
each of them (`people`). During a request the entries wait in `g` and the request boundary writes
them (`write_pending`: one INSERT for the entries naming nobody, two more for each that names
people), also for GET requests, which otherwise commit nothing; a refused request (4xx/5xx) writes
none. Outside a request (the CLI) the entry is added to the session and committed with the command.

"Who saw her data" (`accesses_about`) is her own entries, the entries naming her, and the entries of
classes she was enrolled in at that moment: a roster of 200 stays one row, and the question is
still answered.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, exists, insert, or_, select

from ... import database
from ...extensions import db
from ...localtime import LOCAL_TZ
from ...models import Enrolment, PersonalDataAccess, PersonalDataAccessPerson, Person, TrainingClass, User
from ...models.base import utcnow

_PENDING = "_personal_data_accesses"  # in `g`: (the entry's columns, the ids of the people it names)


def _actor_fields(actor: User | None) -> dict[str, Any]:
    if actor is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        actor = current_user
    if actor is None:
        return {"user_id": None, "actor_label": "cli" if not has_request_context() else "anonymous"}
    return {"user_id": actor.id, "actor_label": actor.email}


def record_access(action: str, *, actor: User | None = None, cls: TrainingClass | None = None,
                  person: Person | None = None, people: Iterable[int] = (), people_count: int | None = None,
                  detail: str | None = None) -> None:
    """Note that `actor` (default: the logged-in user) saw or exported personal data; `people`: the ids
    of the people a page names when no class scopes it, so that "who saw her data" finds it."""
    row = {"occurred_at": utcnow(), "action": action, **_actor_fields(actor),
           "class_id": cls.id if cls is not None else None, "person_id": person.id if person is not None else None,
           "scope_label": f"{cls.plan.code}/{cls.code}" if cls is not None else None,
           "people_count": people_count, "detail": (detail or None) and detail[:120]}
    named = sorted({p for p in people if p is not None})
    if has_request_context():
        g.setdefault(_PENDING, []).append((row, named))
        return
    entry = PersonalDataAccess(**row)
    db.session.add(entry)
    if named:
        db.session.flush()  # its id, for the rows naming people
        _name_people(entry.id, named)


def write_pending() -> bool:
    """Write this request's entries: the ones naming nobody in one INSERT, then each naming people with
    its people; True when there were any (the caller commits)."""
    rows = g.pop(_PENDING, None) if has_request_context() else None
    if not rows:
        return False
    database.take_write_lock(db.session)  # a read-first request (the API) must switch before writing
    plain = [row for row, named in rows if not named]
    if plain:
        db.session.execute(insert(PersonalDataAccess), plain)
    for row, named in rows:
        if named:
            access_id = db.session.execute(insert(PersonalDataAccess).values(**row)
                                           .returning(PersonalDataAccess.id)).scalar_one()
            _name_people(access_id, named)
    return True


def _name_people(access_id: int, people: list[int]) -> None:
    db.session.execute(insert(PersonalDataAccessPerson), [{"access_id": access_id, "person_id": p} for p in people])


def discard_pending() -> None:
    if has_request_context():
        g.pop(_PENDING, None)


def local_day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC instants of the start of `first` and the end of `last`, as local (Hà Nội) days."""
    start = datetime.combine(first, time(0), tzinfo=LOCAL_TZ) if first else None
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=LOCAL_TZ) if last else None
    return start, end


def search_query(*, person_id: int | None = None, user_id: int | None = None, first: date | None = None,
                 last: date | None = None):
    """The log, newest first, filtered; by person: her own entries and her classes' while she was in them."""
    query = select(PersonalDataAccess).order_by(PersonalDataAccess.occurred_at.desc(), PersonalDataAccess.id.desc())
    if person_id is not None:
        query = query.where(_about(person_id))
    if user_id is not None:
        query = query.where(PersonalDataAccess.user_id == user_id)
    start, end = local_day_bounds(first, last)
    if start is not None:
        query = query.where(PersonalDataAccess.occurred_at >= start)
    if end is not None:
        query = query.where(PersonalDataAccess.occurred_at < end)
    return query


def _about(person_id: int):
    enrolled = exists().where(Enrolment.class_id == PersonalDataAccess.class_id,
                              Enrolment.person_id == person_id,
                              Enrolment.created_at <= PersonalDataAccess.occurred_at)
    named = exists().where(PersonalDataAccessPerson.access_id == PersonalDataAccess.id,
                           PersonalDataAccessPerson.person_id == person_id)
    return or_(PersonalDataAccess.person_id == person_id,
               and_(PersonalDataAccess.person_id.is_(None), PersonalDataAccess.class_id.is_not(None), enrolled),
               named)


def accesses_about(person: Person) -> list[PersonalDataAccess]:
    return list(db.session.scalars(search_query(person_id=person.id)))

"""The access log of personal data: who viewed or exported whose data, written cheaply.

A view (or the API) calls `record_access` once for what it showed: a class's roster, sign-in
sheet, attendance grid or export is one entry scoped to the class with the number of people it
covered; a page or file about one person is one entry with her id; a page that names people no
class scopes (a unit's untrained women, a plan's no-shows, a search's results) is one entry naming
each of them (`people`). During a request the web layer keeps the entries (`access_entry`) until
the request boundary writes them (`write_entries`: one INSERT for the entries naming nobody, two
more for each that names people), also for GET requests, which otherwise commit nothing; a refused
request (4xx/5xx) writes none (bdgtrain/web/access_log.py). Elsewhere (the CLI) `record_access`
adds the entry to the session, committed with the command. The actor is always given: None is
written as `actor_label` ("cli" unless the caller says otherwise).

"Who saw her data" (`accesses_about`) is her own entries, the entries naming her, and the entries of
classes she was enrolled in at that moment: a roster of 200 stays one row, and the question is
still answered.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, insert, or_, select, text

from ... import database
from ...extensions import db
from ...localtime import LOCAL_TZ
from ...models import Enrolment, Person, PersonalDataAccess, PersonalDataAccessPerson, TrainingClass, User
from ...models.base import utcnow

# An entry: its columns, and the ids of the people it names (written to their own table).
AccessEntry = tuple[dict[str, Any], list[int]]


def access_entry(action: str, *, actor: User | None, actor_label: str = "cli", cls: TrainingClass | None = None,
                 person: Person | None = None, people: Iterable[int] = (), people_count: int | None = None,
                 detail: str | None = None) -> AccessEntry:
    """What `actor` saw or exported (None: written as `actor_label`); `people`: the ids of the people a
    page names when no class scopes it, so that "who saw her data" finds it."""
    who = {"user_id": actor.id, "actor_label": actor.email} if actor is not None else {
        "user_id": None, "actor_label": actor_label}
    row = {"occurred_at": utcnow(), "action": action, **who,
           "class_id": cls.id if cls is not None else None, "person_id": person.id if person is not None else None,
           "scope_label": f"{cls.plan.code}/{cls.code}" if cls is not None else None,
           "people_count": people_count, "detail": (detail or None) and detail[:120]}
    return row, sorted({p for p in people if p is not None})


def record_access(action: str, *, actor: User | None, **what: Any) -> None:
    """Add an entry to the session now (the CLI); it is committed with the command."""
    row, named = access_entry(action, actor=actor, **what)
    entry = PersonalDataAccess(**row)
    db.session.add(entry)
    if named:
        db.session.flush()  # its id, for the rows naming people
        _name_people(entry.id, named)


def write_entries(entries: list[AccessEntry]) -> bool:
    """Write a request's entries: the ones naming nobody in one INSERT, then each naming people with
    its people; True when there were any (the caller commits)."""
    if not entries:
        return False
    database.take_write_lock(db.session)  # a read-first request (the API) must switch before writing
    plain = [row for row, named in entries if not named]
    if plain:
        db.session.execute(insert(PersonalDataAccess), plain)
    for row, named in entries:
        if named:
            access_id = db.session.execute(insert(PersonalDataAccess).values(**row)
                                           .returning(PersonalDataAccess.id)).scalar_one()
            _name_people(access_id, named)
    return True


# The people an entry names, in one statement whatever their number: the ids travel as one value (an array
# on PostgreSQL, a JSON list on SQLite). Sent row by row, the 50 people of a page cost PostgreSQL 50
# messages, about 2 ms of a page of 15.
_NAME_PEOPLE = {
    "postgresql": "INSERT INTO access_log_people (access_id, person_id) "
                  "SELECT :access_id, person_id FROM unnest(CAST(:people AS INTEGER[])) AS named(person_id)",
    "sqlite": "INSERT INTO access_log_people (access_id, person_id) "
              "SELECT :access_id, CAST(value AS INTEGER) FROM json_each(:people)",
}


def _name_people(access_id: int, people: list[int]) -> None:
    dialect = db.session.get_bind().dialect.name
    ids = [int(p) for p in people]
    db.session.execute(text(_NAME_PEOPLE[dialect]),
                       {"access_id": access_id, "people": ids if dialect == "postgresql" else json.dumps(ids)})


def local_day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC instants of the start of `first` and the end of `last`, as local (Hà Nội) days."""
    start = datetime.combine(first, time(0), tzinfo=LOCAL_TZ) if first else None
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=LOCAL_TZ) if last else None
    return start, end


def search_query(*, person_id: int | None = None, user_id: int | None = None, first: date | None = None,
                 last: date | None = None, action: str = ""):
    """The log, newest first, filtered; by person: her own entries and her classes' while she was in them."""
    query = select(PersonalDataAccess).order_by(PersonalDataAccess.occurred_at.desc(), PersonalDataAccess.id.desc())
    if action:
        query = query.where(PersonalDataAccess.action == action)
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


def people_names(entries: Iterable[PersonalDataAccess]) -> dict[int, str]:
    """The names of the people a page of entries is about (its entries' `person_id`), in one query."""
    ids = sorted({entry.person_id for entry in entries if entry.person_id is not None})
    if not ids:
        return {}
    return {row.id: row.full_name for row in db.session.execute(select(Person.id, Person.full_name)
                                                                    .where(Person.id.in_(ids)))}


def accesses_about(person: Person) -> list[PersonalDataAccess]:
    return list(db.session.scalars(search_query(person_id=person.id)))

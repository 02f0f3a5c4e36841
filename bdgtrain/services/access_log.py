"""The access log of personal data: who viewed or exported whose data, written cheaply.

A view (or the API) calls `record_access` once for what it showed: a class's roster, sign-in
sheet, attendance grid or export is one entry scoped to the class with the number of people it
covered; a page or file about one person is one entry with her id. During a request the entries
wait in `g` and the request boundary writes them with one INSERT (`write_pending`), also for GET
requests, which otherwise commit nothing; a refused request (4xx/5xx) writes none. Outside a
request (the CLI) the entry is added to the session and committed with the command.

"Who saw her data" (`accesses_about`) is her own entries plus the entries of classes she was
enrolled in at that moment: a roster of 200 stays one row, and the question is still answered.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, exists, insert, or_, select

from .. import database
from ..extensions import db
from ..localtime import LOCAL_TZ
from ..models import Enrolment, PersonalDataAccess, Person, TrainingClass, User
from ..models.base import utcnow

_PENDING = "_personal_data_accesses"


def _actor_fields(actor: User | None) -> dict[str, Any]:
    if actor is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        actor = current_user
    if actor is None:
        return {"user_id": None, "actor_label": "cli" if not has_request_context() else "anonymous"}
    return {"user_id": actor.id, "actor_label": actor.email}


def record_access(action: str, *, actor: User | None = None, cls: TrainingClass | None = None,
                  person: Person | None = None, people_count: int | None = None,
                  detail: str | None = None) -> None:
    """Note that `actor` (default: the logged-in user) saw or exported personal data."""
    row = {"occurred_at": utcnow(), "action": action, **_actor_fields(actor),
           "class_id": cls.id if cls is not None else None, "person_id": person.id if person is not None else None,
           "scope_label": f"{cls.plan.code}/{cls.code}" if cls is not None else None,
           "people_count": people_count, "detail": (detail or None) and detail[:120]}
    if has_request_context():
        g.setdefault(_PENDING, []).append(row)
    else:
        db.session.add(PersonalDataAccess(**row))


def write_pending() -> bool:
    """Write this request's entries in one INSERT; True when there were any (the caller commits)."""
    rows = g.pop(_PENDING, None) if has_request_context() else None
    if not rows:
        return False
    database.take_write_lock(db.session)  # a read-first request (the API) must switch before writing
    db.session.execute(insert(PersonalDataAccess), rows)
    return True


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
    return or_(PersonalDataAccess.person_id == person_id,
               and_(PersonalDataAccess.person_id.is_(None), PersonalDataAccess.class_id.is_not(None), enrolled))


def accesses_about(person: Person) -> list[PersonalDataAccess]:
    return list(db.session.scalars(search_query(person_id=person.id)))

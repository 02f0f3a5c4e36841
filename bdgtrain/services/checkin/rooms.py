"""The room code (kiosk): the signed link to a class's hall, the code its projector shows, and a
participant's own phone checking in with that code and her ticket (or her phone number and birth year)."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Enrolment, Person, TrainingClass
from ...models.base import utcnow
from ...rules import checkin as table
from ...rules import tokens
from ...security import ROOM, read_token, sign_token
from .answers import CheckinResult
from .checkin import perform_checkin, refuse_scan


def room_token(cls: TrainingClass) -> str:
    return sign_token(ROOM, cls.id)


def class_for_room(room: str | None) -> TrainingClass | None:
    class_id = read_token(ROOM, room)
    return db.session.get(TrainingClass, class_id) if class_id is not None else None


def current_room_code(cls: TrainingClass, now: datetime) -> tuple[str, int]:
    """The code on the projector now and the seconds until it changes."""
    period = cls.room_code_seconds
    step = tokens.room_step(now, period)
    left = period - int(now.timestamp()) % period
    return tokens.room_code(_key(), cls.id, step), left


def room_code_is_fresh(cls: TrainingClass, code: str | None, scanned_at: datetime) -> bool:
    return tokens.room_code_is_fresh(_key(), cls.id, code, scanned_at, cls.room_code_seconds)


def _key() -> bytes:
    return current_app.config["SECRET_KEY"].encode()


def checkin_by_room_code(cls: TrainingClass, code: str | None, scanned_at: datetime, ticket: str | None, *,
                         received_at: datetime | None = None, device: str | None = None,
                         nonce: str | None = None) -> CheckinResult:
    """A participant's own phone: the room code proves she is in the hall, her ticket says who she is.

    `nonce` names the proof of one opening of the code (web.checkin): the scan is recorded under it, so
    the proof checks in one person; sent again for another ticket it is answered `conflict`."""
    received_at = received_at or utcnow()
    if not room_code_is_fresh(cls, code, min(scanned_at, received_at)):
        return refuse_scan(table.CODE_EXPIRED, class_id=cls.id, at=scanned_at, received_at=received_at,
                           source="kiosk", device=device, scanned_text=code)
    return perform_checkin(ticket, source="kiosk", scanner_class=cls, scanned_at=scanned_at,
                           received_at=received_at, device=device, nonce=nonce)


def find_by_phone_and_birth_year(cls: TrainingClass, phone: str, birth_year: int) -> Enrolment | None:
    """Who she is when she has no ticket link on her phone: her phone number and birth year, both exact."""
    return db.session.scalar(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id).where(
            Enrolment.class_id == cls.id, Person.phone == phone, Person.birth_year == birth_year))

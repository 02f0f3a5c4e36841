"""Personal-data protection: the log of who viewed or exported whose personal data.

One row per request that showed or exported personal data: a roster of 200 is one row whose scope
is the class (`class_id`, `people_count`); a page about one person is one row with `person_id`. A
page that names people outside any one class (a unit's untrained women, a plan's no-shows) is one
row too, with a row per person named beside it (PersonalDataAccessPerson). "Who saw her data" is
then her own rows, the rows naming her, and the rows of the classes she was enrolled in at the time
(services/privacy/access_log.py, docs/PRIVACY.md).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import UTCDateTime, utcnow


class PersonalDataAccess(db.Model):
    __tablename__ = "personal_data_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(255))  # e-mail or "cli"; survives a deleted account
    action: Mapped[str] = mapped_column(String(60), index=True)  # dotted: "roster.viewed", "person.exported"
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_classes.id", ondelete="SET NULL"),
                                                 index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    scope_label: Mapped[str | None] = mapped_column(String(255))  # "KH/LOP-3", kept if the class goes
    people_count: Mapped[int | None]  # how many people the page or file covered
    detail: Mapped[str | None] = mapped_column(String(120))  # e.g. the export's format

    user: Mapped[User | None] = relationship()


class PersonalDataAccessPerson(db.Model):
    """One person named by a logged page or file that no class scopes: a class's roster is found from
    her enrolment, but the untrained women of a unit's pool or a plan's no-shows can only be found so."""
    __tablename__ = "access_log_people"

    access_id: Mapped[int] = mapped_column(ForeignKey("personal_data_accesses.id", ondelete="CASCADE"),
                                           primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)

"""Trainers' result links: a signed link per trainer and class that shows her the class's feedback
results without an account; issuing a new one revokes the old, and every change is audited."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import FeedbackTrainerLink, Trainer, TrainingClass, User
from ...security import FEEDBACK_RESULTS, read_token, sign_token
from ..core import audit


def trainer_link_token(link: FeedbackTrainerLink) -> str:
    return sign_token(FEEDBACK_RESULTS, link.id)


def find_trainer_link(token: str | None) -> FeedbackTrainerLink | None:
    """The live link behind a token; None when unknown or revoked."""
    link_id = read_token(FEEDBACK_RESULTS, token)
    link = db.session.get(FeedbackTrainerLink, link_id) if link_id is not None else None
    return link if link is not None and link.revoked_at is None else None


def trainer_links(cls: TrainingClass) -> list[tuple[Trainer, FeedbackTrainerLink | None]]:
    live = {link.trainer_id: link for link in db.session.scalars(select(FeedbackTrainerLink).where(
        FeedbackTrainerLink.class_id == cls.id, FeedbackTrainerLink.revoked_at.is_(None)))}
    return [(trainer, live.get(trainer.id)) for trainer in cls.trainers]


def class_trainer(cls: TrainingClass, trainer_id: int) -> Trainer:
    """The class's trainer `trainer_id`; "not_found" (answered as any unknown id) when she does not teach it."""
    trainer = next((t for t in cls.trainers if t.id == trainer_id), None)
    if trainer is None:
        raise DomainError("not_found", _l("Giảng viên này không dạy lớp %(code)s.", code=cls.code))
    return trainer


def issue_trainer_link(actor: User | None, cls: TrainingClass, trainer_id: int, now: datetime) -> FeedbackTrainerLink:
    """A new link for one of the class's trainers; her previous link stops working."""
    trainer = class_trainer(cls, trainer_id)
    _revoke_live(cls, trainer.id, now)
    link = FeedbackTrainerLink(class_id=cls.id, trainer_id=trainer.id, created_at=now)
    db.session.add(link)
    db.session.flush()
    audit.record(actor, "feedback.trainer_link.issued", link, after={"class": cls.code, "trainer": trainer.name})
    return link


def revoke_trainer_link(actor: User | None, cls: TrainingClass, trainer_id: int, now: datetime) -> int:
    trainer = class_trainer(cls, trainer_id)
    revoked = _revoke_live(cls, trainer.id, now)
    for link in revoked:
        audit.record(actor, "feedback.trainer_link.revoked", link, after={"class": cls.code, "trainer": trainer.name})
    return len(revoked)


def _revoke_live(cls: TrainingClass, trainer_id: int, now: datetime) -> list[FeedbackTrainerLink]:
    links = list(db.session.scalars(select(FeedbackTrainerLink).where(
        FeedbackTrainerLink.class_id == cls.id, FeedbackTrainerLink.trainer_id == trainer_id,
        FeedbackTrainerLink.revoked_at.is_(None))))
    for link in links:
        link.revoked_at = now
    db.session.flush()
    return links

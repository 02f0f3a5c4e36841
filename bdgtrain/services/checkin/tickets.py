"""Personal tickets: the signed link on each enrolment's invitation card and QR code."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...links import external_url
from ...models import Enrolment, TrainingClass
from ...security import TICKET, read_token, ticket_token, token_signer
from ..core.qr import compact_url

# An enrolment whose person was replaced or who declined keeps her card, but it no longer admits her.
REVOKED_STATUSES = ("declined", "replaced", "waiting")  # "waiting": no seat (issue 21)


def ticket_url(enrolment: Enrolment | int, base_url: str) -> str:
    """The absolute URL a ticket's QR code carries: opening it shows the participant her card."""
    enrolment_id = enrolment if isinstance(enrolment, int) else enrolment.id
    return compact_url(external_url("checkin.ticket", base_url, token=ticket_token(enrolment_id)))


def ticket_urls(enrolment_ids: list[int], base_url: str) -> list[str]:
    """ticket_url of each id, the address before the token worked out and compacted once, and the signing key
    read once: a batch of 100 cards did both 100 times. Exact, since a token (24 characters, A-Z and 2-7) needs
    no quoting in a path and takes no part in compact_url's choice (it is upper-case and alphanumeric)."""
    placeholder = ticket_token(1)
    stem = compact_url(external_url("checkin.ticket", base_url, token=placeholder))
    if not stem.endswith(placeholder):
        raise ValueError("the ticket's rule does not end with its token")
    stem = stem[:-len(placeholder)]
    sign = token_signer(TICKET)
    return [stem + sign(enrolment_id) for enrolment_id in enrolment_ids]


def find_ticket(text: str | None) -> Enrolment | None:
    """The enrolment behind a scanned ticket (token or URL), with its person and class; None if unknown."""
    enrolment_id = read_token(TICKET, text)
    if enrolment_id is None:
        return None
    return db.session.scalar(
        select(Enrolment).where(Enrolment.id == enrolment_id).options(
            joinedload(Enrolment.person),
            joinedload(Enrolment.training_class).options(
                joinedload(TrainingClass.plan), joinedload(TrainingClass.venue),
                selectinload(TrainingClass.sessions), selectinload(TrainingClass.trainers))))


def is_revoked(enrolment: Enrolment) -> bool:
    return enrolment.status in REVOKED_STATUSES

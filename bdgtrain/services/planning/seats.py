"""The organiser's seat decisions that may free a seat, and the offer of freed seats to the waiting list.

A seat frees when someone declines or is replaced, or when the capacity grows; the waiting list is then
promoted in nomination order (lists.seats.promote_waiting) and, when the class's invitations were
already sent, each promoted person is sent hers (calendar.invitations.invite_promoted). The roster's
and the class form's views call these, so that no path frees a seat without offering it.
"""
from __future__ import annotations

from ...models import Enrolment, TrainingClass, User
from ..calendar import invitations
from ..lists import roster_decisions, seats


def offer_open_seats(actor: User | None, cls: TrainingClass) -> list[Enrolment]:
    """Promote the waiting list into the free seats; invite the promoted if invitations went out."""
    promoted = seats.promote_waiting(actor, cls)
    if promoted:
        invitations.invite_promoted(actor, cls, promoted)
    return promoted


def change_enrolment(actor: User | None, enrolment: Enrolment, action: str, note: str | None = None,
                     replacement: Enrolment | None = None) -> list[Enrolment]:
    """The roster's "Thay đổi": a new status, or a replacement; answers who was promoted in consequence."""
    if action == "replaced":
        roster_decisions.replace_enrolment(actor, enrolment, replacement, note)
    else:
        roster_decisions.set_enrolment_status(actor, enrolment, action, note)
    return offer_open_seats(actor, enrolment.training_class)

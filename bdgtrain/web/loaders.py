"""A view's first two beats: load what the URL names (404 through the service's `DomainError("not_found")`)
and authorise it with a named permission (403, or the login page for anonymous users).

Every blueprint loads plans, classes, units, trainers and tickets through these functions, so that the
order of the two beats, and therefore who gets 404 and who gets 403, is the same on every page.
"""
from __future__ import annotations

from flask import Response, abort, render_template

from ..models import Enrolment, Organisation, Plan, Trainer, TrainingClass
from ..security import PlanUnit, authorise
from ..services.checkin import tickets
from ..services.planning import directory, lookups, orgs


def load_plan(code: str, permission: str, *, with_units: bool = False) -> Plan:
    """The plan named in the URL, authorised with `permission` (with_units: see lookups.get_plan)."""
    plan = lookups.get_plan(code, with_units=with_units)
    authorise(permission, plan)
    return plan


def find_class(code: str, class_code: str) -> tuple[Plan, TrainingClass]:
    """The plan and class named in the URL, not authorised: for the JSON API, whose caller may be a bearer
    token rather than the browser's login, and which answers a refusal in JSON (web/api/views.py)."""
    return lookups.get_plan_and_class(code, class_code)


def load_class(code: str, class_code: str, permission: str) -> tuple[Plan, TrainingClass]:
    """The plan and class named in the URL, the class authorised with `permission` (a supplier may see
    a class of a plan without seeing its other classes)."""
    plan, cls = find_class(code, class_code)
    authorise(permission, cls)
    return plan, cls


UNIT_PERMISSIONS = {"report.view": "report.unit_view", "report.manage": "report.unit_manage"}


def load_plan_unit(code: str, org_code: str, permission: str) -> tuple[Plan, Organisation]:
    """A plan's page about one unit (its training rate, its untrained women, its headcounts): the plan
    authorised with `permission`, then the unit with its unit counterpart (security.PlanUnit): a unit
    of the plan's province, or one whose pool the user may read (issue 20)."""
    plan = load_plan(code, permission)
    unit = orgs.get_org(org_code)
    authorise(UNIT_PERMISSIONS[permission], PlanUnit(plan, unit))
    return plan, unit


def load_org(code: str, permission: str | None = None) -> Organisation:
    """The unit named in the URL, authorised with `permission`. None when the route's `require` has
    already decided with a permission that does not depend on the unit (the admin's organisation
    pages): that refusal comes first, so they tell nobody else which codes exist."""
    org = orgs.get_org(code)
    if permission is not None:
        authorise(permission, org)
    return org


def load_trainer(trainer_id: int, permission: str) -> Trainer:
    """The trainer named in the URL, authorised with `permission`."""
    trainer = directory.get_trainer(trainer_id)
    authorise(permission, trainer)
    return trainer


def load_ticket(token: str) -> Enrolment:
    """The enrolment behind a participant's ticket link; for a token that is not one, a 404 that tells
    her what to do (issue 21: the error page's link to the dashboard sent her to the login page). The
    token is her credential, so there is no permission to check."""
    enrolment = tickets.find_ticket(token)
    if enrolment is None:
        ticket_not_found()
    return enrolment


def ticket_not_found():
    """Stop with the participant's own 404 page (templates/errors/ticket_not_found.html)."""
    abort(Response(render_template("errors/ticket_not_found.html"), 404,
                   headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}))

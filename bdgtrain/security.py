"""Named permissions: the one module that decides who may do what.

A view loads its object, then calls `authorise("plan.edit", plan)`; templates ask
`can("plan.edit", plan)`. Each permission is a small predicate over (user, object), so the
role × route matrix test can reason about them and a reader finds every rule here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import exists, select

from .extensions import db, login_manager
from .models import ListImport, Organisation, Plan, TrainingClass, User
from .models.planning import class_suppliers
from .rules import tokens


@dataclass(frozen=True)
class PlanRef:
    """A plan known only by its organiser: enough for the organiser's permissions."""
    id: int
    organiser_org_id: int


@dataclass(frozen=True)
class ClassRef:
    """A class read as plain columns (the check-in hot path) instead of loaded with its plan.

    It answers the permissions that depend on the plan's organiser alone (`checkin.run`, the
    `plan.edit` family); it does not know monitors or suppliers, so ask those with the model.
    """
    id: int
    plan: PlanRef


@dataclass(frozen=True)
class PlanUnit:
    """One unit as a plan's reports show it (its untrained women, its headcounts, its trend)."""
    plan: Plan
    unit: Organisation


def _org_id(user: User) -> int | None:
    return user.organisation_id


def _organises(user: User, plan: Plan | None) -> bool:
    return plan is not None and user.role == "organiser" and plan.organiser_org_id == _org_id(user)


def _monitors(user: User, plan: Plan | None) -> bool:
    return (plan is not None and user.role == "monitor"
            and any(org.id == _org_id(user) for org in plan.monitor_orgs))


def _supplies_class(user: User, training_class: TrainingClass | None) -> bool:
    return (training_class is not None and user.role == "supplier"
            and any(org.id == _org_id(user) for org in training_class.supplier_orgs))


def reads_class_suppliers(user: User) -> bool:
    """Whether checking a class's permissions for `user` may read its supplier_orgs (a supplier's account
    only: _supplies_class asks the role first): what a list of many classes loads with them, or not."""
    return user.role == "supplier"


def _supplies_plan(user: User, plan: Plan | None) -> bool:
    if plan is None or user.role != "supplier":
        return False
    if plan.id is None:  # not written yet: nothing to ask the database
        return any(_supplies_class(user, c) for c in plan.classes)
    # One statement, not each class's suppliers in turn (a province plan has hundreds of classes).
    return bool(db.session.scalar(select(exists().where(
        class_suppliers.c.organisation_id == _org_id(user), class_suppliers.c.class_id == TrainingClass.id,
        TrainingClass.plan_id == plan.id))))


def _plan_of(obj: Any) -> Plan | None:
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, (TrainingClass, ClassRef)):
        return obj.plan
    if isinstance(obj, ListImport):
        return obj.training_class.plan
    return None


def _class_of(obj: Any) -> TrainingClass | None:
    if isinstance(obj, ListImport):
        return obj.training_class
    return obj if isinstance(obj, TrainingClass) else None


def _any_role(*roles: str) -> Callable[[User, Any], bool]:
    return lambda user, obj: user.role in roles


def _can_view_plan(user: User, obj: Any) -> bool:
    plan = _plan_of(obj)
    return _organises(user, plan) or _monitors(user, plan) or _supplies_plan(user, plan)


def _can_view_class(user: User, obj: Any) -> bool:
    plan = _plan_of(obj)
    return _organises(user, plan) or _monitors(user, plan) or _supplies_class(user, _class_of(obj))


def _can_manage_plan(user: User, obj: Any) -> bool:
    return _organises(user, _plan_of(obj))


def _can_read_attendance(user: User, obj: Any) -> bool:
    plan = _plan_of(obj)
    return _organises(user, plan) or _monitors(user, plan)


def _can_upload_list(user: User, obj: Any) -> bool:
    return _organises(user, _plan_of(obj)) or _supplies_class(user, _class_of(obj))


def _can_view_import(user: User, obj: Any) -> bool:
    """The agency that uploaded it, and the plan's organiser."""
    if not isinstance(obj, ListImport):
        return False
    own_upload = user.role == "supplier" and obj.source_org_id == _org_id(user)
    return own_upload or _organises(user, _plan_of(obj))


def _can_view_calendar(user: User, obj: Any) -> bool:
    return _can_view_plan(user, obj) if isinstance(obj, Plan) else _can_view_class(user, obj)


def _can_manage_org_calendar(user: User, obj: Any) -> bool:
    """Organisers, who run the training, and the unit's own accounts (its HR office)."""
    return user.role == "organiser" or (isinstance(obj, Organisation) and obj.id == _org_id(user))


def _line_up(org: Organisation | None) -> list[Organisation]:
    """`org` and the units above it, nearest first (a guard against a loop in hand-edited data)."""
    line: list[Organisation] = []
    while org is not None and org not in line and len(line) < 50:
        line.append(org)
        org = org.parent
    return line


def _own_or_above(user: User, unit: Organisation) -> bool:
    """The unit's own accounts: their organisation is the unit or a unit above it."""
    return _org_id(user) is not None and any(o.id == _org_id(user) for o in _line_up(unit))


def _same_top(user: User, unit: Organisation) -> bool:
    """The user's organisation and the unit hang from the same top unit (the same province)."""
    mine = _line_up(user.organisation) if user.organisation_id else []
    return bool(mine) and mine[-1].id == _line_up(unit)[-1].id


def _can_keep_documents(user: User, obj: Any) -> bool:
    """A unit's document defaults: organisers of its province, who write its reports and certificates."""
    return isinstance(obj, Organisation) and user.role == "organiser" and _same_top(user, obj)


def _can_manage_pool(user: User, obj: Any) -> bool:
    """A unit's planning pool: organisers of its province, and the unit's own accounts (not monitors)."""
    if not isinstance(obj, Organisation):
        return False
    if user.role == "organiser" and _same_top(user, obj):
        return True
    return user.role in ("organiser", "supplier") and _own_or_above(user, obj)


def _can_view_pool(user: User, obj: Any) -> bool:
    """As `pool.manage`, and monitors of the unit's province or of the unit itself, who only read."""
    if _can_manage_pool(user, obj):
        return True
    return (isinstance(obj, Organisation) and user.role == "monitor"
            and (_same_top(user, obj) or _own_or_above(user, obj)))


def _unit_in_plan_reach(user: User, obj: Any) -> bool:
    """A unit on a plan's report pages (issue 20): one of the plan's province (the top unit its organiser
    hangs from), or one whose pool the user may read anyway. An organiser of another province's plan —
    her own, made for the purpose — reads no unit of this one."""
    if not isinstance(obj, PlanUnit):
        return False
    plan_top = _line_up(obj.plan.organiser_org)[-1] if obj.plan.organiser_org else None
    in_plan_province = plan_top is not None and _line_up(obj.unit)[-1].id == plan_top.id
    return in_plan_province or _can_view_pool(user, obj.unit)


def _can_read_plan_unit(user: User, obj: Any) -> bool:
    return isinstance(obj, PlanUnit) and _can_read_attendance(user, obj.plan) and _unit_in_plan_reach(user, obj)


def _can_manage_plan_unit(user: User, obj: Any) -> bool:
    return isinstance(obj, PlanUnit) and _can_manage_plan(user, obj.plan) and _unit_in_plan_reach(user, obj)


# Admin may do everything; these predicates decide for the other roles.
PERMISSIONS: dict[str, Callable[[User, Any], bool]] = {
    "plan.list": _any_role("organiser", "supplier", "monitor"),
    "plan.create": _any_role("organiser"),
    "plan.view": _can_view_plan,
    "plan.edit": _can_manage_plan,
    "class.view": _can_view_class,
    "class.create": _can_manage_plan,
    "class.edit": _can_manage_plan,
    "class.cancel": _can_manage_plan,
    "class.close": _can_manage_plan,  # cancel the sessions still to come of a class held in part
    "class.delete": _can_manage_plan,
    "list.upload": _can_upload_list,
    "list.view_import": _can_view_import,
    "roster.view": _can_view_class,  # a supplier sees only the people her agency nominated
    "roster.manage": _can_manage_plan,
    # The duplicates page; each pair only when both people are within the organiser's reach
    # (services.lists.reach.people_in_reach: her plans' nominees, her province's people).
    "person.merge": _any_role("organiser"),
    "checkin.run": _can_manage_plan,  # cards, scanner, kiosk, marks, the failed-scan log
    "checkin.view": _can_read_attendance,  # the attendance grid and the live view
    "calendar.view": _can_view_calendar,  # a plan's or class's calendar page, its feed link, its .ics
    "calendar.manage": _can_manage_plan,  # rotate or revoke plan and class feeds, public or token
    "calendar.invite": _can_manage_plan,  # send invitations by e-mail, read who was sent what
    "calendar.org": _can_manage_org_calendar,  # a unit's feed, for its HR office
    "calendar.trainer": _any_role("organiser"),  # a trainer's feed (trainers have no account)
    # Training-rate reports of a plan (they name people of the planning pool): its organiser and monitors.
    "report.view": _can_read_attendance,
    "report.manage": _can_manage_plan,  # targets, generating periodic reports, nominating from the pool
    # One unit of a plan's reports (a PlanUnit): the plan's, as above, and a unit of the plan's province or
    # of a pool the user may read; never another province's units through a plan of one's own (issue 20).
    "report.unit_view": _can_read_plan_unit,
    "report.unit_manage": _can_manage_plan_unit,
    "feedback.view": _can_read_attendance,  # a class's or plan's feedback results and their .xlsx
    "feedback.manage": _can_manage_plan,  # the plan's questions and quiz, trainers' result links
    "org.view": _any_role("organiser", "monitor"),
    "org.manage": _any_role(),
    "org.documents": _can_keep_documents,  # the unit's documents' header, place, signer and recipients
    "directory.view": _any_role("organiser", "monitor"),
    "directory.manage": _any_role("organiser"),
    "user.manage": _any_role(),
    "audit.view": _any_role(),
    # Monitoring (issue 7): read-only pages; a supplier reads compliance for her own agency's rows only.
    "monitor.dashboard": _any_role("organiser", "monitor"),  # the list of plans to monitor
    "monitor.view": _can_read_attendance,  # a plan's dashboard and its summary report
    "compliance.view": _can_view_plan,
    "certificate.view": _can_read_attendance,
    "certificate.manage": _can_manage_plan,  # issue, revoke, re-issue
    "privacy.manage": _any_role(),  # the access log, a person's data, its export and erasure
    # A unit's planning pool, kept through the years (issue 18): it names people, so neither other
    # provinces nor agencies that merely supply classes see it.
    "pool.list": _any_role("organiser", "monitor"),  # the menu entry; the page lists the units one may read
    "pool.view": _can_view_pool,
    "pool.manage": _can_manage_pool,  # add, leave, rejoin, carry, import a cycle's list
    # Training outside the system (issue 18), per person of the registry: organisers keep it, as they keep the
    # registry (person.merge, directory.manage), which no unit or plan scopes; monitors read it; suppliers never.
    "training_records.view": _any_role("organiser", "monitor"),
    "training_records.manage": _any_role("organiser"),
}


def can(permission: str, obj: Any = None, user: User | None = None) -> bool:
    """Whether `user` (default: the logged-in user; templates and views) holds `permission` on `obj`."""
    # The user behind the proxy, once: each attribute read through it finds the request's user again.
    return user_can(user if user is not None else current_user._get_current_object(), permission, obj)


def user_can(user: User, permission: str, obj: Any = None) -> bool:
    """Whether `user` holds `permission` on `obj`; services call this one, which never reads the request."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == "admin":
        return True
    return PERMISSIONS[permission](user, obj)


def authorise(permission: str, obj: Any = None) -> None:
    """Send anonymous users to the login page; abort with 403 unless the user holds `permission`."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can(permission, obj):
        abort(403)


def require(permission: str):
    """Decorator for views whose permission does not depend on an object."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            authorise(permission)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- Signed tokens ----------------------------------------------------------------------------
# Purposes keep one kind of token from being accepted as another.
TICKET = "ticket"
ROOM = "room"
FEED = "feed"  # a calendar subscription: the id of a CalendarFeed row
FEEDBACK_FORM = "feedback-form"  # a class's feedback form, the QR on the kiosk: the class id
FEEDBACK_RESULTS = "feedback-results"  # a trainer's results link: the id of a FeedbackTrainerLink row
CERTIFICATE = "certificate"  # the verification link printed on a certificate


def _token_key() -> bytes:
    return current_app.config["SECRET_KEY"].encode()


def sign_token(purpose: str, record_id: int) -> str:
    return tokens.sign(_token_key(), purpose, record_id)


def token_signer(purpose: str) -> Callable[[int], str]:
    """sign_token for a whole batch of ids (a print batch's papers): the key read once."""
    key = _token_key()
    return lambda record_id: tokens.sign(key, purpose, record_id)


def read_token(purpose: str, text: str | None) -> int | None:
    """The id behind a scanned token or a URL ending in one; None when it is not one we signed."""
    return tokens.read(_token_key(), purpose, tokens.token_in(text))


def ticket_token(enrolment_id: int) -> str:
    """The personal ticket of an enrolment: what its QR code and invitation card carry."""
    return sign_token(TICKET, enrolment_id)

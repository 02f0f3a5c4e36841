"""Building test data through the services, so tests start from states the app can reach."""
from __future__ import annotations

from bdgtrain.extensions import db
from bdgtrain.models import Organisation, User
from bdgtrain.services import accounts, planning
from bdgtrain.services.orgs import OrgInput, create_org

PASSWORD = "mat-khau-thu-nghiem"


def org(code: str, name: str | None = None, kind: str = "department", parent: Organisation | None = None,
        **extra) -> Organisation:
    return create_org(None, OrgInput(code=code, name=name or code, kind=kind,
                                     parent_id=parent.id if parent else None, **extra))


def user(email: str, role: str, organisation: Organisation | None = None) -> User:
    return accounts.create_user(None, accounts.UserInput(
        email=email, role=role, organisation_id=organisation.id if organisation else None), PASSWORD)


def plan(organiser: Organisation, code: str = "KH-1", **extra):
    data = dict(code=code, number="01/KH-TEST", title="Kế hoạch thử nghiệm", organiser_org_id=organiser.id)
    data.update(extra)
    return planning.create_plan(None, planning.PlanInput(**data))


def training_class(plan_, code: str = "LOP-A", date_expression: str = "11-12/7/2019", **extra):
    data = dict(code=code, title=f"Lớp {code}", date_expression=date_expression)
    data.update(extra)
    return planning.create_class(None, plan_, planning.ClassInput(**data))


def commit():
    db.session.commit()

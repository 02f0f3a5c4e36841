"""Building test data through the services, so tests start from states the app can reach."""
from __future__ import annotations

from bdgtrain.extensions import db
from bdgtrain.models import Organisation, User
from bdgtrain.services.accounts import accounts
from bdgtrain.services.planning import planning
from bdgtrain.services.planning.orgs import OrgInput, create_org

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


def class_open_now(plan_, code: str = "LOP-QR", *, people: int = 3, started_minutes_ago: int = 5,
                   sessions: int = 1, **extra):
    """A class whose first session started `started_minutes_ago` (check-in open), with `people` enrolled.

    Returns (class, [enrolments]); later sessions follow a day apart. Built through the models
    for the sessions' times, since date expressions cannot say "now".
    """
    from datetime import timedelta

    from bdgtrain.localtime import to_local
    from bdgtrain.models import ClassSession, Enrolment, Person
    from bdgtrain.models.base import utcnow
    from bdgtrain.rules.names import fold, sort_key

    start = utcnow().replace(microsecond=0) - timedelta(minutes=started_minutes_ago)
    cls = training_class(plan_, code, date_expression=f"{to_local(start):%d/%m/%Y}", **extra)
    for generated in list(cls.sessions):  # the default morning/afternoon: replaced by sessions around now
        cls.sessions.remove(generated)
    db.session.flush()
    for n in range(sessions):
        db.session.add(ClassSession(class_id=cls.id, label=f"Buổi {n + 1}", starts_at=start + timedelta(days=n),
                                    ends_at=start + timedelta(days=n, hours=4)))
    enrolments = []
    for i in range(people):
        name = f"Nguyễn Thị Hoa {code} {i:03d}"
        person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name),
                        unit_name="UBND xã Cẩm Bình", unit_folded=fold("UBND xã Cẩm Bình"),
                        phone=f"09{abs(hash(code)) % 1000:03d}{i:05d}", birth_year=1980, sex="F")
        db.session.add(person)
        db.session.flush()
        enrolment = Enrolment(class_id=cls.id, person_id=person.id, status="confirmed")
        db.session.add(enrolment)
        enrolments.append(enrolment)
    db.session.flush()
    db.session.refresh(cls)
    return cls, enrolments

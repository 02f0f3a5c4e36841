"""What the security tests share: the access matrix's world (the demo plan, a stranger organisation,
one account per role) plus a plan of the stranger's own, and helpers that walk `app.url_map`.

The tests built on this walk every route the app has, so that a route added later is covered
without anyone listing it; a route whose URL arguments the world cannot fill fails them until
someone adds a value to `ids` below.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bdgtrain.extensions import db
from tests import factories as make
from tests.conftest import Browserless
from tests.web.test_access_matrix import EXPECTED, ROLES, world  # noqa: F401  (world is a fixture)

OTHER_ROLES = ("supplier_other", "monitor_other", "organiser_other")  # refused first, the organiser last
IGNORED_METHODS = {"HEAD", "OPTIONS"}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def rules(app):
    """Every rule but static files and aliases (an alias answers 308 to its canonical rule, which is
    tested), sorted so that parametrised ids are stable."""
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.alias),
                  key=lambda r: (r.endpoint, r.rule))


def path_arguments(rule) -> set[str]:
    """The variables in the rule's path (not the defaults a sibling rule passes, e.g. trainer_id=None)."""
    return set(rule.arguments) - set(rule.defaults or {})


def methods(rule) -> list[str]:
    """GET before the writes: a test that lets a write through must not have lost its object first."""
    return sorted(rule.methods - IGNORED_METHODS, key=lambda m: (m != "GET", m))


def build(rule, ids: dict) -> str:
    """The rule's own path with the world's ids (url_for would pick a sibling rule of the endpoint)."""
    missing = path_arguments(rule) - set(ids)
    if missing:
        pytest.fail(f"{rule.endpoint} ({rule.rule}) takes {sorted(missing)}, which the security world does not "
                    f"know: add a value to tests/web/security_support.py so that the route is tested", pytrace=False)
    values = {name: ids[name] for name in path_arguments(rule)}
    if rule.endpoint.startswith("orgs.") and "code" in values:
        values["code"] = ids["org_code"]
    if rule.endpoint == "calendar.feed":
        values["token"] = ids["feed_token"]
    if rule.endpoint == "privacy.export_person":
        values["kind"] = "json"
    return rule.build(values, append_unknown=False)[1]


def send(client, method: str, url: str, role: str, ids: dict):
    """One request as a form or a scanner would send it, with a valid CSRF token for writes."""
    web = Browserless(client)
    token_page = "/login" if role == "anonymous" else "/"
    if method == "GET":
        return client.get(url)
    token = web.csrf(token_page)
    if url.startswith("/api/"):
        return client.open(url, method=method,
                           json={"token": "x", "scans": [], "class": f"{ids['code']}/{ids['class_code']}"},
                           headers={"X-CSRFToken": token})
    return client.open(url, method=method, data={"csrf_token": token})


def logged_in_client(app, accounts: dict, role: str):
    client = app.test_client()
    if role != "anonymous":
        response = Browserless(client).login(accounts[role])
        assert response.status_code == 302, f"{role} could not log in"
    return client


def outcome(response) -> str:
    if response.status_code in (302, 303) and "/login?next=" in response.headers.get("Location", ""):
        return "login"
    if response.status_code == 401:
        return "login"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 404:
        return "not_found"
    assert response.status_code < 500, response.status_code
    return "allowed"


@pytest.fixture
def security_world(app, world):
    """The access matrix's world, and a plan with a class and a session of the stranger (SYT), whose
    organiser is `organiser_other`: the plan someone would put in a URL to reach the demo's objects."""
    from bdgtrain.models import ClassSession, Organisation

    accounts, ids = world
    stranger = db.session.scalar(select(Organisation).where(Organisation.code == "SYT"))
    own_plan = make.plan(stranger, code="KH-SYT")
    own_class = make.training_class(own_plan, code="LOP-SYT")
    db.session.flush()
    own_session = db.session.scalars(select(ClassSession.id).where(ClassSession.class_id == own_class.id)).first()
    make.commit()
    ids = dict(ids, own_plan=own_plan.code, own_class=own_class.code, own_session_id=own_session)
    return accounts, ids


_COLLECTION_APP = None


def collection_rules():
    """The url_map's rules at collection time (to parametrise over), from an app that touches no database."""
    global _COLLECTION_APP
    if _COLLECTION_APP is None:
        from bdgtrain import create_app

        _COLLECTION_APP = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://",
                                                           "RATELIMIT_STORAGE_URI": "memory://"})
    return rules(_COLLECTION_APP)


def rule_id(rule) -> str:
    return f"{rule.endpoint}:{rule.rule}"


def find_rule(app, rule_text: str, endpoint: str):
    """The test app's rule matching a collected one."""
    return next(r for r in app.url_map.iter_rules() if r.rule == rule_text and r.endpoint == endpoint)

"""IDOR: every id-bearing URL, with every method, refused to the users of another organisation.

Walks `app.url_map`, so routes added later are covered: each route's path arguments are filled
from the demo plan's objects (tests/web/security_support.py), and the users of a stranger
organisation (organiser_other, supplier_other, monitor_other) must be refused for GET and for
every write, not only for the one method the access matrix tries. A route that lets them in must
be listed in SHARED with the reason; a route with an argument the world cannot fill fails.
"""
from __future__ import annotations

import pytest

from tests.web.security_support import (  # noqa: F401  (fixtures, taken by name)
    EXPECTED,
    OTHER_ROLES,
    build,
    collection_rules,
    find_rule,
    logged_in_client,
    methods,
    outcome,
    path_arguments,
    rule_id,
    security_world,
    send,
    world,
)
from tests.web.test_access_matrix import HIDDEN

# Path arguments that are credentials (a signed token, a room's rotating code) rather than ids:
# those routes are open to whoever holds the token, and test_token_routes_refuse_a_forged_token
# checks that nothing else opens them.
CREDENTIALS = {"token", "room", "room_code", "certificate_token", "form_token", "link_token"}
# Path arguments that name no object (a file shape, an image kind, a decision).
NOT_IDS = {"shape", "kind", "decision"}

# Id-bearing routes that other organisations' users may use, by design, and why.
SHARED = {
    "calendar.public_plan_feed": "a plan its organiser made public; a private plan's code answers 404",
    "calendar.public_class_feed": "a class of a plan its organiser made public",
    "calendar.org_calendar": "every organiser schedules for every unit of the province",
    "calendar.manage_org_feed": "every organiser schedules for every unit of the province",
    "calendar.trainer_calendar": "trainers are one directory shared by the organisers",
    "calendar.manage_trainer_feed": "trainers are one directory shared by the organisers",
    "directory.edit_trainer": "trainers are one directory shared by the organisers",
    "directory.delete_trainer": "trainers are one directory shared by the organisers",
    "directory.edit_venue": "venues are one directory shared by the organisers",
    "directory.delete_venue": "venues are one directory shared by the organisers",
    "lists.resolve_duplicate": "people are one register for the province; any organiser resolves duplicates",
    # Training outside the system is kept per person of the register (issue 18): every organiser and monitor
    # holds the permission, but a person out of her reach, or another organisation's import, answers 404 as
    # an unknown id would (issue 20; HIDDEN in test_access_matrix).
    **dict.fromkeys(("training_records.person_records", "training_records.new_record", "training_records.edit_record",
                     "training_records.delete_record", "training_records.view_import",
                     "training_records.confirm_import", "training_records.discard_import"),
                    "every organiser keeps training outside the system, each for the people within her reach"),
}

ID_RULES = [r for r in collection_rules()
            if path_arguments(r) - NOT_IDS and not path_arguments(r) & CREDENTIALS]
TOKEN_RULES = [r for r in collection_rules() if path_arguments(r) & CREDENTIALS]


def test_shared_routes_exist_and_say_why():
    endpoints = {r.endpoint for r in ID_RULES}
    assert set(SHARED) <= endpoints, set(SHARED) - endpoints
    assert all(reason.strip() for reason in SHARED.values())


@pytest.mark.parametrize("collected", ID_RULES, ids=rule_id)
def test_other_organisations_are_refused_every_method(app, security_world, collected):
    accounts, ids = security_world
    rule = find_rule(app, collected.rule, collected.endpoint)
    url = build(rule, ids)
    allowed = EXPECTED[rule.endpoint][1]
    if rule.endpoint not in SHARED:
        assert not allowed & set(OTHER_ROLES), (
            f"{rule.endpoint} lets {sorted(allowed & set(OTHER_ROLES))} in: list it in SHARED with the reason")
    for role in OTHER_ROLES:
        client = logged_in_client(app, accounts, role)
        for method in methods(rule):
            got = outcome(send(client, method, url, role, ids))
            expected = ("not_found" if role in HIDDEN.get(rule.endpoint, ()) else "allowed" if role in allowed
                        else "denied")
            assert got == expected, (role, method, url)


# Routes whose parent (plan, class) and child (session, enrolment) come from the URL: the child of
# the demo plan, named under the stranger's own plan, must not be found (the classic IDOR).
CHILD_IDS = {"session_id", "enrolment_id", "certificate_id", "trainer_id"}
NESTED_RULES = [r for r in ID_RULES if {"code", "class_code"} <= path_arguments(r) and path_arguments(r) & CHILD_IDS]


def test_every_child_id_is_covered():
    """A new child id in a nested route must be added to CHILD_IDS (and to the world)."""
    nested = {a for r in collection_rules() if {"code", "class_code"} <= path_arguments(r)
              for a in path_arguments(r) if a.endswith("_id")}
    assert nested <= CHILD_IDS, nested - CHILD_IDS


@pytest.mark.parametrize("collected", NESTED_RULES, ids=rule_id)
def test_demo_children_are_not_found_under_a_plan_of_ones_own(app, security_world, collected):
    accounts, ids = security_world
    rule = find_rule(app, collected.rule, collected.endpoint)
    url = build(rule, dict(ids, code=ids["own_plan"], class_code=ids["own_class"]))
    client = logged_in_client(app, accounts, "organiser_other")
    assert outcome(client.get(f"/plans/{ids['own_plan']}/classes/{ids['own_class']}")) == "allowed"
    for method in methods(rule):
        assert outcome(send(client, method, url, "organiser_other", ids)) in ("not_found", "denied"), (method, url)


def test_marking_attendance_refuses_a_session_or_enrolment_of_another_class(app, security_world):
    """The mark form names its session and enrolment in the body, not the URL."""
    from sqlalchemy import func, select

    from bdgtrain.extensions import db
    from bdgtrain.models import Attendance

    accounts, ids = security_world
    client = logged_in_client(app, accounts, "organiser_other")
    url = f"/plans/{ids['own_plan']}/classes/{ids['own_class']}/attendance/mark"
    from tests.conftest import Browserless

    token = Browserless(client).csrf("/")
    for body in ({"session_id": ids["session_id"], "enrolment_id": ids["enrolment_id"]},
                 {"session_id": ids["own_session_id"], "enrolment_id": ids["enrolment_id"]}):
        response = client.post(url, data={**body, "status": "present", "csrf_token": token})
        assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


@pytest.mark.parametrize("collected", TOKEN_RULES, ids=rule_id)
def test_token_routes_refuse_a_forged_token(app, security_world, collected):
    """The token is the credential: changed by one character, or someone else's id, it opens nothing."""
    accounts, ids = security_world
    rule = find_rule(app, collected.rule, collected.endpoint)
    forged = dict(ids)
    for name in (CREDENTIALS & path_arguments(rule)) | {"feed_token"}:
        value = str(ids[name])
        forged[name] = value[:-1] + ("A" if value[-1] != "A" else "B")
    url = build(rule, forged)
    for role in ("anonymous", "organiser_other"):
        client = logged_in_client(app, accounts, role)
        for method in methods(rule):
            response = send(client, method, url, role, ids)
            assert response.status_code in (400, 403, 404, 410, 422), (role, method, url, response.status_code)

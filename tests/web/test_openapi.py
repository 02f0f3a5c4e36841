"""The JSON API's OpenAPI description (/api/v1/openapi.json) against the routes, and a schemathesis
run: generated requests, valid and not, must never meet a server error or an answer outside the
description. Runs on both databases (PostgreSQL refuses what SQLite lets through: NUL bytes, over-long
strings)."""
from __future__ import annotations

import contextvars
import os
import re
from datetime import timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from bdgtrain.extensions import db
from bdgtrain.services.accounts import api_tokens
from bdgtrain.services.demo.demo import load_demo
from tests import factories as make

API_PREFIX = "/api/v1"
# Per operation and mode; derandomized, so every run tries the same inputs. For a longer hunt with fresh
# inputs: FUZZ_EXAMPLES=500 FUZZ_RANDOM=1.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule[len(API_PREFIX):])


def test_description_names_exactly_the_api_routes(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    described = {(path, method.upper()) for path, item in document["paths"].items()
                 for method in item if method in ("get", "post", "put", "patch", "delete")}
    routed = {(_openapi_path(rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(API_PREFIX + "/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routed


def test_description_is_public_and_every_operation_documents_its_errors(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or path == "/openapi.json":
                continue
            assert "200" in operation["responses"] and "401" in operation["responses"], (path, method)


def test_schemathesis_loads_the_description(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [op.ok() for op in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "POST /checkins", "POST /checkins/batch", "GET /classes/{plan_code}/{class_code}/roster"}


def isolated(app):
    """Each request in its own context, hence its own database session, as in production (see
    tests/conftest.py IsolatedClient); the test's session is committed first."""
    def wsgi(environ, start_response):
        db.session.commit()
        return contextvars.Context().run(app, environ, start_response)
    return wsgi


@pytest.fixture
def api_schema(app):
    """The demo plan, a class open now with three people, an organiser's bearer token; the loaded schema."""
    from sqlalchemy import select

    from bdgtrain.models import Organisation

    plan = load_demo()
    organiser_org = db.session.scalar(select(Organisation).where(Organisation.code == "SLDTBXH"))
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    make.class_open_now(plan, "LOP-QR", people=3)
    token, _ = api_tokens.create_token(None, organiser, "schemathesis")
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated(app)), token


OPERATIONS = [("POST", "/checkins", None), ("POST", "/checkins/batch", None),
              ("GET", "/classes/{plan_code}/{class_code}/roster", None),
              ("GET", "/classes/{plan_code}/{class_code}/roster", {"plan_code": "HT-2019", "class_code": "LOP-QR"}),
              ("GET", "/openapi.json", None)]


# Positive (requests that fit the description) and negative (requests that do not) for each operation;
# the description itself takes no input, so it has no negative run.
RUNS = [(*operation, mode) for operation in OPERATIONS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if not (operation[1] == "/openapi.json" and mode == GenerationMode.NEGATIVE)]


@pytest.mark.parametrize("method, path, fixed, mode", RUNS, ids=lambda v: str(v) if v else "")
def test_api_conforms_to_its_description(app, api_schema, method, path, fixed, mode):
    schema, token = api_schema
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

    run()


# Real tickets with hostile extras: the schemathesis run above rarely guesses a valid ticket, so the
# paths that write attendance get their own fuzzing (found: a NUL byte, and a device label over 80
# characters in a batch, were server errors on PostgreSQL).
hostile_text = st.one_of(st.text(max_size=300), st.just("\x00"), st.just("d" * 200), st.just("=HYPERLINK(\"x\")"))
instants = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), hostile_text,
                     st.datetimes(timezones=st.just(timezone.utc)).map(lambda d: d.isoformat()))


@pytest.mark.parametrize("endpoint", ["/checkins", "/checkins/batch"])
def test_real_tickets_with_hostile_fields_never_break_the_api(app, api_schema, endpoint):
    from sqlalchemy import select

    from bdgtrain.models import Enrolment
    from bdgtrain.security import ticket_token

    schema, token = api_schema
    tickets = [ticket_token(e) for e in db.session.scalars(select(Enrolment.id)).all()]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    @given(ticket=st.sampled_from(tickets), device=hostile_text, nonce=st.one_of(st.none(), hostile_text),
           scanned_at=instants, scan_class=st.sampled_from([None, "HT-2019/LOP-QR", "HT-2019/LOP-3", "x/\x00"]))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
              suppress_health_check=list(HealthCheck))
    def run(ticket, device, nonce, scanned_at, scan_class):
        scan = {"token": ticket, "device": device, "nonce": nonce, "scanned_at": scanned_at}
        body = {**scan, "class": scan_class} if endpoint == "/checkins" else {"scans": [scan], "class": scan_class,
                                                                            "device": device}
        body = {k: v for k, v in body.items() if v is not None}
        response = client.post(API_PREFIX + endpoint, json=body, headers=headers)
        assert response.status_code in (200, 400, 403, 404), response.get_data(as_text=True)[:300]
        operation = schema[endpoint]["POST"]
        assert response.is_json
        operation.validate_response(response)

    run()

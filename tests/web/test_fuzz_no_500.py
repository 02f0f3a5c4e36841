"""No input is a server error (issue 20, finding 8): a lone surrogate ("\\ud800") in a JSON string and
?page=99999999999999999999 were HTTP 500; both answer 400 with a Vietnamese message now.

Then a short hypothesis run, as the demo plan's organiser: arbitrary JSON (lone surrogates, huge
integers, nested structures, real tickets) posted to every API route, and arbitrary query strings
(the parameter names the views read, hostile values, undecodable bytes) to every list route, that is
every GET route the organiser may open whose view reads the query string or pages its rows. Nothing
may answer 5xx. Derandomized, so every run tries the same inputs; FUZZ_EXAMPLES=300 FUZZ_RANDOM=1
for a longer hunt with fresh ones.
"""
from __future__ import annotations

import inspect
import os
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Browserless
from tests.web.test_access_matrix import EXPECTED, _url
from tests.web.test_access_matrix import world as world  # noqa: F401  (the fixture, shared)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
LIST_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))  # 25 list routes: a run well under a minute
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def organiser(app, world):  # noqa: F811  (the imported fixture, asked for by name)
    accounts, args = world
    client = app.test_client()
    web = Browserless(client)
    assert web.login(accounts["organiser"]).status_code == 302
    return web, args


# --- the two reproduced cases ------------------------------------------------------------------

SURROGATE_BODIES = [{"token": "\ud800"}, {"token": "x", "nonce": "a\udfffb"}, {"\ud800": 1},
                    {"scans": [{"token": "x", "device": "\udbff"}]}]


def test_a_lone_surrogate_in_json_answers_400_with_a_message(organiser):
    web, _args = organiser
    for path, body in ((path, body) for path in ("/api/v1/checkins", "/api/v1/checkins/batch")
                       for body in SURROGATE_BODIES):
        response = web.client.post(path, json=body, headers={"X-CSRFToken": web.csrf("/")})
        assert response.status_code == 400, (path, body, response.status_code)
        assert response.json["error"]["code"] == "bad_request"
        assert "ký tự không hợp lệ" in response.json["error"]["message"]


def test_a_page_number_no_list_has_answers_400_with_a_message(organiser):
    web, _args = organiser
    for path, page in ((path, page)
                       for path in ("/plans/", "/plans/HT-2019/classes/LOP-3/roster",
                                    "/plans/HT-2019/classes/LOP-3/attendance")
                       for page in ("99999999999999999999", "1000001", "0", "-1", "abc", "1e3", "²")):
        response = web.client.get(f"{path}?page={quote(page)}")
        assert response.status_code == 400, (path, page, response.status_code)
        assert "Số trang không hợp lệ" in response.get_data(as_text=True)
    assert web.client.get("/plans/?page=").status_code == 200  # empty: the first page
    assert web.client.get("/plans/?page=1000000").status_code == 200  # far past the end: an empty page


# --- JSON to every API route -------------------------------------------------------------------

SURROGATES = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**19, max_value=10**60),
                    st.integers(max_value=-(10**19)), st.floats(), st.text(max_size=30), SURROGATES,
                    st.sampled_from(["", "\x00", "9" * 400, "HT-2019/LOP-3", "x/y/z", "2019-05-20T08:00:00+07:00"]))
API_KEYS = st.sampled_from(["token", "digest", "nonce", "device", "source", "class", "scans", "scanned_at"])
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(API_KEYS | st.text(max_size=6) | SURROGATES,
                                                                      inner, max_size=5)),
                    max_leaves=25)


def _api_routes(app) -> list[tuple[str, str]]:
    return sorted((rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def test_every_api_route_is_fuzzed(app):
    assert {endpoint for endpoint, _method in _api_routes(app)} == {e for e in EXPECTED if e.startswith("api.")}


def test_arbitrary_json_to_every_api_route_is_never_a_server_error(app, organiser):
    web, args = organiser
    for endpoint, method in _api_routes(app):
        _fuzz_json(web, endpoint, method, _url(app, endpoint, args), args["token"])


def _fuzz_json(web, endpoint: str, method: str, url: str, ticket: str) -> None:
    headers = {"X-CSRFToken": web.csrf("/")}

    @given(body=st.one_of(JSON, st.fixed_dictionaries({}, optional={
        "token": st.one_of(st.just(ticket), SCALARS), "nonce": SCALARS, "device": SCALARS,
        "scanned_at": SCALARS, "class": st.one_of(st.just("HT-2019/LOP-3"), SCALARS),
        "scans": st.lists(JSON, max_size=3)})))
    @FUZZ
    def run(body):
        response = web.client.open(url, method=method, json=body, headers=headers)
        assert response.status_code < 500, (endpoint, body, response.get_data(as_text=True)[:300])
        assert response.is_json, endpoint

    run()


# --- query strings to every list route ---------------------------------------------------------

def _list_routes(app) -> list[str]:
    """GET routes the organiser may open whose view reads the query string or pages its rows."""
    found = []
    for rule in app.url_map.iter_rules():
        method, allowed = EXPECTED.get(rule.endpoint, (None, set()))
        if "GET" not in rule.methods or "organiser" not in allowed or rule.endpoint == "static":
            continue
        if _reads_the_query_string(app.view_functions[rule.endpoint]):
            found.append(rule.endpoint)
    return sorted(set(found))


def _reads_the_query_string(view) -> bool:
    """The view, or a function of its module that it calls (a view's `_filters()`), reads request.args
    or pages its rows."""
    view = inspect.unwrap(view)
    module = inspect.getmodule(view)
    sources = [inspect.getsource(view)]
    for name in set(re.findall(r"\b(_?\w+)\(", sources[0])):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == module.__name__ and helper is not view:
            sources.append(inspect.getsource(helper))
    return any(marker in source for source in sources for marker in ("request.args", "paginate(", "page_arg("))


def _query_names(app) -> list[str]:
    """Every name a view reads from the query string, from the views' own source."""
    names = {"page", "q"}
    for module in {inspect.getmodule(inspect.unwrap(view)) for view in app.view_functions.values()}:
        if module is not None and module.__name__.startswith("bdgtrain.web"):
            names |= set(re.findall(r'request\.args\.get(?:list)?\(\s*"(\w+)"', inspect.getsource(module)))
    return sorted(names)


VALUES = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
                   st.integers().map(str), st.integers(min_value=10**18, max_value=10**40).map(str),
                   st.sampled_from(["99999999999999999999", "-99999999999999999999", "0", "-1", "1e309", "nan",
                                    "٣", "²", " 2 ", "2019-13-45", "31/02/2019", "\u202e", "%", "x" * 2000]))
RAW_TAILS = st.sampled_from(["", "&page=%FF%FE", "&q=%E0%A4", "&&=&", "&page&page=2", "&q=%00", "&year=%ED%A0%80"])


def test_list_routes_are_found(app):
    routes = _list_routes(app)
    assert {"plans.list_plans", "lists.view_roster", "lists.signin_sheet", "checkin.attendance",
            "checkin.scan_log"} <= set(routes), routes
    assert {"page", "q", "year"} <= set(_query_names(app))


def test_arbitrary_query_strings_to_every_list_route_are_never_a_server_error(app, organiser):
    web, args = organiser
    names = _query_names(app)
    for endpoint in _list_routes(app):
        _fuzz_query(web, endpoint, _url(app, endpoint, args), names)


def _fuzz_query(web, endpoint: str, url: str, names: list[str]) -> None:
    @given(pairs=st.lists(st.tuples(st.sampled_from(names) | st.text(min_size=1, max_size=6), VALUES), max_size=4),
           tail=RAW_TAILS)
    @settings(FUZZ, max_examples=LIST_EXAMPLES)
    def run(pairs, tail):
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs) + tail
        response = web.client.get(f"{url}?{query}")
        assert response.status_code < 500, (endpoint, query, response.status_code)

    run()

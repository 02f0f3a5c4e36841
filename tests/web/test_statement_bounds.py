"""The SQL statements of a page do not grow with the data (issue 22): N+1 is a failure whatever the machine.

The crawler's world (bench/page_world.py) is built small, every crawled URL (bench/page_routes.py, which
covers every GET route) is requested once and its statements counted; then the world is built again three
times larger (three times the classes, the class of 3,000's people, the registry, the pool, hence the
attendance, the certificates and the feedback) and counted again. Each route family (blueprint) is a test:
it fails when one of its pages sends more statements on the larger world. Both databases.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

from bdgtrain.extensions import db
from bench import page_routes
from bench.page_world import PASSWORD, Sizes, build
from tests.conftest import QueryCounter, _empty_all_tables

SMALL = Sizes(classes=2, big_class=10, registry=150, pool=30)
LARGE = Sizes(classes=6, big_class=30, registry=450, pool=90)

# Families with a page whose statements still grow with the data: strict, so a fix makes the test fail
# until the mark is removed.
KNOWN_GROWTH: dict[str, str] = {}


def _count_every_visit(app, sizes: Sizes) -> dict[tuple[str, str], tuple[str, int, int]]:
    """(rule, role) -> (family, status, statements) on a world of `sizes`."""
    world = build(sizes=sizes)
    endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    clients = page_routes.clients(app, world.accounts, PASSWORD)
    counts = {}
    for rule, visit, url in page_routes.visits(world.args):
        client = clients[visit.role]
        client.get(url)  # caches warm (the calendar's version, the feedback form's settings)
        with QueryCounter(db.engine) as counter:
            status = client.get(url).status_code
        counts[(rule, visit.label)] = (endpoints[rule].split(".")[0], status, counter.count)
    return counts


@pytest.fixture(scope="module")
def statement_counts(_migrated_app):
    """Both worlds' counts, measured once per backend; the database is left empty."""
    app = _migrated_app
    with app.app_context():
        try:
            small = _count_every_visit(app, SMALL)
            _empty_all_tables()
            large = _count_every_visit(app, LARGE)
        finally:
            db.session.rollback()
            _empty_all_tables()
    by_family = defaultdict(list)
    for key, (family, status, count) in small.items():
        by_family[family].append((key, status, count, large[key][1], large[key][2]))
    return by_family


FAMILIES = sorted({endpoint.split(".")[0] for endpoint in (
    "main", "auth", "audit", "users", "plans", "lists", "checkin", "api", "calendar", "orgs", "directory",
    "reports", "feedback", "monitoring", "certificates", "privacy", "pool", "training_records")})


def test_the_families_are_every_crawled_blueprint(app):
    crawled = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()
               if rule.rule in page_routes.ROUTES}
    assert crawled == set(FAMILIES)


@pytest.mark.parametrize("family", [
    pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GROWTH[f])) if f in KNOWN_GROWTH else f
    for f in FAMILIES])
def test_statements_of_a_page_do_not_grow_with_the_data(statement_counts, family):
    grown = [(rule, role, small, large) for (rule, role), status, small, status_large, large
             in statement_counts[family] if large > small]
    assert grown == [], "\n".join(f"{rule} as {role}: {small} -> {large} statements" for rule, role, small, large
                                  in grown)
    assert all(status == status_large for _key, status, _s, status_large, _l in statement_counts[family])

"""The SQL statements of a page do not grow with the data (issue 22): N+1 is a failure whatever the machine.

Every URL the crawler requests (bench/page_routes.py, which covers every GET route) is requested on the
crawler's world built small and again three times larger (tests/web/conftest.py: crawled), counting its
statements. Each route family (blueprint) is a test: it fails when one of its pages sends more statements
on the larger world. Both databases.
"""
from __future__ import annotations

import pytest

from bench import page_routes

# Families with a page whose statements still grow with the data, and why: strict, so that a fix makes
# the test fail until its entry is removed.
KNOWN_GROWTH: dict[str, str] = {}

FAMILIES = ["api", "audit", "auth", "calendar", "certificates", "checkin", "directory", "feedback", "lists", "main",
            "monitoring", "orgs", "plans", "pool", "privacy", "reports", "training_records", "users"]


def test_the_families_are_every_crawled_blueprint(app):
    crawled_families = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()
                        if rule.rule in page_routes.ROUTES}
    assert crawled_families == set(FAMILIES)


@pytest.mark.parametrize("family", [
    pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GROWTH[f])) if f in KNOWN_GROWTH else f
    for f in FAMILIES])
def test_statements_of_a_page_do_not_grow_with_the_data(crawled, family):
    grown = [c for c in crawled if c.family == family and c.statements_large > c.statements]
    assert grown == [], "\n".join(f"{c.rule} as {c.role}: {c.statements} -> {c.statements_large} statements"
                                  for c in grown)
    assert any(c.family == family for c in crawled)

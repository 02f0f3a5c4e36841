"""The page crawler (bench/pages.py) covers every GET route, and every URL it requests answers as expected
on the crawler's world, small and three times larger: no 500, no unexpected 403/404 (issue 22)."""
from __future__ import annotations

from bench import page_routes


def test_every_get_route_has_a_crawler_entry(app):
    """A new GET route fails here until bench/page_routes.py says who requests it and what it answers."""
    assert page_routes.uncovered(app) == []


def test_the_crawler_names_no_route_that_is_gone(app):
    rules = set(page_routes.get_rules(app))
    assert [rule for rule in page_routes.ROUTES if rule not in rules] == []


def test_every_crawled_url_answers_its_expected_status(crawled):
    wrong = [(c.url, c.role, c.expected, c.status, c.status_large) for c in crawled
             if c.status != c.expected or c.status_large != c.expected]
    assert wrong == [], "\n".join(f"{url} as {role}: expected {expected}, answered {small} (small world), "
                                  f"{large} (large)" for url, role, expected, small, large in wrong)


def test_every_reference_runs_and_finds_its_rows(crawls):
    """The references the crawler compares pages with (bench/pages.py) run on this database and find rows
    in the crawler's small world: a reference that found nothing would make any page look slow."""
    empty = [(name, whose, number) for (name, whose), sections in crawls.references.items()
             for number, rows in enumerate(sections) if not rows]
    assert empty == []
    assert {name for name, _whose in crawls.references} >= {
        visit.reference for visits in page_routes.ROUTES.values() for visit in visits if visit.reference}


def test_a_suppliers_compliance_reference_counts_her_agencys_rows_only(crawls):
    everyone = crawls.references[("compliance", "all")][0]
    hers = crawls.references[("compliance", "supplier")][0]
    assert 0 < sum(row[2] or 0 for row in hers if row[0] == "class") < sum(
        row[2] or 0 for row in everyone if row[0] == "class")


def test_a_suppliers_roster_reference_counts_those_her_agency_nominated(crawls):
    everyone = crawls.references[("roster", "all")][1][0][0]
    hers = crawls.references[("roster", "supplier")][1][0][0]
    assert 0 < hers <= everyone

"""The page crawler (bench/pages.py) covers every GET route, and every URL it requests answers as expected
on a small world: no 500, no unexpected 403/404 (issue 22)."""
from __future__ import annotations

from bench import page_routes
from bench.page_world import PASSWORD, build


def test_every_get_route_has_a_crawler_entry(app):
    """A new GET route fails here until bench/page_routes.py says who requests it and what it answers."""
    assert page_routes.uncovered(app) == []


def test_the_crawler_names_no_route_that_is_gone(app):
    rules = set(page_routes.get_rules(app))
    assert [rule for rule in page_routes.ROUTES if rule not in rules] == []


def test_every_crawled_url_answers_its_expected_status(app):
    world = build(scale=0)
    clients = page_routes.clients(app, world.accounts, PASSWORD)
    wrong = []
    for _rule, visit, url in page_routes.visits(world.args):
        response = clients[visit.role].get(url)
        if response.status_code != visit.status:
            wrong.append((url, visit.role, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))

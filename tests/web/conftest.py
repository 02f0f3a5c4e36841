"""Fixtures shared by the web tests: the crawler's two worlds (issue 22)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from bdgtrain.extensions import db, limiter
from bdgtrain.models import TrainingClass, User
from bdgtrain.services.reporting import reporting
from bench import page_routes, pages
from bench.page_world import PASSWORD, Sizes, build
from tests.conftest import QueryCounter, _empty_all_tables

# The crawler's world small, then three times larger: three times the classes, the big class's people, the
# registry and the pool, hence the attendance, the certificates and the feedback answers.
SMALL = Sizes(classes=2, big_class=5, registry=100, pool=20)
LARGE = Sizes(classes=6, big_class=15, registry=300, pool=60)


@dataclass(frozen=True)
class Crawled:
    rule: str
    role: str
    url: str
    family: str  # the endpoint's blueprint
    expected: int
    status: int
    statements: int
    status_large: int
    statements_large: int


def _crawl(app, sizes: Sizes) -> tuple[dict[tuple[str, str], tuple[str, int, int]], dict[tuple[str, str], list]]:
    """(rule, visit) -> (url, status, statements) for every crawler visit, on a world of `sizes`; and
    (reference, whose) -> the rows of each of its statements, for every reference the crawler compares
    pages with (whose: "all" or "supplier", whose references count her agency's rows)."""
    limiter.reset()
    world = build(sizes=sizes)
    clients = page_routes.clients(app, world.accounts, PASSWORD)
    answers = {}
    for rule, visit, url in page_routes.visits(world.args):
        # Each visit counts the province's pool itself if it needs it: which earlier visit left those counts
        # kept (services/reporting/reporting.py) is not the page's doing, and varied between the two worlds.
        reporting.forget_kept_pool_counts()
        with QueryCounter(db.engine) as counter:
            status = clients[visit.role].get(url).status_code
        answers[(rule, visit.label)] = (url, status, counter.count)
    args = dict(world.args, plan_id=db.session.get(TrainingClass, world.args["class_id"]).plan_id)
    supplier = db.session.scalar(db.select(User).filter_by(email=world.accounts["supplier"]))
    references = {}
    for name in pages._reference_queries(args):
        for whose, agency in (("all", None), ("supplier", supplier.organisation_id)):
            references[(name, whose)] = pages._reference_rows(
                name, pages._reference_args(args, db.engine.dialect.name, agency))
    db.session.rollback()
    return answers, references


@dataclass(frozen=True)
class Crawls:
    small: dict
    large: dict
    references: dict  # (reference, whose) -> each statement's rows, on the small world


@pytest.fixture(scope="session")
def crawls(_migrated_app) -> Crawls:
    """Every crawler visit requested once on the small world and once on the large one, per backend (the
    database is left empty, as every test leaves it), and the crawler's references run on the small one."""
    app = _migrated_app
    with app.app_context():
        try:
            small, references = _crawl(app, SMALL)
            _empty_all_tables()
            large, _references = _crawl(app, LARGE)
        finally:
            db.session.rollback()
            _empty_all_tables()
    return Crawls(small, large, references)


@pytest.fixture(scope="session")
def crawled(_migrated_app, crawls) -> list[Crawled]:
    """Every crawler visit, its status and statements on the small and the large world."""
    app, small, large = _migrated_app, crawls.small, crawls.large
    endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    expected = {(rule, visit.label): visit.status for rule, visits in page_routes.ROUTES.items() for visit in visits}
    return [Crawled(rule, role, url, endpoints[rule].split(".")[0], expected[(rule, role)], status, count,
                    large[(rule, role)][1], large[(rule, role)][2])
            for (rule, role), (url, status, count) in small.items()]

"""Accessibility of every main page (tests/browser/tour.py), at 1366×900 and on a 390×844 phone.

Each page is opened by its role in the demo world of `make run`; axe-core (vendored in
tests/browser/vendor/axe-core/) is injected and run on it, and any violation axe rates serious or
critical fails the test, printed rule by rule with the elements concerned. On the phone the page
itself must not scroll sideways (a wide table scrolls inside its own container instead).

A canary page with a missing label and an image without alt proves the check itself reports.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories as make
from tests.browser.tour import ACCOUNTS, VIEWPORTS, build_world, pages_by_role

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
SETTLE_MS = 150  # the page's own scripts (kiosk, scanner, live count) draw what they draw first

# axe's own JSON, reduced to what a reader needs to find and fix each problem.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                          html: n.html.slice(0, 160)})),
    count: v.nodes.length,
  }));
}"""
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['count']} element(s))")
        for node in v["nodes"]:
            lines.append(f"      at {node['target']}: {node['html']}")
            lines.append("        " + (node["summary"] or "").replace("\n", "\n        "))
    return "\n".join(lines)


@pytest.fixture
def tour_world(app):
    return build_world(app)


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(make.PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_role("button", name="Đăng xuất").wait_for()


def test_the_check_reports_a_missing_label_and_a_missing_alt(live_server, new_page):
    page = new_page(bypass_csp=True)
    canary = f"{live_server.url}/a11y-canary"
    page.route(canary, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=(
        '<!doctype html><html lang="vi"><title>x</title><main><h1>x</h1>'
        '<input type="text"><img src="/static/x.png"></main></html>')))
    page.goto(canary)
    found = {v["id"] for v in serious(run_axe(page))}
    assert {"label", "image-alt"} <= found, found


@pytest.mark.parametrize("size", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_every_main_page_has_no_serious_violation_and_no_sideways_scroll(live_server, tour_world, new_page, size):
    viewport = VIEWPORTS[size]
    problems: dict[str, str] = {}
    checked = 0
    for role, pages in pages_by_role():
        # bypass_csp: axe is added by the test as an inline script, which the app's policy would refuse.
        page = new_page(viewport=viewport, bypass_csp=True)
        if role != "anonymous":
            _log_in(page, live_server.url, ACCOUNTS[role])
        for tour_page in pages:
            path = tour_page.path(tour_world)
            response = page.goto(live_server.url + path, wait_until="load")
            if response is None or response.status != 200:
                problems[f"{tour_page.slug} {path}"] = f"  answered {response and response.status}, not 200"
                continue
            page.wait_for_timeout(SETTLE_MS)
            found = serious(run_axe(page))
            if found:
                problems[f"{tour_page.slug} {path} ({role})"] = describe(found)
            if viewport["width"] < 600:
                overflow = page.evaluate(SIDEWAYS)
                if overflow > 1:
                    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                         + (e.className && typeof e.className === 'string'
                                            ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""")
                    problems.setdefault(f"{tour_page.slug} {path} ({role})", "")
                    problems[f"{tour_page.slug} {path} ({role})"] += (
                        f"\n  the page scrolls sideways by {overflow}px; widest elements: {wide}")
            checked += 1
    assert checked >= 25, checked
    assert not problems, f"{len(problems)} page(s) at {size} fail:\n" + "\n".join(
        f"{where}\n{what}" for where, what in problems.items())

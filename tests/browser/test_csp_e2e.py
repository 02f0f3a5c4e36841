"""The Content-Security-Policy holds in a real browser: an organiser of the demo plan opens every GET
page the app has (walking `app.url_map`, ids from the demo), and no page may cause a CSP violation,
whether reported as a `securitypolicyviolation` event or in the console. Pages that answer with a
file (.xlsx, .csv, .ics, images, JSON) are not pages and are skipped by their Content-Type.

A canary page, served with the app's own policy and an inline script and style, proves that the
detection itself works.
"""
from __future__ import annotations

from bdgtrain.extensions import db
from tests.web.security_support import build, collection_rules, find_rule, security_world, world  # noqa: F401

# Set before any script of the page runs (injected by the browser, so the policy does not apply to it).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' line ' + e.lineNumber);
});
"""
SETTLE_MS = 400  # time for the page's own scripts (scanner, kiosk, copy-link) to start and be refused


def _watch(page):
    page.add_init_script(WATCH_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    return console


def _violations(page, console: list[str]) -> list[str]:
    page.wait_for_timeout(SETTLE_MS)
    return list(page.evaluate("window.__csp || []")) + console


def _html_pages(app, ids) -> list[str]:
    urls = []
    for collected in collection_rules():
        if "GET" not in collected.methods:
            continue
        urls.append(build(find_rule(app, collected.rule, collected.endpoint), ids))
    return urls


def test_the_detector_sees_an_inline_script_and_style(live_server, page):
    policy = page.request.get(f"{live_server.url}/login").headers["content-security-policy"]
    canary = f"{live_server.url}/csp-canary"
    page.route(canary, lambda route: route.fulfill(
        status=200, headers={"Content-Security-Policy": policy, "Content-Type": "text/html; charset=utf-8"},
        body='<!doctype html><p style="color:red">x</p><script>document.title = "ran"</script>'))
    console = _watch(page)
    page.goto(canary)
    found = _violations(page, console)
    assert page.title() != "ran"
    assert any("script-src" in v for v in found) and any("style-src" in v for v in found), found


def test_every_page_of_the_demo_satisfies_the_csp(live_server, security_world, login, page):
    accounts, ids = security_world
    db.session.commit()
    db.session.close()  # the server threads write (SQLite: BEGIN IMMEDIATE)
    console = _watch(page)
    login(accounts["organiser"])
    checked, problems = 0, {}
    for path in _html_pages(live_server.app, ids):
        url = live_server.url + path
        head = page.request.get(url, max_redirects=0)
        if not head.headers.get("content-type", "").startswith("text/html") or head.status in (301, 302, 303, 308):
            continue
        console.clear()
        page.goto(url, wait_until="load")
        found = _violations(page, console)
        if found:
            problems[path] = found
        checked += 1
    assert checked >= 30, checked  # the walk reached the pages (not only refusals)
    assert not problems, problems

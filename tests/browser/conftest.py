"""Browser tests: the app served on a real port and driven by headless Chromium through Playwright.

Fixtures
    playwright        session: the one Playwright driver of the run (Sync API: one per thread).
    browser_factory   session: ``browser_factory(extra_args=())`` -> a Chromium Browser launched with
                      BASE_ARGS + extra_args; one browser per distinct argument list, all closed at
                      the end of the run.
    browser           session: ``browser_factory()``, the plain browser most tests use.
    new_page          function: ``new_page(browser=None, **context_options)`` -> a Page in a fresh
                      context (vi-VN, Asia/Ho_Chi_Minh unless overridden); closed after the test.
    page              function: ``new_page()``.
    live_server       function: the `app` fixture (SQLite and PostgreSQL legs) served by werkzeug on
                      127.0.0.1:<free port>; ``.url`` is "http://127.0.0.1:PORT".
    login             function: ``login(email, password=PASSWORD, *, page=None)`` logs in through the
                      real login page (labels "E-mail", "Mật khẩu", button "Đăng nhập").

A test that needs other Chromium switches (a fake camera, say) asks for a browser of its own:

    @pytest.fixture
    def camera_page(browser_factory, new_page, tmp_path):
        browser = browser_factory(["--use-fake-device-for-media-stream",
                                   "--use-fake-ui-for-media-stream",
                                   f"--use-file-for-fake-video-capture={tmp_path / 'qr.y4m'}"])
        return new_page(browser, permissions=["camera"])

or, outside fixtures, calls ``launch_browser(playwright, extra_args)`` and closes it itself.

Chromium is /usr/bin/chromium (or $CHROMIUM_PATH). When it is missing or will not start, the
browser tests are skipped with the reason, unless BDGTRAIN_REQUIRE_BROWSER=1 (set by CI), in
which case they fail with it.

The test thread and the server threads share the database. On SQLite every transaction starts
with BEGIN IMMEDIATE (bdgtrain/database.py), so a test must not leave a transaction open while the
browser works: commit (or roll back) before driving the page, and again after reading the database.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories as make

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("BDGTRAIN_REQUIRE_BROWSER") == "1"
BASE_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
             "--no-first-run", "--disable-component-update", "--disable-sync")
CONTEXT_DEFAULTS = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def browser_unavailable(reason: str):
    """Skip (a developer's machine without Chromium) or, under BDGTRAIN_REQUIRE_BROWSER=1, fail."""
    message = f"Chromium not usable for browser tests: {reason}"
    if REQUIRE_BROWSER:
        pytest.fail(f"BDGTRAIN_REQUIRE_BROWSER=1 but {message}", pytrace=False)
    pytest.skip(message)


def _chromium_problem() -> str | None:
    path = CHROMIUM_PATH
    if os.sep not in path:
        path = shutil.which(path) or path
    if not os.path.isfile(path):
        return f"{CHROMIUM_PATH} does not exist (install Debian's chromium or set CHROMIUM_PATH)"
    if not os.access(path, os.X_OK):
        return f"{CHROMIUM_PATH} is not executable"
    return None


def launch_browser(playwright, extra_args: Iterable[str] = ()):
    """A headless Chromium with the standard switches plus `extra_args`; the caller closes it."""
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True,
                                      args=[*BASE_ARGS, *extra_args])


@pytest.fixture(scope="session")
def playwright():
    problem = _chromium_problem()
    if problem:
        browser_unavailable(problem)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        browser_unavailable(f"the playwright package is not installed ({error})")
    try:
        driver = sync_playwright().start()
    except Exception as error:
        browser_unavailable(f"Playwright did not start: {error}")
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser_factory(playwright) -> Callable:
    browsers: dict[tuple[str, ...], object] = {}
    failures: dict[tuple[str, ...], str] = {}  # launch once: a broken Chromium is not retried per test

    def get(extra_args: Iterable[str] = ()):
        key = tuple(extra_args)
        if key not in browsers and key not in failures:
            try:
                browsers[key] = launch_browser(playwright, key)
            except Exception as error:
                failures[key] = f"{CHROMIUM_PATH} did not launch: {str(error).strip()[:2000]}"
        if key in failures:
            browser_unavailable(failures[key])
        return browsers[key]

    yield get
    for launched in browsers.values():
        try:
            launched.close()
        except Exception:  # a browser that already died must not hide the test results
            pass


@pytest.fixture(scope="session")
def browser(browser_factory):
    return browser_factory()


@pytest.fixture
def new_page(browser_factory):
    contexts = []

    def open_page(browser=None, **context_options):
        options = {**CONTEXT_DEFAULTS, **context_options}
        context = (browser or browser_factory()).new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


class LiveServer:
    """The app on a real port, in a daemon thread; requests in flight and server errors are tracked."""

    def __init__(self, app):
        self.app = app
        self.errors: list[BaseException] = []
        self._in_flight = 0
        self._idle = threading.Condition()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def _wsgi(self, environ, start_response):
        with self._idle:
            self._in_flight += 1
        try:
            return self.app(environ, start_response)
        except BaseException as error:  # TESTING propagates exceptions: keep them for the report
            self.errors.append(error)
            raise
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self, wait_seconds: float = 10) -> None:
        self._server.shutdown()
        self._server.server_close()
        # Let a request still running finish before the `app` fixture empties the tables.
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=wait_seconds)
        self._thread.join(wait_seconds)


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()
    if server.errors:
        pytest.fail("the live server raised: " + "; ".join(repr(e) for e in server.errors), pytrace=False)


@pytest.fixture
def login(live_server, page):
    """login(email, password=PASSWORD, *, page=None): through the login form, as a person would."""
    from playwright.sync_api import expect

    default_page = page

    def log_in(email: str, password: str = make.PASSWORD, *, page=None):
        target = page or default_page
        target.goto(f"{live_server.url}/login")
        target.get_by_label("E-mail").fill(email)
        target.get_by_label("Mật khẩu").fill(password)
        target.get_by_role("button", name="Đăng nhập", exact=True).click()
        expect(target.get_by_role("button", name="Đăng xuất")).to_be_visible()
        return target

    return log_in

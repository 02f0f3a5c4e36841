"""The Content-Security-Policy (script-src 'self'; style-src 'self') forbids inline code: no template
may hold an inline <script>, an on*= handler, a style= attribute, a <style> block or a javascript: URL.

The browser test (tests/browser/test_csp_e2e.py) checks the rendered pages; this one reads the
templates themselves, so a mistake is caught without a browser, in the file that holds it.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import PROJECT_ROOT

TEMPLATES = sorted(p for p in (PROJECT_ROOT / "templates").rglob("*.html"))
JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


class InlineCodeFinder(HTMLParser):
    """Collects what the CSP would block: inline scripts, handlers, style attributes and blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script_with_src: bool | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        names = {name.lower(): value for name, value in attrs}
        for name, value in names.items():
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"line {line}: <{tag} {name}=...> (an inline event handler)")
            if name == "style":
                self.problems.append(f"line {line}: <{tag} style=...> (an inline style)")
            if name in ("href", "src", "action", "formaction") and value and \
                    value.strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: <{tag} {name}=\"javascript:...\">")
        if tag == "style":
            self.problems.append(f"line {line}: <style> block (put it in static/css/)")
        if tag == "script":
            self._script_with_src = bool(names.get("src"))
            self._script_text = []
            if not self._script_with_src and (names.get("type") or "").lower() not in ("application/json",
                                                                                        "application/ld+json"):
                self.problems.append(f"line {line}: <script> without src (put the code in static/js/)")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._script_with_src is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_with_src is not None:
            if self._script_with_src and "".join(self._script_text).strip():
                self.problems.append(f"line {self.getpos()[0]}: <script src> with code inside")
            self._script_with_src = None


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def _without_jinja(source: str) -> str:
    """Jinja tags replaced by a neutral word of the same lines, so that line numbers still match."""
    return JINJA.sub(lambda m: "x" + "\n" * m.group(0).count("\n"), source)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT / "templates")))
def test_template_has_no_inline_script_handler_or_style(path):
    problems = inline_code(_without_jinja(path.read_text(encoding="utf-8")))
    assert not problems, f"{path.relative_to(PROJECT_ROOT)}: " + "; ".join(problems)


@pytest.mark.parametrize("snippet, found", [
    ("<script>alert(1)</script>", True),
    ('<script src="/static/js/a.js"></script>', False),
    ('<script src="/static/js/a.js">alert(1)</script>', True),
    ('<button onclick="go()">', True),
    ('<div ONMOUSEOVER="go()">', True),
    ('<p style="color: red">', True),
    ("<style>p {}</style>", True),
    ('<a href="javascript:go()">', True),
    ('<a href="/plans/" class="online">', False),
    ('<svg><rect x="1" fill="red"/></svg>', False),
    ('<svg><rect style="fill: red"/></svg>', True),
])
def test_the_finder_itself(snippet, found):
    assert bool(inline_code(snippet)) is found


def test_jinja_inside_attributes_does_not_hide_a_handler():
    assert inline_code(_without_jinja('<a href="{{ url }}" onclick="{{ js }}">'))
    assert not inline_code(_without_jinja('{% if a > b %}<a href="{{ url }}">{% endif %}'))

"""Every table of every template sits in a scroll container of its own, so that on a 390 px phone a
wide table scrolls sideways inside it and the PAGE does not (issue 21). The container is a keyboard
stop with a name (tabindex="0", role="region", aria-label or aria-labelledby), which axe-core
asks of a scrollable region.

Reads the templates only; the browser check of the same promise is tests/browser/test_accessibility_e2e.py.
"""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
JINJA_TAG = re.compile(r"\{%-?.*?-?%\}|\{#.*?#\}", re.S)
TABLE = re.compile(r"<table\b")
WRAPPER = re.compile(r'<div class="table-wrap[^"]*"(?=[^>]*\btabindex="0")(?=[^>]*\brole="region")'
                     r'(?=[^>]*\baria-(?:label|labelledby)="[^"]+")[^>]*>$')


def unwrapped_tables(source: str) -> list[int]:
    """Line numbers of the tables whose nearest preceding tag is not a labelled table-wrap."""
    lines = []
    for match in TABLE.finditer(source):
        before = JINJA_TAG.sub("", source[:match.start()]).rstrip()
        if not WRAPPER.search(before[before.rfind("<"):]):
            lines.append(source.count("\n", 0, match.start()) + 1)
    return lines


TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*.html") if TABLE.search(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=[p.relative_to(TEMPLATES).as_posix() for p in TEMPLATE_FILES])
def test_every_table_scrolls_inside_a_labelled_region(path):
    lines = unwrapped_tables(path.read_text(encoding="utf-8"))
    assert not lines, (f"{path.name}: <table> at line(s) {lines} is not the first child of "
                       '<div class="table-wrap" tabindex="0" role="region" aria-label="...">')


def test_the_check_tells_a_wrapped_table_from_a_bare_one():
    wrapped = '<div class="table-wrap" tabindex="0" role="region" aria-label="{{ _(\'X\') }}">\n{% if a %}\n<table>'
    assert unwrapped_tables(wrapped) == []
    assert unwrapped_tables("<h2>x</h2>\n<table>") == [2]
    assert unwrapped_tables('<div class="table-wrap"><table>') == [1]  # not a keyboard stop
    assert unwrapped_tables('<div class="table-wrap" tabindex="0" role="region"><table>') == [1]  # no name

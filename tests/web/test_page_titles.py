"""A page's title is text: the browser shows whatever sits in <title> literally, tags included."""
from __future__ import annotations

import re

import pytest

from tests.conftest import PROJECT_ROOT

TEMPLATES = sorted(p for p in (PROJECT_ROOT / "templates").rglob("*.html"))
TITLE_BLOCK = re.compile(r"\{%-?\s*block title\s*-?%\}(.*?)\{%-?\s*endblock", re.DOTALL)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT / "templates")))
def test_title_block_holds_no_markup(path):
    for title in TITLE_BLOCK.findall(path.read_text(encoding="utf-8")):
        assert "<" not in title and "{% if" not in title, title[:200]

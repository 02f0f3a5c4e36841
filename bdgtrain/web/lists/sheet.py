"""The sign-in sheet's rows, drawn here rather than in its template: a batch is 500 people, and the
template's loop, escaping its five cells one by one, was half of the sheet's time (issue 22). A cell is
drawn as {{ value }} draws it, markupsafe's escape, which is skipped when the text holds nothing to
escape (almost every name and unit): the same characters, without a Markup made for each."""
from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

_TO_ESCAPE = re.compile(r"[&<>\"']")  # what markupsafe.escape replaces


def _cell(value) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    text = str(value)
    return str(escape(text)) if _TO_ESCAPE.search(text) else text


def signin_rows(items: Iterable[tuple], first: int, sessions: int) -> Markup:
    """The rows of a batch (roster.signin_page's tuples: full name, year of birth, position, unit), numbered
    on from `first`, each with an empty cell to sign for each of the `sessions` sessions; exactly what the
    template's loop drew, its line breaks and indents included."""
    sign_cells = '<td class="sign"></td>' * sessions
    return Markup("".join(
        f"\n      <tr>\n        <td>{first + n}</td><td>{_cell(full_name)}</td>\n        <td>{_cell(birth_year)}</td>\n"
        f"        <td>{_cell(position)}</td><td>{_cell(unit_name)}</td>\n        {sign_cells}\n      </tr>\n    "
        for n, (full_name, birth_year, position, unit_name) in enumerate(items, start=1)))

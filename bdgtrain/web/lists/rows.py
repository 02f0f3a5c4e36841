"""The rows of the sign-in sheet and of the roster, drawn here rather than in their templates: a sheet's
batch is 500 people and a roster's page 100, and the templates' loops, escaping each cell on its own (a
Markup made for each), were half of the sheet's time and most of the roster's drawing (issue 22). A cell
is drawn as {{ value }} draws it, markupsafe's escape, which is skipped when the text holds nothing to
escape (almost every name and unit): the same characters, without a Markup made for each. The tests
(tests/web/test_drawn_rows.py) compare them with the loops the templates had."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ...i18n import translate
from ...localtime import format_date
from ..labels import label

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


@dataclass(frozen=True)
class RosterWords:
    """The roster rows' words in the request's language, translated once for the page."""
    man: str  # after a man's name in a class for women: "(nam)"
    replaced_by: str  # "Thay bằng %(name)s"
    change: str  # the link to change her enrolment
    statuses: dict  # each enrolment status's label


def roster_rows(rows: Iterable, offset: int, words: RosterWords, edit_url: Callable[[int], str] | None) -> Markup:
    """The rows of a roster page (roster.RosterLine), numbered on from `offset`, with the link to change
    each when `edit_url` is given (those who manage the roster); exactly what the template's loop drew."""
    drawn = []
    for n, row in enumerate(rows, start=offset + 1):
        status = row.status
        name = _cell(row.full_name)
        man = f" ({_cell(words.man)})" if row.sex == "M" else ""
        warnings = "".join(f'<span class="warning-text">⚠ {_cell(translate(w))}</span>' for w in row.warnings)
        born = format_date(row.birth_date) if row.birth_date else (row.birth_year or "")
        replaced = (f'<span class="warning-text">{Markup(words.replaced_by) % {"name": row.replaced_by_name}}</span>'
                    if status == "replaced" and row.replaced_by_name is not None else "")
        note = f"<small>{_cell(row.status_note)}</small>" if row.status_note else ""
        link = (f'<td class="no-print"><a href="{_cell(edit_url(row.enrolment_id))}">{_cell(words.change)}'
                f'<span class="sr-only"> {name}</span></a></td>' if edit_url is not None else "")
        drawn.append(
            f'\n  <tr>\n    <td class="num">{n}</td>\n    <td>{name}{man}\n      {warnings}</td>\n'
            f"    <td>{_cell(born)}</td>\n    <td>{_cell(row.position_and_unit)}</td>\n"
            f"    <td>{_cell(row.agencies_shown)}</td>\n"
            f'    <td><span class="badge badge-enrolment-{_cell(status)}">'
            f'{_cell(words.statuses.get(status) or label(status, "enrolment"))}</span>\n'
            f"      {replaced}\n      {note}</td>\n    {link}\n  </tr>\n  ")
    return Markup("".join(drawn))

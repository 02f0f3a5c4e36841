"""The sign-in sheet's rows drawn in Python (web/lists/sheet.py, issue 22) are the characters its template's
loop drew: each cell escaped as {{ value }} escapes it, the row numbers, the cells to sign, the line breaks."""
from __future__ import annotations

import pytest
from jinja2 import Environment
from markupsafe import Markup, escape

from bdgtrain.web.lists.sheet import _cell, signin_rows

# The loop as templates/lists/signin_sheet.html drew it before.
LOOP = Environment(autoescape=True).from_string(
    """{%- set sign_cells %}{% for session in range(sessions) %}<td class="sign"></td>{% endfor %}{% endset %}
    {% for full_name, birth_year, position, unit_name in items %}
      <tr>
        <td>{{ first + loop.index }}</td><td>{{ full_name }}</td>
        <td>{{ birth_year }}</td>
        <td>{{ position }}</td><td>{{ unit_name }}</td>
        {{ sign_cells }}
      </tr>
    {% endfor %}""")

TEXTS = ["", "Nguyễn Thị Hoa", "UBND xã Cẩm Bình", "O'Neil", 'a "quoted" <b>unit</b> & co', "&amp;", "<", ">", "'",
         '"', "&", "tab\tand\nnewline", "\x00", "%s %(x)s {0}", Markup("<i>safe</i>"), 1970, 0, ""]


@pytest.mark.parametrize("value", TEXTS)
def test_a_cell_is_what_the_template_drew(value):
    assert _cell(value) == str(escape(value))


@pytest.mark.parametrize("first, sessions", [(0, 0), (0, 3), (500, 1), (2500, 7)])
def test_the_rows_are_what_the_loop_drew(first, sessions):
    items = [(TEXTS[i % len(TEXTS)], TEXTS[(i + 5) % len(TEXTS)], TEXTS[(i + 7) % len(TEXTS)],
              TEXTS[(i + 11) % len(TEXTS)]) for i in range(3 * len(TEXTS))]
    drawn = signin_rows(items, first, sessions)
    assert isinstance(drawn, Markup)
    assert "\n    " + str(drawn) == LOOP.render(items=items, first=first, sessions=sessions)
    assert signin_rows([], first, sessions) == ""

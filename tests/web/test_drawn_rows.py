"""The sign-in sheet's and the roster's rows drawn in Python (web/lists/rows.py, issue 22) are the characters
their templates' loops drew: each cell escaped as {{ value }} escapes it, the translated words, the row
numbers, the cells to sign, the links, the line breaks."""
from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale, get_translations, gettext
from jinja2 import Environment
from markupsafe import Markup, escape

from bdgtrain.models import ENROLMENT_STATUSES
from bdgtrain.rules.eligibility import eligibility_warnings
from bdgtrain.services.lists.roster import RosterLine
from bdgtrain.web.common import id_links
from bdgtrain.web.labels import label
from bdgtrain.web.lists.rows import RosterWords, _cell, roster_rows, signin_rows
from bdgtrain.web.template_helpers import gettext_callables

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


# The loop as templates/lists/roster.html drew it before, with the words it translated once.
ROSTER_LOOP = (
    "{%- set change_word = _('Thay đổi') -%}\n"
    "{% for row in rows %}\n"
    "  <tr>\n"
    "    <td class=\"num\">{{ offset + loop.index }}</td>\n"
    "    <td>{{ row.full_name }}{% if row.sex == 'M' %} ({{ _('nam') }}){% endif %}\n"
    "      {% for warning in row.warnings %}<span class=\"warning-text\">⚠ {{ warning|translate }"
    "}</span>{% endfor %}</td>\n"
    "    <td>{{ row.birth_date|vn_date if row.birth_date else (row.birth_year or '') }}</td>\n"
    "    <td>{{ row.position_and_unit }}</td>\n"
    "    <td>{{ row.agencies_shown }}</td>\n"
    "    <td><span class=\"badge badge-enrolment-{{ row.status }}\">{{ status_words[row.status] o"
    "r row.status|label('enrolment') }}</span>\n"
    "      {% if row.status == 'replaced' and row.replaced_by_name is not none %}<span class=\"w"
    "arning-text\">{{ _('Thay bằng %(name)s', name=row.replaced_by_name) }}</span>{% endif %}\n"
    "      {% if row.status_note %}<small>{{ row.status_note }}</small>{% endif %}</td>\n"
    "    {% if manage %}<td class=\"no-print\"><a href=\"{{ edit_url(row.enrolment_id) }}\">{{ chan"
    "ge_word }}<span class=\"sr-only\"> {{ row.full_name }}</span></a></td>{% endif %}\n"
    "  </tr>\n"
    "  {% endfor %}"
)


def _roster_lines() -> list[RosterLine]:
    lines = []
    for n in range(40):
        position, unit = [(None, None), ("Chuyên viên", None), (None, "UBND xã <A>"),
                          ("P. Chủ tịch", "Sở & Ban")][n % 4]
        agencies = [[], ["Sở Nội vụ"], ["Hội LHPN", "Sở \"Nội\" vụ"]][n % 3]
        status = (list(ENROLMENT_STATUSES) + ["old_status"])[n % (len(ENROLMENT_STATUSES) + 1)]
        lines.append(RosterLine(
            1000 + n, status, [None, "", "Ốm <b>nặng</b>", "O'Neil"][n % 4],
            [None, "Trần <Thị> Lan"][n % 2], f"Nguyễn Thị {n} {'&' if n % 5 == 0 else ''}", [None, "F", "M"][n % 3],
            date(1980, 1 + n % 12, 1 + n % 28) if n % 2 else None, [None, 1975, 0][n % 3], position, unit, agencies,
            eligibility_warnings([None, "F", "M"][n % 3], ["commune", "district", None][n % 3], "F", ["district"]),
            ", ".join(part for part in (position, unit) if part), ", ".join(agencies)))
    return lines


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("manage", [False, True])
def test_the_roster_rows_are_what_the_loop_drew(app, locale, manage):
    with app.test_request_context("/"), force_locale(locale):
        statuses = {status: label(status, "enrolment") for status in ENROLMENT_STATUSES}
        edit_url = id_links("lists.edit_enrolment", "enrolment_id", code="KH-2019", class_code="LOP-3")
        loop = app.jinja_env.from_string(ROSTER_LOOP)
        for offset in (0, 300):
            lines = _roster_lines()
            before = loop.render(rows=lines, offset=offset, manage=manage, status_words=statuses, edit_url=edit_url,
                                 **gettext_callables(get_translations()))
            words = RosterWords(man=Markup(gettext("nam")), replaced_by=gettext("Thay bằng %(name)s"),
                                change=Markup(gettext("Thay đổi")), statuses=statuses)
            drawn = roster_rows(lines, offset, words, edit_url if manage else None)
            assert isinstance(drawn, Markup)
            assert str(drawn) == before

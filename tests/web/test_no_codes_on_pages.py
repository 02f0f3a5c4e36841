"""No stored code in a Vietnamese page: the main pages of the demo world, for each role, show no enum value.

The words looked for are the values of the models' enums and constants (statuses, sources, outcomes,
kinds, roles) and every audit and access-log action, found as whole words in the text a reader sees (not
in attributes: an <option value="confirmed"> is fine). A page that shows one has a code where a label
(web/labels.py, the `label` filter) belongs.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bdgtrain.models import accounts, attendance, calendar, feedback, lists, org, people, planning, pool, reporting
from bdgtrain.web import labels
from tests.conftest import Browserless
from tests.web.test_access_matrix import _url, world  # noqa: F401 (the demo world, one account per role)

ENUMS = (people.ENROLMENT_STATUSES, planning.CLASS_STATUSES, planning.SESSION_STATUSES,
         attendance.ATTENDANCE_STATUSES, attendance.ATTENDANCE_SOURCES, attendance.SCAN_OUTCOMES,
         calendar.MAIL_KINDS, calendar.MAIL_STATUSES, calendar.FEED_KINDS, pool.LEAVE_REASONS,
         pool.POOL_IMPORT_STATUSES, lists.IMPORT_STATUSES, reporting.REPORT_KINDS, reporting.REPORT_STATUSES,
         feedback.RECEIPT_KINDS, accounts.ROLES, org.ORG_KINDS)
# Values that are also ordinary words of a Vietnamese page: "api" is written "API" and matched case-sensitively.
CODES = sorted({value for enum in ENUMS for value in enum if len(value) > 2}
               | set(labels.AUDIT_ACTION_LABELS) | set(labels.ACCESS_ACTION_LABELS))
CODE_WORD = re.compile(r"(?<![\w.@/-])(" + "|".join(re.escape(c) for c in CODES) + r")(?![\w@/-]|\.\w)")

# The main pages a person of each role opens in a year (every route is in test_access_matrix.py).
PAGES = ("main.dashboard", "plans.list_plans", "plans.view_plan", "plans.view_class", "lists.view_roster",
         "lists.edit_enrolment", "lists.view_import", "lists.view_waiting", "lists.list_duplicates",
         "checkin.scanner", "checkin.scan_log", "checkin.attendance", "checkin.live", "calendar.class_invitations",
         "orgs.list_organisations", "users.list_users", "audit.list_events", "reports.plan_report",
         "reports.list_reports", "monitoring.index", "monitoring.plan_dashboard", "monitoring.compliance",
         "certificates.list_certificates", "privacy.access_log_page", "privacy.view_person", "pool.index",
         "pool.unit_pool", "pool.person_history", "training_records.list_records")
ROLES = ("admin", "organiser", "supplier", "monitor")


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_in(html: str) -> list[str]:
    return sorted(set(CODE_WORD.findall(visible_text(html))))


def test_the_search_finds_codes_as_whole_words_only():
    assert codes_in("<td>nominated</td><td>(confirmed)</td>") == ["confirmed", "nominated"]
    assert codes_in('<option value="confirmed">Đã xác nhận</option><td>tochuc@test.vn</td>') == []
    assert codes_in("<td>plan.class.created</td><code>roster.viewed</code>") == ["plan.class.created",
                                                                                 "roster.viewed"]
    assert codes_in("<script>const s = 'present';</script><a href='/x/scanner'>Máy quét</a>") == []


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_show_no_code(app, world, role):  # noqa: F811
    accounts_, args = world
    client = app.test_client()
    assert Browserless(client).login(accounts_[role]).status_code == 302
    found = {}
    for endpoint in PAGES:
        response = client.get(_url(app, endpoint, args))
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        codes = codes_in(response.get_data(as_text=True))
        if codes:
            found[endpoint] = codes
    assert found == {}, repr(found)[:3000]

"""Every GET route of the URL map, as the page crawler (bench/pages.py) and its coverage test ask for it:
the rule, who asks (the role that may see it) and the status expected.

ROUTES maps each GET rule of app.url_map (its pattern, e.g. "/plans/<code>/classes/<class_code>/roster")
to the visits made to it. A new route has no entry until someone adds one, and
tests/web/test_crawler_coverage.py fails until then. The values in a rule's <...> come from the world
(bench/page_world.py: World.args), e.g. <code> is the demo plan, <class_code> its class of 3,000.

Roles: admin, organiser (Sở LĐ-TB&XH, the plan's organiser), supplier (Sở Nội vụ, which supplies the
class of 3,000), supplier_hlhpn (Hội LHPN, which supplies the 200 classes of 40), monitor (Hội LHPN),
participant (no account: the ticket token in the URL is the credential), anonymous.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Visit:
    role: str
    status: int = 200
    query: str = ""                                    # appended after "?"
    args: dict = field(default_factory=dict)           # overrides of World.args for this visit
    reference: str | None = None                       # bench/pages.py REFERENCES: the bare query + template

    @property
    def label(self) -> str:
        return self.role + (f"?{self.query}" if self.query else "")


def v(role: str, **kwargs) -> list[Visit]:
    return [Visit(role, **kwargs)]


ORG, ADMIN, MON, ANON, TICKET = "organiser", "admin", "monitor", "anonymous", "participant"
CLASS = "/plans/<code>/classes/<class_code>"

# The lower-case aliases of the short printed links (/t/, /c/, ...) answer 308 to the upper-case form.
ROUTES: dict[str, list[Visit]] = {
    # main, auth
    "/": v(ORG),
    "/healthz": v(ANON),
    "/favicon.ico": v(ANON),
    "/login": v(ANON),
    "/sessions": v(ORG),
    "/audit/": v(ADMIN, reference="audit"),
    "/users/": v(ADMIN, reference="users"),
    "/users/new": v(ADMIN),
    "/users/<int:user_id>/edit": v(ADMIN),
    # plans
    "/plans/": v(ORG) + v("supplier") + v(MON),
    "/plans/new": v(ORG),
    "/plans/read": v(ORG),
    "/plans/read/<draft_token>": v(ORG),
    "/plans/<code>": v(ORG, reference="plan_classes") + v("supplier_hlhpn") + v(MON),
    "/plans/<code>/edit": v(ORG),
    "/plans/<code>/delete": v(ORG),
    "/plans/<code>/document": v(ORG),
    "/plans/<code>/document.<fmt>": v(ORG, args={"fmt": "pdf"}) + v(ORG, args={"fmt": "docx"}),
    "/plans/<code>/classes/new": v(ORG),
    CLASS: v(ORG) + v("supplier") + v(MON),
    CLASS + "/edit": v(ORG),
    CLASS + "/cancel": v(ORG),
    CLASS + "/close": v(ORG),
    CLASS + "/delete": v(ORG),
    CLASS + "/sessions/new": v(ORG),
    CLASS + "/sessions/<int:session_id>/edit": v(ORG),
    CLASS + "/sessions/<int:session_id>/delete": v(ORG),
    # lists
    CLASS + "/lists/upload": v(ORG) + v("supplier"),
    "/lists/imports/<int:import_id>": v(ORG) + v("supplier") + v(ORG, query="attention=1&q=nguyen"),
    "/lists/templates/<shape>.xlsx": v(ORG),
    "/lists/duplicates": v(ORG),
    CLASS + "/roster": (v(ORG, reference="roster") + v("supplier", reference="roster") + v(MON)
                        + v(ORG, query="page=2&q=nguyen")),
    CLASS + "/roster.xlsx": v(ORG) + v("supplier"),
    CLASS + "/roster.csv": v(ORG),
    CLASS + "/roster/<int:enrolment_id>": v(ORG),
    CLASS + "/sign-in-sheet": v(ORG, reference="sign_in"),
    CLASS + "/waiting": v(ORG) + v("supplier"),
    # check-in
    "/t/<token>": v(TICKET, status=308),
    "/T/<token>": v(TICKET),
    "/t/<token>/qr.<kind>": v(TICKET, status=308),
    "/T/<token>/qr.<kind>": v(TICKET),
    "/r/<room>/<room_code>": v(ANON, status=308),
    "/R/<room>/<room_code>": v(ANON),
    "/scanner-sw.js": v(ANON),
    CLASS + "/cards": v(ORG, reference="sign_in") + v(ORG, query="batch=2", status=200),
    CLASS + "/scanner": v(ORG),
    CLASS + "/kiosk": v(ORG),
    CLASS + "/kiosk/state": v(ORG),
    CLASS + "/scans": v(ORG),
    CLASS + "/attendance": v(ORG, reference="attendance") + v(MON),
    CLASS + "/live": v(ORG) + v(MON),
    "/api/v1/classes/<plan_code>/<class_code>/roster": v(ORG),
    "/api/v1/openapi.json": v(ANON),
    # calendar
    "/cal/<token>.ics": v(ANON, args={"token": "<feed_token>"}),
    "/cal/p/<code>.ics": v(ANON),
    "/cal/p/<code>/<class_code>.ics": v(ANON),
    "/t/<token>/calendar": v(TICKET, status=308),
    "/T/<token>/calendar": v(TICKET),
    "/t/<token>/lop.ics": v(TICKET, status=308),
    "/T/<token>/lop.ics": v(TICKET),
    "/plans/<code>/calendar": v(ORG) + v(MON),
    CLASS + "/calendar": v(ORG),
    CLASS + "/calendar.ics": v(ORG),
    CLASS + "/invitations": v(ORG),
    "/organisations/<org_code>/calendar": v(ORG),
    "/trainers/<int:trainer_id>/calendar": v(ORG),
    # organisations and directory
    "/organisations/": v(ADMIN, reference="organisations") + v(MON),
    "/organisations/new": v(ADMIN),
    "/organisations/<code>/edit": v(ADMIN, args={"code": "HT-CX"}),
    "/organisations/<code>/delete": v(ADMIN, args={"code": "HT-CX"}),
    "/organisations/<code>/move": v(ADMIN, args={"code": "HT-CX"}),
    "/organisations/<code>/rename": v(ADMIN, args={"code": "HT-CX"}),
    "/organisations/<code>/end": v(ADMIN, args={"code": "HT-CX"}),
    "/organisations/<code>/documents": v(ORG, args={"code": "HT-CX"}),
    "/trainers/": v(ORG),
    "/trainers/new": v(ORG),
    "/trainers/<int:trainer_id>/edit": v(ORG),
    "/venues/": v(ORG),
    "/venues/new": v(ORG),
    "/venues/<int:venue_id>/edit": v(ORG),
    # reports
    "/reports/<code>": v(ORG) + v(MON),
    "/reports/<code>/units/<org_code>": v(ORG) + v(MON),
    "/reports/<code>/trend.svg": v(ORG),
    "/reports/<code>/forecast": v(ORG),
    "/reports/<code>/next-year": v(ORG),
    "/reports/<code>/units/<org_code>/nominate/<int:person_id>": v(ORG),
    "/reports/<code>/targets/new": v(ORG),
    "/reports/<code>/targets/<int:target_id>/edit": v(ORG),
    "/reports/<code>/targets/<int:target_id>/delete": v(ORG),
    "/reports/<code>/periodic": v(ORG),
    "/reports/<code>/periodic/new": v(ORG),
    "/reports/<code>/periodic/<int:report_id>": v(ORG) + v(MON),
    "/reports/<code>/periodic/<int:report_id>.xlsx": v(ORG),
    "/reports/<code>/periodic/<int:report_id>.<fmt>": v(ORG, args={"fmt": "pdf"}) + v(ORG, args={"fmt": "docx"}),
    "/reports/<code>/periodic/<int:report_id>/edit": v(ORG),
    "/reports/<code>/periodic/<int:report_id>/issue": v(ORG),
    "/reports/<code>/periodic/<int:report_id>/correct": v(ORG),
    "/reports/<code>/periodic/<int:report_id>/delete": v(ORG),
    "/reports/<code>/headcounts": v(ORG),
    "/reports/<code>/headcounts/<org_code>/<int:year>": v(ORG),
    # feedback
    "/f/<form_token>": v(ANON, status=308),
    "/F/<form_token>": v(ANON),
    "/t/<token>/feedback": v(TICKET, status=308),
    "/T/<token>/feedback": v(TICKET),
    "/t/<token>/quiz": v(TICKET, status=308),
    "/T/<token>/quiz": v(TICKET),
    "/kq/<link_token>": v(ANON, status=308),
    "/KQ/<link_token>": v(ANON),
    CLASS + "/feedback": v(ORG) + v(MON),
    CLASS + "/feedback.xlsx": v(ORG),
    CLASS + "/feedback/qr": v(ORG),
    "/plans/<code>/feedback": v(ORG) + v(MON),
    "/plans/<code>/feedback.xlsx": v(ORG),
    "/plans/<code>/feedback/settings": v(ORG),
    # monitoring and certificates
    "/monitor/": v(MON),
    "/monitor/<code>": v(MON, reference="dashboard"),
    "/plans/<code>/compliance": v(ORG, reference="compliance") + v("supplier", reference="compliance") + v(MON),
    "/plans/<code>/compliance.xlsx": v(ORG) + v("supplier"),
    "/plans/<code>/summary": v(ORG) + v(MON),
    "/plans/<code>/summary.xlsx": v(ORG),
    "/plans/<code>/summary.docx": v(ORG),
    "/plans/<code>/summary.pdf": v(ORG),
    CLASS + "/certificates": v(ORG, reference="certificates") + v(MON) + v(ORG, query="page=2"),
    CLASS + "/certificates/print": v(ORG, reference="certificate_papers") + v(ORG, query="batch=2"),
    CLASS + "/certificates/issue": v(ORG),
    CLASS + "/certificates.pdf": v(ORG) + v(ORG, query="batch=2"),
    CLASS + "/certificates.docx": v(ORG) + v(ORG, query="batch=2"),
    CLASS + "/certificates/<int:certificate_id>/revoke": v(ORG),
    "/c/<certificate_token>": v(ANON, status=308),
    "/C/<certificate_token>": v(ANON),
    "/t/<token>/certificate": v(TICKET, status=308),
    "/T/<token>/certificate": v(TICKET),
    "/t/<token>/certificate.pdf": v(TICKET, status=308),
    "/T/<token>/certificate.pdf": v(TICKET),
    # privacy
    "/privacy/access-log": v(ADMIN),
    "/privacy/people": v(ADMIN, query="q=nguyen"),
    "/privacy/people/<int:person_id>": v(ADMIN),
    "/privacy/people/<int:person_id>/export.<any(json, xlsx):kind>": (v(ADMIN, args={"kind": "json"})
                                                                      + v(ADMIN, args={"kind": "xlsx"})),
    "/privacy/people/<int:person_id>/erase": v(ADMIN),
    # planning pool and training outside the system
    "/pool/": v(ORG),
    "/pool/<org_code>": v(ORG, reference="pool") + v(MON),
    "/pool/<org_code>/people/<int:person_id>": v(ORG),
    "/pool/<org_code>/add": v(ORG),
    "/pool/<org_code>/entries/<int:entry_id>/leave": v(ORG),
    "/pool/<org_code>/entries/<int:entry_id>/rejoin": v(ORG),
    "/pool/<org_code>/entries/<int:entry_id>/carry": v(ORG),
    "/pool/<org_code>/carry": v(ORG, status=303),  # nothing of an ended cycle to carry: back to the pool
    "/pool/<org_code>/import": v(ORG),
    "/pool/<org_code>/imports/<int:pool_import_id>": v(ORG) + v(ORG, query="missing_page=2&q=nguyen"),
    "/training-records/": v(ORG),
    "/training-records/export.xlsx": v(ORG),
    "/training-records/template.xlsx": v(ORG),
    "/training-records/people": v(ORG, query="q=nguyen"),
    "/training-records/people/<int:person_id>": v(ORG),
    "/training-records/people/<int:person_id>/new": v(ORG),
    "/training-records/<int:record_id>/edit": v(ORG),
    "/training-records/<int:record_id>/delete": v(ORG),
    "/training-records/import": v(ORG),
    "/training-records/imports/<int:training_import_id>": v(ORG),
}

# GET rules not crawled, and why.
NOT_CRAWLED = {
    "/static/<path:filename>": "served by the web server in production; no database",
}

_ARGUMENT = re.compile(r"<(?:[^:<>]+(?:\([^)]*\))?:)?([a-z_]+)>")


def get_rules(app) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods})


def uncovered(app) -> list[str]:
    """GET rules of the app with no entry in ROUTES (nor in NOT_CRAWLED)."""
    return [rule for rule in get_rules(app) if rule not in ROUTES and rule not in NOT_CRAWLED]


def url_of(rule: str, visit: Visit, args: dict) -> str:
    """The rule with its <...> filled from the world's args (a visit's own args first; "<name>" names
    another of the world's args), plus the visit's query."""
    values = dict(args, **visit.args)

    def fill(match: re.Match) -> str:
        value = values[match.group(1)]
        if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
            value = values[value[1:-1]]
        return str(value)

    path = _ARGUMENT.sub(fill, rule)
    return path + (f"?{visit.query}" if visit.query else "")


def visits(args: dict):
    """(rule, visit, url) for every visit of every covered rule."""
    defaults = {"plan_code": args["code"], "class_code": args["class_code"]}
    for rule, rule_visits in ROUTES.items():
        for visit in rule_visits:
            yield rule, visit, url_of(rule, visit, dict(defaults, **args))


def login(client, email: str, password: str) -> None:
    """Log in through the login form, as a browser does (the CSRF token read from the page)."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if answer.status_code != 302:
        raise RuntimeError(f"logging in as {email} answered {answer.status_code}")


def clients(app, accounts: dict[str, str], password: str) -> dict:
    """One test client per role, each logged in through the form (participant and anonymous: none)."""
    result = {}
    for role in ("admin", "organiser", "supplier", "supplier_hlhpn", "monitor"):
        client = app.test_client()
        login(client, accounts[role], password)
        result[role] = client
    result["participant"] = result["anonymous"] = app.test_client()
    return result

"""Every route × every role: allowed or denied, as security.py decides.

The table below must name every endpoint the app has; a new route fails this test until
someone decides who may use it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import ClassSession, Trainer, TrainingClass, Venue
from bdgtrain.models.base import utcnow
from bdgtrain.services.demo.demo import load_demo
from tests import factories as make
from tests.conftest import Browserless

ROLES = ["anonymous", "admin", "organiser", "organiser_other", "supplier", "supplier_other", "monitor",
         "monitor_other"]
LOGGED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
ADMIN = {"admin"}
ORGANISERS = {"admin", "organiser", "organiser_other"}
PLAN_STAFF = {"admin", "organiser"}  # the demo plan's organiser (SLDTBXH)
PLAN_READERS = {"admin", "organiser", "supplier", "monitor"}  # supplier SNV is assigned to LOP-3; monitor HLHPN
LIST_SENDERS = {"admin", "organiser", "supplier"}  # the plan's organiser and the class's supplier (SNV)
ATTENDANCE_READERS = {"admin", "organiser", "monitor"}  # a supplier reads her own rows on the roster only
DIRECTORY_READERS = {"admin", "organiser", "organiser_other", "monitor", "monitor_other"}

# endpoint: (method, roles allowed)
EXPECTED = {
    "main.dashboard": ("GET", LOGGED_IN),
    "main.set_locale": ("POST", EVERYONE),
    "main.healthz": ("GET", EVERYONE),
    "main.favicon": ("GET", EVERYONE),
    "auth.login": ("GET", EVERYONE),
    "auth.logout": ("POST", LOGGED_IN),
    "auth.sessions": ("GET", LOGGED_IN),
    "auth.end_other_sessions": ("POST", LOGGED_IN),
    "plans.list_plans": ("GET", LOGGED_IN),
    "plans.create_plan": ("GET", ORGANISERS),
    "plans.view_plan": ("GET", PLAN_READERS),
    "plans.edit_plan": ("GET", PLAN_STAFF),
    "plans.delete_plan": ("GET", PLAN_STAFF),
    # A plan's Kế hoạch (issue 23): its organiser edits and downloads it; who may not see the plan gets 404.
    "plans.plan_document": ("GET", PLAN_STAFF),
    "plans.reset_plan_document": ("POST", PLAN_STAFF),
    "plans.plan_document_file": ("GET", PLAN_STAFF),
    "plans.create_class": ("GET", PLAN_STAFF),
    "plans.view_class": ("GET", PLAN_READERS),
    "plans.edit_class": ("GET", PLAN_STAFF),
    "plans.cancel_class": ("GET", PLAN_STAFF),
    "plans.close_class": ("GET", PLAN_STAFF),
    "plans.restore_class": ("POST", PLAN_STAFF),
    "plans.delete_class": ("GET", PLAN_STAFF),
    "plans.add_session": ("GET", PLAN_STAFF),
    "plans.edit_session": ("GET", PLAN_STAFF),
    "plans.cancel_session": ("POST", PLAN_STAFF),
    "plans.restore_session": ("POST", PLAN_STAFF),
    "plans.delete_session": ("GET", PLAN_STAFF),
    # Reading a Kế hoạch from a file (issue 23): organisers; a draft is its own organisation's (404 to others).
    "plans.read_plan": ("GET", ORGANISERS),
    "plans.review_reading": ("GET", PLAN_STAFF),
    "lists.upload_list": ("GET", LIST_SENDERS),
    "lists.view_import": ("GET", LIST_SENDERS),
    "lists.submit_import": ("POST", LIST_SENDERS),
    "lists.discard_import": ("POST", LIST_SENDERS),
    "lists.download_template": ("GET", LOGGED_IN),
    "lists.view_roster": ("GET", PLAN_READERS),
    "lists.export_roster_xlsx": ("GET", PLAN_READERS),
    "lists.export_roster_csv": ("GET", PLAN_READERS),
    "lists.signin_sheet": ("GET", PLAN_READERS),
    "lists.confirm_roster": ("POST", PLAN_STAFF),
    "lists.set_quota": ("POST", PLAN_STAFF),
    "lists.edit_enrolment": ("GET", PLAN_STAFF),
    "lists.edit_contact": ("POST", PLAN_STAFF),  # a participant's e-mail and phone (issue 21)
    "lists.view_waiting": ("GET", PLAN_READERS),  # a supplier reads her own agency's waiting people only
    "lists.list_duplicates": ("GET", ORGANISERS),
    # A pair is settled by the organisers of its people (issue 20): the stranger's organiser reads an empty page.
    "lists.resolve_duplicate": ("POST", PLAN_STAFF),
    # Participants' own pages: the signed token in the URL is the credential.
    "checkin.ticket": ("GET", EVERYONE),
    "checkin.ticket_qr": ("GET", EVERYONE),
    "checkin.ticket_room_code": ("POST", EVERYONE),
    "checkin.room": ("GET", EVERYONE),
    "checkin.room_checkin": ("POST", EVERYONE),
    "checkin.scanner_service_worker": ("GET", EVERYONE),
    "checkin.print_cards": ("GET", PLAN_STAFF),
    "checkin.scanner": ("GET", PLAN_STAFF),
    "checkin.kiosk": ("GET", PLAN_STAFF),
    "checkin.kiosk_state": ("GET", PLAN_STAFF),
    "checkin.mark": ("POST", PLAN_STAFF),
    "checkin.scan_log": ("GET", PLAN_STAFF),
    "checkin.attendance": ("GET", ATTENDANCE_READERS),
    "checkin.live": ("GET", ATTENDANCE_READERS),
    # Calendar feeds: the token (or a public plan's code) is the credential.
    "calendar.feed": ("GET", EVERYONE),
    "calendar.public_plan_feed": ("GET", EVERYONE),
    "calendar.public_class_feed": ("GET", EVERYONE),
    "calendar.my_calendar": ("GET", EVERYONE),
    "calendar.manage_my_feed": ("POST", EVERYONE),
    "calendar.my_class_ics": ("GET", EVERYONE),
    "calendar.plan_calendar": ("GET", PLAN_READERS),
    "calendar.class_calendar": ("GET", PLAN_READERS),
    "calendar.class_ics": ("GET", PLAN_READERS),
    "calendar.manage_plan_feed": ("POST", PLAN_STAFF),
    "calendar.manage_class_feed": ("POST", PLAN_STAFF),
    "calendar.set_plan_access": ("POST", PLAN_STAFF),
    "calendar.class_invitations": ("GET", PLAN_STAFF),
    "calendar.send_invitations": ("POST", PLAN_STAFF),
    "calendar.fill_emails": ("POST", PLAN_STAFF),  # the addresses missing on the invitation page (issue 21)
    "calendar.org_calendar": ("GET", ORGANISERS),  # organisers, and the unit's own accounts (none here)
    "calendar.manage_org_feed": ("POST", ORGANISERS),
    "calendar.trainer_calendar": ("GET", ORGANISERS),
    "calendar.manage_trainer_feed": ("POST", ORGANISERS),
    "api.create_checkin": ("POST", PLAN_STAFF),
    "api.create_checkin_batch": ("POST", PLAN_STAFF),
    "api.roster_snapshot": ("GET", PLAN_STAFF),
    # security (issue 8): the API's OpenAPI description is public documentation.
    "api.openapi": ("GET", EVERYONE),
    "orgs.list_organisations": ("GET", DIRECTORY_READERS),
    "orgs.create_organisation": ("GET", ADMIN),
    "orgs.edit_organisation": ("GET", ADMIN),
    "orgs.delete_organisation": ("GET", ADMIN),
    "orgs.move_organisation": ("GET", ADMIN),
    "orgs.rename_organisation": ("GET", ADMIN),
    "orgs.end_organisation": ("GET", ADMIN),
    # A unit's document defaults (issue 19): organisers of its province (HT-CX is the demo's), never another's.
    "orgs.document_settings": ("GET", {"admin", "organiser"}),
    "directory.list_trainers": ("GET", DIRECTORY_READERS),
    "directory.edit_trainer": ("GET", ORGANISERS),
    "directory.delete_trainer": ("POST", ORGANISERS),
    "directory.list_venues": ("GET", DIRECTORY_READERS),
    "directory.edit_venue": ("GET", ORGANISERS),
    "directory.delete_venue": ("POST", ORGANISERS),
    "users.list_users": ("GET", ADMIN),
    "users.create_user": ("GET", ADMIN),
    "users.edit_user": ("GET", ADMIN),
    "audit.list_events": ("GET", ADMIN),
    # Training-rate reports (issue 6): they name people of the planning pool, so the plan's organiser and
    # monitors read them; the organiser sets targets, generates periodic reports and nominates.
    "reports.plan_report": ("GET", ATTENDANCE_READERS),
    "reports.unit_report": ("GET", ATTENDANCE_READERS),
    "reports.trend_chart": ("GET", ATTENDANCE_READERS),
    # The forecast (issue 23): read like the report; next year's plan drafted from it by the plan's organiser.
    "reports.forecast_report": ("GET", ATTENDANCE_READERS),
    "reports.next_year_draft": ("GET", PLAN_STAFF),
    "reports.nominate": ("GET", PLAN_STAFF),
    "reports.new_target": ("GET", PLAN_STAFF),
    "reports.edit_target": ("GET", PLAN_STAFF),
    "reports.delete_target": ("GET", PLAN_STAFF),
    "reports.list_reports": ("GET", ATTENDANCE_READERS),
    "reports.new_report": ("GET", PLAN_STAFF),
    "reports.view_report": ("GET", ATTENDANCE_READERS),
    "reports.report_xlsx": ("GET", ATTENDANCE_READERS),
    "reports.report_document_file": ("GET", ATTENDANCE_READERS),
    # Official reports (issue 19): the organiser writes, issues, corrects and deletes drafts.
    "reports.edit_report": ("GET", PLAN_STAFF),
    "reports.issue_report": ("GET", PLAN_STAFF),
    "reports.correct_report": ("GET", PLAN_STAFF),
    "reports.delete_report": ("GET", PLAN_STAFF),
    "reports.headcount_report": ("GET", ATTENDANCE_READERS),
    "reports.edit_headcount": ("GET", PLAN_STAFF),
    # Feedback (issue 7): participants answer through their ticket or the kiosk's QR (the token is the
    # credential); organisers and monitors of the plan read results; the organiser manages; trainers
    # read their class through a signed, revocable link.
    "feedback.ticket_form": ("POST", EVERYONE),
    "feedback.class_form": ("POST", EVERYONE),
    "feedback.ticket_quiz": ("GET", EVERYONE),
    "feedback.trainer_results": ("GET", EVERYONE),
    "feedback.class_results": ("GET", ATTENDANCE_READERS),
    "feedback.class_results_xlsx": ("GET", ATTENDANCE_READERS),
    "feedback.plan_results": ("GET", ATTENDANCE_READERS),
    "feedback.plan_results_xlsx": ("GET", ATTENDANCE_READERS),
    "feedback.feedback_poster": ("GET", PLAN_STAFF),
    "feedback.edit_settings": ("GET", PLAN_STAFF),
    "feedback.issue_trainer_link": ("POST", PLAN_STAFF),
    "feedback.revoke_trainer_link": ("POST", PLAN_STAFF),
    # Monitoring and certificates (issue 7): read-only for monitors; a supplier reads compliance
    # (her own agency's rows); the organiser issues, revokes and re-issues certificates.
    "monitoring.index": ("GET", {"admin", "organiser", "organiser_other", "monitor", "monitor_other"}),
    "monitoring.plan_dashboard": ("GET", ATTENDANCE_READERS),
    "monitoring.compliance": ("GET", PLAN_READERS),
    "monitoring.export_compliance": ("GET", PLAN_READERS),
    "monitoring.plan_summary": ("GET", ATTENDANCE_READERS),
    "monitoring.export_summary": ("GET", ATTENDANCE_READERS),
    "monitoring.export_summary_docx": ("GET", ATTENDANCE_READERS),  # issue 19: the same report as a document
    "monitoring.export_summary_pdf": ("GET", ATTENDANCE_READERS),
    "certificates.list_certificates": ("GET", ATTENDANCE_READERS),
    "certificates.print_certificates": ("GET", ATTENDANCE_READERS),
    "certificates.issue_certificates": ("GET", PLAN_STAFF),  # the form; its POST issues
    "certificates.class_certificates_pdf": ("GET", ATTENDANCE_READERS),  # as the print page
    "certificates.class_certificates_docx": ("GET", ATTENDANCE_READERS),
    "certificates.revoke_certificate": ("GET", PLAN_STAFF),
    "certificates.reissue_certificate": ("POST", PLAN_STAFF),
    "certificates.verify": ("GET", EVERYONE),  # the signed token printed on the certificate is the credential
    "certificates.my_certificate": ("GET", EVERYONE),  # the participant's ticket token
    "certificates.my_certificate_pdf": ("GET", EVERYONE),
    # Personal-data protection (issue 8 part 3): the access log, a person's data, export, erasure.
    "privacy.access_log_page": ("GET", ADMIN),
    "privacy.find_people": ("GET", ADMIN),
    "privacy.view_person": ("GET", ADMIN),
    "privacy.export_person": ("GET", ADMIN),
    "privacy.erase_person": ("GET", ADMIN),
    "reports.import_headcounts": ("POST", PLAN_STAFF),
    # A unit's planning pool (issue 18): organisers of its province and the unit's own accounts manage it,
    # monitors of the province read; other provinces and agencies that supply classes see nothing.
    "pool.index": ("GET", LOGGED_IN),  # lists only the units one may read
    "pool.unit_pool": ("GET", ATTENDANCE_READERS),
    "pool.person_history": ("GET", ATTENDANCE_READERS),
    "pool.add_entry": ("GET", PLAN_STAFF),
    "pool.leave_entry": ("GET", PLAN_STAFF),
    "pool.rejoin_entry": ("GET", PLAN_STAFF),
    "pool.carry_entry": ("GET", PLAN_STAFF),
    "pool.carry_all": ("GET", PLAN_STAFF),
    "pool.upload": ("GET", PLAN_STAFF),
    "pool.view_upload": ("GET", PLAN_STAFF),
    "pool.confirm_upload": ("POST", PLAN_STAFF),
    "pool.discard_upload": ("POST", PLAN_STAFF),
    # Training outside the system (issue 18): organisers keep it, monitors read it, suppliers never see it.
    "training_records.list_records": ("GET", DIRECTORY_READERS),
    "training_records.export_records": ("GET", DIRECTORY_READERS),
    "training_records.person_records": ("GET", DIRECTORY_READERS),
    "training_records.download_template": ("GET", DIRECTORY_READERS),
    "training_records.find_people": ("GET", ORGANISERS),
    "training_records.new_record": ("GET", ORGANISERS),
    "training_records.edit_record": ("GET", ORGANISERS),
    "training_records.delete_record": ("GET", ORGANISERS),
    "training_records.upload_import": ("GET", ORGANISERS),
    "training_records.view_import": ("GET", ORGANISERS),
    "training_records.confirm_import": ("POST", ORGANISERS),
    "training_records.discard_import": ("POST", ORGANISERS),
}


# Issue 20: routes naming one registry person (or an organisation's upload) answer 404 to a role that holds
# the permission but not that person in reach — the same answer as an unknown id. The world's person is a
# Hà Tĩnh woman (HT-CX's pool, the demo plan's LOP-3) and its import the demo organiser's.
HIDDEN = {
    "plans.review_reading": {"organiser_other"},
    "training_records.person_records": {"organiser_other", "monitor_other"},
    "training_records.new_record": {"organiser_other"},
    "training_records.edit_record": {"organiser_other"},
    "training_records.delete_record": {"organiser_other"},
    "training_records.view_import": {"organiser_other"},
    "training_records.confirm_import": {"organiser_other"},
    "training_records.discard_import": {"organiser_other"},
    # A plan's Kế hoạch (issue 23): whoever may not see the plan is told it does not exist.
    **{endpoint: {"organiser_other", "supplier_other", "monitor_other"} for endpoint in (
        "plans.plan_document", "plans.reset_plan_document", "plans.plan_document_file")},
}


def test_every_endpoint_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(EXPECTED)


def test_a_monitor_reads_and_changes_nothing(app):
    """Every route that accepts POST, except the public ones (a participant's own pages, the language
    switch) and logging out, is refused to the monitor: her role is read-only (issue 7)."""
    own = {"auth.logout", "auth.end_other_sessions"}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in own:
            continue
        _method, allowed = EXPECTED[rule.endpoint]
        if allowed == EVERYONE:
            continue
        assert "monitor" not in allowed and "monitor_other" not in allowed, rule.endpoint


@pytest.fixture
def world(app):
    """The demo plan, a stranger organisation, and one account per role."""
    plan = load_demo()
    from bdgtrain.models import Organisation

    def org(code):
        return db.session.scalar(select(Organisation).where(Organisation.code == code))

    stranger = make.org("SYT", "Sở Y tế")
    accounts = {
        "admin": make.user("admin@test.vn", "admin"),
        "organiser": make.user("tochuc@test.vn", "organiser", org("SLDTBXH")),
        "organiser_other": make.user("tochuc-khac@test.vn", "organiser", stranger),
        "supplier": make.user("snv@test.vn", "supplier", org("SNV")),
        "supplier_other": make.user("ncc-khac@test.vn", "supplier", stranger),
        "monitor": make.user("giamsat@test.vn", "monitor", org("HLHPN")),
        "monitor_other": make.user("giamsat-khac@test.vn", "monitor", stranger),
    }
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    args = {
        "code": plan.code, "class_code": lop3.code,
        "session_id": db.session.scalars(select(ClassSession.id).where(ClassSession.class_id == lop3.id)).first(),
        "trainer_id": db.session.scalars(select(Trainer.id)).first(),
        "venue_id": db.session.scalars(select(Venue.id)).first(),
        "user_id": accounts["organiser"].id,
    }
    # A list waiting in preview, one enrolment, one flagged pair: objects the lists routes act on.
    from bdgtrain.models import DuplicateFlag, Enrolment, Person
    from bdgtrain.services.lists import lists
    from tests import list_files

    upload = lists.store_upload(None, lop3, org("SNV"), "ds.xlsx", list_files.snv_xlsx([list_files.HOA]))
    people = [Person(full_name=n, name_folded=n.lower(), name_sort_key=n.lower()) for n in ("Mai A", "Mai B")]
    db.session.add_all(people)
    db.session.flush()
    enrolment = Enrolment(class_id=lop3.id, person_id=people[0].id)
    flag = DuplicateFlag(person_id=people[0].id, other_person_id=people[1].id, reason="name_birth_year")
    db.session.add_all([enrolment, flag])
    db.session.flush()
    args.update(import_id=upload.id, enrolment_id=enrolment.id, flag_id=flag.id, shape="snv", decision="distinct")
    # A woman of HT-CX's planning pool, a target and a kept report: what the reports routes act on.
    from datetime import date

    from bdgtrain.models import PoolEntry
    from bdgtrain.services.reporting import periodic_reports

    pool_entry = PoolEntry(person_id=people[0].id, organisation_id=org("HT-CX").id, cycle="2016-2021",
                           cycle_starts_on=date(2016, 1, 1), cycle_ends_on=date(2021, 12, 31),
                           added_on=date(2018, 6, 1))
    db.session.add(pool_entry)
    from bdgtrain.services.pool import pool

    pool_upload = pool.store_pool_upload(None, org("HT-CX"), "2016-2021", "qh.xlsx",
                                         list_files.snv_xlsx([list_files.HOA]), date(2026, 1, 1))
    args.update(entry_id=pool_entry.id, pool_import_id=pool_upload.id)
    kept = periodic_reports.generate_report(None, plan, periodic_reports.ReportInput(
        label="Báo cáo 6 tháng", period_start=date(2019, 1, 1), period_end=date(2019, 5, 25), number="1/BC",
        place="Hà Tĩnh", issued_on=date(2019, 5, 25)))
    args.update(person_id=people[0].id, target_id=plan.targets[0].id, report_id=kept.id, year=2019, fmt="pdf")
    from bdgtrain.models import Certificate
    from bdgtrain.services.certificates.certificates import certificate_token

    certificate = Certificate(enrolment_id=enrolment.id, number="HT-2019/LOP-3/001")
    db.session.add(certificate)
    db.session.flush()
    args.update(certificate_id=certificate.id, certificate_token=certificate_token(certificate))
    from bdgtrain.security import ticket_token
    from bdgtrain.services.calendar import calendar_feeds
    from bdgtrain.services.checkin.rooms import room_token

    plan.calendar_access = "public"  # so that the public feeds answer
    feed = calendar_feeds.ensure_feed(None, "class", lop3.id)
    with db.session.no_autoflush:
        args.update(token=ticket_token(enrolment.id), kind="png", room=room_token(lop3), room_code="000000",
                    plan_code=plan.code, org_code="HT-CX")
        args["feed_token"] = calendar_feeds.feed_token(feed)
    from bdgtrain.services.feedback import feedback, trainer_links

    link = trainer_links.issue_trainer_link(None, lop3, args["trainer_id"], utcnow())
    args.update(form_token=feedback.form_token(lop3), link_token=trainer_links.trainer_link_token(link))
    from bdgtrain.models import ExternalTraining
    from bdgtrain.services.pool import external_training_import
    from tests.training_files import row, training_xlsx

    record = ExternalTraining(person_id=people[0].id, kind="llct", title="Trung cấp LLCT", ended_on=date(2021, 1, 1))
    db.session.add(record)
    training_import = external_training_import.store_upload(accounts["organiser"], "dt.xlsx",
                                                     training_xlsx([row()]))  # flushes both
    args.update(record_id=record.id, training_import_id=training_import.id)
    from bdgtrain.services.plan_reading import drafts
    from tests.plan_files import seed_text

    draft = drafts.read_into_draft(accounts["organiser"], org("SLDTBXH"), seed_text("004"), "ke-hoach.txt")
    args.update(draft_token=draft.token)
    db.session.commit()
    return {role: user.email for role, user in accounts.items()}, args


def _url(app, endpoint, args):
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: args[name] for name in rule.arguments if name in args}
    if "code" in rule.arguments and endpoint.startswith("orgs."):
        values["code"] = "HT-CX"
    with app.test_request_context():
        return url_for(endpoint, **values)


def _is_login_redirect(response) -> bool:
    """Flask-Login's answer to an anonymous visitor: back to the login page, remembering the target."""
    return response.status_code in (302, 303) and "/login?next=" in response.headers.get("Location", "")


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_route_allows_exactly_the_expected_roles(app, world, endpoint):
    accounts, args = world
    if endpoint == "calendar.feed":
        args = dict(args, token=args["feed_token"])
    if endpoint == "privacy.export_person":
        args = dict(args, kind="json")
    method, allowed = EXPECTED[endpoint]
    url = _url(app, endpoint, args)
    outcomes = {}
    for role in ROLES:
        client = app.test_client()
        web = Browserless(client)
        if role != "anonymous":
            assert web.login(accounts[role]).status_code == 302
        token_page = "/login" if role == "anonymous" else "/"
        if endpoint.startswith("api.") and method == "POST":
            # A scanner's request: JSON naming the class it scans for, the CSRF token in a header.
            response = client.post(url,
                                   json={"token": "x", "scans": [], "class": f"{args['code']}/{args['class_code']}"},
                                   headers={"X-CSRFToken": web.csrf(token_page)})
        elif method == "POST":
            response = web.post(url, {}, token_page=token_page)
        else:
            response = client.get(url)
        if _is_login_redirect(response) or (endpoint.startswith("api.") and response.status_code == 401):
            outcomes[role] = "login"
        elif response.status_code == 403:
            outcomes[role] = "denied"
        elif response.status_code == 404 and role in HIDDEN.get(endpoint, ()):
            outcomes[role] = "hidden"
        else:
            assert response.status_code < 500, (role, endpoint, response.status_code)
            assert response.status_code not in (400, 404), (role, endpoint, response.status_code)
            outcomes[role] = "allowed"
    expected = {role: ("hidden" if role in HIDDEN.get(endpoint, ()) else "allowed" if role in allowed
                       else "login" if role == "anonymous" else "denied")
                for role in ROLES}
    assert outcomes == expected

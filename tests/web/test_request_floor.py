"""What every page pays before its own rows (issue 22: small pages were 10-31x their bare reference).

A small list page sends its session check and its rows, nothing per row and no COUNT when the page itself
tells the total; the layout's messages are translated from the request's catalogue, which follows
`force_locale` and `refresh` as Flask-Babel's own lookup does.
"""
from __future__ import annotations

import re

from flask_babel import force_locale, gettext, ngettext, refresh

from tests import factories as make

TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK)", re.IGNORECASE)


def _statements(counter) -> list[str]:
    """The statements that read or write (SQLite's BEGIN IMMEDIATE is sent as a statement, PostgreSQL's not)."""
    return [s for s in counter.statements if not TRANSACTION.match(s)]


def _accounts_in_three_units():
    units = [make.org(f"DV-{n}", f"Đơn vị số {n}") for n in range(3)]
    make.user("admin@test.vn", "admin")
    for n in range(9):
        make.user(f"nguoi{n}@test.vn", "organiser", units[n % 3])
    make.commit()
    return units


def test_the_accounts_page_is_two_statements_with_their_units(app, web, count_queries):
    units = _accounts_in_three_units()
    web.login("admin@test.vn")
    with count_queries() as counter:
        page = web.client.get("/users/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(unit.name in html for unit in units)  # each account's unit is shown ...
    assert "10 tài khoản" in html
    # ... from one statement with the accounts: the session check, the page; no COUNT (the page is not full)
    assert len(_statements(counter)) == 2, _statements(counter)


def test_the_audit_page_is_three_statements_when_the_log_is_short(app, web, count_queries):
    _accounts_in_three_units()
    web.login("admin@test.vn")
    with count_queries() as counter:
        page = web.client.get("/audit/")
    assert page.status_code == 200
    assert "nguoi8@test.vn" in page.get_data(as_text=True)
    # the session check, the events, the names of what they are about
    assert len(_statements(counter)) == 3, _statements(counter)


def test_a_full_page_counts_and_the_last_page_knows_the_total_without(app, web, count_queries):
    make.user("admin@test.vn", "admin")
    for n in range(app.config["PAGE_SIZE"] + 2):
        make.user(f"nguoi{n:03d}@test.vn", "admin")
    make.commit()
    total = app.config["PAGE_SIZE"] + 3
    web.login("admin@test.vn")
    with count_queries() as first:
        html = web.client.get("/users/").get_data(as_text=True)
    assert f"{total} tài khoản" in html
    assert any("count(" in s.lower() for s in first.statements)
    with count_queries() as last:
        html = web.client.get("/users/?page=2").get_data(as_text=True)
    assert f"{total} tài khoản" in html and "nguoi051@test.vn" in html
    assert not any("count(" in s.lower() for s in last.statements)
    with count_queries() as past:
        html = web.client.get("/users/?page=9").get_data(as_text=True)
    assert any("count(" in s.lower() for s in past.statements)  # an empty page past the end must count


def test_messages_follow_the_request_locale_force_locale_and_refresh(app):
    with app.test_request_context("/"):
        assert gettext("Tài khoản") == "Tài khoản"
        with force_locale("en"):
            assert gettext("Tài khoản") == "Accounts"
            assert ngettext("%(num)s tài khoản", "%(num)s tài khoản", 2) == "2 accounts"
        assert gettext("Tài khoản") == "Tài khoản"
        from flask import session

        session["locale"] = "en"
        refresh()
        assert gettext("Tài khoản") == "Accounts"


def test_page_messages_are_in_the_chosen_language_and_escape_what_was_typed(app, web):
    _accounts_in_three_units()
    web.login("admin@test.vn")
    typed = '<b id="x">nguoi1'
    html = web.client.get("/users/", query_string={"q": typed}).get_data(as_text=True)
    assert '<b id="x">' not in html and "&lt;b id=&#34;x&#34;&gt;nguoi1" in html
    web.post("/locale", {"lang": "en", "next": "/users/"})
    html = web.client.get("/users/").get_data(as_text=True)
    assert "10 accounts" in html and ">Accounts<" in html


def test_audit_values_are_shown_as_the_page_showed_them(app):
    from bdgtrain.web.labels import audit_shown

    with app.test_request_context("/"):
        shown = {repr(value): str(audit_shown("TrainingClass", field, value)) for field, value in [
            ("note", None), ("note", ""), ("note", []), ("is_active_account", True), ("is_active_account", False),
            ("note", "a < b & c"), ("capacity", 40), ("completion_percent", 0), ("note", ["x", "<y>"]),
            ("status", "cancelled"), ("eligible_org_kinds", "province,district")]}
        assert shown == {
            "None": "<em>(trống)</em>", "''": "<em>(trống)</em>", "[]": "<em>(trống)</em>", "True": "có",
            "False": "không", "'a < b & c'": "a &lt; b &amp; c", "40": "40", "0": "0", "['x', '<y>']": "x, &lt;y&gt;",
            "'cancelled'": "Đã hủy", "'province,district'": "Tỉnh / thành phố, Huyện, thị xã, thành phố thuộc tỉnh"}
        with force_locale("en"):
            assert str(audit_shown("TrainingClass", "note", None)) == "<em>(empty)</em>"
            assert str(audit_shown("User", "is_active_account", True)) == "yes"

"""The small things a newcomer meets first (issue 21): a bad ticket link answers a friendly 404 page, not
the login page; /favicon.ico is served; every page loads the form widgets from a file (the CSP forbids
inline scripts); date fields are marked for the picker and keep dd/mm/yyyy without JavaScript."""
from __future__ import annotations

import re

import pytest

from tests import factories as make
from tests.conftest import Browserless


@pytest.mark.parametrize("path", ["/T/AAAAAAAAAAAAAAAAAAAAAAAA", "/T/not-a-ticket",
                                  "/T/AAAAAAAAAAAAAAAAAAAAAAAA/calendar", "/T/AAAAAAAAAAAAAAAAAAAAAAAA/feedback"])
def test_a_bad_ticket_link_is_a_friendly_404_without_a_login_redirect(client, path):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert "Không mở được giấy mời" in page and "quét lại mã QR" in page
    assert "Về trang tổng quan" not in page, "the dashboard would only ask her to log in"
    assert response.headers["Cache-Control"] == "no-store"


def test_favicon_is_served_and_linked(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.get_data()
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert client.get("/static/favicon.svg").status_code == 200


def test_every_page_loads_the_widgets_from_a_file(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<script src="/static/js/widgets.js' in page and 'data-cancel-label="Hủy"' in page
    assert client.get("/static/js/widgets.js").status_code == 200


def test_date_fields_are_marked_for_the_picker_and_multi_selects_stay_plain_selects(app, client):
    make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    make.user("admin@example.vn", "admin")
    web = Browserless(client)
    web.login("admin@example.vn")
    page = client.get("/plans/new").get_data(as_text=True)
    assert 'data-vn-date' in page and 'placeholder="dd/mm/yyyy"' in page
    # Without JavaScript the multi-select is the select it always was.
    select = re.search(r'<select[^>]*name="monitor_org_ids"[^>]*>', page)
    assert select and "multiple" in select.group(0) and "hidden" not in select.group(0)


def test_a_declined_participants_calendar_link_is_the_same_friendly_page(app, client):
    from bdgtrain.extensions import db
    from bdgtrain.models import Enrolment
    from bdgtrain.security import ticket_token
    from tests import seats_world as world

    w = world.build(capacity=None)
    world.send_list(w.cls, w.snv, world.people(1))
    enrolment = db.session.query(Enrolment).one()
    enrolment.status = "declined"
    db.session.commit()
    response = client.get(f"/T/{ticket_token(enrolment.id)}/calendar")
    assert response.status_code == 404 and "Không mở được giấy mời" in response.get_data(as_text=True)

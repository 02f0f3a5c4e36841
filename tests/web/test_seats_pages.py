"""Seats through the pages (issue 21): the waiting list in the import preview before anything is written,
on the roster and on its own page, a decline that promotes, and a capacity that cannot drop below the seats."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Person
from tests import seats_world as world
from tests.conftest import Browserless

ROSTER = "/plans/KH-2019/classes/LOP-3/roster"
UPLOAD = "/plans/KH-2019/classes/LOP-3/lists/upload"
WAITING = "/plans/KH-2019/classes/LOP-3/waiting"


@pytest.fixture
def w(app):
    return world.build(capacity=3)


def _login(app, email: str) -> Browserless:
    web = Browserless(app.test_client())
    assert web.login(email).status_code == 302
    return web


def _upload(web: Browserless, rows: list[dict]):
    page = web.client.get(UPLOAD).get_data(as_text=True)
    source = re.search(r'name="source_org_id"[^>]*>\s*<option[^>]*value="(\d+)"', page).group(1)
    return web.client.post(UPLOAD, data={"csrf_token": web.csrf(UPLOAD), "source_org_id": source,
                                         "file": (io.BytesIO(world.list_xlsx(rows)), "ds.xlsx")},
                           content_type="multipart/form-data")


def _count(status: str | None = None) -> int:
    query = select(func.count()).select_from(Enrolment)
    return db.session.scalar(query.where(Enrolment.status == status) if status else query)


def _enrolment_id(name: str) -> int:
    return db.session.scalar(select(Enrolment.id).join(Enrolment.person).where(Person.full_name == name))


def test_the_preview_says_who_will_wait_before_anything_is_written(app, w):
    supplier = _login(app, "snv@example.vn")
    response = _upload(supplier, world.people(5))
    assert response.status_code == 303
    preview = supplier.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 người vào danh sách chờ" in preview and "lớp có 3 chỗ" in preview
    assert preview.count('class="badge badge-enrolment-waiting"') == 2
    assert _count() == 0  # a preview writes no one
    import_id = response.headers["Location"].rsplit("/", 1)[1]
    assert supplier.post(f"/lists/imports/{import_id}/submit", token_page=UPLOAD).status_code == 303
    assert (_count("nominated"), _count("waiting")) == (3, 2)
    submitted = supplier.client.get(f"/lists/imports/{import_id}").get_data(as_text=True)
    assert "Vào danh sách chờ (lớp đã đủ chỗ)" in submitted


def test_the_roster_shows_the_waiting_list_in_order(app, w):
    rows = world.people(6)
    world.send_list(w.cls, w.snv, rows)
    organiser = _login(app, "org@example.vn")
    page = organiser.client.get(ROSTER).get_data(as_text=True)
    assert "Danh sách chờ: 3" in page and 'id="danh-sach-cho"' in page
    section = page[page.index('id="danh-sach-cho"'):page.index('id="suat"')]
    positions = [section.index(r["name"]) for r in rows[3:]]
    assert positions == sorted(positions)  # nomination order, not the alphabet
    assert all(r["name"] not in section for r in rows[:3])
    # Seat quotas have their own word; "chỉ tiêu" is for plan targets.
    assert "Suất theo đơn vị cử" in page and "chỉ tiêu" not in page.lower()


def test_the_waiting_page_is_paged_and_a_supplier_sees_only_her_own(app, w):
    app.config["PAGE_SIZE"] = 2
    try:
        world.send_list(w.cls, w.snv, world.people(4))  # 1 waits
        hlhpn_rows = world.people(3, start=10)
        world.send_list(w.cls, w.hlhpn, hlhpn_rows)  # 3 wait
        organiser = _login(app, "org@example.vn")
        first = organiser.client.get(WAITING).get_data(as_text=True)
        assert "Trang 1/2" in first
        second = organiser.client.get(WAITING + "?page=2").get_data(as_text=True)
        assert hlhpn_rows[1]["name"] in second and hlhpn_rows[2]["name"] in second
        assert re.search(r'<td class="num">4</td>', second)  # positions run on across pages
        supplier = _login(app, "hlhpn@example.vn")
        own = supplier.client.get(WAITING).get_data(as_text=True)
        assert world.people(4)[3]["name"] not in own and hlhpn_rows[0]["name"] in own
        assert supplier.client.get(ROSTER).status_code == 200
        assert _login(app, "other@example.vn").client.get(WAITING).status_code == 403
    finally:
        app.config["PAGE_SIZE"] = 50


def test_declining_on_the_roster_promotes_the_next_and_says_so(app, w):
    rows = world.people(4)
    world.send_list(w.cls, w.snv, rows)
    organiser = _login(app, "org@example.vn")
    url = f"{ROSTER}/{_enrolment_id(rows[0]['name'])}"
    response = organiser.post(url, {"action": "declined", "note": "Đi công tác", "replacement_id": ""}, token_page=url)
    assert response.status_code == 303
    page = organiser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "đã xếp chỗ cho người kế tiếp trong danh sách chờ" in page and rows[3]["name"] in page
    assert _count("waiting") == 0 and _count("nominated") == 3


def test_a_waiting_person_is_refused_a_seat_of_a_full_class_with_a_message(app, w):
    rows = world.people(4)
    world.send_list(w.cls, w.snv, rows)
    organiser = _login(app, "org@example.vn")
    url = f"{ROSTER}/{_enrolment_id(rows[3]['name'])}"
    response = organiser.post(url, {"action": "confirmed", "note": "", "replacement_id": ""}, token_page=url)
    assert response.status_code == 422
    assert "Lớp đã đủ 3 chỗ" in response.get_data(as_text=True)
    assert _count("waiting") == 1


def test_lowering_the_capacity_below_the_seats_is_refused_on_the_class_form(app, w):
    world.send_list(w.cls, w.snv, world.people(3))
    organiser = _login(app, "org@example.vn")
    url = "/plans/KH-2019/classes/LOP-3/edit"
    form = {"code": "LOP-3", "title": "Lớp LOP-3", "date_expression": "11-12/7/2019", "status": "planned",
            "eligible_sex": "", "venue_id": "", "capacity": "2", "supplier_org_ids": [str(w.snv.id), str(w.hlhpn.id)]}
    response = organiser.post(url, form, token_page=url)
    assert response.status_code == 422
    assert "số học viên tối đa không thể nhỏ hơn 3" in response.get_data(as_text=True)
    raised = organiser.post(url, dict(form, capacity="5"), token_page=url)
    assert raised.status_code == 303


def test_the_class_page_counts_the_seats_taken_and_the_waiting_list(app, w):
    world.send_list(w.cls, w.snv, world.people(5))
    page = _login(app, "org@example.vn").client.get("/plans/KH-2019/classes/LOP-3").get_data(as_text=True)
    assert re.search(r'id="fact-seats">3/3<', page)
    assert re.search(r'id="fact-waiting">2<', page)

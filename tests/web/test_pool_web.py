"""A unit's planning pool on the web: the list with search, pages and an empty state; adding, leaving,
joining again, carrying (one and all); a person's history; re-importing a cycle's list through a preview;
who may see and change it; and the access log of the pages that name people."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Organisation, Person, PersonalDataAccess, PoolEntry, PoolImport
from bdgtrain.services.demo import demo
from bdgtrain.services.pool import pool_register as register
from tests import factories as make
from tests.conftest import Browserless
from tests.pool_files import HOA, HUNG, LAN, MAI, pool_xlsx


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def world(app):
    """The demo's organisations, accounts of several kinds, and Can Lộc's 2016-2021 pool of two."""
    demo.load_demo()
    stranger = make.org("QB", "UBND tỉnh Quảng Bình", kind="province")
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    make.user("tochuc-qb@test.vn", "organiser", stranger)
    make.user("canloc@test.vn", "supplier", _org("HT-CL"))  # the district's own account
    make.user("snv@test.vn", "supplier", _org("SNV"))
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))
    lan = register.add_to_pool(None, _org("HT-CL"), "2016-2021", new_person=register.NewPerson(
        "Trần Thị Lan", "F", 1985, phone=LAN[4]))
    register.add_to_pool(None, _org("HT-CL"), "2016-2021", new_person=register.NewPerson("Nguyễn Thị Ánh", "F", 1990),
                         added_on=date(2018, 6, 1))
    register.add_to_pool(None, _org("HT-DT"), "2016-2021", new_person=register.NewPerson("Phan Thị Hoa", "F", 1990))
    db.session.commit()
    return lan


def _as(client, email) -> Browserless:
    web = Browserless(client)
    assert web.login(email).status_code == 302
    return web


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_pool_page_lists_the_cycle_in_name_order_and_searches(world, client):
    web = _as(client, "tochuc@test.vn")
    page = client.get("/pool/HT-CL?cycle=2016-2021")
    assert page.status_code == 200
    text = _text(page)
    assert text.index("Nguyễn Thị Ánh") < text.index("Trần Thị Lan") and "Phan Thị Hoa" not in text
    assert "Hết nhiệm kỳ" in text  # 2016-2021 ended before today and was not carried
    found = _text(client.get("/pool/HT-CL?cycle=2016-2021&q=tran thi"))
    assert "Trần Thị Lan" in found and "Nguyễn Thị Ánh" not in found
    assert "không" in _text(client.get("/pool/HT-CL?cycle=2016-2021&q=zzz")).lower()
    assert "Chưa có ai trong diện quy hoạch nhiệm kỳ 2021-2026" in _text(client.get("/pool/HT-CL?cycle=2021-2026"))
    assert web.client.get("/pool/HT-CL").status_code == 200  # the newest cycle by default


def test_a_bad_cycle_in_the_address_is_named(world, client):
    _as(client, "tochuc@test.vn")
    page = client.get("/pool/HT-CL?cycle=2021-2016")
    assert page.status_code == 422 and "năm đầu phải trước năm cuối" in _text(page)


def test_the_pool_page_pages_fifty_at_a_time(world, client):
    unit = _org("HT-KA")
    for n in range(52):
        register.add_to_pool(None, unit, "2021-2026", new_person=register.NewPerson(f"Lê Thị Người {n:02d}", "F"))
    db.session.commit()
    _as(client, "tochuc@test.vn")
    first, second = client.get("/pool/HT-KA?cycle=2021-2026"), client.get("/pool/HT-KA?cycle=2021-2026&page=2")
    assert _text(first).count("Lê Thị Người") == 50 and _text(second).count("Lê Thị Người") == 2
    assert "Trang 1/2" in _text(first)


def test_the_pool_page_reads_a_page_and_where_it_was_carried_in_one_statement(world, client, count_queries):
    """The unit's cycles, its counts, then one page of entries with the cycle each was carried into (not a
    second statement for that), read as the columns the page shows rather than as entities."""
    register.carry_entry(None, world, "2021-2026")
    db.session.commit()
    _as(client, "tochuc@test.vn")
    with count_queries() as counted:
        text = _text(client.get("/pool/HT-CL?cycle=2016-2021"))
    assert "Đã chuyển sang nhiệm kỳ sau 2021-2026" in text and "Hết nhiệm kỳ (hết nhiệm kỳ 31/12/2021)" in text
    reading = [s for s in counted.statements if "pool_entries" in s and not s.lstrip().upper().startswith("INSERT")]
    assert len(reading) == 3, reading
    assert not any("birth_date" in s or "pool_entries.note" in s for s in reading)


def test_viewing_the_pool_names_each_person_in_the_access_log(world, client):
    _as(client, "tochuc@test.vn")
    client.get("/pool/HT-CL?cycle=2016-2021")
    entry = db.session.scalar(select(PersonalDataAccess).where(PersonalDataAccess.action == "pool.list.viewed"))
    assert entry is not None and entry.people_count == 2
    client.get(f"/pool/HT-CL/people/{world.person_id}")
    assert db.session.scalar(select(PersonalDataAccess.person_id).where(
        PersonalDataAccess.action == "person.viewed")) == world.person_id


def test_adding_a_new_and_an_existing_person(world, client):
    web = _as(client, "tochuc@test.vn")
    token = web.csrf("/pool/HT-CL/add?cycle=2021-2026")
    response = web.post("/pool/HT-CL/add", {"csrf_token": token, "cycle": "2021-2026", "full_name": "Lê Thị Yến",
                                            "sex": "F", "birth_year": "1991", "action": "add"})
    assert response.status_code == 303
    yen = db.session.scalar(select(PoolEntry).join(Person).where(Person.full_name == "Lê Thị Yến"))
    assert (yen.cycle, yen.added_on) == ("2021-2026", date(2021, 1, 1))
    found = client.post("/pool/HT-CL/add", data={"csrf_token": token, "cycle": "2021-2026", "find": "phan thi hoa",
                                                 "action": "find"})
    assert "Phan Thị Hoa" in _text(found)
    hoa = db.session.scalar(select(Person).where(Person.full_name == "Phan Thị Hoa"))
    response = web.post("/pool/HT-CL/add", {"csrf_token": token, "cycle": "2021-2026", "find": "phan thi hoa",
                                            "person_id": str(hoa.id), "added_on": "01/03/2022", "action": "add"})
    assert response.status_code == 303
    assert db.session.scalar(select(PoolEntry.added_on).where(PoolEntry.person_id == hoa.id,
                                                              PoolEntry.organisation_id == _org("HT-CL").id)) == \
        date(2022, 3, 1)


@pytest.mark.parametrize("data, words", [
    ({"cycle": "2026-2021", "full_name": "Lê Thị Yến"}, "năm đầu phải trước năm cuối"),
    ({"cycle": "2016-2021", "full_name": "Lê Thị Yến", "added_on": "01/01/2022"}, "sau khi nhiệm kỳ"),
    ({"cycle": "2016-2021"}, "Hãy chọn một người"),
])
def test_adding_refuses_bad_input_with_nothing_written(world, client, data, words):
    web = _as(client, "tochuc@test.vn")
    before = db.session.scalar(select(func.count()).select_from(PoolEntry))
    response = web.post("/pool/HT-CL/add", {**data, "action": "add"}, token_page="/pool/HT-CL/add")
    assert response.status_code == 422 and words in _text(response)
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == before


def test_leaving_with_a_confirmation_then_rejoining(world, client):
    web = _as(client, "tochuc@test.vn")
    url = f"/pool/HT-CL/entries/{world.id}/leave"
    assert "Xác nhận rời diện quy hoạch" in _text(client.get(url))
    bad = web.post(url, {"left_on": "31/12/2015", "reason": "moved"}, token_page=url)
    assert bad.status_code == 422 and "trước ngày vào" in _text(bad)
    bad_reason = web.post(url, {"left_on": "01/06/2019", "reason": "fired"}, token_page=url)
    assert bad_reason.status_code == 422
    db.session.expire_all()
    assert db.session.get(PoolEntry, world.id).left_on is None
    assert web.post(url, {"left_on": "01/06/2019", "reason": "retired"}, token_page=url).status_code == 303
    db.session.expire_all()
    assert db.session.get(PoolEntry, world.id).leave_reason == "retired"
    rejoin = f"/pool/HT-CL/entries/{world.id}/rejoin"
    assert web.post(rejoin, {"added_on": "01/01/2019"}, token_page=rejoin).status_code == 422
    assert web.post(rejoin, {"added_on": "01/01/2020"}, token_page=rejoin).status_code == 303
    history = _text(client.get(f"/pool/HT-CL/people/{world.person_id}"))
    assert "01/06/2019" in history and "01/01/2020" in history and "Nghỉ hưu" in history
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"pool.entry.left", "pool.entry.rejoined"} <= actions


def test_carrying_one_and_all_into_the_next_cycle(world, client):
    web = _as(client, "tochuc@test.vn")
    one = f"/pool/HT-CL/entries/{world.id}/carry"
    assert 'value="2021-2026"' in client.get(one).get_data(as_text=True)
    bad = web.post(one, {"to_cycle": "2011-2016"}, token_page=one)
    assert bad.status_code == 422 and "phải là nhiệm kỳ sau" in _text(bad)
    assert web.post(one, {"to_cycle": "2021-2026"}, token_page=one).status_code == 303
    page = _text(client.get("/pool/HT-CL?cycle=2016-2021"))
    assert "Đã chuyển sang nhiệm kỳ sau 2021-2026" in page and "Chuyển 1 người sang nhiệm kỳ 2021-2026" in page
    bulk = "/pool/HT-CL/carry?cycle=2016-2021"
    assert "1 người còn trong diện quy hoạch" in _text(client.get(bulk))
    assert web.post(bulk, {"to_cycle": "2021-2026"}, token_page=bulk).status_code == 303
    carried = db.session.execute(select(Person.full_name, PoolEntry.added_on).join(PoolEntry.person)
                                 .where(PoolEntry.cycle == "2021-2026").order_by(Person.name_sort_key)).all()
    assert carried == [("Nguyễn Thị Ánh", date(2021, 1, 1)), ("Trần Thị Lan", date(2021, 1, 1))]


def _upload(web, client, data: bytes, cycle="2016-2021", unit="HT-CL"):
    url = f"/pool/{unit}/import"
    token = web.csrf(url)
    return client.post(url, data={"csrf_token": token, "cycle": cycle,
                                  "file": (io.BytesIO(data), "quy-hoach.xlsx")}, content_type="multipart/form-data")


def test_reimporting_shows_new_unchanged_and_no_longer_listed_then_writes_on_confirm(world, client):
    web = _as(client, "tochuc@test.vn")
    # Lan is still listed, Mai and Hùng are new; Ánh is no longer on the list.
    response = _upload(web, client, pool_xlsx([LAN, MAI, HUNG]))
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    preview = _text(client.get(preview_url))
    assert "Mới vào diện quy hoạch: 2 người" in preview and "Không đổi: 1 người" in preview
    assert "Không còn trong danh sách: 1 người" in preview and "Nguyễn Thị Ánh" in preview
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 3  # nothing written yet
    confirm = preview_url + "/confirm"
    no_day = web.post(confirm, {}, token_page=preview_url)
    assert no_day.status_code == 422 and "Hãy nhập ngày rời" in _text(no_day)
    too_early = web.post(confirm, {"leave_missing_on": "01/01/2018"}, token_page=preview_url)
    assert too_early.status_code == 422 and "trước ngày vào" in _text(too_early)
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 3
    assert web.post(confirm, {"leave_missing_on": "01/07/2020"}, token_page=preview_url).status_code == 303
    anh = db.session.scalar(select(PoolEntry).join(Person).where(Person.full_name == "Nguyễn Thị Ánh"))
    assert (anh.left_on, anh.leave_reason) == (date(2020, 7, 1), "removed")
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 5
    assert db.session.scalar(select(PoolImport.status)) == "applied"
    again = web.post(confirm, {"leave_missing_on": "01/07/2020"}, token_page="/pool/HT-CL/add")
    assert again.status_code == 303  # already written: nothing more
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 5


def test_reimporting_may_keep_those_no_longer_listed(world, client):
    web = _as(client, "tochuc@test.vn")
    preview_url = _upload(web, client, pool_xlsx([LAN])).headers["Location"]
    assert web.post(preview_url + "/confirm", {"keep_missing": "y"}, token_page=preview_url).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(PoolEntry).where(PoolEntry.left_on.is_not(None))) == 0


def test_an_upload_with_a_bad_row_shows_it_and_cannot_be_confirmed(world, client):
    web = _as(client, "tochuc@test.vn")
    preview_url = _upload(web, client, pool_xlsx([LAN, MAI], added_on=[None, "01/01/2023"])).headers["Location"]
    preview = _text(client.get(preview_url))
    assert "Dòng 3" in preview and "Xác nhận và ghi" not in preview
    web.post(preview_url + "/confirm", {"keep_missing": "y"}, token_page=preview_url)
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 3
    asked = web.post(preview_url + "/discard", {}, token_page=preview_url)
    assert asked.status_code == 200 and "nguồn quy hoạch không thay đổi" in asked.get_data(as_text=True)
    assert db.session.scalar(select(PoolImport.status)) != "discarded", "nothing happens before the answer"
    assert web.post(preview_url + "/discard", {"confirmed": "yes"}, token_page=preview_url).status_code == 303
    assert db.session.scalar(select(PoolImport.status)) == "discarded"


def test_an_upload_naming_another_district_is_refused_row_by_row(world, client):
    web = _as(client, "tochuc@test.vn")
    data = pool_xlsx([LAN, HOA], districts=["Huyện Can Lộc", "Huyện Đức Thọ"])
    preview = _text(client.get(_upload(web, client, data).headers["Location"]))
    assert "Dòng 3" in preview and "không thuộc Huyện Can Lộc" in preview and "Xác nhận và ghi" not in preview
    # Without a "Huyện" column, every row of a unit's page is the unit's, whatever workplace it names.
    preview = _text(client.get(_upload(web, client, pool_xlsx([LAN, HOA])).headers["Location"]))
    assert "Mới vào diện quy hoạch: 1 người" in preview and "Không đổi: 1 người" in preview


def test_an_upload_with_a_reversed_cycle_is_refused(world, client):
    web = _as(client, "tochuc@test.vn")
    response = _upload(web, client, pool_xlsx([LAN]), cycle="2021-2016")
    assert response.status_code == 422 and "năm đầu phải trước năm cuối" in _text(response)
    assert db.session.scalar(select(func.count()).select_from(PoolImport)) == 0


def test_the_preview_pages_and_counts_those_no_longer_listed(world, client):
    unit = _org("HT-CL")
    for n in range(105):
        register.add_to_pool(None, unit, "2016-2021", new_person=register.NewPerson(f"Lê Thị Người {n:03d}", "F"))
    db.session.commit()
    web = _as(client, "tochuc@test.vn")
    preview_url = _upload(web, client, pool_xlsx([LAN])).headers["Location"]
    first = _text(client.get(preview_url))
    assert "Không còn trong danh sách: 106 người" in first and "Không đổi: 1 người" in first
    assert "Lê Thị Người 099" in first and "Lê Thị Người 100" not in first  # by given name: Ánh comes after
    second = _text(client.get(preview_url + "?missing_page=2"))
    assert "Lê Thị Người 100" in second and "Nguyễn Thị Ánh" in second and "Lê Thị Người 099" not in second
    assert "Không còn trong danh sách: 106 người" in second
    found = _text(client.get(preview_url + "?q=nguoi 10"))
    assert "Lê Thị Người 100" in found and "Lê Thị Người 099" not in found and "Nguyễn Thị Ánh" not in found
    assert "Không còn trong danh sách: 106 người" in found  # the count is everyone's, the list the search's
    assert client.get(preview_url + "?missing_page=0").status_code == 400
    # Confirming writes the leaving of all 106, not only the page shown.
    assert web.post(preview_url + "/confirm", {"leave_missing_on": "01/07/2020"},
                    token_page=preview_url).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(PoolEntry).where(PoolEntry.left_on.is_not(None))) == 106


def test_the_preview_is_planned_once_and_again_when_the_pool_changes(world, client, monkeypatch):
    from bdgtrain.services.pool import pool as pool_service

    web = _as(client, "tochuc@test.vn")
    preview_url = _upload(web, client, pool_xlsx([LAN, MAI])).headers["Location"]
    kept = db.session.scalar(select(PoolImport))
    assert kept.preview is not None and kept.preview_key

    def no_reading(*args, **kwargs):
        raise AssertionError("the kept preview is read, not the file")

    monkeypatch.setattr(pool_service, "read_upload", no_reading)
    monkeypatch.setattr(pool_service, "load_registry", no_reading)
    for _ in range(2):
        page = _text(client.get(preview_url))
        assert "Mới vào diện quy hoạch: 1 người" in page and "Không đổi: 1 người" in page
        assert "Không còn trong danh sách: 1 người" in page and "Nguyễn Thị Ánh" in page
    monkeypatch.undo()
    # The pool changes between two views: Lan leaves (her row joins her again), someone joins (she would leave).
    register.leave_pool(None, world, date(2019, 1, 1), "moved")
    register.add_to_pool(None, _org("HT-CL"), "2016-2021", new_person=register.NewPerson("Võ Thị Yến", "F", 1991))
    db.session.commit()
    page = _text(client.get(preview_url))
    assert "Mới vào diện quy hoạch: 2 người" in page and "Không đổi: 0 người" in page
    assert "Không còn trong danh sách: 2 người" in page and "Võ Thị Yến" in page
    assert web.post(preview_url + "/confirm", {"leave_missing_on": "01/07/2020"},
                    token_page=preview_url).status_code == 303
    kept = db.session.scalar(select(PoolImport))
    assert (kept.status, kept.preview, kept.preview_key) == ("applied", None, None)
    still = db.session.scalars(select(Person.full_name).join(PoolEntry.person).where(
        PoolEntry.left_on.is_(None), PoolEntry.organisation_id == _org("HT-CL").id).order_by(Person.full_name))
    assert list(still) == ["Nguyễn Thị Mai", "Trần Thị Lan"]  # Ánh and Yến left, as the last view showed


# --- who ------------------------------------------------------------------------------------------

def test_the_units_own_account_manages_its_pool_but_not_another(world, client):
    web = _as(client, "canloc@test.vn")
    assert client.get("/pool/HT-CL?cycle=2016-2021").status_code == 200
    url = f"/pool/HT-CL/entries/{world.id}/leave"
    assert web.post(url, {"left_on": "01/06/2019", "reason": "moved"}, token_page=url).status_code == 303
    assert client.get("/pool/HT-DT?cycle=2016-2021").status_code == 403


@pytest.mark.parametrize("email", ["tochuc-qb@test.vn", "snv@test.vn"])
def test_another_province_organiser_and_a_supplier_of_another_agency_see_nothing(world, client, email):
    web = _as(client, email)
    assert client.get("/pool/HT-CL?cycle=2016-2021").status_code == 403
    assert client.get(f"/pool/HT-CL/people/{world.person_id}").status_code == 403
    url = f"/pool/HT-CL/entries/{world.id}/leave"
    assert web.post(url, {"left_on": "01/06/2019", "reason": "moved"}).status_code == 403
    assert "Trần Thị Lan" not in _text(client.get("/pool/"))
    db.session.expire_all()
    assert db.session.get(PoolEntry, world.id).left_on is None


def test_a_monitor_reads_but_does_not_change(world, client):
    web = _as(client, "giamsat@test.vn")
    page = client.get("/pool/HT-CL?cycle=2016-2021")
    assert page.status_code == 200 and "Ghi rời" not in _text(page)
    url = f"/pool/HT-CL/entries/{world.id}/leave"
    assert client.get(url).status_code == 403
    assert web.post(url, {"left_on": "01/06/2019", "reason": "moved"}).status_code == 403


def test_an_entry_reached_through_another_unit_is_not_found(world, client):
    web = _as(client, "tochuc@test.vn")
    url = f"/pool/HT-DT/entries/{world.id}/leave"
    assert client.get(url).status_code == 404
    assert web.post(url, {"left_on": "01/06/2019", "reason": "moved"}).status_code == 404
    assert client.get(f"/pool/HT-DT/people/{world.person_id}").status_code == 404
    assert client.get("/pool/KHONG-CO").status_code == 404


def test_a_units_own_account_sees_only_its_own_units_in_a_history(world, client, app):
    register.add_to_pool(None, _org("HT-DT"), "2021-2026", person=world.person)
    db.session.commit()
    _as(client, "canloc@test.vn")
    own = _text(client.get(f"/pool/HT-CL/people/{world.person_id}"))
    assert "Huyện Can Lộc" in own and "Huyện Đức Thọ" not in own
    organiser = app.test_client()
    _as(organiser, "tochuc@test.vn")
    assert "Huyện Đức Thọ" in _text(organiser.get(f"/pool/HT-CL/people/{world.person_id}"))

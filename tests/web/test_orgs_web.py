"""A unit's page: moving it, renaming it and ending it on a date (with confirmation), its history shown,
each bad input refused on the form with a Vietnamese message and nothing written; admin only."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Organisation, OrganisationPeriod, OrganisationSuccessor
from tests import factories as make


@pytest.fixture
def units(app, web):
    province = make.org("UBND", "UBND tỉnh", kind="province")
    district = make.org("HA", "Huyện A", kind="district", parent=province, valid_from=date(2000, 1, 1))
    other = make.org("HB", "Huyện B", kind="district", parent=province, valid_from=date(2000, 1, 1))
    commune = make.org("X1", "Xã 1", kind="commune", parent=district, valid_from=date(2000, 1, 1))
    second = make.org("X2", "Xã 2", kind="commune", parent=district, valid_from=date(2000, 1, 1))
    make.user("admin@test.vn", "admin")
    make.user("tochuc@test.vn", "organiser", province)
    make.commit()
    return province, district, other, commune, second


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def _written():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (OrganisationPeriod, OrganisationSuccessor, AuditEvent))


def test_move_and_rename_on_a_date_then_the_history_shows_both(units, web):
    _province, district, other, _commune, _ = units
    web.login("admin@test.vn")
    page = web.client.get("/organisations/X1/edit").get_data(as_text=True)
    assert "Lịch sử đơn vị" in page and "Chuyển đơn vị cấp trên" in page and "Đổi tên" in page and "Kết thúc" in page
    response = web.post("/organisations/X1/move", {"moved_on": "01/01/2020", "parent_id": other.id},
                        token_page="/organisations/X1/move")
    assert response.status_code == 303, response.get_data(as_text=True)
    response = web.post("/organisations/X1/rename", {"renamed_on": "01/03/2021", "name": "Phường 1"},
                        token_page="/organisations/X1/rename")
    assert response.status_code == 303
    page = web.client.get("/organisations/X1/edit").get_data(as_text=True)
    history = page.split('data-history="periods"')[1].split("</table>")[0]
    assert history.index("Huyện A") < history.index("01/01/2020") < history.index("Huyện B")
    assert "31/12/2019" in history and "28/02/2021" in history and "Phường 1" in history
    assert {e.action for e in db.session.scalars(select(AuditEvent))} >= {"org.moved", "org.renamed"}


def test_ending_with_several_successors_asks_for_confirmation_first(units, web):
    province, district, _other, commune, second = units
    web.login("admin@test.vn")
    form = {"valid_to": "30/06/2025", "successor_ids": [commune.id, second.id], "note": "Sắp xếp 2025"}
    before = _written()
    confirm = web.post("/organisations/HA/end", form, token_page="/organisations/HA/end")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert 'data-confirm="end"' in html and "Xã 1" in html and "Xã 2" in html and "30/06/2025" in html
    assert _written() == before and _org("HA").valid_to is None  # nothing yet
    done = web.post("/organisations/HA/end", {**form, "confirmed": "yes"}, token_page="/organisations/HA/end")
    assert done.status_code == 303
    ended = _org("HA")
    assert ended.valid_to == date(2025, 6, 30)
    assert [link.successor_id for link in ended.successor_links] == [commune.id, second.id]
    page = web.client.get("/organisations/HA/edit").get_data(as_text=True)
    assert "Kết thúc hoạt động sau ngày 30/06/2025" in page
    assert "Kế thừa từ:" in web.client.get("/organisations/X2/edit").get_data(as_text=True)


@pytest.mark.parametrize("path, form, field, words", [
    ("/organisations/HA/move", {"moved_on": "01/01/2020", "parent_id": "X1"}, "parent_id", "cấp trên của chính nó"),
    ("/organisations/X1/move", {"moved_on": "01/01/1999", "parent_id": "HB"}, "moved_on", "ngoài thời gian"),
    ("/organisations/X1/move", {"moved_on": "", "parent_id": "HB"}, "moved_on", "Hãy nhập ngày chuyển"),
    ("/organisations/X1/rename", {"renamed_on": "01/01/2020", "name": ""}, "name", "Hãy nhập tên mới"),
    ("/organisations/X1/rename", {"renamed_on": "31/02/2020", "name": "Xã Mới"}, "renamed_on", ""),
    ("/organisations/HA/end", {"valid_to": "31/12/1999"}, "valid_to", "trước ngày thành lập"),
    ("/organisations/HA/end", {"valid_to": "30/06/2025", "successor_ids": "ENDED"}, "successor_ids",
     "đã kết thúc ngày 31/12/2020"),
    ("/organisations/HA/end", {"valid_to": "30/06/2025", "successor_ids": "ENDED", "confirmed": "yes"},
     "successor_ids", "đã kết thúc"),
])
def test_bad_input_is_refused_on_the_form_naming_the_field_and_nothing_is_written(units, web, path, form, field,
                                                                                   words):
    make.org("ENDED", "Huyện Đã Giải Thể", kind="district", valid_to=date(2020, 12, 31))
    make.commit()
    codes = {"parent_id", "successor_ids"}
    form = {k: (_org(v).id if k in codes else v) for k, v in form.items()}
    web.login("admin@test.vn")
    before = _written()
    response = web.post(path, form, token_page=path)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error-1"' in html and words in html
    assert _written() == before


def test_a_date_before_the_current_period_is_refused(units, web):
    _province, _district, other, commune, _ = units
    web.login("admin@test.vn")
    web.post("/organisations/X1/move", {"moved_on": "01/01/2020", "parent_id": other.id},
             token_page="/organisations/X1/move")
    before = _written()
    response = web.post("/organisations/X1/rename", {"renamed_on": "01/06/2019", "name": "Xã Mới"},
                        token_page="/organisations/X1/rename")
    assert response.status_code == 422 and "01/01/2020" in response.get_data(as_text=True)
    assert _written() == before


def test_only_an_admin_records_history(units, web):
    web.login("tochuc@test.vn")
    for action in ("move", "rename", "end"):
        assert web.client.get(f"/organisations/X1/{action}").status_code == 403

"""Organisations: codes, the tree without cycles, end dates and successors, safe deletion."""
from __future__ import annotations

from datetime import date

import pytest

from bdgtrain.errors import DomainError
from bdgtrain.services.planning import orgs
from tests import factories as make


def _input(org, **changes):
    data = dict(code=org.code, name=org.name, kind=org.kind, parent_id=org.parent_id, valid_from=org.valid_from,
                valid_to=org.valid_to, successor_id=org.successor_id, note=org.note)
    data.update(changes)
    return orgs.OrgInput(**data)


def test_tree_rows_walk_depth_first_with_depth(app):
    province = make.org("UBND", "UBND tỉnh", kind="province")
    district = make.org("HT-CX", "Huyện Cẩm Xuyên", kind="district", parent=province)
    make.org("XA-1", "Xã Cẩm Bình", kind="commune", parent=district)
    make.org("SNV", "Sở Nội vụ", parent=province)
    rows = [(o.code, depth) for o, depth in orgs.org_tree_rows()]
    assert rows == [("UBND", 0), ("HT-CX", 1), ("XA-1", 2), ("SNV", 1)]


def test_search_ignores_diacritics(app):
    make.org("HT-DT", "Huyện Đức Thọ", kind="district")
    make.org("HT-LH", "Huyện Lộc Hà", kind="district")
    assert [o.code for o, _ in orgs.org_tree_rows(query="duc tho")] == ["HT-DT"]


def test_a_unit_cannot_move_below_itself(app):
    province = make.org("UBND", kind="province")
    district = make.org("HT-CX", kind="district", parent=province)
    commune = make.org("XA-1", kind="commune", parent=district)
    with pytest.raises(DomainError) as refused:
        orgs.update_org(None, district, _input(district, parent_id=commune.id))
    assert refused.value.code == "org.cycle"
    with pytest.raises(DomainError):
        orgs.update_org(None, district, _input(district, parent_id=district.id))


def test_ending_a_unit_with_a_successor_is_audited_as_ended(app):
    province = make.org("UBND", kind="province")
    district = make.org("HT-CX", kind="district", parent=province)
    orgs.update_org(None, district, _input(district, valid_to=date(2025, 6, 30), successor_id=province.id))
    assert district.successor is province
    assert not district.is_active_on(date(2025, 7, 1)) and district.is_active_on(date(2025, 6, 30))


def test_successor_needs_an_end_date_and_end_must_follow_start(app):
    province = make.org("UBND", kind="province")
    district = make.org("HT-CX", kind="district", parent=province)
    with pytest.raises(DomainError) as refused:
        orgs.update_org(None, district, _input(district, successor_id=province.id))
    assert refused.value.field == "successor_id"
    with pytest.raises(DomainError) as refused:
        orgs.update_org(None, district, _input(district, valid_from=date(2020, 1, 1), valid_to=date(2019, 1, 1)))
    assert refused.value.field == "valid_to"


def test_duplicate_code_is_refused(app):
    make.org("SNV")
    with pytest.raises(DomainError) as refused:
        make.org("snv")
    assert refused.value.code == "org.duplicate_code"


def test_unit_in_use_cannot_be_deleted_but_an_unused_one_can(app):
    province = make.org("UBND", kind="province")
    make.org("SNV", parent=province)
    with pytest.raises(DomainError) as refused:
        orgs.delete_org(None, province)
    assert refused.value.code == "org.in_use"
    lone = make.org("LONE")
    orgs.delete_org(None, lone)


def test_edit_form_offers_neither_the_unit_nor_its_descendants_as_parent(app, web):
    province = make.org("UBND", "UBND tỉnh", kind="province")
    district = make.org("HT-CX", "Huyện Cẩm Xuyên", kind="district", parent=province)
    make.org("XA-1", "Xã Cẩm Bình", kind="commune", parent=district)
    make.org("SNV", "Sở Nội vụ", parent=province)
    make.user("admin@test.vn", "admin")
    make.commit()
    web.login("admin@test.vn")
    html = web.client.get("/organisations/HT-CX/edit").get_data(as_text=True)
    parent_select = html.split('name="parent_id"')[1].split("</select>")[0]
    assert "Sở Nội vụ" in parent_select and "UBND tỉnh" in parent_select
    assert "Xã Cẩm Bình" not in parent_select and "Huyện Cẩm Xuyên" not in parent_select

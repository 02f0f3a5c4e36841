"""Issue 20, findings 1 and 2: personal data stays within the agency and the province it belongs to.

1. A supplier's list row that shares a phone (or ID number) with someone else but not her name or birth
   year is a new person flagged as a possible duplicate for the organiser, never merged into her; and a
   supplier's preview never says that another agency nominated someone.
2. An organiser reads and nominates the planning-pool women only of units she may see (her province, or
   her plan's); the possible duplicates and their merge belong to the organisers of the people concerned.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import DuplicateFlag, Enrolment, Organisation, Person, PoolEntry, TrainingClass
from bdgtrain.rules.matching import Identity, Registry
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.lists import lists
from bdgtrain.services.planning import planning
from tests import factories as make
from tests import list_files as files
from tests.conftest import Browserless

UPLOAD = "/plans/HT-2019/classes/LOP-3/lists/upload"
ROSTER = "/plans/HT-2019/classes/LOP-3/roster"
# The SNV nominee whose phone the HLHPN row carries: born 1980, nominated by SNV alone.
BICH = {"name": "Trần Thị Bích", "born": date(1980, 4, 2), "position": "Phó Giám đốc",
        "unit": "Sở Tài chính", "phone": "0912345606", "id": "042180000606"}
DO = {"name": "Nguyễn Thị Dò", "born": 1990, "phone": "0912345606", "position_unit": "Cán bộ Hội LHPN xã"}


def org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def lop3():
    return db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))


def login(app, email) -> Browserless:
    web = Browserless(app.test_client())
    assert web.login(email).status_code == 302
    return web


# --- the matcher ---------------------------------------------------------------------------------------

def test_a_phone_or_id_match_with_another_name_or_birth_year_is_only_a_possible_duplicate():
    registry = Registry([Identity(1, "tran thi bich", date(1980, 4, 2), None, "0912345606", "042180000606")])
    other_name = registry.match(Identity("r", "nguyen thi do", None, 1990, "0912345606"))
    assert (other_name.outcome, other_name.key, other_name.reason) == ("possible", 1, "phone")
    other_year = registry.match(Identity("r", "tran thi bich", None, 1990, "0912345606"))
    assert (other_year.outcome, other_year.reason) == ("possible", "phone")
    by_id = registry.match(Identity("r", "nguyen thi do", None, 1980, None, "042180000606"))
    assert (by_id.outcome, by_id.reason) == ("possible", "id_number")
    # The same name and year (or no year to contradict): the same person, as before.
    assert registry.match(Identity("r", "tran thi bich", None, 1980, "0912345606")).outcome == "same"
    assert registry.match(Identity("r", "tran thi bich", None, None, None, "042180000606")).outcome == "same"


# --- finding 1: the phone harvest ------------------------------------------------------------------------

@pytest.fixture
def lists_world(app):
    load_demo()
    make.user("noivu@test.vn", "supplier", org("SNV"))
    make.user("phunu@test.vn", "supplier", org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    make.commit()
    report, written = lists.import_file(None, lop3(), org("SNV"), "snv.xlsx", files.snv_xlsx([BICH, files.HOA]),
                                        date(2019, 7, 1))
    assert written and report["added"] == 2
    make.commit()


def _upload(web, data, source):
    token = web.csrf(UPLOAD)
    response = web.client.post(UPLOAD, data={"csrf_token": token, "source_org_id": str(source),
                                             "file": (io.BytesIO(data), "hoi.xlsx")},
                               content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def test_a_supplier_cannot_harvest_another_agencys_nominee_by_her_phone(app, lists_world):
    women = login(app, "phunu@test.vn")
    preview_url = _upload(women, files.hlhpn_xlsx([DO]), org("HLHPN").id)
    preview = women.client.get(preview_url).get_data(as_text=True)
    assert "gộp làm một" not in preview and "Đã được đơn vị khác cử" not in preview
    assert "Trần Thị Bích" not in preview and "Người mới: 1" in preview
    assert women.post(preview_url + "/submit", token_page=UPLOAD).status_code == 303
    done = women.client.get(preview_url).get_data(as_text=True)
    assert "Đã được đơn vị khác cử" not in done and "trùng với đơn vị khác" not in done

    exported = women.client.get(ROSTER + ".csv").get_data(as_text=True)
    text = exported + women.client.get(ROSTER).get_data(as_text=True)
    assert "Nguyễn Thị Dò" in text
    for hers in ("Trần Thị Bích", "Phó Giám đốc", "Sở Tài chính", "042180000606", "02/04/1980"):
        assert hers not in text, hers
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert sum("Nguyễn Thị Dò" in row for row in rows) == 1

    # Two people now, and a possible duplicate for the organiser to settle.
    bich = db.session.scalar(select(Person).where(Person.full_name == "Trần Thị Bích"))
    do = db.session.scalar(select(Person).where(Person.full_name == "Nguyễn Thị Dò"))
    assert do is not None and do.id != bich.id and bich.birth_date == date(1980, 4, 2)
    flag = db.session.scalar(select(DuplicateFlag))
    assert (flag.person_id, flag.other_person_id, flag.reason, flag.status) == (bich.id, do.id, "phone", "open")
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.person_id == bich.id)) == 1
    boss = login(app, "tochuc@test.vn")
    page = boss.client.get("/lists/duplicates").get_data(as_text=True)
    assert "Trần Thị Bích" in page and "Nguyễn Thị Dò" in page
    assert "Cùng số điện thoại" in page
    assert women.client.get("/lists/duplicates").status_code == 403


def test_only_the_organiser_is_told_that_another_agency_nominated_someone(app, lists_world):
    """HLHPN sends Hoa, whom SNV nominated too: the same woman (name, year and phone agree), merged; the
    supplier reads "already known", the organiser uploading for HLHPN reads "nominated by another agency"."""
    women = login(app, "phunu@test.vn")
    supplier_preview = women.client.get(_upload(women, files.hlhpn_xlsx([files.HOA]), org("HLHPN").id))
    text = supplier_preview.get_data(as_text=True)
    assert "gộp làm một" not in text and "Đã được đơn vị khác cử" not in text
    assert "Đã có trong hệ thống: 1" in text
    boss = login(app, "tochuc@test.vn")
    organiser_preview = boss.client.get(_upload(boss, files.hlhpn_xlsx([files.HOA]), org("HLHPN").id))
    assert "Đã được đơn vị khác cử (gộp làm một): 1" in organiser_preview.get_data(as_text=True)


def test_a_supplier_is_not_told_whom_her_row_looks_like(app, lists_world):
    """Same name and birth year as SNV's nominee, another unit: flagged for the organiser, a new person for
    the supplier, without the look-alike's name or the fact that one exists."""
    women = login(app, "phunu@test.vn")
    twin = {"name": "Trần Thị Bích", "born": 1980, "position_unit": "Hội LHPN xã Cẩm Bình"}
    preview = women.client.get(_upload(women, files.hlhpn_xlsx([twin]), org("HLHPN").id)).get_data(as_text=True)
    assert "Giống:" not in preview and "Có thể trùng người" not in preview and "Người mới: 1" in preview


# --- finding 2: the planning pool and the registry, province by province ----------------------------------

@pytest.fixture
def pool_world(app, runner, tmp_path):
    """The demo with its pool imported; an organiser of the province and one of an unrelated top unit, each
    with a plan of her own."""
    from bdgtrain.services.demo.lists import snv_list
    from bdgtrain.services.demo.pool import sample_pool

    load_demo()
    stranger = make.org("SYT", "Sở Y tế")
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    make.user("yte@test.vn", "organiser", stranger)
    planning.create_plan(None, planning.PlanInput(code="YT-2020", number="1/KH-SYT", title="Kế hoạch của Sở Y tế",
                                                  organiser_org_id=stranger.id))
    db.session.commit()
    (tmp_path / "snv.xlsx").write_bytes(snv_list())
    (tmp_path / "pool.xlsx").write_bytes(sample_pool())
    assert runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV",
                               str(tmp_path / "snv.xlsx")]).exit_code == 0
    assert runner.invoke(args=["pool", "import", "--cycle", "2016-2021", str(tmp_path / "pool.xlsx")]).exit_code == 0
    return db.session.scalar(select(Person).where(Person.full_name == "Nguyễn Thị Thu Trang"))


def test_an_unrelated_organiser_reads_no_unit_of_another_province_through_her_own_plan(app, pool_world):
    trang = pool_world
    assert db.session.scalar(select(PoolEntry.organisation_id).where(PoolEntry.person_id == trang.id)) \
        == org("HT-HS").id
    stranger = login(app, "yte@test.vn")
    for url in ("/reports/YT-2020/units/HT-HS?as_of=25/05/2020", "/reports/YT-2020/units/UBND?as_of=25/05/2020",
                f"/reports/YT-2020/units/HT-HS/nominate/{trang.id}", "/reports/YT-2020/trend.svg?unit=HT-HS",
                "/reports/YT-2020/headcounts/HT-HS/2019"):
        response = stranger.client.get(url)
        assert response.status_code == 403, url
        assert "Nguyễn Thị Thu Trang" not in response.get_data(as_text=True)
    # Her own plan's report is hers; it names no one of Hà Tĩnh.
    assert "Nguyễn Thị Thu Trang" not in stranger.client.get("/reports/YT-2020/units/SYT").get_data(as_text=True)
    # The province's organiser, on her own plan, still reads and nominates from it.
    boss = login(app, "tochuc@test.vn")
    assert "Nguyễn Thị Thu Trang" in boss.client.get("/reports/HT-2019/units/HT-HS?as_of=25/05/2020").get_data(
        as_text=True)
    assert boss.client.get(f"/reports/HT-2019/units/HT-HS/nominate/{trang.id}").status_code == 200


def test_nominating_names_a_woman_of_the_units_own_pool_only(app, pool_world):
    """The nominate page of one unit does not open on a woman of another unit's pool."""
    trang = pool_world
    boss = login(app, "tochuc@test.vn")
    other_unit = "HT-CX"
    assert boss.client.get(f"/reports/HT-2019/units/{other_unit}/nominate/{trang.id}").status_code == 404


def _flag_between_pool_women():
    """A possible duplicate between two women of Hà Tĩnh (one in the pool, one on the demo plan's roster)."""
    pooled = db.session.scalar(select(Person).join(PoolEntry).order_by(Person.id))
    enrolled = db.session.scalar(select(Person).join(Enrolment).where(Person.id != pooled.id).order_by(Person.id))
    flag = DuplicateFlag(person_id=pooled.id, other_person_id=enrolled.id, reason="name_birth_year")
    db.session.add(flag)
    db.session.commit()
    return flag.id, pooled, enrolled


def test_the_duplicates_and_their_merge_belong_to_the_organisers_of_the_people_concerned(app, pool_world):
    flag_id, pooled, enrolled = _flag_between_pool_women()
    names = (pooled.full_name, enrolled.full_name)
    stranger = login(app, "yte@test.vn")
    page = stranger.client.get("/lists/duplicates").get_data(as_text=True)
    assert not any(name in page for name in names) and "Không có cặp nghi trùng nào cần xử lý." in page
    token = stranger.csrf("/lists/duplicates")
    for decision in ("merge", "distinct"):
        response = stranger.client.post(f"/lists/duplicates/{flag_id}/{decision}", data={"csrf_token": token})
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, enrolled.id) is not None
    assert db.session.get(DuplicateFlag, flag_id).status == "open"
    boss = login(app, "tochuc@test.vn")
    page = boss.client.get("/lists/duplicates").get_data(as_text=True)
    assert all(name in page for name in names)
    assert re.search(rf"/lists/duplicates/{flag_id}/merge", page)
    assert boss.post(f"/lists/duplicates/{flag_id}/distinct", token_page="/lists/duplicates").status_code == 303
    db.session.expire_all()
    assert db.session.get(DuplicateFlag, flag_id).status == "distinct"

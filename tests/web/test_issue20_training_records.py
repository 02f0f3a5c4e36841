"""Issue 20, finding 2 (its last gap): the register of training outside the system names registry people,
so each organiser and monitor reads only the people within her reach (services.lists.reach.people_in_reach:
her plans' nominees, or the plans' her organisation monitors, and her province's people). A person out of
reach answers 404, as an unknown id; another organisation's import preview is not hers either."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Organisation, Person, Plan, TrainingClass
from bdgtrain.rules.external_training import TrainingRecord
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.lists import lists
from bdgtrain.services.pool import external_training
from tests import factories as make
from tests import list_files as files
from tests.conftest import Browserless
from tests.training_files import row, training_xlsx

LIST = "/training-records/"
HER_COURSE = "Bồi dưỡng kỹ năng lãnh đạo Hà Tĩnh"
NOMINEE_COURSE = "Trung cấp lý luận chính trị khóa 12"


def org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def login(app, email) -> Browserless:
    web = Browserless(app.test_client())
    assert web.login(email).status_code == 302
    return web


@pytest.fixture
def world(app):
    plan = load_demo()
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))  # the demo plan's organiser, Hà Tĩnh
    make.user("admin@test.vn", "admin")
    make.user("giamsat@test.vn", "monitor", org("HLHPN"))  # the demo plan's monitor
    hanoi = make.org("HN", "UBND thành phố Hà Nội", kind="province")
    make.user("tochuc-hn@test.vn", "organiser", make.org("SYT-HN", "Sở Y tế Hà Nội", parent=hanoi))
    # A monitor of another province whose organisation also monitors the demo plan: its nominees only.
    watcher = make.org("GS-HN", "Ban giám sát Hà Nội", parent=hanoi)
    plan.monitor_orgs.append(watcher)
    make.user("giamsat-hn@test.vn", "monitor", watcher)
    # A woman of a Hà Tĩnh unit, nominated to no class, with a training outside the system.
    name = "Võ Thị Hạnh"
    hanh = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), sex="F",
                  birth_year=1984, phone="0987001122", organisation_id=org("SNV").id)
    db.session.add(hanh)
    db.session.flush()
    record = external_training.create_training(None, hanh, TrainingRecord(
        "boi_duong", HER_COURSE, None, date(2021, 3, 1), date(2021, 3, 5), None, True), date(2024, 1, 1))
    # A nominee of the demo plan (SNV's list to LOP-3), with a record too.
    lop3 = db.session.scalar(select(TrainingClass).join(Plan).where(Plan.id == plan.id, TrainingClass.code == "LOP-3"))
    _report, written = lists.import_file(None, lop3, org("SNV"), "snv.xlsx", files.snv_xlsx([files.HOA]),
                                         date(2019, 7, 1))
    assert written
    nominee = db.session.scalar(select(Person).join(Enrolment).where(Enrolment.class_id == lop3.id))
    external_training.create_training(None, nominee, TrainingRecord(
        "llct", NOMINEE_COURSE, None, date(2020, 1, 1), date(2020, 12, 1), None, True), date(2024, 1, 1))
    make.commit()
    return {"hanh": hanh.id, "record": record.id, "nominee": nominee.id}


def _export(web) -> str:
    response = web.client.get(LIST + "export.xlsx")
    assert response.status_code == 200
    return " ".join(str(c.value) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows() for c in r)


def _found(web, text) -> str:
    response = web.post(LIST + "people", {"q": text}, token_page=LIST + "people")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_organiser_of_another_province_reads_nothing_of_a_ha_tinh_woman(app, world):
    stranger = login(app, "tochuc-hn@test.vn")
    page = stranger.client.get(LIST).get_data(as_text=True)
    assert HER_COURSE not in page and "Võ Thị Hạnh" not in page
    assert HER_COURSE not in stranger.client.get(LIST + "?q=Hanh").get_data(as_text=True)
    exported = _export(stranger)
    assert HER_COURSE not in exported and "Võ Thị Hạnh" not in exported and NOMINEE_COURSE not in exported
    assert "Võ Thị Hạnh" not in _found(stranger, "Hạnh") and "Võ Thị Hạnh" not in _found(stranger, "0987001122")
    hanh, record = world["hanh"], world["record"]
    for url in (f"{LIST}people/{hanh}", f"{LIST}people/{hanh}/new", f"{LIST}{record}/edit", f"{LIST}{record}/delete"):
        assert stranger.client.get(url).status_code == 404, url  # the same answer as an unknown id
    assert stranger.post(f"{LIST}{record}/delete", token_page=LIST).status_code == 404
    assert stranger.post(f"{LIST}people/{hanh}/new", {"kind": "llct", "title": "x", "started_on": "01/01/2020",
                                                      "ended_on": "02/01/2020"}, token_page=LIST).status_code == 404
    assert stranger.client.get(f"{LIST}people/{world['nominee']}").status_code == 404
    assert stranger.client.get(f"{LIST}people/99999999").status_code == 404


@pytest.mark.parametrize("email", ["tochuc@test.vn", "admin@test.vn"])
def test_the_ha_tinh_organiser_and_admin_read_her(app, world, email):
    web = login(app, email)
    page = web.client.get(LIST).get_data(as_text=True)
    assert HER_COURSE in page and NOMINEE_COURSE in page
    assert HER_COURSE in _export(web)
    assert "Võ Thị Hạnh" in _found(web, "Hạnh")
    person = web.client.get(f"{LIST}people/{world['hanh']}")
    assert person.status_code == 200 and HER_COURSE in person.get_data(as_text=True)
    assert web.client.get(f"{LIST}{world['record']}/edit").status_code == 200


def test_a_monitor_of_the_demo_plan_reads_its_nominees_records(app, world):
    women = login(app, "giamsat@test.vn")  # Hội LHPN tỉnh: the plan's monitor, in Hà Tĩnh
    page = women.client.get(LIST).get_data(as_text=True)
    assert NOMINEE_COURSE in page and HER_COURSE in page
    assert women.client.get(f"{LIST}people/{world['nominee']}").status_code == 200
    # Another province's monitor of the same plan: the plan's nominees, not the province's other women.
    watcher = login(app, "giamsat-hn@test.vn")
    page = watcher.client.get(LIST).get_data(as_text=True)
    assert NOMINEE_COURSE in page and HER_COURSE not in page
    exported = _export(watcher)
    assert NOMINEE_COURSE in exported and HER_COURSE not in exported
    assert watcher.client.get(f"{LIST}people/{world['nominee']}").status_code == 200
    assert watcher.client.get(f"{LIST}people/{world['hanh']}").status_code == 404


def test_another_organisations_import_preview_is_not_hers(app, world):
    owner = login(app, "tochuc@test.vn")
    token = owner.csrf(LIST + "import")
    response = owner.client.post(LIST + "import", data={"csrf_token": token, "file": (
        io.BytesIO(training_xlsx([row(name="Võ Thị Hạnh", born=1984)])), "a.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    preview = response.headers["Location"]
    assert owner.client.get(preview).status_code == 200
    assert login(app, "admin@test.vn").client.get(preview).status_code == 200
    stranger = login(app, "tochuc-hn@test.vn")
    assert stranger.client.get(preview).status_code == 404
    assert stranger.post(preview + "/confirm", token_page=LIST).status_code == 404
    assert stranger.post(preview + "/discard", token_page=LIST).status_code == 404

"""Lists through the browser-less UI: upload, preview, submit, roster, exports, decisions."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, ListImport, Organisation, Person
from bdgtrain.services.demo.demo import load_demo
from tests import factories as make
from tests import list_files as files

ROSTER = "/plans/HT-2019/classes/LOP-3/roster"
UPLOAD = "/plans/HT-2019/classes/LOP-3/lists/upload"


def org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def demo(app):
    load_demo()
    make.user("noivu@test.vn", "supplier", org("SNV"))
    make.user("phunu@test.vn", "supplier", org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    make.user("giamsat@test.vn", "monitor", org("HLHPN"))
    make.commit()


def upload(web, data, filename="ds.xlsx", source=None):
    token = web.csrf(UPLOAD)
    payload = {"csrf_token": token, "file": (io.BytesIO(data), filename)}
    if source:
        payload["source_org_id"] = str(source)
    else:
        payload["source_org_id"] = re.search(r'name="source_org_id"[^>]*>\s*<option[^>]*value="(\d+)"',
                                             web.client.get(UPLOAD).get_data(as_text=True)).group(1)
    return web.client.post(UPLOAD, data=payload, content_type="multipart/form-data")


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_supplier_uploads_previews_and_submits_then_organiser_confirms(demo, web, app):
    web.login("noivu@test.vn")
    response = upload(web, files.snv_xlsx(files.SNV_LOP3))
    assert response.status_code == 303
    preview = web.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Người mới: 4" in preview and "Họ và tên" in preview and "Gửi danh sách" in preview
    assert count(Person) == 0  # a preview writes no one
    import_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert web.post(f"/lists/imports/{import_id}/submit", token_page=UPLOAD).status_code == 303
    assert count(Enrolment) == 4

    organiser = app.test_client()
    from tests.conftest import Browserless
    boss = Browserless(organiser)
    boss.login("tochuc@test.vn")
    page = organiser.get(ROSTER).get_data(as_text=True)
    assert "Được cử: 4" in page and "Nguyễn Thị Hoa" in page
    assert boss.post(ROSTER + "/confirm", {"confirmed": "yes"}).status_code == 303
    assert db.session.scalar(select(func.count()).where(Enrolment.status == "confirmed")) == 4


def test_file_with_bad_rows_gets_the_row_report_and_nothing_is_stored(demo, web):
    web.login("noivu@test.vn")
    response = upload(web, files.snv_xlsx([{"name": "", "born": 1980, "phone": "0901000009"}, files.HOA]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tệp bị từ chối" in html and ">8<" in html
    assert count(ListImport) == 0 and count(Person) == 0


def test_an_id_number_given_to_two_people_is_shown_as_a_bad_row_and_can_only_be_discarded(demo, web):
    from datetime import date

    from bdgtrain.models import TrainingClass
    from bdgtrain.services.lists import import_writing, lists

    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    known = lists.read_upload("hlhpn.xlsx", files.hlhpn_xlsx([files.HOA, files.LAN]), date(2019, 7, 1))
    import_writing.apply_import(None, lists.plan_import(lop3, org("HLHPN"), known))  # two women, no ID numbers yet
    make.commit()
    web.login("noivu@test.vn")
    twins = [dict(files.HOA, id="042180000001"), dict(files.LAN, id="042180000001")]
    response = upload(web, files.snv_xlsx(twins))
    preview = web.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tệp bị từ chối" in preview and "042180000001" in preview and "dòng 8" in preview
    assert "Gửi danh sách" not in preview and "Hủy bản tải lên" in preview
    import_id = int(response.headers["Location"].rsplit("/", 1)[1])
    refused = web.post(f"/lists/imports/{import_id}/submit", token_page=UPLOAD)
    assert "Tệp có 1 dòng lỗi nên không được ghi" in web.client.get(refused.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(Person.id_number.is_not(None))) == 0
    asked = web.post(f"/lists/imports/{import_id}/discard", token_page=UPLOAD)
    assert asked.status_code == 200 and "Hủy bản tải lên?" in asked.get_data(as_text=True)
    assert db.session.get(ListImport, import_id).status != "discarded", "nothing happens before the answer"
    assert web.post(f"/lists/imports/{import_id}/discard", {"confirmed": "yes"}, token_page=UPLOAD).status_code == 303
    assert db.session.get(ListImport, import_id).status == "discarded"


def test_not_a_spreadsheet_gets_one_clear_message(demo, web):
    web.login("noivu@test.vn")
    response = upload(web, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "anh.png")
    assert response.status_code == 422
    assert count(ListImport) == 0


def test_supplier_sees_only_her_agencys_people(demo, web, app):
    web.login("noivu@test.vn")
    response = upload(web, files.snv_xlsx([files.MAI]))
    web.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    other = app.test_client()
    from tests.conftest import Browserless
    women = Browserless(other)
    women.login("phunu@test.vn")
    token = women.csrf(UPLOAD)
    response = other.post(UPLOAD, data={"csrf_token": token, "source_org_id": str(org("HLHPN").id),
                                        "file": (io.BytesIO(files.hlhpn_xlsx([files.THU])), "hoi.xlsx")},
                          content_type="multipart/form-data")
    women.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    page = other.get(ROSTER).get_data(as_text=True)
    assert "Phạm Thị Thu" in page and "Lê Thị Mai" not in page
    assert "Lê Thị Mai" in web.client.get(ROSTER).get_data(as_text=True)


def test_supplier_cannot_send_in_another_agencys_name(demo, web):
    web.login("noivu@test.vn")
    response = upload(web, files.snv_xlsx([files.MAI]), source=org("HLHPN").id)
    assert response.status_code == 422
    assert count(ListImport) == 0


def test_exports_open_as_spreadsheets_and_sign_in_sheet_lists_sessions(demo, web):
    web.login("tochuc@test.vn")
    response = upload(web, files.snv_xlsx(files.SNV_LOP3), source=org("SNV").id)
    web.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    xlsx = web.client.get(ROSTER + ".xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert names == ["Đặng Thị Đào", "Nguyễn Thị Hoa", "Trần Thị Lan", "Lê Thị Mai"]
    phones = [row[7] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert phones[1] == "0912345678"  # text, leading zero kept
    csv_text = web.client.get(ROSTER + ".csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[2].startswith("2,Nguyễn Thị Hoa")
    sheet_html = web.client.get("/plans/HT-2019/classes/LOP-3/sign-in-sheet").get_data(as_text=True)
    assert sheet_html.count('class="sign"') == 4 + 4 * 4  # 4 session headers, 4 people × 4 sessions


def test_quota_form_and_decline_with_reason(demo, web):
    web.login("tochuc@test.vn")
    response = upload(web, files.snv_xlsx([files.HOA]), source=org("SNV").id)
    web.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    assert web.post("/plans/HT-2019/classes/LOP-3/quotas", {"organisation_id": org("HT-CX").id, "seats": "0"},
                    token_page=ROSTER).status_code == 303
    assert "vượt số suất" in web.client.get(ROSTER).get_data(as_text=True)
    enrolment_id = db.session.scalar(select(Enrolment.id))
    url = f"{ROSTER}/{enrolment_id}"
    response = web.post(url, {"action": "declined", "note": ""}, token_page=url)
    assert response.status_code == 422 and "lý do" in response.get_data(as_text=True)
    assert web.post(url, {"action": "declined", "note": "Ốm"}, token_page=url).status_code == 303
    assert db.session.scalar(select(Enrolment.status)) == "declined"


def test_roster_search_without_diacritics(demo, web):
    web.login("tochuc@test.vn")
    response = upload(web, files.snv_xlsx(files.SNV_LOP3), source=org("SNV").id)
    web.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    page = web.client.get(ROSTER + "?q=dang").get_data(as_text=True)
    assert "Đặng Thị Đào" in page and "Nguyễn Thị Hoa" not in page


def test_template_downloads_are_readable_workbooks(demo, web):
    web.login("noivu@test.vn")
    for shape in ("snv", "hlhpn"):
        response = web.client.get(f"/lists/templates/{shape}.xlsx")
        assert response.status_code == 200
        assert load_workbook(io.BytesIO(response.data)).active.max_row >= 3
    assert web.client.get("/lists/templates/khong-co.xlsx").status_code == 404


def _possible_twins():
    from bdgtrain.models import DuplicateFlag
    from bdgtrain.rules.names import fold, sort_key

    name = "Trần Thị Mai"
    kept, newer = (Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), birth_year=1980,
                          unit_name=unit, phone=phone)
                   for unit, phone in (("UBND xã Cẩm Bình", None), ("Huyện ủy Cẩm Xuyên", "0912345678")))
    db.session.add_all([kept, newer])
    db.session.flush()
    flag = DuplicateFlag(person_id=kept.id, other_person_id=newer.id, reason="name_birth_year")
    db.session.add(flag)
    make.commit()
    return flag.id, kept.id, newer.id


def test_possible_duplicates_page_asks_before_merging_and_names_both_in_the_log(demo, web):
    from bdgtrain.models import DuplicateFlag
    from bdgtrain.services.privacy import access_log

    flag_id, kept_id, newer_id = _possible_twins()
    web.login("tochuc@test.vn")
    page = web.client.get("/lists/duplicates").get_data(as_text=True)
    assert page.count("Trần Thị Mai") >= 2 and "Huyện ủy Cẩm Xuyên" in page
    # The irreversible merge asks first (a disclosure holding the real button); "two people" does not.
    assert "Không hoàn tác được." in page and 'data-confirm="Gộp người mới vào người đã có?' in page
    for person_id in (kept_id, newer_id):  # the page named both: "who saw her data" finds it
        person = db.session.get(Person, person_id)
        assert [a.action for a in access_log.accesses_about(person)] == ["duplicates.viewed"]
    asked = web.post(f"/lists/duplicates/{flag_id}/merge", token_page="/lists/duplicates")
    assert asked.status_code == 200 and "Gộp hai người thành một?" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, newer_id) is not None, "unconfirmed: nobody is merged"
    answer = web.post(f"/lists/duplicates/{flag_id}/merge", {"confirmed": "yes"}, token_page="/lists/duplicates")
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(Person, newer_id) is None and db.session.get(DuplicateFlag, flag_id) is None
    assert db.session.get(Person, kept_id).phone == "0912345678"  # her blank filled from the merged entry
    page = web.client.get("/lists/duplicates").get_data(as_text=True)
    assert "Đã gộp thành một người: Trần Thị Mai." in page and "Không có cặp nghi trùng nào cần xử lý." in page


def test_possible_duplicates_marked_distinct_stay_two_people(demo, web):
    from bdgtrain.models import DuplicateFlag

    flag_id, kept_id, newer_id = _possible_twins()
    web.login("tochuc@test.vn")
    assert web.post(f"/lists/duplicates/{flag_id}/distinct", token_page="/lists/duplicates").status_code == 303
    db.session.expire_all()
    assert db.session.get(DuplicateFlag, flag_id).status == "distinct"
    assert db.session.get(Person, kept_id) is not None and db.session.get(Person, newer_id) is not None
    again = web.post(f"/lists/duplicates/{flag_id}/merge", {"confirmed": "yes"}, token_page="/lists/duplicates",
                     follow_redirects=True)
    assert "Cặp này đã được xử lý." in again.get_data(as_text=True)
    assert db.session.get(Person, newer_id) is not None


def test_sign_in_sheet_prints_in_batches_numbered_on(demo, web, monkeypatch):
    from bdgtrain.web.lists import views
    monkeypatch.setattr(views, "SIGNIN_PER_BATCH", 3)
    web.login("tochuc@test.vn")
    response = upload(web, files.snv_xlsx(files.SNV_LOP3), source=org("SNV").id)
    web.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    first = web.client.get("/plans/HT-2019/classes/LOP-3/sign-in-sheet").get_data(as_text=True)
    second = web.client.get("/plans/HT-2019/classes/LOP-3/sign-in-sheet?batch=2").get_data(as_text=True)
    assert "Đặng Thị Đào" in first and "Lê Thị Mai" not in first and "Đợt 2" in first
    assert "Lê Thị Mai" in second and "Đặng Thị Đào" not in second
    assert "<td>4</td><td>Lê Thị Mai</td>" in second  # the row numbers run on from the first batch


def test_replacement_choices_are_limited_and_found_by_name(demo, web, monkeypatch):
    from bdgtrain.web.lists import views
    monkeypatch.setattr(views, "REPLACEMENTS_SHOWN", 1)
    web.login("tochuc@test.vn")
    response = upload(web, files.snv_xlsx(files.SNV_LOP3), source=org("SNV").id)
    web.post(response.headers["Location"] + "/submit", token_page=UPLOAD)
    hoa = db.session.scalar(select(Enrolment.id).join(Person).where(Person.full_name == "Nguyễn Thị Hoa"))
    url = f"{ROSTER}/{hoa}"
    page = web.client.get(url).get_data(as_text=True)
    options = re.findall(r'<option value="\d+"', page)
    assert len(options) == 1 and "Đặng Thị Đào" in page  # the first by name; 3 could replace her
    assert "trong số 3 người" in page
    found = web.client.get(url + "?q=mai").get_data(as_text=True)
    assert "Lê Thị Mai —" in found and "Đặng Thị Đào —" not in found
    mai = db.session.scalar(select(Enrolment.id).join(Person).where(Person.full_name == "Lê Thị Mai"))
    assert web.post(url + "?q=mai", {"action": "replaced", "note": "", "replacement_id": str(mai)},
                    token_page=url).status_code == 303
    assert db.session.get(Enrolment, hoa).replaced_by_id == mai


def test_preview_pages_read_the_kept_preview_not_the_file(demo, web, monkeypatch):
    from bdgtrain.services.lists import lists
    web.login("noivu@test.vn")
    location = upload(web, files.snv_xlsx(files.SNV_LOP3)).headers["Location"]  # read and matched here, once

    def no_reading(*args, **kwargs):
        raise AssertionError("the preview read the file again")
    monkeypatch.setattr(lists, "read_person_list", no_reading)
    monkeypatch.setattr(lists, "load_registry", no_reading)
    first = web.client.get(location).get_data(as_text=True)
    assert "Người mới: 4" in first
    again = web.client.get(location + "?q=hoa").get_data(as_text=True)
    assert "Người mới: 4" in again and "Nguyễn Thị Hoa" in again and "Lê Thị Mai" not in again
    monkeypatch.undo()
    # Someone else's list makes Hoa known: the next view says so, and submitting writes what it shows.
    from bdgtrain.rules.names import fold, sort_key
    db.session.add(Person(full_name="Nguyễn Thị Hoa", name_folded=fold("Nguyễn Thị Hoa"),
                          name_sort_key=sort_key("Nguyễn Thị Hoa"), birth_date=files.HOA["born"],
                          birth_year=files.HOA["born"].year, phone=files.HOA["phone"]))
    make.commit()
    changed = web.client.get(location).get_data(as_text=True)
    assert "Người mới: 3" in changed and "Đã có trong hệ thống: 1" in changed
    assert web.post(location + "/submit", token_page=UPLOAD).status_code == 303
    assert count(Person) == 4 and count(Enrolment) == 4
    kept = db.session.get(ListImport, int(location.rsplit("/", 1)[1]))
    assert kept.preview is None and kept.summary["added"] == 3

"""External training through the browser-less UI: the list, a person's records, the form, deleting with
confirmation, the import (upload, preview, confirm), the template and the export; who may do what; and the
access log of every page that names people."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import (
    AuditEvent,
    ExternalTraining,
    ExternalTrainingImport,
    Organisation,
    Person,
    PersonalDataAccess,
    PersonalDataAccessPerson,
)
from bdgtrain.rules.names import fold, sort_key
from tests import factories as make
from tests.training_files import row, training_xlsx

LIST = "/training-records/"


@pytest.fixture
def people(app):
    sldtbxh = make.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    snv = make.org("SNV", "Sở Nội vụ")
    hlhpn = make.org("HLHPN", "Hội LHPN tỉnh")
    make.user("tochuc@test.vn", "organiser", sldtbxh)
    make.user("tochuc-khac@test.vn", "organiser", make.org("SYT", "Sở Y tế"))
    make.user("snv@test.vn", "supplier", snv)
    make.user("giamsat@test.vn", "monitor", hlhpn)
    make.user("admin@test.vn", "admin")
    hoa = Person(full_name="Trần Thị Hoa", name_folded=fold("Trần Thị Hoa"), name_sort_key=sort_key("Trần Thị Hoa"),
                 sex="F", birth_date=date(1985, 3, 15), birth_year=1985, unit_name="UBND xã Cẩm Xuyên")
    db.session.add(hoa)
    make.commit()
    return {"hoa": hoa.id}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _form(**changes) -> dict:
    data = {"kind": "llct", "title": "Trung cấp lý luận chính trị", "provider": "Trường Chính trị Trần Phú",
            "started_on": "01/03/2021", "ended_on": "30/12/2021", "counts_towards_measures": "y", "evidence": "QĐ 12"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_organiser_adds_edits_and_deletes_a_record_with_confirmation(people, web):
    web.login("tochuc@test.vn")
    hoa = people["hoa"]
    page = web.client.get(f"/training-records/people/{hoa}").get_data(as_text=True)
    assert "Chưa ghi khóa đào tạo nào cho người này." in page
    new = f"/training-records/people/{hoa}/new"
    assert web.post(new, _form(), token_page=new).status_code == 303
    training = db.session.scalar(select(ExternalTraining))
    assert (training.kind, training.ended_on, training.counts_towards_measures) == ("llct", date(2021, 12, 30), True)
    page = web.client.get(f"/training-records/people/{hoa}").get_data(as_text=True)
    assert "Trung cấp lý luận chính trị" in page and "Lý luận chính trị" in page
    edit = f"/training-records/{training.id}/edit"
    form = web.client.get(edit).get_data(as_text=True)
    assert 'value="30/12/2021"' in form
    assert web.post(edit, _form(kind="qlnn", counts_towards_measures=None), token_page=edit).status_code == 303
    db.session.expire_all()
    assert (db.session.get(ExternalTraining, training.id).kind,
            db.session.get(ExternalTraining, training.id).counts_towards_measures) == ("qlnn", False)
    delete = f"/training-records/{training.id}/delete"
    confirm = web.client.get(delete).get_data(as_text=True)
    assert "Xóa khóa “Trung cấp lý luận chính trị”" in confirm and count(ExternalTraining) == 1  # GET asks only
    assert web.post(delete, token_page=delete).status_code == 303
    assert count(ExternalTraining) == 0
    assert list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("pool."))
                                   .order_by(AuditEvent.id))) == [
        "pool.external_training.created", "pool.external_training.updated", "pool.external_training.deleted"]


def test_end_before_start_is_refused_on_the_form_naming_the_field(people, web):
    web.login("tochuc@test.vn")
    new = f"/training-records/people/{people['hoa']}/new"
    response = web.post(new, _form(started_on="01/05/2021", ended_on="01/04/2021"), token_page=new)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ngày kết thúc 01/04/2021 trước ngày bắt đầu 01/05/2021." in page
    assert re.search(r'id="ended_on-error-1"', page)  # next to the field it names
    assert 'value="01/04/2021"' in page  # what she typed is kept
    assert count(ExternalTraining) == 0
    assert db.session.scalar(select(func.count()).where(AuditEvent.action.startswith("pool."))) == 0


@pytest.mark.parametrize("changes, words", [
    (dict(title=""), "Chưa nhập nội dung"),
    (dict(kind="du_lich"), "không có trong danh mục"),
    (dict(ended_on="31/12/2099"), "ở tương lai"),
    (dict(started_on="32/01/2021"), "01/2021"),
])
def test_other_bad_input_is_refused(people, web, changes, words):
    web.login("tochuc@test.vn")
    new = f"/training-records/people/{people['hoa']}/new"
    response = web.post(new, _form(**changes), token_page=new)
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert count(ExternalTraining) == 0


def test_the_list_is_empty_then_searches_filters_and_pages_by_50(people, web):
    web.login("tochuc@test.vn")
    assert "Chưa ghi khóa đào tạo, bồi dưỡng ngoài hệ thống nào." in web.client.get(LIST).get_data(as_text=True)
    for i in range(52):
        db.session.add(ExternalTraining(person_id=people["hoa"], kind="tap_huan" if i % 2 else "boi_duong",
                                        title=f"Khóa {i:02d}", ended_on=date(2019 + i % 3, 6, 1)))
    make.commit()
    first = web.client.get(LIST).get_data(as_text=True)
    assert first.count("Khóa ") >= 50 and "Trang 1/2" in first
    assert "Khóa " in web.client.get(LIST + "?page=2").get_data(as_text=True)
    tap_huan = web.client.get(LIST + "?kind=tap_huan").get_data(as_text=True)
    assert "Khóa 01" in tap_huan and "Khóa 02<" not in tap_huan
    year = web.client.get(LIST + "?year=2020").get_data(as_text=True)
    assert "Khóa 01" in year and "Khóa 00" not in year
    assert "Không có khóa đào tạo nào khớp" in web.client.get(LIST + "?q=khong+ai").get_data(as_text=True)
    assert "Khóa 00" in web.client.get(LIST + "?q=tran+thi").get_data(as_text=True)
    assert web.client.get(LIST + "?kind=xyz&year=abc").status_code == 200  # unknown filters are ignored


def test_find_a_person_to_record_for(people, web):
    web.login("tochuc@test.vn")
    page = web.post("/training-records/people", {"q": "tran thi hoa"}, token_page="/training-records/people")
    assert page.status_code == 200
    assert f"/training-records/people/{people['hoa']}" in page.get_data(as_text=True)
    assert web.post("/training-records/people", {"q": "a"}, token_page="/training-records/people").status_code == 422


def test_import_upload_preview_confirm(people, web):
    web.login("tochuc@test.vn")
    data = training_xlsx([row(), row(name="Nguyễn Thị Mai", born=date(1992, 1, 1), kind="Thạc sĩ",
                                     title="Thạc sĩ Luật", start=date(2019, 9, 1), end=date(2021, 9, 1))])
    token = web.csrf("/training-records/import")
    response = web.client.post("/training-records/import", data={"csrf_token": token, "file": (io.BytesIO(data),
                               "dao-tao.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    preview = web.client.get(preview_url).get_data(as_text=True)
    assert "Khóa đào tạo sẽ ghi: 2" in preview and "Người mới: 1" in preview and "Thạc sĩ Luật" in preview
    assert count(ExternalTraining) == 0  # a preview writes nothing
    import_id = int(preview_url.rstrip("/").rsplit("/", 1)[1])
    assert web.post(f"/training-records/imports/{import_id}/confirm", token_page=preview_url).status_code == 303
    assert count(ExternalTraining) == 2 and count(Person) == 2
    done = web.client.get(preview_url).get_data(as_text=True)
    assert "Đã nhập lúc" in done
    assert web.post(f"/training-records/imports/{import_id}/confirm", token_page=preview_url).status_code == 303
    assert count(ExternalTraining) == 2  # confirming twice writes nothing more


def test_import_of_a_bad_file_shows_every_row_and_keeps_nothing(people, web):
    web.login("tochuc@test.vn")
    data = training_xlsx([row(start=date(2022, 1, 1), end=date(2021, 1, 1)), row(name="Mai C", kind="Du lịch")])
    token = web.csrf("/training-records/import")
    response = web.client.post("/training-records/import", data={"csrf_token": token, "file": (io.BytesIO(data),
                               "loi.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tệp bị từ chối: 2 lỗi" in page and "Đến ngày" in page and "Loại hình" in page
    assert count(ExternalTrainingImport) == 0 and count(ExternalTraining) == 0
    empty = web.client.post("/training-records/import", data={"csrf_token": token, "file": (io.BytesIO(b""),
                            "rong.xlsx")}, content_type="multipart/form-data")
    assert empty.status_code == 422


def test_import_discarded_keeps_nothing(people, web):
    web.login("tochuc@test.vn")
    token = web.csrf("/training-records/import")
    response = web.client.post("/training-records/import", data={"csrf_token": token, "file": (
        io.BytesIO(training_xlsx([row()])), "a.xlsx")}, content_type="multipart/form-data")
    import_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    asked = web.post(f"/training-records/imports/{import_id}/discard", token_page=LIST)
    assert asked.status_code == 200 and "Hủy bản tải lên?" in asked.get_data(as_text=True)
    assert db.session.get(ExternalTrainingImport, import_id).status != "discarded"
    assert web.post(f"/training-records/imports/{import_id}/discard", {"confirmed": "yes"},
                    token_page=LIST).status_code == 303
    kept = db.session.get(ExternalTrainingImport, import_id)
    assert (kept.status, kept.content, count(ExternalTraining)) == ("discarded", None, 0)


def test_template_and_export_download(people, web):
    web.login("giamsat@test.vn")  # a monitor reads: the template and the export
    template = web.client.get("/training-records/template.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.data)).sheetnames == ["Danh sách", "Hướng dẫn"]
    db.session.add(ExternalTraining(person_id=people["hoa"], kind="llct", title="=cmd|' /C calc'!A0",
                                    ended_on=date(2021, 1, 1)))
    make.commit()
    export = web.client.get("/training-records/export.xlsx?kind=llct")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(export.data)).active
    assert sheet["A2"].value == "Trần Thị Hoa" and sheet["F2"].value == "Lý luận chính trị"
    assert sheet["G2"].value.startswith("'=")


def test_pages_that_name_people_are_access_logged(people, web):
    db.session.add(ExternalTraining(person_id=people["hoa"], kind="llct", title="LLCT", ended_on=date(2021, 1, 1)))
    make.commit()
    web.login("giamsat@test.vn")
    web.client.get(LIST)
    web.client.get(f"/training-records/people/{people['hoa']}")
    web.client.get("/training-records/export.xlsx")
    entries = list(db.session.scalars(select(PersonalDataAccess).order_by(PersonalDataAccess.id)))
    assert [e.action for e in entries] == ["training_records.viewed", "training_records.person.viewed",
                                           "training_records.exported"]
    assert entries[1].person_id == people["hoa"]
    named = set(db.session.scalars(select(PersonalDataAccessPerson.person_id)))
    assert named == {people["hoa"]}


@pytest.mark.parametrize("email", ["snv@test.vn"])
def test_a_supplier_sees_nothing(people, web, email):
    web.login(email)
    hoa = people["hoa"]
    for url in (LIST, f"/training-records/people/{hoa}", "/training-records/export.xlsx",
                "/training-records/template.xlsx", "/training-records/import", f"/training-records/people/{hoa}/new"):
        assert web.client.get(url).status_code == 403, url
    assert "/training-records/" not in web.client.get("/").get_data(as_text=True)  # no menu entry either


def test_a_monitor_reads_but_changes_nothing(people, web):
    db.session.add(ExternalTraining(person_id=people["hoa"], kind="llct", title="LLCT", ended_on=date(2021, 1, 1)))
    make.commit()
    training_id = db.session.scalar(select(ExternalTraining.id))
    web.login("giamsat@test.vn")
    assert web.client.get(LIST).status_code == 200
    person_page = web.client.get(f"/training-records/people/{people['hoa']}").get_data(as_text=True)
    assert "LLCT" in person_page and "Thêm khóa đào tạo" not in person_page
    new = f"/training-records/people/{people['hoa']}/new"
    assert web.post(new, _form(), token_page=LIST).status_code == 403
    assert web.post(f"/training-records/{training_id}/delete", token_page=LIST).status_code == 403
    assert web.client.get("/training-records/import").status_code == 403
    assert count(ExternalTraining) == 1


def test_an_organiser_of_another_organisation_may_record_too(people, web):
    """Organisers keep the province's registry whatever their organisation (as person.merge): no unit or plan
    says which people an organiser manages, so another organiser is not refused."""
    web.login("tochuc-khac@test.vn")
    new = f"/training-records/people/{people['hoa']}/new"
    assert web.post(new, _form(), token_page=new).status_code == 303


def test_anonymous_is_sent_to_log_in(people, client):
    response = client.get(LIST)
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_unknown_person_or_record_is_404(people, web):
    web.login("tochuc@test.vn")
    assert web.client.get("/training-records/people/999999").status_code == 404
    assert web.client.get("/training-records/999999/edit").status_code == 404
    assert web.client.get("/training-records/imports/999999").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 4

"""Issue 20, findings 4-6: erasure reaches every stored upload and open preview; a zip is inflated with
a hard limit on the bytes it actually gives; a list has a row cap and the invitations' message a size."""
from __future__ import annotations

import io
import random
import re
import resource
import struct
import zipfile
import zlib
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import ExternalTrainingImport, ListImport, Organisation, Person, PoolImport, TrainingClass
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.lists import lists
from bdgtrain.services.pool import external_training_import, pool
from tests import factories as make
from tests import list_files as files
from tests import pool_files, training_files
from tests.conftest import Browserless

UPLOAD = "/plans/HT-2019/classes/LOP-3/lists/upload"
TODAY = date(2019, 7, 1)


def org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def demo(app):
    load_demo()
    make.user("admin@test.vn", "admin")
    make.user("noivu@test.vn", "supplier", org("SNV"))
    make.user("phunu@test.vn", "supplier", org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", org("SLDTBXH"))
    make.commit()


def upload(web, data, filename="ds.xlsx"):
    page = web.client.get(UPLOAD).get_data(as_text=True)
    source = re.search(r'name="source_org_id"[^>]*>\s*<option[^>]*value="(\d+)"', page).group(1)
    payload = {"csrf_token": web.csrf(UPLOAD), "file": (io.BytesIO(data), filename), "source_org_id": source}
    return web.client.post(UPLOAD, data=payload, content_type="multipart/form-data")


def people_named(phone: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Person).where(Person.phone == phone))


# --- 4. erasure reaches every stored file and every open preview ---------------------------------

def test_erasure_empties_every_stored_file_naming_her_and_an_open_preview_cannot_bring_her_back(demo, web, app):
    web.login("noivu@test.vn")
    first = upload(web, files.snv_xlsx([files.HOA, files.LAN]))
    first_id = int(first.headers["Location"].rsplit("/", 1)[1])
    assert web.post(f"/lists/imports/{first_id}/submit", token_page=UPLOAD).status_code == 303
    # A later list of the same agency matches her ("unchanged"): no nomination points at this file.
    later = upload(web, files.snv_xlsx([files.HOA, files.MAI]), "ds-bo-sung.xlsx")
    later_id = int(later.headers["Location"].rsplit("/", 1)[1])
    assert web.post(f"/lists/imports/{later_id}/submit", token_page=UPLOAD).status_code == 303
    # HLHPN's list naming her (by phone and name) waits in preview.
    hlhpn = Browserless(app.test_client())
    hlhpn.login("phunu@test.vn")
    preview = upload(hlhpn, files.hlhpn_xlsx([files.HOA, files.THU]), "hoi-phu-nu.xlsx")
    preview_id = int(preview.headers["Location"].rsplit("/", 1)[1])
    # A pool file and a training-record file naming her (by phone, by ID number) wait in preview too.
    hoa_pool = ("Nguyễn Thị Hoa", "15/03/1980", "Nữ", "UBND huyện Cẩm Xuyên", files.HOA["phone"])
    pool_upload = pool.store_pool_upload(None, org("SNV"), "2020-2025", "quy-hoach.xlsx",
                                         pool_files.pool_xlsx([hoa_pool, pool_files.LAN]), TODAY)
    assert pool_upload.preview is not None  # planned and kept when uploaded
    record = training_files.row(name="Nguyễn Thị Hoa", born=date(1980, 3, 15), id_number=files.HOA["id"])
    training_upload = external_training_import.store_upload(None, "dao-tao.xlsx",
                                                            training_files.training_xlsx([record]))
    # A file that does not name her stays.
    unrelated = external_training_import.store_upload(None, "khac.xlsx",
                                                      training_files.training_xlsx([training_files.row()]))
    make.commit()
    hoa = db.session.scalar(select(Person).where(Person.phone == files.HOA["phone"]))
    assert db.session.get(ListImport, later_id).status == "submitted"

    admin = Browserless(app.test_client())
    admin.login("admin@test.vn")
    erase = f"/privacy/people/{hoa.id}/erase"
    assert admin.post(erase, {"confirm": "y"}, token_page=erase).status_code == 303
    db.session.expire_all()

    for model, upload_id in [(ListImport, first_id), (ListImport, later_id), (ListImport, preview_id),
                             (PoolImport, pool_upload.id), (ExternalTrainingImport, training_upload.id)]:
        assert db.session.scalar(select(model.content).where(model.id == upload_id)) is None, (model, upload_id)
    assert db.session.get(ListImport, preview_id).status == "discarded"
    assert db.session.get(PoolImport, pool_upload.id).status == "discarded"
    # The pool upload's kept preview (its rows as planned) goes with its file.
    assert db.session.execute(select(PoolImport.preview, PoolImport.preview_key)
                              .where(PoolImport.id == pool_upload.id)).one() == (None, None)
    assert db.session.scalar(select(ExternalTrainingImport.content)
                             .where(ExternalTrainingImport.id == unrelated.id)) is not None

    # Submitting the open preview afterwards writes nothing and says why.
    submitted = hlhpn.post(f"/lists/imports/{preview_id}/submit", token_page=f"/lists/imports/{preview_id}")
    assert submitted.status_code == 303
    page = hlhpn.client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "xóa thông tin cá nhân" in page
    assert people_named(files.HOA["phone"]) == 0
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.id_number == files.HOA["id"])) == 0
    with pytest.raises(DomainError) as refused:
        pool.confirm_pool_upload(None, db.session.get(PoolImport, pool_upload.id), TODAY, None, keep_missing=True)
    assert refused.value.code == "import.withdrawn_for_erasure"
    with pytest.raises(DomainError) as refused:
        external_training_import.confirm_import(None, db.session.get(ExternalTrainingImport, training_upload.id), TODAY)
    assert refused.value.code == "import.withdrawn_for_erasure"


def test_a_file_naming_another_woman_of_her_name_and_another_birth_year_is_kept(demo, app):
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    read = lists.read_upload("ds.xlsx", files.snv_xlsx([files.HOA]), TODAY)
    from bdgtrain.services.lists import import_writing
    from bdgtrain.services.privacy import privacy

    import_writing.apply_import(None, lists.plan_import(lop3, org("SNV"), read))
    other = {**files.HOA, "name": "Nguyễn Thị Hoa", "born": date(1991, 1, 1), "phone": "0903000111", "id": None}
    kept = lists.store_upload(None, lop3, org("HLHPN"), "khac.xlsx", files.snv_xlsx([other, files.LAN]))
    make.commit()
    hoa = db.session.scalar(select(Person).where(Person.phone == files.HOA["phone"]))
    counts = privacy.erase_person(None, hoa)
    make.commit()
    assert db.session.scalar(select(ListImport.content).where(ListImport.id == kept.id)) is not None
    assert db.session.get(ListImport, kept.id).status == "preview"
    assert counts["list_files"] == 0  # the file she came from was built in memory, never stored


# --- 5. the zip-bomb guard counts what is inflated, not what is declared --------------------------

def lying_xlsx(inflated_bytes: int) -> bytes:
    """A real list whose first sheet inflates to `inflated_bytes` while its zip headers declare the sheet's
    true small size: written by hand (local headers, central directory), streaming, in little memory."""
    with zipfile.ZipFile(io.BytesIO(files.snv_xlsx([files.HOA]))) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    out, central = io.BytesIO(), []
    for name, content in members:
        if name == "xl/worksheets/sheet1.xml":
            raw, crc = _deflated_padding(content, inflated_bytes)
            declared = len(content)  # the lie: the size of the honest sheet
        else:
            squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
            raw, crc, declared = squeezer.compress(content) + squeezer.flush(), zlib.crc32(content), len(content)
        encoded, offset = name.encode(), out.tell()
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, 0x21, crc, len(raw), declared,
                              len(encoded), 0))
        out.write(encoded)
        out.write(raw)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, 8, 0, 0x21, crc, len(raw),
                                   declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _deflated_padding(content: bytes, inflated_bytes: int) -> tuple[bytes, int]:
    head, tail = content.split(b"<sheetData>", 1)
    squeezer, crc, parts = zlib.compressobj(9, zlib.DEFLATED, -15), 0, []
    chunk = b" " * (1024 * 1024)
    pieces = [head + b"<sheetData>", *([chunk] * (inflated_bytes // len(chunk))), tail]
    for piece in pieces:
        parts.append(squeezer.compress(piece))
        crc = zlib.crc32(piece, crc)
    parts.append(squeezer.flush())
    return b"".join(parts), crc


@pytest.fixture
def no_calamine(monkeypatch):
    """calamine believes the declared sizes: reaching it with such a file is the hole itself."""
    from bdgtrain.importers import sources

    calls = []

    def reached(*args, **kwargs):
        calls.append(args)
        raise AssertionError("calamine was handed a zip that lies about its sizes")

    monkeypatch.setattr(sources.python_calamine, "load_workbook", reached)
    return calls


def test_a_zip_understating_its_sizes_is_refused_before_calamine_in_bounded_memory(demo, web, no_calamine):
    bomb = lying_xlsx(256 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # a quarter of a gigabyte of sheet in a file of a few hundred KB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # the declarations look harmless
        assert sum(info.file_size for info in archive.infolist()) < 64 * 1024
    web.login("noivu@test.vn")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = upload(web, bomb)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ghi sai kích thước khi giải nén" in html
    assert grown_mb < 200
    assert no_calamine == []  # refused by the guard, not by calamine failing
    assert db.session.scalar(select(func.count()).select_from(ListImport)) == 0


def test_the_inflated_total_has_a_hard_limit_whatever_is_declared(monkeypatch, no_calamine):
    from bdgtrain.importers import zip_guard
    from bdgtrain.importers.person_list import ReadError, read_person_list

    data = files.snv_xlsx([files.HOA] * 3)
    monkeypatch.setattr(zip_guard, "MAX_UNZIPPED_BYTES", 4096)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    # Declare everything as tiny: the declared sum passes, the bytes actually inflated do not.
    for info in infos:
        info.file_size = 10**9  # each member may give "up to a gigabyte": only the running total stops it
    with pytest.raises(ReadError) as refused:
        zip_guard.check_inflated(data, [i for i in infos if i.filename.endswith(".xml")], "ds.xlsx",
                                 ReadError("file.damaged", "damaged"))
    assert refused.value.code == "file.too_large" and "giải nén quá lớn" in refused.value.message
    monkeypatch.setattr(zip_guard, "MAX_UNZIPPED_BYTES", 1024)
    with pytest.raises(ReadError) as refused:
        read_person_list(data, "ds.xlsx", today=TODAY)
    assert refused.value.code == "file.too_large" and "giải nén quá lớn" in refused.value.message


def _sheets(count: int, rows: int = 2) -> bytes:
    book = Workbook()
    book.active.append(["Họ và tên", "Giới tính"])
    for n in range(1, count):
        book.create_sheet(f"Trang {n}")
    sheet = book.active
    for _ in range(rows - 1):
        sheet.append(["Nguyễn Thị Hoa", "Nữ"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheets_and_rows_have_their_own_limits(monkeypatch):
    from bdgtrain.importers import sources
    from bdgtrain.importers.person_list import ReadError, read_person_list

    monkeypatch.setattr(sources, "MAX_SHEETS", 3)
    with pytest.raises(ReadError) as refused:
        read_person_list(_sheets(4), "ds.xlsx", today=TODAY)
    assert refused.value.code == "file.too_large" and "4 trang tính" in refused.value.message
    assert [row.full_name for row in read_person_list(_sheets(3), "ds.xlsx", today=TODAY).rows] == ["Nguyễn Thị Hoa"]
    monkeypatch.setattr(sources, "MAX_ROWS", 10)
    with pytest.raises(ReadError) as refused:
        read_person_list(_sheets(1, rows=11), "ds.xlsx", today=TODAY)
    assert refused.value.code == "file.too_large" and "11 dòng" in refused.value.message


# --- 6. a list has a row cap; the invitations' message fits the cookie ------------------------------

def test_a_list_longer_than_the_cap_is_refused_with_the_cap_and_the_count(demo, web, app, monkeypatch):
    assert app.config["LIST_MAX_ROWS"] == 5000
    # The app lives for the whole session: monkeypatch gives the cap back to the tests that follow.
    names = [f"{family} Thị {given}" for family in ("Lê", "Trần", "Phạm", "Võ", "Đặng")
             for given in ("Mai", "Lan", "Huệ", "Cúc", "Đào", "Sen")]
    people = [{**files.MAI, "name": name, "phone": f"0903{n:06d}"} for n, name in enumerate(names)]
    monkeypatch.setitem(app.config, "LIST_MAX_ROWS", 29)
    web.login("noivu@test.vn")
    response = upload(web, files.snv_xlsx(people))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Danh sách có 30 người, quá giới hạn 29 người" in html
    assert db.session.scalar(select(func.count()).select_from(ListImport)) == 0
    monkeypatch.setitem(app.config, "LIST_MAX_ROWS", 30)
    stored = upload(web, files.snv_xlsx(people))
    assert stored.status_code == 303
    import_id = int(stored.headers["Location"].rsplit("/", 1)[1])
    # Lowered while the preview waited: submitting it is refused too.
    monkeypatch.setitem(app.config, "LIST_MAX_ROWS", 10)
    submitted = web.post(f"/lists/imports/{import_id}/submit", token_page=UPLOAD)
    page = web.client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "quá giới hạn 10 người" in page
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_a_cap_of_thousands_is_written_the_vietnamese_way(demo):
    read = lists.read_upload("ds.xlsx", files.snv_xlsx([files.HOA, files.LAN, files.MAI]), TODAY)
    read.rows *= 2000
    with pytest.raises(DomainError) as refused:
        lists.check_row_cap(read, 5000)
    assert "6.000 người, quá giới hạn 5.000 người" in str(refused.value.message)


def test_the_message_after_sending_invitations_fits_the_session_cookie(app, web):
    from bdgtrain.models import Enrolment
    from bdgtrain.rules.names import fold, sort_key

    organiser_org = make.org("SLD", "Sở LĐ-TB&XH")
    make.user("tochuc@test.vn", "organiser", organiser_org)
    cls, _ = make.class_open_now(make.plan(organiser_org), people=0)
    chance = random.Random(20)
    families, middles = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"), ("Thị", "Thu", "Ngọc", "Thanh")
    givens = ("Hoa", "Lan", "Mai", "Huệ", "Cúc", "Đào", "Sen", "Hương", "Nga", "Hằng", "Yến", "Thảo", "Trang")
    names = [f"{chance.choice(families)} {chance.choice(middles)} {chance.choice(givens)} {chance.choice(givens)}"
             for _ in range(2000)]  # nobody has an e-mail address
    people = [Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), birth_year=1980, sex="F")
              for name in names]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all([Enrolment(class_id=cls.id, person_id=p.id, status="confirmed") for p in people])
    make.commit()
    web.login("tochuc@test.vn")
    url = "/plans/KH-1/classes/LOP-QR/invitations"
    response = web.post(url, {"action": "invite", "confirmed": "yes"}, token_page=url)
    assert response.status_code == 303
    cookies = [value for key, value in response.headers.items() if key == "Set-Cookie" and "session=" in value]
    assert cookies and max(map(len, cookies)) < 4093
    page = web.client.get(url).get_data(as_text=True)
    assert "và 1990 người khác" in page

"""The plan summary report as an official document (issue 19): the .docx in Decree 30/2020's order, the
.xlsx with numbers as numbers, the PDF's text, the same permission as the page, and nobody named."""
from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import delete, select

from bdgtrain.extensions import db
from bdgtrain.models import Organisation
from bdgtrain.services.planning.document_settings import DocumentDefaults, save_document_defaults
from bdgtrain.services.privacy import access_log
from tests import factories as make
from tests import monitoring_world
from tests.conftest import Browserless

BASE = "/plans/HT-2019/summary"
DATED = "?place=Hà Tĩnh&date=05/08/2019"
SIGNER = DocumentDefaults(number_suffix="BC-SLĐTBXH", signer_authority="kt. giám đốc", signer_title="Phó Giám đốc",
                          signer_name="Nguyễn Văn An",
                          recipients="- UBND tỉnh (để báo cáo);\nSở Nội vụ;\n- Lưu: VT, VP.")
# Named on the monitor's page, never in a file sent outside: the no-show, and the two outside the audience.
NAMED_ON_THE_PAGE_ONLY = ("Phạm Thị Cúc", "Lê Văn Minh", "Hồ Thị Bình")


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def world(app):
    plan, people = monitoring_world.build()
    plan.number = "110/KH-UBND"
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))
    make.user("khac@test.vn", "monitor", make.org("SYT", "Sở Y tế"))
    db.session.commit()
    return plan, people


@pytest.fixture
def signer(world):
    save_document_defaults(None, _org("SLDTBXH"), SIGNER)
    db.session.commit()


def _client(app, email="giamsat@test.vn"):
    client = app.test_client()
    assert Browserless(client).login(email).status_code == 302
    return client


def _docx_lines(data: bytes) -> list[str]:
    """Every paragraph's text in document order, those in table cells (the header block) included."""
    body = Docx(io.BytesIO(data)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return [" ".join(line.split()) for line in lines if line.strip()]


def _index(lines: list[str], text: str, after: int = -1) -> int:
    return next(i for i, line in enumerate(lines) if i > after and text in line)


def test_the_docx_reads_in_the_decrees_order(app, world, signer):
    response = _client(app).get(f"{BASE}.docx{DATED}")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert "bao-cao-ket-qua-HT-2019.docx" in response.headers["Content-Disposition"]
    lines = _docx_lines(response.data)
    # Left of the header: parent, issuing body, number; right: national heading, motto, place and date.
    left = [_index(lines, text) for text in ("UBND TỈNH HÀ TĨNH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Số:")]
    right = [_index(lines, text) for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                              "Hà Tĩnh, ngày 05 tháng 8 năm 2019")]
    assert left == sorted(left) and right == sorted(right) and left[0] < right[0]
    assert "/BC-SLĐTBXH" in lines[left[2]]
    kind = _index(lines, "BÁO CÁO", after=max(left + right))
    position = _index(lines, "Kết quả tổ chức các lớp tập huấn thuộc Kế hoạch 110/KH-UBND", after=kind)
    for heading in ("1. Các lớp đã tổ chức", "2. Thành phần tham dự", "3. Giấy chứng nhận",
                    "4. Đánh giá của học viên", "5. Tỷ lệ nữ trong diện quy hoạch đã được tập huấn"):
        position = _index(lines, heading, after=position)
    # The closing block sits side by side (recipients left, signer right): both come after the body.
    signed = [_index(lines, text, after=position) for text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")]
    assert signed == sorted(signed)
    recipients = _index(lines, "Nơi nhận:", after=position)
    assert "UBND tỉnh (để báo cáo);" in " ".join(lines[recipients:])
    assert "Lưu: VT, VP." in " ".join(lines[recipients:])


def test_no_file_names_a_no_show_or_anyone_outside_the_audience(app, world, signer):
    client = _client(app)
    page = client.get(f"{BASE}{DATED}").get_data(as_text=True)
    assert all(name in page for name in NAMED_ON_THE_PAGE_ONLY)  # the monitor's page names them
    with zipfile.ZipFile(io.BytesIO(client.get(f"{BASE}.docx{DATED}").data)) as package:
        xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
    book = load_workbook(io.BytesIO(client.get(f"{BASE}.xlsx{DATED}").data))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    pdf = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in
                                                PdfReader(io.BytesIO(client.get(f"{BASE}.pdf{DATED}").data)).pages))
    assert "Vắng cả lớp" in xml and "Vắng cả lớp" in cells  # counted...
    for name in NAMED_ON_THE_PAGE_ONLY:  # ...never named
        assert name not in xml and name not in cells and name not in pdf, name


def test_the_xlsx_keeps_numbers_as_numbers(app, world, signer):
    response = _client(app).get(f"{BASE}.xlsx{DATED}")
    assert response.status_code == 200 and "bao-cao-ket-qua-HT-2019.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    # LOP-3's row of the classes table: 5 nominated, 4 came, 3 completed, ... attendance 4/5 as a fraction.
    row = next(r for sheet in book for r in sheet.iter_rows()
               if any(isinstance(c.value, str) and c.value.startswith("LOP-3:") for c in r))
    values = [c for c in row if c.value is not None and not isinstance(c.value, str)]
    assert [c.value for c in values][1:8] == [5, 4, 3, 1, 1, 3, 1]
    attendance = values[8]
    assert isinstance(attendance.value, float) and attendance.value == pytest.approx(0.8)
    assert "%" in attendance.number_format
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "Hà Tĩnh, ngày 05 tháng 8 năm 2019" in texts and "Nguyễn Văn An" in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]  # recipients typed with "- " included
    assert any("UBND tỉnh (để báo cáo);" in t for t in texts)


def test_the_pdf_names_the_signer_and_the_plan(app, world, signer):
    response = _client(app).get(f"{BASE}.pdf{DATED}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages))
    text = " ".join(text.split())
    assert "Nguyễn Văn An" in text and "110/KH-UBND" in text


def test_without_a_saved_signer_the_page_asks_for_one(app, world):
    from bdgtrain.models import DocumentSettings

    db.session.execute(delete(DocumentSettings))  # the demo saves made-up defaults; a real install starts bare
    db.session.commit()
    client = _client(app)
    page = client.get(f"{BASE}{DATED}").get_data(as_text=True)
    assert "Chưa có người ký: hãy lưu người ký mặc định của đơn vị" in page
    assert "/organisations/SLDTBXH/" in page
    for kind in ("docx", "pdf", "xlsx"):
        assert f"{BASE}.{kind}?" in page, kind
    lines = _docx_lines(client.get(f"{BASE}.docx{DATED}").data)
    assert any("Ban Vì sự tiến bộ của phụ nữ tỉnh (để báo cáo);" in line for line in lines)  # default recipients
    assert not any("Như trên" in line for line in lines)


def test_with_a_saved_signer_the_page_shows_the_closing_block(app, world, signer):
    page = _client(app).get(f"{BASE}{DATED}").get_data(as_text=True)
    assert "Chưa có người ký" not in page
    closing = page[page.index('class="official-closing"'):]
    for text in ("Nơi nhận:", "Sở Nội vụ;", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"):
        assert text in closing, text
    assert "Số:       /BC-SLĐTBXH" in page


def test_a_monitor_of_another_plan_downloads_nothing(app, world, signer):
    client = _client(app, "khac@test.vn")
    page = client.get(BASE).status_code
    assert page == 403
    for kind in ("docx", "pdf", "xlsx"):
        assert client.get(f"{BASE}.{kind}{DATED}").status_code == page, kind


def test_each_download_is_in_the_access_log(app, world, signer):
    _plan, people = world
    client = _client(app)
    for kind in ("docx", "pdf", "xlsx"):
        assert client.get(f"{BASE}.{kind}{DATED}").status_code == 200
    seen = sorted((a.action, a.detail) for a in access_log.accesses_about(people["Phạm Thị Cúc"].person))
    assert seen == [("plan.summary.exported", f"plan HT-2019 {kind}") for kind in ("docx", "pdf", "xlsx")]

"""Certificates over HTTP (issue 19): the issue form and its refusals, the class's certificates as one PDF and
one .docx (read back: parts in the decree's order, one page each, the QR opens the verification page), a
participant's own PDF from her ticket, and who may not download."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date, datetime, timezone

import pytest
from docx import Document as read_docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Certificate, Organisation, TrainingClass
from bdgtrain.security import ticket_token
from bdgtrain.services.certificates import certificates
from tests import factories as make
from tests import monitoring_world
from tests.conftest import Browserless

LOP4 = "/plans/HT-2019/classes/LOP-4"
FORM = {"issued_on": "20/07/2019", "place": "Hà Tĩnh", "signer_authority": "KT. Giám đốc",
        "signer_title": "Phó Giám đốc", "signer_name": "Trần Thị Mai"}


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def _class(code):
    return db.session.scalar(select(TrainingClass).where(TrainingClass.code == code))


@pytest.fixture
def world(app):
    plan, people = monitoring_world.build()
    monitoring_world.save_signer(plan)
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))  # the plan's monitor: reads what the print page shows
    make.user("phunu@test.vn", "supplier", _org("HLHPN"))
    make.user("khac@test.vn", "monitor", make.org("SYT", "Sở Y tế"))
    db.session.commit()
    return plan, people


def _as(app, email):
    client = app.test_client()
    web = Browserless(client)
    assert web.login(email).status_code == 302
    return client, web


def _issue(app, form=FORM):
    client, web = _as(app, "tochuc@test.vn")
    answer = web.post(f"{LOP4}/certificates/issue", form)
    return client, answer


def _count():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Certificate))


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(unicodedata.normalize("NFC", text).split())


def _docx_lines(data: bytes) -> list[str]:
    """Every line of the .docx in reading order: body paragraphs, and table cells row by row (nested too)."""
    document = read_docx(io.BytesIO(data))
    lines: list[str] = []

    def walk(element, parent):
        for child in element.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.extend(Paragraph(child, parent).text.split("\n"))
            elif tag == "tbl":
                seen = []  # a merged cell repeats in each row it spans; kept alive so that `in` compares nodes
                for row in Table(child, parent).rows:
                    for cell in row.cells:
                        if not any(cell._tc is done for done in seen):
                            seen.append(cell._tc)
                            walk(cell._tc, cell)

    walk(document.element.body, document)
    return [unicodedata.normalize("NFC", " ".join(line.split())) for line in lines if line.strip()]


def _in_order(lines: list[str], fragments: list[str], start: int = 0) -> int:
    """The index of the last fragment, each found on a line after the previous one's."""
    at = start - 1
    for fragment in fragments:
        found = next((i for i in range(at + 1, len(lines)) if fragment in lines[i]), None)
        assert found is not None, (fragment, lines[at + 1:])
        at = found
    return at


def test_the_issue_form_offers_the_class_last_day_and_the_saved_signer(app, world):
    client, _ = _as(app, "tochuc@test.vn")
    page = client.get(f"{LOP4}/certificates/issue")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="19/07/2019"' in html  # LOP-4 was held 17-19/7/2019; today is years later
    assert 'value="Hà Tĩnh"' in html and 'value="Nguyễn Văn Bình"' in html and 'value="Phó Giám đốc"' in html
    assert _count() == 0  # showing the form issues nothing


@pytest.mark.parametrize(("change", "message"), [
    ({"signer_name": ""}, "Hãy nhập họ tên người ký."),
    ({"signer_title": " "}, "Hãy nhập chức vụ người ký."),
    ({"place": ""}, "Hãy nhập địa danh nơi cấp giấy."),
    ({"issued_on": "18/07/2019"}, "Ngày cấp không được trước ngày học cuối cùng của lớp (19/07/2019)."),
    ({"issued_on": "01/01/2099"}, "Ngày cấp không được sau hôm nay"),
])
def test_a_wrong_detail_comes_back_on_its_field_and_issues_nothing(app, world, change, message):
    _client, answer = _issue(app, {**FORM, **change})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    field = next(iter(change))
    assert re.search(rf'<small class="field-error" id="{field}-error-1">{re.escape(message)}', html), html
    assert _count() == 0


def test_the_class_docx_holds_the_decree_parts_in_order(app, world):
    client, answer = _issue(app)
    assert answer.status_code == 303
    download = client.get(f"{LOP4}/certificates.docx")
    assert download.status_code == 200
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert download.headers["Cache-Control"] == "private, no-store"
    lines = _docx_lines(download.data)
    # The agency's column and the state's column: whichever the writer lays out first, each reads downwards.
    left = _in_order(lines, ["UBND TỈNH HÀ TĨNH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Số: HT-2019/LOP-4/001"])
    right = _in_order(lines, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                              "Hà Tĩnh, ngày 20 tháng 7 năm 2019"])
    _in_order(lines, ["GIẤY CHỨNG NHẬN", "Hồ Thị Bình", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Mai"],
              start=max(left, right) + 1)
    assert any("Ngô Thị Xuân" in line for line in lines)  # the class's second certificate, in the same file
    assert not any("Nơi nhận" in line for line in lines)


def _decode_first_page(pdf: bytes, tmp_path) -> str:
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    if pdftoppm is None or zbarimg is None:
        pytest.fail("pdftoppm and zbarimg are needed (apt-get install poppler-utils zbar-tools)")
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "c.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    return subprocess.run([zbarimg, "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


def test_the_class_pdf_has_a_page_per_certificate_in_force_and_its_qr_verifies(app, world, tmp_path):
    _plan, people = world
    client, _answer = _issue(app)
    # Re-issued once: the revoked paper is not printed, its replacement is.
    certificate = certificates.current_for_enrolment(people["Ngô Thị Xuân"].id)
    assert Browserless(client).post(f"{LOP4}/certificates/{certificate.id}/reissue",
                                     {"confirmed": "yes"}).status_code == 303
    # The longest paper still takes one page: a title over two lines, a birth year, a position and a unit.
    person = people["Hồ Thị Bình"].person
    person.birth_year, person.position = 1984, "Phó Trưởng phòng Tổ chức cán bộ"
    _class("LOP-4").title = ("Lớp tập huấn nâng cao năng lực lãnh đạo, quản lý cho cán bộ nữ trong diện quy hoạch "
                             "các chức danh lãnh đạo cấp huyện")
    db.session.commit()
    download = client.get(f"{LOP4}/certificates.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")
    pages, text = _pdf_text(download.data)
    current = certificates.current_certificates(_class("LOP-4"))
    assert pages == len(current) == 2
    assert "Hồ Thị Bình" in text and "Ngô Thị Xuân" in text and "Trần Thị Mai" in text
    first = current[0]  # Bình, first in name order
    url = certificates.verification_url(first, "http://localhost")  # the test client's address
    assert _decode_first_page(download.data, tmp_path) == url
    path = re.sub(r"^https?://[^/]+", "", url, flags=re.IGNORECASE)
    answer = app.test_client().get(path)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "CÒN HIỆU LỰC" in page and "Hồ Thị Bình" in page


def test_a_participant_downloads_only_her_own_certificate(app, world):
    _plan, people = world
    _issue(app)
    anyone = app.test_client()
    own = anyone.get(f"/T/{ticket_token(people['Hồ Thị Bình'].id)}/certificate.pdf")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert own.headers["Cache-Control"] == "private, no-store" and own.headers["Referrer-Policy"] == "no-referrer"
    pages, text = _pdf_text(own.data)
    assert pages == 1 and "Hồ Thị Bình" in text and "Ngô Thị Xuân" not in text
    other = anyone.get(f"/t/{ticket_token(people['Ngô Thị Xuân'].id)}/certificate.pdf", follow_redirects=True)
    _pages, other_text = _pdf_text(other.data)
    assert "Ngô Thị Xuân" in other_text and "Hồ Thị Bình" not in other_text
    # No certificate (Cúc never came), a forged token, a revoked paper: nothing to download.
    none = anyone.get(f"/T/{ticket_token(people['Phạm Thị Cúc'].id)}/certificate.pdf")
    assert none.status_code == 404 and none.headers["Cache-Control"] == "private, no-store"
    token = ticket_token(people["Hồ Thị Bình"].id)
    assert anyone.get(f"/T/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/certificate.pdf").status_code == 404
    certificates.revoke_certificate(None, certificates.current_for_enrolment(people["Hồ Thị Bình"].id), "Ghi sai")
    db.session.commit()
    assert anyone.get(f"/T/{token}/certificate.pdf").status_code == 404


def test_a_supplier_or_another_province_monitor_cannot_download_the_class(app, world):
    _issue(app)
    for email in ("phunu@test.vn", "khac@test.vn"):
        client, _ = _as(app, email)
        refused = client.get(f"{LOP4}/certificates/print").status_code
        assert refused in (403, 404)
        for suffix in ("pdf", "docx"):
            assert client.get(f"{LOP4}/certificates.{suffix}").status_code == refused, (email, suffix)
    # The plan's own monitor reads what the print page shows her (certificate.view), and nothing more.
    monitor, _ = _as(app, "giamsat@test.vn")
    assert monitor.get(f"{LOP4}/certificates/print").status_code == 200
    assert monitor.get(f"{LOP4}/certificates.pdf").status_code == 200
    assert monitor.get(f"{LOP4}/certificates/issue").status_code == 403


def test_an_old_certificate_without_details_still_downloads(app, world):
    _plan, people = world
    # Issued before issue 19 (no day, place or signer kept), at 08:00 on 22/7/2019 in Hà Tĩnh.
    db.session.add(Certificate(enrolment_id=people["Hồ Thị Bình"].id, number="HT-2019/LOP-4/001",
                               issued_at=datetime(2019, 7, 22, 1, 0, tzinfo=timezone.utc)))
    db.session.commit()
    client, _ = _as(app, "tochuc@test.vn")
    download = client.get(f"{LOP4}/certificates.pdf")
    assert download.status_code == 200
    pages, text = _pdf_text(download.data)
    assert pages == 1 and "Hồ Thị Bình" in text and "Nguyễn Văn Bình" not in text  # nobody signed it then
    assert "Hà Tĩnh, ngày 22 tháng 7 năm 2019" in text
    assert client.get(f"{LOP4}/certificates.docx").status_code == 200
    own = app.test_client().get(f"/T/{ticket_token(people['Hồ Thị Bình'].id)}/certificate.pdf")
    assert own.status_code == 200
    printed = client.get(f"{LOP4}/certificates/print").get_data(as_text=True)
    assert "Hà Tĩnh, ngày 22 tháng 7 năm 2019" in printed
    assert date(2019, 7, 22) == certificates.details_of(db.session.scalars(select(Certificate)).one()).issued_on


def test_the_print_page_shows_the_place_date_and_signer(app, world):
    client, _answer = _issue(app)
    printed = client.get(f"{LOP4}/certificates/print").get_data(as_text=True)
    assert printed.count("Hà Tĩnh, ngày 20 tháng 7 năm 2019") == 2
    assert "KT. GIÁM ĐỐC" in printed and "PHÓ GIÁM ĐỐC" in printed and "Trần Thị Mai" in printed
    assert f"{LOP4}/certificates.pdf" in printed and f"{LOP4}/certificates.docx" in printed
    listing = client.get(f"{LOP4}/certificates").get_data(as_text=True)
    assert f"{LOP4}/certificates.pdf" in listing and "20/07/2019" in listing

"""Issue 23, write a plan: the Hà Tĩnh demo's Kế hoạch written as .docx and PDF in the seed's structure, edited
before issue, on both databases.

The .docx is read back with python-docx (bdgtrain.documents.docx_text, the helper the round trip uses) and its
parts checked in order against the demo's classes; the PDF is read with pdftotext (poppler-utils, which .ci/run
installs: absent, these fail).
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from bdgtrain.documents.docx_text import docx_paragraphs, docx_text
from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Plan, PlanDocument, TrainingClass
from bdgtrain.rules.dates import format_date_expression, parse_date_expression
from bdgtrain.services.demo import demo
from bdgtrain.services.planning import plan_document, planning
from tests import factories as make
from tests.conftest import Browserless
from tests.web.test_official_reports import VIETNAMESE, _in_order
from tests.web.test_reports_web import _org

PAGE = "/plans/HT-2019/document"
HEADINGS = ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. PHÂN CÔNG THỰC HIỆN", "IV. KINH PHÍ"]
TARGETS = "đạt 75% vào năm 2025 và đạt 90% vào năm 2030"


@pytest.fixture
def world(app):
    demo.load_demo()
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    make.user("nguon@test.vn", "supplier", _org("SNV"))
    make.user("tochuc-khac@test.vn", "organiser", make.org("SYT", "Sở Y tế"))
    db.session.commit()


def _plan() -> Plan:
    return db.session.scalar(select(Plan).where(Plan.code == "HT-2019"))


def _pdf_text(content: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: .ci/run installs it"
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return text


def _form(page_html: str, **changes) -> dict:
    """The page's form as the browser would send it back, with `changes`."""
    data = plan_document.document_input(_plan())
    values = {name: getattr(data, name) for name in plan_document.PlanDocumentInput.__dataclass_fields__}
    values["issued_on"] = data.issued_on.strftime("%d/%m/%Y")
    values.update(changes)
    return values


def test_done_when_the_demo_plans_ke_hoach_reads_back_in_the_seeds_structure(world, web, tmp_path):
    web.login("tochuc@test.vn")
    page = web.client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lớp tập huấn 3" in html and TARGETS in html and "TM. ỦY BAN NHÂN DÂN" in html
    assert "/plans/HT-2019/document" in web.client.get("/plans/HT-2019").get_data(as_text=True)  # the plan links here

    docx = web.client.get(f"{PAGE}.docx")
    assert docx.status_code == 200 and docx.headers["Cache-Control"] == "private, no-store"
    assert 'filename="ke-hoach-HT-2019.docx"' in docx.headers["Content-Disposition"]
    lines = docx_paragraphs(docx.data)
    _in_order(lines, ["UBND TỈNH HÀ TĨNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      "Số: …/KH-UBND", "Hà Tĩnh, ngày 01 tháng 01 năm 2019", "KẾ HOẠCH",
                      "Tổ chức tập huấn nâng cao năng lực và hiệu quả quản lý nhà nước về bình đẳng giới",
                      "Thực hiện Chương trình công tác số 08/CTr-UBQG",
                      "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", TARGETS, "2. Yêu cầu", "II. NỘI DUNG",
                      "1. Các lớp tập huấn"])
    # The four classes in order, each with its own audience and its dates in the seed's form.
    expected = []
    for number, spec in enumerate(demo.CLASSES, start=1):
        days = format_date_expression(parse_date_expression(spec["date_expression"]))
        expected += [f"1.{number}. {spec['title']}", "- Nội dung: " + " ".join(spec["content"].split()),
                     "- Thành phần: " + " ".join(spec["audience"].split()), f"- Thời gian: Dự kiến ngày {days}."]
    start = lines.index("1. Các lớp tập huấn")
    assert lines[start + 1:start + 1 + len(expected)] == expected
    assert [line for line in lines if line.startswith("- Thời gian:")] == [
        "- Thời gian: Dự kiến ngày 10/7/2019.", "- Thời gian: Dự kiến ngày 11-12/7/2019.",
        "- Thời gian: Dự kiến ngày 15-16/7/2019.", "- Thời gian: Dự kiến ngày 17-19/7/2019."]
    _in_order(lines, ["2. Địa điểm tổ chức các lớp tập huấn", "Thành phố Hà Tĩnh",
                      "3. Tài liệu và phương pháp tập huấn", "4. Giảng viên tập huấn", "Tiến sĩ Đặng Ngọc Toàn",
                      "III. PHÂN CÔNG THỰC HIỆN", "1. Sở Lao động - Thương binh và Xã hội",
                      "báo cáo 6 tháng trước ngày 25/5", "2. Sở Nội vụ",
                      "Chủ trì, phối hợp với Hội Liên hiệp Phụ nữ tỉnh cung cấp danh sách học viên Lớp tập huấn 3",
                      "3. Hội Liên hiệp Phụ nữ tỉnh", "theo dõi, giám sát, đánh giá kết quả",
                      "IV. KINH PHÍ", "607/LĐTBXH-BĐG", "Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."])
    assert [line for line in lines if line in HEADINGS] == HEADINGS
    assert docx_text(docx.data).split("\n") == lines

    pdf = web.client.get(f"{PAGE}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    page_lines = [" ".join(line.split()) for line in _pdf_text(pdf.data, tmp_path).splitlines()]
    for heading in HEADINGS + ["KẾ HOẠCH"]:
        assert heading in page_lines, heading  # each heading whole, on a line of its own
    docx_letters = {c for line in lines for c in line.lower() if c in VIETNAMESE}
    assert len(docx_letters) > 40
    assert docx_letters <= set(" ".join(page_lines).lower())  # every Vietnamese letter written came out of the PDF
    # The same plan gives the same bytes, however often and whenever it is written.
    assert web.client.get(f"{PAGE}.docx").data == docx.data
    assert web.client.get(f"{PAGE}.pdf").data == pdf.data


def test_editing_a_section_changes_the_file_and_resetting_brings_the_generated_text_back(world, web):
    web.login("tochuc@test.vn")
    generated = web.client.get(f"{PAGE}.docx").data
    html = web.client.get(PAGE).get_data(as_text=True)
    response = web.post(PAGE, _form(html, number="69/KH-UBND", issued_on="20/06/2019",
                                    funding="Kinh phí do ngân sách tỉnh bảo đảm theo phân cấp.",
                                    purpose="Nâng cao nhận thức về bình đẳng giới.\nPhấn đấu đạt 80% vào năm 2026.",
                                    signer_authority="TM. ỦY BAN NHÂN DÂN / kt. chủ tịch", signer_title="PHÓ CHỦ TỊCH",
                                    signer_name="Lê Văn D", recipients="- Như mục III;\nLưu: VT, VX1."),
                        token_page=PAGE)
    assert response.status_code == 303, response.get_data(as_text=True)
    edited = web.client.get(f"{PAGE}.docx").data
    assert edited != generated
    lines = docx_paragraphs(edited)
    _in_order(lines, ["Số: 69/KH-UBND", "Hà Tĩnh, ngày 20 tháng 6 năm 2019", "I. MỤC ĐÍCH, YÊU CẦU",
                      "Nâng cao nhận thức về bình đẳng giới.", "Phấn đấu đạt 80% vào năm 2026.", "II. NỘI DUNG",
                      "1.3. Lớp tập huấn 3", "IV. KINH PHÍ", "Kinh phí do ngân sách tỉnh bảo đảm theo phân cấp."])
    assert not any(TARGETS in line for line in lines) and not any("607/LĐTBXH" in line for line in lines)
    _in_order(lines, ["Nơi nhận:", "- Như mục III;", "- Lưu: VT, VX1."])
    signer = lines.index("TM. ỦY BAN NHÂN DÂN")  # seed 004's three lines above the name
    assert lines[signer:signer + 4] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn D"]
    assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.document.saved"))
    assert {"purpose", "funding", "number"} <= set(event.after["changed"])
    # A class edited in the plan shows in the saved document: the classes are the plan's own.
    db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-4")).status = "confirmed"
    db.session.commit()
    assert "- Thời gian: ngày 17-19/7/2019." in docx_paragraphs(web.client.get(f"{PAGE}.docx").data)
    db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-4")).status = "planned"
    db.session.commit()

    assert "Khôi phục nội dung tạo tự động?" in web.post(f"{PAGE}/reset", {}, token_page=PAGE).get_data(as_text=True)
    assert web.post(f"{PAGE}/reset", {"confirmed": "yes"}, token_page=PAGE).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 0
    assert web.client.get(f"{PAGE}.docx").data == generated


@pytest.mark.parametrize("changes, message", [
    ({"purpose": "  "}, "Trường này là bắt buộc."),
    ({"issued_on": "31/2/2019"}, ""),
    ({"signer_title": "PHÓ CHỦ TỊCH", "signer_name": ""}, "Hãy nhập họ tên người ký."),
    ({"number": "x" * 81}, ""),
])
def test_bad_input_is_refused_and_nothing_is_kept(world, web, changes, message):
    web.login("tochuc@test.vn")
    html = web.client.get(PAGE).get_data(as_text=True)
    response = web.post(PAGE, _form(html, **changes), token_page=PAGE)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 0


def test_the_service_refuses_an_empty_required_section_naming_it(world):
    data = plan_document.document_input(_plan())
    data.assignments = "\n \n"
    with pytest.raises(DomainError) as refused:
        plan_document.save_plan_document(None, _plan(), data)
    assert refused.value.field == "assignments" and "Phân công thực hiện" in refused.value.message
    assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 0


def test_an_organiser_of_another_province_is_told_the_plan_does_not_exist(world, web):
    web.login("tochuc-khac@test.vn")
    assert web.client.get(PAGE).status_code == 404
    assert web.client.get(f"{PAGE}.docx").status_code == 404
    assert web.post(f"{PAGE}/reset", {}).status_code == 404
    assert web.client.get("/plans/NO-PLAN/document").status_code == 404
    supplier = Browserless(web.client.application.test_client())
    supplier.login("nguon@test.vn")
    assert supplier.client.get(PAGE).status_code == 403  # sees the plan, may not write its Kế hoạch
    assert supplier.client.get(f"{PAGE}.pdf").status_code == 403
    organiser = Browserless(web.client.application.test_client())
    organiser.login("tochuc@test.vn")
    assert organiser.client.get(f"{PAGE}.pdf").status_code == 200
    assert organiser.client.get(f"{PAGE}.xlsx").status_code == 404  # a Kế hoạch is .docx or PDF


def test_a_cancelled_class_is_left_out_and_the_others_keep_their_order(world):
    plan = _plan()
    planning.cancel_class(None, db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-2")),
                          "Thiếu giảng viên")
    lines = docx_paragraphs(plan_document.plan_document_file(plan, "docx"))
    assert [line for line in lines if line.startswith("1.") and "Lớp tập huấn" in line] == [
        "1.1. Lớp tập huấn 1", "1.2. Lớp tập huấn 3", "1.3. Lớp tập huấn 4"]


def test_a_plan_deleted_takes_its_document_with_it(world):
    plan = make.plan(_org("SLDTBXH"), code="KH-XOA")
    data = plan_document.default_input(plan)
    # No issuing body: the organiser issues, with its saved signer; no issue day: the plan's creation day.
    assert (data.signer_title, data.signer_name, data.place) == ("PHÓ GIÁM ĐỐC", "Nguyễn Văn A", "Hà Tĩnh")
    assert data.issued_on == plan_document.to_local(plan.created_at).date()
    plan_document.save_plan_document(None, plan, data)
    db.session.commit()
    planning.delete_plan(None, plan)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 0


def test_the_command_writes_what_the_page_downloads(world, web, runner, tmp_path):
    web.login("tochuc@test.vn")
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"ke-hoach.{fmt}"
        result = runner.invoke(args=["plan", "document", "--plan", "ht-2019", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "nội dung tạo tự động" in result.output
        assert out.read_bytes() == web.client.get(f"{PAGE}.{fmt}").data
    refused = runner.invoke(args=["plan", "document", "--plan", "HT-2019", "--out", str(tmp_path / "x.odt")])
    assert refused.exit_code != 0 and ".docx hoặc .pdf" in refused.output
    missing = runner.invoke(args=["plan", "document", "--plan", "KHONG-CO", "--out", str(tmp_path / "x.docx")])
    assert missing.exit_code != 0 and "Không có kế hoạch" in missing.output
    assert not (tmp_path / "x.docx").exists()

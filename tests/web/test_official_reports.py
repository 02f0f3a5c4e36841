"""Issue 19: periodic reports as official documents (Decree 30/2020/NĐ-CP), on both databases.

The Hà Tĩnh demo's annual report for 2019 and a district's six-month report are written, issued and
downloaded; the .docx is read back with python-docx and its parts checked in order; the PDF is read
with pdftotext and rendered with pdftoppm (poppler-utils, which .ci/run installs: absent, these fail).
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, DocumentSettings, PeriodicReport, PeriodicReportFile
from bdgtrain.services.demo import demo
from bdgtrain.services.planning.document_settings import DocumentDefaults, save_document_defaults
from bdgtrain.services.reporting import official_reports, periodic_reports
from tests import factories as make
from tests.web.test_reports_web import _org, demo_world  # noqa: F401

TODAY = date(2026, 12, 5)
VIETNAMESE = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.fixture
def world(app):
    demo.load_demo()
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))
    make.user("nguon@test.vn", "supplier", _org("SNV"))
    db.session.commit()
    return demo


def _annual_2019(**changes):
    data = official_reports.draft_defaults(demo_plan(), "annual", 2019, None, TODAY).data
    data.number = "30/BC-SLĐTBXH"
    data.results_text = "Năm 2019 đã tổ chức 4 lớp tập huấn.\nCác lớp được tổ chức đúng kế hoạch."
    data.shortcomings_text = "Một số đơn vị cử chưa đủ thành phần."
    data.tasks_text = "Tiếp tục tập huấn cho cán bộ nữ trong diện quy hoạch."
    data.recommendations_text = "Đề nghị bố trí kinh phí năm 2020."
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def demo_plan():
    from bdgtrain.models import Plan

    return db.session.scalar(select(Plan).where(Plan.code == "HT-2019"))


def _docx_lines(content: bytes) -> list[str]:
    """Every paragraph of the .docx, in reading order (tables row by row, cell by cell)."""
    word = WordDocument(io.BytesIO(content))
    lines: list[str] = []
    body = word.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for paragraph in child.iter():
                if paragraph.tag.endswith("}p"):
                    lines.append("".join(t.text or "" for t in paragraph.iter() if t.tag.endswith("}t")))
    return [" ".join(line.split()) for line in lines if line.strip()]


def _in_order(lines: list[str], expected: list[str]) -> None:
    position = 0
    for part in expected:
        found = next((i for i in range(position, len(lines)) if part in lines[i]), None)
        assert found is not None, f"{part!r} not found after line {position}: {lines[position:position + 8]}"
        position = found + 1


def _pdf_text(content: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: .ci/run installs it"
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


# --- defaults, refusals ------------------------------------------------------------------------------------

def test_a_new_annual_report_starts_from_the_decrees_period_and_the_agencys_defaults(world):
    defaults = official_reports.draft_defaults(demo_plan(), "annual", 2019, None, TODAY)
    data = defaults.data
    assert (data.period_start, data.period_end) == (date(2018, 12, 15), date(2019, 12, 14))
    assert data.label == "Báo cáo năm 2019" and data.kind == "annual"
    assert data.issued_on == date(2019, 12, 14)  # long past: dated on the period's end, never today
    assert (data.signer_authority, data.signer_title, data.signer_name) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                                                                            "Nguyễn Văn A")
    assert data.place == "Hà Tĩnh" and defaults.signer_from_settings and defaults.carried_from is None
    six = official_reports.draft_defaults(demo_plan(), "six_month", 2019, None, TODAY).data
    assert (six.period_start, six.period_end, six.label) == (date(2018, 12, 15), date(2019, 6, 14),
                                                             "Báo cáo 6 tháng đầu năm 2019")
    assert official_reports.default_issue_day(date(2026, 12, 14), date(2026, 12, 20)) == date(2026, 12, 20)


def test_the_next_report_starts_from_the_previous_ones_text(world):
    plan = demo_plan()
    periodic_reports.generate_report(None, plan, _annual_2019())
    later = official_reports.draft_defaults(plan, "six_month", 2020, None, TODAY)
    assert later.carried_from is not None and later.carried_from.number == "30/BC-SLĐTBXH"
    assert later.data.tasks_text == "Tiếp tục tập huấn cho cán bộ nữ trong diện quy hoạch."


@pytest.mark.parametrize("changes, code, field", [
    ({"period_start": date(2019, 12, 20)}, "report.period_reversed", "period_end"),
    ({"issued_on": date(2019, 12, 1)}, "report.issued_before_end", "issued_on"),
    ({"period_start": date(2019, 6, 15)}, "report.period_kind", "period_end"),  # "Báo cáo năm" over six months
    ({"number": "  "}, "report.number_missing", "number"),
    ({"kind": "quarterly"}, "report.kind_unknown", "kind"),
])
def test_bad_report_input_is_refused_naming_the_field_and_nothing_is_kept(world, changes, code, field):
    with pytest.raises(DomainError) as refused:
        periodic_reports.generate_report(None, demo_plan(), _annual_2019(**changes))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert re.search(r"[ạảãàáâầấậăắằặđêếềệôốồộơớờợưứừự]", refused.value.message)  # Vietnamese
    assert db.session.scalar(select(func.count()).select_from(PeriodicReport)) == 0


def test_issuing_without_a_signer_or_with_a_number_taken_is_refused_and_nothing_is_issued(world):
    plan = demo_plan()
    draft = periodic_reports.generate_report(None, plan, _annual_2019(signer_title="", signer_name=""))
    with pytest.raises(DomainError) as refused:
        official_reports.issue_report(None, draft)
    assert refused.value.field == "signer_title" and draft.status == "draft" and draft.files == []
    first = periodic_reports.generate_report(None, plan, _annual_2019())
    official_reports.issue_report(None, first)
    again = periodic_reports.generate_report(None, plan, _annual_2019(label="Báo cáo năm 2019 (bổ sung)"))
    with pytest.raises(DomainError) as taken:
        official_reports.issue_report(None, again)
    assert (taken.value.code, taken.value.field) == ("report.number_taken", "number")
    assert again.status == "draft" and again.files == []
    # Another agency (a district) may use the same number the same year: numbers are per agency.
    district = periodic_reports.generate_report(None, plan, _annual_2019(organisation_id=_org("HT-HS").id,
                                                                         place="Hương Sơn"))
    official_reports.issue_report(None, district)
    assert district.is_issued and district.issuer_org.code == "HT-HS"
    assert db.session.scalar(select(func.count()).select_from(PeriodicReport).where(
        PeriodicReport.status == "issued")) == 2


# --- issued: frozen, corrected by a new version --------------------------------------------------------------

def test_an_issued_report_is_frozen_and_a_correction_says_what_it_replaces(world):
    plan = demo_plan()
    report = periodic_reports.generate_report(None, plan, _annual_2019())
    official_reports.issue_report(None, report)
    db.session.commit()
    kept = {f.format: f.content for f in report.files}
    assert set(kept) == {"docx", "pdf", "xlsx"}
    with pytest.raises(DomainError):
        official_reports.update_report(None, report, _annual_2019(results_text="Sửa sau khi gửi"))
    # The defaults change, the data change: the files as sent do not.
    save_document_defaults(None, _org("SLDTBXH"), DocumentDefaults(signer_title="GIÁM ĐỐC", signer_name="Người Khác"))
    db.session.commit()
    from bdgtrain.services.reporting.report_document import report_file

    assert {fmt: report_file(report, fmt) for fmt in kept} == kept
    correction = official_reports.start_correction(None, report)
    assert correction.status == "draft" and correction.replaces_id == report.id
    with pytest.raises(DomainError) as same_number:
        official_reports.issue_report(None, correction)
    assert same_number.value.field == "number"
    data = official_reports.input_of(correction)
    data.number = "31/BC-SLĐTBXH"
    official_reports.update_report(None, correction, data)
    official_reports.issue_report(None, correction)
    lines = _docx_lines(report_file(correction, "docx"))
    assert any("thay thế Báo cáo số 30/BC-SLĐTBXH ngày 14/12/2019" in line for line in lines)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("plan.report.%"))).all()
    assert actions.count("plan.report.issued") == 2 and "plan.report.correction_started" in actions


# --- the documents ----------------------------------------------------------------------------------------

def test_done_when_the_annual_report_reads_back_part_by_part_in_the_decrees_order(world, web, tmp_path):
    web.login("tochuc@test.vn")
    form = web.client.get("/reports/HT-2019/periodic/new?kind=annual&year=2019").get_data(as_text=True)
    assert 'value="15/12/2018"' in form and 'value="14/12/2019"' in form and "Nguyễn Văn A" in form
    data = _annual_2019()
    response = web.post("/reports/HT-2019/periodic/new", {
        "kind": "annual", "label": data.label, "organisation_id": "", "period_start": "15/12/2018",
        "period_end": "14/12/2019", "number": data.number, "place": "Hà Tĩnh", "issued_on": "16/12/2019",
        "results_text": data.results_text, "shortcomings_text": data.shortcomings_text,
        "tasks_text": data.tasks_text, "recommendations_text": data.recommendations_text,
        "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn A",
        "recipients": "UBND tỉnh (để báo cáo);\n- Lưu: VT, BĐG."}, token_page="/reports/HT-2019/periodic/new")
    assert response.status_code == 303, response.get_data(as_text=True)
    report = db.session.scalar(select(PeriodicReport))
    assert report.status == "draft"
    issued = web.post(f"/reports/HT-2019/periodic/{report.id}/issue", {},
                      token_page=f"/reports/HT-2019/periodic/{report.id}/issue")
    assert issued.status_code == 303
    db.session.expire_all()
    assert report.is_issued and len(report.files) == 3

    docx = web.client.get(f"/reports/HT-2019/periodic/{report.id}.docx")
    assert docx.status_code == 200 and docx.headers["Cache-Control"] == "private, no-store"
    lines = _docx_lines(docx.data)
    _in_order(lines, ["UBND TỈNH HÀ TĨNH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Độc lập - Tự do - Hạnh phúc", "Số: 30/BC-SLĐTBXH", "Hà Tĩnh, ngày 16 tháng 12 năm 2019",
                      "BÁO CÁO", "Kết quả thực hiện Kế hoạch số", "năm 2019", "I. KẾT QUẢ THỰC HIỆN",
                      "Năm 2019 đã tổ chức 4 lớp tập huấn.", "1. Các lớp đào tạo, tập huấn trong kỳ",
                      "2. Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn", "Huyện Hương Sơn",
                      "Toàn tỉnh", "3. Các chỉ tiêu khác", "Tỷ lệ cán bộ nữ trong diện quy hoạch",
                      "Tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ", "Tỷ lệ nữ trong tổng số cán bộ",
                      "người dân tộc thiểu số", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                      "Một số đơn vị cử chưa đủ thành phần.", "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
                      "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Đề nghị bố trí kinh phí năm 2020."])
    _in_order(lines, ["Nơi nhận:", "- UBND tỉnh (để báo cáo);", "- Lưu: VT, BĐG."])
    _in_order(lines, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"])
    assert not any("DỰ THẢO" in line for line in lines)  # issued: no draft mark
    word = WordDocument(io.BytesIO(docx.data))
    assert word.styles["Normal"].font.name == "Times New Roman"
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)

    pdf = web.client.get(f"/reports/HT-2019/periodic/{report.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = _pdf_text(pdf.data, tmp_path)
    page_lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in page_lines)  # one line, whole
    assert any(line.endswith("Độc lập - Tự do - Hạnh phúc") for line in page_lines)
    docx_letters = {c for line in lines for c in line.lower() if c in VIETNAMESE}
    assert docx_letters <= set(text.lower())  # every Vietnamese letter the report uses came out of the PDF
    fonts = {str(page["/Resources"]["/Font"][name]["/BaseFont"]) for page in PdfReader(io.BytesIO(pdf.data)).pages
             for name in page["/Resources"]["/Font"]}
    assert fonts and all("LiberationSerif" in font for font in fonts)
    (tmp_path / "report.pdf").write_bytes(pdf.data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
    # Downloaded again: byte for byte what was issued.
    assert web.client.get(f"/reports/HT-2019/periodic/{report.id}.pdf").data == pdf.data
    assert pdf.data == db.session.scalar(select(PeriodicReportFile.content).where(
        PeriodicReportFile.report_id == report.id, PeriodicReportFile.format == "pdf"))


def test_a_districts_six_month_report_carries_the_districts_own_header_number_and_signer(world, web, tmp_path):
    web.login("tochuc@test.vn")
    hs = _org("HT-HS")
    form = web.client.get("/reports/HT-2019/periodic/new?kind=six_month&year=2019&org=HT-HS").get_data(as_text=True)
    assert "Lê Văn C" in form and "TM. ỦY BAN NHÂN DÂN" in form and 'value="14/06/2019"' in form
    response = web.post("/reports/HT-2019/periodic/new", {
        "kind": "six_month", "label": "Báo cáo 6 tháng đầu năm 2019", "organisation_id": str(hs.id),
        "period_start": "15/12/2018", "period_end": "14/06/2019", "number": "12/BC-UBND", "place": "Hương Sơn",
        "issued_on": "20/06/2019", "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
        "signer_name": "Lê Văn C", "recipients": "Sở Lao động - Thương binh và Xã hội;\nLưu: VT."},
        token_page="/reports/HT-2019/periodic/new")
    assert response.status_code == 303, response.get_data(as_text=True)
    report = db.session.scalar(select(PeriodicReport))
    draft_lines = _docx_lines(web.client.get(f"/reports/HT-2019/periodic/{report.id}.docx").data)
    assert "DỰ THẢO" in draft_lines  # a draft's file says so
    official_reports.issue_report(None, report)
    db.session.commit()
    lines = _docx_lines(web.client.get(f"/reports/HT-2019/periodic/{report.id}.docx").data)
    _in_order(lines, ["ỦY BAN NHÂN DÂN", "HUYỆN HƯƠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/BC-UBND",
                      "Hương Sơn, ngày 20 tháng 6 năm 2019", "BÁO CÁO", "6 tháng đầu năm 2019", "Huyện Hương Sơn",
                      "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn C"])
    assert not any("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" in line for line in lines)  # not the department's header
    text = _pdf_text(web.client.get(f"/reports/HT-2019/periodic/{report.id}.pdf").data, tmp_path)
    assert "HUYỆN HƯƠNG SƠN" in text and "Lê Văn C" in text and "Số: 12/BC-UBND" in text


def test_the_xlsx_keeps_numbers_as_numbers_and_prints_on_a4_landscape(demo_world):
    report = periodic_reports.generate_report(None, demo_plan(), _annual_2019())
    official_reports.issue_report(None, report)
    from bdgtrain.services.reporting.report_document import report_file

    sheet = load_workbook(io.BytesIO(report_file(report, "xlsx"))).active
    total = next(r for r in sheet.iter_rows() if r[0].value and str(r[0].value).strip() == "Toàn tỉnh")
    assert all(isinstance(cell.value, int) for cell in total[1:4])
    share = total[4]
    assert isinstance(share.value, (int, float)) and "%" in share.number_format  # 0 of 12 trained: a number, 0%
    assert sheet.freeze_panes and sheet.print_title_rows
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert any(str(r) for r in sheet.merged_cells.ranges)
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]  # recipients too: nothing a sheet computes


# --- who may, and the pages ---------------------------------------------------------------------------------

def test_only_the_plans_organiser_writes_and_issues_monitors_read(world, web):
    report = periodic_reports.generate_report(None, demo_plan(), _annual_2019())
    db.session.commit()
    for email, read, write in (("giamsat@test.vn", 200, 403), ("nguon@test.vn", 403, 403)):
        client = web.client.__class__(web.client.application)
        from tests.conftest import Browserless

        other = Browserless(client)
        other.login(email)
        assert client.get(f"/reports/HT-2019/periodic/{report.id}.docx").status_code == read
        assert client.get(f"/reports/HT-2019/periodic/{report.id}/issue").status_code == write
        assert other.post(f"/reports/HT-2019/periodic/{report.id}/issue", {}).status_code == write
    db.session.expire_all()
    assert report.status == "draft"


def test_issuing_and_deleting_ask_first_and_an_issued_report_cannot_be_deleted(world, web):
    web.login("tochuc@test.vn")
    report = periodic_reports.generate_report(None, demo_plan(), _annual_2019(signer_name=""))
    db.session.commit()
    page = web.client.get(f"/reports/HT-2019/periodic/{report.id}/issue").get_data(as_text=True)
    assert "không sửa được" in page
    refused = web.post(f"/reports/HT-2019/periodic/{report.id}/issue", {},
                       token_page=f"/reports/HT-2019/periodic/{report.id}/issue")
    assert refused.status_code == 422 and "Hãy nhập họ tên người ký." in refused.get_data(as_text=True)
    data = official_reports.input_of(report)
    data.signer_name = "Nguyễn Văn A"
    official_reports.update_report(None, report, data)
    official_reports.issue_report(None, report)
    db.session.commit()
    gone = web.post(f"/reports/HT-2019/periodic/{report.id}/delete", {},
                    token_page=f"/reports/HT-2019/periodic/{report.id}/delete")
    assert gone.status_code == 422 and db.session.get(PeriodicReport, report.id) is not None
    edit = web.client.get(f"/reports/HT-2019/periodic/{report.id}/edit")
    assert edit.status_code == 303  # back to the report: an issued report is not edited
    draft_id = periodic_reports.generate_report(None, demo_plan(), _annual_2019(number="40/BC")).id
    db.session.commit()
    deleted = web.post(f"/reports/HT-2019/periodic/{draft_id}/delete", {},
                       token_page=f"/reports/HT-2019/periodic/{draft_id}/delete")
    db.session.expire_all()
    assert deleted.status_code == 303 and db.session.get(PeriodicReport, draft_id) is None


def test_document_defaults_are_kept_per_unit_by_organisers_of_its_province(world, web):
    other_province = make.org("QB", "UBND tỉnh Quảng Bình", kind="province")
    make.user("khac@test.vn", "organiser", other_province)
    db.session.commit()
    web.login("tochuc@test.vn")
    page = web.client.get("/organisations/HT-CX/documents")
    assert page.status_code == 200 and "TM. ỦY BAN NHÂN DÂN" in page.get_data(as_text=True)
    half = web.post("/organisations/HT-CX/documents", {"signer_title": "CHỦ TỊCH", "signer_name": ""},
                    token_page="/organisations/HT-CX/documents")
    assert half.status_code == 422 and "cả chức vụ và họ tên" in half.get_data(as_text=True)
    saved = web.post("/organisations/HT-CX/documents", {
        "header_name": "HUYỆN CẨM XUYÊN", "parent_header": "ỦY BAN NHÂN DÂN", "place": "Cẩm Xuyên",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH", "signer_name": "Hồ Thị D",
        "recipients": "- Sở Nội vụ;\n\n- Lưu: VT."}, token_page="/organisations/HT-CX/documents")
    assert saved.status_code == 303
    kept = db.session.scalar(select(DocumentSettings).where(DocumentSettings.organisation_id == _org("HT-CX").id))
    assert kept.signer_name == "Hồ Thị D" and kept.recipients == "Sở Nội vụ;\nLưu: VT."
    stranger = web.client.__class__(web.client.application)
    from tests.conftest import Browserless

    Browserless(stranger).login("khac@test.vn")
    assert stranger.get("/organisations/HT-CX/documents").status_code == 403


# --- the command line -----------------------------------------------------------------------------------

def test_the_command_line_issues_then_writes_what_was_sent(world, runner, tmp_path):
    refused = runner.invoke(args=["report", "issue", "--plan", "HT-2019", "--kind", "annual", "--year", "2019",
                                  "--out", str(tmp_path / "bc.docx")])
    assert refused.exit_code == 1 and "--number" in refused.output
    assert db.session.scalar(select(func.count()).select_from(PeriodicReport)) == 0
    bad = runner.invoke(args=["report", "issue", "--plan", "HT-2019", "--kind", "annual", "--year", "2019",
                              "--number", "5/BC", "--out", str(tmp_path / "bc.txt")])
    assert bad.exit_code == 1 and ".docx, .pdf hoặc .xlsx" in bad.output
    first = runner.invoke(args=["report", "issue", "--plan", "HT-2019", "--kind", "annual", "--year", "2019",
                                "--number", "50/BC-SLĐTBXH", "--out", str(tmp_path / "bc.docx")])
    assert first.exit_code == 0, first.output
    assert "lập từ mặc định" in first.output and "Đã ban hành báo cáo số 50/BC-SLĐTBXH" in first.output
    lines = _docx_lines((tmp_path / "bc.docx").read_bytes())
    _in_order(lines, ["SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Số: 50/BC-SLĐTBXH", "BÁO CÁO", "Nguyễn Văn A"])
    second = runner.invoke(args=["report", "issue", "--plan", "HT-2019", "--kind", "annual", "--year", "2019",
                                 "--out", str(tmp_path / "bc.pdf")])
    assert second.exit_code == 0 and "như đã gửi" in second.output
    stored = db.session.scalar(select(PeriodicReportFile.content).where(PeriodicReportFile.format == "pdf"))
    assert (tmp_path / "bc.pdf").read_bytes() == stored
    # A district's draft without a signer: the command takes the district's defaults and says so.
    periodic_reports.generate_report(None, demo_plan(), _annual_2019(
        organisation_id=_org("HT-HS").id, number="9/BC-UBND", place="Hương Sơn", signer_title="", signer_name="",
        signer_authority="", recipients=""))
    db.session.commit()
    district = runner.invoke(args=["report", "issue", "--plan", "HT-2019", "--kind", "annual", "--year", "2019",
                                   "--org", "HT-HS", "--out", str(tmp_path / "hs.xlsx")])
    assert district.exit_code == 0, district.output
    assert "dự thảo" in district.output and "Lấy người ký, nơi nhận từ mặc định của Huyện Hương Sơn" in district.output

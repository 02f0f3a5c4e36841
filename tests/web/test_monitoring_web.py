"""The monitor's pages over HTTP: she reads everything and changes nothing; a supplier reads her own
agency's rows; exports defuse formulas; certificates are issued, printed, verified, revoked."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Certificate, Organisation, TrainingClass
from bdgtrain.security import ticket_token
from bdgtrain.services.certificates import certificates
from bdgtrain.services.core import qr
from bdgtrain.services.privacy import access_log
from tests import factories as make
from tests import monitoring_world
from tests.conftest import Browserless


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def world(app):
    plan, people = monitoring_world.build()
    monitoring_world.save_signer(plan)
    # A hostile name: it must reach pages escaped and spreadsheets as text.
    people["Phạm Thị Cúc"].person.unit_name = '=HYPERLINK("http://x")<script>alert(1)</script>'
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    make.user("phunu@test.vn", "supplier", _org("HLHPN"))
    make.user("khac@test.vn", "monitor", make.org("SYT", "Sở Y tế"))
    db.session.commit()
    return plan, people


# The issue form as the organiser sends it (LOP-4's last held day; the saved place and signer).
ISSUE_FORM = {"issued_on": "19/07/2019", "place": "Hà Tĩnh", "signer_authority": "KT. Giám đốc",
              "signer_title": "Phó Giám đốc", "signer_name": "Nguyễn Văn Bình"}


def _as(app, email):
    client = app.test_client()
    web = Browserless(client)
    assert web.login(email).status_code == 302
    return client, web


def test_monitor_answers_the_questions_from_one_page(app, world):
    client, _ = _as(app, "giamsat@test.vn")
    page = client.get("/monitor/HT-2019")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Theo kế hoạch: 4 lớp; đã tổ chức: 2; đã hủy: 1." in html      # were the classes held
    assert "1 lớp đã qua ngày học nhưng chưa có điểm danh nào." in html
    assert "Phạm Thị Cúc" in html and "Lê Văn Minh" in html                 # who did not come, who did not fit
    assert "Lớp dành cho nữ, người này là nam." in html                      # why
    assert "Sở Nội vụ" in html and "Cẩm Xuyên" in html                       # per agency and district
    assert "Tỷ lệ nữ trong diện quy hoạch đã được tập huấn" in html          # trained share section
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'id="trained-share"' in html and 'id="compliance"' in html and 'id="classes"' in html
    assert client.get("/monitor/").status_code == 200


def test_the_people_a_dashboard_names_find_it_in_who_saw_their_data(app, world):
    """The dashboard is about a whole plan, not a class: the no-show and the man outside the audience it
    names each find it in their access log; a woman who came and completed does not."""
    _plan, people = world
    client, _ = _as(app, "giamsat@test.vn")
    assert client.get("/monitor/HT-2019").status_code == 200
    seen = {name: [a.action for a in access_log.accesses_about(people[name].person)]
            for name in ("Phạm Thị Cúc", "Lê Văn Minh", "Nguyễn Thị Hoa")}
    assert seen == {"Phạm Thị Cúc": ["monitoring.dashboard.viewed"], "Lê Văn Minh": ["monitoring.dashboard.viewed"],
                    "Nguyễn Thị Hoa": []}


def test_monitor_cannot_change_anything(app, world):
    plan, people = world
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    certificate = certificates.issue_certificates(None, cls)[0]
    db.session.commit()
    client, web = _as(app, "giamsat@test.vn")
    base = "/plans/HT-2019/classes/LOP-3/certificates"
    for url, data in [(f"{base}/issue", {}), (f"{base}/{certificate.id}/revoke", {"reason": "thử"}),
                      (f"{base}/{certificate.id}/reissue", {"confirmed": "yes"})]:
        assert web.post(url, data).status_code == 403, url
    assert client.get(f"{base}/{certificate.id}/revoke").status_code == 403
    assert client.get(base).status_code == 200  # she may read the list
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 3
    assert db.session.scalar(select(Certificate.revoked_at).where(Certificate.id == certificate.id)) is None


def test_another_monitor_sees_nothing_of_the_plan(app, world):
    client, _ = _as(app, "khac@test.vn")
    assert client.get("/monitor/HT-2019").status_code == 403
    assert client.get("/plans/HT-2019/summary").status_code == 403
    assert "HT-2019" not in client.get("/monitor/").get_data(as_text=True)


def test_supplier_sees_only_her_agency_rows(app, world):
    client, _ = _as(app, "phunu@test.vn")
    html = client.get("/plans/HT-2019/compliance").get_data(as_text=True)
    assert "Phạm Thị Cúc" in html and "Hồ Thị Bình" in html  # nominated by HLHPN
    assert "Lê Văn Minh" not in html and "Sở Nội vụ" not in html  # SNV's nominee, SNV's row
    assert "Bạn chỉ thấy những người do cơ quan mình cử." in html and "Giấy chứng nhận" not in html
    book = load_workbook(io.BytesIO(client.get("/plans/HT-2019/compliance.xlsx").data))
    cells = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "Lê Văn Minh" not in cells and "Hồ Thị Bình" in cells
    assert client.get("/monitor/HT-2019").status_code == 403  # the dashboard is the monitor's


def test_compliance_export_defuses_formulas(app, world):
    client, _ = _as(app, "tochuc@test.vn")
    response = client.get("/plans/HT-2019/compliance.xlsx")
    assert response.status_code == 200 and "thanh-phan-HT-2019.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    names = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
             and "HYPERLINK" in c.value]
    assert names and all(name.startswith("'=") for name in names)
    assert {"Theo lớp", "Theo cơ quan cử", "Theo huyện, đơn vị"} <= set(book.sheetnames)


def test_plan_summary_has_the_official_header_and_exports(app, world):
    client, _ = _as(app, "giamsat@test.vn")
    html = client.get("/plans/HT-2019/summary?date=05/08/2019").get_data(as_text=True)
    # Issue 19: Decree 30/2020's header (a month from March on without a leading zero) and title lines.
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                 "Kết quả tổ chức các lớp tập huấn thuộc Kế hoạch", "Hà Tĩnh, ngày 05 tháng 8 năm 2019",
                 "UBND TỈNH HÀ TĨNH", "Đã cấp 0 giấy chứng nhận còn hiệu lực."):
        assert text in html, text
    bad = client.get("/plans/HT-2019/summary?date=31/02/2019").get_data(as_text=True)
    assert 'role="alert"' in bad
    book = load_workbook(io.BytesIO(client.get("/plans/HT-2019/summary.xlsx?place=Hà Tĩnh&date=05/08/2019").data))
    first = [c.value for row in book.worksheets[0].iter_rows(max_row=8) for c in row if c.value]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Hà Tĩnh, ngày 05 tháng 8 năm 2019" in first


def test_dashboard_summary_and_export_say_what_participants_thought(app, world, every_feedback_answer_shown):
    from datetime import timedelta

    from bdgtrain.services.feedback import feedback
    from tests.feedback_world import GOOD

    _plan, people = world
    hoa, lan = people["Nguyễn Thị Hoa"], people["Trần Thị Lan"]
    ended = max(s.ends_at for s in hoa.training_class.sessions if s.status != "cancelled")
    feedback.submit_feedback(hoa, GOOD, ended + timedelta(hours=1))
    feedback.submit_feedback(lan, dict(GOOD, q1="2"), ended + timedelta(hours=2))
    db.session.commit()
    client, _ = _as(app, "giamsat@test.vn")
    html = client.get("/monitor/HT-2019").get_data(as_text=True)
    section = html[html.index('id="evaluation"'):html.index('id="trained-share"')]
    assert "Tổng số phiếu đánh giá: 2." in section
    assert "2 / 5" in section            # LOP-3: two answers out of five active enrolments
    assert "3,50" in section and "4,00" in section  # mean usefulness (5 and 2), mean trainer score (4 and 4)
    assert "/plans/HT-2019/feedback" in section
    summary = client.get("/plans/HT-2019/summary").get_data(as_text=True)
    assert "4. Đánh giá của học viên" in summary and "5. Tỷ lệ nữ" in summary and "3,50" in summary
    book = load_workbook(io.BytesIO(client.get("/plans/HT-2019/summary.xlsx").data))
    # The evaluation row of LOP-3 wherever the writer puts its table: class, answers, enrolled, mean usefulness.
    rows = [[c.value for c in row if c.value is not None] for row in book.worksheets[0].iter_rows()]
    assert ["LOP-3", 2, 5, 3.5] in [row[:4] for row in rows]
    supplier, _ = _as(app, "phunu@test.vn")
    assert 'id="evaluation"' not in supplier.get("/plans/HT-2019/compliance").get_data(as_text=True)


def test_organiser_issues_prints_and_revokes_and_the_qr_page_follows(app, world):
    plan, people = world
    client, web = _as(app, "tochuc@test.vn")
    base = "/plans/HT-2019/classes/LOP-4/certificates"
    assert web.post(f"{base}/issue", ISSUE_FORM).status_code == 303
    assert "Đã cấp 2 giấy chứng nhận." in client.get(base).get_data(as_text=True)
    printed = client.get(f"{base}/print").get_data(as_text=True)
    assert printed.count('class="certificate"') == 2 and "Hồ Thị Bình" in printed and "22,5 giờ" in printed
    certificate = db.session.scalar(select(Certificate).join(Certificate.enrolment)
                                    .where(Certificate.enrolment_id == people["Hồ Thị Bình"].id))
    token = certificates.certificate_token(certificate)
    valid = client.get(f"/C/{token}")
    assert valid.status_code == 200 and "CÒN HIỆU LỰC" in valid.get_data(as_text=True)
    # The verification page shows the name and the class, nothing else about her.
    assert "Sở Y tế" not in valid.get_data(as_text=True)
    # The ticket page links to her own certificate.
    ticket = client.get(f"/T/{ticket_token(people['Hồ Thị Bình'].id)}").get_data(as_text=True)
    assert "/certificate" in ticket
    own = client.get(f"/T/{ticket_token(people['Hồ Thị Bình'].id)}/certificate").get_data(as_text=True)
    assert "Hồ Thị Bình" in own and certificate.number in own
    # Revoking: a reason is required (the form comes back 422), then the QR page reads "revoked".
    assert web.post(f"{base}/{certificate.id}/revoke", {"reason": ""}).status_code == 422
    assert web.post(f"{base}/{certificate.id}/revoke", {"reason": "Ghi sai đơn vị"}).status_code == 303
    revoked = app.test_client().get(f"/C/{token}")
    assert revoked.status_code == 200 and "ĐÃ THU HỒI" in revoked.get_data(as_text=True)
    tampered = app.test_client().get(f"/C/{token[:-2]}AA")
    assert tampered.status_code == 404 and "Không xác minh được" in tampered.get_data(as_text=True)
    # Re-issue: a new number, in force; the class page prints it.
    asked = web.post(f"{base}/{certificate.id}/reissue")
    assert asked.status_code == 200 and "Cấp lại giấy chứng nhận" in asked.get_data(as_text=True)
    assert web.post(f"{base}/{certificate.id}/reissue", {"confirmed": "yes"}).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.revoked_at.is_(None))) == 2


def test_the_printed_qr_decodes_to_the_verification_page(app, world, tmp_path):
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg is not installed (apt-get install zbar-tools)")
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-4"))
    certificate = certificates.issue_certificates(None, cls)[0]
    db.session.commit()
    client, _ = _as(app, "tochuc@test.vn")
    printed = client.get(f"/plans/HT-2019/classes/LOP-4/certificates/print?id={certificate.id}").get_data(as_text=True)
    url = certificates.verification_url(certificate, "http://localhost")  # the test client's address
    expected_svg = qr.qr_svg(url, title="Mã QR kiểm tra giấy chứng nhận", fluid=True)
    assert expected_svg in printed  # the page's QR is the code of this URL
    png = tmp_path / "certificate.png"
    png.write_bytes(qr.qr_png(url))
    decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True,
                             timeout=30).stdout.strip()
    assert decoded == url
    path = re.sub(r"^https?://[^/]+", "", decoded, flags=re.IGNORECASE)
    answer = app.test_client().get(path)
    assert answer.status_code == 200 and "CÒN HIỆU LỰC" in answer.get_data(as_text=True)


def test_dashboard_page_statements_do_not_grow_with_the_plan(app, world, count_queries):
    client, _ = _as(app, "giamsat@test.vn")
    client.get("/monitor/HT-2019")  # the process now holds the units (reporting._tree): both counts are warm
    with count_queries() as small:
        assert client.get("/monitor/HT-2019").status_code == 200
    plan, _people = world
    from bdgtrain.models import Enrolment, Person
    extra = make.training_class(plan, "LOP-5", date_expression="22-23/7/2019")
    for n in range(12):
        person = Person(full_name=f"Người {n}", name_folded=f"nguoi {n}", name_sort_key=f"nguoi {n}", sex="F",
                        unit_name="UBND xã Cẩm Bình")
        db.session.add(person)
        db.session.flush()
        db.session.add(Enrolment(class_id=extra.id, person_id=person.id, status="confirmed"))
    db.session.commit()
    with count_queries() as large:
        assert client.get("/monitor/HT-2019").status_code == 200
    # 18 on PostgreSQL, the feedback's 4 and the access log's two INSERTs (its entry, then the people it names,
    # however many) among them; SQLite adds 4 per trained-share report that fill the indexed TEMP table of
    # (unit, reported unit) pairs.
    reports = sum(1 for s in large.statements if s.startswith("DELETE FROM temp.closure"))
    assert large.count == small.count <= 21 + 4 * reports, (small.count, large.statements)


def test_issuing_at_the_same_moment_elsewhere_writes_nothing_and_says_so(app, world):
    plan, people = world
    # Another request has just taken the number this one would give (a double click, two organisers).
    db.session.add(Certificate(enrolment_id=people["Nguyễn Thị Hoa"].id, number="HT-2019/LOP-4/001"))
    db.session.commit()
    client, web = _as(app, "tochuc@test.vn")
    answer = web.post("/plans/HT-2019/classes/LOP-4/certificates/issue", ISSUE_FORM)
    assert answer.status_code == 303
    page = client.get("/plans/HT-2019/classes/LOP-4/certificates").get_data(as_text=True)
    assert "không có gì được ghi" in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1

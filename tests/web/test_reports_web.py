"""Report pages: the unit tree beside its targets, the drill-down to untrained women and nominating them,
targets on the plan page, and the periodic reports — including issue 6's "Done when" scenario."""
from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.localtime import local_today
from bdgtrain.models import (
    AuditEvent,
    ClassSession,
    Enrolment,
    Nomination,
    Organisation,
    PeriodicReport,
    Person,
    PoolEntry,
    Target,
    TrainingClass,
)
from bdgtrain.services.demo import demo
from bdgtrain.services.demo.lists import snv_list
from bdgtrain.services.demo.pool import sample_pool
from bdgtrain.services.pool.pool import leave_pool
from bdgtrain.services.privacy import access_log
from tests import factories as make

CHECKED_IN = ["Nguyễn Thị Hồng Hạnh", "Trần Thị Lan", "Lê Thị Mai", "Phạm Thị Thu Hà"]  # HS, DT, CL, HL


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.fixture
def demo_world(app, runner, tmp_path):
    """The demo with Lớp 3's list and the demo pool imported, and an organiser of the plan logged in."""
    demo.load_demo()
    make.user("tochuc@test.vn", "organiser", _org("SLDTBXH"))
    make.user("giamsat@test.vn", "monitor", _org("HLHPN"))
    db.session.commit()
    (tmp_path / "snv.xlsx").write_bytes(snv_list())
    (tmp_path / "pool.xlsx").write_bytes(sample_pool())
    assert runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV",
                               str(tmp_path / "snv.xlsx")]).exit_code == 0
    assert runner.invoke(args=["pool", "import", "--cycle", "2016-2021", str(tmp_path / "pool.xlsx")]).exit_code == 0
    # The same women stay in the pool of the cycle running today (an entry ends with its cycle): today's figures.
    assert runner.invoke(args=["pool", "import", "--cycle", _cycle_of_today(), str(tmp_path / "pool.xlsx")]
                         ).exit_code == 0
    return runner


def _cycle_of_today() -> str:
    """The five-year cycle running today: 2021-2026 until the end of 2026, then 2026-2031, and so on. A fixed
    2021-2026 would leave "today's" figures without a pool from 1 January 2027 (Hà Tĩnh's day)."""
    ends = 2021
    while ends < local_today().year:
        ends += 5
    return f"{ends - 5}-{ends}"


def _check_in(web, names):
    """The organiser marks each of them present at every session of Lớp 3, on the attendance page's form."""
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    sessions = db.session.scalars(select(ClassSession.id).where(ClassSession.class_id == lop3.id)).all()
    enrolments = dict(db.session.execute(select(Person.full_name, Enrolment.id).join(Person).where(
        Enrolment.class_id == lop3.id)).all())
    token = web.csrf("/plans/HT-2019/classes/LOP-3/attendance")
    for name in names:
        for session_id in sessions:
            response = web.post("/plans/HT-2019/classes/LOP-3/attendance/mark", {
                "csrf_token": token, "session_id": session_id, "enrolment_id": enrolments[name], "status": "present"})
            assert response.status_code == 303


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def _or_dash(value):
    """How the .xlsx keeps a figure: the number itself, or "—" when there is none (never 0)."""
    return "—" if value is None else value


def _pct(share):
    return "—" if share is None else f"{share * 100:.1f}%".replace(".", ",")


def test_done_when_dashboard_report_drilldown_and_xlsx_agree_with_the_cli(demo_world, web):
    runner = demo_world
    assert web.login("tochuc@test.vn").status_code == 302
    _check_in(web, CHECKED_IN)

    # The dashboard leads to the figures; a 2019 plan owes no report today (its deadlines stop with its period).
    dashboard = web.client.get("/").get_data(as_text=True)
    assert "Báo cáo đến hạn" not in dashboard
    assert "/reports/HT-2019" in dashboard
    # ...and each district's trained share today beside its target (75% until 2025, then 90%).
    hs_today = _row(dashboard, "HT-HS")
    assert "Huyện Hương Sơn" in hs_today and "1 2 50,0%" in hs_today
    assert ("75,0%" if local_today() <= date(2025, 12, 31) else "90,0%") in hs_today

    # The report page: each district's share beside 75% (by 2025), judged; 90% (2030) on the trend chart.
    page = web.client.get("/reports/HT-2019?as_of=25/05/2020").get_data(as_text=True)
    hs = _row(page, "HT-HS")
    assert "Huyện Hương Sơn" in hs and "50,0%" in hs and "75,0%" in hs and "Đúng tiến độ" in hs
    assert "100,0%" in _row(page, "HT-TXHL") and "Đạt" in _row(page, "HT-TXHL")
    assert "0,0%" in _row(page, "HT-NX") and "Chậm tiến độ" in _row(page, "HT-NX")
    assert "—" in _row(page, "HT-VQ") and "Chưa có số liệu" in _row(page, "HT-VQ")  # empty pool: no figure
    assert hs.endswith("0/0 (—)")  # the demo pool is all Kinh: no ethnic-minority women, no figure
    chart = web.client.get("/reports/HT-2019/trend.svg?as_of=25/05/2020")
    assert chart.mimetype == "image/svg+xml" and 'src="/reports/HT-2019/trend.svg?as_of=25/05/2020"' in page
    svg = chart.get_data(as_text=True)
    assert svg.startswith("<svg") and ">75%</text>" in svg and ">90%</text>" in svg
    assert ">2019</text>" in svg and ">2020</text>" in svg
    unit_chart = web.client.get("/reports/HT-2019/trend.svg?as_of=25/05/2020&unit=HT-HS").get_data(as_text=True)
    assert "Huyện Hương Sơn" in unit_chart and "2020: 50%" in unit_chart

    # The drill-down names the untrained women of Hương Sơn, not the trained one, not the man.
    unit = web.client.get("/reports/HT-2019/units/HT-HS?as_of=25/05/2020").get_data(as_text=True)
    assert "Nguyễn Thị Thu Trang" in unit
    assert "Nguyễn Thị Hồng Hạnh" not in unit and "Nguyễn Văn Hùng" not in unit
    # ...and "who saw her data" finds the page for each woman it named, not for the trained one.
    for name, named in (("Nguyễn Thị Thu Trang", True), ("Nguyễn Thị Hồng Hạnh", False)):
        person = db.session.scalar(select(Person).where(Person.full_name == name))
        assert ("pool.untrained.viewed" in [a.action for a in access_log.accesses_about(person)]) is named, name

    # The 6-month report of 2020, generated from the form, kept, and downloaded as .xlsx.
    response = web.post("/reports/HT-2019/periodic/new", {
        "kind": "six_month", "label": "Báo cáo 6 tháng", "organisation_id": "", "period_start": "01/01/2020",
        "period_end": "25/05/2020", "number": "25/BC-SLĐTBXH", "place": "Hà Tĩnh", "issued_on": "25/05/2020"},
        token_page="/reports/HT-2019/periodic/new")
    assert response.status_code == 303, response.get_data(as_text=True)
    kept = db.session.scalar(select(PeriodicReport))
    printable = web.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in printable and "Độc lập - Tự do - Hạnh phúc" in printable
    assert "Số: 25/BC-SLĐTBXH" in printable
    assert "Hà Tĩnh, ngày 25 tháng 5 năm 2020" in printable  # Decree 30: a month from 3 on has no leading 0
    xlsx = web.client.get(f"/reports/HT-2019/periodic/{kept.id}.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = {str(r[0]).strip(): r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c for r in sheet.iter_rows(values_only=True) for c in r if c]

    cli = json.loads(runner.invoke(args=["report", "trained-share", "--as-of", "2020-05-25", "--json"]).output)
    cli_units = {u["name"]: u for u in cli["units"]}
    for code in ("HT-HS", "HT-DT", "HT-CL", "HT-TXHL", "HT-NX", "HT-VQ"):
        name = _org(code).name
        from_cli = cli_units[name]
        line = rows[name]  # unit, pool, women, trained, share, target: numbers as numbers
        assert (line[3], line[2], line[4], line[5]) == (
            from_cli["trained"], from_cli["women"], _or_dash(from_cli["trained_share"]), _or_dash(from_cli["target"]))
        on_page = _row(page, code)
        assert f"{from_cli['trained']} {from_cli['women']} {_pct(from_cli['trained_share'])}" in on_page
    total = rows["Toàn tỉnh"]
    assert (total[3], total[2], total[4]) == (cli["total"]["trained"], cli["total"]["women"],
                                             cli["total"]["trained_share"]) == (4, 12, pytest.approx(1 / 3, abs=1e-4))
    lop3_line = rows.get("LOP-3")
    assert lop3_line is None  # Lớp 3 was held in July 2019, outside the 2020 period

    # A figure sent stays traceable: after someone leaves the pool, the kept report is unchanged.
    entry = db.session.scalar(select(PoolEntry).join(Person).where(Person.full_name == "Nguyễn Thị Hồng Hạnh"))
    leave_pool(None, entry, date(2020, 1, 1), "appointed")
    db.session.commit()
    again = load_workbook(io.BytesIO(web.client.get(f"/reports/HT-2019/periodic/{kept.id}.xlsx").data)).active
    assert [r for r in again.iter_rows(values_only=True)] == [r for r in sheet.iter_rows(values_only=True)]
    fresh = _row(web.client.get("/reports/HT-2019?as_of=25/05/2020").get_data(as_text=True), "HT-HS")
    assert "0,0%" in fresh  # the live page moved; the kept report did not
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "plan.report.generated")) == 1


def test_annual_report_lists_the_classes_held_with_attendance(demo_world, web):
    web.login("tochuc@test.vn")
    _check_in(web, CHECKED_IN[:2])
    response = web.post("/reports/HT-2019/periodic/new", {
        "label": "Báo cáo năm", "organisation_id": str(_org("HT-HS").id), "period_start": "01/01/2019",
        "period_end": "18/12/2019", "number": "40/BC", "place": "Hà Tĩnh", "issued_on": "18/12/2019"},
        token_page="/reports/HT-2019/periodic/new")
    assert response.status_code == 303
    kept = db.session.scalar(select(PeriodicReport))
    lop3 = next(c for c in kept.figures["classes"] if c["code"] == "LOP-3")
    assert (lop3["enrolled"], lop3["attended"], lop3["completed"], lop3["women_share"]) == (12, 2, 2, 1.0)
    assert [r["code"] for r in kept.figures["rows"]] == ["HT-HS"] and kept.figures["rows"][0]["trained"] == 1
    page = web.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "LOP-3" in page and "Huyện Hương Sơn" in page


def test_bad_report_input_is_refused_with_a_message_and_nothing_is_kept(demo_world, web):
    web.login("tochuc@test.vn")
    response = web.post("/reports/HT-2019/periodic/new", {
        "label": "Báo cáo 6 tháng", "organisation_id": "", "period_start": "25/05/2020", "period_end": "01/01/2020",
        "number": "1/BC", "place": "Hà Tĩnh", "issued_on": "20/05/2020"}, token_page="/reports/HT-2019/periodic/new")
    assert response.status_code == 422
    assert "Ngày cuối kỳ phải sau ngày đầu kỳ." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PeriodicReport)) == 0


def test_bad_dates_on_the_report_page_get_a_vietnamese_message(demo_world, web):
    web.login("tochuc@test.vn")
    response = web.client.get("/reports/HT-2019?as_of=31/02/2020")
    assert response.status_code == 422 and "không phải ngày hợp lệ" in response.get_data(as_text=True)
    response = web.client.get("/reports/HT-2019?from=01/01/2020")
    assert response.status_code == 422 and "cả hai ngày" in response.get_data(as_text=True)


def test_as_of_before_any_data_shows_no_figures_not_zero(demo_world, web):
    web.login("tochuc@test.vn")
    page = web.client.get("/reports/HT-2019?as_of=01/01/2010").get_data(as_text=True)
    row = _row(page, "HT-HS")
    # The short name shown, then the full name (title= and screen readers), then the figures.
    assert row.startswith("H. Hương Sơn Huyện Hương Sơn (đến 30/06/2025) 0 0 — 75,0%") and "Chưa có số liệu" in row
    assert " 0,0%" not in row


def _upcoming_class(plan_code="HT-2019"):
    plan = demo.load_demo()
    day = local_today() + timedelta(days=30)
    return make.training_class(plan, code="LOP-5", date_expression=day.strftime("%d/%m/%Y"), eligible_sex="F")


def test_nominate_asks_for_confirmation_then_enrols_once(demo_world, web):
    cls = _upcoming_class()
    db.session.commit()
    web.login("tochuc@test.vn")
    person = db.session.scalar(select(Person).where(Person.full_name == "Nguyễn Thị Thu Trang"))
    url = f"/reports/HT-2019/units/HT-HS/nominate/{person.id}"
    page = web.client.get(url).get_data(as_text=True)
    assert "Xác nhận cử đi học" in page and "LOP-5" in page
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == cls.id)) == 0
    response = web.post(url, {"class_id": cls.id}, token_page=url)
    assert response.status_code == 303
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.class_id == cls.id))
    assert (enrolment.person_id, enrolment.status, enrolment.body_org_id) == (person.id, "nominated", _org("HT-HS").id)
    assert db.session.scalar(select(Nomination.organisation_id).where(Nomination.enrolment_id == enrolment.id)) \
        == _org("SLDTBXH").id
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Enrolment",
                                                             AuditEvent.object_id == enrolment.id)) \
        == "lists.enrolment.nominated_from_pool"
    again = web.post(url, {"class_id": cls.id}, token_page=url)
    assert again.status_code == 422 and "đã có trong danh sách lớp LOP-5" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == cls.id)) == 1


def test_nominating_a_man_to_a_class_for_women_is_refused(demo_world, web):
    cls = _upcoming_class()
    db.session.commit()
    web.login("tochuc@test.vn")
    man = db.session.scalar(select(Person).where(Person.full_name == "Nguyễn Văn Hùng"))
    url = f"/reports/HT-2019/units/HT-HS/nominate/{man.id}"
    response = web.post(url, {"class_id": cls.id}, token_page=url)
    assert response.status_code == 422 and "không dành cho người này" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == cls.id)) == 0


def test_monitor_reads_the_drilldown_without_nominate_links(demo_world, web):
    web.login("giamsat@test.vn")
    page = web.client.get("/reports/HT-2019/units/HT-HS?as_of=25/05/2020").get_data(as_text=True)
    assert "Nguyễn Thị Thu Trang" in page and "/nominate/" not in page


def test_targets_crud_on_the_plan_page(demo_world, web):
    web.login("tochuc@test.vn")
    plan_page = web.client.get("/plans/HT-2019").get_data(as_text=True)
    assert "Chỉ tiêu và báo cáo" in plan_page and "31/12/2025" in plan_page
    before = db.session.scalar(select(func.count()).select_from(Target))
    bad = web.post("/reports/HT-2019/targets/new", {"measure": "trained_share", "value_percent": "120",
                                                    "deadline": "31/12/2027"},
                   token_page="/reports/HT-2019/targets/new")
    assert bad.status_code == 422 and "Giá trị phải từ 1 đến 100." in bad.get_data(as_text=True)
    bad = web.post("/reports/HT-2019/targets/new", {"measure": "trained_share", "value_percent": "80",
                                                    "deadline": "31/12/2027", "starts_on": "01/01/2028"},
                   token_page="/reports/HT-2019/targets/new")
    assert bad.status_code == 422 and "phải trước thời hạn" in bad.get_data(as_text=True)
    bad = web.post("/reports/HT-2019/targets/new", {"measure": "trained_share", "value_percent": "80",
                                                    "deadline": "31/12/2027", "window_starts_on": "01/01/2030",
                                                    "window_ends_on": "31/12/2021"},
                   token_page="/reports/HT-2019/targets/new")
    assert bad.status_code == 422 and "kết thúc trước khi bắt đầu" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Target)) == before
    ok = web.post("/reports/HT-2019/targets/new", {"measure": "trained_share", "value_percent": "80",
                                                   "deadline": "31/12/2027", "scope_org_id": str(_org("HT-HS").id)},
                  token_page="/reports/HT-2019/targets/new")
    assert ok.status_code == 303
    target = db.session.scalar(select(Target).where(Target.value_percent == 80, Target.measure == "trained_share"))
    assert target.scope_org.code == "HT-HS" and target.window_starts_on is None
    # A new target's form offers the plan's period as its counting window; the plan page shows each window.
    form = web.client.get("/reports/HT-2019/targets/new").get_data(as_text=True)
    assert 'value="01/01/2019"' in form and 'value="31/12/2019"' in form  # the demo plan: the year 2019
    assert "01/01/2019–31/12/2030" in web.client.get("/plans/HT-2019").get_data(as_text=True)
    page = web.client.get("/reports/HT-2019?as_of=25/05/2020").get_data(as_text=True)
    assert "80,0%" in _row(page, "HT-HS") and "80,0%" not in _row(page, "HT-DT")  # the nearest scope wins
    edit_url = f"/reports/HT-2019/targets/{target.id}/edit"
    assert web.post(edit_url, {"measure": "trained_share", "value_percent": "85", "deadline": "31/12/2027",
                               "scope_org_id": str(_org("HT-HS").id)}, token_page=edit_url).status_code == 303
    db.session.refresh(target)
    assert target.value_percent == 85
    target_id = target.id
    delete_url = f"/reports/HT-2019/targets/{target_id}/delete"
    assert "Xóa chỉ tiêu" in web.client.get(delete_url).get_data(as_text=True)
    assert db.session.get(Target, target_id) is not None  # asking is not deleting
    assert web.post(delete_url, {}, token_page=delete_url).status_code == 303
    db.session.expire_all()
    assert db.session.get(Target, target_id) is None
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Target")))
    assert {"plan.target.created", "plan.target.updated", "plan.target.deleted"} <= actions


def _pool_of(unit, women: int):
    people = [Person(full_name=f"Nguyễn Thị {n:03d}", name_folded=f"nguyen thi {n:03d}",
                     name_sort_key=f"{n:03d}", sex="F") for n in range(women)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(PoolEntry(person_id=p.id, organisation_id=unit.id, cycle="2021-2026",
                                 cycle_starts_on=date(2021, 1, 1), cycle_ends_on=date(2026, 12, 31),
                                 added_on=date(2021, 1, 1)) for p in people)
    db.session.commit()


@pytest.mark.parametrize("endpoint", ["unit", "plan"])
def test_report_pages_issue_a_bounded_number_of_statements(app, web, count_queries, endpoint):
    province = make.org("TINH", "Tỉnh", kind="province")
    unit = make.org("HUYEN", "Huyện A", kind="district", parent=province)
    plan = make.plan(make.org("SO", "Sở", parent=province), code="KH-T")  # the province's (issue 20)
    make.user("tc@test.vn", "organiser", plan.organiser_org)
    db.session.commit()
    web.login("tc@test.vn")
    url = "/reports/KH-T/units/HUYEN?as_of=01/06/2022" if endpoint == "unit" else "/reports/KH-T?as_of=01/06/2022"
    web.client.get(url)  # the process now holds the units (reporting._tree): both counts below are warm
    counts = []
    for women in (5, 120):
        _pool_of(unit, women)
        with count_queries() as counter:
            response = web.client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts  # no statement per person
    # A unit's page adds its forecast: its subtree's report of each of the four last 31/12 and the year's
    # leavers (services/reporting/forecast.py), a fixed number (SQLite fills its closure table per report).
    assert counts[1] <= (52 if endpoint == "unit" else 40), counts
    if endpoint == "unit":
        assert "Nguyễn Thị 000" in response.get_data(as_text=True)
        assert "Trang 1/3" in response.get_data(as_text=True)  # 125 women, 50 a page


def test_headcounts_entered_per_unit_show_beside_the_targets(demo_world, web):
    web.login("tochuc@test.vn")
    url = "/reports/HT-2019/headcounts/HT-HS/2019"
    bad = web.post(url, {"staff_total": "40", "staff_women": "41"}, token_page=url)
    assert bad.status_code == 422 and "Số cán bộ nữ không thể lớn hơn tổng số." in bad.get_data(as_text=True)
    ok = web.post(url, {"staff_total": "40", "staff_women": "20", "staff_dtts": "2", "women_dtts": "1",
                        "staff_sent_to_training": "20", "women_sent_to_training": "11",
                        "key_leadership_has_woman": "1"}, token_page=url)
    assert ok.status_code == 303
    page = web.client.get("/reports/HT-2019/headcounts?year=2019").get_data(as_text=True)
    row = _row(page, "HT-HS")
    assert "55,0%" in row and "Đạt" in row and "100,0%" in row  # 11 women of 20 sent ≥ 50%; a woman leads
    assert "Chưa có số liệu" not in row
    again = web.client.get(url).get_data(as_text=True)
    assert 'value="11"' in again  # the form shows what was saved
    report = web.client.get("/reports/HT-2019?as_of=31/12/2019").get_data(as_text=True)
    assert "Học viên của kế hoạch" in report


def test_headcounts_upload_is_all_or_nothing(demo_world, web):
    from openpyxl import Workbook

    from bdgtrain.models import UnitHeadcount
    web.login("tochuc@test.vn")

    def upload(rows):
        wb = Workbook()
        wb.active.append(["Mã đơn vị", "Năm", "Tổng số", "Nữ", "Nữ được cử đào tạo", "Lãnh đạo chủ chốt có nữ",
                          "Tổng số được cử đào tạo"])
        for r in rows:
            wb.active.append(r)
        out = io.BytesIO()
        wb.save(out)
        out.seek(0)
        return web.post("/reports/HT-2019/headcounts/import", {"year": "2019", "file": (out, "so-lieu.xlsx")},
                        token_page="/reports/HT-2019/headcounts?year=2019", content_type="multipart/form-data")

    demo_rows = db.session.scalar(select(func.count()).select_from(UnitHeadcount))  # the demo's own
    bad = upload([["HT-HS", 2019, 40, 20, 10, "Có", 20], ["HT-DT", 2019, 10, 12, 0, "Không"]])
    assert bad.status_code == 422
    assert "Dòng 3" in bad.get_data(as_text=True) and "lớn hơn tổng số" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UnitHeadcount)) == demo_rows
    ok = upload([["HT-HS", 2019, 40, 20, 10, "Có", 20], ["HT-DT", 2019, 10, 5, 0, "Không"]])
    assert ok.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(UnitHeadcount)) == demo_rows + 2


def test_report_pages_speak_english_when_chosen(demo_world, web):
    web.login("tochuc@test.vn")
    _check_in(web, CHECKED_IN[:1])
    web.post("/locale", {"lang": "en", "next": "/"})
    page = web.client.get("/reports/HT-2019?as_of=25/05/2020").get_data(as_text=True)
    assert "Share of women in the planning pool trained" in page and "On track" in page and "Behind" in page
    unit = web.client.get("/reports/HT-2019/units/HT-DT?as_of=25/05/2020").get_data(as_text=True)
    assert "Women in the planning pool not yet trained" in unit
    periodic = web.client.get("/reports/HT-2019/periodic").get_data(as_text=True)
    assert "Periodic reports" in periodic and "Báo cáo định kỳ" not in periodic
    assert web.client.get("/reports/HT-2019/headcounts?year=2019").status_code == 200


@pytest.mark.parametrize("path", ["/reports/HT-2019", "/reports/HT-2019/units/HT-CX", "/monitor/HT-2019", "/"])
def test_report_pages_read_without_taking_the_sqlite_write_lock(demo_world, web, count_queries, backend, path):
    """A report counts the whole pool; on SQLite it must not hold check-ins back while it does (only an
    access-log row, when the page names people, takes the lock, for its one INSERT at the end)."""
    web.login("tochuc@test.vn")
    with count_queries() as page:
        assert web.client.get(path).status_code == 200
    begins = [s.split()[:2] for s in page.statements if s.upper().startswith("BEGIN")]
    if backend == "sqlite":
        assert begins and begins[0] == ["BEGIN"], page.statements[:3]  # deferred: reads beside writers
        # The report's (unit, reported unit) pairs go to this connection's TEMP table: no database lock.
        writes = [i for i, s in enumerate(page.statements) if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
                  and "temp.closure" not in s]
        if writes:
            assert page.statements[writes[0] - 1].upper().startswith("BEGIN IMMEDIATE")

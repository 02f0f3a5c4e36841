"""The seeds' other indicators (docs/MEASURES.md): counts entered per unit and year, refused when a part
exceeds its whole, rolled up over the year's tree beside their targets, imported all or nothing, loaded
by the demo, and kept in the periodic report."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, Organisation, Target, UnitHeadcount
from bdgtrain.rules.targets import TargetSpec
from bdgtrain.services.reporting import headcounts
from bdgtrain.services.reporting.headcounts import HeadcountInput
from tests import factories as make

# Every count entered: 40 staff, 20 women; 10 sent (6 women); committee 8 (2 women); 5 master's places
# (2 women); 12 master's degrees (7 women); 4 doctorates (1 woman); 5 specialised staff (4 trained).
FULL = HeadcountInput(40, 20, 4, 2, 6, True, staff_sent_to_training=10, committee_total=8, committee_women=2,
                      masters_places_total=5, masters_places_women=2, masters_total=12, masters_women=7,
                      doctorates_total=4, doctorates_women=1, specialised_total=5, specialised_trained=4)


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


@pytest.mark.parametrize("change, code, field", [
    # a part above its whole
    (dict(staff_women=41), "headcount.women_over_total", "staff_women"),
    (dict(staff_dtts=41), "headcount.dtts_over_total", "staff_dtts"),
    (dict(women_dtts=5), "headcount.women_dtts", "women_dtts"),
    (dict(women_sent_to_training=21, staff_sent_to_training=30), "headcount.sent_over_women",
     "women_sent_to_training"),
    (dict(staff_sent_to_training=41), "headcount.sent_over_total", "staff_sent_to_training"),
    (dict(staff_sent_to_training=5), "headcount.women_sent_over_sent", "women_sent_to_training"),
    (dict(committee_women=9), "headcount.part_over_whole", "committee_women"),
    (dict(masters_places_women=6), "headcount.part_over_whole", "masters_places_women"),
    (dict(masters_women=13), "headcount.part_over_whole", "masters_women"),
    (dict(doctorates_women=5), "headcount.part_over_whole", "doctorates_women"),
    (dict(specialised_trained=6), "headcount.part_over_whole", "specialised_trained"),
    # a part without its whole, a whole without its part
    (dict(staff_sent_to_training=None), "headcount.sent_total_missing", "staff_sent_to_training"),
    (dict(committee_total=None), "headcount.whole_missing", "committee_total"),
    (dict(masters_places_total=None), "headcount.whole_missing", "masters_places_total"),
    (dict(masters_women=None), "headcount.part_missing", "masters_women"),
    (dict(doctorates_women=None), "headcount.part_missing", "doctorates_women"),
    (dict(specialised_trained=None), "headcount.part_missing", "specialised_trained"),
    # below zero, missing the staff
    (dict(committee_women=-1), "headcount.negative", "committee_women"),
    (dict(staff_sent_to_training=-2), "headcount.negative", "staff_sent_to_training"),
    (dict(staff_total=None), "headcount.missing", "staff_total"),
])
def test_inconsistent_counts_are_refused_naming_the_field_and_nothing_is_written(app, change, code, field):
    unit = make.org("A", "Huyện A", kind="district")
    headcounts.save_headcount(None, unit, 2019, FULL)
    with pytest.raises(DomainError) as refused:
        headcounts.save_headcount(None, unit, 2019, replace(FULL, **change))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message.startswith(("Số", "Hãy", "Tổng", "Các"))  # Vietnamese, to the user
    with pytest.raises(DomainError):
        headcounts.save_headcount(None, unit, 2020, replace(FULL, **change))
    db.session.expire_all()
    kept = headcounts.get_headcount(unit, 2019)
    assert {name: getattr(kept, name) for name in headcounts.ENTERED_FIELDS} == {
        name: getattr(FULL, name) for name in headcounts.ENTERED_FIELDS}  # the year entered is unchanged
    assert headcounts.get_headcount(unit, 2020) is None  # nothing written for the new year


def test_the_entered_counts_are_saved_and_audited_and_empty_stays_not_entered(app):
    unit = make.org("A", "Huyện A", kind="district")
    headcounts.save_headcount(None, unit, 2019, HeadcountInput(40, 20))
    row = headcounts.get_headcount(unit, 2019)
    assert all(getattr(row, name) is None for name in headcounts.ENTERED_FIELDS)  # not entered, not 0
    headcounts.save_headcount(None, unit, 2019, FULL)
    db.session.refresh(row)
    assert (row.staff_sent_to_training, row.committee_women, row.specialised_trained) == (10, 2, 4)
    last = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "org.headcount.saved")
                              .order_by(AuditEvent.id.desc())).first()
    assert last.before["committee_total"] is None and last.after["committee_total"] == 8
    assert last.after["doctorates_women"] == 1


def test_the_database_refuses_a_part_above_its_whole_whoever_writes_it(app):
    unit = make.org("A", "Huyện A", kind="district")
    db.session.add(UnitHeadcount(organisation_id=unit.id, year=2019, staff_total=10, staff_women=5,
                                 committee_total=3, committee_women=4))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_headcount_table_rolls_the_indicators_up_beside_their_targets(app):
    province = make.org("T", "Tỉnh", kind="province")
    a = make.org("A", "Huyện A", kind="district", parent=province)
    b = make.org("B", "Huyện B", kind="district", parent=province)
    make.org("C", "Huyện C", kind="district", parent=province)
    headcounts.save_headcount(None, a, 2019, FULL)
    # B entered its staff and party committee only.
    headcounts.save_headcount(None, b, 2019, HeadcountInput(30, 10, committee_total=12, committee_women=4))
    end = date(2019, 12, 31)
    specs = [TargetSpec(1, "women_sent_share", 0.5, end, None, None),
             TargetSpec(2, "women_committee_share", 0.2, end, None, None),
             TargetSpec(3, "women_masters_places_share", 0.3, end, None, None),
             TargetSpec(4, "women_masters_share", 0.5, date(2020, 12, 31), date(2019, 1, 1), None),
             TargetSpec(5, "women_doctorates_share", 0.25, date(2020, 12, 31), date(2019, 1, 1), None),
             TargetSpec(6, "specialised_trained_share", 0.8, date(2020, 12, 31), date(2019, 1, 1), None)]
    table = headcounts.headcount_table(2019, specs)
    rows = {r["code"]: r for r in table["rows"]}
    a_row, b_row, c_row, total = rows["A"], rows["B"], rows["C"], table["total"]
    assert (a_row["women_sent_share"], a_row["women_sent_share_status"]) == (0.6, "met")
    assert (a_row["women_committee_share"], a_row["women_committee_share_status"]) == (0.25, "met")
    assert (a_row["women_masters_places_share"], a_row["women_masters_places_share_status"]) == (0.4, "met")
    assert a_row["women_masters_share"] == pytest.approx(7 / 12) and a_row["women_masters_share_status"] == "met"
    assert (a_row["women_doctorates_share"], a_row["women_doctorates_share_status"]) == (0.25, "met")
    assert (a_row["specialised_trained_share"], a_row["specialised_trained_share_status"]) == (0.8, "met")
    # B: the committee it entered; everything else "no figure", never 0%.
    assert (b_row["committee_women"], b_row["committee_total"]) == (4, 12)
    assert b_row["women_committee_share_status"] == "met"
    for measure in ("women_sent_share", "women_masters_places_share", "women_masters_share",
                    "women_doctorates_share", "specialised_trained_share"):
        assert b_row[measure] is None and b_row[f"{measure}_status"] == "no_figure"
        assert c_row[measure] is None and c_row[f"{measure}_status"] == "no_figure"
    # The province: each pair over the units that entered it.
    assert (total["committee_women"], total["committee_total"]) == (6, 20)
    assert total["women_committee_share"] == 0.3
    assert (total["women_sent_of_sent"], total["staff_sent"], total["women_sent_share"]) == (6, 10, 0.6)
    assert rows["T"]["women_committee_share"] == 0.3 and total["women_committee_share_target"] == 0.2
    assert total["women_sent_share_target_deadline"] == "2019-12-31"
    assert total["dtts_women_share"] == pytest.approx(2 / 30)


def _book(header, rows):
    wb = Workbook()
    wb.active.append(["SỐ LIỆU CÁN BỘ NĂM 2019"])
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# The columns of `report headcounts-import` (docs/MEASURES.md), in their documented order.
HEADER = ["Mã đơn vị", "Năm", "Tổng số", "Nữ", "DTTS", "Nữ DTTS", "Tổng số được cử đào tạo",
          "Nữ được cử đào tạo", "Lãnh đạo chủ chốt có nữ", "Cấp ủy", "Nữ cấp ủy", "Cử học thạc sĩ",
          "Nữ cử học thạc sĩ", "Thạc sĩ", "Nữ thạc sĩ", "Tiến sĩ", "Nữ tiến sĩ", "Cán bộ chuyên trách",
          "Chuyên trách được bồi dưỡng"]


def test_import_reads_the_indicator_columns_and_keeps_empty_cells_not_entered(app):
    make.org("A", "Huyện A", kind="district")
    make.org("B", "Huyện B", kind="district")
    saved, problems = headcounts.import_headcounts(None, _book(HEADER, [
        ["A", 2019, 40, 20, 4, 2, 10, 6, "Có", 8, 2, 5, 2, 12, 7, 4, 1, 5, 4],
        ["B", 2019, 30, 10, 0, 0, None, 0, "", 12, 4]]))
    assert (saved, problems) == (2, [])
    a = headcounts.get_headcount(_org("A"), 2019)
    assert {name: getattr(a, name) for name in headcounts.ENTERED_FIELDS} == {
        name: getattr(FULL, name) for name in headcounts.ENTERED_FIELDS}
    b = headcounts.get_headcount(_org("B"), 2019)
    assert (b.committee_total, b.committee_women, b.masters_total, b.staff_sent_to_training) == (12, 4, None, None)


def test_import_accepts_the_sy_spelling_of_the_degree_columns(app):
    make.org("A", "Huyện A", kind="district")
    saved, problems = headcounts.import_headcounts(None, _book(
        ["Mã đơn vị", "Năm", "Tổng số", "Nữ", "Thạc sỹ", "Nữ thạc sỹ", "Tiến sỹ", "Nữ tiến sỹ"],
        [["A", 2019, 40, 20, 12, 7, 4, 1]]))
    assert (saved, problems) == (1, [])
    row = headcounts.get_headcount(_org("A"), 2019)
    assert (row.masters_total, row.masters_women, row.doctorates_total, row.doctorates_women) == (12, 7, 4, 1)


def test_import_with_a_part_above_its_whole_writes_nothing_and_names_each_row(app):
    make.org("A", "Huyện A", kind="district")
    make.org("B", "Huyện B", kind="district")
    saved, problems = headcounts.import_headcounts(None, _book(HEADER, [
        ["A", 2019, 40, 20, 4, 2, 10, 6, "Có", 8, 9],                                    # committee
        ["B", 2019, 30, 10, 0, 0, 5, 6],                                                 # women sent
        ["A", 2020, 40, 20, 0, 0, None, 3],                                              # sent, no total
        ["B", 2020, 30, 10, 0, 0, None, 0, "", None, None, None, None, None, None, None, None, 3, 5]]))
    assert saved == 0 and [p.row for p in problems] == [3, 4, 5, 6]
    messages = [str(p.message) for p in problems]
    assert "cấp ủy" in messages[0] and "được cử đi đào tạo" in messages[1]
    assert "Hãy nhập tổng số người được cử đi đào tạo" in messages[2] and "chuyên trách" in messages[3]
    assert db.session.scalar(select(func.count()).select_from(UnitHeadcount)) == 0


def test_headcounts_import_command_reads_the_indicator_columns(app, runner, tmp_path):
    make.org("A", "Huyện A", kind="district")
    db.session.commit()
    (tmp_path / "hc.xlsx").write_bytes(_book(HEADER, [["A", 2019, 40, 20, 4, 2, 10, 6, "Có", 8, 2, 5, 2, 12, 7,
                                                       4, 1, 5, 4]]))
    result = runner.invoke(args=["report", "headcounts-import", "--json", str(tmp_path / "hc.xlsx")])
    assert result.exit_code == 0 and json.loads(result.output)["saved"] == 1
    row = db.session.scalar(select(UnitHeadcount))
    assert (row.staff_sent_to_training, row.masters_places_women, row.specialised_total) == (10, 2, 5)
    (tmp_path / "bad.xlsx").write_bytes(_book(HEADER, [["A", 2020, 40, 20, 0, 0, 10, 6, "", 8, 9]]))
    bad = runner.invoke(args=["report", "headcounts-import", "--json", str(tmp_path / "bad.xlsx")])
    assert bad.exit_code == 1
    assert json.loads(bad.output)["rejected"][0]["message"] == \
        "Số nữ trong cấp ủy không thể lớn hơn tổng số cấp ủy viên."
    assert db.session.scalar(select(func.count()).select_from(UnitHeadcount)) == 1


def test_demo_loads_the_seeds_targets_and_headcounts_that_show_figures(app):
    from bdgtrain.services.demo import demo
    from bdgtrain.services.reporting.targets import target_specs
    plan = demo.load_demo()
    sources = {t.measure: t.source for t in db.session.scalars(select(Target).where(Target.plan_id == plan.id))}
    assert set(sources) == {"trained_share", "women_pool_share", "women_leader_units", "women_sent_share",
                            "women_committee_share", "women_masters_places_share", "women_masters_share",
                            "women_doctorates_share", "specialised_trained_share"}
    assert sources["women_sent_share"].startswith("Seed 001") and "chỉ tiêu 2" in sources["women_sent_share"]
    assert sources["women_committee_share"].startswith("Seed 001")
    assert sources["women_doctorates_share"].startswith("Seed 002")
    total = headcounts.headcount_table(2019, target_specs(plan))["total"]
    assert total["units_reporting"] == 4
    assert (total["women_sent_of_sent"], total["staff_sent"]) == (71, 123)
    assert total["women_sent_share_status"] == "met" and total["women_committee_share_status"] == "met"
    assert total["women_masters_share_status"] == "on_track"  # 30/62 at the end of 2019, 50% due by 2020
    assert total["specialised_trained_share"] == 0.7
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    demo.load_demo()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before  # idempotent


def test_periodic_report_keeps_the_indicators_of_its_unit_and_year(app):
    from bdgtrain.services.demo import demo
    from bdgtrain.services.reporting.periodic_reports import ReportInput, generate_report
    plan = demo.load_demo()
    province = generate_report(None, plan, ReportInput("Báo cáo năm", date(2019, 1, 1), date(2019, 12, 18),
                                                       "40/BC", "Hà Tĩnh", date(2019, 12, 18)))
    indicators = {i["measure"]: i for i in province.figures["indicators"]["rows"]}
    assert province.figures["indicators"]["year"] == 2019
    assert list(indicators) == ["women_pool_share", "dtts_women", "women_leader_units", "women_sent_share",
                                "women_committee_share", "women_masters_places_share", "women_masters_share",
                                "women_doctorates_share", "specialised_trained_share", "dtts_women_staff"]
    sent = indicators["women_sent_share"]
    assert (sent["part"], sent["whole"], sent["value"], sent["target"], sent["status"]) == (
        71, 123, round(71 / 123, 4), 0.5, "met")
    assert sent["deadline"] == "2019-12-31" and sent["seed"] == "Seed 001, mục II.2.a, chỉ tiêu 2"
    assert indicators["dtts_women_staff"]["part"] == 9 and indicators["dtts_women_staff"]["whole"] == 170
    assert indicators["women_pool_share"]["whole"] == 0 and indicators["women_pool_share"]["value"] is None
    # A unit that entered nothing: every indicator is there, without a figure (never 0%).
    unit = generate_report(None, plan, ReportInput("Báo cáo năm", date(2019, 1, 1), date(2019, 12, 18), "41/BC",
                                                   "Hà Tĩnh", date(2019, 12, 18), organisation_id=_org("HT-VQ").id))
    assert unit.figures["indicators"]["units_reporting"] == 0
    assert all(i["value"] is None for i in unit.figures["indicators"]["rows"])
    one = generate_report(None, plan, ReportInput("Báo cáo năm", date(2019, 1, 1), date(2019, 12, 18), "42/BC",
                                                  "Hà Tĩnh", date(2019, 12, 18), organisation_id=_org("HT-CL").id))
    committee = next(i for i in one.figures["indicators"]["rows"] if i["measure"] == "women_committee_share")
    assert (committee["part"], committee["whole"], committee["status"]) == (2, 15, "behind")


def test_migration_renames_the_old_measure_and_leaves_old_headcounts_not_entered(database_url, tmp_path):
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from tests.services.test_migrations import _fresh_app
    app, pg = _fresh_app(database_url, tmp_path)
    try:
        with app.app_context():
            script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
            upgrade(revision=script.get_revision("0020_seed_indicators").down_revision)
            now = "2019-01-01 00:00:00"
            with db.engine.begin() as connection:
                connection.execute(text("INSERT INTO organisations (id, code, name, kind, created_at, updated_at) "
                                        "VALUES (1, 'A', 'Huyện A', 'district', :now, :now)"), {"now": now})
                connection.execute(text(
                    "INSERT INTO plans (id, code, number, title, organiser_org_id, search_text, created_at, "
                    "updated_at) VALUES (1, 'KH', '1/KH', 'Kế hoạch', 1, 'ke hoach', :now, :now)"), {"now": now})
                connection.execute(text(
                    "INSERT INTO targets (plan_id, measure, value_percent, deadline, created_at, updated_at) "
                    "VALUES (1, 'women_staff_trained', 50, '2019-12-31', :now, :now)"), {"now": now})
                connection.execute(text(
                    "INSERT INTO unit_headcounts (organisation_id, year, staff_total, staff_women, staff_dtts, "
                    "women_dtts, women_sent_to_training, created_at, updated_at) "
                    "VALUES (1, 2019, 40, 20, 0, 0, 12, :now, :now)"), {"now": now})
            upgrade()
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT measure FROM targets")).scalar() == "women_sent_share"
                assert connection.execute(text("SELECT staff_sent_to_training, committee_total "
                                               "FROM unit_headcounts")).one() == (None, None)
            db.engine.dispose()
    finally:
        if pg:
            pg.drop()


def test_a_communes_headcount_rolls_up_to_the_district_it_belonged_to_that_year(app):
    """The headcount tree is the dated one of 31/12: a commune moved on 1/1/2020 counts in its old district
    for 2019 and in its new one for 2020, under the name of each year."""
    from bdgtrain.services.planning import orgs

    province = make.org("PX", "Tỉnh", kind="province")
    old, new = (make.org(code, name, kind="district", parent=province)
                for code, name in (("DX1", "Huyện Cũ"), ("DX2", "Huyện Mới")))
    commune = make.org("CX", "Xã Trước", kind="commune", parent=old)
    orgs.move_org(None, commune, date(2020, 1, 1), new.id)
    orgs.rename_org(None, commune, date(2020, 1, 1), "Xã Sau")
    for year in (2019, 2020):
        headcounts.save_headcount(None, commune, year, HeadcountInput(staff_total=10, staff_women=4))
    db.session.commit()
    for year, counted, other, name in ((2019, "DX1", "DX2", "Xã Trước"), (2020, "DX2", "DX1", "Xã Sau")):
        rows = {r["code"]: r for r in headcounts.headcount_table(year, [])["rows"]}
        assert rows[counted]["staff_women"] == 4 and rows[other]["staff_women"] == 0, year
        assert rows["CX"]["name"] == name

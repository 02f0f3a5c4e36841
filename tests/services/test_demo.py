"""The Hà Tĩnh demo loads as DOMAIN.md gives it, and loading it again changes nothing."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.localtime import to_local
from bdgtrain.models import AuditEvent, ClassSession, Organisation, Plan, PoolEntry, TrainingClass
from bdgtrain.services.demo import demo
from bdgtrain.services.demo.pool import carry_to_the_cycle_of, sample_pool
from bdgtrain.services.reporting.periodic_reports import ReportInput, generate_report
from bdgtrain.services.reporting.reporting import compute_trained_share


def _counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Organisation, Plan, TrainingClass, ClassSession, AuditEvent)}


def test_demo_loads_the_four_classes_with_their_dates(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    plan = db.session.scalar(select(Plan).where(Plan.code == "HT-2019"))
    assert plan.organiser_org.code == "SLDTBXH" and plan.issuing_org.code == "UBND"
    got = {c.code: (c.date_expression, len(c.sessions), c.venue.name, [t.display_name for t in c.trainers])
           for c in plan.classes}
    trainer = ["Tiến sĩ Đặng Ngọc Toàn"]
    assert got == {
        "LOP-1": ("10/7/2019", 2, "Thành phố Hà Tĩnh", trainer),
        "LOP-2": ("11-12/7/2019", 4, "Thành phố Hà Tĩnh", trainer),
        "LOP-3": ("15-16/7/2019", 4, "Thành phố Hà Tĩnh", trainer),
        "LOP-4": ("17-19/7/2019", 6, "Thành phố Hà Tĩnh", trainer),
    }
    lop3 = next(c for c in plan.classes if c.code == "LOP-3")
    assert sorted(o.code for o in lop3.supplier_orgs) == ["HLHPN", "SNV"]
    assert to_local(lop3.sessions[0].starts_at).strftime("%d/%m/%Y %H:%M") == "15/07/2019 07:30"
    districts = db.session.scalars(select(Organisation).where(Organisation.kind == "district")).all()
    assert len(districts) == 13
    assert all(d.parent.code == "UBND" and d.valid_to.isoformat() == "2025-06-30" for d in districts)
    assert {o.code for o in db.session.scalars(select(Organisation))} >= {"UBND", "SLDTBXH", "SNV", "HLHPN"}


def test_loading_the_demo_twice_changes_nothing(runner):
    assert runner.invoke(args=["demo", "load", "--with-users"]).exit_code == 0
    first = _counts()
    result = runner.invoke(args=["demo", "load", "--with-users"])
    assert result.exit_code == 0, result.output
    assert _counts() == first


def test_users_create_command_makes_an_account_that_can_log_in(runner, web):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    result = runner.invoke(args=["users", "create", "--email", "Lan@SNV.gov.vn", "--password",
                                 "mot-mat-khau-dai", "--role", "supplier", "--org", "SNV"])
    assert result.exit_code == 0, result.output
    response = web.login("lan@snv.gov.vn", "mot-mat-khau-dai")
    assert response.status_code == 302


def test_users_create_refuses_unknown_org_and_missing_org(runner):
    result = runner.invoke(args=["users", "create", "--email", "a@b.vn", "--password", "mot-mat-khau-dai",
                                 "--role", "organiser", "--org", "KHONG-CO"])
    assert result.exit_code != 0 and "KHONG-CO" in result.output
    result = runner.invoke(args=["users", "create", "--email", "a@b.vn", "--password", "mot-mat-khau-dai",
                                 "--role", "organiser"])
    assert result.exit_code != 0 and "đơn vị" in result.output


def test_sample_lists_of_lop3_import_into_one_roster_with_the_overlap_merged(app, runner, tmp_path):
    import json

    from bdgtrain.services.demo.demo import load_demo

    load_demo()
    db.session.commit()
    assert runner.invoke(args=["demo", "lists", str(tmp_path)]).exit_code == 0
    snv = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", "--json",
                              str(tmp_path / "LOP-3-SNV.xlsx")])
    hlhpn = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "HLHPN", "--json",
                                str(tmp_path / "LOP-3-HLHPN.xlsx")])
    first, second = json.loads(snv.output), json.loads(hlhpn.output)
    assert (first["rows"], first["added"], first["rejected"]) == (12, 12, [])
    assert (second["rows"], second["merged"], second["added"]) == (8, 4, 3)
    assert [f["name"] for f in second["flagged"]] == ["Lê Thị Mai"]
    from sqlalchemy import func, select

    from bdgtrain.models import Enrolment, TrainingClass
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == lop3.id)) == 16


def test_demo_records_the_2025_reorganisation_and_2019_keeps_its_units_names_and_header(app):
    plan = demo.load_demo()
    db.session.commit()

    def org(code):
        return db.session.scalar(select(Organisation).where(Organisation.code == code))

    department, home_affairs = org("SLDTBXH"), org("SNV")
    assert department.valid_to == date(2025, 2, 28)
    assert [s.successor.code for s in department.successor_links] == ["SNV"]
    hs = org("HT-HS")
    assert hs.valid_to == date(2025, 6, 30)
    assert sorted(s.successor.name for s in hs.successor_links) == ["Xã Hương Sơn", "Xã Sơn Tây"]
    assert all(s.successor.valid_from == date(2025, 7, 1) and s.successor.parent.code == "UBND"
               for s in hs.successor_links)

    # 2019: the 13 districts under the province, none of the new communes, 2019's header.
    report, info = compute_trained_share(date(2019, 12, 31))
    codes = {info[u].code for u in report.units}
    assert {code for code, _ in demo.DISTRICTS} <= codes and "HT-HS-X1" not in codes
    assert info[hs.id].name == "Huyện Hương Sơn"
    kept = generate_report(None, plan, ReportInput("Báo cáo năm", date(2018, 12, 15), date(2019, 12, 14),
                                                   "25/BC", "Hà Tĩnh", date(2019, 12, 15)))
    assert kept.figures["issuing_body"] == "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"  # its bracketed role left out
    assert kept.figures["issuer_name"] == "Sở Lao động - Thương binh và Xã hội"
    assert kept.figures["parent_body"] == "UBND TỈNH HÀ TĨNH" and kept.issuer_org == department
    assert "Huyện Hương Sơn" in [row["name"] for row in kept.figures["rows"]]
    # A report issued after the reorganisation is headed by Sở Nội vụ; today's tree has the new communes.
    later = generate_report(None, plan, ReportInput("Báo cáo 6 tháng", date(2025, 12, 15), date(2026, 6, 14),
                                                    "26/BC", "Hà Tĩnh", date(2026, 7, 1)))
    assert later.figures["issuing_body"] == "SỞ NỘI VỤ" and later.issuer_org == home_affairs
    # A district's own report carries the district's header (the demo's People's Committee), not the department's.
    district = generate_report(None, plan, ReportInput("Báo cáo năm", date(2018, 12, 15), date(2019, 12, 14),
                                                       "7/BC-UBND", "Hương Sơn", date(2019, 12, 16),
                                                       organisation_id=hs.id))
    assert (district.figures["parent_body"], district.figures["issuing_body"]) == ("ỦY BAN NHÂN DÂN",
                                                                                  "HUYỆN HƯƠNG SƠN")
    assert district.issuer_org == hs
    report, info = compute_trained_share(date(2026, 6, 30))
    assert "HT-HS-X1" in {info[u].code for u in report.units} and hs.id not in report.units
    folded, _info = compute_trained_share(date(2019, 12, 31), fold_successors=True)
    assert folded.folded[hs.id] == org("UBND").id  # split among two communes: their common ancestor


def test_the_demo_pool_is_carried_into_the_cycle_running_today_and_only_once(app, runner, tmp_path):
    """`make run` imports the sample pool into 2016-2021 and carries it on: into 2021-2026 during 2026, and
    also into 2026-2031 from 1 January 2027, or today's figures would have no pool."""
    demo.load_demo()
    db.session.commit()
    (tmp_path / "pool.xlsx").write_bytes(sample_pool())
    assert runner.invoke(args=["pool", "import", "--cycle", "2016-2021", str(tmp_path / "pool.xlsx")]).exit_code == 0
    imported = db.session.scalar(select(func.count()).select_from(PoolEntry))

    def open_in(cycle):
        return db.session.scalar(select(func.count()).select_from(PoolEntry).where(
            PoolEntry.cycle == cycle, PoolEntry.left_on.is_(None)))

    assert carry_to_the_cycle_of(date(2021, 12, 31)) == []  # 2016-2021 still runs
    assert carry_to_the_cycle_of(date(2026, 12, 31)) == [("2021-2026", imported)]
    assert carry_to_the_cycle_of(date(2027, 1, 1)) == [("2021-2026", 0), ("2026-2031", imported)]
    assert carry_to_the_cycle_of(date(2027, 1, 1)) == [("2021-2026", 0), ("2026-2031", 0)]
    assert (open_in("2021-2026"), open_in("2026-2031")) == (imported, imported)
    db.session.commit()
    result = runner.invoke(args=["demo", "carry-pool"])  # today's: nothing left to carry
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "0 người chuyển sang nhiệm kỳ 2021-2026." in lines and all(line.startswith("0 ") for line in lines)
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 3 * imported

"""Importing a planning pool (all or nothing, matched into the registry) and the trained-share report, via the CLI."""
from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance, ClassSession, Enrolment, Person, PoolEntry, PoolImport, TrainingClass
from bdgtrain.services.demo import demo
from bdgtrain.services.demo.lists import snv_list
from bdgtrain.services.demo.pool import sample_pool
from bdgtrain.services.pool.pool import leave_pool


def _files(tmp_path, pool: bytes | None = None):
    (tmp_path / "snv.xlsx").write_bytes(snv_list())
    (tmp_path / "pool.xlsx").write_bytes(pool or sample_pool())
    return tmp_path / "snv.xlsx", tmp_path / "pool.xlsx"


def _json(result):
    return json.loads(result.output.strip().splitlines()[-1])


def test_demo_pool_imports_matches_lop3_women_and_a_second_import_adds_nothing(app, runner, tmp_path):
    demo.load_demo()
    db.session.commit()
    snv, pool = _files(tmp_path)
    assert runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", str(snv)]).exit_code == 0
    result = runner.invoke(args=["pool", "import", "--cycle", "2016-2021", "--json", str(pool)])
    assert result.exit_code == 0, result.output
    report = _json(result)
    assert (report["rows"], report["added"], report["matched"], report["rejected"]) == (15, 7, 8, [])
    entry = db.session.scalar(select(PoolEntry).join(Person).where(Person.full_name == "Trần Thị Lan"))
    assert (entry.organisation.code, entry.cycle, entry.added_on) == ("HT-DT", "2016-2021", date(2018, 6, 1))
    assert entry.cycle_starts_on == date(2016, 1, 1) and entry.pool_import.filename == "pool.xlsx"
    again = _json(runner.invoke(args=["pool", "import", "--cycle", "2016-2021", "--json", str(pool)]))
    assert (again["added"], again["unchanged"]) == (0, 15)
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 15


def test_dry_run_writes_nothing(app, runner, tmp_path):
    demo.load_demo()
    db.session.commit()
    _snv, pool = _files(tmp_path)
    report = _json(runner.invoke(args=["pool", "import", "--cycle", "2016-2021", "--dry-run", "--json", str(pool)]))
    assert report["written"] is False and report["added"] == 15
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 0


def test_a_bad_row_refuses_the_whole_file_with_its_row_number(app, runner, tmp_path):
    demo.load_demo()
    db.session.commit()
    book = load_workbook(io.BytesIO(sample_pool()))
    book.active["J8"] = "31/02/2018"  # the third person's day of joining does not exist
    out = io.BytesIO()
    book.save(out)
    _snv, pool = _files(tmp_path, out.getvalue())
    result = runner.invoke(args=["pool", "import", "--cycle", "2016-2021", "--json", str(pool)])
    assert result.exit_code == 1
    report = _json(result)
    assert [p["row"] for p in report["rejected"]] == [8] and report["written"] is False
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(PoolImport)) == 0


def test_bad_cycle_is_refused(app, runner, tmp_path):
    _snv, pool = _files(tmp_path)
    result = runner.invoke(args=["pool", "import", "--cycle", "2025", str(pool)])
    assert result.exit_code != 0 and "2021-2026" in result.output


def test_report_after_check_in_shows_a_share_and_leaving_takes_her_out(app, runner, tmp_path):
    demo.load_demo()
    db.session.commit()
    snv, pool = _files(tmp_path)
    runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", str(snv)])
    runner.invoke(args=["pool", "import", "--cycle", "2016-2021", str(pool)])
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    sessions = db.session.scalars(select(ClassSession).where(ClassSession.class_id == lop3.id)).all()
    enrolments = db.session.scalars(select(Enrolment).join(Person).where(Enrolment.class_id == lop3.id)
                                    .order_by(Person.phone)).all()
    for enrolment in enrolments[:2]:  # the Hương Sơn and Đức Thọ women attend every session
        db.session.add_all(Attendance(session_id=s.id, enrolment_id=enrolment.id, status="present") for s in sessions)
    db.session.add(Attendance(session_id=sessions[0].id, enrolment_id=enrolments[2].id, status="present"))  # 1 of 4
    db.session.commit()
    report = _json(runner.invoke(args=["report", "trained-share", "--as-of", "2019-12-31", "--json"]))
    assert (report["total"]["trained"], report["total"]["women"], report["total"]["pool"]) == (2, 12, 15)
    by_code = {u["code"]: u for u in report["units"]}
    assert by_code["HT-HS"]["trained_share"] == 0.5 and by_code["HT-HS"]["pool"] == 3  # a man counts in the pool
    assert by_code["HT-VQ"]["trained_share"] is None  # empty pool: no figure
    text = runner.invoke(args=["report", "trained-share", "--as-of", "2019-12-31", "--org", "HT-HS"]).output
    assert "Huyện Hương Sơn" in text and "50,0%" in text and "Huyện Đức Thọ" not in text
    entry = db.session.scalar(select(PoolEntry).where(PoolEntry.person_id == enrolments[0].person_id))
    leave_pool(None, entry, date(2019, 10, 1), "appointed")
    db.session.commit()
    report = _json(runner.invoke(args=["report", "trained-share", "--as-of", "2019-12-31", "--json"]))
    assert (report["total"]["trained"], report["total"]["women"]) == (1, 11)
    folded = _json(runner.invoke(args=["report", "trained-share", "--as-of", "2019-12-31", "--fold-successors",
                                       "--json"]))
    assert "HT-HS" not in {u["code"] for u in folded["units"]} and folded["total"] == report["total"]

"""The pool import's rules: the day of joining a row without one gets (and the note saying so), the days it
refuses, and re-importing a cycle's list: who is no longer on it, and leaving them on a confirmed day."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Person, PoolEntry, PoolImport
from bdgtrain.services.demo import demo
from tests.pool_files import HOA, HUNG, LAN, MAI, pool_xlsx


@pytest.fixture
def demo_world(app):
    demo.load_demo()
    db.session.commit()


def _run(runner, tmp_path, data: bytes, *args, name="pool.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return runner.invoke(args=["pool", "import", *args, "--json", str(path)])


def _report(result) -> dict:
    return json.loads(result.output.strip().splitlines()[-1])


def _entries() -> dict[str, tuple]:
    rows = db.session.execute(select(Person.full_name, PoolEntry.cycle, PoolEntry.added_on, PoolEntry.left_on,
                                     PoolEntry.leave_reason).join(PoolEntry.person)
                              .order_by(PoolEntry.id)).all()
    return {name: (cycle, added, left, reason) for name, cycle, added, left, reason in rows}


def test_a_row_without_its_own_day_joins_on_the_cycle_first_day_and_the_notes_say_so(demo_world, runner, tmp_path):
    result = _run(runner, tmp_path, pool_xlsx([LAN, MAI]), "--cycle", "2015-2020")
    assert result.exit_code == 0, result.output
    report = _report(result)
    assert any("01/01/2015" in note and "2015-2020" in note for note in report["notes"])
    assert _entries()["Trần Thị Lan"] == ("2015-2020", date(2015, 1, 1), None, None)


def test_a_row_own_day_wins_and_a_blank_cell_takes_the_cycle_first_day(demo_world, runner, tmp_path):
    data = pool_xlsx([LAN, MAI], added_on=["01/06/2017", None])
    report = _report(_run(runner, tmp_path, data, "--cycle", "2015-2020"))
    assert report["written"] is True
    entries = _entries()
    assert entries["Trần Thị Lan"][1] == date(2017, 6, 1) and entries["Nguyễn Thị Mai"][1] == date(2015, 1, 1)
    assert any(note.startswith("1 dòng") for note in report["notes"])


def test_added_on_overrides_within_the_cycle(demo_world, runner, tmp_path):
    report = _report(_run(runner, tmp_path, pool_xlsx([LAN]), "--cycle", "2015-2020", "--added-on", "2016-03-01"))
    assert _entries()["Trần Thị Lan"][1] == date(2016, 3, 1)
    assert any("01/03/2016" in note and "--added-on" in note for note in report["notes"])


@pytest.mark.parametrize("day", ["2021-01-01", "2014-12-31"])
def test_added_on_outside_the_cycle_is_refused(demo_world, runner, tmp_path, day):
    result = _run(runner, tmp_path, pool_xlsx([LAN]), "--cycle", "2015-2020", "--added-on", day)
    assert result.exit_code == 2
    assert _report(result)["error"]["code"] == "pool.added_on_outside_cycle"
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 0


def test_a_row_own_day_after_its_cycle_is_refused_with_its_row(demo_world, runner, tmp_path):
    data = pool_xlsx([LAN, MAI], added_on=["01/06/2017", "01/02/2021"])
    result = _run(runner, tmp_path, data, "--cycle", "2015-2020")
    assert result.exit_code == 1
    report = _report(result)
    assert [p["row"] for p in report["rejected"]] == [3] and "sau khi nhiệm kỳ 2015-2020" in report["rejected"][0][
        "message"]
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 0


def test_a_reversed_cycle_is_refused(demo_world, runner, tmp_path):
    path = tmp_path / "pool.xlsx"
    path.write_bytes(pool_xlsx([LAN]))
    result = runner.invoke(args=["pool", "import", "--cycle", "2026-2021", str(path)])
    assert result.exit_code == 1 and "năm đầu phải trước năm cuối" in result.output
    row_cycle = _run(runner, tmp_path, pool_xlsx([LAN, MAI], cycles=["2021-2026", "2026-2021"]), "--cycle",
                     "2021-2026")
    assert row_cycle.exit_code == 1 and [p["row"] for p in _report(row_cycle)["rejected"]] == [3]
    assert db.session.scalar(select(func.count()).select_from(PoolEntry)) == 0


def test_reimporting_lists_who_is_no_longer_on_the_list_and_keeps_them_without_a_day(demo_world, runner, tmp_path):
    _run(runner, tmp_path, pool_xlsx([LAN, MAI, HUNG]), "--cycle", "2021-2026")
    report = _report(_run(runner, tmp_path, pool_xlsx([LAN, HOA]), "--cycle", "2021-2026"))
    assert (report["added"], report["unchanged"], report["written"]) == (1, 1, True)
    assert sorted(m["name"] for m in report["missing"]) == ["Lê Văn Hùng", "Nguyễn Thị Mai"]
    assert report["left"] == 0 and _entries()["Nguyễn Thị Mai"][2] is None
    text = runner.invoke(args=["pool", "import", "--cycle", "2021-2026", "--dry-run",
                               str(tmp_path / "pool.xlsx")]).output
    assert "không còn trong danh sách" in text and "--leave-missing-on" in text


def test_reimporting_with_a_leaving_day_records_them_as_leaving(demo_world, runner, tmp_path):
    _run(runner, tmp_path, pool_xlsx([LAN, MAI, HUNG]), "--cycle", "2021-2026")
    dry = _report(_run(runner, tmp_path, pool_xlsx([LAN]), "--cycle", "2021-2026", "--leave-missing-on",
                       "2023-07-01", "--dry-run"))
    assert dry["written"] is False and len(dry["missing"]) == 2 and _entries()["Nguyễn Thị Mai"][2] is None
    report = _report(_run(runner, tmp_path, pool_xlsx([LAN]), "--cycle", "2021-2026", "--leave-missing-on",
                          "2023-07-01"))
    assert (report["left"], report["leave_missing_on"]) == (2, "2023-07-01")
    entries = _entries()
    assert entries["Nguyễn Thị Mai"][2:] == (date(2023, 7, 1), "removed")
    assert entries["Trần Thị Lan"][2] is None
    again = _report(_run(runner, tmp_path, pool_xlsx([LAN]), "--cycle", "2021-2026"))
    assert again["missing"] == []  # those who left are no longer open


def test_a_leaving_day_before_someone_joined_refuses_everything(demo_world, runner, tmp_path):
    _run(runner, tmp_path, pool_xlsx([LAN, MAI], added_on=["01/03/2022", "01/03/2022"]), "--cycle", "2021-2026")
    imports = db.session.scalar(select(func.count()).select_from(PoolImport))
    result = _run(runner, tmp_path, pool_xlsx([LAN, HOA]), "--cycle", "2021-2026", "--leave-missing-on",
                  "2022-01-01")
    assert result.exit_code == 2
    assert _report(result)["error"]["code"] == "pool.left_before_added"
    assert "Phan Thị Hoa" not in _entries() and _entries()["Nguyễn Thị Mai"][2] is None
    assert db.session.scalar(select(func.count()).select_from(PoolImport)) == imports


def test_listed_again_after_leaving_rejoins_from_the_day_she_left(demo_world, runner, tmp_path):
    _run(runner, tmp_path, pool_xlsx([LAN, MAI]), "--cycle", "2021-2026")
    _run(runner, tmp_path, pool_xlsx([LAN]), "--cycle", "2021-2026", "--leave-missing-on", "2023-07-01")
    report = _report(_run(runner, tmp_path, pool_xlsx([LAN, MAI]), "--cycle", "2021-2026"))
    assert report["matched"] == 1
    mai = db.session.execute(select(PoolEntry.added_on, PoolEntry.left_on).join(PoolEntry.person)
                             .where(Person.full_name == "Nguyễn Thị Mai").order_by(PoolEntry.id)).all()
    assert mai == [(date(2021, 1, 1), date(2023, 7, 1)), (date(2023, 7, 1), None)]


def test_a_pool_imported_without_days_counts_in_its_cycle(demo_world, runner, tmp_path):
    """Issue 18: `pool import --cycle 2015-2020` then the report as of 30/6/2020 counts that pool."""
    assert _run(runner, tmp_path, pool_xlsx([LAN, MAI, HUNG, HOA]), "--cycle", "2015-2020").exit_code == 0
    result = runner.invoke(args=["report", "trained-share", "--as-of", "2020-06-30", "--json"])
    total = json.loads(result.output.strip().splitlines()[-1])["total"]
    assert (total["women"], total["pool"]) == (3, 4)
    # After the cycle's last day, no entry of it counts any more (none was carried into the next cycle).
    result = runner.invoke(args=["report", "trained-share", "--as-of", "2021-01-01", "--json"])
    total = json.loads(result.output.strip().splitlines()[-1])["total"]
    assert (total["women"], total["pool"]) == (0, 0)

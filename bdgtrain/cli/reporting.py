"""`flask report trained-share|refresh-completions|headcounts-import`: the measures (docs/MEASURES.md),
the stored completions behind them, and units' yearly headcounts."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from .. import database
from ..extensions import db
from ..rules import numbers
from ..services.reporting import completions
from ..services.reporting.headcounts import import_headcounts
from ..services.reporting.measures import add_breakdowns, measure_table, rows_under
from ..services.reporting.targets import target_specs
from .common import find_org, find_plan

STATUS_WORDS = {"met": "Đạt", "on_track": "Đúng tiến độ", "behind": "Chậm tiến độ", "no_figure": "Chưa có số liệu"}

report_group = AppGroup("report", help="The measures (docs/MEASURES.md).")


def _percent(share: float | None) -> str:
    return numbers.percent(share)


@report_group.command("trained-share")
@click.option("--as-of", "as_of", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--org", "org_code", help="Only this unit and the units below it.")
@click.option("--plan", "plan_code", help="Judge against this plan's targets (default: every plan's).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]),
              help="Window start (default: the trained-share target's counting window, else each entry's cycle).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Window end (with --from).")
@click.option("--fold-successors", is_flag=True, help="Count ended units (2025) in today's successor units.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def report_trained_share(as_of, org_code, plan_code, start, end, fold_successors, as_json):
    """Trained share of the women in the planning pool, per unit and for the whole province, with the
    target each unit is judged by and its status (met, on_track, behind, no_figure)."""
    database.read_first(db.session)  # SQLite: count beside the app's writers, never holding them back
    org = find_org(org_code) if org_code else None
    plan = find_plan(plan_code) if plan_code else None
    if (start is None) != (end is None):
        raise click.ClickException("Cần cả --from và --to, hoặc không cái nào.")
    window = (start.date(), end.date()) if start else None
    if window and window[1] < window[0]:
        raise click.ClickException("--to trước --from.")
    day: date = as_of.date()
    table = measure_table(day, target_specs(plan), window=window, fold_successors=fold_successors)
    add_breakdowns(table)
    units = rows_under(table.rows, org.id) if org is not None else list(table.rows)
    units = [{k: v for k, v in row.items() if k != "id"} for row in units]
    total = {k: v for k, v in table.total.items() if k not in ("id", "code")}
    total.update(code=None, name="Toàn tỉnh")
    if as_json:
        click.echo(json.dumps({"as_of": day.isoformat(),
                               "window": [d.isoformat() for d in table.window] if table.window else "cycle",
                               "fold_successors": fold_successors, "plan": plan.code if plan else None,
                               "units": units, "total": total}, ensure_ascii=False))
        return
    _print_trained_share(day, table.window, units + [total])


def _print_trained_share(day: date, window: tuple[date, date] | None, rows: list[dict]) -> None:
    period = (f"từ {window[0]:%d/%m/%Y} đến {window[1]:%d/%m/%Y}" if window else "trong nhiệm kỳ quy hoạch")
    click.echo(f"Tỷ lệ cán bộ nữ trong diện quy hoạch đã được tập huấn, tính đến {day:%d/%m/%Y} ({period})")
    click.echo("Đơn vị\tĐã tập huấn\tNữ trong diện QH\tTỷ lệ\tTổng diện QH\tTỷ lệ nữ\tChỉ tiêu\tĐánh giá")
    for row in rows:
        ended = f" (đến {date.fromisoformat(row['ended_on']):%d/%m/%Y})" if row.get("ended_on") else ""
        name = "  " * row.get("depth", 0) + row["name"] + ended
        target = "—" if row["target"] is None else (
            f"{_percent(row['target'])} đến {date.fromisoformat(row['target_deadline']):%d/%m/%Y}")
        click.echo(f"{name}\t{row['trained']}\t{row['women']}\t{_percent(row['trained_share'])}\t{row['pool']}\t"
                   f"{_percent(row['women_share'])}\t{target}\t{STATUS_WORDS.get(row['status'], '—')}")


@report_group.command("refresh-completions")
@click.option("--all", "everything", is_flag=True,
              help="Every class, not only those whose stored rows are invalid.")
def report_refresh_completions(everything):
    """Store who completed each class (class_completions) for the classes whose stored rows are not
    valid: after `db upgrade`, or when the check-in sweep is not run. Reports are exact either way;
    they are faster when few classes are left to compute live. Commits every 200 classes, so that
    check-ins running meanwhile wait a second at most."""
    done = 0
    for step in completions.refresh_in_steps(everything=everything):
        db.session.commit()
        done += step
    db.session.commit()  # the statistics refreshed after a large run
    click.echo(f"Đã tính lại danh sách hoàn thành của {done} lớp.")


@report_group.command("headcounts-import")
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def report_headcounts_import(dry_run, as_json, file):
    """Import units' yearly headcounts (.xlsx: Mã đơn vị, Năm, Tổng số, Nữ, DTTS, Nữ DTTS, Tổng số được cử
    đào tạo, Nữ được cử đào tạo, Lãnh đạo chủ chốt có nữ, Cấp ủy, Nữ cấp ủy, Cử học thạc sĩ, Nữ cử học thạc
    sĩ, Thạc sĩ, Nữ thạc sĩ, Tiến sĩ, Nữ tiến sĩ, Cán bộ chuyên trách, Chuyên trách được bồi dưỡng; an
    empty cell of the last eleven is "not entered"), all or nothing: exit 1 when any row is refused."""
    saved, problems = import_headcounts(None, Path(file).read_bytes(), dry_run=dry_run)
    if problems:
        db.session.rollback()
    else:
        db.session.commit()
    if as_json:
        click.echo(json.dumps({"saved": saved, "dry_run": dry_run,
                               "rejected": [{"row": p.row, "message": p.message} for p in problems]},
                              ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(f"  dòng {problem.row}: {problem.message}")
        click.echo(f"Đã ghi số liệu của {saved} đơn vị-năm." if saved else "Chưa ghi gì.")
    if problems:
        raise SystemExit(1)

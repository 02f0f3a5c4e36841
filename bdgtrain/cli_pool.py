"""Flask commands for the planning pool and the measures: `pool import`, `report trained-share`."""
from __future__ import annotations

import json
from datetime import date

import click
from flask import Flask
from sqlalchemy import select

from .extensions import db
from .models import Organisation


def _org(code: str | None) -> Organisation | None:
    if not code:
        return None
    org = db.session.scalar(select(Organisation).where(Organisation.code == code.upper()))
    if org is None:
        raise click.ClickException(f"Không có đơn vị mã {code}.")
    return org


STATUS_WORDS = {"met": "Đạt", "on_track": "Đúng tiến độ", "behind": "Chậm tiến độ", "no_figure": "Chưa có số liệu"}


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%".replace(".", ",")


def register_pool_cli(app: Flask) -> None:
    @app.cli.group("pool")
    def pool_group():
        """The leadership planning pool (diện quy hoạch)."""

    @pool_group.command("import")
    @click.option("--cycle", required=True, help="The pool's cycle, e.g. 2020-2025 (a 'Nhiệm kỳ' column overrides it).")
    @click.option("--org", "org_code", help="Unit of rows that name no district, e.g. SNV or HT-HS.")
    @click.option("--added-on", type=click.DateTime(["%Y-%m-%d"]),
                  help="Day the people joined the pool when the file has no such column (default: today).")
    @click.option("--dry-run", is_flag=True, help="Read and match only; write nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def pool_import(cycle, org_code, added_on, dry_run, as_json, file):
        """Import a pool file, all or nothing (exit 1 when any row is rejected)."""
        from pathlib import Path

        from .localtime import local_today
        from .cli import run_import
        from .services.lists import lists
        from .services.pool import pool

        org = _org(org_code)
        path = Path(file)
        today = local_today()
        def attempt():
            data = path.read_bytes()
            read = lists.read_upload(path.name, data, today)
            plan = pool.plan_pool_import(read, cycle, org, added_on.date() if added_on else today)
            written = not dry_run and not plan.problems
            return (pool.apply_pool_import(None, plan, path.name, data, cycle, org) if written
                    else plan.as_report(written=False)), written

        report = run_import(attempt, as_json)
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False, default=str))
        else:
            click.echo(f"{report['rows']} dòng: {report['added']} người mới, {report['matched']} đã có, "
                       f"{report['unchanged']} đã trong diện quy hoạch, {len(report['flagged'])} nghi trùng, "
                       f"{len(report['rejected'])} lỗi.")
            for problem in report["rejected"]:
                click.echo(f"  dòng {problem['row']}, cột {problem['column']}: {problem['message']}")
            click.echo("Đã ghi." if report["written"] else "Chưa ghi gì.")
        if report["rejected"]:
            raise SystemExit(1)

    @app.cli.group("report")
    def report_group():
        """The measures (docs/MEASURES.md)."""

    @report_group.command("trained-share")
    @click.option("--as-of", "as_of", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
    @click.option("--org", "org_code", help="Only this unit and the units below it.")
    @click.option("--plan", "plan_code", help="Judge against this plan's targets (default: every plan's).")
    @click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]),
                  help="Window start (default: each pool entry's cycle).")
    @click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Window end (default: the cycle's end).")
    @click.option("--fold-successors", is_flag=True, help="Count ended units (2025) in today's successor units.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    def report_trained_share(as_of, org_code, plan_code, start, end, fold_successors, as_json):
        """Trained share of the women in the planning pool, per unit and for the whole province, with the
        target each unit is judged by and its status (met, on_track, behind, no_figure)."""
        from . import database
        from .models import Plan
        from .services.reporting.measures import measure_table
        from .services.reporting.targets import target_specs

        database.read_first(db.session)  # SQLite: count beside the app's writers, never holding them back
        org = _org(org_code)
        plan = None
        if plan_code:
            plan = db.session.scalar(select(Plan).where(Plan.code == plan_code.upper()))
            if plan is None:
                raise click.ClickException(f"Không có kế hoạch mã {plan_code}.")
        if (start is None) != (end is None):
            raise click.ClickException("Cần cả --from và --to, hoặc không cái nào.")
        window = (start.date(), end.date()) if start else None
        if window and window[1] < window[0]:
            raise click.ClickException("--to trước --from.")
        day: date = as_of.date()
        table = measure_table(day, target_specs(plan), window=window, fold_successors=fold_successors)
        units = [row for row in table.rows]
        if org is not None:
            inside, depth = [], None
            for row in units:
                if depth is None and row["id"] != org.id:
                    continue
                if depth is not None and row["depth"] <= depth:
                    break
                if depth is None:
                    depth = row["depth"]
                inside.append(dict(row, depth=row["depth"] - depth))
            units = inside
        units = [{k: v for k, v in row.items() if k != "id"} for row in units]
        total = {k: v for k, v in table.total.items() if k not in ("id", "code")}
        total.update(code=None, name="Toàn tỉnh")
        if as_json:
            click.echo(json.dumps({"as_of": day.isoformat(),
                                   "window": [d.isoformat() for d in window] if window else "cycle",
                                   "fold_successors": fold_successors, "plan": plan.code if plan else None,
                                   "units": units, "total": total}, ensure_ascii=False))
            return
        click.echo(f"Tỷ lệ cán bộ nữ trong diện quy hoạch đã được tập huấn, tính đến {day:%d/%m/%Y} "
                   f"({'từ %s đến %s' % (window[0].strftime('%d/%m/%Y'), window[1].strftime('%d/%m/%Y')) if window else 'trong nhiệm kỳ quy hoạch'})")
        click.echo("Đơn vị\tĐã tập huấn\tNữ trong diện QH\tTỷ lệ\tTổng diện QH\tTỷ lệ nữ\tChỉ tiêu\tĐánh giá")
        for row in units + [total]:
            name = "  " * row.get("depth", 0) + row["name"] + (f" (đến {date.fromisoformat(row['ended_on']):%d/%m/%Y})" if row.get("ended_on") else "")
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
        from .services.reporting import completions

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
        """Import units' yearly headcounts (.xlsx: Mã đơn vị, Năm, Tổng số, Nữ, DTTS, Nữ DTTS, Nữ được cử đào tạo,
        Lãnh đạo chủ chốt có nữ), all or nothing: exit 1 when any row is refused."""
        from pathlib import Path

        from .services.reporting.headcounts import import_headcounts

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

"""`flask pool import`: the leadership planning pool (diện quy hoạch), all or nothing."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..localtime import local_today
from ..services.pool import pool
from .common import find_org, run_import

pool_group = AppGroup("pool", help="The leadership planning pool (diện quy hoạch).")


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
    org = find_org(org_code) if org_code else None
    path = Path(file)
    today = local_today()
    report = run_import(lambda: pool.import_pool_file(None, path.name, path.read_bytes(), cycle, org,
                                                      added_on.date() if added_on else today, today,
                                                      dry_run=dry_run), as_json)
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

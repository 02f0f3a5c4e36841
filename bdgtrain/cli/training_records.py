"""`flask pool training-import`: training outside the system (đào tạo, bồi dưỡng ngoài hệ thống), all or
nothing; `flask pool training-template`: the import template.

Registered on the `pool` group of cli/pool.py from cli/__init__.py, so that the commands read as the pool's.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..importers.training_template import template_workbook
from ..localtime import local_today
from ..services.pool import external_training_import
from .common import run_import


@click.command("training-import")
@click.option("--dry-run", is_flag=True, help="Read and match only; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def training_import(dry_run, as_json, file):
    """Import a file of external training, all or nothing (exit 1 when any row is rejected)."""
    path = Path(file)
    report = run_import(lambda: external_training_import.import_training_file(None, path.name, path.read_bytes(),
                                                                       local_today(), dry_run=dry_run), as_json)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, default=str))
    else:
        click.echo(f"{report['rows']} dòng: {report['records']} khóa đào tạo mới, {report['already_held']} đã có, "
                   f"{report['people_added']} người mới, {report['people_matched']} người đã có, "
                   f"{len(report['flagged'])} nghi trùng, {len(report['rejected'])} lỗi.")
        for note in report["notes"]:
            click.echo(f"  {note}")
        for problem in report["rejected"]:
            click.echo(f"  dòng {problem['row']}, cột {problem['column']}: {problem['message']}")
        click.echo("Đã ghi." if report["written"] else "Chưa ghi gì.")
    if report["rejected"]:
        raise SystemExit(1)


@click.command("training-template")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def training_template(file):
    """Write the import template of external training to FILE (.xlsx)."""
    Path(file).write_bytes(template_workbook())
    click.echo(f"Đã ghi tệp mẫu {file}.")


COMMANDS = (training_import, training_template)

"""`flask lists import|template`: participant lists sent by the agencies, and their import templates."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..importers.person_list import LIST_SHAPES, template_workbook
from ..localtime import local_today
from ..services.lists import lists
from .common import find_class, find_org, run_import

lists_group = AppGroup("lists", help="Participant lists.")


@lists_group.command("import")
@click.option("--class", "class_code", required=True, help="Class code, e.g. LOP-3.")
@click.option("--plan", "plan_code", help="Plan code, when the class code is not unique across plans.")
@click.option("--source", "source_code", required=True, help="Code of the agency sending the list, e.g. SNV.")
@click.option("--dry-run", is_flag=True, help="Read and match only; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def lists_import(class_code, plan_code, source_code, dry_run, as_json, file):
    """Import a list for a class, all or nothing (exit 1 when any row is rejected)."""
    cls = find_class(plan_code, class_code)
    source = find_org(source_code)
    path = Path(file)
    report = run_import(lambda: lists.import_file(None, cls, source, path.name, path.read_bytes(), local_today(),
                                                  dry_run=dry_run), as_json)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        _print_report(report)
    if report["rejected"]:
        raise SystemExit(1)


def _print_report(report: dict) -> None:
    click.echo(f"{report['rows']} dòng: {report['added']} người mới, {report['matched']} đã có, "
               f"{report['merged']} trùng với đơn vị khác, {report['unchanged']} không đổi, "
               f"{len(report['flagged'])} nghi trùng, {len(report['rejected'])} lỗi.")
    for problem in report["rejected"]:
        click.echo(f"  dòng {problem['row']}, cột {problem['column']}: {problem['message']}")
    if report.get("waiting"):
        click.echo(f"  {report['waiting']} người vào danh sách chờ (lớp đã đủ chỗ).")
    for warning in report["quota"]:
        click.echo(f"  vượt số suất được phân bổ: {warning}")
    click.echo("Đã ghi." if report["written"] else "Chưa ghi gì.")


@lists_group.command("template")
@click.argument("shape")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def lists_template(shape, file):
    """Write the import template of a list shape (snv, hlhpn) to FILE."""
    if shape not in LIST_SHAPES:
        raise click.ClickException(f"Không có mẫu {shape}; có: {', '.join(LIST_SHAPES)}")
    with open(file, "wb") as handle:
        handle.write(template_workbook(shape))
    click.echo(f"Đã ghi mẫu {LIST_SHAPES[shape]} vào {file}")

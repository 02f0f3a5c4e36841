"""`flask pool import|leave|carry`: the leadership planning pool (diện quy hoạch), all or nothing."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from ..localtime import local_today
from ..models import LEAVE_REASONS
from ..services.pool import pool, pool_register
from ..services.privacy import access_log
from .common import fail, find_org, run_import

pool_group = AppGroup("pool", help="The leadership planning pool (diện quy hoạch).")
DAY = click.DateTime(["%Y-%m-%d"])


@pool_group.command("import")
@click.option("--cycle", required=True, help="The pool's cycle, e.g. 2020-2025 (a 'Nhiệm kỳ' column overrides it).")
@click.option("--org", "org_code", help="Unit of rows that name no district, e.g. SNV or HT-HS.")
@click.option("--added-on", type=DAY,
              help="Day the people joined the pool when the file has no such column (within the cycle; "
                   "default: the cycle's first day).")
@click.option("--leave-missing-on", type=DAY,
              help="Those no longer on the list (open entries of the units and cycles the file covers) leave "
                   "the pool on this day; without it they are listed and left as they are.")
@click.option("--dry-run", is_flag=True, help="Read and match only; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def pool_import(cycle, org_code, added_on, leave_missing_on, dry_run, as_json, file):
    """Import a pool file, all or nothing (exit 1 when any row is rejected)."""
    org = find_org(org_code) if org_code else None
    path = Path(file)
    today = local_today()
    report = run_import(lambda: pool.import_pool_file(
        None, path.name, path.read_bytes(), cycle, org, added_on.date() if added_on else None, today,
        dry_run=dry_run, leave_missing_on=leave_missing_on.date() if leave_missing_on else None), as_json)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, default=str))
    else:
        click.echo(f"{report['rows']} dòng: {report['added']} người mới, {report['matched']} đã có, "
                   f"{report['unchanged']} đã trong diện quy hoạch, {len(report['flagged'])} nghi trùng, "
                   f"{len(report['rejected'])} lỗi.")
        for note in report["notes"]:
            click.echo(f"  {note}")
        for problem in report["rejected"]:
            click.echo(f"  dòng {problem['row']}, cột {problem['column']}: {problem['message']}")
        _print_missing(report)
        click.echo("Đã ghi." if report["written"] else "Chưa ghi gì.")
    if report["rejected"]:
        raise SystemExit(1)


def _print_missing(report: dict) -> None:
    missing = report["missing"]
    if not missing:
        return
    if report["leave_missing_on"]:
        verb = "rời" if report["written"] else "sẽ rời"
        click.echo(f"{len(missing)} người không còn trong danh sách, {verb} diện quy hoạch ngày "
                   f"{report['leave_missing_on']}:")
    else:
        click.echo(f"{len(missing)} người không còn trong danh sách (giữ nguyên; thêm --leave-missing-on "
                   f"YYYY-MM-DD để ghi họ rời diện quy hoạch):")
    for item in missing:
        click.echo(f"  {item['name']} ({item['unit']}, {item['cycle']})")


@pool_group.command("list")
@click.option("--org", "org_code", required=True, help="The unit, e.g. HT-HS.")
@click.option("--cycle", required=True, help="The cycle, e.g. 2021-2026.")
@click.option("--search", default="", help="Part of a name (diacritics optional).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def pool_list(org_code, cycle, search, as_json):
    """A unit's pool for a cycle in Vietnamese name order, with each entry's number and state."""
    org = find_org(org_code)
    try:
        listing = pool_register.list_pool(org, cycle, local_today(), search, per_page=100_000)
    except DomainError as error:
        fail(error)
    rows = [{"entry": v.id, "name": v.full_name, "added_on": v.added_on.isoformat(),
             "left_on": v.left_on.isoformat() if v.left_on else None, "reason": v.leave_reason,
             "state": v.state, "carried_to": v.carried_to} for v in listing.rows]
    access_log.record_access("pool.list.viewed", actor=None, people=[v.person_id for v in listing.rows],
                             people_count=len(rows), detail=f"unit {org.code} cycle {listing.cycle}")
    db.session.commit()
    if as_json:
        click.echo(json.dumps({"unit": org.code, "cycle": listing.cycle, "entries": rows}, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['entry']:>7}  {row['name']}  vào {row['added_on']}  {STATE_WORDS[row['state']]}"
                   + (f" {row['left_on']} ({row['reason']})" if row["left_on"] else ""))
    click.echo(f"{len(rows)} mục.")


STATE_WORDS = {"in_pool": "đang trong diện", "left": "đã rời", "ended": "hết nhiệm kỳ",
               "carried": "đã chuyển sang nhiệm kỳ sau"}


@pool_group.command("leave")
@click.option("--entry", "entry_id", type=int, required=True, help="The pool entry's number (see `pool list`).")
@click.option("--on", "left_on", type=DAY, required=True, help="Her first day out of the pool.")
@click.option("--reason", type=click.Choice(LEAVE_REASONS), required=True)
@click.option("--note", help="Why, in a few words (decision number...).")
def pool_leave(entry_id, left_on, reason, note):
    """Record that a person left the pool (the entry is kept, with the day and the reason)."""
    try:
        entry = pool_register.find_entry(entry_id)
        pool_register.leave_pool(None, entry, left_on.date(), reason, note)
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"{entry.person.full_name} rời diện quy hoạch {entry.organisation.name} ({entry.cycle}) "
               f"ngày {left_on:%d/%m/%Y}.")


@pool_group.command("carry")
@click.option("--from-cycle", required=True, help="The cycle whose open entries are carried, e.g. 2016-2021.")
@click.option("--to-cycle", required=True, help="The next cycle, e.g. 2021-2026.")
@click.option("--org", "org_code", help="Only this unit and the units below it.")
@click.option("--dry-run", is_flag=True, help="Count only; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def pool_carry(from_cycle, to_cycle, org_code, dry_run, as_json):
    """Carry everyone still in the pool of a cycle into the next one (new entries from its first day)."""
    org = find_org(org_code) if org_code else None
    try:
        entries = pool_register.entries_to_carry(from_cycle, org)
        result = pool_register.carry_entries(None, entries, to_cycle)
    except DomainError as error:
        if as_json:
            db.session.rollback()
            click.echo(json.dumps({"error": {"code": error.code, "message": error.message}}, ensure_ascii=False))
            raise SystemExit(2) from None
        fail(error)
    report = dict(result.as_report(), written=not dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"{report['carried']} người chuyển sang nhiệm kỳ {to_cycle}, {report['already']} đã có trong "
               f"nhiệm kỳ đó.")
    click.echo("Đã ghi." if report["written"] else "Chưa ghi gì.")

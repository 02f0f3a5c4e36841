"""`flask orgs move|rename|end`: a unit's dated changes, as on its page (services/planning/orgs.py)."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from ..errors import DomainError
from ..extensions import db
from ..services.planning import orgs
from .common import fail, find_org

orgs_group = AppGroup("orgs", help="Organisations through time: move, rename, end.")
DAY = click.DateTime(formats=["%Y-%m-%d"])


def _day(value) -> date:
    return value.date()


@orgs_group.command("move")
@click.argument("code")
@click.option("--on", "day", type=DAY, required=True, help="First day under the new parent (YYYY-MM-DD).")
@click.option("--parent", "parent_code", help="Code of the new parent; omitted: no parent.")
def orgs_move(code, day, parent_code):
    """Put unit CODE under another parent from a date on (earlier figures keep the old parent)."""
    org = find_org(code)
    parent = find_org(parent_code) if parent_code else None
    try:
        orgs.move_org(None, org, _day(day), parent.id if parent else None)
        db.session.commit()
    except DomainError as error:
        fail(error)
    click.echo(f"Đã chuyển {org.code} về {parent.code if parent else '(không có cấp trên)'} từ {_day(day):%d/%m/%Y}.")


@orgs_group.command("rename")
@click.argument("code")
@click.option("--on", "day", type=DAY, required=True, help="First day of the new name (YYYY-MM-DD).")
@click.option("--name", required=True)
def orgs_rename(code, day, name):
    """Rename unit CODE from a date on (reports of earlier days keep the old name)."""
    org = find_org(code)
    try:
        orgs.rename_org(None, org, _day(day), name)
        db.session.commit()
    except DomainError as error:
        fail(error)
    click.echo(f"Đã đổi tên {org.code} thành \"{org.name}\" từ {_day(day):%d/%m/%Y}.")


@orgs_group.command("end")
@click.argument("code")
@click.option("--last-day", "day", type=DAY, required=True, help="The unit's last day (YYYY-MM-DD).")
@click.option("--successor", "successors", multiple=True, help="Code of a successor; repeat for several.")
@click.option("--note")
def orgs_end(code, day, successors, note):
    """End unit CODE after its last day, naming its successors (none, one or several)."""
    org = find_org(code)
    heirs = [find_org(c) for c in successors]
    try:
        orgs.end_org(None, org, _day(day), [h.id for h in heirs], note)
        db.session.commit()
    except DomainError as error:
        fail(error)
    named = ", ".join(h.code for h in heirs) or "không có"
    click.echo(f"Đã ghi {org.code} kết thúc sau ngày {_day(day):%d/%m/%Y}; đơn vị kế thừa: {named}.")

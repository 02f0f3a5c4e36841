"""`flask checkin tickets|close-sessions`: every enrolment's ticket link, and the sweep that marks the
unmarked absent once a session has ended (run from cron)."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models.base import utcnow
from ..services.calendar import invitations
from ..services.checkin import attendance_view, tickets
from ..services.reporting import completions
from .common import find_class

checkin_group = AppGroup("checkin", help="Tickets and attendance.")


@checkin_group.command("tickets")
@click.option("--class", "class_code", required=True, help="Class code, e.g. LOP-3.")
@click.option("--plan", "plan_code", help="Plan code, when the class code is not unique across plans.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def checkin_tickets(class_code, plan_code, as_json):
    """Every enrolment of a class with its personal ticket URL (BDGTRAIN_BASE_URL sets the address)."""
    cls = find_class(plan_code, class_code)
    base_url = current_app.config["BASE_URL"]
    rows = [{"name": e.person.full_name, "unit": e.person.unit_name, "status": e.status,
             "ticket_url": tickets.ticket_url(e, base_url)} for e in attendance_view.active_enrolments(cls)]
    if as_json:
        click.echo(json.dumps({"class": cls.code, "plan": cls.plan.code, "tickets": rows}, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['name']}\t{row['unit'] or ''}\t{row['ticket_url']}")


@checkin_group.command("close-sessions")
def checkin_close_sessions():
    """Mark absent everyone unmarked in sessions that have ended (run it from cron, e.g. every 15 minutes),
    then store the completions of the classes changed since the last run."""
    written = invitations.close_sessions_and_warn(utcnow())
    db.session.commit()
    # Then, in a transaction of its own (it holds attendance writers off while it runs, so it
    # must not sit behind the sweep's writes): store the completions of the classes changed since.
    refreshed = completions.refresh()
    db.session.commit()
    click.echo(f"Đã ghi vắng cho {written} lượt chưa điểm danh ở các buổi đã kết thúc; "
               f"đã tính lại danh sách hoàn thành của {refreshed} lớp.")

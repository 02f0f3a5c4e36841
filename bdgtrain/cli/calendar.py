"""`flask calendar url`: a feed's address to hand out (BDGTRAIN_BASE_URL sets its host)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import Person, Trainer
from ..services.calendar import calendar_feeds
from .common import check_exists, find_class, find_org, find_plan

calendar_group = AppGroup("calendar", help="Calendar feeds.")


@calendar_group.command("url")
@click.option("--class", "class_code", help="Class code, e.g. LOP-3.")
@click.option("--plan", "plan_code", help="Plan code (the plan's feed, or to pick a class).")
@click.option("--person", "person_id", type=int, help="A participant's id.")
@click.option("--org", "org_code", help="An organisation's code (its HR office's feed).")
@click.option("--trainer", "trainer_id", type=int, help="A trainer's id.")
@click.option("--path", "path_only", is_flag=True, help="Print only the path, without BDGTRAIN_BASE_URL.")
def calendar_url(class_code, plan_code, person_id, org_code, trainer_id, path_only):
    """Print a feed's https URL, starting a feed link if it has none (BDGTRAIN_BASE_URL sets the address)."""
    chosen = [v for v in (class_code, person_id, org_code, trainer_id) if v is not None]
    if len(chosen) > 1 or (not chosen and not plan_code):
        raise click.UsageError("Give one of --class, --plan, --person, --org, --trainer.")
    if class_code:
        kind, target = "class", find_class(plan_code, class_code).id
    elif person_id is not None:
        kind, target = "person", check_exists(Person, person_id, "học viên")
    elif org_code:
        kind, target = "organisation", find_org(org_code).id
    elif trainer_id is not None:
        kind, target = "trainer", check_exists(Trainer, trainer_id, "giảng viên")
    else:
        kind, target = "plan", find_plan(plan_code).id
    url = calendar_feeds.shareable_url(None, kind, target, current_app.config["BASE_URL"])
    db.session.commit()
    if path_only:
        url = "/" + url.split("://", 1)[1].split("/", 1)[1]
    click.echo(url)

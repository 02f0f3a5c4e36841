"""Flask commands for calendars and e-mail: `calendar url`, `mail send` (once, or as a loop).

`mail send` commits after each message (see services/mail.py): a message handed to the server
cannot be taken back, so its "sent" is written at once.
"""
from __future__ import annotations

import time

import click
from flask import Flask, current_app
from sqlalchemy import select

from .extensions import db
from .models import Organisation, Person, Trainer


def register_calendar_cli(app: Flask) -> None:
    @app.cli.group("calendar")
    def calendar_group():
        """Calendar feeds."""

    @calendar_group.command("url")
    @click.option("--class", "class_code", help="Class code, e.g. LOP-3.")
    @click.option("--plan", "plan_code", help="Plan code (the plan's feed, or to pick a class).")
    @click.option("--person", "person_id", type=int, help="A participant's id.")
    @click.option("--org", "org_code", help="An organisation's code (its HR office's feed).")
    @click.option("--trainer", "trainer_id", type=int, help="A trainer's id.")
    @click.option("--path", "path_only", is_flag=True, help="Print only the path, without BDGTRAIN_BASE_URL.")
    def calendar_url(class_code, plan_code, person_id, org_code, trainer_id, path_only):
        """Print a feed's https URL, starting a feed link if it has none (BDGTRAIN_BASE_URL sets the address)."""
        from .cli import find_class
        from .services.calendar import calendar_feeds

        chosen = [v for v in (class_code, person_id, org_code, trainer_id) if v is not None]
        if len(chosen) > 1 or (not chosen and not plan_code):
            raise click.UsageError("Give one of --class, --plan, --person, --org, --trainer.")
        public = None
        if class_code:
            cls = find_class(plan_code, class_code)
            kind, target, public = "class", cls.id, (cls.plan, cls)
        elif person_id is not None:
            kind, target = "person", _get(Person, person_id, "học viên")
        elif org_code:
            org = db.session.scalar(select(Organisation).where(Organisation.code == org_code.upper()))
            if org is None:
                raise click.ClickException(f"Không có đơn vị mã {org_code}.")
            kind, target = "organisation", org.id
        elif trainer_id is not None:
            kind, target = "trainer", _get(Trainer, trainer_id, "giảng viên")
        else:
            from .models import Plan

            plan = db.session.scalar(select(Plan).where(Plan.code == plan_code.upper()))
            if plan is None:
                raise click.ClickException(f"Không có kế hoạch mã {plan_code}.")
            kind, target, public = "plan", plan.id, (plan, None)
        base_url = current_app.config["BASE_URL"]
        if public and public[0].calendar_access == "public":
            url = calendar_feeds.public_url(*public, base_url=base_url)
        else:
            url = calendar_feeds.feed_url(calendar_feeds.ensure_feed(None, kind, target), base_url)
        db.session.commit()
        if path_only:
            url = "/" + url.split("://", 1)[1].split("/", 1)[1]
        click.echo(url)

    @app.cli.group("mail")
    def mail_group():
        """The e-mail outbox."""

    @mail_group.command("send")
    @click.option("--loop", is_flag=True, help="Keep running: drain the outbox every --interval seconds.")
    @click.option("--interval", default=30, show_default=True, help="Seconds between two rounds with --loop.")
    @click.option("--limit", default=200, show_default=True, help="Messages per round at most.")
    def mail_send(loop, interval, limit):
        """Deliver the queued e-mails that are due; failures are retried later with a growing delay."""
        from .services.calendar import mail

        while True:
            outcomes = mail.send_due(current_app.config["BASE_URL"], limit=limit, commit=db.session.commit)
            db.session.commit()
            sent = sum(1 for o in outcomes if o.status == "sent")
            if outcomes or not loop:
                click.echo(f"Đã gửi {sent}/{len(outcomes)} thư.")
            for outcome in outcomes:
                if outcome.status != "sent":
                    click.echo(f"  thư {outcome.message_id}: {outcome.status}: {outcome.error}", err=True)
            if not loop:
                return
            db.session.remove()
            time.sleep(interval)


def _get(model, record_id: int, label: str) -> int:
    if db.session.get(model, record_id) is None:
        raise click.ClickException(f"Không có {label} mã số {record_id}.")
    return record_id

"""`flask mail send`: deliver the e-mail outbox, once or as a loop.

It commits after each message (see services/calendar/mail.py): a message handed to the server cannot
be taken back, so its "sent" is written at once. Links in the messages use BDGTRAIN_BASE_URL.
"""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..services.calendar import mail

mail_group = AppGroup("mail", help="The e-mail outbox.")


@mail_group.command("send")
@click.option("--loop", is_flag=True, help="Keep running: drain the outbox every --interval seconds.")
@click.option("--interval", default=30, show_default=True, help="Seconds between two rounds with --loop.")
@click.option("--limit", default=200, show_default=True, help="Messages per round at most.")
def mail_send(loop, interval, limit):
    """Deliver the queued e-mails that are due; failures are retried later with a growing delay."""
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

"""Flask commands for check-in: `checkin tickets`, `checkin close-sessions`, `api-token create|list|revoke`."""
from __future__ import annotations

import json

import click
from flask import Flask, current_app
from sqlalchemy import select

from .extensions import db
from .models import ApiToken, User
from .models.base import utcnow


def register_checkin_cli(app: Flask) -> None:
    @app.cli.group("checkin")
    def checkin_group():
        """Tickets and attendance."""

    @checkin_group.command("tickets")
    @click.option("--class", "class_code", required=True, help="Class code, e.g. LOP-3.")
    @click.option("--plan", "plan_code", help="Plan code, when the class code is not unique across plans.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    def checkin_tickets(class_code, plan_code, as_json):
        """Every enrolment of a class with its personal ticket URL (BDGTRAIN_BASE_URL sets the address)."""
        from .cli import find_class
        from .services.checkin import attendance_view, tickets

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
        from .services.calendar import invitations
        from .services.reporting import completions

        written = invitations.close_sessions_and_warn(utcnow())
        db.session.commit()
        # Then, in a transaction of its own (it holds attendance writers off while it runs, so it
        # must not sit behind the sweep's writes): store the completions of the classes changed since.
        refreshed = completions.refresh()
        db.session.commit()
        click.echo(f"Đã ghi vắng cho {written} lượt chưa điểm danh ở các buổi đã kết thúc; "
                   f"đã tính lại danh sách hoàn thành của {refreshed} lớp.")

    @app.cli.group("api-token")
    def api_token_group():
        """Bearer tokens for scanner devices and scripts."""

    def _user(email: str) -> User:
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise click.ClickException(f"Không có tài khoản {email}.")
        return user

    @api_token_group.command("create")
    @click.option("--user", "email", required=True, help="E-mail of the account the token acts for.")
    @click.option("--label", default="scanner", help="What the token is for, e.g. the device's name.")
    def api_token_create(email, label):
        """Print a new token (shown once) for `Authorization: Bearer` on /api/v1/."""
        from .services.accounts import api_tokens

        token, _row = api_tokens.create_token(None, _user(email), label)
        db.session.commit()
        click.echo(token)

    @api_token_group.command("list")
    @click.option("--user", "email", required=True)
    def api_token_list(email):
        from .services.accounts import api_tokens

        for row in api_tokens.tokens_of(_user(email)):
            state = "thu hồi" if row.revoked_at else "hiệu lực"
            click.echo(f"{row.id}\t{row.label}\t{state}\t{row.created_at:%Y-%m-%d}")

    @api_token_group.command("revoke")
    @click.argument("token_id", type=int)
    def api_token_revoke(token_id):
        from .services.accounts import api_tokens

        row = db.session.get(ApiToken, token_id)
        if row is None:
            raise click.ClickException(f"Không có mã truy cập số {token_id}.")
        api_tokens.revoke_token(None, row)
        db.session.commit()
        click.echo("Đã thu hồi.")

"""`flask users create|list|ensure-admin` and `flask api-token create|list|revoke`: accounts and the
bearer tokens of scanner devices and scripts."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..config import INSTANCE_DIR
from ..errors import DomainError
from ..extensions import db
from ..models import ROLES, User
from ..services.accounts import accounts, api_tokens
from .common import fail, find_org, first_run_password

ADMIN_EMAIL = "admin@bdgtrain.local"

users_group = AppGroup("users", help="Accounts.")
api_token_group = AppGroup("api-token", help="Bearer tokens for scanner devices and scripts.")


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--org", "org_code", help="Organisation code (needed for organiser, supplier, monitor).")
@click.option("--name", "full_name", default="")
def users_create(email, password, role, org_code, full_name):
    """Create an account."""
    org_id = None
    if org_code:
        # The code as typed: unlike the other commands, this one has always matched it exactly.
        org_id = find_org(org_code, as_typed=True).id
    try:
        user = accounts.create_user(None, accounts.UserInput(
            email=email, role=role, full_name=full_name, organisation_id=org_id), password)
        db.session.commit()
    except DomainError as error:
        fail(error)
    click.echo(f"Đã tạo tài khoản {user.email} ({user.role}).")


@users_group.command("list")
def users_list():
    """List accounts."""
    for user in accounts.list_users():
        org = user.organisation.code if user.organisation else "-"
        state = "" if user.is_active_account else " (đã khóa)"
        click.echo(f"{user.email}\t{user.role}\t{org}{state}")


@users_group.command("ensure-admin")
def users_ensure_admin():
    """Create the first admin if there is none, and say how to log in."""
    password = first_run_password("admin-password")
    if not accounts.has_admin():
        accounts.create_user(None, accounts.UserInput(email=ADMIN_EMAIL, role="admin",
                                                      full_name="Quản trị hệ thống"), password)
        db.session.commit()
    click.echo(f"Đăng nhập: {ADMIN_EMAIL} / mật khẩu ban đầu: {password}  "
               f"(lưu ở {INSTANCE_DIR / 'admin-password'}; đổi mật khẩu sau khi đăng nhập)")


def _user(email: str) -> User:
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Không có tài khoản {email}.")
    return user


@api_token_group.command("create")
@click.option("--user", "email", required=True, help="E-mail of the account the token acts for.")
@click.option("--label", default="scanner", help="What the token is for, e.g. the device's name.")
@click.option("--scope", type=click.Choice(api_tokens.SCOPES), default=api_tokens.CHECKIN_SCOPE, show_default=True,
              help="checkin: scans and the class's offline roster only (a door scanner); full: the whole API.")
def api_token_create(email, label, scope):
    """Print a new token (shown once) for `Authorization: Bearer` on /api/v1/."""
    token, _row = api_tokens.create_token(None, _user(email), label, scope=scope)
    db.session.commit()
    click.echo(token)


@api_token_group.command("list")
@click.option("--user", "email", required=True)
def api_token_list(email):
    for row in api_tokens.tokens_of(_user(email)):
        state = "thu hồi" if row.revoked_at else "hiệu lực"
        click.echo(f"{row.id}\t{row.label}\t{row.scope}\t{state}\t{row.created_at:%Y-%m-%d}")


@api_token_group.command("revoke")
@click.argument("token_id", type=int)
def api_token_revoke(token_id):
    row = api_tokens.find_token(token_id)
    if row is None:
        raise click.ClickException(f"Không có mã truy cập số {token_id}.")
    api_tokens.revoke_token(None, row)
    db.session.commit()
    click.echo("Đã thu hồi.")

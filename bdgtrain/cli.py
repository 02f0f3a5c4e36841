"""Flask commands: `flask --app wsgi demo load`, `users create`, `users list`, `users ensure-admin`.

Each command commits once at its end, like a request.
"""
from __future__ import annotations

import secrets

import click
from flask import Flask
from sqlalchemy import select

from .config import INSTANCE_DIR
from .errors import DomainError
from .extensions import db
from .models import ROLES, Organisation, User
from .services import accounts, demo

ADMIN_EMAIL = "admin@bdgtrain.local"


def _fail(error: DomainError) -> None:
    db.session.rollback()
    raise click.ClickException(error.message)


def _first_run_password(name: str) -> str:
    """A random password kept in instance/ so that `make run` can print it again at every start."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def register_cli(app: Flask) -> None:
    @app.cli.group("demo")
    def demo_group():
        """The Hà Tĩnh 2019 demo plan (seed 004)."""

    @demo_group.command("load")
    @click.option("--with-users/--without-users", default=False,
                  help="Also create one demo account per role (organiser, suppliers, monitor).")
    def demo_load(with_users: bool):
        """Load the demo; running it again changes nothing."""
        try:
            plan = demo.load_demo()
            created = demo.ensure_demo_users(_first_run_password("demo-password")) if with_users else []
            db.session.commit()
        except DomainError as error:
            _fail(error)
        click.echo(f"Kế hoạch {plan.code}: {len(plan.classes)} lớp, "
                   f"{sum(len(c.sessions) for c in plan.classes)} buổi.")
        for email in created:
            click.echo(f"Đã tạo tài khoản demo {email}")

    @app.cli.group("users")
    def users_group():
        """Accounts."""

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
            org = db.session.scalar(select(Organisation).where(Organisation.code == org_code))
            if org is None:
                raise click.ClickException(f"Không có đơn vị mã {org_code}.")
            org_id = org.id
        try:
            user = accounts.create_user(None, accounts.UserInput(
                email=email, role=role, full_name=full_name, organisation_id=org_id), password)
            db.session.commit()
        except DomainError as error:
            _fail(error)
        click.echo(f"Đã tạo tài khoản {user.email} ({user.role}).")

    @users_group.command("list")
    def users_list():
        """List accounts."""
        for user in db.session.scalars(select(User).order_by(User.email)):
            org = user.organisation.code if user.organisation else "-"
            state = "" if user.is_active_account else " (đã khóa)"
            click.echo(f"{user.email}\t{user.role}\t{org}{state}")

    @users_group.command("ensure-admin")
    def users_ensure_admin():
        """Create the first admin if there is none, and say how to log in."""
        password = _first_run_password("admin-password")
        if db.session.scalar(select(User).where(User.role == "admin")) is None:
            accounts.create_user(None, accounts.UserInput(email=ADMIN_EMAIL, role="admin",
                                                          full_name="Quản trị hệ thống"), password)
            db.session.commit()
        click.echo(f"Đăng nhập: {ADMIN_EMAIL} / mật khẩu ban đầu: {password}  "
                   f"(lưu ở {INSTANCE_DIR / 'admin-password'}; đổi mật khẩu sau khi đăng nhập)")

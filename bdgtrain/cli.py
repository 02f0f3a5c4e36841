"""Flask commands: `flask --app wsgi demo load`, `users create`, `users list`, `users ensure-admin`.

Each command commits once at its end, like a request.
"""
from __future__ import annotations

import json
import secrets

import click
from flask import Flask
from sqlalchemy import select

from .config import INSTANCE_DIR
from .errors import DomainError
from .extensions import db
from .models import ROLES, Organisation, Plan, TrainingClass, User
from .services.accounts import accounts
from .services.demo import demo

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


def run_import(attempt, as_json: bool) -> dict:
    """Run an all-or-nothing import: `attempt()` returns (report, written); commit only what was written.

    A refusal of the whole file (DomainError) prints one JSON error object with exit status 2 under
    --json, or a plain message.
    """
    try:
        report, written = attempt()
        if written:
            db.session.commit()
        else:
            db.session.rollback()
        return report
    except DomainError as error:
        db.session.rollback()
        if as_json:
            click.echo(json.dumps({"error": {"code": error.code, "message": error.message}}, ensure_ascii=False))
            raise SystemExit(2) from None
        raise click.ClickException(error.message) from None


def find_class(plan_code: str | None, class_code: str) -> TrainingClass:
    query = select(TrainingClass).where(TrainingClass.code == class_code.upper())
    if plan_code:
        query = query.join(Plan).where(Plan.code == plan_code.upper())
    classes = db.session.scalars(query).all()
    if not classes:
        raise click.ClickException(f"Không có lớp mã {class_code}.")
    if len(classes) > 1:
        raise click.ClickException(f"Có {len(classes)} lớp mã {class_code}: hãy thêm --plan.")
    return classes[0]


def _class_and_org(plan_code: str | None, class_code: str, org_code: str):
    cls = find_class(plan_code, class_code)
    org = db.session.scalar(select(Organisation).where(Organisation.code == org_code.upper()))
    if org is None:
        raise click.ClickException(f"Không có đơn vị mã {org_code}.")
    return cls, org


def register_cli(app: Flask) -> None:
    from .cli_calendar import register_calendar_cli
    from .cli_checkin import register_checkin_cli
    from .cli_feedback import register_feedback_cli
    from .cli_ops import register_ops_cli
    from .cli_pool import register_pool_cli
    from .cli_privacy import register_privacy_cli
    register_checkin_cli(app)
    register_pool_cli(app)
    register_calendar_cli(app)
    register_ops_cli(app)
    register_feedback_cli(app)
    register_privacy_cli(app)

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

    @demo_group.command("lists")
    @click.argument("folder", type=click.Path(file_okay=False))
    def demo_lists(folder):
        """Write the two agencies' sample lists for Lớp 3 into FOLDER, to try `lists import` or the upload page."""
        from pathlib import Path

        from .services.demo.lists import sample_lists

        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        for name, content in sample_lists().items():
            (target / name).write_bytes(content)
            click.echo(target / name)

    @demo_group.command("attendance")
    @click.option("--class", "class_code", default="LOP-3", show_default=True)
    def demo_attendance(class_code):
        """Mark sample attendance in a demo class's past sessions (some late, some absent), for the monitor's view."""
        from .models.base import utcnow
        from .services.demo.attendance import mark_demo_attendance

        from .services.reporting import completions

        added = mark_demo_attendance(find_class(demo.PLAN_CODE, class_code), utcnow())
        db.session.commit()
        completions.refresh()  # as the check-in sweep would: the demo's reports read stored completions
        db.session.commit()
        click.echo(f"{class_code}: {added} dòng điểm danh mẫu đã ghi.")

    @demo_group.command("pool")
    @click.argument("file", type=click.Path(dir_okay=False, writable=True))
    def demo_pool(file):
        """Write a sample Hà Tĩnh planning pool to FILE (some of Lớp 3's women among them), for `pool import`."""
        from .services.demo.pool import sample_pool

        with open(file, "wb") as handle:
            handle.write(sample_pool())
        click.echo(file)

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

    @app.cli.group("lists")
    def lists_group():
        """Participant lists."""

    @lists_group.command("import")
    @click.option("--class", "class_code", required=True, help="Class code, e.g. LOP-3.")
    @click.option("--plan", "plan_code", help="Plan code, when the class code is not unique across plans.")
    @click.option("--source", "source_code", required=True, help="Code of the agency sending the list, e.g. SNV.")
    @click.option("--dry-run", is_flag=True, help="Read and match only; write nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def lists_import(class_code, plan_code, source_code, dry_run, as_json, file):
        """Import a list for a class, all or nothing (exit 1 when any row is rejected)."""
        from pathlib import Path

        from .localtime import local_today
        from .services.lists import lists

        cls, source = _class_and_org(plan_code, class_code, source_code)
        path = Path(file)
        report = run_import(lambda: lists.import_file(None, cls, source, path.name, path.read_bytes(), local_today(),
                                                      dry_run=dry_run), as_json)
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False))
        else:
            click.echo(f"{report['rows']} dòng: {report['added']} người mới, {report['matched']} đã có, "
                       f"{report['merged']} trùng với đơn vị khác, {report['unchanged']} không đổi, "
                       f"{len(report['flagged'])} nghi trùng, {len(report['rejected'])} lỗi.")
            for problem in report["rejected"]:
                click.echo(f"  dòng {problem['row']}, cột {problem['column']}: {problem['message']}")
            for warning in report["quota"]:
                click.echo(f"  vượt chỉ tiêu: {warning}")
            click.echo("Đã ghi." if report["written"] else "Chưa ghi gì.")
        if report["rejected"]:
            raise SystemExit(1)

    @lists_group.command("template")
    @click.argument("shape")
    @click.argument("file", type=click.Path(dir_okay=False, writable=True))
    def lists_template(shape, file):
        """Write the import template of a list shape (snv, hlhpn) to FILE."""
        from .importers.person_list import LIST_SHAPES, template_workbook

        if shape not in LIST_SHAPES:
            raise click.ClickException(f"Không có mẫu {shape}; có: {', '.join(LIST_SHAPES)}")
        with open(file, "wb") as handle:
            handle.write(template_workbook(shape))
        click.echo(f"Đã ghi mẫu {LIST_SHAPES[shape]} vào {file}")

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

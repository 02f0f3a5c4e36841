"""What the command groups share: finding a class, a plan or a unit by its code, failing with a
message, running an all-or-nothing import, and the first-run passwords kept in instance/.

Commands print Vietnamese: the CLI is the operators' tool, in the working language.
"""
from __future__ import annotations

import json
import secrets
from typing import NoReturn

import click
from sqlalchemy import select

from ..config import INSTANCE_DIR
from ..errors import DomainError
from ..extensions import db
from ..models import Organisation, Plan, TrainingClass
from ..services.planning import lookups, orgs


def fail(error: DomainError) -> NoReturn:
    """Refuse with the service's message (exit 1), writing nothing."""
    db.session.rollback()
    raise click.ClickException(error.message) from None


def first_run_password(name: str) -> str:
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


def find_org(code: str, *, as_typed: bool = False) -> Organisation:
    """The unit with this code (upper-cased unless `as_typed`), or exit 1 saying there is none."""
    try:
        return orgs.get_org(code if as_typed else code.upper())
    except DomainError:
        raise click.ClickException(f"Không có đơn vị mã {code}.") from None


def find_plan(code: str) -> Plan:
    try:
        return lookups.get_plan(code.upper())
    except DomainError:
        raise click.ClickException(f"Không có kế hoạch mã {code}.") from None


def check_exists(model, record_id: int, label: str) -> int:
    if db.session.get(model, record_id) is None:
        raise click.ClickException(f"Không có {label} mã số {record_id}.")
    return record_id

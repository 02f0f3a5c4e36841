"""Accounts: creating users, changing roles and passwords, checking a login."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ...errors import DomainError
from ...extensions import db
from ...models import ROLES, ROLES_NEEDING_ORG, Organisation, User
from ...models.base import utcnow
from ...rules.names import fold, tidy_text
from ..core import audit
from . import api_tokens

USER_FIELDS = ("email", "full_name", "role", "organisation_id", "is_active_account")
MIN_PASSWORD_LENGTH = 10


@dataclass
class UserInput:
    email: str
    role: str
    full_name: str = ""
    organisation_id: int | None = None
    is_active_account: bool = True


# A login is an address on the province's own mail system, which may well be an intranet name
# such as "@sldtbxh.local": check the shape only (email-validator refuses such domains).
_EMAIL = re.compile(r"^[^@\s]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 255 or not _EMAIL.match(email):
        raise DomainError("user.bad_email", _l("Địa chỉ e-mail \"%(email)s\" không hợp lệ.", email=raw), field="email")
    return email


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("user.weak_password",
                          _l("Mật khẩu phải có ít nhất %(num)s ký tự.", num=MIN_PASSWORD_LENGTH), field="password")


def _validate(data: UserInput, user: User | None) -> str:
    email = normalise_email(data.email)
    conditions = [func.lower(User.email) == email]
    if user is not None:
        conditions.append(User.id != user.id)
    if db.session.scalar(select(exists().where(*conditions))):
        raise DomainError("user.duplicate_email", _l("Đã có tài khoản với e-mail %(email)s.", email=email),
                          field="email")
    if data.role not in ROLES:
        raise DomainError("user.bad_role", _l("Vai trò không hợp lệ."), field="role")
    if data.role in ROLES_NEEDING_ORG and data.organisation_id is None:
        raise DomainError("user.org_required", _l("Vai trò này cần chọn đơn vị của người dùng."),
                          field="organisation_id")
    if data.organisation_id is not None and db.session.get(Organisation, data.organisation_id) is None:
        raise DomainError("org.unknown", _l("Đơn vị được chọn không tồn tại."), field="organisation_id")
    return email


def create_user(actor: User | None, data: UserInput, password: str) -> User:
    email = _validate(data, None)
    check_password_strength(password)
    user = User(email=email, full_name=tidy_text(data.full_name), role=data.role,
                organisation_id=data.organisation_id, is_active_account=data.is_active_account)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    user.search_text = fold(f"{email} {user.full_name}")
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", user, after=audit.snapshot(user, USER_FIELDS), summary=email)
    return user


def update_user(actor: User | None, user: User, data: UserInput) -> User:
    email = _validate(data, user)
    if actor is not None and actor.id == user.id and (data.role != "admin" or not data.is_active_account):
        raise DomainError("user.self_lockout", _l("Bạn không thể tự bỏ quyền quản trị hoặc khóa tài khoản của mình."),
                          field="role")
    before = audit.snapshot(user, USER_FIELDS)
    was_active = user.is_active_account
    user.email, user.full_name, user.role = email, tidy_text(data.full_name), data.role
    user.organisation_id = data.organisation_id
    user.is_active_account = data.is_active_account
    user.search_text = fold(f"{email} {user.full_name}")
    if was_active and not user.is_active_account:
        user.session_version += 1  # a disabled account is logged out everywhere
    api_tokens.clear_cache()  # her scanners' tokens answer with her new role (other processes: within 30 s)
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(user, USER_FIELDS))
    if new:
        audit.record(actor, "user.updated", user, before=old, after=new, summary=email)
    return user


def set_password(actor: User | None, user: User, password: str) -> None:
    check_password_strength(password)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.flush()
    audit.record(actor, "user.password.changed", user, summary=user.email)


class LoginAttempt:
    """What a failed login for an address without an account is recorded against in the audit log."""

    id = None


_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash of a random password made with the method real passwords are hashed with, so that an
    unknown address costs the same hash check as a known one (no account enumeration by timing)."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _dummy_hashes[method]


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same answer, and the same single password
    hash check, for every kind of failure. A failure is audited as "auth.login.failed" with the address
    as typed (never the password); the caller commits it although the login is refused."""
    typed = email.strip()
    user = db.session.scalar(select(User).where(func.lower(User.email) == typed.lower()))
    matches = check_password_hash(user.password_hash if user is not None else _dummy_hash(), password)
    if user is None or not matches or not user.is_active_account:
        reason = "unknown_account" if user is None else "wrong_password" if not matches else "disabled"
        event = audit.record(None, "auth.login.failed", user if user is not None else LoginAttempt(),
                             after={"reason": reason}, summary=typed[:255])
        event.actor_label = "anonymous"
        return None
    user.last_login_at = utcnow()
    audit.record(user, "user.login", user, summary=user.email)
    return user


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError("not_found", _l("Không tìm thấy tài khoản."))
    return user


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail (stored normalised: trimmed, lower case), or None."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def has_admin() -> bool:
    return db.session.scalar(select(exists().where(User.role == "admin"))) or False


def query_users(q: str = ""):
    """Accounts by e-mail, those whose name or e-mail holds `q` (accents and case folded), as a query to page;
    each with her organisation (the list shows it: one statement, not one per organisation)."""
    query = select(User).options(joinedload(User.organisation)).order_by(User.email)
    if q:
        query = query.where(User.search_text.contains(fold(q), autoescape=True))
    return query


def list_users() -> list[User]:
    return list(db.session.scalars(query_users()))

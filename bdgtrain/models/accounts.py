"""Accounts of the people who log in: admins, organisers, list suppliers and monitors.

Participants have no account: they reach their own pages through signed links.
"""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import TimestampMixin, UTCDateTime
from .org import Organisation

ROLES = ("admin", "organiser", "supplier", "monitor")
# Every role but admin acts for one organisation.
ROLES_NEEDING_ORG = ("organiser", "supplier", "monitor")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'organiser', 'supplier', 'monitor')", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(255), default="")
    search_text: Mapped[str] = mapped_column(String(600), default="")  # fold()ed e-mail and name
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changes when the password changes or the account is disabled, ending every open session.
    session_version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation | None] = relationship()

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    # The token of the login session this object was loaded for (LoginSession), set at login and by
    # the session loader; not a column.
    login_token = None  # str | None; an unannotated class attribute, so the ORM leaves it alone

    def get_id(self) -> str:
        # Flask-Login keeps this in the session cookie (and the remember-me cookie). The version makes
        # every cookie invalid after a password change; the token names one login session, which
        # logging out ends on the server, so that a copy of the cookie is worth nothing afterwards.
        return f"{self.id}:{self.session_version}:{self.login_token or ''}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginSession(db.Model):
    """One login of a user on one browser, until she logs out there (or from everywhere).

    The cookie holds a random token; only its SHA-256 is stored, so a copy of this table opens no
    session. Logging out sets ended_at; ended and expired rows are removed at her next login.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

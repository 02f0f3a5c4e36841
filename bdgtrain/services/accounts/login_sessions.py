"""Login sessions: one per login on one browser, until she logs out there or ends her other sessions.

Flask's session is a signed cookie that the server does not remember: without a row here, logging out
only emptied this browser's cookie, and a copy of it (from a shared computer in a training hall) kept
working. The cookie (and the remember-me cookie) now names a row by a random token, whose SHA-256
alone is stored; a cookie whose row has ended, or is older than REMEMBER_COOKIE_DURATION, is anonymous.
A password change or a disabled account still ends every session at once (User.session_version).
"""
from __future__ import annotations

import hashlib
import secrets
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, or_, select, update

from ...extensions import db
from ...models import LoginSession, User
from ...models.base import utcnow
from ..core import audit

TOKEN_BYTES = 24


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_open():
    return utcnow() - current_app.config["REMEMBER_COOKIE_DURATION"]


def start(user: User, user_agent: str) -> str:
    """A new session for a user who has just proved who she is; her ended and expired ones are removed."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id, or_(
        LoginSession.ended_at.is_not(None), LoginSession.created_at < _oldest_open())))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(LoginSession(user_id=user.id, token_hash=_digest(token), user_agent=(user_agent or "")[:255],
                                created_at=utcnow()))
    db.session.flush()
    user.login_token = token
    return token


@cache
def _open_session_user():
    """The statement of `load_user`, built once: every request with a cookie runs it, and building it
    (a join and five conditions) cost about a fifth of the check."""
    return select(User).join(LoginSession, LoginSession.user_id == User.id).where(
        User.id == bindparam("user_id"), User.session_version == bindparam("version"),
        LoginSession.token_hash == bindparam("digest"), LoginSession.ended_at.is_(None),
        LoginSession.created_at >= bindparam("oldest"))


def load_user(session_id: str) -> User | None:
    """The user a cookie names ("id:version:token"), if that session is still open; one query."""
    user_id, version, token = (session_id.split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and token):
        return None  # includes every cookie written before login sessions existed
    user = db.session.scalar(_open_session_user(), {"user_id": int(user_id), "version": int(version),
                                                    "digest": _digest(token), "oldest": _oldest_open()})
    if user is not None:
        user.login_token = token
    return user


def current(user: User) -> LoginSession | None:
    if not user.login_token:
        return None
    return db.session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(user.login_token)))


def open_sessions(user: User) -> list[LoginSession]:
    """Her sessions that a cookie can still use, the newest first."""
    return list(db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None), LoginSession.created_at >= _oldest_open(),
    ).order_by(LoginSession.created_at.desc(), LoginSession.id.desc())))


def end(user: User) -> None:
    """Logging out: this browser's session ends on the server too."""
    session = current(user)
    if session is not None and session.ended_at is None:
        session.ended_at = utcnow()
        audit.record(user, "user.logout", user, summary=user.email)
        db.session.flush()


def end_others(user: User) -> int:
    """Every other open session of hers ends (a phone left logged in, a hall's computer); returns how many."""
    keep = _digest(user.login_token) if user.login_token else ""
    ended = db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None), LoginSession.token_hash != keep,
    ).values(ended_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    audit.record(user, "user.sessions.ended_others", user, summary=f"{user.email}: {ended}")
    db.session.flush()
    return ended


_BROWSERS = (("coc_coc_browser", _l("Cốc Cốc")), ("Zalo", "Zalo"), ("Edg", "Edge"), ("OPR", "Opera"),
             ("Firefox", "Firefox"), ("Chrome", "Chrome"), ("Chromium", "Chromium"), ("Safari", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe_browser(user_agent: str) -> str:
    """"Chrome · Android" from a User-Agent header, for the list of her sessions; the first match wins,
    in an order where each browser's own token comes before the ones it also claims (Edge says Chrome
    and Safari too). Empty when nothing is recognised."""
    browser = str(next((name for token, name in _BROWSERS if token in user_agent), ""))
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)

"""Bearer tokens for scanner devices and scripts: shown once, stored as a digest, revocable.

A scanner sends its token with every scan, so the token's user is kept in a small per-process
cache for API_TOKEN_CACHE_SECONDS (30 by default, as the calendar feeds). A revoked token, or a
disabled or changed account, therefore keeps working for at most that long on other worker
processes; revoking a token or changing a user clears this process's cache at once.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import make_transient_to_detached

from ... import database
from ...extensions import db
from ...models import ApiToken, User
from ...models.base import utcnow
from ..core import audit

PREFIX = "bdg_"
# What a token may call (models.ApiToken.scope): a door scanner's token only scans (and downloads its
# class's roster for offline scanning); a script's token gets its user's whole API.
SCOPES = ("checkin", "full")
CHECKIN_SCOPE, FULL_SCOPE = SCOPES
_TOUCH_EVERY = timedelta(hours=1)  # last_used_at is a hint; writing it on every scan would cost a write


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor: User | None, user: User, label: str, scope: str = CHECKIN_SCOPE) -> tuple[str, ApiToken]:
    """A new token (returned once, in clear) for `user`, check-in only unless `scope` is "full"."""
    if scope not in SCOPES:
        raise ValueError(f"unknown API token scope {scope!r}")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, label=label.strip()[:120] or "scanner", digest=_digest(token), scope=scope)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "api_token.created", row, after={"user": user.email, "label": row.label, "scope": scope})
    return token, row


# The token's user and scope in one statement, built once; a revoked token finds nobody.
_USER_FOR_DIGEST = (select(User, ApiToken.id, ApiToken.last_used_at, ApiToken.scope)
                    .join(ApiToken, ApiToken.user_id == User.id)
                    .where(ApiToken.digest == bindparam("digest"), ApiToken.revoked_at.is_(None)))


_cache: dict[str, tuple[float, User, str]] = {}  # digest -> (expires, a detached copy of the user, scope)
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def user_for_token(token: str | None) -> User | None:
    found = user_and_scope_for_token(token)
    return found[0] if found is not None else None


def user_and_scope_for_token(token: str | None) -> tuple[User, str] | None:
    """(the token's active user, the token's scope), or None for an unknown, revoked or disabled one."""
    if not token or not token.startswith(PREFIX):
        return None
    digest = _digest(token.strip())
    ttl = current_app.config.get("API_TOKEN_CACHE_SECONDS", 0)
    hit = _cache.get(digest) if ttl > 0 else None
    if hit is not None and hit[0] > time.monotonic():
        # The cached copy is shared between threads and never attached; this request gets its own.
        return db.session.merge(hit[1], load=False), hit[2]
    row = db.session.execute(_USER_FOR_DIGEST, {"digest": digest}).first()
    if row is None or not row.User.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        database.take_write_lock(db.session)  # a write: a read-first request (SQLite) takes the lock here
        db.session.execute(update(ApiToken.__table__).where(ApiToken.__table__.c.id == row.id)
                           .values(last_used_at=now))
    if ttl > 0:
        copy = User(**{a.key: getattr(row.User, a.key) for a in User.__mapper__.column_attrs})
        make_transient_to_detached(copy)
        with _cache_lock:
            if len(_cache) > 1_000:
                _cache.clear()
            _cache[digest] = (time.monotonic() + ttl, copy, row.scope)
    return row.User, row.scope


def revoke_token(actor: User | None, row: ApiToken) -> None:
    clear_cache()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(actor, "api_token.revoked", row, after={"label": row.label})


def find_token(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))

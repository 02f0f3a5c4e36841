"""Bearer tokens for scanner devices and scripts: shown once, stored as a digest, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ApiToken, User
from ..models.base import utcnow
from . import audit

PREFIX = "bdg_"
_TOUCH_EVERY = timedelta(hours=1)  # last_used_at is a hint; writing it on every scan would cost a write


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor: User | None, user: User, label: str) -> tuple[str, ApiToken]:
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, label=label.strip()[:120] or "scanner", digest=_digest(token))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "api_token.created", row, after={"user": user.email, "label": row.label})
    return token, row


def user_for_token(token: str | None) -> User | None:
    if not token or not token.startswith(PREFIX):
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token.strip()))
                            .options(joinedload(ApiToken.user)))  # one statement per request
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        row.last_used_at = now
    return row.user


def revoke_token(actor: User | None, row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(actor, "api_token.revoked", row, after={"label": row.label})


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))

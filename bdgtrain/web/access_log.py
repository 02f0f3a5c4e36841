"""The personal-data access log of one request (services/privacy/access_log.py writes it).

A view notes what it showed with `record_access`; the entries wait in `g` until the request boundary
writes them all at once (`write_pending`, one INSERT), also for GET requests, which otherwise commit
nothing. A refused request (4xx/5xx) writes none (`discard_pending`).
"""
from __future__ import annotations

from typing import Any

from flask import g
from flask_login import current_user

from ..models import User
from ..services.privacy import access_log

_PENDING = "_personal_data_accesses"  # in `g`: the request's entries, in the order the views noted them


def record_access(action: str, *, actor: User | None = None, **what: Any) -> None:
    """Note that `actor` (default: the logged-in user, else "anonymous") saw or exported personal data;
    `what` as for services.privacy.access_log.access_entry."""
    if actor is None and getattr(current_user, "is_authenticated", False):
        actor = current_user
    entry = access_log.access_entry(action, actor=actor, actor_label="anonymous", **what)
    g.setdefault(_PENDING, []).append(entry)


def write_pending() -> bool:
    """Write this request's entries (once); True when there were any (the caller commits)."""
    return access_log.write_entries(g.pop(_PENDING, None) or [])


def discard_pending() -> None:
    g.pop(_PENDING, None)

"""Calendar feed links: creating, rotating and revoking them, and finding a feed from its URL.

A link carries a token signed over its CalendarFeed row (purpose FEED), never a person's or a
class's id. Rotating revokes the row and starts a new one; a revoked or unknown token finds
nothing. A plan set to "public" also serves its own and its classes' feeds at addresses made of
their codes.

Answering a calendar client that already holds the feed must be cheap (Google, Outlook and Apple
poll every few hours, for years): the feed's version is kept in a small per-process cache for
CALENDAR_VERSION_CACHE_SECONDS (30 by default). A change, or a revoked link, therefore reaches
clients at most that much later; revoking or rotating clears this process's cache at once.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...links import external_url
from ...models import FEED_TARGETS, CalendarFeed, Plan, TrainingClass, User
from ...models.base import utcnow
from ...security import FEED, read_token, sign_token
from ..core import audit
from .calendar_content import FeedVersion, Scope, feed_version

# --- links ------------------------------------------------------------------------------------

def current_feed(kind: str, target_id: int) -> CalendarFeed | None:
    column = getattr(CalendarFeed, FEED_TARGETS[kind])
    return db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.kind == kind, column == target_id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc()).limit(1))


def _subject_label(kind: str, target_id: int) -> str:
    return f"{kind}:{target_id}"


def ensure_feed(actor: User | None, kind: str, target_id: int) -> CalendarFeed:
    """The subject's live feed, started if it has none (an invitation e-mail needs one)."""
    feed = current_feed(kind, target_id)
    if feed is not None:
        return feed
    feed = CalendarFeed(kind=kind, created_by_id=actor.id if actor else None, **{FEED_TARGETS[kind]: target_id})
    db.session.add(feed)
    db.session.flush()
    audit.record(actor, "calendar.feed.created", feed, summary=_subject_label(kind, target_id))
    return feed


def rotate_feed(actor: User | None, kind: str, target_id: int) -> CalendarFeed:
    """A new link for the subject; the old one, if any, stops working."""
    old = current_feed(kind, target_id)
    if old is not None:
        old.revoked_at = utcnow()
    feed = CalendarFeed(kind=kind, created_by_id=actor.id if actor else None, **{FEED_TARGETS[kind]: target_id})
    db.session.add(feed)
    db.session.flush()
    audit.record(actor, "calendar.feed.rotated" if old else "calendar.feed.created", feed,
                 before={"feed_id": old.id} if old else None, after={"feed_id": feed.id},
                 summary=_subject_label(kind, target_id))
    clear_cache()
    return feed


def revoke_feed(actor: User | None, kind: str, target_id: int) -> None:
    feed = current_feed(kind, target_id)
    if feed is None:
        raise DomainError("calendar.no_feed", _l("Chưa có đường dẫn lịch nào để thu hồi."))
    feed.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "calendar.feed.revoked", feed, before={"feed_id": feed.id},
                 summary=_subject_label(kind, target_id))
    clear_cache()


def set_plan_access(actor: User | None, plan: Plan, access: str) -> None:
    if access not in ("public", "token"):
        raise DomainError("calendar.bad_access", _l("Chế độ chia sẻ lịch không hợp lệ."), field="access")
    if plan.calendar_access == access:
        return
    before = plan.calendar_access
    plan.calendar_access = access
    db.session.flush()
    audit.record(actor, "calendar.plan.access_changed", plan, before={"calendar_access": before},
                 after={"calendar_access": access}, summary=plan.code)
    clear_cache()


def feed_token(feed: CalendarFeed) -> str:
    return sign_token(FEED, feed.id)


def feed_url(feed: CalendarFeed, base_url: str) -> str:
    return external_url("calendar.feed", base_url, token=feed_token(feed))


def public_url(plan: Plan, cls: TrainingClass | None = None, *, base_url: str) -> str:
    if cls is None:
        return external_url("calendar.public_plan_feed", base_url, code=plan.code)
    return external_url("calendar.public_class_feed", base_url, code=plan.code, class_code=cls.code)


def shareable_url(actor: User | None, kind: str, target_id: int, base_url: str) -> str:
    """The link to hand out for a subject's feed: a public plan's (or its class's) address, else its
    token link, started if it has none (the caller commits)."""
    if kind in ("plan", "class"):
        cls = db.session.get(TrainingClass, target_id) if kind == "class" else None
        plan = cls.plan if cls is not None else db.session.get(Plan, target_id)
        if plan.calendar_access == "public":
            return public_url(plan, cls, base_url=base_url)
    return feed_url(ensure_feed(actor, kind, target_id), base_url)


@dataclass(frozen=True)
class SubscribeLinks:
    """What a page offers for one feed: the https URL to copy, webcal:// and Google's subscribe link."""

    https: str
    webcal: str
    google: str


def subscribe_links(https_url: str) -> SubscribeLinks:
    webcal = "webcal://" + https_url.split("://", 1)[1]
    return SubscribeLinks(https=https_url, webcal=webcal,
                          google="https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=":/"))


# --- finding a feed from a request, with its version ----------------------------------------------

@dataclass(frozen=True)
class FeedState:
    scope: Scope
    version: FeedVersion
    public: bool


_cache: dict[tuple, tuple[float, FeedState | None]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple, compute) -> FeedState | None:
    ttl = current_app.config.get("CALENDAR_VERSION_CACHE_SECONDS", 0)
    if ttl > 0:
        hit = _cache.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
    state = compute()
    if ttl > 0:
        with _cache_lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[key] = (time.monotonic() + ttl, state)
    return state


def _state(scope: Scope, public: bool, base_url: str) -> FeedState | None:
    # The base URL shapes the feed's links, so it is part of the version (and of the cache's key).
    version = feed_version(scope, salt=base_url)
    return FeedState(scope, version, public) if version is not None else None


def state_for_token(token: str, base_url: str) -> FeedState | None:
    """The feed a subscription token opens, with its version; None for an unknown or revoked token.
    `base_url`: the address the feed is asked at, which its links use."""
    feed_id = read_token(FEED, token)
    if feed_id is None:
        return None

    def compute():
        feed = db.session.get(CalendarFeed, feed_id)
        if feed is None or feed.is_revoked:
            return None
        return _state(Scope(feed.kind, feed.target_id), False, base_url)

    return _cached(("token", feed_id, base_url), compute)


def state_for_public(plan_code: str, class_code: str | None = None, *, base_url: str) -> FeedState | None:
    """A public plan's feed, or one of its classes'; None unless the plan's calendars are public."""

    def compute():
        plan = db.session.scalar(select(Plan).where(Plan.code == plan_code))
        if plan is None or plan.calendar_access != "public":
            return None
        if class_code is None:
            return _state(Scope("plan", plan.id), True, base_url)
        class_id = db.session.scalar(select(TrainingClass.id).where(
            TrainingClass.plan_id == plan.id, TrainingClass.code == class_code))
        return _state(Scope("class", class_id), True, base_url) if class_id else None

    return _cached(("public", plan_code, class_code, base_url), compute)


def cache_seconds() -> int:
    """How long a client may reuse a feed without asking: a third of the refresh interval it is told."""
    return max(60, current_app.config["CALENDAR_REFRESH_MINUTES"] * 60 // 3)

"""The layout's main menu, drawn once and reused.

Every page's header lists up to twelve sections, each shown when the user holds its permission and
marked as the current one when the request is in it. Drawn by the template, that was a dozen
permission checks, URL builds and translations on every page (about a third of a small page's
layout). The menu's HTML depends only on the app's script root, the locale, which entries the user
may see and which are current, so it is drawn once per such combination and kept on the app; the
permissions are still checked on every request.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from ..security import user_can


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object                 # a lazy string, translated when the menu is drawn
    permission: str | None        # None: every logged-in user
    blueprint: str                # the section the item stands for
    keyword: str | None = None    # within a blueprint shared by two items, a word of the endpoint

    def is_current(self, blueprint: str | None, endpoint: str | None) -> bool:
        return blueprint == self.blueprint and (self.keyword is None or self.keyword in (endpoint or ""))


NAV_ITEMS = (
    NavItem("main.dashboard", _l("Tổng quan"), None, "main", "dashboard"),
    NavItem("plans.list_plans", _l("Kế hoạch"), "plan.list", "plans"),
    NavItem("monitoring.index", _l("Giám sát"), "monitor.dashboard", "monitoring"),
    NavItem("pool.index", _l("Diện quy hoạch"), "pool.list", "pool"),
    NavItem("lists.list_duplicates", _l("Nghi trùng"), "person.merge", "lists", "duplicates"),
    NavItem("orgs.list_organisations", lazy_pgettext("section", "Đơn vị"), "org.view", "orgs"),
    NavItem("training_records.list_records", _l("Đào tạo ngoài"), "training_records.view", "training_records"),
    NavItem("directory.list_trainers", _l("Giảng viên"), "directory.view", "directory", "trainer"),
    NavItem("directory.list_venues", lazy_pgettext("section", "Địa điểm"), "directory.view", "directory", "venue"),
    NavItem("users.list_users", _l("Tài khoản"), "user.manage", "users"),
    NavItem("audit.list_events", _l("Nhật ký"), "audit.view", "audit"),
    NavItem("privacy.access_log_page", _l("Dữ liệu cá nhân"), "privacy.manage", "privacy"),
)

# Combinations are few (two locales, a handful of roles, one current section each); the bound only
# guards against a surprise.
_CACHE_KEY, _URLS_KEY, _CACHE_LIMIT = "bdgtrain.main_nav", "bdgtrain.layout_urls", 512


def main_nav() -> Markup:
    """The header's menu for the logged-in user of this request (empty for anyone else)."""
    user = current_user._get_current_object()
    if not getattr(user, "is_authenticated", False):
        return Markup("")
    shown = tuple(item.permission is None or user_can(user, item.permission) for item in NAV_ITEMS)
    blueprint, endpoint = request.blueprint, request.endpoint
    current = tuple(item.is_current(blueprint, endpoint) for item in NAV_ITEMS)
    key = (request.script_root, str(get_locale() or "vi"), shown, current)
    drawn = current_app.extensions.setdefault(_CACHE_KEY, {})
    html = drawn.get(key)
    if html is None:
        if len(drawn) >= _CACHE_LIMIT:
            drawn.clear()
        html = drawn[key] = _draw(shown, current)
    return html


def layout_url(endpoint: str, **values) -> str:
    """url_for for the layout's fixed links (its style sheets, scripts, the logout and language forms),
    built once per script root: they are the same on every page."""
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    built = current_app.extensions.setdefault(_URLS_KEY, {})
    url = built.get(key)
    if url is None:
        if len(built) >= _CACHE_LIMIT:
            built.clear()
        url = built[key] = url_for(endpoint, **values)
    return url


def _draw(shown: tuple[bool, ...], current: tuple[bool, ...]) -> Markup:
    marked = ' aria-current="page"'
    entries = "".join(
        f'<li><a href="{escape(url_for(item.endpoint))}"{marked if is_current else ""}>'
        f"{escape(str(item.label))}</a></li>"
        for item, is_shown, is_current in zip(NAV_ITEMS, shown, current) if is_shown)
    name = escape(_("Điều hướng chính"))
    return Markup(f'<nav class="container main-nav" aria-label="{name}"><ul>{entries}</ul></nav>')

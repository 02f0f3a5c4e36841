"""Absolute links to our own pages (tickets, feeds, feedback forms, certificates), from a base URL.

Services that put a link in a QR code, an e-mail, a feed or the CLI's output are given the base URL
by their caller: a web request passes its own address (so a hall laptop's LAN address keeps
working), the CLI and the mail sender BDGTRAIN_BASE_URL (config BASE_URL). The path comes from the
app's URL map, never written out here.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, base_url: str, **values) -> str:
    """The absolute URL of `endpoint` under `base_url` (scheme, host and any path prefix)."""
    parts = urlsplit(base_url)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)

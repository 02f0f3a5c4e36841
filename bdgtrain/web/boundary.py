"""The request boundary: the request's one commit, the security headers every answer carries (with
`Cache-Control: private, no-store` unless a view chose otherwise), and the refusal of input nothing
can store (input_guard).

A write request (POST, PUT, PATCH, DELETE) that answers below 400 commits what its service flushed;
anything else is rolled back when Flask-SQLAlchemy removes the session at the end of the request.
A read that showed personal data commits only its access-log entries (web/access_log.py).
"""
from __future__ import annotations

from flask import Flask, request

from ..extensions import db
from . import access_log
from .input_guard import refuse_unstorable_input

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Features Chromium and Firefox both know (an unknown one is a console warning on every page).
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
# Sent with every answer unless the view set its own value.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    # The scanner needs the camera on our own pages; nothing needs the rest.
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


# Pages and files name people (rosters, pools, compliance, person pages, exports, scans): no browser,
# proxy or shared computer keeps a copy. Every dynamic answer is sent with this unless its view chose
# a lifetime of its own (calendar feeds, a ticket's QR image, a chart: max-age) or is listed below.
NO_STORE = "private, no-store"
CACHEABLE_ENDPOINTS = frozenset({"static"})


def _chose_caching(value: str | None) -> bool:
    """Whether the view set a lifetime itself; a bare `no-cache` (what send_file sets) is no choice."""
    return bool(value) and ("max-age" in value or "no-store" in value)


def commit_request() -> None:
    """The request's one commit, when it wrote or logged a read of personal data; the request
    boundary calls it after a successful answer, or `web.common.commits_before_response` as soon as
    the view returns. The personal-data access log is written by reads too: one INSERT for the
    request's entries."""
    logged = access_log.write_pending()
    if request.method in WRITE_METHODS or logged:
        db.session.commit()


def register_request_boundary(app: Flask) -> None:
    """Refuse unstorable input before any view; commit after a successful answer; add the security headers."""
    app.before_request(refuse_unstorable_input)

    @app.after_request
    def _commit(response):
        if response.status_code >= 400:
            access_log.discard_pending()
            return response
        commit_request()
        return response

    @app.after_request
    def _security_headers(response):
        # One pass over what the view set (a page may set its own policy) instead of a lookup per
        # header: this hook runs on every request, scans included.
        headers = response.headers
        present = {name.lower() for name in headers.keys()}
        headers.extend([pair for pair in SECURITY_HEADERS if pair[0].lower() not in present])
        if request.endpoint not in CACHEABLE_ENDPOINTS and not _chose_caching(headers.get("Cache-Control")):
            headers["Cache-Control"] = NO_STORE
        if request.is_secure and app.config.get("HSTS_SECONDS"):
            # Over https only (behind nginx, PROXY_HOPS makes X-Forwarded-Proto count): a browser told
            # this over plain http would lock out the hall laptop's http://192.168... address.
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={int(app.config['HSTS_SECONDS'])}; includeSubDomains")
        return response

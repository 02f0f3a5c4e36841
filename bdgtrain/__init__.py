"""bdgtrain: planning, lists, check-in and reporting for gender-equality training classes.

`create_app` builds the Flask application: configuration, extensions, blueprints, error
handlers, the request's single commit, and the CLI.
"""
from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask, has_request_context, request, session
from flask_login import current_user

from .config import PROJECT_ROOT, load_config
from .database import is_sqlite, sqlite_engine_options, tune_postgres_engine, tune_sqlite_engine
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import translate
from .messages import Message

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


def create_app(config: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    settings = load_config(config)
    app.config.from_object(settings)
    app.config.update(overrides or {})
    settings.SECRET_KEY = app.config["SECRET_KEY"]  # overrides count too
    settings.validate()

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if is_sqlite(uri):
        options = sqlite_engine_options(app.config["SQLITE_BUSY_TIMEOUT"])
        options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    elif uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]

    if app.config.get("PROXY_HOPS"):
        # Behind nginx: trust its X-Forwarded-For/-Proto/-Host, so ticket links say https and the
        # rate limits see the phone's address, not the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)
    _register_request_boundary(app)
    _register_template_helpers(app)

    from .errors import register_error_handlers

    register_error_handlers(app)

    from .cli import register_cli

    register_cli(app)
    return app


# Parsed once: Flask-Babel would parse the name again on every request that translates (every scan).
_LOCALES = {name: Locale.parse(name) for name in ("vi", "en")}


def _select_locale() -> Locale:
    if not has_request_context():
        return _LOCALES["vi"]  # the CLI, e-mails and background work speak the working language
    chosen = session.get("locale")
    if chosen in _LOCALES:
        return _LOCALES[chosen]
    return _LOCALES["vi"]  # Vietnamese is the working language; English only when asked for


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables with the metadata)

    db.init_app(app)
    with app.app_context():
        if is_sqlite(app.config["SQLALCHEMY_DATABASE_URI"]):
            tune_sqlite_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])
        elif db.engine.dialect.name == "postgresql":
            tune_postgres_engine(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    if str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
        app.config["RATELIMIT_STORAGE_URI"] = "bdgtrain-memory://"  # the same counters, no thread per hit
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   timezone_selector=lambda: app.config["DISPLAY_TIMEZONE"])

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = Message("Vui lòng đăng nhập để tiếp tục.")
    login_manager.localize_callback = translate
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_id: str):
        from .services.accounts import login_sessions

        return login_sessions.load_user(session_id)


def _register_blueprints(app: Flask) -> None:
    from .web import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def commit_request() -> None:
    """The request's one commit, when it wrote or logged a read of personal data; the request
    boundary calls it after a successful answer, or `web.common.commits_before_response` as soon as
    the view returns. The personal-data access log is written by reads too: one INSERT for the
    request's entries."""
    from .services.privacy import access_log

    logged = access_log.write_pending()
    if request.method in WRITE_METHODS or logged:
        db.session.commit()


def _register_request_boundary(app: Flask) -> None:
    """One commit per request: a write request that succeeded (2xx or a redirect) commits what
    its service flushed; anything else (a refused form answers 422) is rolled back when
    Flask-SQLAlchemy removes the session at the end of the request. A read that showed personal
    data commits only its access-log entries (services/access_log.py)."""

    from .web.input_guard import refuse_unstorable_input

    app.before_request(refuse_unstorable_input)

    @app.after_request
    def _commit(response):
        from .services.privacy import access_log

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
        if request.is_secure and app.config.get("HSTS_SECONDS"):
            # Over https only (behind nginx, PROXY_HOPS makes X-Forwarded-Proto count): a browser told
            # this over plain http would lock out the hall laptop's http://192.168... address.
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={int(app.config['HSTS_SECONDS'])}; includeSubDomains")
        return response


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from . import localtime
    from .security import can
    from .web.labels import MEASURE_LABELS, STATUS_LABELS, session_label

    app.jinja_env.globals.update(can=can, target_measure_label=lambda measure: MEASURE_LABELS.get(measure, measure),
                                 target_status_label=lambda status: STATUS_LABELS.get(status, status))
    app.jinja_env.filters.update(vn_date=localtime.format_date, vn_time=localtime.format_time,
                                 vn_datetime=localtime.format_datetime, translate=translate,
                                 session_label=session_label)

    @app.context_processor
    def _locale():
        return {"current_locale": str(get_locale() or "vi"), "current_user": current_user}

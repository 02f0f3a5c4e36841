"""bdgtrain: planning, lists, check-in and reporting for gender-equality training classes.

`create_app` builds the Flask application: configuration, extensions, blueprints, error
handlers, the request's single commit, and the CLI.
"""
from __future__ import annotations

import os
import sys
from typing import Any

from babel import Locale
from flask import Flask, has_request_context, session
from werkzeug.middleware.proxy_fix import ProxyFix

from . import models  # noqa: F401  (registers the tables with the metadata)
from .cli import register_cli
from .config import PROJECT_ROOT, load_config, memory_storage_warning
from .database import is_sqlite, sqlite_engine_options, tune_postgres_engine, tune_sqlite_engine
from .errors import register_error_handlers
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import RequestDomain, translate
from .messages import Message
from .services.accounts import login_sessions
from .web import BLUEPRINTS
from .web.boundary import register_request_boundary
from .web.template_helpers import register_template_helpers


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
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)
    register_request_boundary(app)
    register_template_helpers(app)
    register_error_handlers(app)
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
    db.init_app(app)
    with app.app_context():
        if is_sqlite(app.config["SQLALCHEMY_DATABASE_URI"]):
            tune_sqlite_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])
        elif db.engine.dialect.name == "postgresql":
            tune_postgres_engine(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    warning = memory_storage_warning(app.config.get("RATELIMIT_STORAGE_URI"), os.environ, sys.argv)
    if warning:
        app.logger.warning(warning)
    if str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
        app.config["RATELIMIT_STORAGE_URI"] = "bdgtrain-memory://"  # the same counters, no thread per hit
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   timezone_selector=lambda: app.config["DISPLAY_TIMEZONE"])
    babel.domain_instance = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = Message("Vui lòng đăng nhập để tiếp tục.")
    login_manager.localize_callback = translate
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_id: str):
        return login_sessions.load_user(session_id)


def _register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

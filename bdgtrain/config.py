"""Configuration read from the environment, one class per kind of deployment.

`BDGTRAIN_ENV` picks the class: ``production`` (the default, so that a forgotten
variable fails safe), ``development`` (what `make run` uses) or ``testing``.
"""
from __future__ import annotations

import os
import secrets
import shlex
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("BDGTRAIN_INSTANCE", PROJECT_ROOT / "instance"))

# Values that must never reach production as a SECRET_KEY.
WEAK_SECRETS = {"", "dev", "changeme", "secret", "change-me", "development"}
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """Raised when the app cannot start safely with the configuration given."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret() -> str:
    """A random key kept in instance/ so that sessions survive a restart of `make run`."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class BaseConfig:
    ENV_NAME = "production"
    # Statement parameters are people's data: never in error messages or logs (docs/PRIVACY.md).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # Seconds a SQLite writer waits for the lock before giving up.
    SQLITE_BUSY_TIMEOUT = int(os.environ.get("SQLITE_BUSY_TIMEOUT", "30"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"  # every cookie the app sets carries SameSite (docs/SECURITY.md)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # one working day
    # "Stay logged in" lasts this long, and so does any login session (services/accounts/login_sessions.py).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)

    WTF_CSRF_TIME_LIMIT = None  # a form left open all morning must still submit
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    DISPLAY_TIMEZONE = "Asia/Ho_Chi_Minh"

    # The address participants reach the app at, for links made outside a request (CLI, e-mail):
    # on a hall's network, the laptop's address, e.g. https://192.168.1.10:5443
    BASE_URL = os.environ.get("BDGTRAIN_BASE_URL", "http://127.0.0.1:5000")
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))  # reverse proxies in front of the app (nginx: 1)
    # Strict-Transport-Security max-age, sent on https requests only (0 turns the header off).
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    CHECKIN_RATE_LIMIT = os.environ.get("CHECKIN_RATE_LIMIT", "600 per minute")
    ROOM_CHECKIN_RATE_LIMIT = os.environ.get("ROOM_CHECKIN_RATE_LIMIT", "20 per minute")

    PAGE_SIZE = 50
    # A class's anonymous feedback shows scores and words only from this many answers up; below it,
    # only how many answered (one answer in a class of forty is not anonymous to its trainer).
    FEEDBACK_MIN_ANONYMOUS_ANSWERS = int(os.environ.get("FEEDBACK_MIN_ANONYMOUS_ANSWERS", "3"))
    # Days an uploaded list file (its content, with people's personal data) is kept: `flask privacy purge`.
    IMPORT_RETENTION_DAYS = int(os.environ.get("IMPORT_RETENTION_DAYS", "30"))
    # Most people one participant list may hold (uploaded or submitted in the UI); more is refused.
    LIST_MAX_ROWS = int(os.environ.get("LIST_MAX_ROWS", "5000"))
    PASSWORD_HASH_METHOD = "scrypt"

    # Calendar feeds (docs/CALENDAR.md). UIDs carry this domain: give each deployment its own, and
    # never change it afterwards, or calendars would see every session as new.
    CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "bdgtrain.local")
    CALENDAR_REFRESH_MINUTES = int(os.environ.get("CALENDAR_REFRESH_MINUTES", "180"))
    CALENDAR_VERSION_CACHE_SECONDS = int(os.environ.get("CALENDAR_VERSION_CACHE_SECONDS", "30"))
    # How long a worker trusts an API token it has checked (services/accounts/api_tokens.py): the revocation delay.
    API_TOKEN_CACHE_SECONDS = int(os.environ.get("API_TOKEN_CACHE_SECONDS", "30"))

    # E-mail (invitations). Messages wait in the outbox table until `flask mail send` delivers them
    # through SMTP, or, when MAIL_OUTBOX_DIR is set (development), writes them there as .eml files.
    MAIL_FROM = os.environ.get("MAIL_FROM", "bdgtrain <no-reply@bdgtrain.local>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_TLS = os.environ.get("SMTP_TLS", "none").strip().lower()  # none, starttls or ssl
    SMTP_TIMEOUT = int(os.environ.get("SMTP_TIMEOUT", "20"))
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", "")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))

    def __init__(self) -> None:
        # Read at construction, not import, so that tests and the CLI see the current environment.
        self.SECRET_KEY = os.environ.get("SECRET_KEY", "")
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'bdgtrain.sqlite3'}"
        )

    def validate(self) -> None:
        if self.SECRET_KEY.strip().lower() in WEAK_SECRETS or len(self.SECRET_KEY) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "SECRET_KEY is missing or weak: set it to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters (python -c 'import secrets; print(secrets.token_hex(32))')."
            )


class ProductionConfig(BaseConfig):
    pass


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            self.SECRET_KEY = _development_secret()

    def validate(self) -> None:  # development accepts the generated key
        pass


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    SQLITE_BUSY_TIMEOUT = 30
    # Hashing strength is not under test; a cheap method keeps hundreds of logins fast.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    CALENDAR_VERSION_CACHE_SECONDS = 0  # every request sees the database as the test left it
    API_TOKEN_CACHE_SECONDS = 0
    MAIL_OUTBOX_DIR = ""
    SMTP_HOST = "127.0.0.1"
    SMTP_PORT = 9  # nothing listens: a test that sends starts its own SMTP server
    SMTP_TLS = "none"
    SMTP_USER = SMTP_PASSWORD = ""

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "test-secret-key-" + "x" * 32

    def validate(self) -> None:
        pass


def _workers_option(args: list[str]) -> int | None:
    """The worker count given by `-w N`, `-wN`, `--workers N` or `--workers=N` among `args`, if any."""
    for n, arg in enumerate(args):
        value = None
        if arg in ("-w", "--workers") and n + 1 < len(args):
            value = args[n + 1]
        elif arg.startswith("--workers="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-w") and len(arg) > 2 and not arg.startswith("--"):
            value = arg[2:]
        if value is not None:
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _uses_config_file(args: list[str]) -> bool:
    return (any(a in ("-c", "--config") or a.startswith("--config=") for a in args)
            or Path("gunicorn.conf.py").exists())


def memory_storage_warning(storage_uri: str | None, environ: Mapping[str, str], argv: list[str]) -> str | None:
    """A warning when this process is a gunicorn worker among several and the rate limits are counted in
    process memory: each worker would then allow the whole LOGIN_RATE_LIMIT by itself.

    gunicorn's arbiter sets SERVER_SOFTWARE=gunicorn/... for its workers; the worker count comes from the
    command line (which a forked worker shares), GUNICORN_CMD_ARGS or WEB_CONCURRENCY, in gunicorn's
    order. A count set in a configuration file cannot be read from here: then the warning says "may".
    """
    if (storage_uri or "memory://").split("://", 1)[0] not in ("memory", "bdgtrain-memory"):
        return None
    if not environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
        return None
    args = list(argv[1:])
    env_args = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    workers = _workers_option(args)
    if workers is None:
        workers = _workers_option(env_args)
    if workers is None and _uses_config_file(args + env_args):
        count = "possibly several"
    else:
        if workers is None:
            try:
                workers = int(environ.get("WEB_CONCURRENCY", "1"))
            except ValueError:
                workers = 1
        if workers <= 1:
            return None
        count = str(workers)
    return (f"Rate limits are counted in each process's memory (RATELIMIT_STORAGE_URI=memory://) while gunicorn "
            f"runs {count} workers: every worker allows the whole login limit by itself. Set "
            f"RATELIMIT_STORAGE_URI=redis://... so that the workers share one count (docs/DEPLOY.md).")


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def load_config(name: str | None = None) -> BaseConfig:
    name = (name or os.environ.get("BDGTRAIN_ENV") or "production").strip().lower()
    try:
        config = CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"BDGTRAIN_ENV={name!r} is not one of {', '.join(CONFIGS)}") from None
    return config

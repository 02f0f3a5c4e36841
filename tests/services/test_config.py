"""Outside development the app refuses to start without a real SECRET_KEY."""
from __future__ import annotations

import pytest

from bdgtrain import create_app
from bdgtrain.config import ConfigError


@pytest.mark.parametrize("secret", ["", "dev", "changeme", "short-but-not-empty"])
def test_production_refuses_missing_or_weak_secret(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(ConfigError):
        create_app("production")


def test_production_starts_with_a_strong_secret_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k" * 16 + "9f2c1e7a5b3d4c6e8f0a")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError):
        create_app("staging")


def test_postgresql_urls_use_psycopg3(monkeypatch):
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": "postgresql://u@127.0.0.1/x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")

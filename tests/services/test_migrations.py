"""The migrations build exactly the schema the models describe, from an empty database, on both backends."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from bdgtrain.extensions import db
from tests.conftest import make_app


def _fresh_app(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return make_app(database_url), None
    from tests.conftest import PostgresDatabase

    database = PostgresDatabase()
    return make_app(database.url), database


def test_upgrade_from_empty_then_models_and_migrations_agree(database_url, tmp_path):
    app, pg = _fresh_app(database_url, tmp_path)
    try:
        with app.app_context():
            assert inspect(db.engine).get_table_names() == []
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            assert differences == []
            assert "training_classes" in inspect(db.engine).get_table_names()
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
    finally:
        if pg:
            pg.drop()

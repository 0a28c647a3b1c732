"""Migrations build the schema, and agree with the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tic_academy.extensions import db


def test_migrations_match_models(app):
    """Does `flask db upgrade` build exactly the schema the models describe?"""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_downgrade_to_base_and_back(app):
    """Can the migrations be rolled back and applied again?"""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    downgrade(revision="base")
    assert "user" not in inspect(db.engine).get_table_names()
    upgrade()
    assert "user" in inspect(db.engine).get_table_names()

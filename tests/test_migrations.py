"""Migrations build the whole schema from empty, on every database, matching the models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from store.db import Database
from store.migrate import current_revision, head_revision, upgrade
from store.models import Base
from store.search_index import is_search_index_object


def test_upgrade_from_empty_reaches_head(database_url):
    db = Database(database_url)
    try:
        upgrade(db.engine)
        assert current_revision(db.engine) == head_revision()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        db.dispose()


def test_models_match_migrations(database_url):
    db = Database(database_url)
    try:
        upgrade(db.engine)  # idempotent: already at head from the test above
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_name": lambda name, type_, _p: not (
                    name and is_search_index_object(name)),
            })
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        db.dispose()


def test_search_index_exists(database_url):
    db = Database(database_url)
    try:
        upgrade(db.engine)
        inspector = inspect(db.engine)
        if db.is_sqlite:
            assert {"customers_fts", "contracts_fts"} <= set(inspector.get_table_names())
        else:
            names = {ix["name"] for ix in inspector.get_indexes("customers")}
            assert "ix_customers_search_trgm" in names
    finally:
        db.dispose()

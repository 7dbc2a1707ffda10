"""Migrations build the whole schema from empty, on every database, matching the models."""

import datetime as dt
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, bindparam, inspect, text

from store.db import Database
from store.migrate import current_revision, head_revision, upgrade
from store.models import Base
from store.search_index import is_search_index_object
from tests.support.databases import fresh_database
from tests.support.row_counts import fresh_counts, kept_counts


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


# Typed, so SQLAlchemy turns the datetime into text for SQLite itself (the
# sqlite3 module's own datetime adapter is deprecated since Python 3.12).
NOW = bindparam("now", type_=DateTime())
DAY = {"now": dt.datetime(2026, 1, 1)}
CUSTOMER = text(
    "INSERT INTO customers (id, broker_id, partner_number, salutation, title, first_name, last_name, street, "
    "postcode, town, country, email, phone, search_text, version, updated_at) VALUES (:id, 1, :id, 1, '', "
    ":first, :last, :street, '44787', :town, 'D', '', '', :text, 1, :now)").bindparams(NOW)
CONTRACT = text(
    "INSERT INTO contracts (id, broker_id, customer_id, policy_number, sparte, product_code, status, start_date, "
    "end_date, payment_frequency, net_premium, gross_premium, stand, search_text, updated_at) VALUES (:id, 1, 1, "
    ":id, '130', 'X', :status, :start, :end, 1, 1, 1, :start, '', :now)").bindparams(
        NOW, bindparam("start", type_=Date()), bindparam("end", type_=Date()))


@contextmanager
def database_at(backend: str, tmp_path, revision: str):
    """A fresh database migrated up to *revision*, holding broker 1: for rows written before a migration."""
    with fresh_database(backend, tmp_path) as url:
        db = Database(url)
        try:
            upgrade(db.engine, revision)
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO brokers (id, number, name, street, postcode, town, phone, email, "
                                  "created_at) VALUES (1, '1', 'B', '', '', '', '', '', :now)").bindparams(NOW), DAY)
            yield db
        finally:
            db.dispose()


def customer(id: int, first: str, last: str, street: str = "", town: str = "", search: str = "") -> dict:
    return {"id": id, "first": first, "last": last, "street": street, "town": town, "text": search, **DAY}


def test_sort_keys_are_filled_for_existing_customers(backend, tmp_path):
    """Customers written before 0004 get their German sort keys; the search index keeps working."""
    with database_at(backend, tmp_path, "0003") as db:
        with db.engine.begin() as conn:
            conn.execute(CUSTOMER, [customer(1, "Jürgen", "Böhm", "Hauptstraße 1", "Überlingen", "böhm"),
                                    customer(2, "Anna", "Busch", "Am Markt 2", "Bochum", "busch")])
        upgrade(db.engine)
        with db.engine.begin() as conn:
            keys = conn.execute(text("SELECT first_name_sort, last_name_sort, street_sort, town_sort "
                                     "FROM customers ORDER BY last_name_sort")).all()
            assert [tuple(k) for k in keys] == [("jurgen", "bohm", "hauptstrasse 1", "uberlingen"),
                                                ("anna", "busch", "am markt 2", "bochum")]
            conn.execute(text("UPDATE customers SET search_text = 'neu' WHERE id = 1"))
            if db.is_sqlite:  # the FTS triggers survived the migration
                hits = conn.execute(text("SELECT rowid FROM customers_fts WHERE customers_fts "
                                         "MATCH '\"neu\"'")).scalars().all()
                assert hits == [1]


def test_cancelled_contracts_get_their_end_as_abgangsdatum(backend, tmp_path):
    """Contracts written before 0005: a cancelled one gets its end date as Abgangsdatum, others none."""
    with database_at(backend, tmp_path, "0004") as db:
        with db.engine.begin() as conn:
            conn.execute(CUSTOMER, customer(1, "Anna", "Busch"))
            conn.execute(CONTRACT, [
                {"id": 1, "status": 4, "start": dt.date(2020, 1, 1), "end": dt.date(2023, 6, 30), **DAY},
                {"id": 2, "status": 1, "start": dt.date(2020, 1, 1), "end": dt.date(2030, 1, 1), **DAY}])
        upgrade(db.engine)
        with db.engine.begin() as conn:
            rows = conn.execute(text("SELECT id, cancelled_on FROM contracts ORDER BY id")
                                .columns(cancelled_on=Date())).all()
        assert [tuple(r) for r in rows] == [(1, dt.date(2023, 6, 30)), (2, None)]


def test_the_row_counts_start_from_what_is_stored(backend, tmp_path):
    """Rows written before 0014 are counted when the counts arrive, and writes after it are followed."""
    with database_at(backend, tmp_path, "0013") as db:
        start = {"start": dt.date(2020, 1, 1), "end": None, **DAY}
        with db.engine.begin() as conn:
            conn.execute(CUSTOMER, customer(1, "Anna", "Busch"))
            conn.execute(CONTRACT, [{"id": 1, "status": 1, **start}, {"id": 2, "status": 1, **start},
                                    {"id": 3, "status": 4, **start}])
        upgrade(db.engine)
        with db.engine.begin() as conn:
            assert kept_counts(conn) == fresh_counts(conn) == {
                "customers": {(1,): 1}, "contracts": {(1, 1, "130"): 2, (1, 4, "130"): 1}}
            conn.execute(CONTRACT, {"id": 4, "status": 4, **start})
            assert kept_counts(conn)["contracts"] == {(1, 1, "130"): 2, (1, 4, "130"): 2}

"""Statements on psycopg's own cursor: the same rows, errors and statement logs as through SQLAlchemy.

``store.driver_sql`` runs what psycopg converts by itself past SQLAlchemy's
execution (the SCT lookup, the export stream); everything else, and all of
SQLite, goes through SQLAlchemy. Either way a caller sees the same thing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DataError

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST
from store import driver_sql
from store.db import stream_rows
from store.models import Contract, User

DEMO_BROKER = 1


@pytest.mark.parametrize("spec", [CONTRACT_LIST, CUSTOMER_LIST], ids=["contracts", "customers"])
def test_streamed_list_rows_are_the_rows_sqlalchemy_reads(gateway, spec):
    statement = spec.select_rows(DEMO_BROKER).order_by(spec.model.id)
    with gateway.db.session() as session:
        streamed = list(stream_rows(session, statement, 7))  # several chunks
    with gateway.db.session() as session:
        read = [tuple(row) for row in session.execute(statement)]
    assert len(read) > 7 and [tuple(row) for row in streamed] == read
    assert [[type(value) for value in row] for row in streamed] == [[type(value) for value in row] for row in read]


def test_money_and_dates_keep_their_types(gateway):
    statement = select(Contract.net_premium, Contract.stand).where(Contract.broker_id == DEMO_BROKER)
    with gateway.db.session() as session:
        net, stand = next(iter(stream_rows(session, statement, 100)))
    assert isinstance(net, Decimal) and isinstance(stand, dt.date)


def test_only_what_psycopg_converts_itself_takes_the_direct_path(gateway):
    with gateway.db.session() as session:
        connection = session.connection()
        plain = driver_sql.for_driver(select(Contract.id, Contract.net_premium, Contract.stand), connection)
        expanding = driver_sql.for_driver(select(User.login).where(User.id.in_([1, 2])), connection)
    assert expanding is None  # an IN list SQLAlchemy expands at execution
    assert (plain is not None) == (not gateway.db.is_sqlite)  # SQLite's dates are SQLAlchemy's to convert


def test_statement_logs_see_the_streamed_statement(gateway):
    seen = []

    def log(_connection, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    statement = CONTRACT_LIST.select_rows(DEMO_BROKER)
    event.listen(gateway.db.engine, "before_cursor_execute", log)
    try:
        with gateway.db.session() as session:
            count = sum(1 for _ in stream_rows(session, statement, 50))
    finally:
        event.remove(gateway.db.engine, "before_cursor_execute", log)
    [(sql, parameters)] = [(sql, params) for sql, params in seen if "FROM contracts" in sql]
    values = parameters.values() if isinstance(parameters, dict) else parameters  # SQLite's are by position
    assert count > 0 and DEMO_BROKER in values


def test_an_error_is_sqlalchemys_and_the_session_goes_on(gateway):
    if gateway.db.is_sqlite:
        pytest.skip("SQLite divides by zero without an error")
    with gateway.db.session() as session:
        with pytest.raises(DataError):
            list(stream_rows(session, text("SELECT 1/0"), 10))
    with gateway.db.session() as session:  # the pool's connection still works
        assert list(stream_rows(session, text("SELECT 2"), 10)) == [(2,)]


def test_rows_come_from_a_cursor_on_the_server_chunk_by_chunk(gateway):
    if gateway.db.is_sqlite:
        pytest.skip("PostgreSQL's server-side cursors")
    statement = CONTRACT_LIST.select_rows(DEMO_BROKER)
    with gateway.db.session() as session:
        rows = stream_rows(session, statement, 5)
        next(rows)
        # Mid-way the result waits in a cursor on the server, not in this process.
        open_cursors = session.execute(text("SELECT name FROM pg_cursors")).scalars().all()
        rest = sum(1 for _ in rows)
    assert [name for name in open_cursors if name.startswith("bipro_stream_")], open_cursors
    assert rest > 5

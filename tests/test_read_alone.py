"""A SOAP call's token lookup is one round trip on PostgreSQL, and the call's writes stay one transaction.

``store.db.read_alone`` runs a lookup as the session's first statement
outside a transaction (no BEGIN, no COMMIT) on psycopg's own cursor; what
the session does next is still committed or rolled back as a whole, errors
come as SQLAlchemy's, and no connection goes back to the pool outside
transactions. Round trips are counted on the wire (libpq's trace).
"""

from __future__ import annotations

import re
import tempfile
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DataError, OperationalError

from bipro.core.identity.tokens import issue_token, resolve_token
from bipro.soap.service import SoapCall
from store.db import read_alone
from store.models import AuditEvent, User
from tests.support.databases import postgres_admin_url

MESSAGE = re.compile(r"^[FB]\t\d+\t(\w+)", re.MULTILINE)  # direction, length, message name

pytestmark = pytest.mark.skipif(not postgres_admin_url(), reason="needs BIPRO_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def backend():
    return "postgresql"


@pytest.fixture(scope="module")
def token(gateway):
    with gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == "demo"))
        return issue_token(session, user, 3600).identifier


@contextmanager
def wire(session):
    """The messages between psycopg and the server while the block runs, one per list item."""
    import psycopg

    dbapi = session.connection().connection.dbapi_connection
    messages: list[str] = []
    with tempfile.TemporaryFile() as trace:
        dbapi.pgconn.trace(trace.fileno())
        dbapi.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            yield messages
        finally:
            dbapi.pgconn.untrace()
            trace.seek(0)
            messages += MESSAGE.findall(trace.read().decode())


def round_trips(messages: list[str]) -> int:
    return messages.count("ReadyForQuery")  # the server's answer to each Query or Sync


def test_a_token_lookup_alone_is_one_round_trip(gateway, token):
    with gateway.db.session() as session, wire(session) as messages:
        caller = resolve_token(session, token)
        dbapi = session.connection().connection.dbapi_connection
        # IDLE: psycopg sent no BEGIN, so the commit at the end sends nothing either
        assert dbapi.info.transaction_status.name == "IDLE" and not dbapi.autocommit
    assert caller.login == "demo"
    assert round_trips(messages) == 1 and "Query" not in messages, messages  # no BEGIN, no COMMIT


def test_the_rows_are_the_same_as_sqlalchemy_gives(gateway):
    statement = select(User.id, User.login, User.revoked_at.label("ended"), User.created_at).order_by(User.id)
    with gateway.db.session() as session:
        direct = read_alone(session, statement)
    with gateway.db.session() as session:
        through_sqlalchemy = session.execute(statement).all()
    assert [tuple(row) for row in direct] == [tuple(row) for row in through_sqlalchemy]
    assert direct[0].login == through_sqlalchemy[0].login and direct[0].ended is None


def test_a_lost_connection_is_an_operational_error_and_is_replaced(gateway, token):
    with pytest.raises(OperationalError):
        with gateway.db.session() as session:
            dbapi = session.connection().connection.dbapi_connection
            with gateway.db.engine.connect() as other:  # the server ends the call's connection
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dbapi.info.backend_pid})
            resolve_token(session, token)
    with gateway.db.session() as session:  # the pool hands out a working connection again
        assert resolve_token(session, token).login == "demo"


def test_what_follows_the_lookup_is_one_transaction(gateway, token):
    before = _audit_rows(gateway)
    with pytest.raises(RuntimeError):
        with gateway.db.session() as session:
            caller = resolve_token(session, token)
            session.add(AuditEvent(event="test_read_alone", login=caller.login, channel="bipro"))
            session.flush()
            session.execute(text("SELECT 1"))
            dbapi = session.connection().connection.dbapi_connection
            assert dbapi.info.transaction_status.name == "INTRANS"
            raise RuntimeError("the call fails after writing")
    assert _audit_rows(gateway) == before  # rolled back: the write was inside the transaction


def test_a_lookup_after_the_transaction_began_runs_inside_it(gateway, token):
    with gateway.db.session() as session:
        session.execute(text("SELECT 1"))
        rows = read_alone(session, select(User.login).where(User.login == "demo"))
        dbapi = session.connection().connection.dbapi_connection
        assert rows[0].login == "demo" and not dbapi.autocommit
        assert dbapi.info.transaction_status.name == "INTRANS"


def test_a_failed_lookup_leaves_no_connection_outside_transactions(gateway):
    with pytest.raises(DataError):  # division by zero
        with gateway.db.session() as session:
            read_alone(session, text("SELECT 1/0"))
    for _ in range(gateway.db.engine.pool.size() + 1):
        with gateway.db.session() as session:
            assert not session.connection().connection.dbapi_connection.autocommit


def test_an_operation_that_touches_no_table_opens_no_session(gateway):
    opened = []

    def open_session():
        opened.append(gateway.db._sessions())
        return opened[-1]

    call = SoapCall(gateway, open_session, None, None, None, "127.0.0.1")
    assert opened == []  # nothing until the handler asks
    assert call.session is call.session and len(opened) == 1
    opened[0].close()


def _audit_rows(gateway) -> int:
    with gateway.db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))

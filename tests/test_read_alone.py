"""A SOAP call's token lookup is one round trip on PostgreSQL, and the call's writes stay one transaction.

``store.db.read_alone`` runs a lookup as the session's first statement
outside a transaction (no BEGIN, no COMMIT); what the session does next is
still committed or rolled back as a whole, and no connection goes back to
the pool outside transactions.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DataError

from bipro.core.identity.tokens import issue_token, resolve_token
from bipro.soap.service import SoapCall
from store.db import read_alone
from store.models import AuditEvent, User
from tests.support.databases import postgres_admin_url

pytestmark = pytest.mark.skipif(not postgres_admin_url(), reason="needs BIPRO_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def backend():
    return "postgresql"


@pytest.fixture(scope="module")
def token(gateway):
    with gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == "demo"))
        return issue_token(session, user, 3600).identifier


def test_a_token_lookup_alone_opens_no_transaction(gateway, token):
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(gateway.db.engine, "before_cursor_execute", count)
    try:
        with gateway.db.session() as session:
            caller = resolve_token(session, token)
            dbapi = session.connection().connection.dbapi_connection
            # IDLE: psycopg sent no BEGIN, so the commit at the end sends nothing either
            assert dbapi.info.transaction_status.name == "IDLE" and not dbapi.autocommit
    finally:
        event.remove(gateway.db.engine, "before_cursor_execute", count)
    assert caller.login == "demo" and statements == [1]


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

"""A pooled PostgreSQL connection is tested before use only after sitting idle.

Every call used to pay a round trip for the test (``pool_pre_ping``); now a
connection in steady use goes straight to work, and one the server dropped
while it sat idle is replaced before the call sees it.
"""

from __future__ import annotations

from unittest import mock

import pytest
from sqlalchemy import text

from store import db as store_db
from store.db import Database
from tests.support.databases import fresh_database, postgres_admin_url

pytestmark = pytest.mark.skipif(not postgres_admin_url(), reason="needs BIPRO_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with fresh_database("postgresql", tmp_path_factory.mktemp("ping")) as url:
        yield url


def _pid(database: Database) -> int:
    with database.session() as session:
        return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(url: str, pid: int) -> None:
    other = Database(url)
    try:
        with other.session() as session:
            assert session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    finally:
        other.dispose()


def test_a_connection_dropped_while_idle_is_replaced(url):
    database = Database(url, pool_size=1, max_overflow=0)
    try:
        first = _pid(database)
        _terminate(url, first)
        with mock.patch.object(store_db, "PING_AFTER_IDLE_S", 0.0):
            second = _pid(database)  # no error: the ping found it dead
        assert second != first
    finally:
        database.dispose()


def test_a_connection_in_steady_use_is_not_pinged(url):
    database = Database(url, pool_size=1, max_overflow=0)
    try:
        first = _pid(database)
        pings = []
        original = database.engine.dialect.do_ping
        with mock.patch.object(database.engine.dialect, "do_ping",
                               side_effect=lambda conn: pings.append(1) or original(conn)):
            assert _pid(database) == first and pings == []
            with mock.patch.object(store_db, "PING_AFTER_IDLE_S", 0.0):
                assert _pid(database) == first and pings == [1]
    finally:
        database.dispose()

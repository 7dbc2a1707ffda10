"""A statement run within a time budget is stopped when the budget is spent, and the session goes on."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from bipro.core.search.budget import BudgetSpent, within_budget
from store.db import Database

# Slow on purpose: SQLite counts through a recursive CTE, PostgreSQL sleeps.
SLOW = {"sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
                  "SELECT count(*) FROM n",
        "postgresql": "SELECT pg_sleep(5)"}


@pytest.fixture
def session(database_url):
    db = Database(database_url)
    with db.session() as session:
        yield session
    db.dispose()


def _timeout(session) -> str | None:
    if session.get_bind().dialect.name == "sqlite":
        return None
    return session.execute(text("SHOW statement_timeout")).scalar_one()


def test_a_slow_statement_is_stopped_and_the_session_goes_on(session):
    before = _timeout(session)
    started = time.monotonic()
    with pytest.raises(BudgetSpent):
        within_budget(session, 50, lambda: session.execute(text(SLOW[session.get_bind().dialect.name])).all())
    assert time.monotonic() - started < 2  # stopped, not run to its end
    assert session.execute(text("SELECT 1")).scalar_one() == 1
    assert _timeout(session) == before


def test_a_statement_within_its_budget_answers_and_the_timeout_is_restored(session):
    before = _timeout(session)
    assert within_budget(session, 2_000, lambda: session.execute(text("SELECT 41 + 1")).scalar_one()) == 42
    assert _timeout(session) == before
    assert session.execute(text("SELECT 2")).scalar_one() == 2


def test_other_errors_pass_through(session):
    with pytest.raises(Exception) as caught:
        within_budget(session, 2_000, lambda: session.execute(text("SELECT * FROM no_such_table")).all())
    assert not isinstance(caught.value, BudgetSpent)
    assert session.execute(text("SELECT 3")).scalar_one() == 3

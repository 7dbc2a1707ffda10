"""Running a statement within a time budget, abandoning it when the budget is spent.

Some pages have two good plans whose costs depend on where the hits lie in
the sort order, which no statistics tell: walking the sort index stops after
a page when hits are spread evenly ("str" sorted by name: under 1 ms) but
reads every row before a bunch ("bochum" sorted by ORT: the whole index),
while fetching the hits and sorting them costs about the same wherever they
are. So the walk is tried first with a budget of half that known cost and,
when it runs over, abandoned for the fetch: never much worse than the better
plan, and exact either way, since both give the same rows in the same order.

SQLite stops the statement from a progress handler; PostgreSQL through a
``statement_timeout`` set for one savepoint, which its rollback undoes.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

T = TypeVar("T")

# SQLite calls the progress handler every this many virtual machine steps
# (some tens of microseconds).
_SQLITE_STEPS = 5_000


class BudgetSpent(Exception):
    """The statement was stopped because its time budget ran out."""


def within_budget(session: Session, budget_ms: float, run: Callable[[], T]) -> T:
    """``run()``, or BudgetSpent when its statements take longer than *budget_ms*.

    The session stays usable either way: nothing is written by a list query,
    and on PostgreSQL the savepoint is rolled back.
    """
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite(session, budget_ms, run)
    return _postgresql(session, budget_ms, run)


def _sqlite(session: Session, budget_ms: float, run: Callable[[], T]) -> T:
    raw = session.connection().connection.driver_connection
    deadline = time.monotonic() + budget_ms / 1000
    raw.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_STEPS)
    try:
        return run()
    except OperationalError as exc:
        if isinstance(exc.orig, sqlite3.OperationalError) and "interrupted" in str(exc.orig):
            raise BudgetSpent from None
        raise
    finally:
        raw.set_progress_handler(None, 0)


def _postgresql(session: Session, budget_ms: float, run: Callable[[], T]) -> T:
    from psycopg.errors import QueryCanceled  # only needed, and installed, with PostgreSQL

    savepoint = session.begin_nested()
    try:
        # set_config(..., true) is SET LOCAL: it lasts to the end of the
        # transaction unless the savepoint is rolled back, so the previous
        # value is put back by hand on success.
        previous = session.execute(select(func.current_setting("statement_timeout"),
                                          func.set_config("statement_timeout",
                                                          str(max(1, round(budget_ms))), True))).first()[0]
        result = run()
    except OperationalError as exc:
        savepoint.rollback()
        if isinstance(exc.orig, QueryCanceled):
            raise BudgetSpent from None
        raise
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    session.execute(select(func.set_config("statement_timeout", previous, True)))
    return result

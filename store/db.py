"""Engine and session handling: one session per request or SOAP call."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from store import driver_sql
from store.private_files import ensure_private_file


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10,
                statement_timeout_ms: int = 30_000) -> Engine:
    """Create an engine tuned for the database behind *url*."""
    if is_sqlite(url):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLite's own BEGIN is deferred; take the write lock at the first
        # write only, but let SQLAlchemy emit BEGIN so transactions are real.
        # A transaction begun by ``begin_write`` takes the lock at once.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=1800,
        connect_args={"options": f"-c statement_timeout={statement_timeout_ms}"},
    )
    _ping_when_idle(engine)
    return engine


# A pooled connection unused for longer than this is tested before use.
PING_AFTER_IDLE_S = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection at checkout only when it has been idle a while.

    ``pool_pre_ping`` tests every checkout: one more round trip on every
    call (a secured SOAP call needs three otherwise: BEGIN, the token, COMMIT).
    A connection in steady use cannot have gone stale unnoticed, one that sat
    idle may have (server restart, failover, firewall); raising
    DisconnectionError makes the pool replace it with a fresh one.
    """
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info["bipro_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        if dbapi_connection.autocommit:  # never leave the pool outside transactions (see read_alone)
            dbapi_connection.autocommit = False
        since = record.info.get("bipro_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)  # what pool_pre_ping sends
        except Exception as exc:  # any failure: the connection is not usable
            raise DisconnectionError(str(exc)) from exc
        if not alive:
            raise DisconnectionError("the pooled connection did not answer")


def read_alone(session: Session, statement, parameters: dict | None = None) -> list:
    """The rows of a read-only Core *statement* run as the session's first, outside its transaction.

    On PostgreSQL a transaction costs two round trips of its own (psycopg
    sends BEGIN before the first statement, then COMMIT): a call whose only
    query is a lookup (the SCT check of a SOAP call that reads nothing else)
    pays three where one does. Run alone, the statement is one round trip;
    the session's later statements begin its transaction as usual, so what
    they write is still committed or rolled back together. Under READ
    COMMITTED (the default) every statement sees what was committed before
    it started, inside a transaction or not, so the answer is the same.
    Anywhere else (SQLite, or once the transaction has begun) the statement
    simply runs in the session's transaction. It runs on the session's
    connection, past the ORM: rows, never mapped objects.
    """
    connection = session.connection()
    dbapi_connection = connection.connection.dbapi_connection
    if connection.dialect.driver != "psycopg" or not _idle(dbapi_connection) or dbapi_connection.autocommit:
        return connection.execute(statement, parameters).all()
    dbapi_connection.autocommit = True
    try:
        compiled = driver_sql.remembered_for_driver(statement, connection)
        if compiled is None:
            return connection.execute(statement, parameters).all()  # all rows: done before the switch
        return driver_sql.fetch_all(connection, compiled, parameters)
    finally:
        if _idle(dbapi_connection):
            dbapi_connection.autocommit = False
        # else: the connection broke; it is discarded, and checkout resets any that is not


def stream_rows(session: Session, statement, chunk: int) -> Iterator:
    """Every row of a read-only Core *statement*, *chunk* at a time (a server-side cursor on PostgreSQL).

    Rows are tuples by position, never mapped objects; memory holds one chunk.
    """
    connection = session.connection()
    compiled = driver_sql.for_driver(statement, connection)
    if compiled is None:
        yield from connection.execute(statement.execution_options(yield_per=chunk))
    else:
        yield from driver_sql.stream(connection, compiled, chunk)


def _idle(dbapi_connection) -> bool:
    """A psycopg connection, connected, with no transaction open."""
    from psycopg.pq import TransactionStatus  # only reached with psycopg

    return dbapi_connection.info.transaction_status == TransactionStatus.IDLE


WRITE_OPTION = "bipro_write"


def _private_sqlite_file(url: str) -> None:
    """The database file exists as 0600 before SQLite opens it (SQLite would follow the umask)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.parent.is_dir():
        ensure_private_file(path)


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def begin_write(session: Session) -> None:
    """Start the session's next transaction as a writer (ending the current one).

    A deferred SQLite transaction that reads and then writes fails with
    "database is locked" when another process wrote in between: its snapshot
    is stale and the busy timeout does not apply. ``BEGIN IMMEDIATE`` waits
    for the write lock up front instead. PostgreSQL ignores the option.
    """
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let pysqlite leave transaction control to SQLAlchemy's BEGIN above.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cur.execute("PRAGMA synchronous=NORMAL")  # durable enough under WAL, much faster
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Database:
    """The engine and a session factory for one database URL."""

    def __init__(self, url: str, **engine_options) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_options)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short transaction: committed when the block ends, rolled back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def pool_status(self) -> dict | None:
        """Connections of this process's pool (PostgreSQL); None for SQLite."""
        pool = self.engine.pool
        if self.is_sqlite or not hasattr(pool, "checkedout"):
            return None
        return {"size": pool.size(), "in_use": pool.checkedout(),
                "idle": pool.checkedin(), "overflow": max(pool.overflow(), 0)}

    def dispose(self) -> None:
        self.engine.dispose()

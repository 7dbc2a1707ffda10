"""Engine and session handling: one session per request or SOAP call."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

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
        direct = _direct_sql(statement, connection.dialect)
        if direct is None:
            return connection.execute(statement, parameters).all()  # all rows: done before the switch
        return _run_direct(connection, dbapi_connection, direct, parameters)
    finally:
        if _idle(dbapi_connection):
            dbapi_connection.autocommit = False
        # else: the connection broke; it is discarded, and checkout resets any that is not


# Statements compiled for the driver, by id (the statement is kept, so its id stays its own).
_DIRECT: dict[int, tuple[object, object]] = {}
_DIRECT_MAX = 256


def _direct_sql(statement, dialect):
    """*statement* compiled once for psycopg's own cursor, or None when SQLAlchemy must run it.

    SQLAlchemy's execution around a statement (context, result object, row
    wrappers) costs about 0.15 ms, a third of a SOAP call's token check.
    Only a statement whose values psycopg converts by itself both ways
    takes the direct path: no bind or result processors, no expanding
    or literal parameters.
    """
    known = _DIRECT.get(id(statement))
    if known is not None and known[0] is statement:
        return known[1]
    compiled = statement.compile(dialect=dialect)
    binds = compiled.binds.values()
    columns = getattr(statement, "selected_columns", ())
    plain = (not any(b.expanding or b.literal_execute for b in binds)
             and not any(b.type.dialect_impl(dialect).bind_processor(dialect) for b in binds)
             and not any(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns))
    if len(_DIRECT) >= _DIRECT_MAX:
        _DIRECT.clear()  # statements built per call; the constant ones come back at once
    _DIRECT[id(statement)] = (statement, compiled if plain else None)
    return compiled if plain else None


def _run_direct(connection, dbapi_connection, compiled, parameters: dict | None) -> list:
    """Run *compiled* on a psycopg cursor; errors as SQLAlchemy raises them, a broken connection invalidated."""
    from psycopg.rows import namedtuple_row

    dialect = connection.dialect
    values = compiled.construct_params(parameters)
    try:
        with dbapi_connection.cursor(row_factory=namedtuple_row) as cursor:
            cursor.execute(compiled.string, values)
            return cursor.fetchall()
    except dialect.loaded_dbapi.Error as exc:
        broken = dialect.is_disconnect(exc, dbapi_connection, None)
        if broken:
            connection.invalidate(exc)
        raise DBAPIError.instance(compiled.string, values, exc, dialect.loaded_dbapi.Error,
                                  connection_invalidated=broken, dialect=dialect) from exc


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

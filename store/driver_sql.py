"""Read-only statements run on psycopg's own cursor, past SQLAlchemy's execution.

SQLAlchemy's work around a statement (execution context, result object, a
Row per row) costs about 0.15 ms a statement and 2 µs a row: a third of a
SOAP call's token check, and a fifth of streaming an export of 100,000
rows. A statement psycopg converts by itself both ways (no bind or result
processors, no expanding or literal parameters) is compiled by SQLAlchemy
and then run here; any other goes through SQLAlchemy as usual.

What stays as with SQLAlchemy: errors are SQLAlchemy's (``OperationalError``,
``DataError`` ...), a connection found broken is invalidated so the pool
replaces it, and ``before_cursor_execute`` listeners see every statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

# Constant statements compiled once, by id (the statement is kept, so its id stays its own).
_REMEMBERED: dict[int, tuple[object, object]] = {}
_REMEMBERED_MAX = 256


def for_driver(statement, connection: Connection):
    """*statement* compiled for psycopg's cursor, or None when SQLAlchemy must run it."""
    dialect = connection.dialect
    if dialect.driver != "psycopg":
        return None
    compiled = statement.compile(dialect=dialect)
    binds = compiled.binds.values()
    columns = getattr(statement, "selected_columns", ())
    types = connection.connection.dbapi_connection.adapters.types
    plain = (not any(b.expanding or b.literal_execute for b in binds)
             and not any(b.type.dialect_impl(dialect).bind_processor(dialect) for b in binds)
             and not any(_converts_results(c.type, dialect, types) for c in columns))
    return compiled if plain else None


def _converts_results(type_, dialect, types) -> bool:
    """Whether SQLAlchemy would convert this column's values after psycopg read them."""
    impl = type_.dialect_impl(dialect)
    try:
        return impl.result_processor(dialect, None) is not None
    except (TypeError, KeyError, ValueError):
        # It asks for the column's type on the server (NUMERIC: psycopg
        # reads Decimal itself, a float column would need converting).
        declared = types.get(impl.compile(dialect=dialect).split("(", 1)[0].strip().lower())
        return declared is None or impl.result_processor(dialect, declared.oid) is not None


def remembered_for_driver(statement, connection: Connection):
    """``for_driver``, compiled once for a statement built once (a module constant)."""
    known = _REMEMBERED.get(id(statement))
    if known is not None and known[0] is statement:
        return known[1]
    compiled = for_driver(statement, connection)
    if len(_REMEMBERED) >= _REMEMBERED_MAX:
        _REMEMBERED.clear()  # statements built per call; the constant ones come back at once
    _REMEMBERED[id(statement)] = (statement, compiled)
    return compiled


def fetch_all(connection: Connection, compiled, parameters: dict | None = None) -> list:
    """Every row of *compiled* (named tuples: ``row.column`` as with SQLAlchemy)."""
    from psycopg.rows import namedtuple_row

    dbapi_connection = connection.connection.dbapi_connection
    values = compiled.construct_params(parameters)
    with _as_sqlalchemy_would(connection, compiled.string, values):
        with dbapi_connection.cursor(row_factory=namedtuple_row) as cursor:
            _announce(connection, cursor, compiled.string, values)
            cursor.execute(compiled.string, values)
            return cursor.fetchall()


def stream(connection: Connection, compiled, chunk: int) -> Iterator[tuple]:
    """Every row of *compiled* as a plain tuple, *chunk* rows at a time from a server-side cursor.

    The cursor lives in the connection's transaction (psycopg begins one if
    none is open), as SQLAlchemy's ``yield_per`` cursor does.
    """
    dbapi_connection = connection.connection.dbapi_connection
    values = compiled.construct_params()
    with _as_sqlalchemy_would(connection, compiled.string, values):
        with dbapi_connection.cursor(name=f"bipro_stream_{id(compiled):x}") as cursor:
            _announce(connection, cursor, compiled.string, values)
            cursor.execute(compiled.string, values)
            while rows := cursor.fetchmany(chunk):
                yield from rows


def _announce(connection: Connection, cursor, statement: str, values: dict) -> None:
    # Statement logs (the benchmarks' among them) listen here; SQLAlchemy is not told otherwise.
    for listener in connection.dispatch.before_cursor_execute:
        listener(connection, cursor, statement, values, None, False)


@contextmanager
def _as_sqlalchemy_would(connection: Connection, statement: str, values: dict) -> Iterator[None]:
    """Raise the driver's errors as SQLAlchemy's; invalidate a connection found broken."""
    dialect = connection.dialect
    error = dialect.loaded_dbapi.Error
    try:
        yield
    except error as exc:
        broken = dialect.is_disconnect(exc, connection.connection.dbapi_connection, None)
        if broken:
            connection.invalidate(exc)
        raise DBAPIError.instance(statement, values, exc, error, connection_invalidated=broken,
                                  dialect=dialect) from exc

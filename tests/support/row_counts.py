"""The per-broker row counts the database keeps, against a fresh count of the rows."""

from __future__ import annotations

from sqlalchemy import Connection, text

from store.row_counts import COUNTED


def kept_counts(conn: Connection) -> dict[str, dict[tuple, int]]:
    """Per counted table: what the triggers kept, by key, zero counts left out."""
    return {c.table: {tuple(row[:-1]): row[-1] for row in conn.execute(text(
                f"SELECT {c.names}, row_count FROM {c.counts} WHERE row_count <> 0"))}
            for c in COUNTED}


def fresh_counts(conn: Connection) -> dict[str, dict[tuple, int]]:
    """Per counted table: its rows counted now."""
    return {c.table: {tuple(row[:-1]): row[-1] for row in conn.execute(text(
                f"SELECT {c.names}, count(*) FROM {c.table} GROUP BY {c.names}"))}
            for c in COUNTED}


def assert_counts_are_right(engine_or_conn) -> dict[str, dict[tuple, int]]:
    """The kept counts are the rows' own; returns them."""
    if isinstance(engine_or_conn, Connection):
        kept, fresh = kept_counts(engine_or_conn), fresh_counts(engine_or_conn)
    else:
        with engine_or_conn.connect() as conn:
            kept, fresh = kept_counts(conn), fresh_counts(conn)
    assert kept == fresh
    return kept

"""Triggers that keep ``customer_counts`` and ``contract_counts`` in step with their tables.

Every insert, delete and change of owner, Status or Sparte moves the counts
in the same transaction, whoever writes the row: the portal, the GDV
import, the demo loader or a hand-written statement. A rollback takes the
change of the counts back with the rows.

SQLite: a trigger per row (one writer at a time; an UPSERT costs microseconds).
PostgreSQL: inserts and deletes counted once per statement from its
transition table, so a ``COPY`` of a million rows adds one grouped UPSERT,
not a million; an update only when it moves a row to another count
(a row trigger whose ``WHEN`` skips every other update without a call).
Concurrent writers of the same broker, Status and Sparte wait for each
other's commit on that count row, as they would on any shared row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class Counted:
    """A table and the table holding its row counts per *keys*."""

    table: str
    counts: str
    keys: tuple[str, ...]  # broker_id first

    @property
    def names(self) -> str:
        return ", ".join(self.keys)


COUNTED = (
    Counted("customers", "customer_counts", ("broker_id",)),
    Counted("contracts", "contract_counts", ("broker_id", "status", "sparte")),
)
_SQLITE_SUFFIXES = ("ai", "ad", "au")
_POSTGRES_TRIGGERS = ("inserted", "deleted", "moved", "truncated")


def create_sync(conn: Connection) -> None:
    """Install the triggers (and on PostgreSQL their functions)."""
    if conn.dialect.name != "sqlite":
        for counted in COUNTED:
            _create_postgres_function(conn, counted)
    _create_triggers(conn)


def drop_sync(conn: Connection) -> None:
    """Remove the triggers and functions again (a downgrade)."""
    _drop_triggers(conn)
    if conn.dialect.name != "sqlite":
        for counted in COUNTED:
            conn.execute(text(f"DROP FUNCTION IF EXISTS {counted.counts}_follow()"))


def recount(conn: Connection) -> None:
    """Every count again from its table (after a bulk load, and when first installed)."""
    for counted in COUNTED:
        conn.execute(text(f"DELETE FROM {counted.counts}"))
        conn.execute(text(
            f"INSERT INTO {counted.counts} ({counted.names}, row_count) "
            f"SELECT {counted.names}, count(*) FROM {counted.table} GROUP BY {counted.names}"
        ))


def pause_sync(conn: Connection) -> None:
    """For a bulk load in this transaction: the counts stop following row by row.

    Call ``resume_sync`` before the transaction commits. DDL is
    transactional on both databases: a rollback restores the triggers.
    """
    _drop_triggers(conn)


def resume_sync(conn: Connection) -> None:
    """The triggers back, and the counts taken once from the loaded tables."""
    _create_triggers(conn)
    recount(conn)


def _create_triggers(conn: Connection) -> None:
    create = _create_sqlite_triggers if conn.dialect.name == "sqlite" else _create_postgres_triggers
    for counted in COUNTED:
        create(conn, counted)


def _drop_triggers(conn: Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"
    for counted in COUNTED:
        on_table = "" if sqlite else f" ON {counted.table}"  # PostgreSQL names a trigger per table
        for name in _SQLITE_SUFFIXES if sqlite else _POSTGRES_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {counted.counts}_{name}{on_table}"))


def _create_sqlite_triggers(conn: Connection, c: Counted) -> None:
    def add(row: str) -> str:
        values = ", ".join(f"{row}.{key}" for key in c.keys)
        return (f"INSERT INTO {c.counts} ({c.names}, row_count) VALUES ({values}, 1) "
                f"ON CONFLICT ({c.names}) DO UPDATE SET row_count = row_count + 1;")

    def remove(row: str) -> str:
        match = " AND ".join(f"{key} = {row}.{key}" for key in c.keys)
        return f"UPDATE {c.counts} SET row_count = row_count - 1 WHERE {match};"

    moved = " OR ".join(f"old.{key} IS NOT new.{key}" for key in c.keys)
    conn.execute(text(f"CREATE TRIGGER {c.counts}_ai AFTER INSERT ON {c.table} BEGIN {add('new')} END"))
    conn.execute(text(f"CREATE TRIGGER {c.counts}_ad AFTER DELETE ON {c.table} BEGIN {remove('old')} END"))
    conn.execute(text(
        f"CREATE TRIGGER {c.counts}_au AFTER UPDATE OF {c.names} ON {c.table} WHEN {moved} "
        f"BEGIN {remove('old')} {add('new')} END"
    ))


def _create_postgres_function(conn: Connection, c: Counted) -> None:
    def upsert(source: str) -> str:
        # Ordered, so that two statements lock shared count rows in the same order.
        return (f"INSERT INTO {c.counts} AS f ({c.names}, row_count) {source} "
                f"ON CONFLICT ({c.names}) DO UPDATE SET row_count = f.row_count + excluded.row_count;")

    def grouped(rows: str, sign: str) -> str:
        return f"SELECT {c.names}, {sign}count(*) FROM {rows} GROUP BY {c.names} ORDER BY {c.names}"

    def one(row: str, delta: int) -> str:
        return "VALUES (" + ", ".join(f"{row}.{key}" for key in c.keys) + f", {delta})"

    # One function for the four triggers; each statement is planned when its
    # branch first runs, so a branch may name a transition table the others lack.
    conn.execute(text(f"""
        CREATE OR REPLACE FUNCTION {c.counts}_follow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {upsert(grouped('new_rows', ''))}
            ELSIF TG_OP = 'DELETE' THEN
                {upsert(grouped('old_rows', '-'))}
            ELSIF TG_OP = 'UPDATE' THEN
                {upsert(one('OLD', -1))}
                {upsert(one('NEW', 1))}
            ELSE
                DELETE FROM {c.counts};
            END IF;
            RETURN NULL;
        END $$
    """))


def _create_postgres_triggers(conn: Connection, c: Counted) -> None:
    follow = f"EXECUTE FUNCTION {c.counts}_follow()"
    moved = " OR ".join(f"OLD.{key} IS DISTINCT FROM NEW.{key}" for key in c.keys)
    conn.execute(text(f"CREATE TRIGGER {c.counts}_inserted AFTER INSERT ON {c.table} "
                      f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT {follow}"))
    conn.execute(text(f"CREATE TRIGGER {c.counts}_deleted AFTER DELETE ON {c.table} "
                      f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT {follow}"))
    conn.execute(text(f"CREATE TRIGGER {c.counts}_moved AFTER UPDATE OF {c.names} ON {c.table} "
                      f"FOR EACH ROW WHEN ({moved}) {follow}"))
    conn.execute(text(f"CREATE TRIGGER {c.counts}_truncated AFTER TRUNCATE ON {c.table} "
                      f"FOR EACH STATEMENT {follow}"))

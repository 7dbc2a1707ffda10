"""Trigram text indexes over the search_text columns of customers and contracts.

SQLite: an FTS5 table with the trigram tokenizer per list, kept in step with
its base table by triggers (external content, so the text is stored once).
PostgreSQL: a GIN index with pg_trgm's operator class, used by LIKE.
Both answer ``LIKE '%term%'`` from the index for terms of three or more
characters.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

INDEXED_TABLES = ("customers", "contracts")


def fts_table(table: str) -> str:
    return f"{table}_fts"


def is_search_index_object(name: str) -> bool:
    """True for the FTS5 tables (and shadow tables) and trigram indexes the models do not describe."""
    return any(name.startswith(fts_table(t)) or name == f"ix_{t}_search_trgm" for t in INDEXED_TABLES)


def create_search_indexes(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for table in INDEXED_TABLES:
            _create_fts(conn, table)
    else:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        for table in INDEXED_TABLES:
            conn.execute(text(
                f"CREATE INDEX ix_{table}_search_trgm ON {table} "
                "USING gin (search_text gin_trgm_ops)"
            ))


def drop_search_indexes(conn: Connection) -> None:
    for table in INDEXED_TABLES:
        if conn.dialect.name == "sqlite":
            for suffix in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {fts_table(table)}_{suffix}"))
            conn.execute(text(f"DROP TABLE IF EXISTS {fts_table(table)}"))
        else:
            conn.execute(text(f"DROP INDEX IF EXISTS ix_{table}_search_trgm"))


def _create_fts(conn: Connection, table: str) -> None:
    fts = fts_table(table)
    conn.execute(text(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        "content_rowid='id', tokenize='trigram')"
    ))
    _create_triggers(conn, table)


def _create_triggers(conn: Connection, table: str) -> None:
    fts = fts_table(table)
    conn.execute(text(
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ))
    conn.execute(text(
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    ))
    conn.execute(text(
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ))


def rebuild(conn: Connection) -> None:
    """Rebuild the SQLite FTS tables from their base tables (after a bulk load)."""
    if conn.dialect.name == "sqlite":
        for table in INDEXED_TABLES:
            fts = fts_table(table)
            conn.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))


def pause_sync(conn: Connection) -> None:
    """For a bulk load in this transaction: the text indexes stop following row by row.

    SQLite's FTS tables lose their triggers, PostgreSQL's trigram indexes are
    dropped (which locks both tables until the transaction ends: for first
    loads). Call ``resume_sync`` before the transaction commits; DDL is
    transactional on both, so a rollback restores everything by itself.
    """
    if conn.dialect.name == "sqlite":
        for table in INDEXED_TABLES:
            for suffix in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {fts_table(table)}_{suffix}"))
    else:
        drop_search_indexes(conn)


def resume_sync(conn: Connection) -> None:
    """The indexes built once from their tables, and following row by row again."""
    if conn.dialect.name == "sqlite":
        for table in INDEXED_TABLES:
            _create_triggers(conn, table)
        rebuild(conn)
    else:
        create_search_indexes(conn)

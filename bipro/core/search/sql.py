"""Dialect-specific pieces of the list SQL: text search and case-insensitive contains.

SQLite answers terms of three or more characters from the FTS5 trigram table
(``<table>_fts``) with ``MATCH`` phrases; PostgreSQL from the pg_trgm GIN
index with ``LIKE``. Terms the index cannot answer become a plain substring
test on the row (``instr``/``strpos``) that is checked on the rows the other
conditions leave.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from bipro.core.search import terms as T
from store.search_index import fts_table

# SQLite's lower() folds ASCII only ("Ö" stays "Ö"); field filters need the
# same folding as Python's str.lower, which built the stored search text.
_SQLITE_LOWER = "bipro_lower"


def _python_lower(value):
    return value.lower() if isinstance(value, str) else value


@dataclass(frozen=True)
class ListSql:
    """SQL building blocks for one dialect ("sqlite" or "postgresql")."""

    dialect: str

    @classmethod
    def for_session(cls, session: Session) -> "ListSql":
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            pooled = session.connection().connection
            # Once per connection, not per query: registering a function
            # expires the connection's prepared statements, so they would be
            # prepared afresh for every page. ``info`` lives as long as the
            # DB-API connection does.
            if not pooled.info.get(_SQLITE_LOWER):
                pooled.driver_connection.create_function(_SQLITE_LOWER, 1, _python_lower,
                                                         deterministic=True)
                pooled.info[_SQLITE_LOWER] = True
        else:
            # psycopg prepares a statement it has run five times, and after five
            # more PostgreSQL may keep one generic plan for it, made without the
            # search pattern: "müller" then walked all 250,000 customers of the
            # broker instead of the trigram index's 2,382 hits (22 ms became
            # 120-155 ms from the eleventh page on one connection). A plan per
            # pattern, for this transaction only.
            session.execute(select(func.set_config("plan_cache_mode", "force_custom_plan", True)))
        return cls(dialect)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def indexable(self, term: str) -> bool:
        return T.fts_indexable(term) if self.is_sqlite else T.trgm_indexable(term)

    def contains(self, expr, term: str) -> ColumnElement[bool]:
        """*expr* contains the lower-case *term* literally (no wildcards, no folding)."""
        if self.is_sqlite:
            return func.instr(expr, term) > 0
        return func.strpos(expr, term) > 0

    def contains_ci(self, expr, term: str) -> ColumnElement[bool]:
        """Case-insensitive contains for one field (the 480 field filters)."""
        lower = getattr(func, _SQLITE_LOWER) if self.is_sqlite else func.lower
        return self.contains(lower(expr), term)

    def text_conditions(self, model, terms, *, use_index: bool = True) -> list[ColumnElement[bool]]:
        """Conditions: *model*'s search text contains every term.

        ``use_index=False`` (SQLite) tests each row instead of asking the FTS
        table, for walking an index in sort order and stopping at the page end.
        """
        indexed = [t for t in terms if use_index and self.indexable(t)]
        rest = [self.contains(model.search_text, t) for t in terms if t not in indexed]
        return self.indexed_text(model, indexed) + rest

    def indexed_text(self, model, terms) -> list[ColumnElement[bool]]:
        """Conditions the text index answers: the search text contains every one of *terms*.

        Every term must be ``indexable``; no terms, no condition.
        """
        if not terms:
            return []
        if self.is_sqlite:
            return [model.id.in_(self.fts_rowids(model, terms))]
        return [model.search_text.like(T.like_contains(t), escape="\\") for t in terms]

    def fts_rowids(self, model, terms):
        """``SELECT rowid FROM <fts> WHERE <fts> MATCH '"t1" AND "t2"'`` (SQLite)."""
        name = fts_table(model.__tablename__)
        fts = table(name, column("rowid"))
        return select(fts.c.rowid).where(
            literal_column(name).op("MATCH")(T.fts_match_expression(terms)))

    def fts_count(self, session: Session, model, terms) -> int:
        """Rows of the whole table (every broker) whose text has all *terms* (SQLite).

        Cheap: FTS5 counts from its doclists without reading the rows.
        """
        stmt = select(func.count()).select_from(self.fts_rowids(model, terms).subquery())
        return session.execute(stmt).scalar_one()

"""A first load of a large file builds the lists' indexes once at the end."""

from __future__ import annotations

from sqlalchemy import Connection, func, select, text
from sqlalchemy.schema import AddConstraint, DropConstraint

from bipro.core.gdv.layout import LINE_LENGTH
from bipro.core.portfolio.gdv_import.report import ImportReport
from store import row_counts, search_index
from store.models import Contract, Customer


class BulkLoad:
    """A large load of mostly new rows builds its indexes once at the end.

    Decided after the first batch: when nearly all of it was new and the
    file (estimated from its size) is at least as large as the contracts
    already stored, the text index (SQLite FTS5, PostgreSQL pg_trgm) and the
    lists' sort indexes stop following row by row and are built once when
    the file is through, which is several times faster than keeping a dozen
    indexes in step with a million inserts; the lists' row counts are taken
    once at the end too; afterwards PostgreSQL analyzes
    both tables. The unique keys the import looks rows up by stay, and so
    does the contracts' customer index (a renamed holder's contracts are
    found by it). On PostgreSQL the contracts' foreign key to customers is
    dropped too and added again at the end, where it checks every row in
    one join instead of one lookup per inserted contract. DDL is
    transactional on both databases: a rollback brings every index and
    constraint back by itself. An update file keeps the row-by-row indexes
    (and the tables unlocked).
    """

    MIN_CONTRACTS = 10_000
    BYTES_PER_CONTRACT = 3 * (LINE_LENGTH + 2)  # 0100 twice and 0200, CRLF
    KEPT_INDEXES = frozenset({"ix_contracts_customer_id"})

    def __init__(self, conn: Connection, file_size: int):
        self.conn, self.estimate = conn, file_size // self.BYTES_PER_CONTRACT
        self.decided = self.bulk = False

    def after_batch(self, report: ImportReport, size: int) -> None:
        if self.decided:
            return
        self.decided = True
        if self.estimate < self.MIN_CONTRACTS or report.contracts_created < 0.9 * size:
            return
        stored = self.conn.scalar(select(func.count()).select_from(Contract))
        if self.estimate >= stored:
            self.bulk = True
            search_index.pause_sync(self.conn)
            row_counts.pause_sync(self.conn)
            for index in self._sort_indexes():
                index.drop(self.conn)
            for constraint in self._checked_at_the_end():
                self.conn.execute(DropConstraint(constraint))

    def finish(self) -> None:
        if self.bulk:
            for constraint in self._checked_at_the_end():
                self.conn.execute(AddConstraint(constraint))
            for index in self._sort_indexes():
                index.create(self.conn)
            search_index.resume_sync(self.conn)
            row_counts.resume_sync(self.conn)
            if self.conn.dialect.name == "postgresql":
                # Fresh statistics, so the lists' queries plan for the new size at once.
                self.conn.execute(text("ANALYZE customers"))
                self.conn.execute(text("ANALYZE contracts"))

    def _checked_at_the_end(self) -> list:
        if self.conn.dialect.name != "postgresql":
            return []  # SQLite cannot drop a constraint; its check per row is cheap
        return [fk for fk in Contract.__table__.foreign_key_constraints
                if fk.referred_table is Customer.__table__]

    def _sort_indexes(self):
        return [index for table in (Customer.__table__, Contract.__table__)
                for index in sorted(table.indexes, key=lambda i: i.name)
                if not index.unique and index.name not in self.KEPT_INDEXES]

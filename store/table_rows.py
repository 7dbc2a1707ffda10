"""Plain tuples in and out of one table on the driver's own cursor, for bulk loads.

A load of a million rows cannot afford the ORM's step per row, nor even
SQLAlchemy's statement layer; this goes through the driver directly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from sqlalchemy import Connection, Table


class TableRows:
    """One table's rows: looked up by a unique *key*, inserted as tuples of the *filled* columns.

    SQLite stores dates, timestamps and amounts as SQLAlchemy does (its
    column types convert them, the same functions as for any statement);
    psycopg takes and gives Python's types as they are. New rows go into
    PostgreSQL by ``COPY``; every column the load does not fill gets the
    model's default.
    """

    def __init__(self, conn: Connection, table: Table, lookup: tuple[str, ...], key: str,
                 filled: tuple[str, ...]):
        dialect = conn.dialect
        self.postgres = dialect.name == "postgresql"
        self.table, self.lookup, self.key = table.name, lookup, key
        defaults = {c.name: c.default.arg for c in table.columns
                    if c.name not in filled and c.default is not None and c.default.is_scalar}
        self.columns = (*filled, *defaults)
        self.defaults = tuple(defaults.values())
        self.to_db, self.from_db = [], []
        if not self.postgres:
            self.to_db = [(i, _memo(table.c[name].type.dialect_impl(dialect).bind_processor(dialect)))
                          for i, name in enumerate(self.columns)]
            self.from_db = [(i, table.c[name].type.dialect_impl(dialect).result_processor(dialect, None))
                            for i, name in enumerate(lookup)]
            self.to_db = [(i, p) for i, p in self.to_db if p is not None]
            self.from_db = [(i, p) for i, p in self.from_db if p is not None]
        names = ", ".join(self.columns)
        self.insert_sql = (f"COPY {table.name} ({names}) FROM STDIN" if self.postgres else
                           f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(self.columns))})")

    def find(self, conn: Connection, keys: list[str]) -> dict[str, dict]:
        """The stored rows with these keys, by key, as dicts of Python values."""
        if not keys:
            return {}
        cursor = conn.connection.driver_connection.cursor()
        try:
            columns = ", ".join(self.lookup)
            if self.postgres:
                cursor.execute(f"SELECT {columns} FROM {self.table} WHERE {self.key} = ANY(%s)", (keys,))
            else:
                cursor.execute(f"SELECT {columns} FROM {self.table} WHERE {self.key} IN "
                               f"({', '.join('?' * len(keys))})", keys)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        found = {}
        names, convert, at_key = self.lookup, self.from_db, self.lookup.index(self.key)
        for row in rows:
            if convert:
                row = list(row)
                for i, process in convert:
                    row[i] = process(row[i])
            found[row[at_key]] = dict(zip(names, row))
        return found

    def insert(self, conn: Connection, rows: list[tuple]) -> None:
        """*rows* in the order of the filled columns."""
        if self.defaults:
            rows = [row + self.defaults for row in rows]
        driver = conn.connection.driver_connection
        if self.postgres:
            with driver.cursor() as cursor, cursor.copy(self.insert_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if self.to_db:
            converted = []
            for row in rows:
                row = list(row)
                for i, process in self.to_db:
                    value = row[i]
                    if value is not None:
                        row[i] = process(value)
                converted.append(row)
            rows = converted
        cursor = driver.cursor()
        try:
            cursor.executemany(self.insert_sql, rows)
        finally:
            cursor.close()


def _memo(process: Callable | None) -> Callable | None:
    """A type's conversion, remembered for values that repeat (dates, the import's timestamp)."""
    if process is None:
        return None
    return lru_cache(maxsize=4096)(process)

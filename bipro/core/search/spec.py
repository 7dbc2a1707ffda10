"""A list's definition: its table, columns, default order and filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import ColumnElement, Select, select

from bipro.core.search.model import FIRST_VALUE as _FIRST
from bipro.core.search.model import Column, Filter, ListRow
from bipro.core.search.sql import ListSql

# A filter turns the caller's value into conditions: (value, sql, broker_id) -> Filter.
FilterFn = Callable[[str, ListSql, int], Filter]


@dataclass(frozen=True)
class ListSpec:
    """Everything the query engine needs to know about one list."""

    name: str
    model: type  # the mapped class whose rows the list shows (id, broker_id, search_text)
    columns: tuple[Column, ...]
    customer_id: ColumnElement  # for the "open customer" action
    default_order: tuple[tuple[str, str], ...]
    filters: Mapping[str, FilterFn]
    # Adds the joins the columns need to ``SELECT ... FROM model``, scoped to
    # the broker: (statement, broker_id, use the joined table's broker index).
    join: Callable[[Select, int, bool], Select] = lambda stmt, _broker_id, _index: stmt

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @cached_property
    def _readers(self) -> tuple[tuple[int, int, Callable | None], ...]:
        """Per column: its slice of a selected row and how to combine it (None: the one value)."""
        readers, at = [], 2
        for col in self.columns:
            n = len(col.load)
            plain = n == 1 and col.value is _FIRST
            readers.append((at, at + n, None if plain else col.value))
            at += n
        return tuple(readers)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def select_rows(self, broker_id: int, *, own_index: bool = True, joined_index: bool = True) -> Select:
        """The rows of the broker.

        ``own_index=False`` / ``joined_index=False`` keep SQLite off the
        broker_id index of the list's table / the joined table, so that it
        drives the query from the index we want (see ``plan.py``).
        """
        loads = [expr for col in self.columns for expr in col.load]
        owner = self.model.broker_id if own_index else self.model.broker_id + 0
        stmt = select(self.model.id, self.customer_id, *loads).where(owner == broker_id)
        return self.join(stmt, broker_id, joined_index)

    def to_row(self, raw) -> ListRow:
        # Once per exported row: the column layout is worked out once per list.
        values = tuple(raw[start] if value is None else value(*raw[start:end])
                       for start, end, value in self._readers)
        return ListRow(id=raw[0], customer_id=raw[1], values=values, keys=self.keys)

    def display(self, row: ListRow) -> tuple[str, ...]:
        """The row's values as shown on screen and in exports (German formats)."""
        return tuple(col.display(value) for col, value in zip(self.columns, row.values))

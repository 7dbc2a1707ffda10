"""A list's definition: its table, columns, default order and filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select

from bipro.core.lists.model import Column, Filter, ListRow
from bipro.core.lists.sql import ListSql

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

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

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
        values, at = [], 2
        for col in self.columns:
            n = len(col.load)
            values.append(col.value(*raw[at:at + n]))
            at += n
        return ListRow(id=raw[0], customer_id=raw[1], values=tuple(values), keys=self.keys)

    def display(self, row: ListRow) -> tuple[str, ...]:
        """The row's values as shown on screen and in exports (German formats)."""
        return tuple(col.display(value) for col, value in zip(self.columns, row.values))

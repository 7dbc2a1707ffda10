"""A list's definition: its table, columns, default order and filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

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
    # The broker's rows counted by the database (store.models.counts):
    # broker_id, row_count and the key columns filters name in ``counted_as``.
    counts: type
    default_order: tuple[tuple[str, str], ...]
    filters: Mapping[str, FilterFn]
    # Adds the joins the columns need to ``SELECT ... FROM model``, scoped to
    # the broker: (statement, broker_id, use the joined table's broker index).
    join: Callable[[Select, int, bool], Select] = lambda stmt, _broker_id, _index: stmt
    # Columns of the list's own table shown as the name of a code, as
    # (column key, {code: name}): a term within a name is also answered by the
    # code column's index (contracts: STATUS and SPARTE, see ``code_conditions``).
    code_columns: tuple[tuple[str, Mapping], ...] = ()

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @cached_property
    def _shape(self) -> tuple[Callable, tuple[tuple[int, int, int, Callable], ...]]:
        """How a selected row becomes the column values, worked out once per list.

        One ``itemgetter`` takes each column's first loaded value (a single
        call made from C); a column that combines several loaded values (a
        person's name) is then set from ``value(*row[start:end])``, as
        (position, start, end, value).
        """
        firsts, computed, at = [], [], 2  # the row starts with the id and the customer's id
        for position, col in enumerate(self.columns):
            n = len(col.load)
            firsts.append(at)
            if not (n == 1 and col.value is _FIRST):
                computed.append((position, at, at + n, col.value))
            at += n
        if len(firsts) == 1:  # itemgetter of one index gives the value, not a tuple
            def pick(row, _first=firsts[0]):
                return (row[_first],)
        else:
            pick = itemgetter(*firsts)
        return pick, tuple(computed)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def code_conditions(self, term: str) -> tuple[ColumnElement[bool], ...]:
        """Per code column whose names contain the lower-case *term*: its code is one of those.

        Empty when no name contains it. A row whose code passes shows the
        name, so its search text contains the term: the conditions only
        name, through an index, rows that the text search finds anyway.
        """
        found = []
        for key, names in self.code_columns:
            codes = [code for code, name in names.items() if term in name.lower()]
            if codes:
                found.append(self.column(key).load[0].in_(codes))
        return tuple(found)

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

    def values_of(self, raw) -> tuple:
        """The column values of a row selected by ``select_rows``."""
        # Once per exported row: no per-column loop in Python.
        pick, computed = self._shape
        if not computed:
            return pick(raw)
        values = list(pick(raw))
        for position, start, end, value in computed:
            values[position] = value(*raw[start:end])
        return tuple(values)

    def to_row(self, raw) -> ListRow:
        return ListRow(id=raw[0], customer_id=raw[1], values=self.values_of(raw), keys=self.keys)

    def display(self, row: ListRow) -> tuple[str, ...]:
        """The row's values as shown on screen and in exports (German formats)."""
        return self.display_values(row.values)

    def display_values(self, values: tuple) -> tuple[str, ...]:
        """``display`` for the values of a row (``iter_values``)."""
        return tuple(col.display(value) for col, value in zip(self.columns, values))

"""The shapes every list shares: columns, the query, a page of rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement

from bipro.core.errors import Problem, ValidationFailed

ASC, DESC = "asc", "desc"


class ListQueryError(ValidationFailed):
    """The query asks for something the list does not have (unknown column, bad filter ...).

    The message is German and may be shown to the broker; as every invalid
    input it is a ``ValidationFailed``, so each adapter answers it in its one place.
    """

    def __init__(self, message: str, field: str = "Filter") -> None:
        super().__init__([Problem(field, message)])


def FIRST_VALUE(first, *_rest):  # noqa: N802 (a constant, compared by identity)
    """A column's value when it loads one expression: that expression."""
    return first


@dataclass(frozen=True)
class Column:
    """One list column: what to load, how to sort, how to show it."""

    key: str
    header: str  # as in the manual, e.g. "GEBURTSDATUM"
    load: tuple[ColumnElement, ...]  # selected expressions, combined by ``value``
    sort: tuple[ColumnElement, ...]  # ORDER BY expressions, before the id tie-breaker
    display: Callable[[Any], str] = str  # the value as shown, exported and searched
    value: Callable[..., Any] = FIRST_VALUE
    # An index (broker_id, <sort>, id) on the list's own table gives this order.
    broker_index: bool = True


@dataclass(frozen=True)
class Filter:
    """What one filter adds to the query.

    ``hints`` are lower-case substrings that every matching row's search text
    contains; the text index uses them to narrow the rows before the exact
    ``conditions`` are checked.
    """

    conditions: tuple[ColumnElement, ...] = ()
    hints: tuple[str, ...] = ()
    # The same rows as these (column, value) pairs of the list's per-broker
    # counts (Status, Sparte): counted there without reading a row.
    counted_as: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class ListQuery:
    """What the caller wants to see: search box, sort, page, filters.

    ``order`` is a sequence of (column key, "asc" | "desc"), first key first;
    an empty order means the list's default. ``limit=None`` is for
    ``iter_rows`` (exports): all rows from ``offset`` on. ``count_limit``:
    a search's hits are counted exactly up to this many (None: the list
    default, ``EXACT_COUNT_LIMIT``), or to the page's end if that lies further.
    """

    search: str = ""
    order: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()
    offset: int = 0
    limit: int | None = 10
    filters: Mapping[str, str] = field(default_factory=dict)
    count_limit: int | None = None


@dataclass(frozen=True)
class ListRow:
    """One row: the object's id, its customer's id (for links) and the column values."""

    id: int
    customer_id: int
    values: tuple[Any, ...]
    keys: tuple[str, ...]

    def __getitem__(self, key: str) -> Any:
        return self.values[self.keys.index(key)]


@dataclass(frozen=True)
class ListPage:
    """One page of rows.

    ``total`` counts all of the broker's rows ("von 140 Einträgen"),
    ``filtered`` those matching search and filters ("gefiltert von ...");
    ``is_filtered`` says whether a search or filter was active at all;
    ``plan`` how the rows were found (see ``fetch.PLANS``), for metrics.
    ``more`` says that ``filtered`` is a lower bound: more rows than that
    match ("von mehr als 10.000 Einträgen"), the count stopped there.
    """

    rows: list[ListRow]
    total: int
    filtered: int
    offset: int
    limit: int
    is_filtered: bool
    plan: str = ""
    more: bool = False

"""A list page's state, kept in its URL: search, sort, page, page size and filters.

    /kunden?q=Max+1980&sort=last_name:asc,birth_date:desc&page=2&size=25
    /vertraege?status=lebend&sparte=130

Everything a broker sees can be bookmarked and the back button works. A value
the list cannot use (an unknown column, a page size not offered, a page number
that is no number) falls back to the default with a German notice, so an old
bookmark or a hand-edited address still shows a list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from bipro.core.search import ASC, DESC, ListQuery, ListSpec

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_SIZE = PAGE_SIZES[0]
# Pages as "page=" numbers; far beyond any list (the pager shows the last page instead).
MAX_PAGE = 10_000_000


@dataclass(frozen=True)
class FilterChoice:
    """A select of fixed options above a list, e.g. the contract status."""

    name: str  # URL parameter and core filter key
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label); the first is the default

    @property
    def default(self) -> str:
        return self.options[0][0]

    def label_of(self, value: str) -> str:
        return dict(self.options).get(value, value)


@dataclass(frozen=True)
class ListState:
    """What the URL asks for, already checked against the list's columns and options."""

    search: str = ""
    order: tuple[tuple[str, str], ...] = ()  # empty: the list's default order
    page: int = 1
    size: int = DEFAULT_SIZE
    filters: tuple[tuple[str, str], ...] = ()  # (name, value) of the filters not at their default
    notices: tuple[str, ...] = ()  # German: what in the URL was ignored and why

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def filter_values(self) -> dict[str, str]:
        return dict(self.filters)

    def query(self) -> ListQuery:
        """The page the URL asks for."""
        return ListQuery(search=self.search, order=self.order, offset=self.offset,
                         limit=self.size, filters=self.filter_values)

    def export_query(self) -> ListQuery:
        """Every row of the search and filters, in the same order (exports)."""
        return ListQuery(search=self.search, order=self.order, offset=0, limit=None,
                         filters=self.filter_values)

    def effective_order(self, spec: ListSpec) -> tuple[tuple[str, str], ...]:
        return self.order or tuple(spec.default_order)

    def at_last_page(self, rows: int, notice: str) -> "ListState":
        """The last page that has rows (the URL asked for one beyond the end)."""
        last = max(1, -(-rows // self.size))
        return replace(self, page=last, notices=self.notices + (notice,))

    # --- links -------------------------------------------------------------------------

    def args(self, **changes) -> dict[str, str]:
        """URL parameters of this state with *changes*; defaults are left out.

        ``changes`` may set ``search``, ``order``, ``page``, ``size`` or a filter name.
        """
        search = changes.pop("search", self.search)
        order = changes.pop("order", self.order)
        page = changes.pop("page", self.page)
        size = changes.pop("size", self.size)
        args: dict[str, str] = {}
        if search:
            args["q"] = search
        if order:
            args["sort"] = format_order(order)
        if page != 1:
            args["page"] = str(page)
        if size != DEFAULT_SIZE:
            args["size"] = str(size)
        for name, value in self.filters:
            value = changes.pop(name, value)
            if value:
                args[name] = value
        if changes:
            raise TypeError(f"unknown list state change: {sorted(changes)}")
        return args

    def export_args(self) -> dict[str, str]:
        """Search, sort and filters: what an export needs (it has no page)."""
        return self.args(page=1, size=DEFAULT_SIZE)

    def sort_args(self, spec: ListSpec, key: str) -> dict[str, str]:
        """A header click: sort by this column alone; a second click reverses it."""
        current = dict(self.effective_order(spec))
        direction = (DESC if current[key] == ASC else ASC) if key in current else ASC
        return self.args(order=((key, direction),), page=1)


def parse_state(args: Mapping[str, str], spec: ListSpec,
                choices: Sequence[FilterChoice] = ()) -> ListState:
    """The state in the URL parameters *args* (a request's ``args``)."""
    notices: list[str] = []
    order = _parse_order(args.get("sort", ""), spec, notices)
    page = _parse_int(args.get("page", ""), 1)
    if page is None or not 1 <= page <= MAX_PAGE:
        notices.append("Die Seitenzahl war ungültig; angezeigt wird die erste Seite.")
        page = 1
    size = _parse_int(args.get("size", ""), DEFAULT_SIZE)
    if size not in PAGE_SIZES:
        notices.append("Diese Seitengröße gibt es nicht; "
                       f"angezeigt werden {DEFAULT_SIZE} Einträge.")
        size = DEFAULT_SIZE
    filters = []
    for choice in choices:
        value = (args.get(choice.name) or choice.default).strip()
        if value not in dict(choice.options):
            notices.append(f"{choice.label} „{value}“ gibt es nicht; "
                           "der Filter wurde zurückgesetzt.")
            value = choice.default
        if value != choice.default:
            filters.append((choice.name, value))
    return ListState(search=args.get("q", "").strip(), order=order, page=page, size=size,
                     filters=tuple(filters), notices=tuple(notices))


def format_order(order: Sequence[tuple[str, str]]) -> str:
    """``last_name:asc,birth_date:desc``"""
    return ",".join(f"{key}:{direction}" for key, direction in order)


def _parse_order(text: str, spec: ListSpec, notices: list[str]) -> tuple[tuple[str, str], ...]:
    order: list[tuple[str, str]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, direction = part.partition(":")
        key, direction = key.strip(), (direction.strip().lower() or ASC)
        if spec.column(key) is None:
            notices.append(f"Nach „{key}“ kann nicht sortiert werden; "
                           "diese Sortierung wurde ignoriert.")
        elif direction not in (ASC, DESC):
            notices.append(f"Unbekannte Sortierrichtung „{direction}“; sortiert wird aufsteigend.")
            order.append((key, ASC))
        elif key not in dict(order):
            order.append((key, direction))
    return tuple(order)


def _parse_int(text: str, default: int) -> int | None:
    text = (text or "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


@dataclass(frozen=True)
class Pager:
    """The paging line: "1 bis 10 von 140 Einträgen" and "Zurück 1 2 3 4 5 … 14 Nächste"."""

    page: int
    pages: int
    first: int  # 1-based number of the first row shown, 0 when none
    last: int
    filtered: int
    total: int
    is_filtered: bool
    items: list[int | None] = field(default_factory=list)  # page numbers, None for "…"
    more: bool = False  # more than ``filtered`` rows match: "von mehr als 10.000 Einträgen"


def make_pager(state: ListState, rows_shown: int, filtered: int, total: int,
               is_filtered: bool, more: bool = False) -> Pager:
    # With a bounded count only the pages up to the bound are known to exist,
    # and one more: "more than 10,000" means row 10,001 is there.
    pages = max(1, -(-(filtered + more) // state.size))
    first = state.offset + 1 if rows_shown else 0
    return Pager(page=state.page, pages=pages, first=first, last=state.offset + rows_shown,
                 filtered=filtered, total=total, is_filtered=is_filtered,
                 items=page_numbers(state.page, pages), more=more)


def page_numbers(page: int, pages: int, slots: int = 7) -> list[int | None]:
    """Page buttons as DataTables shows them: at most ``slots`` entries, ``None`` is "…".

    ``page_numbers(1, 14)`` -> 1 2 3 4 5 … 14; ``page_numbers(7, 14)`` -> 1 … 6 7 8 … 14.
    """
    if pages <= slots:
        return list(range(1, pages + 1))
    edge = slots - 2  # pages shown next to the first or last one
    if page <= edge - 1:
        return list(range(1, edge + 1)) + [None, pages]
    if page >= pages - edge + 2:
        return [1, None] + list(range(pages - edge + 1, pages + 1))
    middle = slots - 4
    start = page - (middle - 1) // 2
    return [1, None] + list(range(start, start + middle)) + [None, pages]

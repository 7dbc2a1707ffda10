"""Run a list query: one page with its counts, or every row for an export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter

from bipro.core.caller import Caller
from bipro.core.search import plan
from bipro.core.search.budget import BudgetSpent, within_budget
from bipro.core.search.model import ASC, DESC, ListPage, ListQuery, ListQueryError, ListRow
from bipro.core.search.spec import ListSpec
from bipro.core.search.sql import ListSql
from bipro.core.search.terms import parse_terms
from bipro.core.text_rules import composed
from store.db import stream_rows

STREAM_CHUNK = 1_000
# PostgreSQL: up to this many hits, the page is sorted from the hits (see _Prepared.order_by).
PG_SORT_HITS_MAX = 20_000
# A search's hits are counted exactly up to this many; beyond it the count
# stops and the pager says "von mehr als 10.000 Einträgen". Counting the
# 880,000 rows of "lebend" cost more than the page itself, and nobody pages
# through them: the broker narrows the search instead.
EXACT_COUNT_LIMIT = 10_000

# How a page's rows were found (``ListPage.plan``, a label of the list metrics).
SORTED = "sorted"  # no search or filter: the broker's rows in sort order
FILTERED = "filtered"  # filters (or few hits): the database finds and sorts them
TEXT_INDEX = "text_index"  # SQLite: the hits through the FTS table, then sorted
WALK = "walk"  # the sort index walked, testing each row, within a budget
WALK_ABANDONED = "walk_abandoned"  # the walk ran out of budget; the hits were fetched and sorted
EMPTY = "empty"  # no row to fetch (nothing matches, or a page beyond the end)
PLANS = (SORTED, FILTERED, TEXT_INDEX, WALK, WALK_ABANDONED, EMPTY)


@dataclass
class _Prepared:
    """A validated query for one broker, ready to become SQL."""

    spec: ListSpec
    broker_id: int
    sql: ListSql
    order: list[tuple[str, str]]
    terms: tuple[str, ...]  # search terms and filter hints, all must be in the text
    filter_conditions: list[ColumnElement[bool]]
    # Terms that name a code (``ListSpec.code_conditions``), with those conditions.
    codes: dict[str, tuple[ColumnElement[bool], ...]]
    # The filters as key values of the list's counts, or None if one has no such form.
    counted_as: tuple[tuple[str, object], ...] | None

    @property
    def active(self) -> bool:
        return bool(self.terms or self.filter_conditions)

    @property
    def codes_only(self) -> bool:
        """Every term names a code: the code columns' indexes find most hits."""
        return bool(self.terms) and all(t in self.codes for t in self.terms)

    @property
    def index_terms(self) -> tuple[str, ...]:
        """The terms the text index answers (a term that names a code too).

        Tried and measured on 1,000,000 contracts: leaving "hausrat" to its
        code beside "müller" makes SQLite read each of the 9,445 rows of
        "müller" (FTS5's phrase match is exact and reads no row) and gives
        PostgreSQL's planner a test it cannot estimate, after which it walks
        every customer; both were slower than the index's own AND.
        """
        return tuple(t for t in self.terms if self.sql.indexable(t))

    def conditions(self, *, use_index: bool = True) -> list[ColumnElement[bool]]:
        """Search and filters as SQL; ``use_index=False``: every term tested on the row (SQLite walk).

        A term the text index does not answer is a substring test on the
        row, for a term naming a code ORed with the code (the same rows,
        decided without reading the text in most of them).
        """
        indexed = self.index_terms if use_index else ()
        conditions = self.sql.indexed_text(self.spec.model, indexed)
        for term in self.terms:
            if term not in indexed:
                text = self.sql.contains(self.spec.model.search_text, term)
                conditions.append(or_(*self.codes[term], text) if term in self.codes else text)
        return conditions + self.filter_conditions

    def code_conditions(self) -> list[ColumnElement[bool]]:
        """For a search of codes only: the rows whose codes alone match every term (a subset of the hits)."""
        return [or_(*self.codes[t]) for t in self.terms] + self.filter_conditions

    def order_by(self, *, sort_hits: bool = False) -> list[ColumnElement]:
        """ORDER BY for the query's sort.

        ``sort_hits`` hides the sort columns from PostgreSQL's index matching
        (``coalesce(x, x)`` is *x*). Its planner takes several LIKE terms as
        independent and may walk a sort index expecting hits everywhere, when
        the search is rare and bunched in the sort order ("müller storniert"
        sorted by KUNDE: 3 s); the count has just told us how few hits there
        are, so we make it fetch them and sort them.
        """
        def plain(expr):
            return func.coalesce(expr, expr) if sort_hits else expr
        exprs, direction = [], ASC
        for key, direction in self.order:
            for expr in self.spec.column(key).sort:
                exprs.append(plain(expr).desc() if direction == DESC else plain(expr).asc())
        # The id last makes every order total, so pages never overlap or skip;
        # in the last key's direction so a single-key sort reads its index
        # (broker_id, column, id) straight forwards or backwards.
        model_id = plain(self.spec.model.id)
        exprs.append(model_id.desc() if direction == DESC else model_id.asc())
        return exprs


def _prepare(session: Session, broker_id: int, spec: ListSpec, query: ListQuery) -> _Prepared:
    if query.offset < 0 or (query.limit is not None and query.limit < 0):
        raise ListQueryError("Ungültiger Seitenbereich.")
    order, seen = [], set()
    for key, direction in query.order or spec.default_order:
        if spec.column(key) is None:
            raise ListQueryError(f"Nach der Spalte {key!r} kann nicht sortiert werden.")
        if direction not in (ASC, DESC):
            raise ListQueryError(f"Unbekannte Sortierrichtung: {direction!r}")
        if key not in seen:  # a repeated key adds nothing to the order
            seen.add(key)
            order.append((key, direction))
    terms = list(parse_terms(query.search or ""))  # SearchTooLong is a ListQueryError
    sql = ListSql.for_session(session)
    conditions, counted_as = [], []
    for key, value in (query.filters or {}).items():
        if key not in spec.filters:
            raise ListQueryError(f"Unbekannter Filter: {key!r}")
        if value is None or str(value).strip() == "":
            continue
        # Composed like the stored text, so a decomposed umlaut finds the typed one.
        contribution = spec.filters[key](composed(str(value)), sql, broker_id)
        conditions.extend(contribution.conditions)
        if contribution.conditions and counted_as is not None:
            if contribution.counted_as:
                counted_as.extend(contribution.counted_as)
            else:
                counted_as = None  # a filter the kept counts cannot answer: its rows are counted
        terms.extend(h for h in contribution.hints if h not in terms)
    codes = {t: found for t in terms if (found := spec.code_conditions(t))}
    return _Prepared(spec, broker_id, sql, order, tuple(terms), conditions, codes,
                     None if counted_as is None else tuple(counted_as))


def _driving_indexes(p: _Prepared, total: int, use_fts: bool) -> tuple[bool, bool]:
    """Which broker_id indexes SQLite may use: (list table's, joined table's)."""
    if not p.sql.is_sqlite or total <= plan.SMALL_LIST:
        return True, True  # PostgreSQL plans by its statistics; a small list is sorted in memory
    if use_fts:
        return False, False  # look the hits up by id, then sort them
    own = p.spec.column(p.order[0][0]).broker_index
    return own, not own  # walk the index of the first sort column's table


def _count(session: Session, p: _Prepared, conditions, *, broker_index: bool = True,
           at_most: int | None = None) -> int:
    """Matching rows of the broker; with *at_most*, the count stops after ``at_most + 1``."""
    model = p.spec.model
    # ``broker_id + 0`` keeps SQLite off the broker index: reading the whole
    # table in storage order beats a random read per row when the broker owns most of it.
    owner = model.broker_id if broker_index else (model.broker_id + 0)
    if at_most is None:
        stmt = select(func.count()).select_from(model).where(owner == p.broker_id, *conditions)
    else:
        # The LIMIT inside lets both databases stop reading at the bound.
        hits = select(model.id).where(owner == p.broker_id, *conditions).limit(at_most + 1)
        stmt = select(func.count()).select_from(hits.subquery())
    return session.execute(stmt).scalar_one()


def count_total(session: Session, caller: Caller, spec: ListSpec) -> int:
    """All rows of the caller's broker in this list ("von N Einträgen")."""
    return _counted(session, spec, caller.broker_id, ())


def _counted(session: Session, spec: ListSpec, broker_id: int, key: tuple[tuple[str, object], ...]) -> int:
    """The broker's rows with these key values, from the counts the database keeps.

    A sum over a few dozen rows (a broker's Status and Sparte pairs) instead
    of reading a million index entries: the total alone cost a third of the
    slowest page.
    """
    counts = spec.counts
    stmt = select(func.coalesce(func.sum(counts.row_count), 0)).where(
        counts.broker_id == broker_id, *(getattr(counts, name) == value for name, value in key))
    return session.execute(stmt).scalar_one()


def _code_bound(session: Session, p: _Prepared, at_most: int) -> int | None:
    """For a search of codes only: how many rows match by their codes alone, up to ``at_most + 1``.

    A lower bound of the hits that costs a look into the code columns'
    indexes, however common the term: "lebend" has 880,000.
    """
    if not p.codes_only:
        return None
    return _count(session, p, p.code_conditions(), at_most=at_most)


def _estimate(session: Session, p: _Prepared, total: int, at_most: int) -> tuple[plan.Estimate, int | None]:
    """SQLite: what the planner knows, and the code bound (see ``_code_bound``) up to *at_most*."""
    model = p.spec.model
    table_rows = session.execute(select(func.max(model.id))).scalar_one() or 0
    # Counted as far as the plan needs: a common search walks, whatever its exact size.
    at_least = _code_bound(session, p, max(at_most, plan.walk_threshold(table_rows)))
    # FTS5 counts about a million matches a second: not needed when the count
    # is bounded by the codes already and the page walks the sort order.
    known = at_least is not None and at_least > at_most and at_least >= plan.walk_threshold(table_rows)
    matches = None
    if p.index_terms and total > plan.SMALL_LIST and not known:
        matches = p.sql.fts_count(session, model, p.index_terms)
    return plan.Estimate(total=total, table_rows=table_rows, matches=matches, at_least=at_least), at_least


def _count_limit(query: ListQuery) -> int:
    """Up to where a search's hits are counted exactly: the limit, or the page's end beyond it.

    Counting to the page's end keeps "Nächste" honest on a page past the limit.
    """
    limit = EXACT_COUNT_LIMIT if query.count_limit is None else max(query.count_limit, 0)
    return max(limit, query.offset + (query.limit or 0))


def _filtered_count(session: Session, p: _Prepared, total: int, est: plan.Estimate | None,
                    at_most: int) -> tuple[int, bool]:
    """(count, more): the matching rows, exact up to *at_most*; ``more``: there are more.

    Without search terms the count is always exact: the Status and Sparte
    selects from the counts the database keeps, a Partnernummer through its index.
    """
    if not p.active:
        return total, False
    if not p.terms:
        if p.counted_as is not None:
            return _counted(session, p.spec, p.broker_id, p.counted_as), False
        return _count(session, p, p.conditions()), False
    if est is None:  # PostgreSQL: its planner picks index or scan, and stops at the LIMIT
        found = _count(session, p, p.conditions(), at_most=at_most)
    else:
        found = _sqlite_count(session, p, est, at_most)
    return (at_most, True) if found > at_most else (found, False)


def _sqlite_count(session: Session, p: _Prepared, est: plan.Estimate, at_most: int) -> int:
    # Then the FTS count of the whole table is exact (see plan.count_method).
    text_only = not p.filter_conditions and len(p.index_terms) == len(p.terms)
    method = plan.count_method(est, text_only=text_only, at_most=at_most)
    if method == "fts":
        # Driven by the hits: with the broker index SQLite may walk all the
        # broker's entries of some covering index and test each one instead.
        return _count(session, p, p.conditions(), broker_index=False, at_most=at_most)
    if method == "fts_minus_others":
        model = p.spec.model
        others = select(func.count()).select_from(model).where(
            (model.broker_id < p.broker_id) | (model.broker_id > p.broker_id),
            *p.conditions(use_index=False))
        return est.matches - session.execute(others).scalar_one()
    return _count(session, p, p.conditions(use_index=False), broker_index=method == "broker_rows",
                  at_most=at_most)


def _rows_statement(p: _Prepared, total: int, use_index: bool, *, sort_hits: bool = False):
    own, joined = _driving_indexes(p, total, use_index and bool(p.terms))
    base = p.spec.select_rows(p.broker_id, own_index=own, joined_index=joined)
    if not sort_hits:
        return base.where(*p.conditions(use_index=use_index)).order_by(*p.order_by())
    # The hits first, behind OFFSET 0, which PostgreSQL's planner does not
    # see through; then the joins and the sort. Seeing through it, the
    # planner sorted all 250,000 customers to join "müller"'s 9,445 contracts
    # in customer order (131 ms; 33 ms this way).
    model = p.spec.model
    hits = (select(model).where(model.broker_id == p.broker_id, *p.conditions(use_index=use_index))
            .offset(0).subquery(model.__tablename__))
    return ClauseAdapter(hits).traverse(base.order_by(*p.order_by(sort_hits=True)))


def fetch_page(session: Session, caller: Caller, spec: ListSpec, query: ListQuery) -> ListPage:
    """One page of the caller's broker's list with the counts the pager shows."""
    if query.limit is None:
        raise ListQueryError("Eine Seite braucht eine Länge; für alle Zeilen iter_rows verwenden.")
    p = _prepare(session, caller.broker_id, spec, query)
    total = count_total(session, caller, spec)
    at_most = _count_limit(query)
    if p.sql.is_sqlite and p.terms:
        est, bound = _estimate(session, p, total, at_most)
    else:
        est, bound = None, _code_bound(session, p, at_most)
    if bound is not None and bound > at_most:  # the codes alone match more than are counted
        filtered, more = at_most, True
    else:
        filtered, more = _filtered_count(session, p, total, est, at_most)
    rows: list[ListRow] = []
    used = EMPTY
    if query.limit and query.offset < filtered:
        rows, used = _page_rows(session, p, query, total, filtered, more, est)
    return ListPage(rows=rows, total=total, filtered=filtered, offset=query.offset,
                    limit=query.limit, is_filtered=p.active, plan=used, more=more)


def _page_rows(session: Session, p: _Prepared, query: ListQuery, total: int, filtered: int,
               more: bool, est: plan.Estimate | None) -> tuple[list[ListRow], str]:
    """The page's rows, by walking the sort order or by fetching and sorting the hits, and the plan.

    Where either may be the faster, the walk is tried within a budget first
    (see ``budget.py``); both give the same rows.
    """
    def fetch(use_index: bool, *, sort_hits: bool = False) -> list[ListRow]:
        stmt = _rows_statement(p, total, use_index, sort_hits=sort_hits)
        return [p.spec.to_row(raw) for raw in session.execute(stmt.offset(query.offset).limit(query.limit))]

    if p.sql.is_sqlite:
        if est is None:
            return fetch(use_index=True), (FILTERED if p.active else SORTED)
        use_fts = plan.page_uses_fts(est)
        hits = est.matches if est.matches is not None else est.at_least
        if use_fts or not p.index_terms or hits is None:  # no FTS set to fall back on: short terms only
            return fetch(use_index=use_fts), (TEXT_INDEX if use_fts else WALK)
        walk, sort = lambda: fetch(use_index=False), lambda: fetch(use_index=True)
    else:
        # Only short terms: no index finds their hits, so fetching them means
        # reading every row, while the walk in sort order stops at the page.
        short_only = bool(p.terms) and not any(p.sql.indexable(t) for t in p.terms)
        if not p.active or (not more and filtered <= PG_SORT_HITS_MAX and not short_only):
            return fetch(True, sort_hits=p.active), (FILTERED if p.active else SORTED)
        # Many hits (or a count stopped at its bound): walking the sort order
        # finds a page soon unless the hits are bunched, so it goes first,
        # within a budget of half what fetching and sorting the hits costs.
        if short_only:
            hits = total  # the fetch reads all of the broker's rows
        elif more:  # the count stopped at its bound: the planner's estimate says how far beyond
            hits = max(filtered, _planned_rows(session, p))
        else:
            hits = filtered
        walk, sort = lambda: fetch(True), lambda: fetch(True, sort_hits=True)
    try:
        return within_budget(session, plan.walk_budget_ms(p.sql.dialect, hits), walk), WALK
    except BudgetSpent:
        return sort(), WALK_ABANDONED


def _planned_rows(session: Session, p: _Prepared) -> int:
    """PostgreSQL's estimate of the broker's matching rows (``EXPLAIN``: planned, not run).

    Its statistics on the search text know "bochum" (27,778 estimated,
    29,333 true) from "hausrat" (222,194, about 200,000) where a bounded
    count only says "more than 10,000".
    """
    model = p.spec.model
    stmt = select(model.id).where(model.broker_id == p.broker_id, *p.conditions())
    compiled = stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    plan_json = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled),
                                                     compiled.params).scalar_one()
    return int(plan_json[0]["Plan"]["Plan Rows"])


def _raw_rows(session: Session, caller: Caller, spec: ListSpec, query: ListQuery) -> Iterator:
    """Every row of the search in its order, from ``offset`` (up to ``limit`` if given), as selected.

    Rows stream in chunks (a server-side cursor on PostgreSQL), so an export
    of 100,000 rows holds one chunk in memory, not the whole result. Nothing
    runs before the first row is asked for.
    """
    p = _prepare(session, caller.broker_id, spec, query)
    use_index, total = True, count_total(session, caller, spec)
    if p.sql.is_sqlite and p.terms:
        use_index = plan.page_uses_fts(_estimate(session, p, total, 0)[0])
    stmt = _rows_statement(p, total, use_index).offset(query.offset or None)
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    # Plain columns, not through the ORM (its per-row step costs as much as
    # building the ListRow), on psycopg's own cursor where it can.
    yield from stream_rows(session, stmt, STREAM_CHUNK)


def iter_rows(session: Session, caller: Caller, spec: ListSpec, query: ListQuery) -> Iterator[ListRow]:
    """Every row of the search in its order, from ``offset`` (up to ``limit`` if given); see ``_raw_rows``."""
    return map(spec.to_row, _raw_rows(session, caller, spec, query))


def iter_values(session: Session, caller: Caller, spec: ListSpec, query: ListQuery) -> Iterator[tuple]:
    """The column values of every row of the search, as ``iter_rows`` gives them, without a row object each.

    For exports: a ``ListRow`` costs about 1.5 µs to build, a tenth of a CSV row's cost.
    """
    return map(spec.values_of, _raw_rows(session, caller, spec, query))

"""Choosing how SQLite answers a search: through the FTS table or by walking an index.

PostgreSQL's planner has statistics on the search text and picks between the
trigram index and a walk in sort order by itself. SQLite cannot see into the
FTS table, so we ask FTS5 how many rows match (a cheap count from its
doclists) and decide, with costs measured on 250,000 customers / 1,000,000
contracts (microseconds per row):

* FTS set: ``id IN (SELECT rowid FROM fts WHERE fts MATCH ...)`` about 1 per
  match, for any sort; best for rare terms.
* walk: the sort index in order, testing each row's text, stopping at the
  page end; best when most rows match ("str", "lebend"), because the first
  page is near the start whatever the sort, unless the hits are bunched
  somewhere in that order ("bochum" sorted by ORT): so a walk runs within a
  time budget and gives way to the FTS set when it is spent (``budget.py``).
* counts: the FTS set (1 per match), the broker's rows through its index
  (2 per row, random reads), the whole table in storage order (0.3 per row),
  or the FTS count of the whole table minus the other brokers' matches
  (2 per row of the other brokers), whichever is cheapest. A search's count
  stops after ``EXACT_COUNT_LIMIT`` hits (``fetch.py``), so a scan through
  rows that mostly match ("lebend") ends after a few thousand rows.
* terms that name a status or Sparte only ("lebend", "hausrat"): the rows
  whose codes match are counted first from the code columns' index, up to
  what the plan needs (``walk_threshold``): when they alone make the search
  common, the FTS count is skipped (FTS5 reads 880,000 entries for "lebend").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Below this many rows a broker's whole list is read faster than the FTS table is asked.
SMALL_LIST = 2_000
# The walk is chosen when at least this share of all rows match ...
WALK_SHARE = 0.10
# ... and at least this many: below it the FTS set is cheap in any case.
WALK_MIN_MATCHES = 20_000

COST_FTS_MATCH = 1.0
COST_BROKER_ROW = 2.0
COST_TABLE_ROW = 0.3

# Fetching every hit and sorting them for one page, microseconds per hit
# (same databases; SQLite reads its FTS hits by rowid, PostgreSQL through
# the trigram bitmap). A walk in sort order gets half that as its budget.
SORT_HITS_US = {"sqlite": 3.0, "postgresql": 1.2}
MIN_WALK_BUDGET_MS = 5.0


@dataclass(frozen=True)
class Estimate:
    """What the planner knows: broker rows, table rows, FTS matches (None: no indexable term)."""

    total: int
    table_rows: int
    matches: int | None
    # At least this many of the broker's rows match, from the code columns'
    # index (terms naming a status or Sparte), counted up to ``walk_threshold``.
    at_least: int | None = None

    @property
    def others(self) -> int:
        return max(self.table_rows - self.total, 0)


def walk_threshold(table_rows: int) -> int:
    """From this many matches on, a search is common enough to walk the sort index."""
    return max(WALK_MIN_MATCHES, math.ceil(WALK_SHARE * table_rows))


def page_uses_fts(est: Estimate) -> bool:
    """Fetch the page through the FTS set (True) or by walking the sort index (False)."""
    if est.total <= SMALL_LIST:
        return False
    if est.at_least is not None and est.at_least >= walk_threshold(est.table_rows):
        return False
    return est.matches is not None and est.matches < walk_threshold(est.table_rows)


def walk_budget_ms(dialect: str, hits: int) -> float:
    """How long a walk in sort order may run before the hits are fetched and sorted instead."""
    return max(MIN_WALK_BUDGET_MS, SORT_HITS_US[dialect] * hits / 1000 / 2)


def count_method(est: Estimate, *, text_only: bool, at_most: int | None = None) -> str:
    """``fts``, ``broker_rows``, ``table_scan`` or ``fts_minus_others`` (see module doc).

    ``text_only``: the condition is nothing but indexable terms, so the FTS
    count of the whole table is exact for all brokers together. ``at_most``:
    the count may stop after that many hits (a LIMIT), so a scan of rows that
    mostly match ends early: it reads about ``at_most / share`` rows, taking
    the hits as spread evenly. (The FTS set is read whole before the LIMIT.)
    """
    broker_rows, table_rows = float(est.total), float(est.table_rows)
    known = est.matches if est.matches is not None else est.at_least
    if at_most is not None and known:
        share = known / max(est.table_rows, 1)
        broker_rows = min(broker_rows, (at_most + 1) / share)
        table_rows = min(table_rows, (at_most + 1) / share)
    costs = {"broker_rows": COST_BROKER_ROW * broker_rows, "table_scan": COST_TABLE_ROW * table_rows}
    if est.matches is not None:
        costs["fts"] = COST_FTS_MATCH * est.matches
        if text_only:
            costs["fts_minus_others"] = COST_BROKER_ROW * est.others
    return min(costs, key=costs.get)

"""Paged searches for Norm 480: an opaque context remembers the query and the position.

Only the SHA-256 of a context identifier is stored. A context belongs to the
user who started the search (and that user's broker); any other caller gets
the same answer as for an unknown context. A context lives *lifetime_minutes*
(``BIPRO_ENUMERATION_MINUTES``) after its last use and ends with the last
page. Pages come from the one list query (``bipro.core.search.hits``) in a
stable total order and the context stores the position (offset) reached, so
paging neither repeats nor skips a hit while the portfolio stays as it is;
rows added meanwhile with higher ids simply show up on later pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import Conflict, Problem, ValidationFailed
from store.base import utcnow
from store.models import EnumerationContext

DEFAULT_MAX_ITEMS = 100
MAX_ITEMS_LIMIT = 1000
PREFIX = "enu:"
KEEP_EXPIRED = dt.timedelta(hours=1)  # expired contexts still say "expired" for this long
CONTEXT_FIELD = "EnumerationContext"

# (session, caller, query, offset, limit) -> hits of that page, in the stable order
PageFunction = Callable[[Session, Caller, dict, int, int], list]


@dataclass(frozen=True)
class Page:
    items: list
    context: str | None  # the identifier to Pull with while more hits remain; None on the last page

    @property
    def end_of_sequence(self) -> bool:
        return self.context is None


def max_items(value: str | int | None) -> int:
    """MaxItems as asked: 100 when absent, at most 1000; anything but a positive number is refused."""
    if value in (None, ""):
        return DEFAULT_MAX_ITEMS
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not text.strip("0"):
        raise ValidationFailed([Problem("MaxItems", "MaxItems muss eine positive ganze Zahl sein.")])
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_ITEMS_LIMIT)):  # above the limit; never convert thousands of digits
        return MAX_ITEMS_LIMIT
    return min(int(digits), MAX_ITEMS_LIMIT)


def start(session: Session, caller: Caller, lifetime_minutes: int, query: dict, limit: int,
          fetch: PageFunction) -> Page:
    """The first page of a new search; a context is kept only when more hits remain."""
    hits, more = _page(session, caller, query, 0, limit, fetch)
    if not more:
        _purge(session, utcnow())
        return Page(hits, None)
    return Page(hits, open_context(session, caller, lifetime_minutes, query, limit, position=len(hits)))


def open_context(session: Session, caller: Caller, lifetime_minutes: int, query: dict, limit: int,
                 position: int = 0) -> str:
    """A new context for the caller's search, *position* hits in; every page then comes with Pull."""
    now = utcnow()
    _purge(session, now)
    identifier = PREFIX + secrets.token_urlsafe(32)
    session.add(EnumerationContext(
        context_hash=context_hash(identifier), user_id=caller.user_id, broker_id=caller.broker_id,
        query=json.dumps(query, sort_keys=True), position=position, max_items=limit,
        created_at=now, expires_at=now + dt.timedelta(minutes=lifetime_minutes)))
    return identifier


def pull(session: Session, caller: Caller, lifetime_minutes: int, identifier: str, limit: int | None,
         fetch: PageFunction) -> Page:
    """The next page of the caller's search; the context ends with the last page."""
    row = _own_context(session, caller, identifier)
    limit = limit or row.max_items
    hits, more = _page(session, caller, json.loads(row.query), row.position, limit, fetch)
    if not more:
        session.execute(delete(EnumerationContext).where(EnumerationContext.id == row.id))
        return Page(hits, None)
    moved = session.execute(
        update(EnumerationContext)
        .where(EnumerationContext.id == row.id, EnumerationContext.position == row.position)
        .values(position=row.position + len(hits),
                expires_at=utcnow() + dt.timedelta(minutes=lifetime_minutes))
    ).rowcount
    if moved != 1:  # a parallel Pull with the same context got here first
        raise Conflict("Dieser Suchkontext wird gerade von einer anderen Anfrage gelesen.")
    return Page(hits, identifier)


def release(session: Session, caller: Caller, identifier: str) -> None:
    """End the caller's search before its last page."""
    row = _own_context(session, caller, identifier)
    session.execute(delete(EnumerationContext).where(EnumerationContext.id == row.id))


def context_hash(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()


def _page(session, caller, query, offset, limit, fetch: PageFunction) -> tuple[list, bool]:
    hits = fetch(session, caller, query, offset, limit + 1)  # one more tells whether more remain
    return hits[:limit], len(hits) > limit


def _own_context(session: Session, caller: Caller, identifier: str) -> EnumerationContext:
    identifier = (identifier or "").strip()
    row = None
    if identifier:
        row = session.scalars(
            select(EnumerationContext).where(EnumerationContext.context_hash == context_hash(identifier))
        ).one_or_none()
    if row is None or row.user_id != caller.user_id or row.broker_id != caller.broker_id:
        raise ValidationFailed([Problem(CONTEXT_FIELD, "Der Suchkontext ist unbekannt oder bereits beendet; "
                                        "bitte die Suche mit Enumerate neu starten.")])
    if row.expires_at <= utcnow():
        raise ValidationFailed([Problem(CONTEXT_FIELD, "Der Suchkontext ist abgelaufen; bitte die Suche "
                                        "mit Enumerate neu starten.")])
    return row


def _purge(session: Session, now: dt.datetime) -> None:
    session.execute(delete(EnumerationContext).where(EnumerationContext.expires_at < now - KEEP_EXPIRED))

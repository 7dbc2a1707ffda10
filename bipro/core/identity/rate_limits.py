"""Rate limits shared by every process: hits counted per bucket in fixed windows in the database.

A hit is taken before the work it guards, in one atomic upsert, so a burst
cannot slip past the limit between a check and a count, on any backend and
across processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.base import utcnow
from store.models import RateLimitHit

KEEP = dt.timedelta(days=1)  # windows older than this are purged
PURGE_BATCH = 100

TOO_MANY = ("Zu viele Anfragen von Ihrer Adresse. Bitte versuchen Sie es in einigen Minuten "
            "erneut.")


@dataclass(frozen=True)
class Limit:
    """At most *hits* per *window* for each key of one kind."""

    kind: str
    hits: int
    window: dt.timedelta


# Broker programs behind one address share it, hence the generous count.
FAILED_LOGINS_PER_ADDRESS = Limit("login-addr", 300, dt.timedelta(minutes=10))
RESET_MAILS_PER_LOGIN = Limit("reset-login", 3, dt.timedelta(hours=1))
RESET_REQUESTS_PER_ADDRESS = Limit("reset-addr", 30, dt.timedelta(hours=1))


@dataclass(frozen=True)
class Hit:
    bucket: str
    window_start: dt.datetime
    count: int  # hits in the window including this one
    allowed: bool


def take(session: Session, limit: Limit, key: str, *, now: dt.datetime | None = None) -> Hit:
    """Count one hit for *key*; ``allowed`` is False once the window's limit is passed.

    Runs in the session's current transaction; the caller commits.
    """
    now = now or utcnow()
    window_start = _window_start(now, limit.window)
    bucket = f"{limit.kind}:{key}"[:160]
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    statement = (insert(RateLimitHit)
                 .values(bucket=bucket, window_start=window_start, hits=1)
                 .on_conflict_do_update(index_elements=["bucket", "window_start"],
                                        set_={"hits": RateLimitHit.hits + 1})
                 .returning(RateLimitHit.hits))
    count = session.scalar(statement)
    # Rows another request holds are skipped, so two purges never wait on each other.
    stale = (select(RateLimitHit.bucket, RateLimitHit.window_start)
             .where(RateLimitHit.window_start < now - KEEP)
             .limit(PURGE_BATCH).with_for_update(skip_locked=True))
    session.execute(delete(RateLimitHit).where(
        tuple_(RateLimitHit.bucket, RateLimitHit.window_start).in_(stale)))
    return Hit(bucket, window_start, count, count <= limit.hits)


def give_back(session: Session, hit: Hit) -> None:
    """Undo a hit whose work turned out not to count (a login that succeeded)."""
    session.execute(update(RateLimitHit)
                    .where(RateLimitHit.bucket == hit.bucket,
                           RateLimitHit.window_start == hit.window_start,
                           RateLimitHit.hits > 0)
                    .values(hits=RateLimitHit.hits - 1))


def _window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    seconds = int(window.total_seconds())
    epoch = dt.datetime(2000, 1, 1)
    elapsed = int((now - epoch).total_seconds())
    return epoch + dt.timedelta(seconds=elapsed - elapsed % seconds)

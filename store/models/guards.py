"""Counters against guessing and flooding, kept in the database so every process shares them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class LoginFailure(Base):
    """Failed password checks in a row for one login name, whether or not the login exists.

    Keyed by the name typed rather than by user, so an unknown name locks
    exactly like a real one and the lock tells nobody which names exist.
    """

    __tablename__ = "login_failures"

    login: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_failure_at: Mapped[dt.datetime] = mapped_column(index=True)
    lock_mailed_at: Mapped[dt.datetime | None]


class RateLimitHit(Base):
    """Hits of one bucket (a kind and a key, e.g. a client address) in one fixed window."""

    __tablename__ = "rate_limit_hits"

    bucket: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(primary_key=True, index=True)
    hits: Mapped[int] = mapped_column(default=0)

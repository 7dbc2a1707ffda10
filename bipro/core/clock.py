"""Time on the wire: stored times are naive UTC, BiPRO shows German local time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    LOCAL_ZONE: dt.tzinfo = ZoneInfo("Europe/Berlin")
except ZoneInfoNotFoundError:  # a machine without tz data: stay correct, in UTC
    LOCAL_ZONE = dt.timezone.utc


def to_local(utc_naive: dt.datetime) -> dt.datetime:
    """Naive UTC from the store to naive German local time."""
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def local_now() -> dt.datetime:
    return dt.datetime.now(LOCAL_ZONE).replace(tzinfo=None, microsecond=0)


def wire_datetime(value: dt.datetime) -> str:
    """``YYYY-MM-DDThh:mm:ss`` without a zone, as BiPRO timestamps are sent."""
    return value.replace(microsecond=0).isoformat(timespec="seconds")


def wire_utc(utc_naive: dt.datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ`` for WS-Trust lifetimes."""
    return utc_naive.replace(microsecond=0).isoformat(timespec="seconds") + "Z"

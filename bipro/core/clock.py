"""Time on the wire and in the portal: stored times are naive UTC, people see German local time.

"Today" for a broker is the calendar day in Germany: between 22:00/23:00 UTC
and midnight UTC it is already tomorrow there. Every place that asks for
today's date asks ``local_today()``, never ``date.today()`` (the machine's
zone) or the UTC date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# tzdata is a dependency, so the zone exists even on machines without
# /usr/share/zoneinfo: falling back to UTC would shift every German date.
LOCAL_ZONE: dt.tzinfo = ZoneInfo("Europe/Berlin")


def to_local(utc_naive: dt.datetime) -> dt.datetime:
    """Naive UTC from the store to naive German local time."""
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def local_now() -> dt.datetime:
    return dt.datetime.now(LOCAL_ZONE).replace(tzinfo=None, microsecond=0)


def local_today() -> dt.date:
    """The calendar date in Germany."""
    return dt.datetime.now(LOCAL_ZONE).date()


def local_midnight(day: dt.date) -> dt.datetime:
    """00:00 German time on *day*, as an aware datetime (23:00 or 22:00 UTC the day before)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_ZONE)


def wire_datetime(value: dt.datetime) -> str:
    """``YYYY-MM-DDThh:mm:ss`` without a zone, as BiPRO timestamps are sent."""
    return value.replace(microsecond=0).isoformat(timespec="seconds")


def wire_utc(utc_naive: dt.datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ`` for WS-Trust lifetimes."""
    return utc_naive.replace(microsecond=0).isoformat(timespec="seconds") + "Z"

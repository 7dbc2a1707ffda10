"""German display formats shared by the portal, the exports and the list search.

Dates ``dd.mm.yyyy``, amounts ``1.234,56`` and money ``1.234,56 €``. The
implementation lives beside the stored search text (``store.search_text``)
because that text must be exactly what the screens show; these are the names
the upper layers use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from store.search_text import german_date, german_decimal, german_money


def format_date(value: dt.date | None) -> str:
    """``2024-07-04`` -> ``04.07.2024``; empty for no date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return german_date(value)


def format_decimal(value: Decimal | int | None, places: int = 2) -> str:
    """``1234.5`` -> ``1.234,50``; empty for no value."""
    return german_decimal(None if value is None else Decimal(value), places)


def format_money(value: Decimal | int | None) -> str:
    """``1234.5`` -> ``1.234,50 €``; empty for no value."""
    return german_money(None if value is None else Decimal(value))

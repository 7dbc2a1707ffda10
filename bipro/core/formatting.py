"""German formats for screens: ``dd.mm.yyyy``, ``1.234,56 €``, ``1.234,5``."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def format_date(value: dt.date | dt.datetime | None) -> str:
    """``dd.mm.yyyy``; empty for a missing date; a datetime shows its date only."""
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """``dd.mm.yyyy hh:mm``; empty for a missing value."""
    if value is None:
        return ""
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"


def format_decimal(value: Decimal | int | None, places: int | None = None) -> str:
    """Thousands separated by dots, decimal comma; ``places`` rounds half up."""
    if value is None:
        return ""
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if number < 0 else ""  # a rounded -0,00 shows without a sign
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    grouped = ".".join(groups)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_money(value: Decimal | int | None) -> str:
    """An amount in euro as shown on screens: ``1.234,56 €`` (two places, rounded half up)."""
    if value is None:
        return ""
    return f"{format_decimal(value, 2)} €"

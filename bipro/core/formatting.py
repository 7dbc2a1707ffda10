"""German display formatting for screens, print and clipboard.

Money is shown with a thousands dot, a decimal comma, two places and the
euro sign (``1.234,56 €``); dates as ``dd.mm.yyyy``. ``None`` shows as an
empty string, so a missing value never prints as "None".
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def format_date(d: dt.date | None) -> str:
    """``dd.mm.yyyy``; a datetime shows its date only."""
    if d is None:
        return ""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def format_decimal(value: Decimal | int | None) -> str:
    """Two places, rounded half up, thousands dot, decimal comma: ``1.234,56``."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0,00"
    english = f"{amount:,.2f}"  # "1,234.56"
    return english.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_money(value: Decimal | int | None) -> str:
    """An amount in euro as shown on screens: ``1.234,56 €``."""
    if value is None:
        return ""
    return f"{format_decimal(value)} €"

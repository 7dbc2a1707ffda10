"""German formatting of numbers, amounts and dates for messages and tables."""
from __future__ import annotations

from datetime import date
from decimal import Decimal


def _group(digits: str) -> str:
    """Insert dots as thousands separators: '1234567' -> '1.234.567'."""
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return ".".join(parts)


def format_number(value: int | Decimal) -> str:
    """Format a number the German way, without superfluous zeros.

    Thousands separators are only used from five digits on (DIN 5008
    allows four-digit numbers without), so a year stays "1995".
    """
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    text = format(abs(number).normalize(), "f")
    whole, _, fraction = text.partition(".")
    if len(whole) > 4:
        whole = _group(whole)
    return sign + whole + ("," + fraction if fraction else "")


def format_eur(amount: Decimal) -> str:
    """Format a money amount with two decimals: Decimal('1234.5') -> '1.234,50 €'."""
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    return f"{sign}{_group(whole)},{fraction} €"


def format_date(day: date) -> str:
    """Format a date as dd.mm.yyyy."""
    return f"{day:%d.%m.%Y}"

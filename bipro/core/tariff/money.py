"""Decimal helpers: exact conversion of data values (cents: ``store.german.round_cents``).

Floats are refused everywhere money or rates are concerned: a float such
as 1.1 is not the number written in the source, and a tariff must give the
same cent result on every machine.
"""
from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation

HUNDRED = Decimal(100)

# Working precision for all intermediate results; far more digits than any
# premium needs, so only the explicit cent rounding steps lose precision.
CONTEXT = Context(prec=28)


def to_decimal(value: object) -> Decimal:
    """Convert a rate or amount from product data into a Decimal.

    Accepts int, str and Decimal. Floats and bools raise ``TypeError``.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"use a string or int instead of {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise TypeError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"not a number: {value!r}")
    if not result.is_finite():
        raise TypeError(f"not a finite number: {value!r}")
    return result


def percent(rate: Decimal) -> Decimal:
    """Turn a percentage such as 19 into the fraction 0.19."""
    return rate / HUNDRED

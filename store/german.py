"""How the gateway writes things for German readers: the one definition.

Dates ``dd.mm.yyyy``, numbers ``1.234,5`` (dot for thousands, comma for
decimals), money ``1.234,50 €`` rounded commercially (half up, to the cent),
and a person's name. Every screen, export, PDF, the tariff engine and the
stored list search text use these, so a value reads the same everywhere.

It lives in ``store`` because the stored search text must be exactly what the
screens show and the store imports nothing above it; it imports nothing but
the standard library, so every layer may use it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
_GERMAN_MARKS = str.maketrans(",.", ".,")


def round_cents(value: Decimal | int | float) -> Decimal:
    """Money to the cent, commercially rounded (half up): 2.125 -> 2.13, 0.005 -> 0.01.

    A float is taken as it prints (``2.675`` is 2.675, not its binary neighbour).
    """
    if value.__class__ is Decimal:  # the usual case, on every exported amount: no copy needed
        amount = value
    else:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite():
        return amount
    try:
        rounded = amount.quantize(CENT, ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context's 28: such an amount keeps them all
        rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP, context=Context(prec=amount.adjusted() + 3))
    return rounded if rounded else abs(rounded)  # never -0.00


def format_date(value: dt.date | dt.datetime | None) -> str:
    """``2024-07-04`` -> ``04.07.2024``; a datetime shows its date only; empty for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """``dd.mm.yyyy hh:mm``; empty for a missing value."""
    if value is None:
        return ""
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"


def format_number(value: Decimal | int | float | None, places: int | None = None, *,
                  grouped: bool = True) -> str:
    """``1234.5`` -> ``1.234,5``: thousands grouped, decimal comma.

    ``grouped=False`` is for numbers that are names rather than amounts, such
    as a year (``Baujahr 1980``, never ``1.980``).

    Without ``places`` the number shows no superfluous zeros (``72.50`` ->
    ``72,5``); with ``places`` it is rounded half up to that many
    (``places=2``: ``1.234,50``). Empty for no value; never ``-0``.
    """
    if value is None:
        return ""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        digits = places
    else:
        digits = max(0, -number.normalize().as_tuple().exponent)
    if number == 0:
        number = abs(number)
    return f"{number:{',' if grouped else ''}.{digits}f}".translate(_GERMAN_MARKS)


def format_money(value: Decimal | int | float | None) -> str:
    """``1234.5`` -> ``1.234,50 €`` (to the cent, half up); empty for no value."""
    if value is None:
        return ""
    cents = round_cents(value)
    if not cents.is_finite():
        return f"{format_number(cents, 2)} €"
    # format_number(cents, 2) without its second rounding: a million of
    # these go into the search text of an imported portfolio.
    text = f"{cents:,.2f}"  # "1,234.50": the last three are always the point and the cents
    return f"{text[:-3].replace(',', '.')},{text[-2:]} €"


def person_name(first_name: str | None, last_name: str | None, title: str | None = None) -> str:
    """A person as addressed on a letter, title first: ``Dr. Anna Schmidt``; missing parts are left out."""
    return " ".join(filter(None, (title, first_name, last_name)))

"""Versicherungsteuer per Sparte: the code list the import derives gross premiums from.

A GDV file states the net premium of every contract (0200, part 1); the
gross premium (net plus insurance tax, per payment) only where it has a
0200 part 2. Without it the import adds the Sparte's rate from this list,
rounded half up to the cent per payment, as the tariff engine does.

Rates in percent of the net premium (Versicherungsteuergesetz § 6):
life and health insurance are exempt (§ 4), fire insurance pays 22 %,
everything else the general rate of 19 %. Hausrat and Wohngebäude are taxed
on the whole premium at 19 %: the law's split into a fire share and the
rest is not made here, as in the tariff (``bipro/core/tariff``).
"""
from __future__ import annotations

from decimal import Decimal

from store.german import round_cents

GENERAL_RATE = Decimal("19")
RATES = {
    "010": Decimal("0"),    # Leben
    "020": Decimal("0"),    # Kranken
    "080": Decimal("22"),   # Feuer
}


def tax_rate(sparte: str) -> Decimal:
    """The Versicherungsteuer of a Sparte in percent."""
    return RATES.get(sparte, GENERAL_RATE)


def gross_premium(net: Decimal, sparte: str) -> Decimal:
    """Net plus the Sparte's insurance tax, rounded half up to the cent."""
    return round_cents(net * (1 + tax_rate(sparte) / 100))

"""Premium calculation for one product version.

Rounding (to cents, ROUND_HALF_UP) happens at exactly these steps:

1. Annual net premium: the rules run at full precision; the result after
   the last rule (including the minimum premium) is rounded once.
2. Net per payment = annual net × (1 + frequency surcharge) / payments,
   rounded.
3. Insurance tax per payment = net per payment × tax rate, rounded.
4. Gross per payment = net + tax (already cents, no rounding).
5. Annual totals = per-payment amount × payments (exact).

Because tax is rounded per payment, twelve monthly tax amounts may differ
by a few cents from tax on the annual premium; this is how the amounts
are collected, so it is the figure the customer sees.
"""
from __future__ import annotations

from datetime import date
from decimal import localcontext
from typing import Any, Mapping

from store.german import round_cents

from .errors import RiskDataInvalid
from .model import Product
from .money import CONTEXT, percent
from .result import PremiumLine, Quote
from .rules import apply_rules
from .validation import check


def calculate(product: Product, answers: Mapping[str, Any], on: date) -> Quote:
    """Validate ``answers`` and rate them with ``product``'s rules.

    Raises RiskDataInvalid with every problem found.
    """
    checked = check(product, answers, on)
    if checked.problems:
        raise RiskDataInvalid(checked.problems)
    with localcontext(CONTEXT):
        premium, steps = apply_rules(product.rules,
                                     {**checked.values, **checked.derived})
        annual_net = round_cents(premium)
        lines = []
        for frequency in product.frequencies:
            net = round_cents(annual_net * (1 + percent(frequency.surcharge))
                              / frequency.payments)
            tax = round_cents(net * percent(product.tax_rate))
            lines.append(PremiumLine(frequency, net, tax, net + tax))
    return Quote(product=product, on=on, answers=checked.values,
                 derived=checked.derived, annual_net=annual_net,
                 lines=tuple(lines), steps=steps)

"""The rule kinds and how they change the running annual net premium.

A product's rules are applied in the order they are listed, starting from
0 €. Each rule may be conditional on a boolean answer (``"if"`` in data).

==============  ==========  =============================================
kind            parameter   effect on the running premium P
==============  ==========  =============================================
amount          amount      P + amount            (fixed base or option)
rate_per_unit   rate        P + input / per × rate (e.g. per 1000 € sum)
factor          factor      P × factor            (zone, age band, ...)
surcharge       percent     P × (1 + percent/100) (options)
discount        percent     P × (1 − percent/100) (deductible)
minimum         amount      max(P, amount)        (minimum premium)
==============  ==========  =============================================

Factors, surcharges and discounts multiply, so they compound; they apply
to everything listed before them and nothing listed after. No rounding
happens here (see ``engine.py`` for the rounding steps).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Mapping

from .model import Rule
from .money import HUNDRED

# kind -> name of its parameter in product data
PARAMETERS: dict[str, str] = {
    "amount": "amount",
    "rate_per_unit": "rate",
    "factor": "factor",
    "surcharge": "percent",
    "discount": "percent",
    "minimum": "amount",
}


@dataclass(frozen=True)
class Step:
    """One line of the calculation trace: rule label and premium after it."""

    label: str
    parameter: Decimal
    premium: Decimal


def _amount(rule: Rule, premium: Decimal, p: Decimal, values: Mapping) -> Decimal:
    return premium + p


def _rate_per_unit(rule: Rule, premium: Decimal, p: Decimal,
                   values: Mapping) -> Decimal:
    return premium + Decimal(values[rule.input]) / rule.per * p


def _factor(rule: Rule, premium: Decimal, p: Decimal, values: Mapping) -> Decimal:
    return premium * p


def _surcharge(rule: Rule, premium: Decimal, p: Decimal,
               values: Mapping) -> Decimal:
    return premium * (1 + p / HUNDRED)


def _discount(rule: Rule, premium: Decimal, p: Decimal,
              values: Mapping) -> Decimal:
    return premium * (1 - p / HUNDRED)


def _minimum(rule: Rule, premium: Decimal, p: Decimal, values: Mapping) -> Decimal:
    return max(premium, p)


_APPLY: dict[str, Callable[[Rule, Decimal, Decimal, Mapping], Decimal]] = {
    "amount": _amount,
    "rate_per_unit": _rate_per_unit,
    "factor": _factor,
    "surcharge": _surcharge,
    "discount": _discount,
    "minimum": _minimum,
}
assert _APPLY.keys() == PARAMETERS.keys()


def apply_rules(rules: tuple[Rule, ...],
                values: Mapping[str, Any]) -> tuple[Decimal, tuple[Step, ...]]:
    """Run the rules over answers plus derived values; unrounded result."""
    premium = Decimal(0)
    steps = []
    for rule in rules:
        if rule.when is not None and not values.get(rule.when):
            continue
        parameter = rule.value.resolve(values)
        premium = _APPLY[rule.kind](rule, premium, parameter, values)
        steps.append(Step(rule.label, parameter, premium))
    return premium, tuple(steps)

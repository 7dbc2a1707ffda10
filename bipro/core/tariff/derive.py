"""Derived values: quantities the rules need but nobody is asked for.

Kinds:

* ``multiply``      input × factor, e.g. sum insured = living area × 650 €/m²
* ``postcode_zone`` zone from the first digits of the postcode (bands)
* ``age``           completed years between a birth date and the quote date
* ``years_since``   quote year minus a year, e.g. building age from Baujahr

A derived value outside its ``minimum``/``maximum`` is reported as a problem
of the input question, because that is the answer the user has to change.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable, Mapping

from . import errors
from .errors import Problem
from .model import Derivation, Product


def _multiply(d: Derivation, value: Any, on: date, known: Mapping) -> Decimal:
    return Decimal(value) * d.factor.resolve(known)


def _postcode_zone(d: Derivation, value: Any, on: date, known: Mapping) -> int:
    return int(d.bands.find(int(value[: d.digits])))


def _age(d: Derivation, value: date, on: date, known: Mapping) -> int:
    before_birthday = (on.month, on.day) < (value.month, value.day)
    return on.year - value.year - (1 if before_birthday else 0)


def _years_since(d: Derivation, value: int, on: date, known: Mapping) -> int:
    return on.year - value


KINDS: dict[str, Callable[[Derivation, Any, date, Mapping], Any]] = {
    "multiply": _multiply,
    "postcode_zone": _postcode_zone,
    "age": _age,
    "years_since": _years_since,
}


def derive(product: Product, values: Mapping[str, Any],
           on: date) -> tuple[dict[str, Any], list[Problem]]:
    """Compute the product's derived values in declaration order.

    Derivations whose input is absent (missing or invalid, already
    reported) are skipped, so one bad answer yields one problem.
    """
    known = dict(values)
    derived: dict[str, Any] = {}
    problems: list[Problem] = []
    for derivation in product.derivations:
        if known.get(derivation.input) is None:
            continue
        result = KINDS[derivation.kind](
            derivation, known[derivation.input], on, known)
        too_low = derivation.minimum is not None and result < derivation.minimum
        too_high = derivation.maximum is not None and result > derivation.maximum
        if too_low or too_high:
            problems.append(Problem(derivation.input, derivation.message,
                                    errors.RANGE))
            continue
        derived[derivation.name] = result
        known[derivation.name] = result
    return derived, problems

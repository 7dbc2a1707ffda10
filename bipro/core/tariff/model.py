"""Data types describing a product version: questions, derived values,
rating rules, cross-field constraints and payment frequencies.

All types are immutable; they are built from plain product data by
``loader.py`` and interpreted by ``validation.py``, ``derive.py`` and
``rules.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from .lookup import Bands, Lookup


class QuestionType(str, Enum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    DATE = "date"
    TEXT = "text"  # e.g. a postcode, which must keep its leading zero


@dataclass(frozen=True)
class Choice:
    value: str  # what is sent and stored, e.g. "150"
    label: str  # what the form shows, e.g. "150 €"


@dataclass(frozen=True)
class Question:
    """A risk question, with everything a form needs to render it."""

    name: str
    label: str
    type: QuestionType
    required: bool = True
    default: Any = None        # used when the answer is absent or blank
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    step: Decimal | None = None
    unit: str | None = None
    choices: tuple[Choice, ...] = ()
    pattern: str | None = None          # regular expression for TEXT
    pattern_message: str | None = None  # German message if it does not match
    help: str | None = None

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        raise KeyError(value)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True)
class Derivation:
    """A value computed from an answer, e.g. the zone from the postcode.

    ``minimum``/``maximum`` bound the result; a violation is reported as a
    problem of the input question with ``message``.
    """

    name: str
    kind: str             # multiply | postcode_zone | age | years_since
    input: str
    label: str | None = None
    unit: str | None = None
    factor: Lookup | None = None   # multiply
    bands: Bands | None = None     # postcode_zone
    digits: int = 2                # postcode_zone: prefix length
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    message: str | None = None


@dataclass(frozen=True)
class Rule:
    """One rating step applied to the running annual premium."""

    kind: str      # amount | rate_per_unit | factor | surcharge | discount | minimum
    label: str     # German, shown in the calculation trace
    value: Lookup  # amount, rate, factor or percentage depending on kind
    input: str | None = None   # rate_per_unit: the quantity rated
    per: Decimal | None = None  # rate_per_unit: the unit, e.g. 1000 €
    when: str | None = None     # name of a boolean answer enabling the rule


@dataclass(frozen=True)
class Constraint:
    """A cross-field rule on boolean answers."""

    kind: str                    # at_least_one | requires
    questions: tuple[str, ...]   # requires: (question, required question)
    message: str


@dataclass(frozen=True)
class PaymentFrequency:
    """A BiPRO payment frequency with its surcharge in percent."""

    code: str       # BiPRO Zahlungsweise: 1, 2, 4, 8
    label: str
    payments: int   # payments per year
    surcharge: Decimal


# BiPRO code -> (German label, payments per year). Note: code 8 is monthly.
FREQUENCIES: dict[str, tuple[str, int]] = {
    "1": ("jährlich", 1),
    "2": ("halbjährlich", 2),
    "4": ("vierteljährlich", 4),
    "8": ("monatlich", 12),
}


@dataclass(frozen=True)
class Product:
    """One version of a product, valid from ``valid_from`` to ``valid_until``
    (both inclusive; ``None`` means open-ended)."""

    product_id: str
    version: str
    sparte: str       # GDV Sparte, three digits
    name: str
    valid_from: date
    valid_until: date | None
    questions: tuple[Question, ...]
    derivations: tuple[Derivation, ...]
    rules: tuple[Rule, ...]
    constraints: tuple[Constraint, ...]
    frequencies: tuple[PaymentFrequency, ...]
    tax_rate: Decimal  # Versicherungsteuer in percent
    description: str = ""

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (
            self.valid_until is None or day <= self.valid_until)

    def question(self, name: str) -> Question:
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)

    @property
    def minimum_premium(self) -> Decimal | None:
        """The annual net minimum premium, if the rules declare a constant one."""
        for rule in self.rules:
            if rule.kind == "minimum" and rule.value.by is None:
                return rule.value.constant
        return None

"""Exceptions of the tariff engine and the validation problem type.

The exceptions are meant to be mapped one-to-one onto BiPRO status codes
by the SOAP layer: ``UnknownProduct`` -> 01015, ``RiskDataInvalid`` -> 01003.
``TariffDataError`` means the product catalogue itself is broken; it is a
programming error and never the caller's fault.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

# A risk answer's problem is the core's Problem: ``field`` is the question, ``code`` one of the above.
from bipro.core.errors import CoreError, Problem
from store.german import format_date

# Machine-readable problem codes, stable so that callers may branch on them.
MISSING = "missing"          # required answer not given
TYPE = "type"                # answer cannot be read as the question's type
RANGE = "range"              # number or derived value outside min/max
STEP = "step"                # number not a multiple of the question's step
CHOICE = "choice"            # not one of the allowed values
FORMAT = "format"            # text does not match the expected pattern
UNKNOWN = "unknown"          # answer for a question the product does not ask
COMBINATION = "combination"  # cross-field rule violated



class TariffError(CoreError):
    """Base class of the tariff engine's refusals (a wrong product or wrong answers)."""


class UnknownProduct(TariffError):
    """No product with this id, or none valid on the requested date."""

    def __init__(self, product_id: str, on: date | None = None):
        self.product_id = product_id
        self.on = on
        if on is None:
            text = f"Produkt „{product_id}“ ist unbekannt"
        else:
            text = (f"Produkt „{product_id}“ ist am "
                    f"{format_date(on)} nicht im Angebot")
        super().__init__(text)


class RiskDataInvalid(TariffError):
    """The answers to the risk questions are incomplete or invalid."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    def messages_by_name(self) -> dict[str, list[str]]:
        """Group the messages per question, e.g. for form field errors."""
        grouped: dict[str, list[str]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.field, []).append(problem.message)
        return grouped


class TariffDataError(Exception):
    """The product data is inconsistent (caught when the catalogue loads).

    A programming error, never the caller's: not a refusal, so no ``CoreError``.
    """

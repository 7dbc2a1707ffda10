"""Tariff engine: products as data, premiums by a generic rule interpreter.

Public API::

    from bipro.core.tariff import (catalogue, quote, validate,
        products_on_offer, get_product, Quote, UnknownProduct,
        RiskDataInvalid)

    product = get_product("HR-KOMFORT")          # questions for a form
    problems = validate("HR-KOMFORT", answers)   # [] or every Problem
    offer = quote("HR-KOMFORT", answers, on=date(2025, 6, 1))
    offer.line("8").gross                        # monthly gross premium

Pure Python: no database, no web framework. Modules: ``model`` (data
types), ``products`` (the catalogue data), ``loader`` (data -> model),
``parsing``/``validation``/``derive`` (answers), ``rules``/``engine``
(calculation and rounding), ``result`` (Quote), ``catalogue`` (versions).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from .catalogue import Catalogue
from .errors import Problem, RiskDataInvalid, TariffDataError, TariffError, UnknownProduct
from .model import Choice, PaymentFrequency, Product, Question, QuestionType
from .products import PRODUCT_DATA
from .result import TABLE_HEADINGS, PremiumLine, Quote

catalogue = Catalogue.from_data(PRODUCT_DATA)


def get_product(product_id: str, on: date | None = None) -> Product:
    """The version of a product valid on ``on`` (default: today)."""
    return catalogue.get(product_id, on)


def products_on_offer(on: date | None = None) -> list[Product]:
    """All products valid on ``on`` (default: today)."""
    return catalogue.on_offer(on)


def validate(product_id: str, answers: Mapping[str, Any],
             on: date | None = None) -> list[Problem]:
    """Every problem with the answers at once; empty if they can be rated."""
    return catalogue.validate(product_id, answers, on)


def quote(product_id: str, answers: Mapping[str, Any],
          on: date | None = None) -> Quote:
    """Rate the answers with the product version valid on ``on``.

    Raises UnknownProduct or RiskDataInvalid (with all problems).
    """
    return catalogue.quote(product_id, answers, on)


__all__ = [
    "Catalogue", "Choice", "PaymentFrequency", "PremiumLine", "Problem",
    "Product", "Question", "QuestionType", "Quote", "RiskDataInvalid",
    "TABLE_HEADINGS", "TariffDataError", "TariffError", "UnknownProduct",
    "catalogue", "get_product", "products_on_offer", "quote",
    "validate",
]

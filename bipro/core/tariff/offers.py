"""The Tarifrechner's use cases: products by Sparte, answers to a quote, an offer's content.

Adapter-independent: answers come in as question name to value and go out as
a quote or the engine's problems; the printed offer is described here as
plain data. Reading a web form into answers, and sorting problems beside
their fields, is the portal's (``portal.tariff_fields``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.identity import profiles
from bipro.core.portfolio.code_names import sparte_name
from bipro.core.tariff import (
    TABLE_HEADINGS,
    Problem,
    Product,
    Quote,
    RiskDataInvalid,
    products_on_offer,
    quote,
)
from bipro.core.tariff.quotes import today

# The premium table in two column groups, with one-word headings under them
# (the engine's ``TABLE_HEADINGS`` spell each column out in full).
PER_PAYMENT = ("net", "tax", "gross")
PER_YEAR = ("annual_net", "annual_tax", "annual_gross")
COLUMN_GROUPS = (("je Zahlung", PER_PAYMENT), ("pro Jahr", PER_YEAR))
SHORT_HEADINGS = {"frequency": "Zahlungsweise", "net": "Netto", "tax": "Versicherungsteuer",
                  "gross": "Brutto", "annual_net": "Netto", "annual_tax": "Steuer",
                  "annual_gross": "Brutto"}

NON_BINDING_NOTE = (
    "Dieses Angebot ist unverbindlich und freibleibend. Maßgeblich sind der Antrag, der "
    "Versicherungsschein und die Versicherungsbedingungen des gewählten Tarifs. Die Beiträge "
    "gelten für die angegebenen Risikodaten und den genannten Tarifstand.")


@dataclass(frozen=True)
class SparteOffer:
    """The products of one Sparte that are on offer, for the Tarifrechner's start page."""

    code: str
    name: str
    products: tuple[Product, ...]


def offer_by_sparte(on: date | None = None) -> list[SparteOffer]:
    """Every product on offer on *on* (default: today in Germany), grouped by Sparte."""
    products = products_on_offer(on or today())
    return [SparteOffer(code, sparte_name(code), tuple(group))
            for code, group in groupby(products, key=lambda p: p.sparte)]


@dataclass(frozen=True)
class Rating:
    """A quote, or every problem that kept the answers from being rated."""

    quote: Quote | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.quote is not None


def rate(product: Product, answers: Mapping[str, Any], on: date | None = None) -> Rating:
    """Rate *product* with *answers* (question name to value); every problem at once if it cannot be rated.

    The answers are what the engine reads: a value per question the caller
    answered (text as typed, numbers, dates, ``True``/``False``); a question
    left out gets its default or is reported missing.
    """
    try:
        return Rating(quote=quote(product.product_id, answers, on=on or today()))
    except RiskDataInvalid as invalid:
        return Rating(problems=invalid.problems)


@dataclass(frozen=True)
class Offer:
    """Everything a printed offer ("Angebot") shows, already formatted in German."""

    created_on: date
    broker_name: str
    broker_number: str
    product_id: str
    product_name: str
    product_description: str
    version: str
    sparte: str
    rated_on: date
    answers: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]            # column keys as in ``TABLE_HEADINGS``
    rows: tuple[tuple[str, ...], ...]   # one per payment frequency, formatted
    note: str = NON_BINDING_NOTE

    @property
    def title(self) -> str:
        return f"Angebot {self.product_name}"

    @property
    def file_name(self) -> str:
        return f"Angebot_{self.product_id}_{self.created_on.isoformat()}.pdf"


def make_offer(session: Session, caller: Caller, quote_: Quote,
               created_on: date | None = None) -> Offer:
    """The offer for *quote_*, made out by the caller's broker."""
    broker = profiles.broker_profile(session, caller)
    product = quote_.product
    keys = tuple(TABLE_HEADINGS)
    return Offer(
        created_on=created_on or today(),
        broker_name=broker.name,
        broker_number=broker.number,
        product_id=product.product_id,
        product_name=product.name,
        product_description=product.description,
        version=product.version,
        sparte=sparte_name(product.sparte),
        rated_on=quote_.on,
        answers=tuple(quote_.answer_rows()),
        columns=keys,
        rows=tuple(tuple(row[key] for key in keys) for row in quote_.rows(formatted=True)),
    )

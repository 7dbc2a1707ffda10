"""The Tarifrechner's use cases: products by Sparte, form input to a quote, an offer's content.

Adapter-independent: a web form (or anything sending strings) becomes engine
answers here, and the printed offer is described here as plain data, so the
portal view only moves values between the request and these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    QuestionType,
    Quote,
    RiskDataInvalid,
    products_on_offer,
    quote,
)
from bipro.core.tariff import errors as tariff_errors
from bipro.core.tariff.quotes import today

# Problems that belong to no single field: shown above the form, not beside a field.
GENERAL_CODES = frozenset({tariff_errors.COMBINATION, tariff_errors.UNKNOWN})

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


def answers_from_form(product: Product, form: Mapping[str, str]) -> dict[str, Any]:
    """The engine's answers from submitted form fields.

    Only the product's questions are taken (the engine refuses unknown keys,
    and a form carries a CSRF token and buttons besides). A blank field is
    left out so the engine applies the default or reports it missing; an
    unticked checkbox is not sent by a browser at all, so it means "nein".
    """
    answers: dict[str, Any] = {}
    for question in product.questions:
        raw = form.get(question.name)
        if question.type is QuestionType.BOOLEAN and raw is None:
            answers[question.name] = False
        elif raw is not None and raw.strip():
            answers[question.name] = raw.strip()
    return answers


@dataclass(frozen=True)
class FormOutcome:
    """A quote, or the problems sorted for a form: beside their field or above the form."""

    quote: Quote | None = None
    field_errors: Mapping[str, list[str]] = field(default_factory=dict)
    general_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.quote is not None


def rate_form(product: Product, form: Mapping[str, str], on: date | None = None) -> FormOutcome:
    """Rate *product* with the submitted form; every problem at once if it cannot be rated."""
    try:
        return FormOutcome(quote=quote(product.product_id, answers_from_form(product, form),
                                       on=on or today()))
    except RiskDataInvalid as invalid:
        return sort_problems(product, invalid.problems)


def sort_problems(product: Product, problems: tuple[Problem, ...]) -> FormOutcome:
    """Field problems go to their question; cross-field ones (and strays) to the top."""
    names = {question.name for question in product.questions}
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if problem.code in GENERAL_CODES or problem.name not in names:
            general.append(problem.message)
        else:
            by_field.setdefault(problem.name, []).append(problem.message)
    return FormOutcome(field_errors=by_field, general_errors=general)


def form_values(quote_: Quote, form: Mapping[str, str]) -> dict[str, str]:
    """The raw field values that reproduce this quote (for a second form, e.g. the PDF)."""
    values = {}
    for question in quote_.product.questions:
        raw = form.get(question.name)
        if question.type is QuestionType.BOOLEAN:
            if quote_.answers.get(question.name):
                values[question.name] = "ja"
        elif raw is not None and raw.strip():
            values[question.name] = raw.strip()
    return values


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
    broker = profiles.broker_profile(session, caller.broker_id)
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

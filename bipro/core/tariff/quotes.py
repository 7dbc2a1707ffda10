"""Quote several products in one go: all of them, or every reason why not.

The tariff engine rates one product. A caller that asks for several (the
BiPRO getQuote service) wants either a quote for each, or the complete list
of what is wrong with every request at once, so the client can fix it all
in one round trip. A partial answer is never given: a broker comparing
offers would otherwise be shown an incomplete set without noticing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bipro.core.clock import local_today
from bipro.core.errors import CoreError
from bipro.core.tariff import Problem, Quote, RiskDataInvalid, UnknownProduct, get_product, quote


@dataclass(frozen=True)
class QuoteRequest:
    """One product to rate: its id, optionally its Sparte, the answers, the date.

    ``on`` selects the product version (its rates) and is the reference date
    for ages; None means today in German local time.
    """

    product_id: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    on: date | None = None
    sparte: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why one request (``index`` into the list) could not be rated.

    Either ``no_tariff`` (German text: unknown product, none valid on the
    date, or a Sparte that does not match) or one or more risk ``problems``.
    """

    index: int
    product_id: str
    no_tariff: str | None = None
    problems: tuple[Problem, ...] = ()


class QuotesRefused(CoreError):
    """At least one request could not be rated; ``refusals`` lists every one."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        self.refusals = tuple(refusals)
        texts = [r.no_tariff or "; ".join(p.message for p in r.problems) for r in self.refusals]
        super().__init__("; ".join(texts))


def today() -> date:
    """The calendar date in Germany, which decides the rates on offer."""
    return local_today()


def quote_all(requests: Sequence[QuoteRequest]) -> list[Quote]:
    """A quote per request, in order; raises QuotesRefused listing every failure."""
    quotes: list[Quote] = []
    refusals: list[Refusal] = []
    for index, request in enumerate(requests):
        outcome = _quote_one(index, request)
        if isinstance(outcome, Refusal):
            refusals.append(outcome)
        else:
            quotes.append(outcome)
    if refusals:
        raise QuotesRefused(refusals)
    return quotes


def _quote_one(index: int, request: QuoteRequest) -> Quote | Refusal:
    on = request.on or today()
    try:
        product = get_product(request.product_id, on)
    except UnknownProduct as exc:
        return Refusal(index, request.product_id, no_tariff=str(exc))
    if request.sparte is not None and request.sparte != product.sparte:
        return Refusal(index, request.product_id, no_tariff=(
            f"Produkt „{request.product_id}“ gehört zur Sparte {product.sparte}, "
            f"nicht zur Sparte {request.sparte}"))
    try:
        return quote(request.product_id, request.answers, on=on)
    except RiskDataInvalid as exc:
        return Refusal(index, request.product_id, problems=exc.problems)

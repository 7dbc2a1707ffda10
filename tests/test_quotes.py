"""The several-products use case in the core: all quotes, or every refusal."""

from datetime import date
from decimal import Decimal

import pytest

from bipro.core.tariff import get_product, quote
from bipro.core.tariff.offers import rate
from bipro.core.tariff.quotes import QuoteRequest, QuotesRefused, quote_all

ON = date(2025, 6, 1)
BERLIN_80 = {"living_area": "80", "postcode": "10115"}
DEMO = [
    ("HR-KOMFORT", "130", BERLIN_80),
    ("PHV-KLASSIK", "040", {"family_status": "single", "birth_date": "1995-03-15"}),
    ("RS-BAUSTEIN", "070", {"traffic": "true"}),
]


def test_quote_all_collects_every_refusal_with_its_index():
    requests = [QuoteRequest("HR-KOMFORT", BERLIN_80, ON, "130"),
                QuoteRequest("PHV-KLASSIK", {}, ON),
                QuoteRequest("HR-KOMFORT", BERLIN_80, date(2020, 1, 1))]
    with pytest.raises(QuotesRefused) as info:
        quote_all(requests)
    refusals = info.value.refusals
    assert [(r.index, r.no_tariff is None, len(r.problems)) for r in refusals] == [
        (1, True, 2), (2, False, 0)]


def test_quote_all_returns_the_quotes_in_order():
    offers = quote_all([QuoteRequest(product_id, answers, ON, sparte)
                        for product_id, sparte, answers in DEMO])
    assert [offer.product.product_id for offer in offers] == [d[0] for d in DEMO]
    assert offers[0].line("1").gross == quote("HR-KOMFORT", BERLIN_80, on=ON).line("1").gross


def test_rate_takes_plain_values_and_returns_the_quote_or_every_problem():
    """The Tarifrechner's use case knows no web form: typed answers in, a quote or problems out."""
    product = get_product("HR-KOMFORT", ON)
    typed = {"living_area": Decimal("80"), "postcode": "10115", "glass": True}
    rating = rate(product, typed, ON)
    assert rating.ok and rating.problems == ()
    assert rating.quote.line("1").gross == quote("HR-KOMFORT", typed, on=ON).line("1").gross
    refused = rate(product, {"living_area": Decimal("80"), "csrf_token": "x"}, ON)
    assert refused.quote is None
    assert {(p.field, p.code) for p in refused.problems} == {
        ("postcode", "missing"), ("csrf_token", "unknown")}

"""Norm 420 (TAA): getQuote over the tariff engine.

One taa:Tarifierung per product; the answer has one per request, in order,
with the premium for every payment frequency. All or nothing: if any entry
cannot be rated, a fault lists every problem of every entry (01015 for the
product, 01003 per risk datum, 00001 for what cannot be read). The request
form and these choices are documented in ``schemas/tarifierung.xsd``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from spyne import ServiceBase

from bipro.core.formatting import round_cents
from bipro.core.tariff import PremiumLine, Quote
from bipro.core.tariff.quotes import QuotesRefused, Refusal, quote_all
from bipro.soap import faults
from bipro.soap.envelope import Envelope, operation_response, optional, sub
from bipro.soap.faults import BiproFault, Meldung
from bipro.soap.namespaces import TAA, q
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.taa_request import Entry, angabe_path, read_entries

PATH = "/bipro/420_TAA/Service_2.6.1.1.0"
CURRENCY = "EUR"


class TariffQuoteService(ServiceBase):
    """getQuote: premiums for one or more products from the tariff engine."""

    @operation("getQuote")
    def get_quote(call: SoapCall) -> Reply:
        entries = read_entries(call.request)
        readable = [entry for entry in entries if entry.request is not None]
        try:
            quotes, refusals = quote_all([entry.request for entry in readable]), ()
        except QuotesRefused as refused:
            quotes, refusals = [], refused.refusals
        _refuse(entries, readable, refusals)
        return Reply.of(quote_response(quotes))


def _refuse(entries: list[Entry], readable: list[Entry],
            refusals: Sequence[Refusal]) -> None:
    """Raise one fault with every problem, in request order; return if there is none."""
    by_number: dict[int, list[Meldung]] = {entry.number: list(entry.problems) for entry in entries}
    for refusal in refusals:
        entry = readable[refusal.index]
        by_number[entry.number].extend(_meldungen(entry, refusal))
    meldungen = [m for entry in entries for m in by_number[entry.number]]
    if meldungen:
        raise BiproFault(meldungen)


def _meldungen(entry: Entry, refusal: Refusal) -> list[Meldung]:
    if refusal.no_tariff:
        return [Meldung(faults.NO_TARIFF, refusal.no_tariff, faults.ERROR, refusal.product_id)]
    return [Meldung(faults.RISK_DATA_MISSING, problem.message, faults.ERROR,
                    angabe_path(entry.path, problem.field))
            for problem in refusal.problems]


def quote_response(quotes: list[Quote]) -> Envelope:
    """``taa:getQuoteResponse`` with Meldung 01005 and one taa:Tarifierung per quote."""
    count = len(quotes)
    text = ("Der Beitrag wurde berechnet." if count == 1
            else f"Die Beiträge für {count} Produkte wurden berechnet.")
    envelope, response = operation_response(
        q(TAA, "getQuote"), [Meldung(faults.QUOTE_CALCULATED, text, faults.NOTE)])
    for offer in quotes:
        _tarifierung(response, offer)
    return envelope


def _tarifierung(parent, offer: Quote) -> None:
    product = offer.product
    node = sub(parent, q(TAA, "Tarifierung"))
    sub(node, q(TAA, "Berechnungsdatum"), offer.on.isoformat())
    verkaufsprodukt = sub(node, q(TAA, "Verkaufsprodukt"))
    sub(verkaufsprodukt, q(TAA, "Sparte"), product.sparte)
    sub(verkaufsprodukt, q(TAA, "ProduktID"), product.product_id)
    sub(verkaufsprodukt, q(TAA, "Name"), product.name)
    sub(verkaufsprodukt, q(TAA, "Version"), product.version)
    sub(verkaufsprodukt, q(TAA, "GueltigAb"), product.valid_from.isoformat())
    optional(verkaufsprodukt, q(TAA, "GueltigBis"),
             product.valid_until.isoformat() if product.valid_until else None)
    risikodaten = sub(node, q(TAA, "Risikodaten"))
    for question in product.questions:
        value = offer.answers.get(question.name)
        if value is not None:
            angabe = sub(risikodaten, q(TAA, "Angabe"))
            sub(angabe, q(TAA, "Name"), question.name)
            sub(angabe, q(TAA, "Wert"), wire_value(value))
    sub(node, q(TAA, "Versicherungsteuersatz"), _number(product.tax_rate))
    for line in offer.lines:
        _beitrag(node, line)


def _beitrag(parent, line: PremiumLine) -> None:
    node = sub(parent, q(TAA, "Beitrag"))
    sub(node, q(TAA, "Zahlungsweise"), line.code)
    sub(node, q(TAA, "AnzahlZahlungen"), line.frequency.payments)
    sub(node, q(TAA, "Ratenzuschlag"), _number(line.frequency.surcharge))
    for name, amount in (("Nettobeitrag", line.net), ("Versicherungsteuer", line.tax),
                         ("Bruttobeitrag", line.gross), ("NettobeitragJahr", line.annual_net),
                         ("VersicherungsteuerJahr", line.annual_tax),
                         ("BruttobeitragJahr", line.annual_gross)):
        betrag = sub(node, q(TAA, name))
        sub(betrag, q(TAA, "Betrag"), f"{round_cents(amount):.2f}")
        sub(betrag, q(TAA, "Waehrung"), CURRENCY)


def wire_value(value: Any) -> str:
    """An answer as rated, in XML Schema spelling (true/false, YYYY-MM-DD, 72.5)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _number(value)
    return str(value)


def _number(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 19, 72.5."""
    return format(value.normalize(), "f")

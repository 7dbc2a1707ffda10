"""The BiPRO shapes of a partner (part:CT_Person) and a contract (vert:CT_Vertrag).

Shared by Partner and Vertrag getData and by the search lists, so a partner
or contract looks the same in every answer. Element order follows
``schemas/partner.xsd`` and ``schemas/vertrag.xsd``.
"""

from __future__ import annotations

from decimal import Decimal

from bipro.core.addresses import split_house_number
from bipro.core.portfolio import ContractData, CustomerData
from bipro.soap.envelope import optional, sub
from bipro.soap.namespaces import ALLG, PART, VERT, q

CURRENCY = "EUR"
HOLDER_ROLE = "Versicherungsnehmer"


def add_partner(parent, customer: CustomerData, qname: str = q(PART, "Partner")):
    """``part:Partner`` (CT_Person): partner elements first, then the person's own."""
    node = sub(parent, qname)
    sub(node, q(PART, "Anrede"), str(customer.salutation))
    sub(node, q(PART, "Name"), customer.last_name)
    sub(node, q(PART, "Partnernummer"), customer.partner_number)
    if customer.street or customer.postcode or customer.town:
        street, number = split_house_number(customer.street)
        address = sub(node, q(PART, "Anschrift"))
        optional(address, q(PART, "Strasse"), street)
        optional(address, q(PART, "Hausnummer"), number)
        optional(address, q(PART, "Postleitzahl"), customer.postcode)
        optional(address, q(PART, "Ort"), customer.town)
        optional(address, q(PART, "Land"), customer.country)
    for kind, value in (("Telefon", customer.phone), ("EMail", customer.email)):
        if value:
            link = sub(node, q(PART, "Kommunikationsverbindung"))
            sub(link, q(PART, "ArtID"), kind)
            sub(link, q(PART, "Kommunikationsadresse"), value)
    optional(node, q(PART, "Vorname"), customer.first_name)
    if customer.birth_date:
        sub(node, q(PART, "Geburtsdatum"), customer.birth_date.isoformat())
    optional(node, q(PART, "Titel"), customer.title)
    return node


def add_contract(parent, contract: ContractData, qname: str = q(VERT, "Vertrag")):
    """``vert:Vertrag`` (CT_Vertrag) in the BiPRO order, Vertragsnummer last."""
    node = sub(parent, qname)
    if contract.main_due_date:
        sub(node, q(VERT, "Hauptfaelligkeit"), contract.main_due_date.isoformat())
    if contract.end_date:
        sub(node, q(VERT, "Vertragsablauf"), contract.end_date.isoformat())
    sub(node, q(VERT, "Vertragsbeginn"), contract.start_date.isoformat())
    sub(node, q(VERT, "Vertragsstatus"), str(contract.status))
    sub(node, q(VERT, "Zahlungsweise"), str(contract.payment_frequency))
    product = sub(node, q(VERT, "Verkaufsprodukt"))
    sub(product, q(VERT, "Sparte"), contract.sparte)
    optional(product, q(VERT, "ProduktID"), contract.product_code)
    optional(product, q(VERT, "Name"), contract.product_name)
    broker = sub(node, q(VERT, "Vermittler"))
    sub(broker, q(VERT, "Vermittlernummer"), contract.broker_number)
    holder = sub(node, q(VERT, "Partner"))
    sub(holder, q(VERT, "Partnernummer"), contract.holder_partner_number)
    sub(holder, q(VERT, "Rolle"), HOLDER_ROLE)
    for kind, amount in (("Netto", contract.net_premium), ("Brutto", contract.gross_premium)):
        premium = sub(node, q(VERT, "Beitrag"))
        sub(premium, q(VERT, "ArtID"), kind)
        sub(premium, q(VERT, "Betrag"), money(amount))
        sub(premium, q(VERT, "Waehrung"), CURRENCY)
    number = sub(node, q(VERT, "Vertragsnummer"))
    sub(number, q(ALLG, "Versicherungsscheinnummer"), contract.policy_number)
    return node


def money(amount: Decimal) -> str:
    """Two decimals with a point, as xsd:decimal wants it."""
    return f"{Decimal(amount).quantize(Decimal('0.01')):f}"

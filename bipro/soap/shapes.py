"""The BiPRO shapes of a partner (part:CT_Person) and a contract (vert:CT_Vertrag).

Shared by Partner and Vertrag getData and by the search lists, so a partner
or contract looks the same in every answer, also the policyholder inside a
contract. Element for element, namespace for namespace and in the order of
the official types (``schemas/partner.xsd``, ``vertrag.xsd``,
``produktmodell.xsd``): a client generated from the official schemas reads
every element.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from bipro.core.formatting import round_cents
from bipro.core.portfolio.addresses import split_house_number
from bipro.core.portfolio.records import ContractData, CustomerData
from bipro.soap import code_lists
from bipro.soap.envelope import optional, sub
from bipro.soap.namespaces import ALLG, PART, PM, VERT, XSI, q

CURRENCY = "EUR"
PHONE_PRIVATE, MOBILE_PRIVATE, EMAIL_PRIVATE = "10", "31", "51"
STREET_ADDRESS, PRIVATE = "1", "privat"
GROSS_PER_PAYMENT, NET_PER_PAYMENT = "01", "02"
PERSON_TYPE = "part:CT_Person"  # xsi:type of vert:Partner, whose declared type is abstract
PREMIUM_KIND_TYPE = "dt:STE_BeitragBasis"  # xsi:type of pm:ArtID, likewise
# German mobile numbers: 015x, 016x, 017x (also written +49 15x ...).
_MOBILE = re.compile(r"^(?:\+49|0049|0)\s*1[5-7]")


def partner_id(partner_number: str) -> str:
    """The id a partner has inside one message; the roles of a contract point to it."""
    return f"P{partner_number}"


def add_partner(parent, customer: CustomerData, qname: str = q(PART, "Partner"), *, typed: bool = False):
    """A person (CT_Person): the partner elements first, then the person's own.

    *typed* writes ``xsi:type="part:CT_Person"``, needed where the element is
    declared with the abstract CT_Partner (a contract's ``vert:Partner``).
    """
    node = sub(parent, qname)
    if typed:
        node.set(q(XSI, "type"), PERSON_TYPE)
    if str(customer.salutation) in code_lists.ANREDE:
        sub(node, q(PART, "Anrede"), str(customer.salutation))
    sub(node, q(PART, "Name"), customer.last_name)
    sub(node, q(PART, "Partnernummer"), customer.partner_number)
    sub(node, q(PART, "PartnerID"), partner_id(customer.partner_number))
    _add_address(node, customer)
    for kind, value in ((_phone_kind(customer.phone), customer.phone), (EMAIL_PRIVATE, customer.email)):
        if value:
            link = sub(node, q(PART, "Kommunikationsverbindung"))
            sub(link, q(PART, "ArtID"), kind)
            sub(link, q(PART, "Kommunikationsadresse"), value)
    optional(node, q(PART, "Vorname"), customer.first_name)
    if customer.birth_date:
        sub(node, q(PART, "Geburtsdatum"), customer.birth_date.isoformat())
    optional(node, q(PART, "Titel"), customer.title)
    return node


def _add_address(node, customer: CustomerData) -> None:
    """``part:Anschrift``: the inherited ``allg:`` address fields, then the partner address's own."""
    if not (customer.street or customer.postcode or customer.town):
        return
    street, number = split_house_number(customer.street)
    address = sub(node, q(PART, "Anschrift"))
    optional(address, q(ALLG, "Strasse"), street)
    optional(address, q(ALLG, "Hausnummer"), number)
    optional(address, q(ALLG, "Postleitzahl"), customer.postcode)
    optional(address, q(ALLG, "Ort"), customer.town)
    optional(address, q(ALLG, "Land"), code_lists.vehicle_country_code(customer.country))
    sub(address, q(PART, "ArtID"), STREET_ADDRESS)
    sub(address, q(PART, "Adresstyp"), PRIVATE)


def _phone_kind(number: str) -> str:
    return MOBILE_PRIVATE if _MOBILE.match((number or "").strip()) else PHONE_PRIVATE


def add_contract(parent, contract: ContractData, qname: str = q(VERT, "Vertrag")):
    """A contract (CT_Vertrag) in the official order, the policyholder in full inside."""
    node = sub(parent, qname)
    if contract.cancelled_on:
        sub(node, q(VERT, "Abgangsdatum"), contract.cancelled_on.isoformat())
    if contract.main_due_date:
        sub(node, q(VERT, "Hauptfaelligkeit"), contract.main_due_date.isoformat())
    sub(node, q(VERT, "Vertragsbeginn"), contract.start_date.isoformat())
    sub(node, q(VERT, "Vertragsstatus"), str(contract.status))
    sub(node, q(VERT, "Zahlungsweise"), str(contract.payment_frequency))
    _add_sales_product(node, contract)
    broker = sub(node, q(VERT, "Vermittler"))
    sub(broker, q(ALLG, "Vermittlernummer"), contract.broker_number)
    if contract.holder is not None:
        add_partner(node, contract.holder, q(VERT, "Partner"), typed=True)
    number = sub(node, q(VERT, "Vertragsnummer"))
    sub(number, q(ALLG, "Versicherungsscheinnummer"), contract.policy_number)
    if contract.holder is not None:
        holder = sub(node, q(VERT, "Vertragspartner"))
        sub(holder, q(PART, "PartnerID"), partner_id(contract.holder.partner_number))
    return node


def _add_sales_product(node, contract: ContractData) -> None:
    """``vert:Verkaufsprodukt`` with one ``pm:Produkt``: name, premiums, status, term, Sparte."""
    product = sub(sub(node, q(VERT, "Verkaufsprodukt")), q(PM, "Produkt"))
    optional(product, q(PM, "Bezeichnung"), contract.product_name)
    for kind, amount in ((GROSS_PER_PAYMENT, contract.gross_premium), (NET_PER_PAYMENT, contract.net_premium)):
        premium = sub(product, q(PM, "Beitrag"))
        art = sub(premium, q(PM, "ArtID"), kind)
        art.set(q(XSI, "type"), PREMIUM_KIND_TYPE)
        betrag = sub(premium, q(PM, "Betrag"))
        sub(betrag, q(ALLG, "Betrag"), money(amount))
        sub(betrag, q(ALLG, "Waehrung"), CURRENCY)
        sub(premium, q(PM, "Zahlungsweise"), str(contract.payment_frequency))
    sub(product, q(PM, "Status"), str(contract.status))
    term = sub(product, q(PM, "Versicherungsdauer"))
    sub(term, q(ALLG, "Beginn"), date_time(contract.start_date))
    if contract.end_date:
        sub(term, q(ALLG, "Ende"), date_time(contract.end_date))
    sub(product, q(PM, "Sparte"), contract.sparte)


def money(amount: Decimal) -> str:
    """Two decimals with a point, as xsd:decimal wants it; cents rounded half up."""
    return f"{round_cents(amount):f}"


def date_time(day: dt.date) -> str:
    """``ST_DatumZeit`` (YYYY-MM-DDThh:mm) for the start of *day*."""
    return f"{day.isoformat()}T00:00"

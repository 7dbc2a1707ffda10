"""Deep links into the portal for a customer or a contract of the caller's broker (Norm 440).

The portal's views have fixed addresses (``bipro.core.portal_paths``):
``/kunden/<Partnernummer>`` and ``/vertraege/<Versicherungsscheinnummer>``;
they work once the broker has logged in there. Only objects of the caller's broker get a link.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from bipro.core import portal_paths
from bipro.core import search as lists
from bipro.core.caller import Caller
from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.portfolio.records import CustomerData, customers_by_id, get_contract, get_customer

MAX_CUSTOMER_LINKS = 50  # a name search names people, not the whole portfolio

CUSTOMER_TARGET = "Kunde"
CONTRACT_TARGET = "Vertrag"


@dataclass(frozen=True)
class CustomerSearch:
    """What identifies customers: a Partnernummer, or else name and address fields (all must fit)."""

    partner_number: str = ""
    last_name: str = ""
    first_name: str = ""
    street: str = ""
    postcode: str = ""
    town: str = ""

    @property
    def by_name(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "partner_number")

    @property
    def empty(self) -> bool:
        return not (self.partner_number or self.by_name)


@dataclass(frozen=True)
class PortalLink:
    url: str
    target: str  # CUSTOMER_TARGET or CONTRACT_TARGET
    description: str  # German, for the broker


@dataclass(frozen=True)
class LinkResult:
    links: list[PortalLink]
    truncated: bool  # more customers matched than MAX_CUSTOMER_LINKS


def customer_url(public_url: str, partner_number: str) -> str:
    return portal_paths.url(public_url, portal_paths.CUSTOMER, partner_number=partner_number)


def contract_url(public_url: str, policy_number: str) -> str:
    return portal_paths.url(public_url, portal_paths.CONTRACT, policy_number=policy_number)


def portal_links(session: Session, caller: Caller, public_url: str, *,
                 customer: CustomerSearch | None = None, policy_number: str = "") -> LinkResult:
    """Links to the matching customers and contract; NotFound when nothing of the caller's fits."""
    customer = customer or CustomerSearch()
    policy_number = (policy_number or "").strip()
    if customer.empty and not policy_number:
        raise ValidationFailed([Problem("Partnernummer", "Bitte eine Partnernummer, Name und Anschrift "
                                         "oder eine Versicherungsscheinnummer angeben.")])
    links: list[PortalLink] = []
    truncated = False
    if policy_number:
        try:
            contract = get_contract(session, caller, policy_number)
        except NotFound:
            pass
        else:
            links.append(PortalLink(contract_url(public_url, contract.policy_number), CONTRACT_TARGET,
                                    f"Vertrag {contract.policy_number} von {contract.holder_name}"))
    if not customer.empty:
        found, truncated = _customers(session, caller, customer)
        links.extend(PortalLink(customer_url(public_url, c.partner_number), CUSTOMER_TARGET,
                                f"Kunde {c.partner_number}: {c.full_name}, {c.postcode} {c.town}".rstrip(", "))
                     for c in found)
    if not links:
        raise NotFound("Zu den Angaben gibt es keinen Kunden und keinen Vertrag.")
    return LinkResult(links, truncated)


def _customers(session: Session, caller: Caller, search: CustomerSearch) -> tuple[list[CustomerData], bool]:
    if search.partner_number:  # it names one customer; name fields add nothing then
        try:
            return [get_customer(session, caller, search.partner_number)], False
        except NotFound:
            return [], False
    ids = _matching_customer_ids(session, caller, search, MAX_CUSTOMER_LINKS + 1)
    return customers_by_id(session, caller, ids[:MAX_CUSTOMER_LINKS]), len(ids) > MAX_CUSTOMER_LINKS


def _matching_customer_ids(session: Session, caller: Caller, search: CustomerSearch, limit: int) -> list[int]:
    """The list query's field filters (each a case-insensitive part of its field), all must fit."""
    filters = {key: value.strip() for key, value in (
        ("last_name", search.last_name), ("first_name", search.first_name), ("street", search.street),
        ("postcode", search.postcode), ("town", search.town)) if value and value.strip()}
    try:
        page = lists.fetch_page(session, caller, lists.CUSTOMER_LIST, lists.ListQuery(
            order=(("last_name", lists.ASC), ("first_name", lists.ASC)), limit=limit, filters=filters))
    except lists.ListQueryError as exc:
        raise ValidationFailed([Problem("Name", str(exc))]) from None
    return [row.id for row in page.rows]

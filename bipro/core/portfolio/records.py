"""One customer or one contract of the caller's broker, as the services and views need them.

Every lookup is scoped to the caller's broker: a number of another broker is
``NotFound``, exactly like an unknown one. The results are plain frozen
dataclasses so BiPRO services and portal pages share them; further parts
(claims, documents, change history) can be added as new functions beside
these without changing the existing fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import NotFound
from bipro.core.portfolio.dashboard import payments_per_year
from store.german import person_name
from store.models import Broker, Contract, Customer, Product


@dataclass(frozen=True)
class CustomerData:
    """A Kunde / Partner with the fields Partner getData and the customer view show."""

    id: int
    partner_number: str
    salutation: int  # Anrede code 0..4
    title: str
    first_name: str
    last_name: str
    birth_date: dt.date | None
    street: str  # street and house number together, as stored
    postcode: str
    town: str
    country: str
    email: str
    phone: str
    version: int = 0  # optimistic locking: an edit names the version it started from

    @property
    def full_name(self) -> str:
        return person_name(self.first_name, self.last_name, self.title)


@dataclass(frozen=True)
class ContractData:
    """A Vertrag with its product and policy holder, for Vertrag getData and the contract view."""

    id: int
    policy_number: str
    sparte: str
    status: int  # Vertragsstatus code
    start_date: dt.date
    end_date: dt.date | None
    main_due_date: dt.date | None  # Hauptfälligkeit
    payment_frequency: int  # Zahlungsweise code
    net_premium: Decimal  # per payment period
    gross_premium: Decimal  # per payment period, insurance tax included
    product_code: str
    product_name: str  # empty when the product is not (or no longer) in the catalogue
    holder_partner_number: str  # Versicherungsnehmer
    holder_name: str
    broker_number: str  # Vermittlernummer
    stand: dt.date | None = None  # date of the last change of the contract data
    cancelled_on: dt.date | None = None  # Abgangsdatum of a cancelled contract
    holder: CustomerData | None = None  # the Versicherungsnehmer in full, as BiPRO sends it

    @property
    def annual_gross(self) -> Decimal:
        """Bruttojahresbeitrag: the premium per payment times the payments per year."""
        return self.gross_premium * payments_per_year(self.payment_frequency)


def get_customer(session: Session, caller: Caller, partner_number: str) -> CustomerData:
    """The caller's customer with this Partnernummer; NotFound otherwise."""
    row = session.scalars(
        select(Customer).where(Customer.broker_id == caller.broker_id,
                               Customer.partner_number == (partner_number or "").strip())
        # The stored state even when this session loaded the row before (e.g. to
        # show a conflict after someone else's save).
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Es gibt keinen Kunden mit der Partnernummer {partner_number}.")
    return customer_data(row)


def get_contract(session: Session, caller: Caller, policy_number: str) -> ContractData:
    """The caller's contract with this Versicherungsscheinnummer; NotFound otherwise."""
    found = contracts_by_id(session, caller, _contract_ids(session, caller, policy_number))
    if not found:
        raise NotFound(f"Es gibt keinen Vertrag mit der Versicherungsscheinnummer {policy_number}.")
    return found[0]


def contracts_of_customer(session: Session, caller: Caller, customer_id: int) -> list[ContractData]:
    """Every contract the caller's customer holds, oldest first."""
    ids = session.scalars(
        select(Contract.id).where(Contract.broker_id == caller.broker_id,
                                  Contract.customer_id == customer_id)
        .order_by(Contract.start_date, Contract.id)
    )
    return contracts_by_id(session, caller, ids)


def customers_by_id(session: Session, caller: Caller, ids: Iterable[int]) -> list[CustomerData]:
    """The caller's customers among *ids*, in the order of *ids* (others are skipped)."""
    wanted = list(ids)
    if not wanted:
        return []
    rows = session.scalars(
        select(Customer).where(Customer.broker_id == caller.broker_id, Customer.id.in_(wanted))
    ).all()
    by_id = {row.id: customer_data(row) for row in rows}
    return [by_id[i] for i in wanted if i in by_id]


def contracts_by_id(session: Session, caller: Caller, ids: Iterable[int]) -> list[ContractData]:
    """The caller's contracts among *ids* with product and holder, in the order of *ids*."""
    wanted = list(ids)
    if not wanted:
        return []
    rows = session.execute(
        select(Contract, Customer, Product.name, Broker.number)
        .join(Customer, Customer.id == Contract.customer_id)
        .join(Broker, Broker.id == Contract.broker_id)
        .outerjoin(Product, Product.code == Contract.product_code)
        .where(Contract.broker_id == caller.broker_id, Contract.id.in_(wanted))
    ).all()
    by_id = {}
    for contract, customer, product_name, broker_number in rows:
        holder = customer_data(customer)
        by_id[contract.id] = ContractData(
            id=contract.id,
            policy_number=contract.policy_number,
            sparte=contract.sparte,
            status=contract.status,
            start_date=contract.start_date,
            end_date=contract.end_date,
            main_due_date=contract.main_due_date,
            payment_frequency=contract.payment_frequency,
            net_premium=contract.net_premium,
            gross_premium=contract.gross_premium,
            product_code=contract.product_code,
            product_name=product_name or "",
            holder_partner_number=holder.partner_number,
            holder_name=holder.full_name,
            broker_number=broker_number,
            stand=contract.stand,
            cancelled_on=contract.cancelled_on,
            holder=holder,
        )
    return [by_id[i] for i in wanted if i in by_id]


def customer_data(row: Customer) -> CustomerData:
    return CustomerData(
        id=row.id, partner_number=row.partner_number, salutation=row.salutation,
        title=row.title or "", first_name=row.first_name or "", last_name=row.last_name,
        birth_date=row.birth_date, street=row.street or "", postcode=row.postcode or "",
        town=row.town or "", country=row.country or "", email=row.email or "",
        phone=row.phone or "", version=row.version,
    )


def _contract_ids(session: Session, caller: Caller, policy_number: str) -> list[int]:
    return list(session.scalars(
        select(Contract.id).where(Contract.broker_id == caller.broker_id,
                                  Contract.policy_number == (policy_number or "").strip())
    ))

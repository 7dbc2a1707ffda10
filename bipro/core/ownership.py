"""Scoped look-ups: a customer or contract exists only for the broker it belongs to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.errors import NotFound
from store.models import Contract, Customer

CUSTOMER_NOT_FOUND = "Der Kunde wurde nicht gefunden."
CONTRACT_NOT_FOUND = "Der Vertrag wurde nicht gefunden."


def customer_id_of(session: Session, broker_id: int, partner_number: str) -> int:
    """The id of the broker's customer with this Partnernummer; NotFound otherwise."""
    found = session.scalar(select(Customer.id).where(Customer.broker_id == broker_id,
                                                     Customer.partner_number == partner_number))
    if found is None:
        raise NotFound(CUSTOMER_NOT_FOUND)
    return found


def contract_id_of(session: Session, broker_id: int, policy_number: str) -> int:
    """The id of the broker's contract with this Versicherungsscheinnummer; NotFound otherwise."""
    found = session.scalar(select(Contract.id).where(Contract.broker_id == broker_id,
                                                     Contract.policy_number == policy_number))
    if found is None:
        raise NotFound(CONTRACT_NOT_FOUND)
    return found

"""What belongs to a customer or a contract besides its own data: claims, documents, history.

The Kundenansicht and the Vertragsansicht show these next to the
``portfolio`` data. Every query is scoped to the caller's broker; the ids
passed in come from ``portfolio.get_customer`` / ``get_contract``, so they are
already known to be the caller's, and the broker condition is kept anyway so a
wrong id can never show another broker's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from store.models import Claim, Contract, CustomerChange, Document, Shipment, User

# Labels of the fields an edit can change, for the change history on screen.
FIELD_LABELS = {
    "title": "Titel", "street": "Straße", "postcode": "PLZ", "town": "Ort",
    "email": "E-Mail", "phone": "Telefon",
}


@dataclass(frozen=True)
class ClaimData:
    """A Schaden on one of the customer's contracts."""

    number: str
    policy_number: str
    occurred_on: dt.date
    is_open: bool
    amount: Decimal
    description: str


@dataclass(frozen=True)
class DocumentData:
    """A document of the insurer about the customer or contract (bytes are read on opening)."""

    document_id: int
    title: str
    file_name: str
    document_type: str
    created_at: dt.datetime  # UTC as stored
    read_at: dt.datetime | None
    policy_number: str


@dataclass(frozen=True)
class ChangeData:
    """One changed field: who, when, old and new value."""

    changed_at: dt.datetime  # UTC as stored
    login: str
    user_name: str
    field: str
    old_value: str
    new_value: str

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


def claims_of_customer(session: Session, caller: Caller, customer_id: int) -> list[ClaimData]:
    """Claims on any of the customer's contracts, newest first."""
    return _claims(session, caller, Contract.customer_id == customer_id)


def claims_of_contract(session: Session, caller: Caller, contract_id: int) -> list[ClaimData]:
    """Claims on this contract, newest first."""
    return _claims(session, caller, Contract.id == contract_id)


def documents_of_customer(session: Session, caller: Caller, customer_id: int) -> list[DocumentData]:
    """Documents of shipments about the customer, newest first."""
    return _documents(session, caller, Shipment.customer_id == customer_id)


def documents_of_contract(session: Session, caller: Caller, contract_id: int) -> list[DocumentData]:
    """Documents of shipments about this contract, newest first."""
    return _documents(session, caller, Shipment.contract_id == contract_id)


def change_history(session: Session, caller: Caller, customer_id: int) -> list[ChangeData]:
    """The customer's recorded changes, newest first."""
    rows = session.execute(
        select(CustomerChange, User.login, User.full_name)
        .outerjoin(User, User.id == CustomerChange.user_id)
        .where(CustomerChange.broker_id == caller.broker_id,
               CustomerChange.customer_id == customer_id)
        # Newest edit first; the fields of one edit in the order they were written.
        .order_by(CustomerChange.changed_at.desc(), CustomerChange.id)
    ).all()
    return [ChangeData(changed_at=change.changed_at, login=login or "", user_name=name or "",
                       field=change.field, old_value=change.old_value,
                       new_value=change.new_value)
            for change, login, name in rows]


def _claims(session: Session, caller: Caller, condition) -> list[ClaimData]:
    rows = session.execute(
        select(Claim, Contract.policy_number)
        .join(Contract, Contract.id == Claim.contract_id)
        .where(Claim.broker_id == caller.broker_id, Contract.broker_id == caller.broker_id,
               condition)
        .order_by(Claim.occurred_on.desc(), Claim.id.desc())
    ).all()
    return [ClaimData(number=claim.number, policy_number=policy, occurred_on=claim.occurred_on,
                      is_open=claim.is_open, amount=claim.amount,
                      description=claim.description or "")
            for claim, policy in rows]


def _documents(session: Session, caller: Caller, condition) -> list[DocumentData]:
    rows = session.execute(
        select(Document.id, Document.title, Document.file_name, Document.document_type,
               Document.created_at, Document.read_at, Contract.policy_number)
        .join(Shipment, Shipment.id == Document.shipment_id)
        .outerjoin(Contract, Contract.id == Shipment.contract_id)
        .where(Document.broker_id == caller.broker_id, Shipment.broker_id == caller.broker_id,
               condition)
        .order_by(Document.created_at.desc(), Document.id.desc())
    ).all()
    return [DocumentData(document_id=r.id, title=r.title or "", file_name=r.file_name,
                         document_type=r.document_type, created_at=r.created_at,
                         read_at=r.read_at, policy_number=r.policy_number or "")
            for r in rows]

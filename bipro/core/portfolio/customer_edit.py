"""Changing a customer's address and contact data, with optimistic locking and history.

``update_customer_contact`` writes, in the caller's transaction, the customer
row (with a new version and search text), one ``customer_changes`` row per
changed field, the search text of every contract of the customer (it carries
the customer's name and town) and an audit event. It raises before writing
anything when the input is invalid (``ValidationFailed``), the customer is not
the caller's (``NotFound``) or someone else saved since the form was loaded
(``Conflict``): the caller's transaction then holds nothing of the edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import Conflict, NotFound
from bipro.core.identity import audit
from bipro.core.portfolio.contact_rules import CONTACT_FIELDS, clean_contact
from store.base import utcnow
from store.db import begin_write
from store.german import person_name
from store.models import Contract, Customer, CustomerChange
from store.search_text import contract_search_text, customer_search_text
from store.sort_keys import customer_sort_keys

CONFLICT = ("Der Kunde wurde inzwischen von einem anderen Benutzer geändert. Bitte prüfen Sie "
            "die aktuellen Daten und speichern Sie erneut.")
NOT_FOUND = "Der Kunde wurde nicht gefunden."


@dataclass(frozen=True)
class FieldChange:
    field: str  # one of contact_rules.CONTACT_FIELDS
    old_value: str
    new_value: str


def update_customer_contact(session: Session, caller: Caller, partner_number: str,
                            expected_version: int,
                            changes: Mapping[str, object]) -> list[FieldChange]:
    """Apply *changes* (field -> new value) to the caller's customer if it is still at
    *expected_version*; the changed fields (empty when nothing differs)."""
    cleaned = clean_contact(changes)
    begin_write(session)  # SQLite: take the write lock now, not after the reads
    customer_id = _lock_customer(session, caller, partner_number)
    current = session.execute(
        select(Customer.partner_number, Customer.title, Customer.first_name, Customer.last_name,
               Customer.birth_date, Customer.version, *_columns(CONTACT_FIELDS))
        .where(Customer.id == customer_id)
    ).one()
    if current.version != expected_version:
        raise Conflict(CONFLICT)
    diffs = [FieldChange(field, getattr(current, field) or "", value)
             for field, value in cleaned.items() if value != (getattr(current, field) or "")]
    if not diffs:
        return []
    after = {field: getattr(current, field) or "" for field in CONTACT_FIELDS} | cleaned
    now = utcnow()
    written = session.execute(
        update(Customer)
        .where(Customer.id == customer_id, Customer.version == expected_version)
        .values(**cleaned, version=expected_version + 1, updated_at=now,
                search_text=customer_search_text(
                    current.partner_number, current.first_name, current.last_name,
                    after["street"], after["postcode"], after["town"], current.birth_date),
                **customer_sort_keys(current.first_name, current.last_name,
                                     after["street"], after["town"]))
        .execution_options(synchronize_session="fetch")
    )
    if written.rowcount != 1:  # cannot happen while the row is locked; refuse rather than guess
        raise Conflict(CONFLICT)
    _refresh_contract_texts(session, caller, customer_id,
                            person_name(current.first_name, current.last_name, current.title), after["town"])
    session.add_all(CustomerChange(customer_id=customer_id, broker_id=caller.broker_id,
                                   user_id=caller.user_id, changed_at=now, field=d.field,
                                   old_value=d.old_value, new_value=d.new_value) for d in diffs)
    audit.record(session, audit.CUSTOMER_CHANGED, login=caller.login, user_id=caller.user_id,
                 broker_id=caller.broker_id, channel=caller.channel,
                 remote_addr=caller.remote_addr,
                 detail=f"Kunde {current.partner_number}: {', '.join(d.field for d in diffs)}")
    session.flush()
    return diffs


def _lock_customer(session: Session, caller: Caller, partner_number: str) -> int:
    """Take the customer's row lock before reading it; its id, NotFound when not the caller's.

    A write first: PostgreSQL locks the row and SQLite takes its write lock, so
    a concurrent edit of the same customer waits here until the first commits
    and then reads the new version (a Conflict), instead of both reading the
    old version or SQLite failing on a stale snapshot.
    """
    number = (partner_number or "").strip()
    session.execute(
        update(Customer)
        .where(Customer.broker_id == caller.broker_id, Customer.partner_number == number)
        .values(version=Customer.version)
        .execution_options(synchronize_session=False)
    )
    customer_id = session.scalar(select(Customer.id).where(Customer.broker_id == caller.broker_id,
                                                           Customer.partner_number == number))
    if customer_id is None:
        raise NotFound(NOT_FOUND)
    return customer_id


def _refresh_contract_texts(session: Session, caller: Caller, customer_id: int,
                            customer_name: str, town: str) -> None:
    """The contracts' search text carries the holder's name and town: keep it in step."""
    partner_number = session.scalar(select(Customer.partner_number).where(Customer.id == customer_id))
    rows = session.execute(
        select(Contract.id, Contract.policy_number, Contract.sparte, Contract.status,
               Contract.net_premium, Contract.gross_premium, Contract.stand, Contract.search_text)
        .where(Contract.broker_id == caller.broker_id, Contract.customer_id == customer_id)
    ).all()
    for row in rows:
        text = contract_search_text(partner_number, customer_name, town, row.policy_number,
                                    row.sparte, row.status, row.net_premium, row.gross_premium,
                                    row.stand)
        if text != row.search_text:
            session.execute(update(Contract).where(Contract.id == row.id)
                            .values(search_text=text)
                            .execution_options(synchronize_session=False))


def _columns(fields):
    return [getattr(Customer, field) for field in fields]

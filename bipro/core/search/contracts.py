"""Bestandsverträge: the broker's contracts with their customer (ID, KUNDE, ORT)."""

from __future__ import annotations

from sqlalchemy import select

from bipro.core.formatting import format_date, format_money
from bipro.core.search.model import ASC, Column, Filter, ListQueryError
from bipro.core.search.spec import ListSpec
from store.code_lists import SPARTE, VERTRAGSSTATUS
from store.german import person_name
from store.models import Contract, ContractCount, Customer

K, C = Contract, Customer

COLUMNS = (
    # Customer-column sorts walk a customers index and fetch each customer's
    # contracts by customer_id, which come in id order: no sort needed. Customer
    # ids follow partner numbers (see the customer list).
    Column("partner_number", "ID", (C.partner_number,), (C.id,),
           broker_index=False),
    # Sorted by last name, as brokers file their customers (in German
    # alphabetical order, see store.sort_keys); shown as on a letter.
    Column("customer", "KUNDE", (C.first_name, C.last_name, C.title),
           (C.last_name_sort, C.first_name_sort, C.id), value=person_name, broker_index=False),
    # Within a town a customer's contracts stay together, and the
    # (broker, town key, id) index of customers gives that order directly.
    Column("town", "ORT", (C.town,), (C.town_sort, C.id), broker_index=False),
    Column("policy_number", "VERTRAG", (K.policy_number,), (K.policy_number,)),
    # Codes sort in GDV order (010 Leben ... 140 Wohngebäude), as brokers know them.
    Column("sparte", "SPARTE", (K.sparte,), (K.sparte,), lambda code: SPARTE.names.get(code, code)),
    # Sparte second: that is the (broker, status, sparte) index's order.
    Column("status", "STATUS", (K.status,), (K.status, K.sparte), lambda code: VERTRAGSSTATUS.names.get(code, "")),
    Column("net_premium", "NETTO", (K.net_premium,), (K.net_premium,), format_money),
    Column("gross_premium", "BRUTTO", (K.gross_premium,), (K.gross_premium,), format_money),
    Column("stand", "STAND", (K.stand,), (K.stand,), format_date),
)

STATUS_ALL = "alle"
_STATUS_CODES = {label: code for code, label in VERTRAGSSTATUS.names.items()}


def _status(value: str, _sql, _broker_id: int) -> Filter:
    """``lebend``, ``storniert`` (any status label) or ``alle``."""
    label = value.strip().lower()
    if label in ("", STATUS_ALL):
        return Filter()
    if label not in _STATUS_CODES:
        raise ListQueryError(f"Unbekannter Status: {value}")
    code = _STATUS_CODES[label]
    return Filter((K.status == code,), counted_as=(("status", code),))


def _sparte(value: str, _sql, _broker_id: int) -> Filter:
    """A three-digit GDV Sparte code such as ``130`` (Hausrat)."""
    code = value.strip()
    if not code or code == STATUS_ALL:
        return Filter()
    if not (len(code) == 3 and code.isdigit()):
        raise ListQueryError(f"Unbekannte Sparte: {value}")
    return Filter((K.sparte == code,), counted_as=(("sparte", code),))


def _partner_number(value: str, _sql, broker_id: int) -> Filter:
    """BiPRO 480: the contracts of the customer with exactly this Partnernummer.

    A key, not a search term: a management program asking for partner 12's
    contracts must not receive those of 120 or 312 as well.
    """
    owner = select(C.id).where(C.broker_id == broker_id, C.partner_number == value.strip())
    return Filter((K.customer_id.in_(owner),))


def _policy_number(value: str, sql, _broker_id: int) -> Filter:
    """BiPRO 480: contracts whose Versicherungsscheinnummer contains *value*."""
    term = value.lower()
    return Filter((sql.contains_ci(K.policy_number, term),), hints=(term,))


def _join_customers(stmt, broker_id: int, index: bool):
    # Checked on the customer too, though a contract's customer is always the broker's.
    owner = C.broker_id if index else C.broker_id + 0
    return stmt.join(C, C.id == K.customer_id).where(owner == broker_id)


CONTRACT_LIST = ListSpec(
    name="contracts",
    model=Contract,
    columns=COLUMNS,
    customer_id=K.customer_id,
    default_order=(("partner_number", ASC),),
    filters={
        "status": _status,
        "sparte": _sparte,
        "partner_number": _partner_number,
        "policy_number": _policy_number,
    },
    join=_join_customers,
    counts=ContractCount,
    # "lebend" is the status of 88 % of the contracts, "hausrat" the Sparte of
    # a fifth: the (broker, status, sparte) and (broker, sparte) indexes find
    # those rows without the text index's long lists for such terms.
    code_columns=(("status", VERTRAGSSTATUS.names), ("sparte", SPARTE.names)),
)

"""Kundenübersicht: the broker's customers."""

from __future__ import annotations

from sqlalchemy import select

from bipro.core.formatting import format_date
from bipro.core.search.model import ASC, Column, Filter
from bipro.core.search.spec import ListSpec
from store.models import Contract, Customer, CustomerCount

C = Customer

COLUMNS = (
    # Partner numbers are handed out with the row, so id order is their
    # numeric order (a text sort would put "10" before "9"), and the primary
    # key needs no extra index.
    Column("partner_number", "ID", (C.partner_number,), (C.id,)),
    # Text columns sort in German alphabetical order, by their stored keys.
    Column("first_name", "VORNAME", (C.first_name,), (C.first_name_sort,)),
    Column("last_name", "NAME", (C.last_name,), (C.last_name_sort,)),
    Column("street", "STRASSE", (C.street,), (C.street_sort,)),
    Column("postcode", "PLZ", (C.postcode,), (C.postcode,)),
    Column("town", "ORT", (C.town,), (C.town_sort,)),
    Column("birth_date", "GEBURTSDATUM", (C.birth_date,), (C.birth_date,), format_date),
)


def _field(attribute):
    """A BiPRO 480 partner filter: case-insensitive substring of one field."""
    def build(value: str, sql, _broker_id: int) -> Filter:
        term = value.lower()
        # The field is part of the search text, so the text index narrows first.
        return Filter((sql.contains_ci(attribute, term),), hints=(term,))
    return build


def _policy_number(value: str, sql, broker_id: int) -> Filter:
    """Customers with a contract whose Versicherungsscheinnummer contains *value*."""
    term = value.lower()
    owners = select(Contract.customer_id).where(
        Contract.broker_id == broker_id,
        *sql.text_conditions(Contract, (term,)),
        sql.contains_ci(Contract.policy_number, term),
    )
    return Filter((C.id.in_(owners),))


CUSTOMER_LIST = ListSpec(
    name="customers",
    model=Customer,
    columns=COLUMNS,
    customer_id=C.id,
    counts=CustomerCount,
    default_order=(("partner_number", ASC),),
    filters={
        "last_name": _field(C.last_name),  # BiPRO: Name
        "first_name": _field(C.first_name),  # Vorname
        "street": _field(C.street),  # Strasse
        "postcode": _field(C.postcode),  # Postleitzahl
        "town": _field(C.town),  # Ort
        "policy_number": _policy_number,  # Versicherungsscheinnummer
    },
)

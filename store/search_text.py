"""The text the list search runs over: every list column as displayed, lower-cased.

The portal's search matches each term as a substring of some column, with
dates as shown on screen (dd.mm.yyyy). Keeping that text in one column lets a
trigram index (SQLite FTS5, PostgreSQL pg_trgm) answer the search. Columns are
joined with a separator nobody types, so a term never matches across two
columns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from store.code_lists import SPARTE, VERTRAGSSTATUS
from store.german import format_date, format_money, person_name

# person_name is re-exported for callers that know it from here; its rule is in store.german.
__all__ = ["SEPARATOR", "contract_search_text", "customer_search_text", "join", "person_name"]

SEPARATOR = "\x1f"


def join(*parts: object) -> str:
    return SEPARATOR.join("" if p is None else str(p) for p in parts).lower()


def customer_search_text(partner_number, first_name, last_name, street, postcode, town,
                         birth_date: dt.date | None) -> str:
    return join(partner_number, first_name, last_name, street, postcode, town,
                format_date(birth_date))


def contract_search_text(partner_number, customer_name, town, policy_number, sparte: str,
                         status: int, net_premium: Decimal, gross_premium: Decimal,
                         stand: dt.date | None) -> str:
    """Every column of the contract list (ID is the customer's partner number), as shown."""
    return join(partner_number, customer_name, town, policy_number,
                SPARTE.names.get(sparte, sparte), VERTRAGSSTATUS.names.get(status, ""),
                format_money(net_premium), format_money(gross_premium), format_date(stand))

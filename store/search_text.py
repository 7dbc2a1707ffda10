"""The text the list search runs over: every list column as displayed, lower-cased.

The portal's search matches each term as a substring of some column, with
dates as shown on screen (dd.mm.yyyy). Keeping that text in one column lets a
trigram index (SQLite FTS5, PostgreSQL pg_trgm) answer the search. Columns are
joined with a separator nobody types, so a term never matches across two
columns.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

SEPARATOR = "\x1f"

STATUS_LABELS = {1: "lebend", 2: "lebend kurzfristig", 3: "ruhend", 4: "storniert",
                 5: "ruhend beitragsfrei", 6: "beitragsfrei", 9: "sonstiges"}

SPARTE_LABELS = {
    "010": "Leben", "020": "Kranken", "030": "Unfall", "040": "Haftpflicht",
    "050": "Kraftfahrt", "070": "Rechtsschutz", "080": "Feuer", "110": "Glas",
    "130": "Hausrat", "140": "Wohngebäude",
}


def german_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def german_decimal(value: Decimal | None, places: int = 2) -> str:
    """``1234.5`` -> ``1.234,50``: dot for thousands, comma for decimals."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, ROUND_HALF_UP):,.{places}f}"
    return text.translate(str.maketrans(",.", ".,"))


def german_money(value: Decimal | None) -> str:
    """``1234.5`` -> ``1.234,50 €``."""
    return f"{german_decimal(value)} €" if value is not None else ""


def person_name(first_name: str | None, last_name: str | None) -> str:
    """First and last name as the contract list's KUNDE column shows them."""
    return " ".join(part for part in (first_name, last_name) if part)


def join(*parts: object) -> str:
    return SEPARATOR.join("" if p is None else str(p) for p in parts).lower()


def customer_search_text(partner_number, first_name, last_name, street, postcode, town,
                         birth_date: dt.date | None) -> str:
    return join(partner_number, first_name, last_name, street, postcode, town,
                german_date(birth_date))


def contract_search_text(partner_number, customer_name, town, policy_number, sparte: str,
                         status: int, net_premium: Decimal, gross_premium: Decimal,
                         stand: dt.date | None) -> str:
    """Every column of the contract list (ID is the customer's partner number), as shown."""
    return join(partner_number, customer_name, town, policy_number,
                SPARTE_LABELS.get(sparte, sparte), STATUS_LABELS.get(status, ""),
                german_money(net_premium), german_money(gross_premium), german_date(stand))

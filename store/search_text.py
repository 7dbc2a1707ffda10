"""The text the list search runs over: every list column as displayed, lower-cased.

The portal's search matches each term as a substring of some column, with
dates as shown on screen (dd.mm.yyyy). Keeping that text in one column lets a
trigram index (SQLite FTS5, PostgreSQL pg_trgm) answer the search. Columns are
joined with a separator nobody types, so a term never matches across two
columns.
"""

from __future__ import annotations

import datetime as dt

SEPARATOR = "\x1f"

STATUS_LABELS = {1: "lebend", 2: "lebend kurzfristig", 3: "ruhend", 4: "storniert",
                 5: "ruhend beitragsfrei", 6: "beitragsfrei", 9: "sonstiges"}

SPARTE_LABELS = {
    "010": "Leben", "020": "Kranken", "030": "Unfall", "040": "Haftpflicht",
    "050": "Kraftfahrt", "070": "Rechtsschutz", "080": "Feuer", "110": "Glas",
    "130": "Hausrat", "140": "Wohngebäude", "190": "Transport",
}


def german_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def join(*parts: object) -> str:
    return SEPARATOR.join("" if p is None else str(p) for p in parts).lower()


def customer_search_text(partner_number, first_name, last_name, street, postcode, town,
                         birth_date: dt.date | None) -> str:
    return join(partner_number, first_name, last_name, street, postcode, town,
                german_date(birth_date))


def contract_search_text(policy_number, customer_name, town, sparte: str, status: int) -> str:
    return join(policy_number, customer_name, town, SPARTE_LABELS.get(sparte, sparte),
                STATUS_LABELS.get(status, ""))

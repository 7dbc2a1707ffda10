"""Input and output values of the GDV export, plus the code lists it checks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from store.code_lists import ANREDE, VERTRAGSSTATUS, ZAHLUNGSWEISE

# The codes a GDV file carries, from the one code list: every Vertragsstatus
# and Anrede the portfolio holds; of the Zahlungsweisen those the GDV field
# knows (no 3, 5 or 7).
STATUS_CODES = frozenset(VERTRAGSSTATUS)
PAYMENT_FREQUENCY_CODES = frozenset(ZAHLUNGSWEISE) - {3, 5, 7}
SALUTATION_CODES = frozenset(ANREDE)


@dataclass(frozen=True, slots=True)
class GdvHeader:
    """Data of the 0001 Vorsatz; the broker number also goes into 9999."""

    vu_number: str
    sender: str
    addressee: str
    created: date
    period_from: date
    period_to: date
    broker_number: str


@dataclass(frozen=True, slots=True)
class GdvPerson:
    """The policy holder as written to the 0100 address record."""

    partner_number: str
    salutation_code: int
    last_name: str
    first_name: str
    street: str
    postcode: str
    town: str
    country: str            # GDV country code, e.g. "D"
    birth_date: date | None


@dataclass(frozen=True, slots=True)
class GdvContract:
    """One contract as written to the 0200 general contract record."""

    policy_number: str
    sparte: int             # 0..999, written with leading zeros ("040")
    status_code: int
    start: date
    end: date | None
    main_due_date: date | None
    payment_frequency_code: int
    net_premium: Decimal    # per payment, euros, at most two decimals
    currency: str
    holder: GdvPerson
    changed_on: date | None = None    # Aenderungsdatum: the contract's "Stand"
    cancelled_on: date | None = None  # Abgangsdatum of a cancelled contract


@dataclass(frozen=True, slots=True)
class GdvSummary:
    """What was written; record_count equals the number of lines."""

    record_count: int
    contract_count: int
    total_premium_cents: int

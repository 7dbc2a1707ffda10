"""Input and output values of the GDV export, plus the code lists it checks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# The codes the writer accepts: Vertragsstatus (1 lebend ... 4 storniert),
# Zahlungsweise (1 jährlich, 2 halb-, 4 vierteljährlich, 8 monatlich,
# 6 Einmalbeitrag, 9 beitragsfrei), Anredeschlüssel (0 ohne, 1 Herr, 2 Frau,
# 3 Firma, 4 Herr und Frau).
STATUS_CODES = frozenset({1, 2, 3, 4})
PAYMENT_FREQUENCY_CODES = frozenset({1, 2, 4, 6, 8, 9})
SALUTATION_CODES = frozenset({0, 1, 2, 3, 4})


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

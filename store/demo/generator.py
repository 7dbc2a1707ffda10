"""Deterministic demo rows: the same seed and reference day give the same portfolio.

Rows are produced as plain dicts in batches so the loader can bulk-insert
hundreds of thousands of them without building ORM objects.

The reference day is the UTC day of the load. Every timestamp lies before
00:00 UTC of that day, so the data is the same whatever the hour and never
in the future (a change export would otherwise repeat the demo's contracts).
A date that goes with a timestamp (a contract's Stand) is at most yesterday.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from store.demo import names
from store.demo.catalogue import INSURANCE_TAX, PRODUCTS
from store.german import round_cents
from store.models.portfolio import STATUS_ACTIVE, STATUS_CANCELLED
from store.search_text import contract_search_text, customer_search_text
from store.sort_keys import customer_sort_keys

CENT = Decimal("0.01")
PAYMENTS_PER_YEAR = {1: 1, 2: 2, 4: 4, 8: 12}


@dataclass(frozen=True)
class PortfolioSpec:
    """How many rows one broker gets, and where its ids start."""

    broker_id: int
    customers: int
    contracts: int
    first_customer_id: int
    first_contract_id: int
    seed: int
    today: dt.date
    showcase: bool  # plant the manual's examples (Max 1980, 44789 in July, 29 February)

    @property
    def yesterday(self) -> dt.date:
        """The last day on which the demo's recorded events happened."""
        return self.today - dt.timedelta(days=1)


def customers(spec: PortfolioSpec) -> Iterator[dict]:
    rng = random.Random(f"customers-{spec.seed}-{spec.broker_id}")
    for n in range(spec.customers):
        cid = spec.first_customer_id + n
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        postcode, town = rng.choice(names.TOWNS)
        street = f"{rng.choice(names.STREETS)} {rng.randint(1, 120)}"
        birth = _birth_date(rng, spec.today)
        if spec.showcase:
            first, postcode, town, birth = _showcase(n, spec.today, first, postcode, town, birth)
            if n in (0, 5, 9):
                female = False
        yield {
            "id": cid,
            "broker_id": spec.broker_id,
            "partner_number": str(cid),
            "salutation": 2 if female else 1,
            "title": "",
            "first_name": first,
            "last_name": last,
            "street": street,
            "postcode": postcode,
            "town": town,
            "country": "D",
            "birth_date": birth,
            "birthday_mmdd": birth.strftime("%m%d"),
            "email": _email(first, last, cid),
            "phone": f"0{rng.randint(201, 9999)} {rng.randint(100000, 9999999)}",
            "search_text": customer_search_text(cid, first, last, street, postcode, town, birth),
            **customer_sort_keys(first, last, street, town),
            "version": 1,
            "updated_at": dt.datetime.combine(spec.yesterday, dt.time(6, 0)),
        }


def _birth_date(rng: random.Random, today: dt.date) -> dt.date:
    return dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, (dt.date(2006, 12, 31) - dt.date(1940, 1, 1)).days))


def _showcase(n: int, today: dt.date, first, postcode, town, birth):
    """The manual's examples and the dashboard's birthday cases, on fixed rows."""
    if n in (0, 5):  # "Max 1980"
        return "Max", postcode, town, dt.date(1980, 3 + n, 14)
    if n in (1, 2, 3):  # "44789 07": Bochum, born in July
        return first, "44789", "Bochum", dt.date(1965 + 7 * n, 7, 4 + n)
    if n == 4:  # a leap-day birthday
        return first, postcode, town, dt.date(1984, 2, 29)
    if n == 9:
        return "Max", "44789", "Bochum", dt.date(1975, 11, 2)
    if 10 <= n < 22:  # birthdays in the coming weeks, today included
        upcoming = today + dt.timedelta(days=(n - 10) * 3)
        year = 1950 + n * 2
        day = min(upcoming.day, calendar.monthrange(year, upcoming.month)[1])
        return first, postcode, town, dt.date(year, upcoming.month, day)
    return first, postcode, town, birth


def _email(first: str, last: str, cid: int) -> str:
    plain = (f"{first}.{last}".lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
             .replace("ß", "ss").replace("ı", "i").replace(" ", "").replace("-", ""))
    return f"{plain}{cid}@example.org"


def contracts(spec: PortfolioSpec, customer_rows: list[dict] | None = None,
              customer_lookup=None) -> Iterator[dict]:
    """Contracts spread over the broker's customers: every customer has at least one."""
    rng = random.Random(f"contracts-{spec.seed}-{spec.broker_id}")
    for n in range(spec.contracts):
        kid = spec.first_contract_id + n
        if n < spec.customers:
            owner = spec.first_customer_id + n
        else:
            owner = spec.first_customer_id + rng.randrange(spec.customers)
        partner_number, customer_name, town = customer_lookup(owner)
        code, sparte, _name, _desc, (low, high) = PRODUCTS[rng.randrange(len(PRODUCTS))]
        status = STATUS_CANCELLED if rng.random() < 0.12 else STATUS_ACTIVE
        start = spec.today - dt.timedelta(days=rng.randint(30, 365 * 15))
        start = start.replace(day=1)
        frequency = rng.choice((1, 1, 1, 2, 4, 8, 8))
        annual = (low + (high - low) * Decimal(rng.randint(0, 1000)) / 1000).quantize(CENT)
        net = round_cents(annual / PAYMENTS_PER_YEAR[frequency])
        gross = round_cents(net * (1 + INSURANCE_TAX))
        end = None
        if status == STATUS_CANCELLED:
            end = min(spec.today, start.replace(year=start.year + rng.randint(1, 5)))
        stand = min(spec.yesterday, start + dt.timedelta(days=rng.randint(0, 900)))
        policy = f"{sparte}-{kid:08d}"
        yield {
            "id": kid,
            "broker_id": spec.broker_id,
            "customer_id": owner,
            "policy_number": policy,
            "sparte": sparte,
            "product_code": code,
            "status": status,
            "start_date": start,
            "end_date": end,
            "cancelled_on": end if status == STATUS_CANCELLED else None,
            "main_due_date": start,
            "payment_frequency": frequency,
            "net_premium": net,
            "gross_premium": gross,
            "stand": stand,
            "search_text": contract_search_text(partner_number, customer_name, town, policy, sparte,
                                                status, net, gross, stand),
            "updated_at": dt.datetime.combine(stand, dt.time(6, 0)),
        }


def claims(spec: PortfolioSpec, contract_ids: list[tuple[int, dt.date]], first_claim_id: int) -> Iterator[dict]:
    """Claims on about one contract in twelve, two thirds of them closed."""
    rng = random.Random(f"claims-{spec.seed}-{spec.broker_id}")
    claim_id = first_claim_id
    for contract_id, start in contract_ids:
        if rng.random() >= 1 / 12:
            continue
        occurred = start + dt.timedelta(days=rng.randint(0, max(1, (spec.today - start).days)))
        yield {
            "id": claim_id,
            "broker_id": spec.broker_id,
            "contract_id": contract_id,
            "number": f"S-{claim_id:08d}",
            "occurred_on": min(occurred, spec.today),
            "is_open": rng.random() < 0.35,
            "amount": Decimal(rng.randint(5000, 900000)) / 100,
            "description": rng.choice((
                "Leitungswasserschaden in der Küche", "Fahrraddiebstahl vor dem Bahnhof",
                "Sturmschaden am Dach", "Glasbruch Wohnzimmerfenster",
                "Sachschaden bei Dritten", "Sturz auf Glatteis",
            )),
        }
        claim_id += 1

"""Synthetic GDV VU-Vermittler files of any size, written in constant memory.

Four contracts per customer on average, spread over ten brokers, every
Sparte of the demo, German names with umlauts: what an insurer's portfolio
file looks like to the import, without the demo database behind it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from bipro.core.gdv import GdvContract, GdvHeader, GdvPerson, GdvWriter

SPARTEN = (130, 40, 30, 70, 140)
LAST_NAMES = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
              "Schulz", "Hoffmann", "Özdemir", "Böhm", "Weiß", "Krüger", "Lehmann")
FIRST_NAMES = ("Jürgen", "Anna", "Max", "Sophie", "Lukas", "Marie", "Jörg", "Lea", "Paul", "Hanna")
TOWNS = (("80331", "München"), ("50667", "Köln"), ("44789", "Bochum"), ("10115", "Berlin"),
         ("20095", "Hamburg"), ("04109", "Leipzig"))


def synthetic_contracts(count: int, *, seed: int = 1, brokers: int = 10,
                        premium_factor: Decimal = Decimal(1)) -> Iterator[GdvContract]:
    rng = random.Random(seed)
    customers = max(1, count // 4)
    for n in range(count):
        c = n if n < customers else rng.randrange(customers)
        crng = random.Random(c)  # the same customer always has the same data
        postcode, town = TOWNS[crng.randrange(len(TOWNS))]
        holder = GdvPerson(partner_number=f"P{c:09d}", salutation_code=crng.choice((1, 2)),
                           last_name=LAST_NAMES[crng.randrange(len(LAST_NAMES))],
                           first_name=FIRST_NAMES[crng.randrange(len(FIRST_NAMES))],
                           street=f"Hauptstraße {crng.randint(1, 200)}", postcode=postcode, town=town,
                           country="D", birth_date=dt.date(1940 + crng.randrange(60), crng.randint(1, 12),
                                                           crng.randint(1, 28)))
        start = dt.date(2005 + rng.randrange(20), rng.randint(1, 12), 1)
        yield GdvContract(policy_number=f"V{n:010d}", sparte=SPARTEN[n % len(SPARTEN)],
                          status_code=4 if rng.random() < 0.1 else 1, start=start, end=None,
                          main_due_date=start, payment_frequency_code=rng.choice((1, 2, 4, 8)),
                          net_premium=Decimal(rng.randint(500, 50000)).scaleb(-2) * premium_factor,
                          currency="EUR", holder=holder, changed_on=start)


def write_synthetic_file(path: Path, count: int, *, broker: str = "1000", **options) -> Path:
    """One broker's file holding *count* contracts (the broker number on every line)."""
    today = dt.date.today()
    header = GdvHeader(vu_number="47110", sender="Docura VVaG", addressee=f"Vermittler {broker}",
                       created=today, period_from=today, period_to=today, broker_number=broker)
    with path.open("wb") as out:
        writer = GdvWriter(out, header)
        for contract in synthetic_contracts(count, **options):
            writer.write_contract(contract)
        writer.close()
    return path

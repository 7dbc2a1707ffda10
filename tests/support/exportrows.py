"""Columns and generated rows for export tests: contract-list shaped, with umlauts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterator

from bipro.core.exports import ExportColumn, ExportMeta

COLUMNS = [
    ExportColumn("ID", "integer", 7),
    ExportColumn("KUNDE", "text", 28),
    ExportColumn("ORT", "text", 16),
    ExportColumn("GEBURTSDATUM", "date", 12),
    ExportColumn("NETTO", "money", 12),
]
META = ExportMeta("Kundenübersicht", "Müller", dt.datetime(2024, 5, 2, 14, 30),
                  "Status: lebend, Sparte: Hausrat")
NAMES = ["Müller", "Yılmaz", "Schäfer", "Öztürk", "Weiß", "Nguyễn", "Łukasz", "O'Brien"]
TOWNS = ["München", "Köln", "Gießen", "Düsseldorf"]


def row(i: int) -> list[object]:
    """Row ``i``: every value derivable from ``i``, so a reader can check order."""
    cents = (i * 7919) % 250_000 - 50_000  # some negative amounts
    birth = None if i % 13 == 0 else dt.date(1940, 1, 1) + dt.timedelta(days=(i * 37) % 25000)
    return [i, f"{NAMES[i % len(NAMES)]}, Kunde {i}", TOWNS[i % len(TOWNS)], birth,
            Decimal(cents).scaleb(-2)]


def rows(count: int) -> Iterator[list[object]]:
    """``count`` rows built one at a time (never a list)."""
    return (row(i) for i in range(1, count + 1))

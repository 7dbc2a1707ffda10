"""The portfolio's code lists: each code once, with the German name a broker reads.

The codes are the official ones (BiPRO ``dt:ST_Sparte``,
``dt:ST_Vertragsstatus``, ``dt:ST_Zahlungsweise``,
``partner:ST_Anredeschluessel``; GDV uses the same values), so the store,
the screens, the exports, the list search, GDV and the SOAP layer all read
them from here. Codes the portfolio cannot hold are left out (Vertragsstatus
``A``/``B``: the column is a number; Anrede ``5``: mapped to ``2`` on
import). The names are those the portal has always shown, so the stored
search text stays right. Standard library only: every layer imports it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class CodeList:
    """Codes with their German names; ``name`` falls back to ``<label> <code>``."""

    label: str
    names: Mapping

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))

    def name(self, code) -> str:
        return self.names.get(code, f"{self.label} {code}")

    def __contains__(self, code: object) -> bool:
        return code in self.names

    def __iter__(self) -> Iterator:
        return iter(self.names)


SPARTE = CodeList("Sparte", {
    "010": "Leben", "020": "Kranken", "030": "Unfall", "040": "Haftpflicht", "041": "Privathaftpflicht",
    "050": "Kraftfahrt", "070": "Rechtsschutz", "080": "Feuer", "110": "Glas", "130": "Hausrat",
    "140": "Wohngebäude", "190": "Transport",
})

VERTRAGSSTATUS = CodeList("Status", {
    1: "lebend", 2: "lebend kurzfristig", 3: "ruhend", 4: "storniert", 5: "ruhend beitragsfrei",
    6: "beitragsfrei", 7: "beitragsfrei wegen Leistung", 8: "Beitragsstundung", 9: "sonstiges",
})
STATUS_ACTIVE = 1
STATUS_CANCELLED = 4

ZAHLUNGSWEISE = CodeList("Zahlungsweise", {
    1: "jährlich", 2: "halbjährlich", 3: "dreijährlich", 4: "vierteljährlich", 5: "sonstige",
    6: "Einmalbeitrag", 7: "täglich", 8: "monatlich", 9: "beitragsfrei",
})

ANREDE = CodeList("Anrede", {0: "keine Angabe", 1: "Herr", 2: "Frau", 3: "Firma", 4: "Herr und Frau"})

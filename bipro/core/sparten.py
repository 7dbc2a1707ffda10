"""German names of the GDV Sparte codes used on screens."""

from __future__ import annotations

SPARTE_NAMES = {
    "010": "Leben",
    "020": "Kranken",
    "030": "Unfall",
    "040": "Haftpflicht",
    "050": "Kraftfahrt",
    "070": "Rechtsschutz",
    "080": "Feuer",
    "110": "Glas",
    "130": "Hausrat",
    "140": "Wohngebäude",
    "190": "Transport",
}


def sparte_name(code: str) -> str:
    """The German name, or ``Sparte <code>`` for a code without one."""
    return SPARTE_NAMES.get(code, f"Sparte {code}")

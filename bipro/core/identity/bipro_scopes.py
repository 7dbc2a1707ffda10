"""The scopes of a BiPRO-Zugang: which BiPRO norms (services) it may call."""

from __future__ import annotations

# scope -> (label, norms)
SCOPES = {
    "transfer": ("Transfer", frozenset({"430"})),
    "bestand": ("Bestand", frozenset({"430", "501", "502", "480", "440"})),
    "alle": ("Alle", frozenset({"430", "501", "502", "480", "440", "420"})),
}


def norms(scope: str | None) -> frozenset[str]:
    """The norms of *scope*; an unknown scope allows none (fail closed)."""
    return SCOPES.get(scope or "", ("", frozenset()))[1]


def label(scope: str | None) -> str:
    return SCOPES.get(scope or "", ("?",))[0]

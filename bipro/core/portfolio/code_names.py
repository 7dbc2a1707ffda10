"""German words for the codes a customer or contract carries (Anrede, Zahlungsweise, Status)."""

from __future__ import annotations

from store.search_text import STATUS_LABELS

SALUTATIONS = {0: "keine Angabe", 1: "Herr", 2: "Frau", 3: "Firma", 4: "Herr und Frau"}

PAYMENT_FREQUENCIES = {1: "jährlich", 2: "halbjährlich", 4: "vierteljährlich", 6: "Einmalbeitrag",
                       8: "monatlich", 9: "beitragsfrei"}


def salutation_name(code: int) -> str:
    return SALUTATIONS.get(code, f"Anrede {code}")


def payment_frequency_name(code: int) -> str:
    return PAYMENT_FREQUENCIES.get(code, f"Zahlungsweise {code}")


def status_name(code: int) -> str:
    """``lebend``, ``storniert``, ... as in the contract list."""
    return STATUS_LABELS.get(code, f"Status {code}")

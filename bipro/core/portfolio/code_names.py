"""German words for the codes a customer or contract carries, as screens show them.

The codes and names are defined once, in ``store.code_lists``; these are the
names of that module for the upper layers.
"""

from __future__ import annotations

from store.code_lists import ANREDE, SPARTE, VERTRAGSSTATUS, ZAHLUNGSWEISE


def salutation_name(code: int) -> str:
    return ANREDE.name(code)


def payment_frequency_name(code: int) -> str:
    return ZAHLUNGSWEISE.name(code)


def status_name(code: int) -> str:
    """``lebend``, ``storniert``, ... as in the contract list."""
    return VERTRAGSSTATUS.name(code)


def sparte_name(code: str) -> str:
    """The German name, or ``Sparte <code>`` for a code without one."""
    return SPARTE.name(code)

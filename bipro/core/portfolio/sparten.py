"""German names of the GDV Sparte codes used on screens.

The code list itself lives in the store, which needs it for the search text.
"""

from __future__ import annotations

from store.search_text import SPARTE_LABELS as SPARTE_NAMES


def sparte_name(code: str) -> str:
    """The German name, or ``Sparte <code>`` for a code without one."""
    return SPARTE_NAMES.get(code, f"Sparte {code}")

"""Street and house number: stored together, sent apart where a format wants them apart."""

from __future__ import annotations

import re

# A house number at the very end, after a blank: "12", "12a", "12 a", "3-5", "7/9b".
# The street part before it must contain a letter, so "Straße des 17. Juni"
# keeps its "17." and a bare number is never split into nothing.
_TRAILING_NUMBER = re.compile(
    r"^(?P<street>.*[^\W\d_].*?)[\s,]+"
    r"(?P<number>\d{1,5}(?:\s?[a-zA-Z])?(?:\s?[-/]\s?\d{1,5}(?:\s?[a-zA-Z])?)?)$"
)


def split_house_number(street: str) -> tuple[str, str]:
    """``("Hauptstraße", "12a")`` from ``"Hauptstraße 12a"``; ``(street, "")`` when no number is recognisable."""
    value = " ".join((street or "").split())
    match = _TRAILING_NUMBER.match(value)
    if not match:
        return value, ""
    return match.group("street").rstrip(" ,"), match.group("number")

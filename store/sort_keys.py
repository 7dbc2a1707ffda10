"""German alphabetical order for names and addresses (DIN 5007, variant 1).

Lists sort by stored keys rather than by the raw text: a binary or C
collation puts "Böhm" after "Busch" and "Özdemir" after "Zimmermann", and
SQLite has no German collation at all. The key folds case, treats letters
with diacritics as their base letter (ä as a, ß as ss) and is kept in a
column of its own beside the text, so the (broker, key, id) indexes give the
order directly on SQLite and PostgreSQL alike. Equal keys ("Müller",
"Muller") fall back to the id, like every other tie in the lists.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_NOT_DECOMPOSED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i",
                                 "æ": "ae", "œ": "oe", "þ": "th"})


def german_sort_key(value: str | None) -> str:
    """``"Böhm"`` -> ``"bohm"``, ``"Straße"`` -> ``"strasse"``, ``None`` -> ``""``."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def customer_sort_keys(first_name: str | None, last_name: str | None, street: str | None,
                       town: str | None) -> dict[str, str]:
    """The sort-key columns of a customer row, by column name."""
    return {"first_name_sort": german_sort_key(first_name),
            "last_name_sort": german_sort_key(last_name),
            "street_sort": german_sort_key(street),
            "town_sort": german_sort_key(town)}

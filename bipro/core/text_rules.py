"""The rule for every free text a person types: no control or invisible characters.

A zero-width space makes two names look alike that a search keeps apart; a
right-to-left override (U+202E) turns ``Haupt‮21 .rts`` into something else on
screen than in the database, in exports and in letters. So C0 and C1 controls,
DEL, format characters (zero-width spaces and joiners, bidirectional marks,
overrides and isolates, the byte order mark, soft hyphens), line and paragraph
separators, surrogates, private-use and unassigned code points are refused
with one German message. Callers fold tabs and line breaks into blanks first
where a form field may carry them.
"""

from __future__ import annotations

import unicodedata

FORBIDDEN_CHARACTERS = ("Bitte verwenden Sie keine Steuerzeichen oder unsichtbaren Zeichen "
                        "(z. B. Zeilenumbrüche, Tabulatoren, Null-Breite-Leerzeichen oder "
                        "Textrichtungszeichen).")

# Unicode general categories refused: controls, format, surrogates, private use,
# unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def forbidden_character(text: str) -> str | None:
    """The first control or invisible character in *text* (``U+202E``), or None."""
    for character in text:
        if unicodedata.category(character) in _REFUSED_CATEGORIES:
            return f"U+{ord(character):04X}"
    return None


def has_forbidden_characters(text: str) -> bool:
    return forbidden_character(text) is not None

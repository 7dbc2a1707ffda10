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


def is_forbidden(character: str) -> bool:
    """Whether one character is a control or invisible character."""
    return unicodedata.category(character) in _REFUSED_CATEGORIES


def forbidden_character(text: str) -> str | None:
    """The first control or invisible character in *text* (``U+202E``), or None."""
    for character in text:
        if is_forbidden(character):
            return f"U+{ord(character):04X}"
    return None


def has_forbidden_characters(text: str) -> bool:
    return forbidden_character(text) is not None


def visible_text(text: str) -> str:
    """*text* without its control and invisible characters, for where refusing is no answer.

    Text stored before these rules, or a file name (cleaned, not refused:
    see bipro.core.file_names), must still reach a screen, an HTTP header or
    an XML answer. A run of line breaks or tabs becomes one blank; every other
    such character is dropped. The result is valid XML 1.0 text.
    """
    if not has_forbidden_characters(text):
        return text
    kept: list[str] = []
    for character in text:
        if not is_forbidden(character):
            kept.append(character)
        elif character.isspace() and not (kept and kept[-1] == " "):
            kept.append(" ")
    return "".join(kept)

"""The rules for every free text: what a person may type, and how text is written
into a narrower character set.

Input. A zero-width space makes two names look alike that a search keeps
apart; a right-to-left override (U+202E) turns ``Haupt‮21 .rts`` into
something else on screen than in the database, in exports and in letters. So
C0 and C1 controls, DEL, format characters (zero-width spaces and joiners,
bidirectional marks, overrides and isolates, the byte order mark, soft
hyphens), line and paragraph separators, surrogates, private-use and
unassigned code points are refused with one German message. Callers fold
tabs and line breaks into blanks first where a form field may carry them.
Accepted text is kept composed (NFC): ``Mühlenweg`` pasted from a Mac
(``u`` and a combining diaeresis) is stored, searched and compared as the
same ``ü`` a keyboard types.

Output. The GDV file (ISO-8859-1) and the PDF's built-in fonts
(Windows-1252) hold fewer characters than the database. ``fold_text`` maps
text onto such a set by one rule, so both say the same: composed first, a
character outside the set becomes its compatibility form where that fits
(``ﬀ`` -> ``ff``, ``Ⅷ`` -> ``VIII``, ``⅓`` -> ``1/3``), else a close stand-in
or its base letter (``ł`` -> ``l``, ``č`` -> ``c``), else ``?``. The refused
characters never reach such a file: format characters vanish (they show
nothing), controls and line separators become a blank (the output is one
line).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FORBIDDEN_CHARACTERS = ("Bitte verwenden Sie keine Steuerzeichen oder unsichtbaren Zeichen "
                        "(z. B. Zeilenumbrüche, Tabulatoren, Null-Breite-Leerzeichen oder "
                        "Textrichtungszeichen).")

# Unicode general categories refused: controls, format, surrogates, private use,
# unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# How the refused categories are written into a narrower character set.
_INVISIBLE = frozenset({"Cf"})
_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})

# Stand-ins for characters whose compatibility form is no letter of the
# narrower sets: quotes and dashes pasted from word processors, letters
# without a decomposition, mathematical signs.
STAND_INS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2039": "<", "\u203a": ">",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2032": "'", "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2044": "/", "\u2215": "/",
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
    "ŋ": "n", "Ŋ": "N", "ſ": "s", "ẞ": "SS", "ŧ": "t", "Ŧ": "T", "ĸ": "k",
    "≤": "<=", "≥": ">=", "≠": "!=", "→": "->", "←": "<-",
}


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


def composed(text: str) -> str:
    """*text* in NFC, the one form text is stored and searched in."""
    return unicodedata.normalize("NFC", text)


def fold_text(text: str, encoding: str) -> str:
    """*text* on one line, in characters *encoding* can write (see the module's rule)."""
    text = composed(text)
    if text.isprintable():
        try:
            text.encode(encoding)
            return text
        except UnicodeEncodeError:
            pass
    return "".join(_fold_char(ch, encoding) for ch in text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str, encoding: str) -> str:
    category = unicodedata.category(ch)
    if category in _INVISIBLE or unicodedata.combining(ch):
        return ""  # a stray accent, after NFC, decorates the letter before it
    if category in _LINE_BREAKING:
        return " "
    if _fits(ch, encoding) and category not in _REFUSED_CATEGORIES:
        return ch
    if ch in STAND_INS:
        return STAND_INS[ch]
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible != ch and compatible.isprintable() and _fits(compatible, encoding):
        return compatible
    letters = [c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)]
    folded = "".join(c if _fits(c, encoding) and c.isprintable() else STAND_INS.get(c, "?")
                     for c in letters)
    return folded or "?"


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True

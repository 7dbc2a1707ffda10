"""Text the PDF's built-in fonts can show.

The standard PDF fonts carry WinAnsi (Windows-1252): Latin-1 plus the euro
sign, typographic quotes, dashes and the ellipsis. Anything else (the
Turkish dotless "ı" in Yılmaz, Polish "ł", CJK, emoji) would make fpdf2
raise, so it is mapped to a close character, or to "?" when there is none.
"""
from __future__ import annotations

import unicodedata

ENCODING = "windows-1252"

# Letters NFKD doesn't decompose to a base letter.
_CLOSE = {
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
    "ŋ": "n", "Ŋ": "N", "ſ": "s", "ẞ": "SS", "ŧ": "t", "Ŧ": "T", "ĸ": "k",
    "‐": "-", "‑": "-", "‒": "-", "−": "-", "′": "'", "″": '"', "‹": "<", "›": ">",
    "≤": "<=", "≥": ">=", "≠": "!=", "→": "->", "←": "<-",
}


def pdf_safe_text(text: str) -> str:
    """``text`` on one line, using only characters of the built-in fonts."""
    if text.isprintable():
        try:
            text.encode(ENCODING)
            return text
        except UnicodeEncodeError:
            pass
    return "".join(_safe_char(ch) for ch in text)


def _safe_char(ch: str) -> str:
    if not ch.isprintable():
        # Invisible format marks (soft hyphen, zero width) vanish; line breaks,
        # tabs and odd spaces become a plain space, the cell is one line.
        return "" if unicodedata.category(ch) == "Cf" else " "
    try:
        ch.encode(ENCODING)
        return ch
    except UnicodeEncodeError:
        pass
    if ch in _CLOSE:
        return _CLOSE[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                   if not unicodedata.combining(c))
    try:
        base.encode(ENCODING)
    except UnicodeEncodeError:
        return "?"
    return base or "?"

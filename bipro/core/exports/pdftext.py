"""Text the PDF's built-in fonts can show.

The standard PDF fonts carry WinAnsi (Windows-1252): Latin-1 plus the euro
sign, typographic quotes, dashes and the ellipsis. Anything else (the
Turkish dotless "ı" in Yılmaz, Polish "ł", CJK, emoji) would make fpdf2
raise, so it is folded by the shared rule (``text_rules.fold_text``, the
GDV file's too): composed first, then a compatible or close character, or
"?" when there is none.
"""
from __future__ import annotations

from bipro.core.text_rules import fold_text

ENCODING = "windows-1252"


def pdf_safe_text(text: str) -> str:
    """``text`` on one line, using only characters of the built-in fonts."""
    # A cell is one line: a no-break space is drawn as the plain space it looks like.
    return fold_text(text, ENCODING).replace("\u00a0", " ")

"""The search box: how the typed text becomes terms, and terms become patterns.

Rules (Extranet manual, "Suche"): blanks separate terms; a double-quoted
part is one term with its blanks; matching is a case-insensitive substring
test, umlauts as typed. Terms are composed (NFC) and lower-cased the same way
the stored search text is (``str.lower`` of composed text), so the database
compares plain lower-case strings and ``Mühlenweg`` pasted from a Mac (``u``
and a combining diaeresis) finds the typed one.
"""

from __future__ import annotations

import re
import unicodedata

from bipro.core.search.model import ListQueryError
from bipro.core.text_rules import composed

MAX_SEARCH_LENGTH = 500
MAX_TERMS = 20

# A quoted phrase (an unclosed quote runs to the end) or a run of non-blanks.
_TOKEN = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


class SearchTooLong(ListQueryError):
    """The search text has more characters or terms than a list accepts."""


def _blank_controls(text: str) -> str:
    # Control characters never occur in list values; the column separator of
    # the stored search text is one of them and must not be searchable.
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def parse_terms(search: str) -> tuple[str, ...]:
    """Split the search box into lower-cased terms, in typed order."""
    if len(search) > MAX_SEARCH_LENGTH:
        raise SearchTooLong(f"Der Suchbegriff ist länger als {MAX_SEARCH_LENGTH} Zeichen.")
    terms = []
    for phrase, word in _TOKEN.findall(_blank_controls(composed(search))):
        term = phrase if phrase.strip() else word
        if term:
            terms.append(term.lower())
    if len(terms) > MAX_TERMS:
        raise SearchTooLong(f"Bitte höchstens {MAX_TERMS} Suchbegriffe eingeben.")
    # Order kept, duplicates dropped: each extra copy would only cost time.
    return tuple(dict.fromkeys(terms))


def fts_indexable(term: str) -> bool:
    """Can SQLite's FTS5 trigram index answer this term?

    It needs three characters. (Shorter terms of three or more *bytes*, such
    as "ül", even match nothing in SQLite 3.40 instead of falling back.)
    """
    return len(term) >= 3


def fts_match_expression(terms: list[str] | tuple[str, ...]) -> str:
    """An FTS5 MATCH query: every term as a phrase, all required.

    With the trigram tokenizer a phrase is an exact substring test that needs
    no second look at the row, unlike ``LIKE``/``GLOB`` on the FTS table.
    """
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


_ALNUM_RUN = re.compile(r"[^\W_]{3}")


def trgm_indexable(term: str) -> bool:
    """Can a pg_trgm index narrow this term? It needs three word characters in a row."""
    return bool(_ALNUM_RUN.search(term))


def like_contains(term: str) -> str:
    """``LIKE`` pattern (escape character ``\\``) for "contains *term* literally"."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

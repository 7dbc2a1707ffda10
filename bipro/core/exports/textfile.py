"""Tab-separated text for "Kopieren" (clipboard) with values as shown on screen.

Clipboard text has no quoting, so tabs and line breaks inside a value become
single spaces; otherwise a pasted row would spill into the next cell or line.
Pasted into a spreadsheet the text is evaluated like a typed cell, so every
value passes the same formula guard as the CSV.
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from bipro.core.exports.display import display_text
from bipro.core.exports.formula import guard_formula
from bipro.core.exports.model import ExportColumn, Rows

_CHUNK_CHARS = 64 * 1024
_BREAKS = re.compile(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def iter_tsv(columns: Sequence[ExportColumn], rows: Rows) -> Iterator[str]:
    """Header line, then one line per row, in chunks of about 64 KB; lines end with ``\\n``."""
    yield _line(c.header for c in columns)
    parts: list[str] = []
    size = 0
    for row in rows:
        line = _line(display_text(column, value) for column, value in zip(columns, row))
        parts.append(line)
        size += len(line)
        if size >= _CHUNK_CHARS:
            yield "".join(parts)
            parts.clear()
            size = 0
    if parts:
        yield "".join(parts)


def tsv_text(columns: Sequence[ExportColumn], rows: Rows) -> str:
    """The whole text at once (for small lists and tests)."""
    return "".join(iter_tsv(columns, rows))


def _line(values) -> str:
    return "\t".join(_BREAKS.sub(" ", guard_formula(v)) for v in values) + "\n"

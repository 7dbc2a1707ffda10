"""CSV that German Excel opens cleanly, streamed in chunks.

UTF-8 with a byte order mark (else Excel guesses a legacy code page and
breaks umlauts), ``;`` as separator (German Excel's list separator), CRLF,
decimal comma without thousands separator (so Excel parses a number) and
``dd.mm.yyyy`` dates. Text that Excel would run as a formula gets a leading
apostrophe (``formula.guard_formula``); numbers are never touched, so a negative
amount stays a number.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import BinaryIO, Iterator, Sequence

from bipro.core.exports.formula import guard_formula
from bipro.core.exports.model import ExportColumn, Rows
from bipro.core.formatting import format_date, format_datetime, round_cents

BOM = "\ufeff".encode("utf-8")
_CHUNK_CHARS = 64 * 1024


def iter_csv(columns: Sequence[ExportColumn], rows: Rows) -> Iterator[bytes]:
    """The file as byte chunks (about 64 KB each), header line first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quotechar='"', lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL, doublequote=True)
    writer.writerow([guard_formula(c.header) for c in columns])
    yield BOM + _drain(buffer)
    kinds = [c.kind for c in columns]
    for row in rows:
        writer.writerow([csv_cell(kind, value) for kind, value in zip(kinds, row)])
        if buffer.tell() >= _CHUNK_CHARS:
            yield _drain(buffer)
    rest = _drain(buffer)
    if rest:
        yield rest


def write_csv(out: BinaryIO, columns: Sequence[ExportColumn], rows: Rows) -> None:
    """Write the whole CSV to a binary stream; ``out`` is not closed."""
    for chunk in iter_csv(columns, rows):
        out.write(chunk)


def csv_cell(kind: str, value: object) -> str:
    """One value as CSV text for German Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return guard_formula(str(value))
    if isinstance(value, (Decimal, float)) or (kind == "money" and isinstance(value, int)):
        return csv_number(value, money=kind == "money")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return guard_formula(str(value))


def csv_number(value: Decimal | float | int, money: bool) -> str:
    """``1234,56``: decimal comma, no thousands separator; money to the cent."""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if money:
        amount = round_cents(amount)
    if not amount.is_finite():
        return ""
    if amount == 0:
        amount = abs(amount)
    return format(amount, "f").replace(".", ",")


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8", errors="replace")
    buffer.seek(0)
    buffer.truncate()
    return data

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
import operator
from decimal import Decimal
from functools import partial
from itertools import islice
from typing import BinaryIO, Callable, Iterator, Sequence

from bipro.core.exports.formula import FORMULA_STARTS, guard_formula
from bipro.core.exports.model import ExportColumn, Row, Rows
from bipro.core.formatting import format_date, format_datetime, round_cents

BOM = "\ufeff".encode("utf-8")
_CHUNK_CHARS = 64 * 1024
_BATCH_ROWS = 64


def iter_csv(columns: Sequence[ExportColumn], rows: Rows) -> Iterator[bytes]:
    """The file as byte chunks (about 64 KB each), header line first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quotechar='"', lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL, doublequote=True)
    writer.writerow([guard_formula(c.header) for c in columns])
    yield BOM + _drain(buffer)
    quick = _batch_writer(writer, [_column_cell(c.kind) for c in columns])
    plain = _batch_writer(writer, [partial(csv_cell, c.kind) for c in columns])
    rows = iter(rows)
    # Rows go to the writer in batches: its loop over them runs in C as well.
    while batch := list(islice(rows, _BATCH_ROWS)):
        written = buffer.tell()
        try:
            quick(batch)
        except TypeError:  # a value a date column cannot look up (unhashable): by the general rules
            buffer.seek(written)
            buffer.truncate()
            plain(batch)
        if buffer.tell() >= _CHUNK_CHARS:
            yield _drain(buffer)
    rest = _drain(buffer)
    if rest:
        yield rest


def _batch_writer(writer, cells: list[Callable[[object], str]]) -> Callable[[list[Row]], None]:
    """Writes a batch of rows, each value through its column's conversion; values beyond the columns as text."""
    width = len(cells)
    # A row's values through each column's own conversion, one call per value made from C.
    converted = partial(map, operator.call, cells)

    def write(batch: list[Row]) -> None:
        if max(map(len, batch)) <= width:
            writer.writerows(map(converted, batch))
        else:
            writer.writerows([*converted(row), *(csv_cell("text", v) for v in row[width:])] for row in batch)

    return write


def write_csv(out: BinaryIO, columns: Sequence[ExportColumn], rows: Rows) -> None:
    """Write the whole CSV to a binary stream; ``out`` is not closed."""
    for chunk in iter_csv(columns, rows):
        out.write(chunk)


def _money(value: Decimal) -> str:
    # csv_number(value, money=True) for a Decimal, in fewer steps: a value
    # quantized to cents prints without exponent.
    if not value.is_finite():
        return ""
    return str(round_cents(value)).replace(".", ",")


def _column_cell(kind: str) -> Callable[[object], str]:
    """``csv_cell`` for one column: the column's usual type first, then by the value's exact type.

    The usual value (text, a Decimal amount, a date) costs one call; other
    common types a dictionary look-up more; any other (bool, datetime,
    subclasses) takes the general rules.
    """
    money = kind == "money"
    table: dict[type, Callable[[object], str]] = {
        str: guard_formula,
        type(None): lambda _value: "",
        int: (lambda value: csv_number(value, money=True)) if money else str,
        Decimal: _money if money else (lambda value: csv_number(value, money=False)),
        float: lambda value: csv_number(value, money=money),
        dt.date: format_date,
    }

    def other(value: object) -> str:
        convert = table.get(value.__class__)
        return convert(value) if convert is not None else csv_cell(kind, value)

    if money:
        def cell(value: object) -> str:
            return _money(value) if value.__class__ is Decimal else other(value)
    elif kind == "date":
        return _DateTexts(other).__getitem__  # a date seen before costs one look-up, made from C
    else:
        def cell(value: object) -> str:
            if value.__class__ is str and not value.startswith(FORMULA_STARTS):
                return value  # guard_formula leaves it as it is
            return other(value)
    return cell


class _DateTexts(dict):
    """``dd.mm.yyyy`` of the dates seen so far (a list repeats its dates); any other value as *other* says.

    Only exact ``date`` keys are kept, and nothing else equals a date, so a
    hit is always the text of that very value. At most ``LIMIT`` of them
    (about 0.8 MB), so the export stays in constant memory.
    """

    LIMIT = 4096

    def __init__(self, other: Callable[[object], str]) -> None:
        super().__init__()
        self._other = other

    def __missing__(self, value: object) -> str:
        if value.__class__ is not dt.date:
            return self._other(value)
        text = format_date(value)
        if len(self) < self.LIMIT:
            self[value] = text
        return text


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

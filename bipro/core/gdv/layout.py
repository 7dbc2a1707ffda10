"""Fixed-width GDV layout mechanics: fields, validation, 256-byte lines.

Columns are 1-based and inclusive, as in the published GDV tables. Every
layout covers one Teildatensatz: the Satzart sits in columns 1-4 and the
Teildatensatz number in column 256; the fields in between come from the
tables in ``records.py``; every column no field claims is a blank.

Field kinds and how they are written:

* ``text``    left-aligned, blank-padded, silently truncated to the width
              (free text such as names and streets; losing the tail of a
              long street is better than failing a million-contract export).
* ``key``     like text, but never truncated: identifiers (policy, partner,
              VU and broker numbers, country codes) that no longer fit are
              a data error, because a cut identifier points at the wrong
              object. ``align=">"`` right-aligns (GDV customer numbers).
* ``numeric`` non-negative integer, right-aligned with leading zeros.
* ``date``    TTMMJJJJ; an absent date is written as ``00000000`` (the
              usual GDV convention for numeric fields without a value).
* ``amount``  Decimal euros, written as whole cents with leading zeros and
              no decimal point; more than two decimals is an error, never
              rounded, because the sum in the trailer must stay exact.

Text can't keep trailing blanks (they are indistinguishable from padding),
nor can right-aligned keys keep leading ones. Text is folded onto
ISO-8859-1 by the shared rule (``text_rules.fold_text``, the PDF export's
too): ``ﬀ`` -> ``ff``, ``č`` -> ``c``, ``?`` where nothing fits; control
characters become blanks so a value can never break the line structure, and
invisible ones (a soft hyphen) vanish, so every line passes the reader's
check of the same rule. Folding may lengthen text (``Ⅷ`` -> ``VIII``); it
happens before a text field is cut to its width, so later fields keep their
columns.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Mapping

from bipro.core.text_rules import fold_text

LINE_LENGTH = 256
ENCODING = "latin-1"
NO_DATE = "00000000"

TEXT, KEY, NUMERIC, DATE, AMOUNT = "text", "key", "numeric", "date", "amount"
KINDS = frozenset({TEXT, KEY, NUMERIC, DATE, AMOUNT})


class GdvFormatError(ValueError):
    """A value can't be represented in its GDV field."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a layout: name, 1-based inclusive columns, kind."""

    name: str
    start: int
    end: int
    kind: str
    align: str = "<"

    @property
    def width(self) -> int:
        return self.end - self.start + 1

    @property
    def format_spec(self) -> str:
        """The str.format spec that writes this field's prepared value."""
        w = self.width
        if self.kind == TEXT:
            return f"<{w}.{w}"
        if self.kind == KEY:
            # No precision: an overlong key makes the line too long, which
            # the single length check per line turns into an error.
            return f"{self.align}{w}"
        if self.kind == DATE:
            return "8"  # pre-rendered TTMMJJJJ string
        return f"0>{w}"  # numeric, amount (int cents)


class Layout:
    """A Teildatensatz layout, validated and compiled to a format template."""

    def __init__(self, record_type: str, part: int, fields: tuple[Field, ...]):
        self.record_type = record_type
        self.part = part
        self.fields = tuple(sorted(fields, key=lambda f: f.start))
        _validate(self)
        self.template = _compile(self)

    def __repr__(self) -> str:
        return f"Layout({self.record_type!r}, part={self.part})"

    def fill(self, args: Mapping[str, object]) -> bytes:
        """Encode prepared values (see ``prepare``) to a 256-byte line.

        This is the per-record hot path: one format call, one length check,
        one encode, one byte translation and one byte search, all implemented
        in C.
        """
        line = self.template.format_map(args)
        if len(line) == LINE_LENGTH:
            try:
                data = line.encode(ENCODING).translate(_FOLD_BYTES)
            except UnicodeEncodeError:
                pass
            else:
                if _DROPPED not in data:
                    return data
        return self._fill_slow(args)

    def _fill_slow(self, args: Mapping[str, object]) -> bytes:
        """Fold the text fields, then report overlong fields by name."""
        args = dict(args)
        for f in self.fields:
            if f.kind in (TEXT, KEY) and isinstance(args.get(f.name), str):
                args[f.name] = fold_text(args[f.name], ENCODING)
        line = self.template.format_map(args)
        if len(line) != LINE_LENGTH:
            for f in self.fields:
                value = format(args[f.name], f.format_spec)
                if len(value) != f.width:
                    raise GdvFormatError(
                        f"{self.record_type}.{self.part} field {f.name} "
                        f"({f.start}-{f.end}) can't hold {args[f.name]!r}")
            raise GdvFormatError(f"{self!r} rendered {len(line)} characters")
        return line.encode(ENCODING)

    def prepare(self, values: Mapping[str, object]) -> dict[str, object]:
        """Convert plain values (str, int, date, Decimal) for ``fill``."""
        args: dict[str, object] = {}
        for f in self.fields:
            args[f.name] = _convert(f, values.get(f.name))
        return args


def format_date(value: date | None) -> str:
    """TTMMJJJJ, or zeros for an absent date."""
    if value is None:
        return NO_DATE
    # %-formatting: measurably faster than an f-string with three specs.
    return "%02d%02d%04d" % (value.day, value.month, value.year)


def to_cents(amount: Decimal) -> int:
    """Exact conversion of non-negative euros to cents; no rounding."""
    cents = amount * 100
    whole = int(cents)
    if whole != cents or whole < 0:
        raise GdvFormatError(f"amount {amount} is not whole non-negative cents")
    return whole


# The shared rule for each Latin-1 character as a byte table, for the hot
# path: itself, or a blank for a control. A character the rule drops (the
# invisible soft hyphen) can't be dropped from a fixed-width line: it maps to
# a marker, and a line with the marker is folded field by field instead.
_DROPPED = 0xAD
_FOLD_BYTES = bytes(ord(folded) if len(folded) == 1 else _DROPPED
                    for folded in (fold_text(chr(code), ENCODING) for code in range(256)))


def _convert(f: Field, value: object) -> object:
    if f.kind == DATE:
        return format_date(value)  # type: ignore[arg-type]
    if f.kind == AMOUNT:
        return 0 if value is None else to_cents(value)  # type: ignore[arg-type]
    if f.kind == NUMERIC:
        if value is None:
            return 0
        if not isinstance(value, int) or value < 0:
            raise GdvFormatError(f"{f.name} must be a non-negative int: {value!r}")
        return value
    return "" if value is None else str(value)


def _validate(layout: Layout) -> None:
    """Fail loudly at import on a typo in a layout table."""
    if len(layout.record_type) != 4 or not layout.record_type.isdigit():
        raise GdvFormatError(f"bad record type {layout.record_type!r}")
    if not 1 <= layout.part <= 9:
        raise GdvFormatError(f"bad part number {layout.part!r}")
    seen: set[str] = set()
    previous_end = 4  # columns 1-4 hold the Satzart
    for f in layout.fields:
        where = f"{layout.record_type}.{layout.part} {f.name}"
        if f.kind not in KINDS or f.align not in "<>":
            raise GdvFormatError(f"{where}: bad kind/align")
        if f.name in seen or not f.name.isidentifier():
            raise GdvFormatError(f"{where}: duplicate or invalid name")
        if f.start > f.end or f.start <= previous_end or f.end > LINE_LENGTH - 1:
            raise GdvFormatError(f"{where}: columns {f.start}-{f.end} overlap "
                                 "or leave 5..255")
        if f.kind == DATE and f.width != 8:
            raise GdvFormatError(f"{where}: dates are 8 columns")
        seen.add(f.name)
        previous_end = f.end


def _compile(layout: Layout) -> str:
    parts = [layout.record_type]
    column = 5
    for f in layout.fields:
        parts.append(" " * (f.start - column))
        parts.append("{%s:%s}" % (f.name, f.format_spec))
        column = f.end + 1
    parts.append(" " * (LINE_LENGTH - column))
    parts.append(str(layout.part))
    return "".join(parts)

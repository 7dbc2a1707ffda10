"""Reads the GDV files the export writes, for tests only.

The column positions are written out here again from the format
description instead of reusing the writer's layout tables: a typo in a
shared table would otherwise round-trip unnoticed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bipro.core.gdv import GdvContract, GdvHeader, GdvPerson

LINE_LENGTH = 256


class GdvReadError(ValueError):
    """The file is not shaped like the export promises."""


@dataclass(frozen=True)
class GdvTrailer:
    record_count: int
    broker_number: str
    total_premium_cents: int


@dataclass(frozen=True)
class GdvFile:
    header: GdvHeader
    records: list[tuple[GdvPerson, GdvContract]]
    trailer: GdvTrailer
    line_count: int
    broker_numbers: set[str]  # as found in columns 33-42 of contract lines
    vu_numbers: set[str]      # as found in columns 5-9 of all but 9999


def col(line: str, start: int, end: int) -> str:
    """Columns start..end, 1-based inclusive, as in the GDV tables."""
    return line[start - 1:end]


def text(line: str, start: int, end: int) -> str:
    return col(line, start, end).rstrip(" ")


def number(line: str, start: int, end: int) -> int:
    raw = col(line, start, end)
    if not (raw.isascii() and raw.isdigit()):
        raise GdvReadError(f"not a number in {start}-{end}: {raw!r}")
    return int(raw)


def day(line: str, start: int) -> date | None:
    raw = col(line, start, start + 7)
    if raw in ("00000000", "        "):
        return None
    return date(int(raw[4:8]), int(raw[2:4]), int(raw[0:2]))


def cents_to_euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def split_lines(data: bytes) -> list[str]:
    """Decode ISO-8859-1 and split on CRLF or LF; check every width."""
    lines = data.decode("latin-1").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    for index, line in enumerate(lines, 1):
        if len(line) != LINE_LENGTH:
            raise GdvReadError(f"line {index} has {len(line)} characters")
    return lines


def read_gdv(source: bytes | str | os.PathLike) -> GdvFile:
    """Parse a whole file: header, (holder, contract) pairs, trailer."""
    if not isinstance(source, bytes):
        with open(source, "rb") as f:
            source = f.read()
    lines = split_lines(source)
    if len(lines) < 2 or lines[0][:4] != "0001" or lines[-1][:4] != "9999":
        raise GdvReadError("file must start with 0001 and end with 9999")
    body = lines[1:-1]
    if len(body) % 3:
        raise GdvReadError("contract lines don't come in 0100/0100/0200 triples")
    records = [_contract(body[i:i + 3]) for i in range(0, len(body), 3)]
    return GdvFile(
        header=_header(lines[0]),
        records=records,
        trailer=_trailer(lines[-1]),
        line_count=len(lines),
        broker_numbers={text(line, 33, 42) for line in body},
        vu_numbers={text(line, 5, 9) for line in lines[:-1]},
    )


def _header(line: str) -> GdvHeader:
    _expect(line, "0001", "1")
    return GdvHeader(
        vu_number=text(line, 5, 9),
        sender=text(line, 10, 39),
        addressee=text(line, 40, 69),
        created=day(line, 246),
        period_from=day(line, 70),
        period_to=day(line, 78),
        broker_number=text(line, 86, 95),
    )


def _contract(triple: list[str]) -> tuple[GdvPerson, GdvContract]:
    address, address2, general = triple
    _expect(address, "0100", "1")
    _expect(address2, "0100", "2")
    _expect(general, "0200", "1")
    key = col(address, 5, 42)
    if col(address2, 5, 42) != key or col(general, 5, 42) != key:
        raise GdvReadError(f"contract key differs within {key!r}")
    person = GdvPerson(
        partner_number=col(address2, 43, 59).strip(" "),
        salutation_code=number(address, 43, 43),
        last_name=text(address, 44, 73),
        first_name=text(address, 74, 103),
        street=text(address, 188, 217),
        postcode=text(address, 157, 162),
        town=text(address, 163, 187),
        country=text(address, 154, 156),
        birth_date=day(address, 226),
    )
    contract = GdvContract(
        policy_number=text(general, 14, 30),
        sparte=number(general, 11, 13),
        status_code=number(general, 69, 69),
        start=day(general, 44),
        end=day(general, 52),
        main_due_date=day(general, 60),
        payment_frequency_code=number(general, 68, 68),
        net_premium=cents_to_euros(number(general, 116, 127)),
        currency=text(general, 113, 115),
        holder=person,
    )
    return person, contract


def _trailer(line: str) -> GdvTrailer:
    _expect(line, "9999", "1")
    return GdvTrailer(
        record_count=number(line, 5, 14),
        broker_number=text(line, 15, 24),
        total_premium_cents=number(line, 25, 39),
    )


def _expect(line: str, record_type: str, part: str) -> None:
    if line[:4] != record_type or line[255] != part:
        raise GdvReadError(
            f"expected {record_type}.{part}, got {line[:4]}.{line[255]}")

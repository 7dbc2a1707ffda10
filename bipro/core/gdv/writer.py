"""Streaming GDV writer: 0001, then 0100 (two parts) + 0200 per contract, 9999.

Memory stays constant however many contracts are written: each contract is
rendered as it arrives, lines are collected in a bounded buffer (so a
million contracts don't cost three million ``write`` calls), and only
running totals are kept for the trailer.

The 9999 record count counts every line of the file, including the 0001
and the 9999 themselves, so it can be checked against the file length.
"""
from __future__ import annotations

from decimal import Decimal
from typing import BinaryIO, Iterable

from .layout import GdvFormatError, format_date, to_cents
from .model import PAYMENT_FREQUENCY_CODES, SALUTATION_CODES, STATUS_CODES, GdvContract, GdvHeader, GdvSummary
from .records import ADDRESS_0100, ADDRESS_0100_PART2, CONTRACT_0200, HEADER_0001, LINES_PER_CONTRACT, TRAILER_9999

CRLF = b"\r\n"
ADDRESS_KIND_HOLDER = "01"  # Adresskennzeichen of the Versicherungsnehmer

# Fields of the standard we have no value for: zeros, never blanks.
_NO_VALUE = {"sequence": 0, "person_sequence": 0, "share_percent": 0, "remaining_years": 0,
             "term_discount": 0, "applied_on": format_date(None)}
_FLUSH_BYTES = 64 * 1024


class GdvWriter:
    """Writes one GDV file to a binary stream, contract by contract.

    Use ``write_contract`` for each contract, then ``close`` (which writes
    the trailer and returns the summary). ``out`` is not closed.
    """

    def __init__(self, out: BinaryIO, header: GdvHeader):
        self._out = out
        self._header = header
        self._buffer = bytearray()
        self._contracts = 0
        self._total_cents = 0
        self._closed = False
        # Every contract line repeats these; the 0001 below checks them.
        self._vu_number = header.vu_number
        self._broker = header.broker_number
        self._emit(HEADER_0001.fill(HEADER_0001.prepare({
            "vu_number": header.vu_number, "sender": header.sender,
            "addressee": header.addressee, "created": header.created,
            "period_from": header.period_from, "period_to": header.period_to,
            "broker_number": header.broker_number})))

    def write_contract(self, contract: GdvContract) -> None:
        """Render and buffer the 0100 (parts 1 and 2) and 0200 lines."""
        if self._closed:
            raise ValueError("writer is closed")
        try:
            args = self._prepare(contract)
            line_a = ADDRESS_0100.fill(args)
            line_b = ADDRESS_0100_PART2.fill(args)
            line_c = CONTRACT_0200.fill(args)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            raise GdvFormatError(
                f"contract {getattr(contract, 'policy_number', '?')!r}: {exc}"
            ) from exc
        buffer = self._buffer
        buffer += line_a
        buffer += CRLF
        buffer += line_b
        buffer += CRLF
        buffer += line_c
        buffer += CRLF
        self._contracts += 1
        self._total_cents += args["net_premium"]
        if len(buffer) >= _FLUSH_BYTES:
            self._out.write(buffer)
            buffer.clear()

    def close(self) -> GdvSummary:
        """Write the 9999 trailer, flush, and report what was written."""
        if self._closed:
            raise ValueError("writer is closed")
        record_count = 2 + LINES_PER_CONTRACT * self._contracts
        self._emit(TRAILER_9999.fill(TRAILER_9999.prepare({
            "record_count": record_count, "broker_number": self._broker,
            "total_premium": Decimal(self._total_cents).scaleb(-2),
            "total_gross_sign": "+", "total_commission_sign": "+",
            "total_benefits_sign": "+", "total_claim_costs_sign": "+"})))
        self._out.write(self._buffer)
        self._buffer.clear()
        self._closed = True
        return GdvSummary(record_count=record_count,
                          contract_count=self._contracts,
                          total_premium_cents=self._total_cents)

    def _emit(self, line: bytes) -> None:
        self._buffer += line
        self._buffer += CRLF

    def _prepare(self, c: GdvContract) -> dict[str, object]:
        """Values for all three contract layouts in one dict.

        One dict serves all three templates (format_map ignores keys a
        template doesn't use), and codes are checked by set membership,
        which also rejects wrong types such as "1" for 1.
        """
        p = c.holder
        if c.status_code not in STATUS_CODES:
            raise GdvFormatError(f"status_code {c.status_code!r}")
        if c.payment_frequency_code not in PAYMENT_FREQUENCY_CODES:
            raise GdvFormatError(
                f"payment_frequency_code {c.payment_frequency_code!r}")
        if p.salutation_code not in SALUTATION_CODES:
            raise GdvFormatError(f"salutation_code {p.salutation_code!r}")
        sparte = c.sparte
        if type(sparte) is not int or not 0 <= sparte <= 999:
            raise GdvFormatError(f"sparte {sparte!r}")
        return {
            "vu_number": self._vu_number,
            "broker_number": self._broker,
            "sparte": sparte,
            "policy_number": c.policy_number,
            "salutation_code": p.salutation_code,
            "last_name": p.last_name,
            "first_name": p.first_name,
            "country": p.country,
            "postcode": p.postcode,
            "town": p.town,
            "street": p.street,
            "birth_date": format_date(p.birth_date),
            "partner_number": p.partner_number,
            "start": format_date(c.start),
            "end": format_date(c.end),
            "main_due_date": format_date(c.main_due_date),
            "payment_frequency_code": c.payment_frequency_code,
            "status_code": c.status_code,
            "currency": c.currency,
            "net_premium": to_cents(c.net_premium),
            "cancelled_on": format_date(c.cancelled_on),
            "changed_on": format_date(c.changed_on),
            "address_kind": ADDRESS_KIND_HOLDER,
            **_NO_VALUE,
        }


def write_portfolio(out: BinaryIO, header: GdvHeader,
                    contracts: Iterable[GdvContract]) -> GdvSummary:
    """Write a complete GDV file; consumes ``contracts`` once, lazily.

    If a contract is rejected (``GdvFormatError``) or the iterable fails,
    the exception propagates and ``out`` holds an incomplete file without
    trailer, which the caller must discard.
    """
    writer = GdvWriter(out, header)
    write = writer.write_contract
    for contract in contracts:
        write(contract)
    return writer.close()

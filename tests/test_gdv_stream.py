"""GDV export: generated round trips, constant memory and throughput."""
from __future__ import annotations

import io
import tracemalloc
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bipro.core.gdv import GdvContract, GdvHeader, GdvPerson, write_portfolio
from bipro.core.gdv.model import PAYMENT_FREQUENCY_CODES, SALUTATION_CODES, STATUS_CODES
from tests.gdvreader import read_gdv

HEADER = GdvHeader("12345", "Docura VVaG", "Makler", date(2024, 5, 2),
                   date(2024, 4, 1), date(2024, 4, 30), "V4711")

# Printable ISO-8859-1 only: control characters are blanked and the
# invisible soft hyphen dropped by design (text_rules.fold_text).
LATIN1 = st.characters(codec="latin-1", exclude_categories=("Cc", "Cf"))
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def text(width: int) -> st.SearchStrategy[str]:
    """Text that fits its field; trailing blanks can't survive padding."""
    return st.text(LATIN1, max_size=width).map(lambda s: s.rstrip(" "))


def key(width: int) -> st.SearchStrategy[str]:
    return st.text(ALNUM + "-/.", min_size=1, max_size=width)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
persons = st.builds(
    GdvPerson,
    partner_number=st.text(ALNUM, min_size=1, max_size=17),
    salutation_code=st.sampled_from(sorted(SALUTATION_CODES)),
    last_name=text(30), first_name=text(30), street=text(30),
    postcode=text(6), town=text(25),
    country=st.sampled_from(["D", "A", "CH", "NL", "F"]),
    birth_date=st.none() | dates,
)
contracts = st.builds(
    GdvContract,
    policy_number=key(17),
    sparte=st.integers(0, 999),
    status_code=st.sampled_from(sorted(STATUS_CODES)),  # every status the reader takes
    start=dates, end=st.none() | dates, main_due_date=st.none() | dates,
    payment_frequency_code=st.sampled_from(sorted(PAYMENT_FREQUENCY_CODES)),
    net_premium=st.integers(0, 10**12 - 1).map(
        lambda cents: Decimal(cents).scaleb(-2)),
    currency=st.sampled_from(["EUR", "CHF"]),
    holder=persons,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(contracts, max_size=5))
def test_generated_portfolios_round_trip(portfolio):
    out = io.BytesIO()
    summary = write_portfolio(out, HEADER, iter(portfolio))
    parsed = read_gdv(out.getvalue())
    assert parsed.header == HEADER
    assert parsed.records == [(c.holder, c) for c in portfolio]
    assert parsed.trailer.record_count == parsed.line_count
    assert parsed.trailer.total_premium_cents == summary.total_premium_cents
    assert summary.total_premium_cents == sum(
        int(c.net_premium * 100) for c in portfolio)


class CountingSink:
    """Counts what is written and keeps nothing, unlike BytesIO."""

    def __init__(self) -> None:
        self.bytes = 0
        self.line_ends = 0
        self.writes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        self.line_ends += bytes(data).count(b"\r\n")
        self.writes += 1
        return len(data)


def generate(count: int):
    holder = GdvPerson("P-1", 2, "Müller-Lüdenscheidt", "Jürgen",
                       "Große Straße 12a", "80331", "München", "D",
                       date(1970, 2, 3))
    for i in range(count):
        yield GdvContract(f"VS-{i:012d}", 40, 1, date(2020, 1, 1), None,
                          date(2021, 1, 1), 8, Decimal("123.45"), "EUR", holder)


@pytest.mark.heavy  # 50,000 contracts traced: a large file, like the large imports
def test_memory_stays_constant_for_50000_contracts():
    sink = CountingSink()
    tracemalloc.start()
    try:
        summary = write_portfolio(sink, HEADER, generate(50_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.contract_count == 50_000
    assert summary.record_count == 150_002 == sink.line_ends
    assert sink.bytes == 150_002 * 258
    assert summary.total_premium_cents == 50_000 * 12345
    assert peak < 5 * 1024 * 1024, f"peak {peak} bytes"
    print(f"\npeak traced memory: {peak / 1024:.0f} KiB, {sink.writes} writes")

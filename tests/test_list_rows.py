"""A selected row becomes a list row: each column's value from its loaded expressions, in column order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST


def selected_row(spec) -> tuple:
    """A row as ``select_rows`` gives it: id, customer id, then every column's loads, each a distinct value."""
    loads = sum(len(col.load) for col in spec.columns)
    return (41, 42, *(f"v{i}" for i in range(loads)))


def by_column(spec, raw: tuple) -> tuple:
    """The rule spelled out: each column's value of its own slice of the row."""
    values, at = [], 2
    for col in spec.columns:
        values.append(col.value(*raw[at:at + len(col.load)]))
        at += len(col.load)
    return tuple(values)


@pytest.mark.parametrize("spec", [CONTRACT_LIST, CUSTOMER_LIST], ids=["contracts", "customers"])
def test_every_column_takes_its_own_loads(spec):
    raw = selected_row(spec)
    row = spec.to_row(raw)
    assert (row.id, row.customer_id) == (41, 42)
    assert row.values == by_column(spec, raw) and len(row.values) == len(spec.columns)


def test_a_name_made_of_several_loads_sits_between_plain_columns():
    raw = (1, 2, "P-1", "Max", "Müller", "Dr.", "Köln", "V-1", "010", "1",
           Decimal("12.30"), Decimal("14.64"), dt.date(2020, 1, 1))
    row = CONTRACT_LIST.to_row(raw)
    assert row["customer"] == "Dr. Max Müller" and row["partner_number"] == "P-1" and row["town"] == "Köln"
    assert row.values[-3:] == (Decimal("12.30"), Decimal("14.64"), dt.date(2020, 1, 1))


@pytest.mark.parametrize("columns", [1, 2])
def test_a_list_of_one_or_two_columns_still_gives_a_tuple(columns):
    spec = dataclasses.replace(CUSTOMER_LIST, columns=CUSTOMER_LIST.columns[:columns])
    raw = selected_row(spec)
    assert spec.values_of(raw) == by_column(spec, raw) == tuple(f"v{i}" for i in range(columns))

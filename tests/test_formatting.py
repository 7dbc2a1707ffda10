"""German screen formats."""

import datetime as dt
from decimal import Decimal

import pytest

from bipro.core.formatting import format_date, format_datetime, format_decimal, format_money, format_number, person_name


@pytest.mark.parametrize("value, expected", [
    (Decimal("1234.56"), "1.234,56 €"),
    (Decimal("0"), "0,00 €"),
    (Decimal("0.005"), "0,01 €"),
    (Decimal("-1234567.8"), "-1.234.567,80 €"),
    (Decimal("999.999"), "1.000,00 €"),
    (12, "12,00 €"),
    (Decimal("-1234.565"), "-1.234,57 €"),
    (Decimal("-0.001"), "0,00 €"),
    (Decimal("1234567"), "1.234.567,00 €"),
])
def test_money(value, expected):
    assert format_money(value) == expected


@pytest.mark.parametrize("value, places, expected", [
    (1234, None, "1.234"), (Decimal("1234.5"), None, "1.234,5"), (Decimal("0.125"), 2, "0,13"),
    (1000000, None, "1.000.000"), (0, None, "0"), (-12, None, "-12"),
])
def test_decimal(value, places, expected):
    assert format_decimal(value, places) == expected


def test_dates():
    assert format_date(dt.date(2026, 3, 7)) == "07.03.2026"
    assert format_date(dt.datetime(1999, 12, 31, 23, 59)) == "31.12.1999"
    assert format_datetime(dt.datetime(2026, 3, 7, 8, 5)) == "07.03.2026 08:05"
    assert format_date(None) == "" and format_money(None) == ""


def test_places_round_half_up_and_keep_zeros():
    assert format_decimal(Decimal("1234.5"), 2) == "1.234,50"
    assert format_decimal(3, places=0) == "3"
    assert format_money(Decimal("-1234567.005")) == "-1.234.567,01 €"


def test_person_name_is_one_rule_with_title():
    """Lists, the inbox and the customer page once joined names with and without the title."""
    assert person_name("Anna", "Schmidt", "Dr.") == "Dr. Anna Schmidt"
    assert person_name("Anna", "Schmidt", "") == "Anna Schmidt"
    assert person_name(None, "Schmidt") == "Schmidt"


def test_numbers_group_thousands_and_drop_superfluous_zeros():
    """The tariff once wrote 1000 (no separator below five digits) and the screens 1.000."""
    assert format_number(1000) == "1.000"
    assert format_number(Decimal("72.50")) == "72,5"
    assert format_number(Decimal("19.00")) == "19"
    assert format_number(-0.0) == "0"

"""German display formats."""

import datetime as dt
from decimal import Decimal

from bipro.core.formatting import format_date, format_decimal, format_money


def test_dates():
    assert format_date(dt.date(1980, 7, 4)) == "04.07.1980"
    assert format_date(dt.datetime(2024, 12, 31, 23, 59)) == "31.12.2024"
    assert format_date(None) == ""


def test_money_and_decimals():
    assert format_money(Decimal("1234.56")) == "1.234,56 €"
    assert format_money(Decimal("0")) == "0,00 €"
    assert format_money(Decimal("-1234567.005")) == "-1.234.567,01 €"
    assert format_money(None) == ""
    assert format_decimal(Decimal("1234.5")) == "1.234,50"
    assert format_decimal(3, places=0) == "3"

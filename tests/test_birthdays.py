"""Next-birthday arithmetic with fixed dates: today counts, the year wraps, 29 February."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from bipro.core.portfolio.birthdays import birthday_in, next_birthday, upcoming_birthdays
from store.models import Broker, Customer
from tests.support.callers import of_broker

D = dt.date


@pytest.mark.parametrize("birth, today, expected", [
    (D(1980, 5, 17), D(2026, 5, 17), D(2026, 5, 17)),    # today counts
    (D(1980, 5, 17), D(2026, 5, 18), D(2027, 5, 17)),    # just missed: next year
    (D(1990, 1, 5), D(2026, 12, 31), D(2027, 1, 5)),     # the year wraps
    (D(1990, 12, 31), D(2026, 12, 31), D(2026, 12, 31)),
    (D(1984, 2, 29), D(2027, 2, 28), D(2027, 2, 28)),    # common year: 28 February
    (D(1984, 2, 29), D(2027, 2, 27), D(2027, 2, 28)),
    (D(1984, 2, 29), D(2028, 2, 28), D(2028, 2, 29)),    # leap year: the real day
    (D(1984, 2, 29), D(2027, 3, 1), D(2028, 2, 29)),
    (D(1984, 2, 29), D(2028, 3, 1), D(2029, 2, 28)),
    (D(1984, 2, 29), D(2026, 12, 31), D(2027, 2, 28)),
])
def test_next_birthday(birth, today, expected):
    assert next_birthday(birth, today) == expected


def test_birthday_in_keeps_ordinary_days():
    assert birthday_in(2027, D(2000, 2, 28)) == D(2027, 2, 28)
    assert birthday_in(2024, D(2001, 2, 28)) == D(2024, 2, 28)


@pytest.fixture(scope="module")
def small_broker(sqlite_gateway):
    """A broker of its own with hand-picked birthdays."""
    births = [D(1984, 2, 29), D(1970, 2, 28), D(1975, 3, 1), D(1960, 12, 30), D(1999, 1, 2),
              D(1988, 6, 15), D(1955, 12, 31), D(2001, 1, 1), D(1966, 7, 4)]
    with sqlite_gateway.db.session() as session:
        session.execute(insert(Broker), [{"id": 77, "number": "777000", "name": "Test"}])
        session.execute(insert(Customer), [
            {"id": 7700 + n, "broker_id": 77, "partner_number": f"B{n}", "last_name": f"K{n}",
             "birth_date": birth, "birthday_mmdd": f"{birth:%m%d}"}
            for n, birth in enumerate(births)
        ] + [{"id": 7799, "broker_id": 77, "partner_number": "B-ohne", "last_name": "Ohne"}])
    return sqlite_gateway


def names(gateway, today, limit=7):
    with gateway.db.session() as session:
        return [(b.partner_number, b.next_birthday)
                for b in upcoming_birthdays(session, of_broker(77), today, limit)]


def test_leap_day_on_28_february_in_a_common_year(small_broker):
    assert names(small_broker, D(2027, 2, 28), 3) == [
        ("B1", D(2027, 2, 28)), ("B0", D(2027, 2, 28)), ("B2", D(2027, 3, 1))]


def test_leap_day_in_a_leap_year(small_broker):
    assert names(small_broker, D(2028, 2, 28), 3) == [
        ("B1", D(2028, 2, 28)), ("B0", D(2028, 2, 29)), ("B2", D(2028, 3, 1))]


def test_wraps_into_the_next_year(small_broker):
    assert names(small_broker, D(2026, 12, 30), 5) == [
        ("B3", D(2026, 12, 30)), ("B6", D(2026, 12, 31)), ("B7", D(2027, 1, 1)),
        ("B4", D(2027, 1, 2)), ("B1", D(2027, 2, 28))]


def test_seven_at_most_and_customers_without_birth_date_left_out(small_broker):
    found = names(small_broker, D(2026, 6, 16))
    assert len(found) == 7
    assert [p for p, _ in found] == ["B8", "B3", "B6", "B7", "B4", "B1", "B0"]
    assert len(names(small_broker, D(2026, 6, 16), 50)) == 9


def test_broker_without_customers(sqlite_gateway):
    with sqlite_gateway.db.session() as session:
        assert upcoming_birthdays(session, of_broker(999), D(2026, 1, 1)) == []

"""The next birthdays of a broker's customers, found through ``birthday_mmdd``.

A birthday on 29 February is celebrated on 28 February in other years.
Today's birthdays count as coming next. After the last birthday of the year
the search wraps around to January.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from store.models import Customer


@dataclass(frozen=True)
class UpcomingBirthday:
    partner_number: str
    first_name: str
    last_name: str
    birth_date: dt.date
    next_birthday: dt.date
    turns: int  # age reached on that day


def birthday_in(year: int, birth: dt.date) -> dt.date:
    """The birthday in *year*: 29 February falls on 28 February outside leap years."""
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, birth.month, birth.day)


def next_birthday(birth: dt.date, today: dt.date) -> dt.date:
    """Today, or the next day on which the birthday falls."""
    this_year = birthday_in(today.year, birth)
    return this_year if this_year >= today else birthday_in(today.year + 1, birth)


def _mmdd(day: dt.date) -> str:
    return f"{day.month:02d}{day.day:02d}"


def upcoming_birthdays(session: Session, caller: Caller, today: dt.date,
                       limit: int = 7) -> list[UpcomingBirthday]:
    """The *limit* customers of the caller's broker whose birthday comes next, soonest first.

    Two index range scans on (broker_id, birthday_mmdd): from today to the
    end of the year, then from January on when that was not enough. On
    28 February of a common year "0229" sorts right after "0228", so the
    leap-day children are found on their substitute day without a special case.
    """
    columns = (Customer.partner_number, Customer.first_name, Customer.last_name,
               Customer.birth_date, Customer.birthday_mmdd)
    base = select(*columns).where(Customer.broker_id == caller.broker_id,
                                  Customer.birthday_mmdd.is_not(None),
                                  Customer.birth_date.is_not(None))
    order = (Customer.birthday_mmdd, Customer.id)
    start = _mmdd(today)
    rows = list(session.execute(base.where(Customer.birthday_mmdd >= start)
                                .order_by(*order).limit(limit)))
    if len(rows) < limit:
        rows += session.execute(base.where(Customer.birthday_mmdd < start)
                                .order_by(*order).limit(limit - len(rows)))
    found = []
    for row in rows:
        upcoming = next_birthday(row.birth_date, today)
        found.append(UpcomingBirthday(row.partner_number, row.first_name, row.last_name,
                                      row.birth_date, upcoming,
                                      upcoming.year - row.birth_date.year))
    # Within a year the mmdd order is the date order; the stable sort only
    # matters for leap-day rows that share 28 February with others.
    found.sort(key=lambda b: b.next_birthday)
    return found

"""Figures of the Startseite: portfolio, premiums, claims, news, for one broker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.portfolio.code_names import sparte_name
from store.models import STATUS_ACTIVE, Claim, Contract, NewsItem

# Zahlungsweise code -> payments per year. Any other code (e.g. a one-off
# premium) counts once a year.
PAYMENTS_PER_YEAR = {1: 1, 2: 2, 4: 4, 8: 12}


@dataclass(frozen=True)
class SparteFigures:
    sparte: str
    name: str
    contracts: int
    annual_gross: Decimal


@dataclass(frozen=True)
class PortfolioFigures:
    """Active ("lebend") contracts and their gross annual premium, total and per Sparte."""

    contracts: int
    annual_gross: Decimal
    by_sparte: list[SparteFigures] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimFigures:
    open: int
    closed: int

    @property
    def total(self) -> int:
        return self.open + self.closed


@dataclass(frozen=True)
class News:
    title: str
    body: str
    published_on: dt.date


def payments_per_year(frequency: int) -> int:
    return PAYMENTS_PER_YEAR.get(frequency, 1)


def portfolio_figures(session: Session, caller: Caller) -> PortfolioFigures:
    """Count and Bruttojahresbeitrag of the caller's active contracts, largest Sparte first.

    Premiums are summed in whole cents so SQLite (which keeps numbers as
    floating point) and PostgreSQL give the same exact total.
    """
    cents = func.sum(cast(func.round(Contract.gross_premium * 100), BigInteger))
    rows = session.execute(
        select(Contract.sparte, Contract.payment_frequency, func.count(), cents)
        .where(Contract.broker_id == caller.broker_id, Contract.status == STATUS_ACTIVE)
        .group_by(Contract.sparte, Contract.payment_frequency)
    )
    counts: dict[str, int] = {}
    annual: dict[str, Decimal] = {}
    for sparte, frequency, count, cent_sum in rows:
        counts[sparte] = counts.get(sparte, 0) + count
        amount = Decimal(int(cent_sum or 0)) / 100 * payments_per_year(frequency)
        annual[sparte] = annual.get(sparte, Decimal("0.00")) + amount
    by_sparte = sorted(
        (SparteFigures(s, sparte_name(s), counts[s], annual[s]) for s in counts),
        key=lambda f: (-f.contracts, f.sparte),
    )
    return PortfolioFigures(contracts=sum(counts.values()),
                            annual_gross=sum(annual.values(), Decimal("0.00")),
                            by_sparte=by_sparte)


def claim_figures(session: Session, caller: Caller) -> ClaimFigures:
    rows = dict(session.execute(
        select(Claim.is_open, func.count()).where(Claim.broker_id == caller.broker_id)
        .group_by(Claim.is_open)
    ).all())
    return ClaimFigures(open=rows.get(True, 0), closed=rows.get(False, 0))


def news(session: Session, kind: str, limit: int = 5) -> list[News]:
    """The newest entries of Neuigkeiten ("news") or Produktwelt ("product")."""
    rows = session.execute(
        select(NewsItem.title, NewsItem.body, NewsItem.published_on)
        .where(NewsItem.kind == kind)
        .order_by(NewsItem.published_on.desc(), NewsItem.id.desc()).limit(limit)
    )
    return [News(*row) for row in rows]

"""Per-broker row counts of the two lists, kept by the database itself.

The pager's "von N Einträgen" and the counts under the Status and Sparte
selects come from here instead of counting a million rows per page. The
database's own triggers (``store.row_counts``) change them in the same
transaction as every insert, delete and move of a row, whatever wrote it.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class CustomerCount(Base):
    """How many customers a broker has."""

    __tablename__ = "customer_counts"

    # No foreign key: a broker's rows go before the broker does, and the
    # count row, then zero, does no harm.
    broker_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    row_count: Mapped[int] = mapped_column(default=0)


class ContractCount(Base):
    """How many contracts a broker has in each Status and Sparte."""

    __tablename__ = "contract_counts"

    broker_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    status: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    sparte: Mapped[str] = mapped_column(String(3), primary_key=True)
    row_count: Mapped[int] = mapped_column(default=0)

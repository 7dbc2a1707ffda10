"""Declarative base and column types shared by every model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names keep Alembic migrations identical on
# SQLite and PostgreSQL and make later ALTERs possible on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Money: twelve digits, two decimals, always Decimal in Python.
Money = Numeric(12, 2, asdecimal=True)


class Base(DeclarativeBase):
    """Base class of every table of the gateway."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {Decimal: Money}


def utcnow() -> dt.datetime:
    """Current UTC time without tzinfo: every timestamp in the store is naive UTC."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

"""The broker's portfolio: brokers, customers, contracts, claims, products."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, utcnow
from store.code_lists import STATUS_ACTIVE, STATUS_CANCELLED  # noqa: F401 (known from here too)


class Broker(Base):
    """A Vermittler: the tenant every portfolio row belongs to."""

    __tablename__ = "brokers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # Vermittlernummer
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(80), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    town: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Product(Base):
    """A product of the insurer as shown in the portal's Produktwelt."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # product id, also in the tariff engine
    sparte: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    on_offer: Mapped[bool] = mapped_column(default=True)


class Customer(Base):
    """A Kunde / Partner of one broker."""

    __tablename__ = "customers"
    __table_args__ = (
        # One index per sortable column, led by the tenant, so that the
        # first page of any sort is an index range scan. Text columns sort by
        # their German sort key (store.sort_keys).
        Index("ix_customers_broker_last_name", "broker_id", "last_name_sort", "id"),
        Index("ix_customers_broker_first_name", "broker_id", "first_name_sort", "id"),
        Index("ix_customers_broker_street", "broker_id", "street_sort", "id"),
        Index("ix_customers_broker_postcode", "broker_id", "postcode", "id"),
        Index("ix_customers_broker_town", "broker_id", "town_sort", "id"),
        Index("ix_customers_broker_birth_date", "broker_id", "birth_date", "id"),
        Index("ix_customers_broker_birthday", "broker_id", "birthday_mmdd"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    partner_number: Mapped[str] = mapped_column(String(20), unique=True)  # Partnernummer
    salutation: Mapped[int] = mapped_column(default=0)  # Anrede code 0..4
    title: Mapped[str] = mapped_column(String(40), default="")
    first_name: Mapped[str] = mapped_column(String(60), default="")
    last_name: Mapped[str] = mapped_column(String(60))
    street: Mapped[str] = mapped_column(String(80), default="")  # street and house number
    postcode: Mapped[str] = mapped_column(String(10), default="")
    town: Mapped[str] = mapped_column(String(60), default="")
    country: Mapped[str] = mapped_column(String(3), default="D")
    birth_date: Mapped[dt.date | None]
    # "MMDD" of the birthday, kept beside the date so the dashboard can
    # find the next birthdays with an index instead of a scan.
    birthday_mmdd: Mapped[str | None] = mapped_column(String(4))
    email: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Lower-cased text of every list column, as displayed; the text index
    # (FTS5 trigram or pg_trgm) is built over it.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # German sort keys of the text columns the lists sort by (store.sort_keys).
    first_name_sort: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_name_sort: Mapped[str] = mapped_column(Text, default="", server_default="")
    street_sort: Mapped[str] = mapped_column(Text, default="", server_default="")
    town_sort: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(default=1)  # optimistic locking
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    contracts: Mapped[list["Contract"]] = relationship(back_populates="customer", order_by="Contract.id")


class Contract(Base):
    """A Vertrag; premiums are per payment period (Zahlungsweise)."""

    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_broker_status_sparte", "broker_id", "status", "sparte", "id"),
        Index("ix_contracts_broker_policy", "broker_id", "policy_number"),
        Index("ix_contracts_broker_sparte", "broker_id", "sparte", "id"),
        Index("ix_contracts_broker_net", "broker_id", "net_premium", "id"),
        Index("ix_contracts_broker_gross", "broker_id", "gross_premium", "id"),
        Index("ix_contracts_broker_stand", "broker_id", "stand", "id"),
        Index("ix_contracts_broker_updated", "broker_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    policy_number: Mapped[str] = mapped_column(String(30), unique=True)  # Versicherungsscheinnummer
    sparte: Mapped[str] = mapped_column(String(3))
    product_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[int] = mapped_column(default=STATUS_ACTIVE)
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date | None]
    cancelled_on: Mapped[dt.date | None]  # Abgangsdatum of a cancelled (storniert) contract
    main_due_date: Mapped[dt.date | None]  # Hauptfälligkeit
    payment_frequency: Mapped[int] = mapped_column(default=1)  # Zahlungsweise code
    net_premium: Mapped[Decimal]
    gross_premium: Mapped[Decimal]
    stand: Mapped[dt.date]  # date of the last change of the contract data
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="contracts")
    claims: Mapped[list["Claim"]] = relationship(back_populates="contract", order_by="Claim.id")


class Claim(Base):
    """A Schaden on a contract."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    occurred_on: Mapped[dt.date]
    is_open: Mapped[bool] = mapped_column(default=True)
    amount: Mapped[Decimal]
    description: Mapped[str] = mapped_column(Text, default="")

    contract: Mapped[Contract] = relationship(back_populates="claims")

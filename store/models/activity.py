"""What happened: audit log, customer change history, news, search contexts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, utcnow


class AuditEvent(Base):
    """A security-relevant event; never holds a password or token."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    login: Mapped[str] = mapped_column(String(60), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("brokers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="")  # portal / bipro / cli
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class CustomerChange(Base):
    """One changed field of a customer: who, when, old and new value."""

    __tablename__ = "customer_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")


class NewsItem(Base):
    """An entry of the dashboard's Neuigkeiten (kind "news") or Produktwelt ("product")."""

    __tablename__ = "news"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="news")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[dt.date]


class EnumerationContext(Base):
    """A Norm 480 search in progress: the query and where the next Pull starts."""

    __tablename__ = "enumeration_contexts"

    id: Mapped[int] = mapped_column(primary_key=True)
    context_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"))
    query: Mapped[str] = mapped_column(Text)  # JSON of the filter
    position: Mapped[int] = mapped_column(default=0)
    max_items: Mapped[int] = mapped_column(default=100)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)

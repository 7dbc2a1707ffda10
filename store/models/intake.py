"""Document intake from the insurer's systems: API keys and idempotency records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, utcnow


class IntakeKey(Base):
    """A key a document system posts with; only the SHA-256 of the key is kept."""

    __tablename__ = "intake_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class IntakeRequest(Base):
    """One accepted intake call per key and Idempotency-Key: a repeat gets the same shipment."""

    __tablename__ = "intake_requests"
    __table_args__ = (UniqueConstraint("key_id", "idempotency_key", name="uq_intake_requests_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("intake_keys.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    body_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of metadata and file checksums
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

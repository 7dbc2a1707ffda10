"""Shipments (Lieferungen) and their documents, for Norm 430 and the Posteingang."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from store.base import Base, utcnow


class Shipment(Base):
    """A Lieferung for one broker: one business event with its files."""

    __tablename__ = "shipments"
    __table_args__ = (
        Index("ix_shipments_broker_listing", "broker_id", "acknowledged_at", "available_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(25), unique=True)  # tran:ID
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    category: Mapped[str] = mapped_column(String(9))  # 9-digit GeVo-Art
    kind: Mapped[int] = mapped_column(default=1001)  # ArtDerLieferung
    data_only: Mapped[bool] = mapped_column(default=False)  # EnthaeltNurDaten
    periodic: Mapped[bool] = mapped_column(default=False)  # PeriodischeLieferung
    sparte: Mapped[str | None] = mapped_column(String(3))
    event_number: Mapped[str] = mapped_column(String(40), default="")  # gevo:Vorgangsnummer
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # Einstellzeitpunkt
    available_until: Mapped[dt.datetime]  # VerfuegbarBis
    acknowledged_at: Mapped[dt.datetime | None]

    documents: Mapped[list["Document"]] = relationship(
        back_populates="shipment", order_by="Document.id"
    )


class Document(Base):
    """A file of a shipment; the bytes live in the database and stream in chunks."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_broker_unread", "broker_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"))
    file_id: Mapped[str] = mapped_column(String(40))  # allg:DateiID
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    file_type: Mapped[str] = mapped_column(String(20), default="Dokument")  # Dokument / Nettodaten
    document_type: Mapped[str] = mapped_column(String(40), default="SonstigesDokument")
    title: Mapped[str] = mapped_column(String(200), default="")  # allg:Bezeichnung
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    size: Mapped[int] = mapped_column(default=0)
    sha1: Mapped[str] = mapped_column(String(40))
    # Deferred: listings never load the bytes; getShipment streams them.
    # Empty for large files, whose bytes are DocumentPart rows.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    read_at: Mapped[dt.datetime | None]  # opened in the portal

    shipment: Mapped[Shipment] = relationship(back_populates="documents")


class DocumentPart(Base):
    """One slice of a large document, so no single row (or memory) holds the whole file."""

    __tablename__ = "document_parts"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    seq: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class GdvExport(Base):
    """Record of a GDV export, so the next change file knows where to start."""

    __tablename__ = "gdv_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    category: Mapped[str] = mapped_column(String(9))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    contract_count: Mapped[int] = mapped_column(default=0)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    note: Mapped[str] = mapped_column(Text, default="")

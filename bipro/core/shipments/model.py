"""Read-only views of shipments and documents that the adapters render.

Times are naive UTC as stored; the adapters turn them into German local
time (``bipro.core.clock.to_local``). No view holds file bytes: those are
streamed slice by slice (``content.iter_file_contents``; a ``DocumentContent``
carries such a stream).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileInfo:
    """One file of a shipment (allg:Datei) without its bytes."""

    document_id: int
    file_id: str
    file_name: str
    media_type: str
    file_type: str  # Dokument / Nettodaten
    document_type: str  # DokumentartID
    title: str
    created_at: dt.datetime
    size: int
    sha1: str


@dataclass(frozen=True)
class ShipmentSummary:
    """A Lieferung as listShipments shows it."""

    public_id: str
    category: str
    kind: int
    data_only: bool
    periodic: bool
    sparte: str | None
    event_number: str
    created_at: dt.datetime
    available_until: dt.datetime
    acknowledged_at: dt.datetime | None
    transfer_count: int = 1  # the demo has one business event per shipment


@dataclass(frozen=True)
class ShipmentDetail:
    """A Lieferung with the files of its business event, for getShipment."""

    summary: ShipmentSummary
    files: list[FileInfo] = field(default_factory=list)

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class InboxDocument:
    """A document of the portal's Posteingang (and its "Letzter Posteingang")."""

    document_id: int
    shipment_id: str  # tran:ID of its shipment
    file_name: str
    title: str
    document_type: str
    media_type: str
    size: int
    created_at: dt.datetime
    customer_id: int | None
    customer_name: str  # "Titel Vorname Name" (store.german.person_name), empty without a customer
    policy_number: str  # empty when the shipment has no contract
    read_at: dt.datetime | None = None  # first opened in the portal (UTC); None: unread
    partner_number: str = ""  # the customer's, empty when the shipment has no customer


@dataclass(frozen=True)
class DocumentContent:
    """One document's bytes (streamed) with what a download needs."""

    document_id: int
    file_name: str
    media_type: str
    title: str
    size: int
    sha1: str
    chunks: Iterator[bytes]  # the bytes, read slice by slice while iterated

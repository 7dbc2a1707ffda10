"""Receive documents from the insurer's systems: check, resolve, publish once per Idempotency-Key.

Both doors, ``POST /intake/...`` and ``publish-folder``, end here, and this
hands the files to ``publish_shipment``, the same use case as the CLI's
``publish``. A repeated call with the same Idempotency-Key and the same
content (metadata and file checksums, not the multipart bytes, whose
boundaries differ per send) gets the first call's shipment; with other
content it is a conflict. Nothing is written unless everything is valid.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.errors import CoreError, Problem, ValidationFailed
from bipro.core.file_names import clean_file_name
from bipro.core.intake.filetypes import ACCEPTED, GDV_MEDIA_TYPE, media_type_of
from bipro.core.intake.metadata import IntakeMetadata, resolve
from bipro.core.shipments.publish import DOCUMENT, NET_DATA, NewFile, publish_shipment, size_and_sha1
from store.db import begin_write
from store.models import IntakeRequest, Shipment

IDEMPOTENCY_KEY_LIMIT = 200


class UnsupportedFile(CoreError):
    """A file whose first bytes are none of the accepted types (HTML, SVG, executables ...)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class IdempotencyConflict(CoreError):
    """The Idempotency-Key was used before for a different request."""


@dataclass(frozen=True)
class IncomingFile:
    path: Path  # a temporary or watched file, read in blocks
    file_name: str


@dataclass(frozen=True)
class Received:
    public_id: str
    file_count: int
    total_size: int
    created: bool  # False: a repeat answered with the earlier shipment


def receive_documents(session: Session, meta: IntakeMetadata, files: list[IncomingFile], *,
                      available_days: int, key_id: int | None = None,
                      idempotency_key: str | None = None, by: SystemCaller) -> Received:
    """Publish *files* as one shipment described by *meta*; the caller commits."""
    if not files:
        raise ValidationFailed([Problem("file", "Es wurde keine Datei übergeben.")])
    if idempotency_key is not None and not 0 < len(idempotency_key) <= IDEMPOTENCY_KEY_LIMIT:
        raise ValidationFailed([Problem("Idempotency-Key", f"Der Idempotency-Key hat 1 bis "
                                                           f"{IDEMPOTENCY_KEY_LIMIT} Zeichen.")])
    media_types = []
    for number, incoming in enumerate(files):
        media_type = media_type_of(incoming.path)
        if media_type is None:
            field = "file" if len(files) == 1 else f"files[{number}]"
            name = clean_file_name(incoming.file_name, fallback=f"Dokument-{number + 1}")
            raise UnsupportedFile(f"Die Datei {name[:80]} ist kein {ACCEPTED}.", field)
        media_types.append(media_type)
    checksums = [size_and_sha1(f.path) for f in files]
    body_hash = _content_hash(meta, files, checksums)
    begin_write(session)  # SQLite: one writer at a time, so a repeat sees the first call's row
    if idempotency_key is not None:
        earlier = _earlier(session, key_id, idempotency_key, body_hash)
        if earlier is not None:
            return earlier
    target = resolve(session, meta)
    # The file names are cleaned, not refused (publish_shipment, bipro.core.file_names).
    new_files = [NewFile(f.path, file_name=f.file_name, media_type=media_type,
                         file_type=NET_DATA if media_type == GDV_MEDIA_TYPE else DOCUMENT,
                         document_type=description.document_type, title=description.title)
                 for f, media_type, description in zip(files, media_types, meta.files)]
    published = publish_shipment(session, target.broker_id, meta.category, new_files,
                                 available_days=available_days, kind=target.kind, sparte=target.sparte,
                                 customer_id=target.customer_id, contract_id=target.contract_id,
                                 data_only=all(m == GDV_MEDIA_TYPE for m in media_types), by=by)
    if idempotency_key is not None:
        session.add(IntakeRequest(key_id=key_id, idempotency_key=idempotency_key, body_hash=body_hash,
                                  shipment_id=published.shipment_id))
        try:
            session.flush()
        except IntegrityError:
            # PostgreSQL: a concurrent call with this key committed first; answer as it did.
            session.rollback()
            earlier = _earlier(session, key_id, idempotency_key, body_hash)
            if earlier is None:
                raise
            return earlier
    return Received(published.public_id, published.file_count, published.total_size, True)


def _earlier(session: Session, key_id: int | None, idempotency_key: str, body_hash: str) -> Received | None:
    row = session.execute(
        select(IntakeRequest.body_hash, Shipment.public_id)
        .join(Shipment, Shipment.id == IntakeRequest.shipment_id)
        .where(IntakeRequest.key_id == key_id, IntakeRequest.idempotency_key == idempotency_key)).first()
    if row is None:
        return None
    if row.body_hash != body_hash:
        raise IdempotencyConflict(f"Der Idempotency-Key wurde bereits für eine andere Lieferung verwendet "
                                  f"({row.public_id}).")
    shipment = session.scalar(select(Shipment).where(Shipment.public_id == row.public_id))
    files = list(shipment.documents)
    return Received(row.public_id, len(files), sum(d.size for d in files), False)


def _content_hash(meta: IntakeMetadata, files: list[IncomingFile], checksums: list[tuple[int, str]]) -> str:
    digest = hashlib.sha256(meta.canonical().encode("utf-8"))
    for incoming, (size, sha1) in zip(files, checksums):
        # surrogatepass: a folder's file name that is not UTF-8 arrives with lone surrogates
        digest.update(f"\n{incoming.file_name}\t{size}\t{sha1}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


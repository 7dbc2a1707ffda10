"""The portal's Posteingang: unread documents of a broker, opened one at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bipro.core.errors import NotFound
from store.base import utcnow
from store.models import Document

NOT_FOUND = "Das Dokument wurde nicht gefunden."


@dataclass(frozen=True)
class DocumentEntry:
    id: int
    title: str
    file_name: str
    media_type: str
    size: int
    created_at: dt.datetime  # UTC


@dataclass(frozen=True)
class OpenedDocument:
    file_name: str
    media_type: str
    content: bytes


def unread_documents(session: Session, broker_id: int, limit: int = 8) -> list[DocumentEntry]:
    """Unread documents, newest first (index on broker_id, read_at, created_at)."""
    rows = session.execute(
        select(Document.id, Document.title, Document.file_name, Document.media_type,
               Document.size, Document.created_at)
        .where(Document.broker_id == broker_id, Document.read_at.is_(None))
        .order_by(Document.created_at.desc(), Document.id.desc()).limit(limit)
    )
    return [DocumentEntry(*row) for row in rows]


def unread_count(session: Session, broker_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Document)
                          .where(Document.broker_id == broker_id, Document.read_at.is_(None)))


def open_document(session: Session, broker_id: int, document_id: int) -> OpenedDocument:
    """The bytes of one of the broker's documents, marking it read on first opening."""
    row = session.execute(
        select(Document.file_name, Document.media_type, Document.content)
        .where(Document.id == document_id, Document.broker_id == broker_id)
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    session.execute(update(Document)
                    .where(Document.id == document_id, Document.read_at.is_(None))
                    .values(read_at=utcnow()))
    return OpenedDocument(row.file_name, row.media_type, row.content)

"""A document's bytes in the database: stored and streamed in slices, in constant memory.

Small files sit in ``Document.content``; a file larger than ``INLINE_LIMIT``
goes into ``DocumentPart`` rows of ``CHUNK_SIZE`` bytes, so neither the
writer nor the database ever holds it as one value. Reading is the same for
both: ``iter_file_contents`` yields one slice per short read (``substr`` on
the inline BLOB/bytea, or one part), so a slow client never holds a
transaction open.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, exists, func, insert, select
from sqlalchemy.orm import Session

from store.models import Document, DocumentPart

CHUNK_SIZE = 1024 * 1024
INLINE_LIMIT = 4 * CHUNK_SIZE


class ContentTruncated(RuntimeError):
    """The stored bytes are shorter than the stored size (should never happen)."""


def store_file(session: Session, document: Document, path: Path, size: int) -> None:
    """Put the bytes of *path* into the (flushed) *document*: inline or in parts."""
    if size <= INLINE_LIMIT:
        document.content = path.read_bytes()
        return
    with path.open("rb") as stream:
        seq = 0
        while block := stream.read(CHUNK_SIZE):
            session.execute(insert(DocumentPart).values(document_id=document.id, seq=seq, data=block))
            seq += 1


def iter_file_contents(engine: Engine, document_id: int, size: int, *,
                       chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield the bytes of one document, about ``chunk_size`` at a time.

    Opens its own connection, and only once iterated: the caller's session
    may already be closed when a streamed response is being sent.
    """
    with engine.connect() as conn:
        in_parts = conn.execute(select(exists().where(DocumentPart.document_id == document_id))).scalar()
        conn.rollback()
        slices = _parts(conn, document_id) if in_parts else _inline(conn, document_id, size, chunk_size)
        offset = 0
        for chunk in slices:
            offset += len(chunk)
            yield chunk
        if offset < size:
            raise ContentTruncated(f"document {document_id}: {offset} of {size} bytes")


def _inline(conn, document_id: int, size: int, chunk_size: int) -> Iterator[bytes]:
    offset = 0
    while offset < size:
        want = min(chunk_size, size - offset)
        chunk = conn.execute(
            select(func.substr(Document.content, offset + 1, want)).where(Document.id == document_id)
        ).scalar_one_or_none()
        conn.rollback()  # end the read; the next slice starts afresh
        if not chunk:
            return
        chunk = bytes(chunk)
        offset += len(chunk)
        yield chunk


def _parts(conn, document_id: int) -> Iterator[bytes]:
    seq = 0
    while True:
        chunk = conn.execute(select(DocumentPart.data).where(
            DocumentPart.document_id == document_id, DocumentPart.seq == seq)).scalar_one_or_none()
        conn.rollback()
        if chunk is None:
            return
        yield bytes(chunk)
        seq += 1

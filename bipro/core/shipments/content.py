"""Stream a document's bytes from the database in chunks, in constant memory.

``Document.content`` is deferred and never loaded whole for a download:
``substr`` (SQLite and PostgreSQL both have it for BLOB/bytea) reads one
slice per query. Each slice is its own short read, so a slow client never
holds a transaction open.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from store.db import Database
from store.models import Document

CHUNK_SIZE = 1024 * 1024


class ContentTruncated(RuntimeError):
    """The stored bytes are shorter than the stored size (should never happen)."""


def iter_file_contents(db: Database, document_id: int, size: int, *,
                       chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield the bytes of one document, ``chunk_size`` at a time.

    Opens its own connection: the caller's session may already be closed
    when a streamed response is being sent.
    """
    with db.engine.connect() as conn:
        offset = 0
        while offset < size:
            want = min(chunk_size, size - offset)
            chunk = conn.execute(
                select(func.substr(Document.content, offset + 1, want))
                .where(Document.id == document_id)
            ).scalar_one_or_none()
            conn.rollback()  # end the read; the next slice starts afresh
            if not chunk:
                raise ContentTruncated(f"document {document_id}: {offset} of {size} bytes")
            chunk = bytes(chunk)
            offset += len(chunk)
            yield chunk

"""File contents in a SOAP answer: MTOM parts or inline base64, streamed.

The envelope is built first, with a marker (base64) or an ``xop:Include``
(MTOM) where each file's bytes belong; the answer is then a generator that
yields the envelope's pieces and each file in chunks read from the
database. Sizes are known up front, so the Content-Length is too.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Iterator

from bipro.core.shipments import FileInfo, iter_file_contents
from bipro.soap.envelope import Envelope, sub
from bipro.soap.namespaces import XMIME, XOP, q
from bipro.soap.service import Reply
from store.db import Database

log = logging.getLogger("bipro.soap")

CID_DOMAIN = "bipro.docura.example"
# Base64 turns 3 bytes into 4 characters: slices of a multiple of 3 bytes
# encode without padding in the middle of the text.
BASE64_SLICE = 3 * 256 * 1024


class FileEmbedder:
    """Puts file contents into ``allg:Daten`` elements and streams the answer."""

    def __init__(self, db: Database, *, mtom: bool) -> None:
        self.db = db
        self.mtom = mtom
        self.token = uuid.uuid4().hex
        self.files: list[tuple[str, FileInfo]] = []  # (content id or marker, file)

    def embed(self, daten, file: FileInfo) -> None:
        """Fill an ``allg:Daten`` element for *file*."""
        daten.set(q(XMIME, "contentType"), file.media_type)
        number = len(self.files) + 1
        if self.mtom:
            # Plain characters only, so the href needs no URL-encoding.
            cid = f"datei{number}.{self.token}@{CID_DOMAIN}"
            sub(daten, q(XOP, "Include"), href=f"cid:{cid}")
            self.files.append((cid, file))
        else:
            marker = f"BIPRO-DATEN-{self.token}-{number}"
            daten.text = marker
            self.files.append((marker, file))

    def reply(self, envelope: Envelope) -> Reply:
        return self._mtom(envelope) if self.mtom else self._inline(envelope)

    def _inline(self, envelope: Envelope) -> Reply:
        data = envelope.to_bytes()
        pieces: list[bytes] = []
        for marker, _file in self.files:
            before, data = data.split(marker.encode("ascii"), 1)
            pieces.append(before)
        pieces.append(data)
        length = sum(len(p) for p in pieces) + sum(_base64_length(f.size) for _m, f in self.files)

        def body() -> Iterator[bytes]:
            yield pieces[0]
            for (_marker, file), after in zip(self.files, pieces[1:]):
                yield from _base64_chunks(self._contents(file))
                yield after

        return Reply(_logged(body()), length=length)

    def _mtom(self, envelope: Envelope) -> Reply:
        boundary = f"MIMEBoundary_{self.token}"
        root = f"envelope.{self.token}@{CID_DOMAIN}"
        head = (f"--{boundary}\r\n"
                'Content-Type: application/xop+xml; charset=utf-8; type="text/xml"\r\n'
                f"Content-ID: <{root}>\r\n\r\n").encode("ascii")
        xml = envelope.to_bytes()
        # No Content-Transfer-Encoding on the parts: HTTP is 8-bit clean, and
        # some readers strip CR/LF from the ends of "binary" parts.
        part_heads = [(f"\r\n--{boundary}\r\nContent-Type: {file.media_type}\r\n"
                       f"Content-ID: <{cid}>\r\n\r\n").encode("ascii") for cid, file in self.files]
        tail = f"\r\n--{boundary}--\r\n".encode("ascii")
        length = (len(head) + len(xml) + len(tail) + sum(len(h) for h in part_heads)
                  + sum(f.size for _cid, f in self.files))

        def body() -> Iterator[bytes]:
            yield head + xml
            for part_head, (_cid, file) in zip(part_heads, self.files):
                yield part_head
                yield from self._contents(file)
            yield tail

        content_type = (f'multipart/related; type="application/xop+xml"; start="<{root}>"; '
                        f'start-info="text/xml"; boundary={boundary}')
        return Reply(_logged(body()), content_type=content_type, length=length)

    def _contents(self, file: FileInfo) -> Iterator[bytes]:
        return iter_file_contents(self.db.engine, file.document_id, file.size)


def _base64_length(size: int) -> int:
    return 4 * ((size + 2) // 3)


def _base64_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Encode a stream of byte chunks as one continuous base64 text."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = len(data) - len(data) % 3
        carry = data[cut:]
        for start in range(0, cut, BASE64_SLICE):
            yield base64.b64encode(data[start:min(cut, start + BASE64_SLICE)])
    if carry:
        yield base64.b64encode(carry)


def _logged(body: Iterator[bytes]) -> Iterator[bytes]:
    """Headers are sent already when a chunk fails: log it, the connection ends short."""
    try:
        yield from body
    except Exception:
        log.exception("streaming a shipment failed")
        raise

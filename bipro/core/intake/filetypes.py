"""Which files a broker can open safely, recognised by their first bytes, never by their name.

Only these are accepted: PDF, TIFF, PNG, JPEG, ZIP and GDV text. HTML, SVG
and anything else that a browser might run as a page are refused, whatever
the file is called or claims to be.
"""

from __future__ import annotations

from pathlib import Path

GDV_MEDIA_TYPE = "text/plain; charset=ISO-8859-1"
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"II*\x00", "image/tiff", ".tif"),
    (b"MM\x00*", "image/tiff", ".tif"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"PK\x03\x04", "application/zip", ".zip"),
    (b"PK\x05\x06", "application/zip", ".zip"),  # an empty archive
)
SNIFF_BYTES = 256  # one GDV record
ACCEPTED = "PDF, TIFF, PNG, JPEG, ZIP oder GDV-Text"


def media_type_of(path: Path) -> str | None:
    """The media type of a supported file, or None."""
    with Path(path).open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    for magic, media_type, _suffix in SIGNATURES:
        if head.startswith(magic):
            return media_type
    return GDV_MEDIA_TYPE if _looks_like_gdv(head) else None


def _looks_like_gdv(head: bytes) -> bool:
    """A GDV file opens with the Vorsatz (Satzart 0001) in fixed-width Latin-1 text, no markup."""
    if not head.startswith(b"0001") or len(head) < SNIFF_BYTES:
        return False
    return all(b >= 0x20 and b != 0x7F for b in head) and b"<" not in head

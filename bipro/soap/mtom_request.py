"""Requests that arrive as MTOM/XOP (multipart/related): the envelope and its parts.

Some clients send every call as MTOM once it is switched on for them. The
root part is the SOAP envelope (``application/xop+xml; type="text/xml"``);
each ``xop:Include`` in it is replaced by its part in base64 (XOP
processing), so the operations read such a request like any other.
"""

from __future__ import annotations

import base64
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from bipro.soap import faults
from bipro.soap.faults import BiproFault
from bipro.soap.namespaces import XOP, q

MULTIPART_RELATED = "multipart/related"
XOP_MEDIA_TYPE = "application/xop+xml"
MAX_PARTS = 32
MTOM_KEY = "bipro.mtom_request"  # WSGI environ: the request came as MTOM


class MtomRequest:
    """The envelope bytes and the other parts (by Content-ID, without <>) of one request."""

    def __init__(self, content_type: str, body: bytes) -> None:
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body)
        if not message.is_multipart():
            raise _refused("Die MTOM-Anfrage enthält keine Teile.")
        parts = list(message.iter_parts())
        if not parts or len(parts) > MAX_PARTS:
            raise _refused(f"Eine MTOM-Anfrage hat 1 bis {MAX_PARTS} Teile.")
        start = (message.get_param("start") or "").strip().strip("<>")
        root = next((p for p in parts if _content_id(p) == start), None) if start else parts[0]
        if root is None or root.get_content_type() != XOP_MEDIA_TYPE:
            raise _refused("Der erste Teil einer MTOM-Anfrage muss der Envelope (application/xop+xml) sein.")
        self.envelope: bytes = root.get_payload(decode=True) or b""
        self.parts = {_content_id(p): p.get_payload(decode=True) or b"" for p in parts if p is not root}

    def resolve_includes(self, tree) -> None:
        """Replace every xop:Include by the base64 text of the part it names."""
        for include in list(tree.iter(q(XOP, "Include"))):
            cid = (include.get("href") or "").removeprefix("cid:")
            if cid not in self.parts:
                raise _refused(f"Ein xop:Include verweist auf einen fehlenden Teil ({cid[:80]}).")
            parent = include.getparent()
            parent.remove(include)
            parent.text = base64.b64encode(self.parts[cid]).decode("ascii")


def is_mtom(media_type: str) -> bool:
    return media_type == MULTIPART_RELATED


def _content_id(part: Message) -> str:
    return (part.get("Content-ID") or "").strip().strip("<>")


def _refused(text: str) -> BiproFault:
    return BiproFault.of(faults.BODY_INVALID, text)

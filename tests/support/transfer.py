"""Helpers for the Transfer tests: schema checks, MTOM decoding, publishing test files."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from wsgiref.util import setup_testing_defaults

from lxml import etree
from requests_toolbelt.multipart.decoder import MultipartDecoder

from bipro.core.shipments import NewFile, publish_shipment
from bipro.soap.namespaces import NAC, SOAPENV, XOP, q
from bipro.soap.service import SCHEMA_DIR
from tests.support.callers import STAFF

TRANSFER_PATH = "/bipro/430_Transfer/Service_2.6.1.1.0"
_SCHEMAS: dict[str, etree.XMLSchema] = {}


def schema(name: str) -> etree.XMLSchema:
    if name not in _SCHEMAS:
        _SCHEMAS[name] = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))
    return _SCHEMAS[name]


def body_element(envelope: etree._Element) -> etree._Element:
    body = envelope.find(q(SOAPENV, "Body"))
    return next(c for c in body if isinstance(c.tag, str))


def assert_valid_body(envelope: etree._Element) -> None:
    """The body element validates against our transfer.xsd (faults: nachrichten.xsd)."""
    element = body_element(envelope)
    if element.tag == q(SOAPENV, "Fault"):
        element = element.find("detail").find(q(NAC, "BiproException"))
        checker = schema("nachrichten.xsd")
    else:
        checker = schema("transfer.xsd")
    document = etree.ElementTree(etree.fromstring(etree.tostring(element)))
    if not checker.validate(document):
        raise AssertionError(f"schema errors: {checker.error_log}")


@dataclass
class MtomAnswer:
    envelope_bytes: bytes  # the first part, as sent
    root_headers: dict[str, str]
    parts: dict[str, tuple[str, bytes]]  # Content-ID (without <>) -> (media type, bytes)

    def reconstructed(self) -> etree._Element:
        """The envelope with every xop:Include replaced by its part in base64 (XOP processing)."""
        tree = etree.fromstring(self.envelope_bytes)
        for include in list(tree.iter(q(XOP, "Include"))):
            cid = include.get("href")[len("cid:"):]
            parent = include.getparent()
            parent.remove(include)
            parent.text = base64.b64encode(self.parts[cid][1]).decode("ascii")
        return tree


def decode_mtom(content_type: str, body: bytes) -> MtomAnswer:
    decoder = MultipartDecoder(body, content_type)
    first, *rest = decoder.parts
    headers = {k.decode(): v.decode() for k, v in first.headers.items()}
    parts = {}
    for part in rest:
        part_headers = {k.decode().lower(): v.decode() for k, v in part.headers.items()}
        parts[part_headers["content-id"].strip("<>")] = (part_headers["content-type"], part.content)
    return MtomAnswer(first.content, headers, parts)


def publish_bytes(gateway, tmp_path: Path, broker_id: int, files: dict[str, bytes], *,
                  category: str = "100007000", days: int = 90,
                  now: dt.datetime | None = None) -> str:
    """Publish *files* (name -> bytes) as one shipment; returns its tran:ID."""
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(NewFile(path, document_type="Police", title=f"Test {name}"))
    with gateway.db.session() as session:
        return publish_shipment(session, broker_id, category, paths, available_days=days,
                                now=now, by=STAFF).public_id


def random_pdf(size: int) -> bytes:
    """PDF-looking bytes that end in CR LF, the case some MIME readers get wrong."""
    head = b"%PDF-1.4\n"
    return head + os.urandom(max(0, size - len(head) - 8)) + b"\n%%EOF\r\n"


def wsgi_post(app, path: str, body: bytes):
    """One in-process WSGI POST: (status and headers, the body iterator, not yet consumed)."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_TYPE": "text/xml; charset=utf-8",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "HTTP_SOAPACTION": '""'}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    return started, app(environ, start_response)

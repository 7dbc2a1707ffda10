"""The gate in front of every SOAP service: method, media type, size, hostile XML.

Everything that reaches Spyne has been parsed once here with the hardened
parser; Spyne reuses that tree (see ``service.GuardedSoap11``).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from lxml import etree

from bipro.config import DEFAULT_PUBLIC_URL
from bipro.soap import faults
from bipro.soap.envelope import fault_envelope
from bipro.soap.faults import BiproFault
from bipro.soap.mtom_request import MTOM_KEY, MtomRequest, is_mtom
from bipro.soap.namespaces import SOAP12ENV, SOAPENV, q
from bipro.soap.xmlutil import make_pull_parser, namespace

log = logging.getLogger("bipro.soap")

ENVELOPE_KEY = "bipro.envelope"
# The checked envelope's Header (or None) and the one message in its Body, as the guard found them.
PARTS_KEY = "bipro.envelope_parts"
# Limits of a request's shape, checked while it is parsed so a hostile one is
# dropped before its tree grows. BiPRO requests nest about a dozen levels and
# stay far below a few thousand elements (a quote for 50 products included).
MAX_DEPTH = 64
MAX_ELEMENTS = 20_000
MAX_ATTRIBUTES = 32  # per element
MAX_NAMESPACES_PER_ELEMENT = 32  # declarations on one element
MAX_NAMESPACES = 20_000  # declarations in the whole request (some clients repeat them everywhere)
MAX_NAME_LENGTH = 256  # local names of elements and attributes
FEED_BYTES = 64 * 1024
MAX_PARSER_MESSAGE = 200  # characters of libxml2's message quoted in the fault
SOAP11_ENVELOPE, SOAP12_ENVELOPE = q(SOAPENV, "Envelope"), q(SOAP12ENV, "Envelope")
SOAP11_BODY, SOAP11_HEADER = q(SOAPENV, "Body"), q(SOAPENV, "Header")


class SoapGuard:
    """WSGI middleware: serve the WSDL on GET ?wsdl, refuse what is not a SOAP 1.1 POST."""

    def __init__(self, app, *, wsdl_path: Path | None, max_request_bytes: int,
                 operations: dict[str, str], public_url=lambda: DEFAULT_PUBLIC_URL) -> None:
        self.app = app
        self.wsdl_path = wsdl_path
        self.public_url = public_url  # called per request: serve may set it after start
        self.max_request_bytes = max_request_bytes
        self.operations = operations  # local name -> namespace, to repair unqualified bodies

    def __call__(self, environ, start_response):
        return self._guarded(environ, _not_stored(start_response))

    def _guarded(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        query = environ.get("QUERY_STRING", "")
        if method in ("GET", "HEAD"):
            if query.lower() in ("wsdl", "wsdl=", "singlewsdl") and self.wsdl_path:
                return self._wsdl(environ, start_response)
            return _plain(start_response, "405 Method Not Allowed",
                          "Dieser BiPRO-Service erwartet SOAP 1.1 per POST (WSDL: ?wsdl).",
                          [("Allow", "POST")])
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed",
                          "Nur POST ist erlaubt.", [("Allow", "POST")])
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type == "application/soap+xml":
            return _fault(start_response, BiproFault(
                [faults.Meldung(faults.BODY_INVALID, "SOAP 1.2 wird nicht unterstützt; bitte SOAP 1.1 verwenden.")],
                faultcode="soapenv:VersionMismatch"))
        if content_type != "text/xml" and not is_mtom(content_type):
            return _plain(start_response, "415 Unsupported Media Type",
                          "Content-Type muss text/xml (SOAP 1.1) sein.")
        try:
            body = self._read_body(environ)
        except _TooLarge:
            return _plain(start_response, "413 Payload Too Large",
                          f"Die Anfrage ist größer als {self.max_request_bytes} Bytes.")
        try:
            mtom = MtomRequest(environ.get("CONTENT_TYPE", ""), body) if is_mtom(content_type) else None
            tree, parts = self._checked_envelope(mtom.envelope if mtom else body)
            if mtom:
                mtom.resolve_includes(tree)
        except BiproFault as fault:
            return _fault(start_response, fault)
        environ[ENVELOPE_KEY] = tree
        environ[PARTS_KEY] = parts
        environ[MTOM_KEY] = mtom is not None
        try:
            return self.app(environ, start_response)
        except Exception:
            # Spyne stumbled before any operation ran (our operations never raise):
            # still a BiPRO fault, never the server's bare 500 page.
            log.exception("SOAP request failed inside Spyne")
            return _fault(start_response, faults.fault_for(RuntimeError()), exc_info=sys.exc_info())

    def _read_body(self, environ) -> bytes:
        stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit():
            if int(length) > self.max_request_bytes:
                raise _TooLarge
            return stream.read(int(length))
        data = stream.read(self.max_request_bytes + 1)
        if len(data) > self.max_request_bytes:
            raise _TooLarge
        return data

    def _checked_envelope(self, body: bytes):
        if not body.strip():
            raise BiproFault.of(faults.BODY_INVALID, "Die Anfrage ist leer.")
        try:
            tree = _parse_bounded(body)
        except etree.XMLSyntaxError as exc:
            message = (exc.msg or "")[:MAX_PARSER_MESSAGE]
            raise BiproFault.of(faults.BODY_INVALID, f"Die Anfrage ist kein gültiges XML: {message}") from None
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise BiproFault.of(faults.BODY_INVALID, "DTDs und Entitäten sind nicht erlaubt.")
        root = tree.getroot()
        if root.tag == SOAP12_ENVELOPE:
            raise BiproFault([faults.Meldung(
                faults.BODY_INVALID, "SOAP 1.2 wird nicht unterstützt; bitte SOAP 1.1 verwenden.")],
                faultcode="soapenv:VersionMismatch")
        if root.tag != SOAP11_ENVELOPE:
            raise BiproFault.of(faults.BODY_INVALID, "Das Wurzelelement ist kein SOAP-1.1-Envelope.")
        parts = [c for c in root if isinstance(c.tag, str)]
        bodies = [c for c in parts if c.tag == SOAP11_BODY]
        if len(bodies) != 1:
            raise BiproFault.of(faults.BODY_INVALID, "Der Envelope muss genau einen Body enthalten.")
        headers = [c for c in parts if c.tag == SOAP11_HEADER]
        if len(headers) > 1 or (headers and parts.index(headers[0]) > parts.index(bodies[0])):
            raise BiproFault.of(faults.BODY_INVALID, "Der Envelope darf höchstens einen Header vor dem Body enthalten.")
        if any(namespace(c) in (SOAPENV, SOAP12ENV) for c in parts if c is not bodies[0] and c not in headers):
            raise BiproFault.of(faults.BODY_INVALID, "Der Envelope enthält ein unbekanntes SOAP-Element.")
        messages = [c for c in bodies[0] if isinstance(c.tag, str)]
        if len(messages) != 1:
            raise BiproFault.of(faults.BODY_INVALID, "Der Body muss genau eine Nachricht enthalten.")
        if _stray_text(root) or _stray_text(bodies[0]):
            raise BiproFault.of(faults.BODY_INVALID, "Envelope und Body dürfen nur Elemente enthalten, keinen Text.")
        message = messages[0]
        if namespace(message) in (SOAPENV, SOAP12ENV):
            raise BiproFault.of(faults.BODY_INVALID, "Der Body enthält ein SOAP-Element statt einer Nachricht.")
        if namespace(message) is None and message.tag in self.operations:
            # Some clients send the body element without any namespace.
            message.tag = q(self.operations[message.tag], message.tag)
        return tree, (headers[0] if headers else None, message)

    def _wsdl(self, environ, start_response):
        text = self.wsdl_path.read_text(encoding="utf-8")
        data = text.replace("http://localhost:8080", wsdl_base_url(environ, self.public_url())).encode("utf-8")
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(data)))])
        return [data]


def wsdl_base_url(environ, public_url: str) -> str:
    """The base of the WSDL's service addresses: the public URL, never the Host header.

    A Host header is whatever the client sent, and a WSDL may be cached and
    served to everyone. Only the scheme may follow the request, and only when
    the server set it from the trusted proxy's X-Forwarded-Proto (waitress and
    gunicorn both ignore that header from anyone else).
    """
    if environ.get("wsgi.url_scheme") == "https" and public_url.startswith("http://"):
        return "https://" + public_url[len("http://"):]
    return public_url


class _TooLarge(Exception):
    pass


def _parse_bounded(body: bytes):
    """Parse with the hardened parser, refusing a request as soon as it breaks a shape limit."""
    parser = make_pull_parser(("start", "end", "start-ns"))
    depth = elements = namespaces = on_element = 0
    for offset in range(0, len(body), FEED_BYTES):
        parser.feed(body[offset:offset + FEED_BYTES])
        for event, item in parser.read_events():
            if event == "start-ns":  # reported before the start of the element declaring it
                namespaces += 1
                on_element += 1
                if on_element > MAX_NAMESPACES_PER_ELEMENT or namespaces > MAX_NAMESPACES:
                    raise _refused("Die Anfrage deklariert zu viele Namensräume.")
            elif event == "start":
                on_element = 0
                depth += 1
                elements += 1
                if depth > MAX_DEPTH:
                    raise _refused("Die Anfrage ist zu tief verschachtelt.")
                if elements > MAX_ELEMENTS:
                    raise _refused("Die Anfrage enthält zu viele Elemente.")
                if len(item.attrib) > MAX_ATTRIBUTES:
                    raise _refused("Ein Element der Anfrage hat zu viele Attribute.")
                if any(len(_local_name(name)) > MAX_NAME_LENGTH for name in (item.tag, *item.attrib)):
                    raise _refused("Ein Element- oder Attributname der Anfrage ist zu lang.")
            else:
                depth -= 1
    return parser.close().getroottree()


def _refused(text: str) -> BiproFault:
    return BiproFault.of(faults.BODY_INVALID, text)


def _local_name(clark: str) -> str:
    return clark.rpartition("}")[2]


def _stray_text(element) -> bool:
    """Text (or CDATA) directly in *element* or between its children; whitespace is fine."""
    return bool((element.text or "").strip()) or any((c.tail or "").strip() for c in element)


def _not_stored(start_response):
    """start_response that adds ``Cache-Control: no-store``: answers carry personal data and tokens."""

    def start(status, headers, exc_info=None):
        if not any(name.lower() == "cache-control" for name, _value in headers):
            headers = [*headers, ("Cache-Control", "no-store")]
        return start_response(status, headers, exc_info)

    return start


def _plain(start_response, status: str, message: str, headers=()):
    data = message.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(data))), *headers])
    return [data]


def _fault(start_response, fault: BiproFault, exc_info=None):
    data = fault_envelope(fault).to_bytes()
    start_response(fault.http_status, [("Content-Type", "text/xml; charset=utf-8"),
                                       ("Content-Length", str(len(data)))], exc_info)
    return [data]


def serve_schema(schema_dir: Path):
    """WSGI app for ``/bipro/schemas/<name>.xsd``: our XSDs, so the WSDL imports resolve."""

    def app(environ, start_response):
        name = environ.get("PATH_INFO", "").rsplit("/", 1)[-1]
        path = schema_dir / name
        if not name.endswith(".xsd") or "/" in name or name.startswith(".") or not path.is_file():
            return _plain(start_response, "404 Not Found", "Schema nicht gefunden.")
        data = path.read_bytes()
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(data)))])
        return [data]

    return app

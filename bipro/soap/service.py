"""Spyne wiring shared by every BiPRO service.

An operation is a Spyne ``@rpc`` whose handler receives a ``SoapCall`` and
returns a ``Reply``. Spyne dispatches on the body element (never on the
SOAPAction) and runs the method; the response bytes are ours: built by
``envelope.py`` with the fixed prefixes and put on the wire in the
``wsgi_return`` event, so MTOM parts can stream. Every exception becomes a
BiPRO fault in ``run_operation``, the one place for that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass

from lxml import etree
from spyne import Application, rpc
from spyne import const as spyne_const
from spyne.model.primitive import AnyXml
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication
from sqlalchemy.exc import OperationalError

from bipro.core.caller import Caller
from bipro.core.errors import CoreError
from bipro.core.identity.bipro_access import require_service
from bipro.gateway import Gateway
from bipro.observability import context
from bipro.observability.identity import note_caller
from bipro.resources import schema_folder, wsdl_folder
from bipro.soap import faults
from bipro.soap.envelope import Envelope, fault_envelope
from bipro.soap.faults import BiproFault, fault_for
from bipro.soap.guard import ENVELOPE_KEY, PARTS_KEY, SoapGuard
from bipro.soap.mtom_request import MTOM_KEY
from bipro.soap.namespaces import BIPRO_VERSION
from bipro.soap.security import caller_from_header

# Spyne runs a full gc.collect() at the end of a call at most once a second,
# to close files nobody closed; it has closed the call's own files just before.
# In a gateway process (portal, SQLAlchemy, schemas: 160,000 objects) one
# collection takes 50-100 ms with the GIL held, stalling every other thread's
# call: under load the slowest calls were these. Python's own generational
# collector still runs.
spyne_const.MIN_GC_INTERVAL = float("inf")

log = logging.getLogger("bipro.soap")

WSDL_DIR = wsdl_folder()
SCHEMA_DIR = schema_folder()
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
CONTENT_LENGTH_KEY = "bipro.content_length"


@dataclass
class Reply:
    """What goes on the wire: bytes (or a stream of them), media type and HTTP status."""

    body: Iterable[bytes]
    content_type: str = XML_CONTENT_TYPE
    status: str = "200 OK"
    length: int | None = None

    @classmethod
    def of(cls, envelope: Envelope, status: str = "200 OK") -> "Reply":
        data = envelope.to_bytes()
        return cls([data], status=status, length=len(data))


class SoapCall:
    """Everything an operation handler may use.

    ``session`` is the call's one database session, opened at first use and
    committed (or rolled back) by ``run_operation`` when the handler returns:
    a secured call opens it for the token, an operation that never touches
    the database never opens one.
    """

    def __init__(self, gateway: Gateway, open_session: Callable[[], object], request: etree._Element,
                 envelope: etree._Element, caller: Caller | None, remote_addr: str,
                 headers: dict | None = None, *, arrived_as_mtom: bool = False) -> None:
        self.gateway = gateway
        self._open_session = open_session
        self._session = None
        self.request = request  # the body element, e.g. tran:listShipments
        self.envelope = envelope
        self.caller = caller
        self.remote_addr = remote_addr
        self.headers = headers or {}
        self.arrived_as_mtom = arrived_as_mtom  # the request itself was an MTOM (multipart/related) message

    @property
    def session(self):
        """The call's sqlalchemy.orm.Session, open until the call ends."""
        if self._session is None:
            self._session = self._open_session()
        return self._session

    @property
    def settings(self):
        return self.gateway.settings


Handler = Callable[[SoapCall], Reply]


def operation(name: str, *, secured: bool = True):
    """Declare a BiPRO operation of a ServiceBase class, by its body element name."""

    def decorate(handler: Handler):
        def method(ctx, payload):
            context.update(operation=name)
            run_operation(ctx, handler, secured)

        method.__name__ = name
        method.__doc__ = handler.__doc__
        return rpc(AnyXml, _returns=AnyXml, _body_style="bare", _in_message_name=name)(method)

    return decorate


def run_operation(ctx, handler: Handler, secured: bool) -> None:
    gateway: Gateway = ctx.app.gateway
    environ = ctx.transport.req_env
    remote = environ.get("REMOTE_ADDR", "")
    envelope = environ[ENVELOPE_KEY].getroot()
    version = ctx.app.bipro_version
    try:
        with ExitStack() as stack:
            call = SoapCall(gateway, lambda: stack.enter_context(gateway.db.session()), ctx.in_body_doc,
                            envelope, None, remote,
                            {k: v for k, v in environ.items() if k.startswith("HTTP_")},
                            arrived_as_mtom=environ.get(MTOM_KEY, False))
            if secured:
                call.caller = caller_from_header(call.session, envelope, remote)
                note_caller(call.session, call.caller)
                if ctx.app.bipro_norm:
                    require_service(call.caller, ctx.app.bipro_norm)
            reply = handler(call)
    except BiproFault as fault:
        reply = Reply.of(fault_envelope(fault, version=version), fault.http_status)
    except CoreError as exc:
        fault = fault_for(exc)
        reply = Reply.of(fault_envelope(fault, version=version), fault.http_status)
    except OperationalError:
        log.exception("database unavailable")
        fault = BiproFault.of(faults.TEMPORARY_FAULT, "Der Dienst ist vorübergehend nicht verfügbar.",
                              client_error=False)
        reply = Reply.of(fault_envelope(fault, version=version), fault.http_status)
    except Exception:
        log.exception("unexpected error in %s", handler.__name__)
        fault = fault_for(RuntimeError())
        reply = Reply.of(fault_envelope(fault, version=version), fault.http_status)
    ctx.udc = reply
    # The answer's bytes are ours (``_on_return``): with out_string set, Spyne
    # skips serialising a response document nobody would send.
    ctx.out_string = reply.body


class GuardedSoap11(Soap11):
    """Soap11 that takes what the guard parsed and checked instead of parsing and searching again.

    The guard has refused every envelope that is not SOAP 1.1 with at most
    one Header before exactly one Body holding exactly one message, so the
    message is known; the handler reads it as ``SoapCall.request``, never
    as a Spyne object.
    """

    def create_in_document(self, ctx, charset=None):
        ctx.in_document = (ctx.transport.req_env[ENVELOPE_KEY].getroot(), {})

    def decompose_incoming_envelope(self, ctx, message=Soap11.REQUEST):
        header, body_message = ctx.transport.req_env[PARTS_KEY]
        ctx.in_document = ctx.in_document[0]
        ctx.in_header_doc = None if header is None else list(header)
        ctx.in_body_doc = body_message
        ctx.method_request_string = body_message.tag

    def deserialize(self, ctx, message):
        ctx.in_header = None
        ctx.in_object = [ctx.in_body_doc]


def _on_return(ctx) -> None:
    reply: Reply | None = ctx.udc
    if reply is None:  # cannot happen for our operations; fail closed
        reply = Reply.of(fault_envelope(fault_for(RuntimeError())), "500 Internal Server Error")
    ctx.out_string = reply.body
    ctx.transport.resp_code = reply.status
    headers = ctx.transport.resp_headers
    headers["Content-Type"] = reply.content_type
    headers.pop("Content-Length", None)
    if reply.length is not None:
        headers["Content-Length"] = str(reply.length)
        # Spyne drops Content-Length for an iterable it cannot measure
        # (a streamed body); _KeepContentLength puts it back.
        ctx.transport.req_env[CONTENT_LENGTH_KEY] = str(reply.length)


def _on_spyne_error(ctx) -> None:
    """Errors Spyne found before our code ran (unknown operation and the like)."""
    error = ctx.in_error or ctx.out_error
    text = getattr(error, "faultstring", "") or str(error)
    if "not found" in text.lower() or "ResourceNotFound" in type(error).__name__:
        fault = BiproFault.of(faults.NOT_IMPLEMENTED, "Diese Operation wird von diesem Service nicht angeboten.")
    else:
        log.info("request refused by Spyne: %s", text)
        fault = BiproFault.of(faults.BODY_INVALID, "Der Inhalt der Anfrage ist ungültig.")
    data = fault_envelope(fault, version=ctx.app.bipro_version).to_bytes()
    ctx.out_string = [data]
    ctx.transport.resp_code = fault.http_status
    ctx.transport.resp_headers["Content-Type"] = XML_CONTENT_TYPE
    ctx.transport.resp_headers["Content-Length"] = str(len(data))


def build_service(gateway: Gateway, service_class, *, namespace: str, wsdl_name: str | None,
                  version: str = BIPRO_VERSION, norm: str = ""):
    """The WSGI application of one BiPRO service: guard, then Spyne.

    *norm* ("430", "501", ...) is what a BiPRO-Zugang's scope is checked against.
    """
    app = Application([service_class], tns=namespace, name=service_class.__name__,
                      in_protocol=GuardedSoap11(validator=None), out_protocol=Soap11())
    app.gateway = gateway
    app.bipro_version = version
    app.bipro_norm = norm
    wsgi = WsgiApplication(app, chunked=True)
    wsgi.event_manager.add_listener("wsgi_return", _on_return)
    wsgi.event_manager.add_listener("wsgi_exception", _on_spyne_error)
    operations = {
        method.name: namespace for method in service_class.public_methods.values()
    }
    return SoapGuard(_KeepContentLength(wsgi), wsdl_path=WSDL_DIR / wsdl_name if wsdl_name else None,
                     max_request_bytes=gateway.settings.max_request_bytes, operations=operations,
                     public_url=lambda: gateway.settings.public_url)


class _KeepContentLength:
    """Send the length a streamed Reply announced, so clients see how much is coming."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            length = environ.get(CONTENT_LENGTH_KEY)
            if length is not None and not any(k.lower() == "content-length" for k, _v in headers):
                headers = [*headers, ("Content-Length", length)]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)



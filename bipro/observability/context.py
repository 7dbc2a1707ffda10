"""What is known about the request being answered, for its log lines and metrics.

One ``RequestContext`` per request lives in a context variable: the WSGI
boundary opens it, the adapters fill in what only they know (service,
operation, login, Vermittlernummer, Meldung), and every log line written
while it is open carries its request id.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass

PORTAL, SOAP, INTAKE = "portal", "soap", "intake"


@dataclass
class RequestContext:
    request_id: str
    door: str = ""  # "soap" or "portal"; empty for health checks, schemas, /metrics
    service: str = ""  # "430_Transfer", a portal blueprint
    operation: str = ""  # "getShipment", a portal endpoint
    prozess_id: str = ""  # SOAP calls only: the nac:ProzessID of the answer
    login: str = ""
    broker_number: str = ""  # Vermittlernummer
    meldung: str = ""  # the first MeldungID of a SOAP answer
    fault: bool = False  # the SOAP answer was a fault
    from_proxy: bool = False  # the request id is the trusted proxy's X-Request-ID


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "bipro_request", default=None)


def new_id() -> str:
    """A request id made here: 32 hex digits, the shape of a ProzessID."""
    return uuid.uuid4().hex


def begin(request_id: str) -> RequestContext:
    context = RequestContext(request_id=request_id)
    _current.set(context)
    return context


def end() -> None:
    _current.set(None)


def current() -> RequestContext | None:
    return _current.get()


def update(**values) -> None:
    """Set fields of the open request's context; nothing happens outside a request."""
    context = _current.get()
    if context is None:
        return
    for name, value in values.items():
        setattr(context, name, value)


def note_meldung(code: str, *, fault: bool = False) -> None:
    """The first Meldung of the SOAP answer being built (a fault's wins)."""
    current = _current.get()
    if current is not None and (fault or not current.fault):
        current.meldung, current.fault = code, fault or current.fault


def prozess_id() -> str:
    """The ProzessID for a SOAP answer: the call's own when one is open, else a new one."""
    context = _current.get()
    if context is None:
        return new_id()
    if not context.prozess_id:
        context.prozess_id = new_id()
    return context.prozess_id

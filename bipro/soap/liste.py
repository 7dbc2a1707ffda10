"""Norm 480: search lists in plain W3C WS-Enumeration (Enumerate, Pull, Release).

The frame holds only elements of the W3C schema in their places; BiPRO's
own parts (nac:BiPROVersion, nac:Status, the filter fields, the first page
of hits) travel as the extension elements that schema admits, each hit as
a liste:Ergebniseintrag with the Partner or Vertrag inside (see
schemas/liste.xsd). Fields are read by local name in any namespace, so the
older form with a Request element and MaxItems keeps working.
"""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core.portfolio.records import ContractData
from bipro.core.search import enumeration
from bipro.core.search.hits import search_page
from bipro.soap import faults
from bipro.soap.dialects import DIALECT_FIELDS, PARTNER_DIALECT, search_query
from bipro.soap.envelope import Envelope, status, sub
from bipro.soap.faults import INFO_PROVIDED, NOTE, BiproFault, Meldung
from bipro.soap.namespaces import ENU, LISTE, q
from bipro.soap.requests import field, request_part
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.shapes import add_contract, add_partner
from bipro.soap.xmlutil import child, descendant, local

PATH = "/bipro/480_Liste/Service_2.6.1.1.0"
WSDL = "480_Liste_Service.wsdl"
PREFIX = "wsen"  # declared on the envelope of every search answer
NSMAP = {PREFIX: ENU, "liste": LISTE}
PAGE_SIZE_NAMES = ("MaxElements", "MaxItems")  # the W3C name, and the one older requests send


class ListeService(ServiceBase):
    """Customer and contract searches of the caller's broker, paged with a context."""

    @operation("Enumerate")
    def enumerate(call: SoapCall) -> Reply:
        request = request_part(call.request)
        query = _query(request)
        given = _page_size(request)
        limit = enumeration.max_items(given)
        envelope = Envelope(NSMAP)
        answer = sub(envelope.body, q(ENU, "EnumerateResponse"))
        if given is None and not _older_form(call.request):
            # A plain WS-Enumeration client reads hits from Pull only; give it all of them there.
            context = enumeration.open_context(call.session, call.caller, call.settings.enumeration_minutes,
                                               query, limit)
            sub(answer, q(ENU, "EnumerationContext"), context)
            status(answer, [Meldung(INFO_PROVIDED, "Die Suche ist angelegt; die Treffer kommen mit Pull.",
                                    NOTE)])
            return Reply.of(envelope)
        page = enumeration.start(call.session, call.caller, call.settings.enumeration_minutes, query, limit,
                                 search_page)
        # The W3C schema requires a context here; an empty one says there is nothing to pull.
        sub(answer, q(ENU, "EnumerationContext"), page.context or "")
        status(answer, [_page_meldung(page)])
        _entries(sub(answer, q(LISTE, "Items")), page.items)
        if page.end_of_sequence:
            sub(answer, q(LISTE, "EndOfSequence"))
        return Reply.of(envelope)

    @operation("Pull")
    def pull(call: SoapCall) -> Reply:
        request = request_part(call.request)
        given = _page_size(request)
        limit = enumeration.max_items(given) if given is not None else None
        page = enumeration.pull(call.session, call.caller, call.settings.enumeration_minutes, _context(request),
                                limit, search_page)
        envelope = Envelope(NSMAP)
        answer = sub(envelope.body, q(ENU, "PullResponse"))
        if page.context:
            sub(answer, q(ENU, "EnumerationContext"), page.context)
        if page.items:  # the W3C Items holds at least one item
            _entries(sub(answer, q(ENU, "Items")), page.items)
        if page.end_of_sequence:
            sub(answer, q(ENU, "EndOfSequence"))
        status(answer, [_page_meldung(page)])
        return Reply.of(envelope)

    @operation("Release")
    def release(call: SoapCall) -> Reply:
        enumeration.release(call.session, call.caller, _context(request_part(call.request)))
        envelope = Envelope(NSMAP)
        answer = sub(envelope.body, q(ENU, "ReleaseResponse"))
        status(answer, [Meldung(INFO_PROVIDED, "Die Suche wurde beendet.", NOTE)])
        return Reply.of(envelope)


def _older_form(operation_element) -> bool:
    """Requests as the gateway took them before the plain W3C frame: they expect the first page."""
    return any(node is not None for node in (child(operation_element, "Request"),
                                             descendant(operation_element, "NewContext")))


def _page_size(request) -> str | None:
    for name in PAGE_SIZE_NAMES:
        node = child(request, name)
        if node is not None:
            return (node.text or "").strip()
    return None


def _entries(parent, hits) -> None:
    """One liste:Ergebniseintrag per hit, the Partner or Vertrag inside."""
    for hit in hits:
        entry = sub(parent, q(LISTE, "Ergebniseintrag"))
        if isinstance(hit, ContractData):
            add_contract(entry, hit)
        else:
            add_partner(entry, hit)


def _page_meldung(page: enumeration.Page) -> Meldung:
    text = f"{len(page.items)} Treffer geliefert." if page.items else "Keine Treffer."
    return Meldung(INFO_PROVIDED, text, NOTE)


def _query(request) -> dict:
    node = child(request, "Filter")
    if node is None:
        node = descendant(request, "Filter")
    if node is None or not node.get("Dialect"):
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Enumerate braucht einen Filter mit Dialect "
                            f"({PARTNER_DIALECT} oder .../kontext/vertrag).",
                            quelle="wsen:Filter")
    dialect = node.get("Dialect").strip().rstrip("/")
    if dialect not in DIALECT_FIELDS:
        raise BiproFault.of(faults.INCOMPLETE_DATA, f"Der Filter-Dialect {dialect} wird nicht unterstützt.",
                            quelle="wsen:Filter/@Dialect")
    values = {}
    for element in node:
        if not isinstance(element.tag, str):
            continue
        name = local(element)
        if name not in DIALECT_FIELDS[dialect]:
            allowed = ", ".join(DIALECT_FIELDS[dialect])
            raise BiproFault.of(faults.INCOMPLETE_DATA, f"Das Filterfeld {name} gibt es in diesem Dialect "
                                f"nicht (erlaubt: {allowed}).", quelle=f"wsen:Filter/{name}")
        value = (element.text or "").strip()
        if value:
            values[name] = value
    return search_query(dialect, values)


def _context(request) -> str:
    value = field(request, "EnumerationContext")
    if not value:
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Der EnumerationContext fehlt.",
                            quelle="wsen:EnumerationContext")
    return value

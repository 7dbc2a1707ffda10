"""Norm 480: search lists in WS-Enumeration form (Enumerate, Pull, Release).

Filters are read by local name in any namespace; the hits come as
part:Partner or vert:Vertrag, page by page, from the core's paged search.
"""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core import enumeration
from bipro.core.portfolio import ContractData
from bipro.core.search_pages import DIALECT_FIELDS, search_page, search_query
from bipro.soap import faults
from bipro.soap.envelope import operation_response, sub
from bipro.soap.faults import INFO_PROVIDED, NOTE, BiproFault, Meldung
from bipro.soap.namespaces import ENU, q
from bipro.soap.requests import field, request_part
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.shapes import add_contract, add_partner
from bipro.soap.xmlutil import child, descendant, local

PATH = "/bipro/480_Liste/Service_2.6.1.1.0"
WSDL = "480_Liste_Service.wsdl"
PREFIX = "wsen"  # declared on the envelope of every search answer


class ListeService(ServiceBase):
    """Customer and contract searches of the caller's broker, paged with a context."""

    @operation("Enumerate")
    def enumerate(call: SoapCall) -> Reply:
        request = request_part(call.request)
        query = _query(request)
        limit = enumeration.max_items(field(request, "MaxItems"))
        page = enumeration.start(call.session, call.caller, call.settings, query, limit, search_page)
        return _page_reply("Enumerate", page)

    @operation("Pull")
    def pull(call: SoapCall) -> Reply:
        request = request_part(call.request)
        given = field(request, "MaxItems")
        limit = enumeration.max_items(given) if given else None
        page = enumeration.pull(call.session, call.caller, call.settings, _context(request), limit, search_page)
        return _page_reply("Pull", page)

    @operation("Release")
    def release(call: SoapCall) -> Reply:
        enumeration.release(call.session, call.caller, _context(request_part(call.request)))
        envelope, _ = operation_response(q(ENU, "Release"), [Meldung(INFO_PROVIDED, "Die Suche wurde beendet.",
                                                                     NOTE)], extra_nsmap={PREFIX: ENU})
        return Reply.of(envelope)


def _query(request) -> dict:
    node = child(request, "Filter")
    if node is None:
        node = descendant(request, "Filter")
    if node is None or not node.get("Dialect"):
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Enumerate braucht einen Filter mit Dialect "
                            "(http://www.bipro.net/namespace/kontext/partner oder .../kontext/vertrag).",
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


def _page_reply(operation_name: str, page: enumeration.Page) -> Reply:
    text = f"{len(page.items)} Treffer geliefert." if page.items else "Keine Treffer."
    envelope, response = operation_response(q(ENU, operation_name), [Meldung(INFO_PROVIDED, text, NOTE)],
                                            extra_nsmap={PREFIX: ENU})
    if page.context:
        sub(response, q(ENU, "EnumerationContext"), page.context)
    items = sub(response, q(ENU, "Items"))
    for hit in page.items:
        if isinstance(hit, ContractData):
            add_contract(items, hit)
        else:
            add_partner(items, hit)
    if page.end_of_sequence:
        sub(response, q(ENU, "EndOfSequence"))
    return Reply.of(envelope)

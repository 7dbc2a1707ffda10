"""Norm 440: Extranet links, deep links into the portal's customer and contract views."""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core.search.portal_links import CustomerSearch, portal_links
from bipro.soap.envelope import operation_response, sub
from bipro.soap.faults import INFO_PROVIDED, NOTE, WARNING, Meldung
from bipro.soap.namespaces import EXT, q
from bipro.soap.requests import field, request_part
from bipro.soap.service import Reply, SoapCall, operation

PATH = "/bipro/440_Extranet/Service_1.0.1.0"  # the message itself carries the five-part version
WSDL = "440_Extranet_Service.wsdl"
PREFIX = "ext"  # declared on the envelope of every Extranet answer


class ExtranetService(ServiceBase):
    """Links a broker program opens in the browser, after the broker's portal login."""

    @operation("getLinks")
    def get_links(call: SoapCall) -> Reply:
        request = request_part(call.request)
        search = CustomerSearch(
            partner_number=field(request, "Partnernummer") or "",
            last_name=field(request, "Name") or "",
            first_name=field(request, "Vorname") or "",
            street=field(request, "Strasse") or "",
            postcode=field(request, "Postleitzahl") or "",
            town=field(request, "Ort") or "",
        )
        result = portal_links(call.session, call.caller, call.settings.public_url, customer=search,
                              policy_number=field(request, "Versicherungsscheinnummer") or "")
        meldungen = [Meldung(INFO_PROVIDED, f"{len(result.links)} Verweis(e) in das Extranet.", NOTE)]
        if result.truncated:
            meldungen.append(Meldung(INFO_PROVIDED, "Es passen weitere Kunden; bitte die Suche eingrenzen.",
                                     WARNING))
        envelope, response = operation_response(q(EXT, "getLinks"), meldungen, extra_nsmap={PREFIX: EXT})
        links = sub(response, q(EXT, "Links"))
        for link in result.links:
            node = sub(links, q(EXT, "Link"))
            sub(node, q(EXT, "URL"), link.url)
            sub(node, q(EXT, "ZielID"), link.target)
            sub(node, q(EXT, "Beschreibung"), link.description)
        return Reply.of(envelope)

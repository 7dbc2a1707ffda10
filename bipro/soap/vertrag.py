"""Norm 502: Vertrag getData, one contract of the caller's broker by Versicherungsscheinnummer."""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core.portfolio.records import get_contract
from bipro.soap.envelope import operation_response
from bipro.soap.faults import INFO_PROVIDED, NOTE, Meldung
from bipro.soap.namespaces import VERT, q
from bipro.soap.requests import request_part, required_field
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.shapes import add_contract

PATH = "/bipro/502_Vertrag/Service_2.6.1.1.0"
WSDL = "502_Vertrag_Service.wsdl"


class VertragService(ServiceBase):
    """Contract information for broker programs."""

    @operation("getData")
    def get_data(call: SoapCall) -> Reply:
        number = required_field(request_part(call.request), "Versicherungsscheinnummer",
                                "allg:Versicherungsscheinnummer")
        contract = get_contract(call.session, call.caller, number)  # NotFound -> fault 01101
        envelope, response = operation_response(
            q(VERT, "getData"), [Meldung(INFO_PROVIDED, "Die Vertragsdaten wurden geliefert.", NOTE)])
        add_contract(response, contract)
        return Reply.of(envelope)

"""Norm 501: Partner getData, one customer of the caller's broker by Partnernummer."""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core.portfolio.records import get_customer
from bipro.soap.envelope import operation_response
from bipro.soap.faults import INFO_PROVIDED, NOTE, Meldung
from bipro.soap.namespaces import PART, q
from bipro.soap.requests import request_part, required_field
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.shapes import add_partner

PATH = "/bipro/501_Partner/Service_2.6.1.1.0"
WSDL = "501_Partner_Service.wsdl"


class PartnerService(ServiceBase):
    """Partner information for broker programs."""

    @operation("getData")
    def get_data(call: SoapCall) -> Reply:
        number = required_field(request_part(call.request), "Partnernummer", "part:Partnernummer")
        customer = get_customer(call.session, call.caller, number)  # NotFound -> fault 01101
        envelope, response = operation_response(
            q(PART, "getData"), [Meldung(INFO_PROVIDED, "Die Partnerdaten wurden geliefert.", NOTE)])
        add_partner(response, customer)
        return Reply.of(envelope)

"""Every BiPRO service of the gateway, by its endpoint path."""

from __future__ import annotations

from bipro.core.gateway import Gateway
from bipro.soap import sts, taa, transfer
from bipro.soap.guard import serve_schema
from bipro.soap.namespaces import TAA, TRAN, WST
from bipro.soap.service import SCHEMA_DIR, build_service

SCHEMA_PREFIX = "/bipro/schemas/"


def soap_applications(gateway: Gateway) -> dict:
    """Map each endpoint path to its WSGI application."""
    return {
        sts.PATH: build_service(gateway, sts.SecurityTokenService, namespace=WST,
                                wsdl_name="410_STS_UserPasswordLogin.wsdl"),
        taa.PATH: build_service(gateway, taa.TariffQuoteService, namespace=TAA,
                                wsdl_name="420_TAA_Service.wsdl"),
        transfer.PATH: build_service(gateway, transfer.TransferService, namespace=TRAN,
                                     wsdl_name=transfer.WSDL_NAME),
    }


def schema_application():
    return serve_schema(SCHEMA_DIR)

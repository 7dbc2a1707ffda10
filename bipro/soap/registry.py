"""Every BiPRO service of the gateway, by its endpoint path."""

from __future__ import annotations

from bipro.core.gateway import Gateway
from bipro.soap import extranet, liste, partner, sts, taa, transfer, vertrag
from bipro.soap.guard import serve_schema
from bipro.soap.namespaces import ENU, EXT, PART, TAA, TRAN, VERT, WST
from bipro.soap.service import SCHEMA_DIR, build_service

SCHEMA_PREFIX = "/bipro/schemas/"


def soap_applications(gateway: Gateway) -> dict:
    """Map each endpoint path to its WSGI application."""
    return {
        sts.PATH: build_service(gateway, sts.SecurityTokenService, namespace=WST,
                                wsdl_name="410_STS_UserPasswordLogin.wsdl"),
        transfer.PATH: build_service(gateway, transfer.TransferService, namespace=TRAN,
                                     wsdl_name=transfer.WSDL_NAME),
        partner.PATH: build_service(gateway, partner.PartnerService, namespace=PART,
                                    wsdl_name=partner.WSDL),
        vertrag.PATH: build_service(gateway, vertrag.VertragService, namespace=VERT,
                                    wsdl_name=vertrag.WSDL),
        liste.PATH: build_service(gateway, liste.ListeService, namespace=ENU, wsdl_name=liste.WSDL),
        taa.PATH: build_service(gateway, taa.TariffQuoteService, namespace=TAA,
                                wsdl_name="420_TAA_Service.wsdl"),
        extranet.PATH: build_service(gateway, extranet.ExtranetService, namespace=EXT,
                                     wsdl_name=extranet.WSDL),
    }


def schema_application():
    return serve_schema(SCHEMA_DIR)

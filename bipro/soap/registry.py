"""Every BiPRO service of the gateway, by its endpoint path."""

from __future__ import annotations

from bipro.gateway import Gateway
from bipro.soap import extranet, liste, partner, sts, taa, transfer, vertrag
from bipro.soap.guard import serve_schema
from bipro.soap.namespaces import ENU, EXT, PART, TAA, TRAN, VERT, WST
from bipro.soap.service import SCHEMA_DIR, build_service

SCHEMA_PREFIX = "/bipro/schemas/"


def norm_of(path: str) -> str:
    """The BiPRO norm of an endpoint path: "/bipro/430_Transfer/..." -> "430"."""
    return path.split("/")[2].split("_")[0]


def soap_applications(gateway: Gateway) -> dict:
    """Map each endpoint path to its WSGI application."""
    services = [
        (sts.PATH, sts.SecurityTokenService, WST, "410_STS_UserPasswordLogin.wsdl"),
        (transfer.PATH, transfer.TransferService, TRAN, transfer.WSDL_NAME),
        (partner.PATH, partner.PartnerService, PART, partner.WSDL),
        (vertrag.PATH, vertrag.VertragService, VERT, vertrag.WSDL),
        (liste.PATH, liste.ListeService, ENU, liste.WSDL),
        (taa.PATH, taa.TariffQuoteService, TAA, "420_TAA_Service.wsdl"),
        (extranet.PATH, extranet.ExtranetService, EXT, extranet.WSDL),
    ]
    return {path: build_service(gateway, service, namespace=namespace, wsdl_name=wsdl, norm=norm_of(path))
            for path, service, namespace, wsdl in services}


def schema_application():
    return serve_schema(SCHEMA_DIR)

"""zeep clients for the gateway: the STS login and a wsse plugin carrying the SCT."""

from __future__ import annotations

import requests
from lxml import etree
from zeep import Client, Settings
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, SOAPENV, TOKEN_TYPE_SCT, WSC, WSSE, q

STS_PATH = "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0"


class SecurityContextToken:
    """zeep wsse plugin: ``wsse:Security/wsc:SecurityContextToken/wsc:Identifier``."""

    def __init__(self, identifier: str) -> None:
        self.identifier = identifier

    def apply(self, envelope, headers):
        header = envelope.find(q(SOAPENV, "Header"))
        if header is None:
            header = etree.Element(q(SOAPENV, "Header"))
            envelope.insert(0, header)
        security = etree.SubElement(header, q(WSSE, "Security"), nsmap={"wsse": WSSE})
        token = etree.SubElement(security, q(WSC, "SecurityContextToken"), nsmap={"wsc": WSC})
        etree.SubElement(token, q(WSC, "Identifier")).text = self.identifier
        return envelope, headers

    def verify(self, envelope):
        return envelope


def _transport() -> Transport:
    session = requests.Session()
    return Transport(session=session, timeout=30, operation_timeout=60)


def sts_client(base_url: str, login: str, password: str) -> Client:
    return Client(f"{base_url}{STS_PATH}?wsdl", wsse=UsernameToken(login, password),
                  transport=_transport())


def request_token(base_url: str, login: str = "demo", password: str = "demo-passwort") -> str:
    """Log in at the STS and return the SCT identifier."""
    response = sts_client(base_url, login, password).service.RequestSecurityToken(
        TokenType=TOKEN_TYPE_SCT, RequestType=REQUEST_TYPE_ISSUE)
    return response.RequestedSecurityToken.SecurityContextToken.Identifier


def service_client(base_url: str, path: str, token: str | None, *, raw: bool = False) -> Client:
    """A zeep client for a secured service, sending *token* with every call."""
    settings = Settings(strict=True, raw_response=raw, xml_huge_tree=False)
    return Client(f"{base_url}{path}?wsdl", wsse=SecurityContextToken(token) if token else None,
                  transport=_transport(), settings=settings)

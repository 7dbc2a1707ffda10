"""Raw SOAP over HTTP for dialect and fault tests, with namespace-aware answers."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from lxml import etree

from bipro.soap.namespaces import NAC, SOAPENV

NS = {"soapenv": SOAPENV, "nac": NAC}


@dataclass
class SoapAnswer:
    status: int
    content_type: str
    body: bytes

    @property
    def tree(self):
        return etree.fromstring(self.body)

    @property
    def is_fault(self) -> bool:
        return self.status == 500 and self.tree.find(".//soapenv:Fault", NS) is not None

    @property
    def meldung_ids(self) -> list[str]:
        return [e.text for e in self.tree.iterfind(".//nac:Meldung/nac:MeldungID", NS)]

    @property
    def status_id(self) -> str | None:
        node = self.tree.find(".//nac:Status/nac:StatusID", NS)
        return node.text if node is not None else None


def post(url: str, body: bytes | str, *, soap_action: str | None = '""',
         content_type: str = "text/xml; charset=utf-8", timeout: float = 30) -> SoapAnswer:
    headers = {"Content-Type": content_type}
    if soap_action is not None:
        headers["SOAPAction"] = soap_action
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = requests.post(url, data=data, headers=headers, timeout=timeout)
    return SoapAnswer(response.status_code, response.headers.get("Content-Type", ""), response.content)


def envelope(body: str, header: str = "", *, prefix: str = "soapenv", extra_ns: str = "") -> str:
    head = f"<{prefix}:Header>{header}</{prefix}:Header>" if header is not None else ""
    return (f'<{prefix}:Envelope xmlns:{prefix}="{SOAPENV}" {extra_ns}>{head}'
            f"<{prefix}:Body>{body}</{prefix}:Body></{prefix}:Envelope>")


def sct_header(identifier: str) -> str:
    return ('<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
            '<wsc:SecurityContextToken xmlns:wsc="http://schemas.xmlsoap.org/ws/2005/02/sc">'
            f"<wsc:Identifier>{identifier}</wsc:Identifier></wsc:SecurityContextToken></wsse:Security>")


def username_token_header(login: str, password: str) -> str:
    return ('<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
            f"<wsse:UsernameToken><wsse:Username>{login}</wsse:Username>"
            f"<wsse:Password>{password}</wsse:Password></wsse:UsernameToken></wsse:Security>")


def sts_login(base_url: str, login: str, password: str) -> SoapAnswer:
    """A raw STS login (RequestSecurityToken with a UsernameToken)."""
    from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, TOKEN_TYPE_SCT, WST

    body = (f'<wst:RequestSecurityToken xmlns:wst="{WST}"><wst:TokenType>{TOKEN_TYPE_SCT}</wst:TokenType>'
            f"<wst:RequestType>{REQUEST_TYPE_ISSUE}</wst:RequestType></wst:RequestSecurityToken>")
    return post(base_url + "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0",
                envelope(body, username_token_header(login, password)))

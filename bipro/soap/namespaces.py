"""Namespaces and the fixed response prefixes broker programs rely on.

Several broker programs read responses with regular expressions on
prefixes, so every response declares exactly these prefixes, once, on the
envelope. Requests are parsed by namespace, never by prefix.
"""

SOAPENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WST = "http://schemas.xmlsoap.org/ws/2005/02/trust"
WSC = "http://schemas.xmlsoap.org/ws/2005/02/sc"
NAC = "http://www.bipro.net/namespace/nachrichten"
ALLG = "http://www.bipro.net/namespace/allgemein"
DAT = "http://www.bipro.net/namespace/datentypen"
TRAN = "http://www.bipro.net/namespace/transfer"
GEVO = "http://www.bipro.net/namespace/gevo"
PART = "http://www.bipro.net/namespace/partner"
VERT = "http://www.bipro.net/namespace/vertrag"
TAA = "http://www.bipro.net/namespace/versicherung/tarifierung"
PM = "http://www.bipro.net/namespace/produktmodell"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XOP = "http://www.w3.org/2004/08/xop/include"
XMIME = "http://www.w3.org/2005/05/xmlmime"
# Our own choices where the public facts name no namespace (see schemas/).
EXT = "http://www.bipro.net/namespace/extranet"
ENU = "http://www.w3.org/2011/03/ws-enu"
LISTE = "http://www.bipro.net/namespace/liste"

RESPONSE_NSMAP = {
    "soapenv": SOAPENV, "wst": WST, "wsc": WSC, "wsu": WSU, "wsse": WSSE, "nac": NAC,
    "allg": ALLG, "tran": TRAN, "gevo": GEVO, "dat": DAT, "part": PART, "vert": VERT,
    "taa": TAA, "xop": XOP, "xmime": XMIME,
    # The official prefix of datentypen beside our "dat": xsi:type values name it (dt:STE_BeitragBasis).
    "pm": PM, "dt": DAT, "xsi": XSI,
}

# WS-Trust values the STS accepts.
TOKEN_TYPE_SCT = "http://schemas.xmlsoap.org/ws/2005/02/sc/sct"
REQUEST_TYPE_ISSUE = "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue"
PASSWORD_TEXT_SUFFIX = "#PasswordText"
PASSWORD_DIGEST_SUFFIX = "#PasswordDigest"

BIPRO_VERSION = "2.6.1.1.0"


def q(namespace: str, local: str) -> str:
    """Clark notation ``{namespace}local`` as lxml uses it."""
    return f"{{{namespace}}}{local}"

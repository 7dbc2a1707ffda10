"""WS-Security in the SOAP header: the one place every service reads credentials.

Later calls carry ``wsse:Security/wsc:SecurityContextToken/wsc:Identifier``;
the STS reads ``wsse:UsernameToken``. Lookups go by namespace, and every
problem has its own Meldung.
"""

from __future__ import annotations

from dataclasses import dataclass

from bipro.core.caller import Caller
from bipro.core.identity.tokens import resolve_token
from bipro.soap import faults
from bipro.soap.faults import BiproFault
from bipro.soap.namespaces import PASSWORD_DIGEST_SUFFIX, SOAPENV, WSC, WSSE, q
from bipro.soap.xmlutil import child, text

# Some clients put the SCT in the 2005/02 sc namespace, others in WS-SecureConversation 1.3.
SCT_NAMESPACES = (WSC, "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512")
MAX_IDENTIFIER_LENGTH = 256
MAX_USERNAME_LENGTH = 256  # logins are far shorter; a longer one never reaches the database


def security_header(envelope):
    """``wsse:Security`` of the request; 00901 / 00905 when absent."""
    header = envelope.find(q(SOAPENV, "Header"))
    if header is None:
        raise BiproFault.of(faults.NO_SOAP_HEADER, "Die Anfrage enthält keinen SOAP-Header.")
    security = child(header, "Security", (WSSE,))
    if security is None:
        raise BiproFault.of(faults.NO_WS_SECURITY, "Der SOAP-Header enthält keinen wsse:Security-Block.")
    return security


def caller_from_header(session, envelope, remote_addr: str = "") -> Caller:
    """Resolve the SecurityContextToken in the header to the calling user and broker."""
    security = security_header(envelope)
    token = child(security, "SecurityContextToken", SCT_NAMESPACES)
    if token is None:
        raise BiproFault.of(faults.NO_SCT, "Im wsse:Security-Block fehlt das SecurityContextToken.")
    identifier = text(token, "Identifier", SCT_NAMESPACES)
    if not identifier:
        raise BiproFault.of(faults.NO_SCT_IDENTIFIER, "Das SecurityContextToken enthält keinen Identifier.")
    if len(identifier) > MAX_IDENTIFIER_LENGTH:
        raise BiproFault.of(faults.MALFORMED_SCT, "Der Identifier des SecurityContextToken ist zu lang.")
    return resolve_token(session, identifier, remote_addr=remote_addr)


@dataclass(frozen=True)
class UsernamePassword:
    username: str
    password: str


def username_token(envelope) -> UsernamePassword:
    """The UsernameToken of an STS request (PasswordText only)."""
    security = security_header(envelope)
    token = child(security, "UsernameToken", (WSSE,))
    if token is None:
        raise BiproFault.of(faults.NO_USERNAME_TOKEN, "Im wsse:Security-Block fehlt das UsernameToken.")
    username = text(token, "Username", (WSSE,))
    password_node = child(token, "Password", (WSSE,))
    if not username or password_node is None:
        raise BiproFault.of(faults.NO_USERNAME_TOKEN, "Das UsernameToken braucht Username und Password.")
    if len(username) > MAX_USERNAME_LENGTH:
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Der Login-Name ist zu lang.", quelle="wsse:Username")
    password_type = password_node.get("Type", "")
    if password_type.endswith(PASSWORD_DIGEST_SUFFIX):
        raise BiproFault.of(faults.AUTH_FAILED,
                            "PasswordDigest wird nicht unterstützt; bitte das Passwort als PasswordText senden.")
    return UsernamePassword(username, password_node.text or "")

"""Norm 410: the Security Token Service (UserPasswordLogin).

A UsernameToken with PasswordText in the header and a WS-Trust
RequestSecurityToken (Feb 2005) in the body give a SecurityContextToken for
the later calls of every other service.
"""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core.clock import wire_utc
from bipro.core.identity import sts_login
from bipro.observability.identity import note_caller
from bipro.soap import faults
from bipro.soap.envelope import Envelope, sub
from bipro.soap.faults import BiproFault
from bipro.soap.namespaces import BIPRO_VERSION, NAC, REQUEST_TYPE_ISSUE, TOKEN_TYPE_SCT, WSC, WST, WSU, q
from bipro.soap.security import username_token
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.xmlutil import text

PATH = "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0"


class SecurityTokenService(ServiceBase):
    """WS-Trust Issue of SecurityContextTokens against the shared credential store."""

    @operation("RequestSecurityToken", secured=False)
    def request_security_token(call: SoapCall) -> Reply:
        credentials = username_token(call.envelope)
        token_type = text(call.request, "TokenType")
        if token_type != TOKEN_TYPE_SCT:
            raise BiproFault.of(faults.WRONG_TOKEN_TYPE,
                                f"TokenType muss {TOKEN_TYPE_SCT} sein.", quelle="wst:TokenType")
        request_type = text(call.request, "RequestType")
        if request_type != REQUEST_TYPE_ISSUE:
            raise BiproFault.of(faults.WRONG_REQUEST_TYPE,
                                f"RequestType muss {REQUEST_TYPE_ISSUE} sein.", quelle="wst:RequestType")
        signed_in = sts_login.with_password(
            call.session, call.gateway.identity_policy, credentials.username, credentials.password,
            ttl_seconds=call.settings.token_ttl, remote_addr=call.remote_addr)
        note_caller(call.session, signed_in)
        return Reply.of(_token_response(signed_in.token))


def _token_response(token) -> Envelope:
    envelope = Envelope()
    rstr = sub(envelope.body, q(WST, "RequestSecurityTokenResponse"))
    sub(rstr, q(WST, "TokenType"), TOKEN_TYPE_SCT)
    requested = sub(rstr, q(WST, "RequestedSecurityToken"))
    sct = sub(requested, q(WSC, "SecurityContextToken"))
    sub(sct, q(WSC, "Identifier"), token.identifier)
    lifetime = sub(rstr, q(WST, "Lifetime"))
    sub(lifetime, q(WSU, "Created"), wire_utc(token.created))
    sub(lifetime, q(WSU, "Expires"), wire_utc(token.expires))
    sub(rstr, q(NAC, "BiPROVersion"), BIPRO_VERSION)
    return envelope

"""One hostile request, what it must get back, and the envelope pieces the corpus builds from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, SOAPENV, TOKEN_TYPE_SCT, WSSE, WST

PASSWORD_TEXT = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
                 "#PasswordText")
UNKNOWN_LOGIN = "hostile-unbekannt"  # exists for nobody, so failures never lock a real account
BODY_INVALID, SCHEMA, INCOMPLETE, NOT_OFFERED = "00931", "00007", "00001", "00009"
WRONG_TOKEN_TYPE, WRONG_REQUEST_TYPE, AUTH_FAILED, MALFORMED_SCT = "00910", "00911", "00961", "00919"

# Values that look like SQL or script; they must stay plain text wherever they go.
INJECTIONS = {
    "sql_or": "' OR 1=1 --",
    "sql_drop": '"; DROP TABLE users; --',
    "script": "<script>alert('x')</script>",
}


@dataclass(frozen=True)
class Case:
    """A request of the corpus.

    ``codes``: the MeldungIDs of which the fault must carry at least one.
    ``status``: an HTTP status instead, for requests that never were SOAP.
    ``login``: the request legitimately reaches the password check with this
    login, so exactly one ``login_failed`` audit row for it may appear.
    ``answer_ok``: a normal BiPRO answer (with nac:Status) is acceptable too.
    """

    name: str
    body: bytes | Callable[[], Iterable[bytes]]
    codes: frozenset[str] = frozenset({BODY_INVALID})
    path: str | None = None  # None: the STS
    method: str = "POST"
    content_type: str | None = "text/xml; charset=utf-8"
    headers: dict = field(default_factory=dict)
    status: int | None = None
    faultcode: str | None = None
    login: str | None = None
    answer_ok: bool = False


def fault(name, body, *codes, **kw) -> Case:
    return Case(name, body if isinstance(body, bytes) or callable(body) else body.encode("utf-8"),
                frozenset(codes or {BODY_INVALID}), **kw)


def envelope(body: str, header: str = "", *, env_attrs: str = "", prolog: str = "") -> str:
    return (f'{prolog}<soapenv:Envelope xmlns:soapenv="{SOAPENV}" {env_attrs}>'
            f"<soapenv:Header>{header}</soapenv:Header>"
            f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>")


def username_header(login: str = UNKNOWN_LOGIN, password: str = "falsch", *, extra: str = "") -> str:
    return (f'<wsse:Security xmlns:wsse="{WSSE}">{extra}<wsse:UsernameToken>'
            f"<wsse:Username>{login}</wsse:Username>"
            f'<wsse:Password Type="{PASSWORD_TEXT}">{password}</wsse:Password>'
            "</wsse:UsernameToken></wsse:Security>")


def rst(token_type: str = TOKEN_TYPE_SCT, request_type: str = REQUEST_TYPE_ISSUE, *,
        attrs: str = "", extra: str = "") -> str:
    return (f'<wst:RequestSecurityToken xmlns:wst="{WST}" {attrs}>'
            f"<wst:TokenType>{token_type}</wst:TokenType>"
            f"<wst:RequestType>{request_type}</wst:RequestType>{extra}</wst:RequestSecurityToken>")


def sts(body: str | None = None, header: str | None = None, **kw) -> str:
    """An STS request; by default one that fails on its TokenType, before any password check."""
    return envelope(rst(token_type="urn:falsch") if body is None else body,
                    username_header() if header is None else header, **kw)


def xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

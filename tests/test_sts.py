"""Norm 410 over real HTTP: tokens issued with zeep, refused in every way they should be."""

import datetime as dt

import pytest
from spyne import ServiceBase
from sqlalchemy import select, update
from zeep.exceptions import Fault

from bipro.core.identity.accounts import change_password, create_user
from bipro.soap.envelope import operation_response, sub
from bipro.soap.faults import Meldung
from bipro.soap.namespaces import NAC, REQUEST_TYPE_ISSUE, TOKEN_TYPE_SCT, WSC, WST, q
from bipro.soap.service import Reply, build_service, operation
from bipro.wsgi import GatewayApplication
from store.base import utcnow
from store.models import LoginFailure, SecurityToken, User
from tests.support.bipro_client import STS_PATH, request_token, sts_client
from tests.support.callers import STAFF, caller_of
from tests.support.schemas import assert_valid
from tests.support.server import served
from tests.support.soapraw import envelope, post, sct_header

ECHO_NS = "urn:test:echo"
ECHO_PATH = "/bipro/test/Echo"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
PASSWORD_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"


class EchoService(ServiceBase):
    """A secured service that only exists here: it answers with the caller's login."""

    @operation("whoAmI")
    def who_am_i(call):
        env, response = operation_response(q(ECHO_NS, "whoAmI"), [Meldung("00000", "ok", "Hinweis")])
        sub(response, q(ECHO_NS, "Login"), call.caller.login)
        sub(response, q(ECHO_NS, "Broker"), call.caller.broker_id)
        return Reply.of(env)


@pytest.fixture(scope="module")
def urls(gateway):
    main = GatewayApplication(gateway)
    echo = build_service(gateway, EchoService, namespace=ECHO_NS, wsdl_name=None)

    def app(environ, start_response):
        if environ["PATH_INFO"] == ECHO_PATH:
            return echo(environ, start_response)
        return main(environ, start_response)

    app.serving_at = main.serving_at
    with served(app) as base:
        yield base


def who_am_i(base, header: str | None):
    return post(base + ECHO_PATH, envelope(f'<e:whoAmI xmlns:e="{ECHO_NS}"/>', header))


def username_header(login="demo", password="demo-passwort", password_type=PASSWORD_TEXT, extra=""):
    return (f'<wsse:Security xmlns:wsse="{WSSE_NS}" {extra}><wsse:UsernameToken>'
            f"<wsse:Username>{login}</wsse:Username>"
            f'<wsse:Password Type="{password_type}">{password}</wsse:Password>'
            "</wsse:UsernameToken></wsse:Security>")


def rst(token_type=TOKEN_TYPE_SCT, request_type=REQUEST_TYPE_ISSUE, extra=""):
    return (f'<wst:RequestSecurityToken xmlns:wst="{WST}"><wst:TokenType>{token_type}</wst:TokenType>'
            f"<wst:RequestType>{request_type}</wst:RequestType>{extra}</wst:RequestSecurityToken>")


def sts(base, body, header, **kw):
    return post(base + STS_PATH, envelope(body, header), **kw)


def new_user(gateway, broker="100200"):
    with gateway.db.session() as session:
        user, password = create_user(session, gateway.identity_policy, broker, "Test Nutzer", "t@example.org", by=STAFF)
        return user.login, password


# --- issue and accept -------------------------------------------------------

def test_zeep_gets_a_token_that_the_echo_service_accepts(urls, gateway):
    client = sts_client(urls, "demo", "demo-passwort")
    answer = client.service.RequestSecurityToken(TokenType=TOKEN_TYPE_SCT, RequestType=REQUEST_TYPE_ISSUE)
    identifier = answer.RequestedSecurityToken.SecurityContextToken.Identifier
    assert identifier.startswith("bipro:") and len(identifier) >= 6 + 22
    lifetime = answer.Lifetime.Expires - answer.Lifetime.Created
    assert lifetime == dt.timedelta(seconds=gateway.settings.token_ttl)
    reply = who_am_i(urls, sct_header(identifier))
    assert reply.status == 200
    assert reply.tree.find(f".//{{{ECHO_NS}}}Login").text == "demo"


def test_only_the_hash_of_a_token_is_stored(urls, gateway):
    identifier = request_token(urls)
    with gateway.db.session() as session:
        hashes = session.scalars(select(SecurityToken.token_hash)).all()
    assert identifier not in hashes
    assert all(len(h) == 64 for h in hashes)


def test_response_uses_fixed_prefixes_and_validates(urls):
    reply = sts(urls, rst(), username_header())
    assert reply.status == 200
    text = reply.body.decode()
    for tag in ("<soapenv:Envelope", "<wst:RequestSecurityTokenResponse", "<wsc:SecurityContextToken",
                "<wsc:Identifier>bipro:", "<wsu:Created>", "<wsu:Expires>"):
        assert tag in text
    assert "ns0:" not in text and "tns:" not in text
    created = reply.tree.find(".//{*}Created").text
    assert created.endswith("Z")
    body = reply.tree.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]
    assert_valid(body, "ws-trust.xsd")


def test_served_wsdl_is_the_checked_in_one(urls):
    import requests

    from bipro.soap.service import WSDL_DIR

    served_text = requests.get(urls + STS_PATH + "?wsdl", timeout=10).text
    checked_in = (WSDL_DIR / "410_STS_UserPasswordLogin.wsdl").read_text(encoding="utf-8")
    assert served_text == checked_in.replace("http://localhost:8080", urls)


# --- tokens refused -----------------------------------------------------------

def test_made_up_token_is_refused(urls):
    reply = who_am_i(urls, sct_header("bipro:" + "A" * 43))
    assert reply.is_fault and reply.meldung_ids == ["00962"]


@pytest.mark.clock
def test_expired_token_is_refused(urls, gateway):
    identifier = request_token(urls)
    from bipro.core.identity.tokens import token_hash
    with gateway.db.session() as session:
        session.execute(update(SecurityToken).where(SecurityToken.token_hash == token_hash(identifier))
                        .values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    assert who_am_i(urls, sct_header(identifier)).meldung_ids == ["00962"]


def test_password_change_revokes_tokens(urls, gateway):
    login, password = new_user(gateway)
    identifier = request_token(urls, login, password)
    assert who_am_i(urls, sct_header(identifier)).status == 200
    with gateway.db.session() as session:
        change_password(session, gateway.identity_policy, caller_of(gateway, login), password,
                        "ein-neues-passwort-2026")
    assert who_am_i(urls, sct_header(identifier)).meldung_ids == ["00962"]
    assert request_token(urls, login, "ein-neues-passwort-2026").startswith("bipro:")


@pytest.mark.parametrize("header, code", [
    (None, "00901"),
    ("", "00905"),
    (f'<wsse:Security xmlns:wsse="{WSSE_NS}"/>', "00917"),
    (f'<wsse:Security xmlns:wsse="{WSSE_NS}"><wsc:SecurityContextToken xmlns:wsc="{WSC}"/></wsse:Security>', "00909"),
    (sct_header("not-a-token"), "00919"),
    (sct_header("bipro:" + "x" * 300), "00919"),
])
def test_missing_or_broken_token_faults(urls, header, code):
    reply = who_am_i(urls, header)
    assert reply.is_fault
    assert reply.meldung_ids == [code]
    assert reply.status_id == "NOK"
    detail = reply.tree.find(".//detail")
    assert detail is not None and detail[0].tag == q(NAC, "BiproException")


# --- STS faults ------------------------------------------------------------------

@pytest.mark.parametrize("body, header, code", [
    (rst(), "", "00905"),
    (rst(), None, "00901"),
    (rst(), f'<wsse:Security xmlns:wsse="{WSSE_NS}"/>', "00908"),
    (rst(token_type="urn:wrong"), username_header(), "00910"),
    (rst(request_type="urn:wrong"), username_header(), "00911"),
    (rst(), username_header(password="falsch"), "00961"),
    (rst(), username_header(login="niemand"), "00961"),
    (rst(), username_header(password="x" * 73), "00961"),
])
def test_sts_faults(urls, body, header, code):
    reply = sts(urls, body, header)
    assert reply.is_fault, reply.body
    assert reply.meldung_ids == [code]


def test_unknown_user_and_wrong_password_read_the_same(urls):
    wrong = sts(urls, rst(), username_header(password="falsch")).tree
    unknown = sts(urls, rst(), username_header(login="niemand")).tree
    def text(tree):
        return tree.find(".//{%s}Text" % NAC).text

    assert text(wrong) == text(unknown)


def test_password_digest_is_refused_with_a_hint(urls):
    reply = sts(urls, rst(), username_header(password_type=PASSWORD_DIGEST))
    assert reply.meldung_ids == ["00961"]
    assert "PasswordText" in reply.tree.find(".//{%s}Text" % NAC).text


def test_zeep_sees_a_fault_for_a_wrong_password(urls):
    with pytest.raises(Fault) as caught:
        request_token(urls, "demo", "falsch")
    assert "00961" in caught.value.message


# --- lockout ---------------------------------------------------------------------

def test_lockout_after_five_failures_and_unlock(urls, gateway, by=STAFF):
    login, password = new_user(gateway)
    codes = [sts(urls, rst(), username_header(login, "falsch")).meldung_ids[0] for _ in range(5)]
    assert codes == ["00961"] * 4 + ["00965"]
    assert sts(urls, rst(), username_header(login, password)).meldung_ids == ["00964"]
    from bipro.core.identity.auth import unlock
    with gateway.db.session() as session:
        unlock(session, login, by=STAFF)
    assert sts(urls, rst(), username_header(login, password)).status == 200


@pytest.mark.clock
def test_lock_expires(urls, gateway):
    login, password = new_user(gateway)
    for _ in range(5):
        sts(urls, rst(), username_header(login, "falsch"))
    with gateway.db.session() as session:
        session.execute(update(LoginFailure).where(LoginFailure.login == login)
                        .values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    assert sts(urls, rst(), username_header(login, password)).status == 200


def test_success_resets_the_failure_count(urls, gateway):
    login, password = new_user(gateway)
    for _ in range(4):
        sts(urls, rst(), username_header(login, "falsch"))
    assert sts(urls, rst(), username_header(login, password)).status == 200
    for _ in range(4):
        assert sts(urls, rst(), username_header(login, "falsch")).meldung_ids == ["00961"]


# --- client dialects -------------------------------------------------------------

WSA = 'xmlns:wsa="http://www.w3.org/2005/08/addressing"'
SOAPENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"


@pytest.mark.parametrize("soap_action", ['""', '"urn:RequestSecurityToken"',
                                         '"http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue"', None])
def test_any_soap_action(urls, soap_action):
    assert sts(urls, rst(), username_header(), soap_action=soap_action).status == 200


@pytest.mark.parametrize("body", [
    # RST in the default namespace, no prefix
    f'<RequestSecurityToken xmlns="{WST}"><TokenType>{TOKEN_TYPE_SCT}</TokenType>'
    f"<RequestType>{REQUEST_TYPE_ISSUE}</RequestType></RequestSecurityToken>",
    # RST without any namespace
    f"<RequestSecurityToken><TokenType>{TOKEN_TYPE_SCT}</TokenType>"
    f"<RequestType>{REQUEST_TYPE_ISSUE}</RequestType></RequestSecurityToken>",
    rst(extra='<nac:BiPROVersion xmlns:nac="http://www.bipro.net/namespace/nachrichten">2.6.1.1.0</nac:BiPROVersion>'),
    rst(extra='<allg:BiPROVersion xmlns:allg="http://www.bipro.net/namespace/allgemein">2.1.6.1.1</allg:BiPROVersion>'),
])
def test_rst_dialects(urls, body):
    assert sts(urls, body, username_header()).status == 200


def test_extra_headers_are_tolerated(urls):
    header = (f'<wsa:Action {WSA}>http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue</wsa:Action>'
              + username_header(extra=f'xmlns:soapenv="{SOAPENV_NS}" soapenv:mustUnderstand="1" '
                                      'soapenv:actor="http://schemas.xmlsoap.org/soap/actor/next"'))
    assert sts(urls, rst(), header).status == 200


def test_other_envelope_prefix(urls):
    body = envelope(rst(), username_header(), prefix="S")
    assert post(urls + STS_PATH, body).status == 200


@pytest.mark.clock
def test_expired_tokens_are_purged(urls, gateway):
    with gateway.db.session() as session:
        user_id = session.scalar(select(User.id).where(User.login == "demo"))
        session.add(SecurityToken(token_hash="0" * 64, user_id=user_id,
                                  created_at=utcnow() - dt.timedelta(days=2),
                                  expires_at=utcnow() - dt.timedelta(days=2)))
    request_token(urls)
    with gateway.db.session() as session:
        assert session.scalar(select(SecurityToken).where(SecurityToken.token_hash == "0" * 64)) is None

"""The payload the HTTP benchmarks send and answer, as a gateway service and as bare Spyne.

Until a real listing service is served, the HTTP benchmarks call ``whoAmI``:
a secured operation built with ``bipro.soap.service.build_service`` (guard,
SCT lookup in the database, envelope builder) that answers the caller's
login and broker. The baseline answers the same body from memory with a
plain Spyne application and nothing else.
"""

from __future__ import annotations

import copy

from lxml import etree
from spyne import Application, ServiceBase, rpc
from spyne.model.primitive import AnyXml
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from bipro.soap.envelope import operation_response, sub
from bipro.soap.faults import Meldung
from bipro.soap.namespaces import q
from bipro.soap.service import Reply, build_service, operation

ECHO_NS = "urn:bench:echo"
ECHO_PATH = "/bipro/bench/Echo"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSC_NS = "http://schemas.xmlsoap.org/ws/2005/02/sc"
SOAPENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def _answer(login: str, broker_id: int):
    env, response = operation_response(q(ECHO_NS, "whoAmI"), [Meldung("00000", "ok", "Hinweis")])
    sub(response, q(ECHO_NS, "Login"), login)
    sub(response, q(ECHO_NS, "Broker"), broker_id)
    return env


class SecuredEcho(ServiceBase):
    """whoAmI behind the SCT check."""

    @operation("whoAmI")
    def who_am_i(call):
        return Reply.of(_answer(call.caller.login, call.caller.broker_id))


class OpenEcho(ServiceBase):
    """The same answer without security: the gateway's cost minus the SCT check."""

    @operation("whoAmI", secured=False)
    def who_am_i(call):
        return Reply.of(_answer("demo", 1))


def gateway_with_echo(gateway):
    """The whole gateway plus the echo at ECHO_PATH (secured) and ECHO_PATH/open."""
    from bipro.wsgi import GatewayApplication

    main = GatewayApplication(gateway)
    echo = build_service(gateway, SecuredEcho, namespace=ECHO_NS, wsdl_name=None)
    open_echo = build_service(gateway, OpenEcho, namespace=ECHO_NS, wsdl_name=None)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == ECHO_PATH:
            return echo(environ, start_response)
        if path == ECHO_PATH + "/open":
            return open_echo(environ, start_response)
        return main(environ, start_response)

    app.serving_at = main.serving_at  # WSDL addresses follow the bench's port
    return app


def bare_spyne_app():
    """A plain Spyne service answering the same body from memory (no guard, no database)."""
    # whoAmIResponse/Response: Spyne adds the whoAmIResponse wrapper itself
    response = _answer("demo", 1).body[0][0]
    payload = etree.fromstring(etree.tostring(response))

    class BareEcho(ServiceBase):
        @rpc(AnyXml, _returns=AnyXml, _body_style="bare", _in_message_name="whoAmI")
        def whoAmI(ctx, request):
            # a copy: Spyne appends the element to each answer's tree, and an
            # lxml element has one parent, so sharing it across threads breaks
            return copy.deepcopy(payload)

    application = Application([BareEcho], tns=ECHO_NS, name="BareEcho",
                              in_protocol=Soap11(validator=None), out_protocol=Soap11())
    wsgi = WsgiApplication(application)

    def app(environ, start_response):
        return wsgi(environ, start_response)

    return app


def request_bytes(token: str | None) -> bytes:
    header = ""
    if token:
        header = (f'<wsse:Security xmlns:wsse="{WSSE_NS}"><wsc:SecurityContextToken xmlns:wsc="{WSC_NS}">'
                  f"<wsc:Identifier>{token}</wsc:Identifier></wsc:SecurityContextToken></wsse:Security>")
    return (f'<soapenv:Envelope xmlns:soapenv="{SOAPENV_NS}"><soapenv:Header>{header}</soapenv:Header>'
            f'<soapenv:Body><e:whoAmI xmlns:e="{ECHO_NS}"/></soapenv:Body></soapenv:Envelope>').encode()

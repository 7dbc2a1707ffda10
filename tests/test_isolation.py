"""Tenant isolation: broker demo2 never reaches demo's objects, and the reverse.

Every portal route with a URL parameter and every BiPRO operation is found
by enumeration; one without a case in ``tests/support/isolation.py`` fails
``test_every_*_has_an_isolation_case``. A foreign id must answer exactly like
an id that exists for nobody (no existence leak) and show none of the owner's
personal data.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bipro.core.identity.tokens import revoke_user_tokens, token_hash
from bipro.soap.registry import soap_applications
from store.models import Document, SecurityToken, Shipment, User
from tests.support import isolation, soapraw
from tests.support.bipro_client import request_token
from tests.support.portal import csrf_token, log_in

BROKERS = {"demo": 1, "demo2": 2}
DIRECTIONS = [("demo2", "demo"), ("demo", "demo2")]  # (caller, owner)
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


@pytest.fixture(scope="module")
def tokens(base_url):
    return {login: request_token(base_url, login) for login in BROKERS}


def owned(gateway, login):
    with gateway.db.session() as session:
        ids = isolation.ids_of(session, BROKERS[login])
        return ids, isolation.personal_data(session, BROKERS[login], ids)


def logged_in(app, login):
    client = app.test_client()
    assert log_in(client, login).status_code == 302
    return client


# --- enumeration: new routes and operations need a case ----------------------------

def test_every_portal_route_with_a_parameter_has_an_isolation_case(app):
    assert isolation.portal_routes(app), "the portal has no route with a parameter?"
    assert isolation.uncovered_routes(app) == [], (
        "add the parameter to PORTAL_IDS (or the endpoint to PORTAL_EXEMPT) in tests/support/isolation.py")


def test_every_portal_page_without_a_parameter_is_registered(app):
    assert isolation.unlisted_pages(app) == [], (
        "add the endpoint to PORTAL_OWN_LISTS (with its scoping test) or PORTAL_NO_OBJECTS "
        "in tests/support/isolation.py")


@pytest.mark.parametrize("caller, owner", DIRECTIONS)
def test_own_list_pages_show_nothing_of_the_other_broker(app, gateway, caller, owner):
    with gateway.db.session() as session:
        theirs = isolation.listed_objects(session, BROKERS[owner])
        mine = isolation.listed_objects(session, BROKERS[caller])
    intruder = logged_in(app, caller)
    for endpoint in isolation.PORTAL_OWN_LISTS:
        path = app.url_map.bind("localhost").build(endpoint)
        pages = [intruder.get(path).get_data(as_text=True)]
        if endpoint in ("inbox.index", "customers.index", "contracts.index"):
            pages.append(intruder.get(path, query_string={"size": "100", "seite": "2", "page": "2"})
                         .get_data(as_text=True))
        leaked = [text for text in theirs for page in pages if text in page]
        assert leaked == [], f"{path} shows {owner}'s {leaked[:3]}"
    inbox = intruder.get("/posteingang").get_data(as_text=True)
    assert any(text in inbox for text in mine), "control: the own Posteingang lists own documents"


def test_every_soap_operation_has_an_isolation_case(gateway):
    cases = isolation.soap_cases()
    missing = []
    for path, guard in soap_applications(gateway).items():
        operations = set(guard.operations) | isolation.wsdl_operations(guard.wsdl_path)
        assert operations, path
        missing += [f"{path} {op}" for op in sorted(operations)
                    if (path, op) not in cases and (path, op) not in isolation.SOAP_WITHOUT_ID]
    assert missing == [], "add the operation to SOAP_CASES or SOAP_WITHOUT_ID in tests/support/isolation.py"


# --- portal ---------------------------------------------------------------------------

@pytest.mark.parametrize("caller, owner", DIRECTIONS)
def test_portal_routes_refuse_the_other_brokers_ids(app, gateway, caller, owner):
    foreign, secrets = owned(gateway, owner)
    unknown = isolation.unknown_ids()
    intruder, rightful = logged_in(app, caller), logged_in(app, owner)
    token = csrf_token(intruder.get("/passwort-aendern").get_data(as_text=True))
    failures = []
    for rule in isolation.portal_routes(app):
        url, nobody_url = isolation.route_url(rule, foreign), isolation.route_url(rule, unknown)
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {"csrf_token": token} if method == "POST" else None
            answer = intruder.open(url, method=method, data=data)
            nobody = intruder.open(nobody_url, method=method, data=data)
            body = answer.get_data(as_text=True)
            if answer.status_code != 404:
                failures.append(f"{method} {url}: {answer.status_code}, not 404")
            leaked = [word for word in secrets if word in body]
            if leaked:
                failures.append(f"{method} {url} shows {leaked}")
            same = isolation.comparable(body, url, foreign)
            if same != isolation.comparable(nobody.get_data(as_text=True), nobody_url, unknown):
                failures.append(f"{method} {url} answers unlike an unknown id")
        if "GET" in rule.methods and rightful.get(url).status_code != 200:
            failures.append(f"control: the owner cannot open {url}")
    assert failures == []


def test_a_foreign_document_is_not_marked_read(app, gateway):
    foreign, _ = owned(gateway, "demo")
    assert logged_in(app, "demo2").get(f"/posteingang/{foreign['document']}").status_code == 404
    with gateway.db.session() as session:
        assert session.get(Document, int(foreign["document"])).read_at is None


# --- BiPRO ---------------------------------------------------------------------------

def _call(base_url, case, token, value, header_extra=""):
    header = soapraw.sct_header(token)
    if header_extra:
        header = header.replace("</wsse:Security>", header_extra + "</wsse:Security>")
    return soapraw.post(base_url + case.path, soapraw.envelope(case.body(value), header))


def _meldungen(answer, drop: str) -> list[tuple[str, str]]:
    ns = soapraw.NS
    return [(m.findtext("nac:MeldungID", namespaces=ns), (m.findtext("nac:Text", namespaces=ns) or "")
             .replace(drop, "")) for m in answer.tree.iterfind(".//nac:Meldung", ns)]


@pytest.mark.parametrize("caller, owner", DIRECTIONS)
def test_bipro_operations_refuse_the_other_brokers_ids(base_url, gateway, tokens, caller, owner):
    unknown = isolation.unknown_ids()
    failures = []
    for cases in isolation.soap_cases().values():
        for case in cases:
            foreign, secrets = owned(gateway, owner)
            value = foreign[case.kind]
            answer = _call(base_url, case, tokens[caller], value)
            if not answer.is_fault or answer.meldung_ids != [case.not_found]:
                failures.append(f"{case.name}: {answer.status} {answer.meldung_ids}, not {case.not_found}")
                continue
            leaked = [w for w in secrets if w.encode("utf-8") in answer.body]
            if leaked:
                failures.append(f"{case.name} shows {leaked}")
            nobody = _call(base_url, case, tokens[caller], unknown[case.kind])
            if _meldungen(answer, value) != _meldungen(nobody, unknown[case.kind]):
                failures.append(f"{case.name} answers unlike an unknown id")
            control = _call(base_url, case, tokens[owner], value)
            if control.status != 200:
                failures.append(f"control: {owner} gets {control.status} for {case.name} {value}")
    assert failures == []


def test_foreign_acknowledgement_leaves_the_shipment_open(base_url, gateway, tokens):
    [case] = isolation.soap_cases()[("/bipro/430_Transfer/Service_2.6.1.1.0", "acknowledgeShipment")]
    foreign, _ = owned(gateway, "demo")
    assert _call(base_url, case, tokens["demo2"], foreign["shipment"]).meldung_ids == [case.not_found]
    with gateway.db.session() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.public_id == foreign["shipment"]))
        assert shipment.acknowledged_at is None


def test_lists_show_only_the_callers_shipments(base_url, gateway, tokens):
    from bipro.soap.namespaces import TRAN

    body = (f'<tran:listShipments xmlns:tran="{TRAN}"><tran:Request><tran:BestaetigeLieferungen>true'
            "</tran:BestaetigeLieferungen></tran:Request></tran:listShipments>")
    for login, broker_id in BROKERS.items():
        answer = soapraw.post(base_url + "/bipro/430_Transfer/Service_2.6.1.1.0",
                              soapraw.envelope(body, soapraw.sct_header(tokens[login])))
        listed = {e.text for e in answer.tree.iterfind(f".//{{{TRAN}}}Lieferung/{{{TRAN}}}ID")}
        with gateway.db.session() as session:
            others = set(session.scalars(select(Shipment.public_id).where(Shipment.broker_id != broker_id)))
        assert listed and not listed & others, login


# --- tokens -------------------------------------------------------------------------------

def _partner_case():
    return isolation.soap_cases()[("/bipro/501_Partner/Service_2.6.1.1.0", "getData")][0]


def test_a_username_token_beside_the_sct_does_not_change_the_caller(base_url, gateway, tokens):
    """demo's SCT with demo2's login and password next to it still speaks for demo only."""
    case = _partner_case()
    demo2_ids, _ = owned(gateway, "demo2")
    smuggled = (f'<wsse:UsernameToken xmlns:wsse="{WSSE_NS}"><wsse:Username>demo2</wsse:Username>'
                "<wsse:Password>demo-passwort</wsse:Password></wsse:UsernameToken>")
    answer = _call(base_url, case, tokens["demo"], demo2_ids["customer"], smuggled)
    assert answer.is_fault and answer.meldung_ids == [case.not_found]


def test_the_stored_hash_of_a_token_is_no_token(base_url, gateway, tokens):
    """A copy of the token table grants no session: hashes are not identifiers."""
    case = _partner_case()
    ids, _ = owned(gateway, "demo")
    with gateway.db.session() as session:
        stored = session.scalar(select(SecurityToken.token_hash)
                                .where(SecurityToken.token_hash == token_hash(tokens["demo"])))
    assert stored is not None
    for forged in ("bipro:" + stored, stored):
        answer = _call(base_url, case, forged, ids["customer"])
        assert answer.is_fault and answer.meldung_ids[0] in ("00962", "00919"), forged


def test_revoking_one_users_tokens_leaves_the_others(base_url, gateway):
    case = _partner_case()
    own = request_token(base_url, "demo")
    other = request_token(base_url, "demo2")
    with gateway.db.session() as session:
        revoke_user_tokens(session, session.scalar(select(User).where(User.login == "demo2")),
                           reason="Test", channel="cli")
    ids, _ = owned(gateway, "demo")
    assert _call(base_url, case, own, ids["customer"]).status == 200
    assert _call(base_url, case, other, ids["customer"]).meldung_ids == ["00962"]

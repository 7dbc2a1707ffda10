"""Raw SOAP requests in the dialects real broker programs send to the Transfer service."""

from __future__ import annotations

import pytest

from bipro.soap.namespaces import ALLG, NAC, TRAN
from tests.support import soapraw
from tests.support.bipro_client import request_token
from tests.support.transfer import TRANSFER_PATH, assert_valid_body

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSC = "http://schemas.xmlsoap.org/ws/2005/02/sc"
WSA = "http://www.w3.org/2005/08/addressing"


@pytest.fixture(scope="module")
def token(base_url):
    return request_token(base_url, "demo")


@pytest.fixture(scope="module")
def url(base_url):
    return base_url + TRANSFER_PATH


def _ids(answer) -> set[str]:
    return {e.text for e in answer.tree.iter(f"{{{TRAN}}}ID")}


def list_body(prefix_t="tran", prefix_n="nac", version_ns=NAC, fields="") -> str:
    t = f"{prefix_t}:" if prefix_t else ""
    n = f"{prefix_n}:" if prefix_n else ""
    tdecl = f'xmlns:{prefix_t}="{TRAN}"' if prefix_t else f'xmlns="{TRAN}"'
    version = ""
    if version_ns == NAC:
        version = f'<{n}BiPROVersion xmlns{":" + prefix_n if prefix_n else ""}="{NAC}">2.6.1.1.0</{n}BiPROVersion>'
    elif version_ns == ALLG:
        version = f'<allg:BiPROVersion xmlns:allg="{ALLG}">2.1.6.1.1</allg:BiPROVersion>'
    return f"<{t}listShipments {tdecl}><{t}Request>{version}{fields}</{t}Request></{t}listShipments>"


@pytest.fixture(scope="module")
def reference(url, token):
    answer = soapraw.post(url, soapraw.envelope(list_body(), soapraw.sct_header(token)))
    assert answer.status == 200 and answer.meldung_ids == ["04000"]
    return _ids(answer)


@pytest.mark.parametrize("body", [
    pytest.param(list_body(prefix_t=None, prefix_n=None), id="prefix-free"),
    pytest.param(list_body(prefix_t="t", prefix_n="n"), id="t-and-n-prefixes"),
    pytest.param(list_body(version_ns=ALLG), id="version-in-allgemein"),
    pytest.param(list_body(version_ns=None), id="version-missing"),
    pytest.param(list_body(fields=f'<nac:ConsumerID xmlns:nac="{NAC}">MVP-4711</nac:ConsumerID>',
                           version_ns=None), id="consumer-id"),
    pytest.param(list_body(fields="<tran:BestaetigeLieferungen>false</tran:BestaetigeLieferungen>"),
                 id="bestaetige-false"),
    pytest.param(list_body(fields="<tran:KategorieDerLieferung>999999999</tran:KategorieDerLieferung>"),
                 id="all-categories"),
])
def test_every_dialect_lists_the_same_shipments(url, token, reference, body):
    answer = soapraw.post(url, soapraw.envelope(body, soapraw.sct_header(token)))
    assert answer.status == 200, answer.body[:500]
    assert answer.meldung_ids == ["04000"]
    assert _ids(answer) == reference


@pytest.mark.parametrize("soap_action", ['""', '"urn:listShipments"', "urn:listShipments", None])
def test_any_soap_action_is_accepted(url, token, reference, soap_action):
    answer = soapraw.post(url, soapraw.envelope(list_body(), soapraw.sct_header(token)),
                          soap_action=soap_action)
    assert answer.status == 200 and _ids(answer) == reference


def test_extra_headers_and_must_understand(url, token, reference):
    header = (f'<wsa:Action xmlns:wsa="{WSA}">urn:listShipments</wsa:Action>'
              f'<wsa:To xmlns:wsa="{WSA}">{url}</wsa:To>'
              f'<wsse:Security xmlns:wsse="{WSSE}" soapenv:mustUnderstand="1" '
              'soapenv:actor="http://schemas.xmlsoap.org/soap/actor/next">'
              f'<wsc:SecurityContextToken xmlns:wsc="{WSC}"><wsc:Identifier>{token}</wsc:Identifier>'
              "</wsc:SecurityContextToken></wsse:Security>")
    answer = soapraw.post(url, soapraw.envelope(list_body(), header))
    assert answer.status == 200 and _ids(answer) == reference


def test_including_acknowledged_lists_more(url, token, reference):
    body = list_body(fields="<tran:BestaetigeLieferungen>true</tran:BestaetigeLieferungen>")
    answer = soapraw.post(url, soapraw.envelope(body, soapraw.sct_header(token)))
    assert _ids(answer) > reference


def test_response_uses_the_fixed_prefixes(url, token, reference):
    answer = soapraw.post(url, soapraw.envelope(list_body(prefix_t=None, prefix_n=None),
                                                soapraw.sct_header(token)))
    for literal in (b"<soapenv:Envelope", b"<tran:listShipmentsResponse", b"<tran:Response",
                    b"<nac:Status", b"<tran:Lieferung", b'xmlns:allg="', b'xmlns:gevo="', b'xmlns:xop="'):
        assert literal in answer.body
    for foreign in (b"ns0:", b"tns:", b"s0:", b"xmlns=\""):
        assert foreign not in answer.body
    assert_valid_body(answer.tree)


def test_get_shipment_answer_uses_the_fixed_prefixes(url, token, reference):
    shipment_id = sorted(reference)[0]
    body = f'<getShipment xmlns="{TRAN}"><Request><ID>{shipment_id}</ID></Request></getShipment>'
    answer = soapraw.post(url, soapraw.envelope(body, soapraw.sct_header(token)))
    assert answer.status == 200 and answer.content_type.startswith("multipart/related")
    for literal in (b"<tran:Lieferung", b"<tran:Transfer", b"<gevo:ArtID", b"<allg:Datei",
                    b"<allg:Daten xmime:contentType=", b"<xop:Include href=\"cid:", b"<nac:MeldungID>04000"):
        assert literal in answer.body
    for foreign in (b"ns0:", b"tns:", b"ns1:"):
        assert foreign not in answer.body


def test_acknowledge_without_prefixes_and_without_request_wrapper_errors_cleanly(url, token):
    body = f'<acknowledgeShipment xmlns="{TRAN}"><Request><ID>L-UNBEKANNT</ID></Request></acknowledgeShipment>'
    answer = soapraw.post(url, soapraw.envelope(body, soapraw.sct_header(token)))
    assert answer.is_fault and answer.meldung_ids == ["04003"]
    assert_valid_body(answer.tree)


@pytest.mark.parametrize("fields, code", [
    ("<tran:KategorieDerLieferung>12AB</tran:KategorieDerLieferung>", "00001"),
    ("<tran:BestaetigeLieferungen>vielleicht</tran:BestaetigeLieferungen>", "00001"),
])
def test_invalid_fields_are_00001(url, token, fields, code):
    answer = soapraw.post(url, soapraw.envelope(list_body(fields=fields), soapraw.sct_header(token)))
    assert answer.is_fault and answer.meldung_ids == [code]


def test_without_token_the_call_is_refused(url):
    answer = soapraw.post(url, soapraw.envelope(list_body(), ""))
    assert answer.is_fault and answer.meldung_ids == ["00905"]

"""getQuote as raw HTTP: the dialects real clients send, and what zeep would not send."""

import pytest

from tests.support import soapraw
from tests.support.bipro_client import request_token
from tests.support.taa import NS, TAA_PATH, angabe_quelle, assert_valid, body_of_answer, raw_getquote


@pytest.fixture(scope="module")
def token(base_url):
    return request_token(base_url)


HAUSRAT_XML = ("<{p}Tarifierung><{p}Berechnungsdatum>2025-06-01</{p}Berechnungsdatum>"
               "<{p}Verkaufsprodukt><{p}Sparte>130</{p}Sparte><{p}ProduktID>HR-KOMFORT"
               "</{p}ProduktID></{p}Verkaufsprodukt><{p}Risikodaten>"
               "<{p}Angabe><{p}Name>living_area</{p}Name><{p}Wert>80</{p}Wert></{p}Angabe>"
               "<{p}Angabe><{p}Name>postcode</{p}Name><{p}Wert>10115</{p}Wert></{p}Angabe>"
               "</{p}Risikodaten></{p}Tarifierung>")


def post_raw(base_url, token, body, soap_action='""'):
    return soapraw.post(base_url + TAA_PATH, soapraw.envelope(body, soapraw.sct_header(token)),
                        soap_action=soap_action)


def gross_yearly(answer) -> str:
    return answer.tree.findtext(
        ".//taa:Tarifierung/taa:Beitrag[taa:Zahlungsweise='1']/taa:Bruttobeitrag/taa:Betrag",
        namespaces=NS)


@pytest.mark.parametrize("body", [
    raw_getquote(HAUSRAT_XML.format(p=""), prefix=""),            # default namespace
    raw_getquote(HAUSRAT_XML.format(p="t:"), prefix="t"),         # another prefix
    "<getQuote><Request>" + HAUSRAT_XML.format(p="") + "</Request></getQuote>",  # none at all
    raw_getquote(f'<nac:BiPROVersion xmlns:nac="{NS["nac"]}">2.6.1.1.0</nac:BiPROVersion>'
                 + HAUSRAT_XML.format(p="taa:")),
], ids=["default-namespace", "other-prefix", "unqualified", "with-version"])
def test_raw_requests_in_every_dialect_are_quoted(base_url, token, body):
    answer = post_raw(base_url, token, body)
    assert answer.status == 200, answer.body
    assert answer.meldung_ids == ["01005"]
    assert gross_yearly(answer) == "136.14"
    assert_valid(body_of_answer(answer.tree))
    assert b"<taa:getQuoteResponse" in answer.body and b"ns0:" not in answer.body


@pytest.mark.parametrize("soap_action", ['"urn:getQuote"', "getQuote", None])
def test_any_soap_action_is_accepted(base_url, token, soap_action):
    answer = post_raw(base_url, token, raw_getquote(HAUSRAT_XML.format(p="taa:")), soap_action)
    assert answer.meldung_ids == ["01005"]


@pytest.mark.parametrize("entry, quelle", [
    ("<taa:Verkaufsprodukt><taa:Sparte>130</taa:Sparte></taa:Verkaufsprodukt>",
     "taa:Tarifierung[1]/taa:Verkaufsprodukt/taa:ProduktID"),
    ("<taa:Verkaufsprodukt><taa:ProduktID>HR-KOMFORT</taa:ProduktID></taa:Verkaufsprodukt>",
     "taa:Tarifierung[1]/taa:Verkaufsprodukt/taa:Sparte"),
    ("<taa:Berechnungsdatum>01.06.2025</taa:Berechnungsdatum><taa:Verkaufsprodukt>"
     "<taa:Sparte>130</taa:Sparte><taa:ProduktID>HR-KOMFORT</taa:ProduktID></taa:Verkaufsprodukt>",
     "taa:Tarifierung[1]/taa:Berechnungsdatum"),
    ("<taa:Verkaufsprodukt><taa:Sparte>130</taa:Sparte><taa:ProduktID>HR-KOMFORT</taa:ProduktID>"
     "</taa:Verkaufsprodukt><taa:Risikodaten><taa:Angabe><taa:Wert>80</taa:Wert></taa:Angabe>"
     "</taa:Risikodaten>", "taa:Tarifierung[1]/taa:Risikodaten/taa:Angabe[1]/taa:Name"),
    ("<taa:Verkaufsprodukt><taa:Sparte>130</taa:Sparte><taa:ProduktID>HR-KOMFORT</taa:ProduktID>"
     "</taa:Verkaufsprodukt><taa:Risikodaten>"
     "<taa:Angabe><taa:Name>postcode</taa:Name><taa:Wert>10115</taa:Wert></taa:Angabe>"
     "<taa:Angabe><taa:Name>postcode</taa:Name><taa:Wert>50667</taa:Wert></taa:Angabe>"
     "</taa:Risikodaten>", angabe_quelle(1, "postcode")),
], ids=["no-product-id", "no-sparte", "german-date", "angabe-without-name", "duplicate-angabe"])
def test_an_unreadable_entry_gives_00001_with_its_quelle(base_url, token, entry, quelle):
    answer = post_raw(base_url, token, raw_getquote(f"<taa:Tarifierung>{entry}</taa:Tarifierung>"))
    assert answer.is_fault
    assert answer.meldung_ids == ["00001"]
    assert answer.tree.findtext(".//nac:Meldung/nac:Quelle", namespaces=NS) == quelle
    assert_valid(answer.tree.find(".//nac:BiproException", NS))


def test_unreadable_and_unratable_entries_are_reported_together(base_url, token):
    bad_date = HAUSRAT_XML.format(p="taa:").replace("2025-06-01", "morgen")
    unknown = HAUSRAT_XML.format(p="taa:").replace("HR-KOMFORT", "KFZ-TOP")
    answer = post_raw(base_url, token, raw_getquote(bad_date + unknown))
    assert answer.meldung_ids == ["00001", "01015"]


def test_a_request_without_tarifierung_gives_00001(base_url, token):
    answer = post_raw(base_url, token, raw_getquote(""))
    assert answer.is_fault and answer.meldung_ids == ["00001"]

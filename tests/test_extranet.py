"""Norm 440: getLinks answers absolute portal links for the caller's customers and contracts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from zeep.exceptions import Fault

from bipro.soap.namespaces import EXT, NAC, q
from store.models import Contract, Customer
from tests.support import soapraw
from tests.support.bipro_client import request_token, service_client
from tests.support.portfolio_services import assert_valid, fault_meldungen

EXTRANET = "/bipro/440_Extranet/Service_1.0.1.0"


@pytest.fixture(scope="module")
def tokens(base_url):
    return {login: request_token(base_url, login) for login in ("demo", "demo2")}


def _first(gateway, model, broker_id):
    with gateway.db.session() as s:
        return s.scalars(select(model).where(model.broker_id == broker_id).order_by(model.id)).first()


def test_link_to_a_customer_by_partner_number(base_url, gateway, tokens):
    customer = _first(gateway, Customer, 1)
    client = service_client(base_url, EXTRANET, tokens["demo"])
    result = client.service.getLinks(Request={"Partnernummer": customer.partner_number})
    assert result.BiPROVersion == "2.6.1.1.0"  # five parts; the 1.0.1.0 is only in the URL
    assert [m.MeldungID for m in result.Status.Meldung] == ["01100"]
    [link] = result.Links.Link
    assert link.URL == f"{gateway.settings.public_url}/kunden/{customer.partner_number}"
    assert link.URL.startswith("http://") and link.ZielID == "Kunde"
    assert customer.last_name in link.Beschreibung


def test_link_to_a_contract(base_url, gateway, tokens):
    contract = _first(gateway, Contract, 1)
    client = service_client(base_url, EXTRANET, tokens["demo"])
    result = client.service.getLinks(Request={"Versicherungsscheinnummer": contract.policy_number})
    [link] = result.Links.Link
    assert link.URL == f"{gateway.settings.public_url}/vertraege/{contract.policy_number}"
    assert link.ZielID == "Vertrag"


def test_name_and_address_search_links_every_matching_customer(base_url, gateway, tokens):
    """Each given field is a case-insensitive part of the stored one, as in the search lists."""
    with gateway.db.session() as s:
        rows = s.execute(select(Customer.partner_number, Customer.last_name, Customer.town)
                         .where(Customer.broker_id == 1)).all()
    last_name, town = max(((n, t) for _, n, t in rows),
                          key=lambda nt: sum(nt[0] in n and nt[1] in t for _, n, t in rows))
    expected = {p for p, n, t in rows if last_name.lower() in n.lower() and town.lower() in t.lower()}
    assert len(expected) > 1
    client = service_client(base_url, EXTRANET, tokens["demo"])
    result = client.service.getLinks(Request={"Name": last_name.lower(), "Ort": town})
    urls = [link.URL for link in result.Links.Link]
    assert sorted(urls) == sorted(f"{gateway.settings.public_url}/kunden/{n}" for n in expected)


def test_answer_validates_with_the_ext_prefix(base_url, gateway, tokens):
    customer = _first(gateway, Customer, 1)
    raw = service_client(base_url, EXTRANET, tokens["demo"], raw=True)
    response = raw.service.getLinks(Request={"Partnernummer": customer.partner_number})
    element = assert_valid(response.content, "extranet.xsd")
    assert element.tag == q(EXT, "getLinksResponse")
    assert b"<ext:Links>" in response.content and b"<nac:BiPROVersion>2.6.1.1.0<" in response.content
    assert b"ns0:" not in response.content


@pytest.mark.parametrize("caller, owner_broker", [("demo", 2), ("demo2", 1)])
def test_foreign_numbers_give_no_link(base_url, gateway, tokens, caller, owner_broker):
    customer = _first(gateway, Customer, owner_broker)
    contract = _first(gateway, Contract, owner_broker)
    client = service_client(base_url, EXTRANET, tokens[caller])
    for request in ({"Partnernummer": customer.partner_number},
                    {"Versicherungsscheinnummer": contract.policy_number},
                    {"Name": customer.last_name, "Vorname": customer.first_name,
                     "Postleitzahl": customer.postcode, "Strasse": customer.street}):
        with pytest.raises(Fault) as info:
            client.service.getLinks(Request=request)
        assert [m for m, _ in fault_meldungen(info.value.detail)] == ["01101"]
        assert "/kunden/" not in str(info.value.detail) and "/vertraege/" not in str(info.value.detail)


def test_fault_carries_the_five_part_version(base_url, tokens):
    raw = service_client(base_url, EXTRANET, tokens["demo"], raw=True)
    response = raw.service.getLinks(Request={"Partnernummer": "99999999"})
    exception = assert_valid(response.content, "extranet.xsd")
    assert exception.findtext(q(NAC, "BiPROVersion")) == "2.6.1.1.0"


def test_empty_request_is_incomplete(base_url, tokens):
    client = service_client(base_url, EXTRANET, tokens["demo"])
    with pytest.raises(Fault) as info:
        client.service.getLinks(Request={})
    assert [m for m, _ in fault_meldungen(info.value.detail)] == ["00001"]


def test_prefix_free_request_without_version_with_street_without_number(base_url, gateway, tokens):
    customer = _first(gateway, Customer, 1)
    street_only = customer.street.rsplit(" ", 1)[0]
    body = (f'<getLinks xmlns="{EXT}"><Request><Name>{customer.last_name.upper()}</Name>'
            f"<Strasse>{street_only}</Strasse><Postleitzahl>{customer.postcode}</Postleitzahl>"
            "</Request></getLinks>")
    answer = soapraw.post(base_url + EXTRANET, soapraw.envelope(body, soapraw.sct_header(tokens["demo"])))
    assert answer.status == 200 and answer.meldung_ids == ["01100"]
    urls = [e.text for e in answer.tree.iter(q(EXT, "URL"))]
    assert f"{gateway.settings.public_url}/kunden/{customer.partner_number}" in urls


def test_a_broad_name_search_is_cut_with_a_warning(base_url, gateway, tokens):
    with gateway.db.session() as s:
        names = s.scalars(select(Customer.last_name).where(Customer.broker_id == 1)).all()
    assert sum("e" in n.lower() for n in names) > 50
    client = service_client(base_url, EXTRANET, tokens["demo"])
    result = client.service.getLinks(Request={"Name": "e"})
    assert len(result.Links.Link) == 50 and len({link.URL for link in result.Links.Link}) == 50
    assert [(m.ArtID, m.MeldungID) for m in result.Status.Meldung] == [("Hinweis", "01100"), ("Warnung", "01100")]
    assert result.Status.StatusID == "OK"

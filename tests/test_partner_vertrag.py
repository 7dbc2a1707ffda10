"""Norms 501/502: Partner and Vertrag getData over HTTP, compared with the database."""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select
from zeep.exceptions import Fault

from bipro.core.errors import ValidationFailed
from bipro.core.gdv.records import CONTRACT_0200
from bipro.core.identity import brokers
from bipro.core.portfolio import contact_rules
from bipro.core.portfolio.customer_edit import update_customer_contact
from bipro.soap.namespaces import ALLG, NAC, PART, PM, SOAPENV, VERT, XSI, q
from store.models import Broker, Contract, Customer, Product
from tests.support import soapraw
from tests.support.bipro_client import request_token, service_client
from tests.support.customers import CALLERS
from tests.support.portfolio_services import SCHEMAS, assert_valid, fault_meldungen

PARTNER = "/bipro/501_Partner/Service_2.6.1.1.0"
VERTRAG = "/bipro/502_Vertrag/Service_2.6.1.1.0"


@pytest.fixture(scope="module")
def tokens(base_url):
    return {login: request_token(base_url, login) for login in ("demo", "demo2")}


def _customers(gateway, login):
    with gateway.db.session() as s:
        broker = 1 if login == "demo" else 2
        return s.scalars(select(Customer).where(Customer.broker_id == broker).order_by(Customer.id)).all()


def _contract_rows(gateway, broker_id):
    with gateway.db.session() as s:
        return s.execute(
            select(Contract, Customer.partner_number, Product.name, Broker.number)
            .join(Customer, Customer.id == Contract.customer_id)
            .join(Product, Product.code == Contract.product_code)
            .join(Broker, Broker.id == Contract.broker_id)
            .where(Contract.broker_id == broker_id).order_by(Contract.id)).all()


def test_partner_get_data_returns_the_stored_customer(base_url, gateway, tokens):
    client = service_client(base_url, PARTNER, tokens["demo"])
    customers = _customers(gateway, "demo")
    for customer in (customers[0], customers[7], customers[-1]):
        result = client.service.getData(Request={"Partnernummer": customer.partner_number})
        assert result.Status.StatusID == "OK"
        assert [m.MeldungID for m in result.Status.Meldung] == ["01100"]
        partner = result.Partner
        assert partner.Partnernummer == customer.partner_number
        assert partner.Anrede == str(customer.salutation)
        assert partner.Name == customer.last_name
        assert partner.Vorname == customer.first_name
        assert partner.Geburtsdatum == customer.birth_date
        assert partner.Titel == (customer.title or None)
        [address] = partner.Anschrift
        assert f"{address.Strasse} {address.Hausnummer}" == customer.street
        assert address.Hausnummer.isdigit()
        assert (address.Postleitzahl, address.Ort, address.Land) == (customer.postcode, customer.town, "D")
        assert (address.ArtID, address.Adresstyp) == ("1", "privat")
        links = {k.ArtID: k.Kommunikationsadresse for k in partner.Kommunikationsverbindung}
        phone_kind = "31" if customer.phone.startswith(("015", "016", "017")) else "10"
        assert links == {phone_kind: customer.phone, "51": customer.email}


def test_partner_response_validates_and_keeps_the_prefixes(base_url, gateway, tokens):
    customer = _customers(gateway, "demo")[3]
    raw = service_client(base_url, PARTNER, tokens["demo"], raw=True)
    response = raw.service.getData(Request={"Partnernummer": customer.partner_number})
    assert response.status_code == 200
    element = assert_valid(response.content, "partner.xsd")
    assert element.tag == q(PART, "getDataResponse")
    assert b"<part:Partner>" in response.content and b"<nac:Status>" in response.content
    assert b"ns0:" not in response.content and b"tns:" not in response.content
    partner = element.find(f"{q(PART, 'Response')}/{q(PART, 'Partner')}")
    assert _names(partner) == ["part:Anrede", "part:Name", "part:Partnernummer", "part:PartnerID",
                               "part:Anschrift", "part:Kommunikationsverbindung",
                               "part:Kommunikationsverbindung", "part:Vorname", "part:Geburtsdatum"]
    assert _names(partner.find(q(PART, "Anschrift"))) == ["allg:Strasse", "allg:Hausnummer", "allg:Postleitzahl",
                                                          "allg:Ort", "allg:Land", "part:ArtID", "part:Adresstyp"]
    assert [_names(k) for k in partner.iter(q(PART, "Kommunikationsverbindung"))] == \
        [["part:ArtID", "part:Kommunikationsadresse"]] * 2


def test_vertrag_get_data_returns_the_stored_contract(base_url, gateway, tokens):
    client = service_client(base_url, VERTRAG, tokens["demo"])
    rows = _contract_rows(gateway, 1)
    cancelled = next(r for r in rows if r[0].status == 4)
    for contract, partner_number, product_name, broker_number in (rows[0], rows[50], cancelled):
        result = client.service.getData(Request={"Versicherungsscheinnummer": contract.policy_number})
        assert [m.MeldungID for m in result.Status.Meldung] == ["01100"]
        v = result.Vertrag
        assert v.Vertragsnummer.Versicherungsscheinnummer == contract.policy_number
        assert v.Vertragsstatus == str(contract.status)
        assert v.Vertragsbeginn == contract.start_date
        assert v.Hauptfaelligkeit == contract.main_due_date
        assert v.Zahlungsweise == str(contract.payment_frequency)
        assert v.Abgangsdatum == contract.cancelled_on
        assert (v.Abgangsdatum is not None) == (contract.status == 4)
        [sales_product] = v.Verkaufsprodukt
        [product] = sales_product.Produkt
        assert (product.Sparte, product.Bezeichnung, product.Status) == (contract.sparte, product_name,
                                                                         str(contract.status))
        assert product.Versicherungsdauer.Beginn == f"{contract.start_date.isoformat()}T00:00"
        assert product.Versicherungsdauer.Ende == (f"{contract.end_date.isoformat()}T00:00"
                                                   if contract.end_date else None)
        premiums = {b.ArtID._value_1: (b.Betrag.Betrag, b.Betrag.Waehrung, b.Zahlungsweise)
                    for b in product.Beitrag}
        frequency = str(contract.payment_frequency)
        assert premiums == {"01": (contract.gross_premium, "EUR", frequency),
                            "02": (contract.net_premium, "EUR", frequency)}
        assert [b.Vermittlernummer for b in v.Vermittler] == [broker_number]
        [holder] = v.Partner
        assert (holder.Partnernummer, holder.PartnerID) == (partner_number, f"P{partner_number}")
        assert v.Vertragspartner.PartnerID == holder.PartnerID


def _names(element) -> list[str]:
    """``prefix:local`` of each child, as a prefix-reading client sees them."""
    return [f"{c.prefix}:{etree.QName(c).localname}" for c in element]


def test_vertrag_response_validates_in_the_official_shape(base_url, gateway, tokens):
    contract = next(r[0] for r in _contract_rows(gateway, 1) if r[0].status == 1 and r[0].end_date is None)
    raw = service_client(base_url, VERTRAG, tokens["demo"], raw=True)
    response = raw.service.getData(Request={"Versicherungsscheinnummer": contract.policy_number})
    element = assert_valid(response.content, "vertrag.xsd")
    vertrag = element.find(f"{q(VERT, 'Response')}/{q(VERT, 'Vertrag')}")
    assert _names(vertrag) == ["vert:Hauptfaelligkeit", "vert:Vertragsbeginn", "vert:Vertragsstatus",
                               "vert:Zahlungsweise", "vert:Verkaufsprodukt", "vert:Vermittler", "vert:Partner",
                               "vert:Vertragsnummer", "vert:Vertragspartner"]
    [product] = vertrag.find(q(VERT, "Verkaufsprodukt"))
    assert _names(product) == ["pm:Bezeichnung", "pm:Beitrag", "pm:Beitrag", "pm:Status",
                               "pm:Versicherungsdauer", "pm:Sparte"]
    premium = product.find(q(PM, "Beitrag"))
    assert _names(premium) == ["pm:ArtID", "pm:Betrag", "pm:Zahlungsweise"]
    assert premium[0].get(q(XSI, "type")) == "dt:STE_BeitragBasis"
    assert _names(premium[1]) == ["allg:Betrag", "allg:Waehrung"]
    assert _names(product.find(q(PM, "Versicherungsdauer"))) == ["allg:Beginn"]
    assert _names(vertrag.find(q(VERT, "Vermittler"))) == ["allg:Vermittlernummer"]
    holder = vertrag.find(q(VERT, "Partner"))
    assert holder.get(q(XSI, "type")) == "part:CT_Person"
    assert _names(holder)[:4] == ["part:Anrede", "part:Name", "part:Partnernummer", "part:PartnerID"]
    assert _names(vertrag.find(q(VERT, "Vertragsnummer"))) == ["allg:Versicherungsscheinnummer"]
    assert _names(vertrag.find(q(VERT, "Vertragspartner"))) == ["part:PartnerID"]
    assert vertrag.find(q(VERT, "Vertragspartner"))[0].text == holder.findtext(q(PART, "PartnerID"))
    for needle in (b"<allg:Versicherungsscheinnummer>", b"<pm:Produkt>", b'xsi:type="part:CT_Person"',
                   b'xmlns:dt="http://www.bipro.net/namespace/datentypen"'):
        assert needle in response.content


def _max_length(schema_name: str, simple_type: str) -> int:
    """The maxLength of a simple type in our published XSD."""
    xsd = "http://www.w3.org/2001/XMLSchema"
    tree = etree.parse(str(SCHEMAS / schema_name))
    [limit] = tree.xpath(f"//xsd:simpleType[@name='{simple_type}']//xsd:maxLength/@value",
                         namespaces={"xsd": xsd})
    return int(limit)


def test_what_staff_and_brokers_may_enter_fits_the_elements_it_is_sent_in():
    """Input is refused where the BiPRO element would be too short: a cut value is a wrong one."""
    address = _max_length("partner.xsd", "ST_Kommunikationsadresse")
    assert address == 60
    assert contact_rules.MAX_LENGTH["email"] <= address and contact_rules.MAX_LENGTH["phone"] <= address
    assert brokers.BROKER_NUMBER_LENGTH <= _max_length("allgemein.xsd", "ST_Text17")
    # ... and the GDV lines, whose broker column is narrower still.
    assert {f.width for f in CONTRACT_0200.fields if f.name == "broker_number"} == {brokers.BROKER_NUMBER_LENGTH}


def test_a_60_character_email_address_saved_in_the_portal_is_a_valid_answer(base_url, gateway, tokens):
    customer = _customers(gateway, "demo")[5]
    address = "m" * 48 + "@beispiel.de"
    with gateway.db.session() as session:
        update_customer_contact(session, CALLERS["demo"], customer.partner_number, customer.version,
                                {"email": address, "phone": "+49 (0)234 / 123 456 789 - 0123 4567"})
    raw = service_client(base_url, PARTNER, tokens["demo"], raw=True)
    response = raw.service.getData(Request={"Partnernummer": customer.partner_number})
    element = assert_valid(response.content, "partner.xsd")
    sent = [k.findtext(q(PART, "Kommunikationsadresse")) for k in element.iter(q(PART, "Kommunikationsverbindung"))]
    assert address in sent
    with pytest.raises(ValidationFailed) as refused:
        with gateway.db.session() as session:
            update_customer_contact(session, CALLERS["demo"], customer.partner_number, customer.version + 1,
                                    {"email": "m" + address})
    assert [(p.field, p.message) for p in refused.value.problems] == [("email", contact_rules.TOO_LONG["email"])]


@pytest.mark.parametrize("caller, owner", [("demo", "demo2"), ("demo2", "demo")])
def test_another_brokers_numbers_are_not_found(base_url, gateway, tokens, caller, owner):
    foreign_customer = _customers(gateway, owner)[0]
    foreign_contract = _contract_rows(gateway, 1 if owner == "demo" else 2)[0][0]
    partner = service_client(base_url, PARTNER, tokens[caller])
    with pytest.raises(Fault) as info:
        partner.service.getData(Request={"Partnernummer": foreign_customer.partner_number})
    assert [m for m, _ in fault_meldungen(info.value.detail)] == ["01101"]
    vertrag = service_client(base_url, VERTRAG, tokens[caller])
    with pytest.raises(Fault) as info:
        vertrag.service.getData(Request={"Versicherungsscheinnummer": foreign_contract.policy_number})
    assert [m for m, _ in fault_meldungen(info.value.detail)] == ["01101"]


def test_unknown_numbers_answer_like_foreign_ones(base_url, tokens):
    raw_p = service_client(base_url, PARTNER, tokens["demo"], raw=True)
    unknown = raw_p.service.getData(Request={"Partnernummer": "99999999"})
    raw_v = service_client(base_url, VERTRAG, tokens["demo"], raw=True)
    unknown_v = raw_v.service.getData(Request={"Versicherungsscheinnummer": "130-99999999"})
    for answer, xsd in ((unknown, "partner.xsd"), (unknown_v, "vertrag.xsd")):
        assert answer.status_code == 500
        exception = assert_valid(answer.content, xsd)
        assert exception.findtext(f".//{q(NAC, 'MeldungID')}") == "01101"
        assert exception.findtext(f".//{q(NAC, 'StatusID')}") == "NOK"


def test_prefix_free_body_without_version(base_url, gateway, tokens):
    customer = _customers(gateway, "demo")[1]
    body = (f'<getData xmlns="{PART}"><Request><Partnernummer>{customer.partner_number}'
            "</Partnernummer></Request></getData>")
    answer = soapraw.post(base_url + PARTNER, soapraw.envelope(body, soapraw.sct_header(tokens["demo"])))
    assert answer.status == 200 and answer.meldung_ids == ["01100"]
    assert answer.tree.findtext(f".//{q(PART, 'Partnernummer')}") == customer.partner_number
    assert_valid(answer.body, "partner.xsd")


def test_other_prefixes_and_version_in_allgemein(base_url, gateway, tokens):
    contract = _contract_rows(gateway, 1)[5][0]
    body = (f'<v:getData xmlns:v="{VERT}" xmlns:a="{ALLG}"><v:Request>'
            "<a:BiPROVersion>2.1.4.1.1</a:BiPROVersion>"
            f"<a:Versicherungsscheinnummer>{contract.policy_number}</a:Versicherungsscheinnummer>"
            "</v:Request></v:getData>")
    answer = soapraw.post(base_url + VERTRAG, soapraw.envelope(body, soapraw.sct_header(tokens["demo"]),
                                                               prefix="S"), soap_action='"urn:getData"')
    assert answer.status == 200 and answer.meldung_ids == ["01100"]
    assert answer.tree.findtext(f".//{q(ALLG, 'Versicherungsscheinnummer')}") == contract.policy_number


def test_missing_number_is_incomplete_data(base_url, tokens):
    body = f'<p:getData xmlns:p="{PART}"><p:Request/></p:getData>'
    answer = soapraw.post(base_url + PARTNER, soapraw.envelope(body, soapraw.sct_header(tokens["demo"])))
    assert answer.is_fault and answer.meldung_ids == ["00001"]


def test_without_token_the_call_is_refused(base_url, gateway):
    customer = _customers(gateway, "demo")[0]
    body = (f'<p:getData xmlns:p="{PART}"><p:Request>'
            f'<p:Partnernummer>{customer.partner_number}</p:Partnernummer></p:Request></p:getData>')
    answer = soapraw.post(base_url + PARTNER, soapraw.envelope(body, ""))
    assert answer.is_fault
    assert answer.tree.find(f".//{q(SOAPENV, 'Fault')}") is not None
    assert customer.last_name.encode() not in answer.body

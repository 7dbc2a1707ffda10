"""Our answers in the official BiPRO shapes, and our XSDs as one schema set.

A broker program generated from the official schemas loads every XSD of
every service into one type set (Java's SchemaFactory, .NET) and then reads
our answers with it. So: all served XSDs load together, in Java and in lxml;
every Partner, Vertrag, search and getShipment answer validates against
them; the XSDs reject the old, unofficial shapes; and their code lists are
the code's.
"""

from __future__ import annotations

import copy
import re

import pytest
from lxml import etree
from sqlalchemy import select, text

from bipro.soap import code_lists
from bipro.soap.code_lists import write_enumerations
from bipro.soap.namespaces import ALLG, DAT, ENU, GEVO, NAC, PART, PM, RESPONSE_NSMAP, VERT, q
from bipro.soap.registry import soap_applications
from bipro.soap.service import SCHEMA_DIR
from store.base import utcnow
from store.models import Contract, Customer, Shipment
from tests.support import soapraw
from tests.support.bipro_client import request_token
from tests.support.transfer import TRANSFER_PATH, decode_mtom
from tests.support.wire_schemas import (
    XSD,
    answer_element,
    combined_schema,
    compile_java,
    is_valid,
    java_check,
    served_schemas,
    validate,
)

PARTNER = "/bipro/501_Partner/Service_2.6.1.1.0"
VERTRAG = "/bipro/502_Vertrag/Service_2.6.1.1.0"
LISTE = "/bipro/480_Liste/Service_2.6.1.1.0"
PARTNER_DIALECT = "http://www.bipro.net/namespace/kontext/partner"
VERTRAG_DIALECT = "http://www.bipro.net/namespace/kontext/vertrag"
FIRST = 50
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


@pytest.fixture(scope="module")
def schemas(base_url, gateway):
    return served_schemas(base_url, soap_applications(gateway))


@pytest.fixture(scope="module")
def combined(schemas, tmp_path_factory):
    return combined_schema(schemas, tmp_path_factory.mktemp("xsd"))


@pytest.fixture(scope="module")
def java(tmp_path_factory):
    return compile_java(tmp_path_factory.mktemp("java"))


@pytest.fixture(scope="module")
def token(base_url):
    return request_token(base_url, "demo")


def _call(base_url, path, token, body: str) -> bytes:
    answer = soapraw.post(base_url + path, soapraw.envelope(body, soapraw.sct_header(token)))
    assert answer.status == 200, answer.body[:500]
    return answer.body


def _get_partner(base_url, token, number) -> bytes:
    return _call(base_url, PARTNER, token, f'<p:getData xmlns:p="{PART}"><p:Request>'
                 f"<p:Partnernummer>{number}</p:Partnernummer></p:Request></p:getData>")


def _get_contract(base_url, token, number) -> bytes:
    return _call(base_url, VERTRAG, token, f'<v:getData xmlns:v="{VERT}" xmlns:a="{ALLG}"><v:Request>'
                 f"<a:Versicherungsscheinnummer>{number}</a:Versicherungsscheinnummer></v:Request></v:getData>")


def _java_validates(java, schemas, folder, elements: dict) -> None:
    """Java's SchemaFactory, loaded with every served XSD, accepts each element (name -> element)."""
    for name, element in elements.items():
        (folder / f"{name}.xml").write_bytes(etree.tostring(element))
    assert java_check(java, sorted(schemas), sorted(folder.glob("*.xml"))) == "OK"


def _first(gateway, model, column, count=FIRST, **where):
    with gateway.db.session() as s:
        query = select(column).where(model.broker_id == 1).order_by(model.id)
        if count is not None:
            query = query.limit(count)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(s.scalars(query))


# --- the XSDs as one schema set ---------------------------------------------------------------------------

def test_every_namespace_is_published_in_one_document(schemas):
    by_namespace = {}
    for schema in schemas.values():
        by_namespace.setdefault(schema.namespace, set()).add(schema.name)
    assert {ns: names for ns, names in by_namespace.items() if len(names) > 1} == {}
    for namespace in (ALLG, DAT, PART, PM, VERT):
        assert namespace in by_namespace
    assert {s.name for s in schemas.values()} <= {p.name for p in SCHEMA_DIR.glob("*.xsd")}


def test_all_served_schemas_load_together_in_java(schemas, java):
    assert java_check(java, sorted(schemas)) == "OK"


def test_all_served_schemas_load_together_in_lxml(combined):
    assert isinstance(combined, etree.XMLSchema)


def test_code_lists_and_schema_enumerations_agree():
    defined = {(c.namespace, c.type_name): list(c.codes) for c in code_lists.ALL}
    found = {}
    for name in code_lists.SCHEMAS:
        tree = etree.parse(str(SCHEMA_DIR / name))
        namespace = tree.getroot().get("targetNamespace")
        for node in tree.getroot():
            values = [e.get("value") for e in node.iter(q(XSD, "enumeration"))]
            if values:
                found[(namespace, node.get("name"))] = values
        text_now = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert write_enumerations(text_now, [c for c in code_lists.ALL if c.schema == name]) == text_now, \
            f"schemas/{name}: run python -m bipro.soap.code_lists"
    assert found == defined


# The official codes (bipro-types.md): what the one code list may hold and nothing else.
OFFICIAL_CODES = {
    "ANREDE": {"0", "1", "2", "3", "4", "5"},
    "VERTRAGSSTATUS": {"1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B"},
    "ZAHLUNGSWEISE": {"1", "2", "3", "4", "5", "6", "7", "8", "9"},
}


def test_the_stores_codes_are_in_the_official_lists():
    from store import code_lists as portfolio_codes
    for name, official in OFFICIAL_CODES.items():
        held = {str(code) for code in getattr(portfolio_codes, name)}
        assert held <= official, name
        assert set(getattr(code_lists, name).codes) == held, name  # the wire list is the store's
    assert all(len(code) == 3 and code.isdigit() for code in portfolio_codes.SPARTE)
    assert set(code_lists.SPARTE.codes) == set(portfolio_codes.SPARTE)
    assert [code_lists.vehicle_country_code(c) for c in ("D", "DE", "deu", "AT", "CH", "XX", "")] == \
        ["D", "D", "D", "A", "CH", None, None]


# --- every answer validates ---------------------------------------------------------------------------------

def test_first_partners_and_contracts_by_get_data(base_url, gateway, token, combined, schemas, java, tmp_path):
    received = {}
    for number in _first(gateway, Customer, Customer.partner_number):
        received[f"partner-{number}"] = answer_element(_get_partner(base_url, token, number))
    for number in _first(gateway, Contract, Contract.policy_number):
        received[f"vertrag-{number}"] = answer_element(_get_contract(base_url, token, number))
    assert len(received) == 2 * FIRST
    for element in received.values():
        validate(combined, element)
    _java_validates(java, schemas, tmp_path, received)


@pytest.mark.parametrize("dialect, model, column, element", [
    (PARTNER_DIALECT, Customer, Customer.partner_number, q(PART, "Partner")),
    (VERTRAG_DIALECT, Contract, Contract.policy_number, q(VERT, "Vertrag")),
])
def test_first_search_hits(base_url, gateway, token, combined, schemas, java, tmp_path, dialect, model, column,
                           element):
    xml = _call(base_url, LISTE, token, f'<Enumerate xmlns="{ENU}"><Filter Dialect="{dialect}"/>'
                                        f"<MaxItems>{FIRST}</MaxItems></Enumerate>")
    validate(combined, answer_element(xml))
    hits = list(answer_element(xml).iter(element))
    number = q(PART, "Partnernummer") if model is Customer else f"{q(VERT, 'Vertragsnummer')}/" \
                                                                 f"{q(ALLG, 'Versicherungsscheinnummer')}"
    numbers = [hit.findtext(number) for hit in hits]
    assert len(set(numbers)) == FIRST and set(numbers) <= set(_first(gateway, model, column, count=None))
    for hit in hits:
        validate(combined, hit)
    _java_validates(java, schemas, tmp_path, {"liste": answer_element(xml)})


def test_cancelled_contract_carries_its_abgangsdatum(base_url, gateway, token, combined, schemas, java, tmp_path):
    with gateway.db.session() as s:
        contract = s.scalars(select(Contract).where(Contract.broker_id == 1, Contract.status == 4)
                             .order_by(Contract.id)).first()
        assert contract.cancelled_on is not None
    xml = _get_contract(base_url, token, contract.policy_number)
    vertrag = answer_element(xml).find(f"{q(VERT, 'Response')}/{q(VERT, 'Vertrag')}")
    validate(combined, vertrag)
    assert vertrag[0].tag == q(VERT, "Abgangsdatum") and vertrag[0].text == contract.cancelled_on.isoformat()
    assert vertrag.findtext(q(VERT, "Vertragsstatus")) == "4"
    _java_validates(java, schemas, tmp_path, {"storniert": answer_element(xml)})


def test_customer_without_phone_or_email_and_one_with_a_title(base_url, gateway, token, combined):
    plain, titled = _first(gateway, Customer, Customer.partner_number, count=2)
    with gateway.db.engine.begin() as conn:
        conn.execute(text("UPDATE customers SET phone = '', email = '' WHERE partner_number = :p"), {"p": plain})
        conn.execute(text("UPDATE customers SET title = 'Dr.', country = 'DE' WHERE partner_number = :p"),
                     {"p": titled})
    bare = answer_element(_get_partner(base_url, token, plain)).find(f"{q(PART, 'Response')}/{q(PART, 'Partner')}")
    validate(combined, bare)
    assert bare.find(q(PART, "Kommunikationsverbindung")) is None
    xml = _get_partner(base_url, token, titled)
    doctor = answer_element(xml).find(f"{q(PART, 'Response')}/{q(PART, 'Partner')}")
    validate(combined, doctor)
    assert doctor[-1].tag == q(PART, "Titel") and doctor[-1].text == "Dr."
    assert doctor.findtext(f"{q(PART, 'Anschrift')}/{q(ALLG, 'Land')}") == "D"
    # The same person inside a contract they hold.
    [policy] = _first(gateway, Contract, Contract.policy_number, count=1,
                      customer_id=_first(gateway, Customer, Customer.id, count=1)[0])
    holder = answer_element(_get_contract(base_url, token, policy)).find(f".//{q(VERT, 'Partner')}")
    validate(combined, holder.getparent())
    assert holder.findtext(q(PART, "Partnernummer")) == plain
    assert holder.find(q(PART, "Kommunikationsverbindung")) is None


def test_every_get_shipment_answer(base_url, gateway, token, combined, schemas, java, tmp_path):
    with gateway.db.session() as s:
        shipments = list(s.scalars(select(Shipment.public_id).where(
            Shipment.broker_id == 1, Shipment.available_until > utcnow()).order_by(Shipment.id)))
    assert shipments
    some = {}
    for number, shipment_id in enumerate(shipments):
        answer = soapraw.post(base_url + TRANSFER_PATH, soapraw.envelope(
            f'<t:getShipment xmlns:t="http://www.bipro.net/namespace/transfer"><t:Request>'
            f"<t:ID>{shipment_id}</t:ID></t:Request></t:getShipment>", soapraw.sct_header(token)))
        assert answer.status == 200
        if answer.content_type.startswith("multipart/related"):
            envelope = decode_mtom(answer.content_type, answer.body).reconstructed()
        else:
            envelope = etree.fromstring(answer.body)
        element = answer_element(envelope)
        validate(combined, element)
        assert [TIMESTAMP.match(e.text) is not None for e in element.iter(q(GEVO, "Erstelldatum"))] == [True]
        files = list(element.iter(q(ALLG, "Datei")))
        assert files
        for datei in files:
            assert TIMESTAMP.match(datei.findtext(q(ALLG, "Erstelldatum")))
            assert len(datei.findall(q(ALLG, "Pruefsumme"))) == 1
        if number < 3:  # Java validates a few; the files make them large
            some[f"lieferung-{number}"] = element
    _java_validates(java, schemas, tmp_path, some)


# --- the XSDs reject the shapes the official types do not have ---------------------------------------------

def _partner_answer(base_url, gateway, token):
    [number] = _first(gateway, Customer, Customer.partner_number, count=1, id=3)
    return answer_element(_get_partner(base_url, token, number))


def _street_in_partner_namespace(element):
    street = next(element.iter(q(ALLG, "Strasse")))
    street.tag = q(PART, "Strasse")


def _contact_kind_as_word(element):
    next(element.iter(q(PART, "Kommunikationsverbindung")))[0].text = "EMail"


def _iso_country(element):
    next(element.iter(q(ALLG, "Land"))).text = "DE"


def _four_part_version(element):
    next(element.iter(q(NAC, "BiPROVersion"))).text = "1.0.1.0"


@pytest.mark.parametrize("spoil", [_street_in_partner_namespace, _contact_kind_as_word, _iso_country,
                                   _four_part_version])
def test_schemas_reject_unofficial_partner_shapes(base_url, gateway, token, combined, spoil):
    element = _partner_answer(base_url, gateway, token)
    assert is_valid(combined, element)
    spoilt = copy.deepcopy(element)
    spoil(spoilt)
    assert not is_valid(combined, spoilt)


def _premium_in_contract(vertrag):
    premium = etree.Element(q(VERT, "Beitrag"))
    etree.SubElement(premium, q(VERT, "Betrag")).text = "12.34"
    vertrag.find(q(VERT, "Vertragsnummer")).addprevious(premium)


def _sparte_in_contract(vertrag):
    sparte = etree.Element(q(VERT, "Sparte"))
    sparte.text = "130"
    vertrag.find(q(VERT, "Verkaufsprodukt")).addprevious(sparte)


def _partner_without_type(vertrag):
    partner = vertrag.find(q(VERT, "Partner"))
    partner.attrib.clear()


def _period_with_seconds(vertrag):
    next(vertrag.iter(q(ALLG, "Beginn"))).text += ":00"


@pytest.mark.parametrize("spoil", [_premium_in_contract, _sparte_in_contract, _partner_without_type,
                                   _period_with_seconds])
def test_schemas_reject_unofficial_contract_shapes(base_url, gateway, token, combined, spoil):
    [policy] = _first(gateway, Contract, Contract.policy_number, count=1)
    vertrag = answer_element(_get_contract(base_url, token, policy)).find(f".//{q(VERT, 'Vertrag')}")
    assert is_valid(combined, vertrag)
    spoilt = copy.deepcopy(vertrag)
    spoil(spoilt)
    assert not is_valid(combined, spoilt)


def test_schemas_reject_a_date_as_file_timestamp_and_two_checksums(combined):
    datei = etree.fromstring(
        f'<allg:Datei xmlns:allg="{ALLG}"><allg:Komprimierungstyp>KEINE</allg:Komprimierungstyp>'
        "<allg:Erstelldatum>2026-11-29T08:15:00</allg:Erstelldatum>"
        "<allg:Pruefsumme><allg:Typ>SHA1</allg:Typ><allg:Wert>ab</allg:Wert></allg:Pruefsumme></allg:Datei>")
    assert is_valid(combined, datei)
    as_date = copy.deepcopy(datei)
    as_date[1].text = "2026-11-29"
    assert not is_valid(combined, as_date)
    twice = copy.deepcopy(datei)
    twice.append(copy.deepcopy(twice[2]))
    assert not is_valid(combined, twice)


def test_fixed_prefixes_with_pm_dt_and_xsi_declared_once_on_the_envelope(base_url, gateway, token):
    [policy] = _first(gateway, Contract, Contract.policy_number, count=1)
    xml = _get_contract(base_url, token, policy)
    root = etree.fromstring(xml)
    assert root.nsmap == RESPONSE_NSMAP
    assert {"pm", "dt", "xsi"} <= set(root.nsmap)
    assert all(node.nsmap == root.nsmap for node in root.iter())  # nothing redeclared below
    assert xml.count(b"xmlns:pm=") == 1 and b"ns0:" not in xml

"""No field of any portal form or numeric SOAP field can cause a 500 or a traceback.

Every form is found on the portal's own pages (so a new form is covered by
itself) and every field of it is driven with huge, negative, non-ASCII and
empty values; the answer is a page, a redirect or a 4xx, never a 500. The
SOAP side sends the same values in every numeric request field (and the
Norm 420 answer of every numeric risk question): a BiPRO answer or fault.
Nothing may log an exception on the way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote, urljoin

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bipro.core.tariff import QuestionType, products_on_offer
from bipro.core.tariff.quotes import today
from bipro.soap.namespaces import TAA
from bipro.soap.registry import soap_applications
from portal import create_app
from tests.hostile.case import Case, envelope, xml_escape
from tests.hostile.checks import problems_with_answer, send
from tests.hostile.services import registered
from tests.hostile.wsdl_fields import SchemaSet
from tests.support.bipro_client import request_token
from tests.support.customers import customers_with_contracts
from tests.support.portal import log_in, new_user
from tests.support.soapraw import sct_header
from tests.support.taa import TAA_PATH

SOAP_TIMEOUT = 30.0  # this test looks for errors, not speed: a loaded machine may be slow
EXAMPLES = 60  # per test: enough to reach every field class, fast enough for the quick loop
LIMITS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HOSTILE_NUMBERS = st.one_of(
    st.just(""),
    st.sampled_from(["9" * 5000, "-" + "9" * 5000, "99999999999999999999999", "2147483648",
                     "9223372036854775808", "-1", "-2147483649", "0", "1e400", "NaN", "Infinity",
                     "0x10", "1,5e308", "١٢٣", "１２３", "²³", "½", "1.000.000.000.000.000.000,5",
                     " ", "\x00", "\u202e1"]),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.integers(min_value=19, max_value=6000).map(lambda n: "9" * n),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)


class ErrorLog(logging.Handler):
    """Every record with an exception or at ERROR, from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)

    def problems(self) -> list[str]:
        found = [f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else f"{r.name}: {r.getMessage()}"
                 for r in self.records]
        self.records.clear()
        return found


@pytest.fixture(scope="module")
def error_log(gateway):
    """Per backend: a server stopped for the previous one may log its closing socket."""
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


# --- the portal --------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """A form as the page offers it: where it goes, how, and its fields with their values."""

    page: str
    action: str
    method: str
    fields: tuple[tuple[str, str], ...]
    anonymous: bool


def forms_on(client, page: str, anonymous: bool) -> list[Form]:
    response = client.get(page)
    if response.status_code == 302 and not anonymous:
        return []  # a page for visitors (login, "Passwort vergessen"): read as one
    assert response.status_code == 200, page
    document = lxml.html.fromstring(response.get_data(as_text=True))
    found = []
    for form in document.forms:
        action = urljoin(page, form.get("action") or page)
        if action == "/abmelden":
            continue  # logging out is not input
        values = dict(form.form_values())
        fields = tuple((name, values.get(name, "")) for name in form.inputs.keys() if name)
        found.append(Form(page, action, (form.method or "GET").upper(), fields, anonymous))
    return found


@pytest.fixture(scope="module")
def portal(gateway, error_log):
    """Clients (anonymous, logged in as a login of its own) and every form of the portal."""
    app = create_app(gateway, {"TESTING": True, "PROPAGATE_EXCEPTIONS": False})
    anonymous, member = app.test_client(), app.test_client()
    login, password = new_user(gateway, email="formulare@makler.example")
    assert log_in(member, login, password).status_code == 302
    pages = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
             and not rule.rule.endswith(("/csv", "/excel", "/pdf", "/drucken", "/kopieren", "/daten"))]
    customer = "/kunden/" + customers_with_contracts(gateway, 1, 1, offset=5)[0]
    pages += [f"{customer}/bearbeiten", *(f"/tarifrechner/{p.product_id}" for p in products_on_offer(today()))]
    forms = [form for page in sorted(set(pages)) for form in forms_on(member, page, False)]
    forms += [form for page in ("/login", "/passwort-vergessen") for form in forms_on(anonymous, page, True)]
    targets = [(form, name) for form in forms for name, _value in form.fields if name != "csrf_token"]
    assert {"/login", "/passwort-aendern", f"{customer}/bearbeiten"} <= {f.action for f in forms}
    assert any(f.action.startswith("/tarifrechner/") for f in forms)
    assert error_log.problems() == []
    return anonymous, member, targets


@LIMITS
@given(data=st.data())
def test_no_portal_form_field_causes_a_server_error(portal, error_log, data):
    anonymous, member, targets = portal
    form, name = data.draw(st.sampled_from(targets), label="field")
    value = data.draw(HOSTILE_NUMBERS, label="value")
    client = anonymous if form.anonymous else member
    values = {**dict(form.fields), name: value}
    if form.method == "POST":
        response = client.post(form.action, data=values)
    else:
        response = client.get(form.action, query_string=values)
    assert response.status_code < 500, (form.action, name, value[:40], response.status_code)
    response.close()
    assert error_log.problems() == []


def test_a_5000_digit_number_in_any_tariff_field_gets_a_german_message(portal, error_log):
    _anonymous, member, targets = portal
    numeric = {(p.product_id, q.name) for p in products_on_offer(today()) for q in p.questions
               if q.type in (QuestionType.INTEGER, QuestionType.DECIMAL)}
    tried = 0
    for form, name in targets:
        product_id = form.action.removeprefix("/tarifrechner/")
        if (product_id, name) in numeric:
            response = member.post(form.action, data={**dict(form.fields), name: "9" * 5000})
            assert response.status_code in (200, 422), (form.action, name)
            assert "zu viele Stellen" in response.get_data(as_text=True), (form.action, name)
            tried += 1
    assert tried >= len(numeric)
    assert error_log.problems() == []


CONTROL_VALUES = ["\x00", "a\x00b", "\x1b[31m", "\u202e"]  # PostgreSQL refuses NUL in any text


def test_a_control_character_in_any_portal_form_field_is_answered(portal, error_log):
    """Every field, not a sample: a NUL byte is the one value PostgreSQL refuses outright."""
    anonymous, member, targets = portal
    for form, name in targets:
        client = anonymous if form.anonymous else member
        for value in CONTROL_VALUES:
            values = {**dict(form.fields), name: value}
            if form.method == "POST":
                response = client.post(form.action, data=values)
            else:
                response = client.get(form.action, query_string=values)
            assert response.status_code < 500, (form.action, name, value, response.status_code)
            response.close()
        assert error_log.problems() == [], (form.action, name)


URL_PARAMETERS = ["/posteingang/{}", "/kunden/{}", "/kunden/{}/bearbeiten", "/vertraege/{}",
                  "/tarifrechner/{}", "/passwort-zuruecksetzen/{}"]


def test_ids_beyond_the_database_integer_are_not_found(portal, error_log):
    _anonymous, member, _targets = portal
    for huge in ("99999999999999999999999", "2147483648", "9223372036854775808", "9" * 5000):
        response = member.get(f"/posteingang/{huge}")
        assert response.status_code == 404, huge
        assert "nicht gefunden" in response.get_data(as_text=True)
    assert error_log.problems() == []


@LIMITS
@given(data=st.data())
def test_no_url_parameter_causes_a_server_error(portal, error_log, data):
    _anonymous, member, _targets = portal
    path = data.draw(st.sampled_from(URL_PARAMETERS), label="path")
    value = data.draw(HOSTILE_NUMBERS.filter(lambda v: v.strip()), label="value")
    response = member.get(path.format(quote(value, safe="")))
    assert response.status_code < 500, (path, value[:40], response.status_code)
    response.close()
    assert error_log.problems() == []


# --- the BiPRO services --------------------------------------------------------------

# Request fields that carry a number (or a code made of digits), whatever their XSD type.
NUMERIC_NAMES = {"MaxItems", "MaxElements", "MaxTime", "Sparte", "ID", "Partnernummer", "Postleitzahl",
                 "Versicherungsscheinnummer"}
NUMERIC_BUILTINS = {"int", "integer", "long", "short", "decimal", "positiveInteger", "nonNegativeInteger",
                    "duration"}


@dataclass(frozen=True)
class SoapField:
    name: str
    path: str
    build: object  # value -> request body (the operation element as text)


def schema_fields(gateway) -> list[SoapField]:
    found = []
    for path, guard in registered(soap_applications(gateway)):
        if guard.wsdl_path is None:
            continue
        schemas = SchemaSet(guard.wsdl_path)
        for operation in schemas.operations():
            for leaf in operation.leaves:
                local = etree.QName(leaf.path[-1]).localname
                if local in NUMERIC_NAMES or leaf.builtin in NUMERIC_BUILTINS:
                    def build(value, schemas=schemas, operation=operation, leaf=leaf):
                        return etree.tostring(schemas.request(operation, leaf, value), encoding="unicode")
                    name = f"{etree.QName(operation.element).localname}/{local}"
                    found.append(SoapField(name, path, build))
    return found


def risk_question_fields() -> list[SoapField]:
    """The Norm 420 answer of every numeric question of every product on offer."""
    found = []
    for product in products_on_offer(today()):
        for question in product.questions:
            if question.type not in (QuestionType.INTEGER, QuestionType.DECIMAL):
                continue

            def build(value, product=product, question=question):
                return (f'<taa:getQuote xmlns:taa="{TAA}"><taa:Request><taa:Tarifierung>'
                        f"<taa:Verkaufsprodukt><taa:Sparte>{product.sparte}</taa:Sparte>"
                        f"<taa:ProduktID>{product.product_id}</taa:ProduktID></taa:Verkaufsprodukt>"
                        f"<taa:Risikodaten><taa:Angabe><taa:Name>{question.name}</taa:Name>"
                        f"<taa:Wert>{xml_escape(value)}</taa:Wert></taa:Angabe></taa:Risikodaten>"
                        "</taa:Tarifierung></taa:Request></taa:getQuote>")
            found.append(SoapField(f"getQuote/{product.product_id}/{question.name}", TAA_PATH, build))
    return found


@pytest.fixture(scope="module")
def soap(gateway, base_url, error_log):
    fields = schema_fields(gateway) + risk_question_fields()
    names = {f.name for f in fields}
    assert {"Pull/MaxElements", "Pull/MaxCharacters", "getQuote/Sparte"} <= names
    assert any(name.startswith("getQuote/HR-") for name in names)
    token = request_token(base_url)
    error_log.problems()
    return token, fields


XML_TEXT = HOSTILE_NUMBERS.map(lambda v: "".join(c for c in v if c in "\t\n\r" or " " <= c <= "\ud7ff"
                                                 or "\ue000" <= c <= "\ufffd" or c > "\uffff"))


@LIMITS
@given(data=st.data())
def test_no_numeric_soap_field_causes_an_error_beyond_a_fault(base_url, soap, error_log, data):
    token, fields = soap
    field = data.draw(st.sampled_from(fields), label="field")
    value = data.draw(XML_TEXT, label="value")
    body = envelope(field.build(value), sct_header(token)).encode("utf-8")
    case = Case(field.name, body, frozenset(), path=field.path, answer_ok=True)
    answer = send(base_url, case, timeout=SOAP_TIMEOUT)
    assert problems_with_answer(case, answer) == [], (field.name, value[:40])
    assert error_log.problems() == []


def test_a_5000_digit_risk_answer_gets_a_fault_without_a_traceback(base_url, soap, error_log):
    token, fields = soap
    for field in fields:
        if field.path == TAA_PATH and field.name.count("/") == 2:
            body = envelope(field.build("9" * 5000), sct_header(token)).encode("utf-8")
            answer = send(base_url, Case(field.name, body, frozenset(), path=TAA_PATH), timeout=SOAP_TIMEOUT)
            assert answer.status == 500 and b"01003" in answer.body and b"zu viele Stellen" in answer.body, \
                (field.name, answer.body[:500])
    assert error_log.problems() == []


def test_a_5000_digit_number_in_every_numeric_soap_field_is_answered(base_url, soap, error_log):
    token, fields = soap
    for field in fields:
        body = envelope(field.build("9" * 5000), sct_header(token)).encode("utf-8")
        case = Case(field.name, body, frozenset(), path=field.path, answer_ok=True)
        assert problems_with_answer(case, send(base_url, case, timeout=SOAP_TIMEOUT)) == [], field.name
    assert error_log.problems() == []

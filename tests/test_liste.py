"""Norm 480: plain W3C WS-Enumeration searches page through every hit once, contexts are private and expire."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter

import pytest
from lxml import etree
from sqlalchemy import select, update
from zeep import xsd
from zeep.plugins import HistoryPlugin, Plugin

from bipro.core.identity.accounts import create_user
from bipro.core.search.enumeration import context_hash
from bipro.soap.namespaces import ENU, LISTE, NAC, PART, VERT, q
from store.base import utcnow
from store.models import Contract, Customer, EnumerationContext
from tests.support import soapraw
from tests.support.bipro_client import request_token, service_client
from tests.support.callers import STAFF
from tests.support.portfolio_services import assert_valid, body_element

LISTE_PATH = "/bipro/480_Liste/Service_2.6.1.1.0"
PARTNER_DIALECT = "http://www.bipro.net/namespace/kontext/partner"
VERTRAG_DIALECT = "http://www.bipro.net/namespace/kontext/vertrag"
SCHEMA = "liste.xsd"  # ours, importing the W3C ws-enumeration.xsd


@pytest.fixture(scope="module")
def tokens(base_url, gateway):
    with gateway.db.session() as s:
        _, password = create_user(s, gateway.identity_policy, "100100", "Zweite Kollegin", "zwei@example.org",
                                  login="demo-zweite", by=STAFF)
    return {"demo": request_token(base_url, "demo"), "demo2": request_token(base_url, "demo2"),
            "colleague": request_token(base_url, "demo-zweite", password)}


class Liste:
    """Raw WS-Enumeration calls of one user; every answer is checked against the schemas."""

    def __init__(self, base_url: str, token: str) -> None:
        self.url = base_url + LISTE_PATH
        self.header = soapraw.sct_header(token)

    def post(self, body: str) -> soapraw.SoapAnswer:
        answer = soapraw.post(self.url, soapraw.envelope(body, self.header))
        assert_valid(answer.body, SCHEMA)
        return answer

    def enumerate(self, dialect: str, max_elements: int | str | None = None, **fields) -> soapraw.SoapAnswer:
        values = "".join(f"<liste:{k}>{v}</liste:{k}>" for k, v in fields.items())
        size = f"<liste:MaxElements>{max_elements}</liste:MaxElements>" if max_elements is not None else ""
        return self.post(f'<wsen:Enumerate xmlns:wsen="{ENU}" xmlns:liste="{LISTE}" xmlns:nac="{NAC}">'
                         f'<wsen:Filter Dialect="{dialect}">{values}</wsen:Filter>'
                         f"<nac:BiPROVersion>2.6.1.1.0</nac:BiPROVersion>{size}</wsen:Enumerate>")

    def pull(self, context: str, max_elements: int | None = None) -> soapraw.SoapAnswer:
        size = f"<wsen:MaxElements>{max_elements}</wsen:MaxElements>" if max_elements else ""
        return self.post(f'<wsen:Pull xmlns:wsen="{ENU}"><wsen:EnumerationContext>{context}'
                         f"</wsen:EnumerationContext>{size}</wsen:Pull>")

    def release(self, context: str) -> soapraw.SoapAnswer:
        return self.post(f'<wsen:Release xmlns:wsen="{ENU}"><wsen:EnumerationContext>{context}'
                         "</wsen:EnumerationContext></wsen:Release>")


def _answer(answer: soapraw.SoapAnswer):
    """The body element of a successful answer (EnumerateResponse, PullResponse, ReleaseResponse)."""
    assert answer.status == 200, answer.body[:800]
    return body_element(answer.body)


def _context(answer) -> str | None:
    """The context to Pull with, None when the search is over (absent or empty)."""
    return _answer(answer).findtext(q(ENU, "EnumerationContext")) or None


def _ended(answer) -> bool:
    response = _answer(answer)
    return (response.find(q(ENU, "EndOfSequence")) is not None
            or response.find(q(LISTE, "EndOfSequence")) is not None)


def _hits(answer) -> list:
    """The Partner or Vertrag of every Ergebniseintrag of the answer's page."""
    response = _answer(answer)
    items = response.find(q(LISTE, "Items"))
    if items is None:
        items = response.find(q(ENU, "Items"))
    if items is None:
        return []
    assert all(e.tag == q(LISTE, "Ergebniseintrag") and len(e) == 1 for e in items)
    return [e[0] for e in items]


def _numbers_of(answer) -> list[str]:
    found = []
    for hit in _hits(answer):
        if hit.tag == q(PART, "Partner"):
            found.append(hit.findtext(q(PART, "Partnernummer")))
        else:
            assert hit.tag == q(VERT, "Vertrag")
            found.append(hit.findtext(f"{q(VERT, 'Vertragsnummer')}/*"))
    return found


@pytest.fixture(scope="module")
def liste(base_url, tokens):
    return Liste(base_url, tokens["demo"])


def _common_last_name(gateway, minimum=7):
    """A surname that, as a part of names, fits at least *minimum* customers (e.g. Schmid: Schmidt too)."""
    with gateway.db.session() as s:
        names = s.scalars(select(Customer.last_name).where(Customer.broker_id == 1)).all()
    counts = {term: sum(term.lower() in name.lower() for name in names) for term in set(names)}
    term = max(sorted(counts), key=counts.get)
    assert counts[term] >= minimum
    return term


def _expected_partner_numbers(gateway, broker_id, last_name):
    """Every customer of the broker whose surname contains the term, upper and lower case alike."""
    with gateway.db.session() as s:
        rows = s.execute(select(Customer.partner_number, Customer.last_name)
                         .where(Customer.broker_id == broker_id)).all()
    return {number for number, name in rows if last_name.lower() in name.lower()}


def _all_pages(liste, first) -> list:
    """Every answer of the search, following the context to the end."""
    pages = [first]
    while _context(pages[-1]):
        assert not _ended(pages[-1])
        pages.append(liste.pull(_context(pages[-1])))
    assert _ended(pages[-1])
    return pages


def _numbers(pages) -> list[str]:
    return [n for page in pages for n in _numbers_of(page)]


def _meldungen(answer) -> list[str]:
    return answer.meldung_ids


def test_surname_search_pages_through_every_match_once(liste, gateway):
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    assert len(expected) > 6  # at least three pages of three
    first = liste.enumerate(PARTNER_DIALECT, 3, Name=last_name)
    pages = _all_pages(liste, first)
    found = _numbers(pages)
    assert len(pages) == -(-len(expected) // 3)
    assert all(len(_numbers_of(p)) == 3 for p in pages[:-1])
    assert not [n for n, count in Counter(found).items() if count > 1]
    assert set(found) == expected
    assert found == sorted(found, key=int)  # the stable order: by Partnernummer
    assert all(p.meldung_ids == ["01100"] for p in pages)


def test_a_decomposed_umlaut_in_a_filter_finds_the_typed_one(liste, gateway):
    """``u`` and a combining diaeresis, as a Mac sends them, match the stored ``ü``."""
    with gateway.db.session() as s:
        name = s.scalars(select(Customer.last_name).where(Customer.broker_id == 1, Customer.last_name.like("%ü%"))
                         .order_by(Customer.id)).first()
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    typed = _numbers(_all_pages(liste, liste.enumerate(PARTNER_DIALECT, 100, Name=name)))
    assert typed and _numbers(_all_pages(liste, liste.enumerate(PARTNER_DIALECT, 100, Name=decomposed))) == typed


def test_plain_enumerate_gives_every_hit_through_pull(liste, gateway):
    """A client that knows only the W3C elements: no hits in EnumerateResponse, all of them with Pull."""
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    first = liste.enumerate(PARTNER_DIALECT, Name=last_name)
    response = _answer(first)
    assert [etree.QName(c).localname for c in response] == ["EnumerationContext", "BiPROVersion", "Status"]
    assert _context(first) and not _hits(first) and not _ended(first)
    pages = [first]
    while _context(pages[-1]):
        pages.append(liste.pull(_context(pages[-1]), max_elements=2))
    assert set(_numbers(pages)) == expected and len(pages) == 1 + -(-len(expected) // 2)
    last = _answer(pages[-1])
    assert [etree.QName(c).localname for c in last] == ["Items", "EndOfSequence", "BiPROVersion", "Status"]


def test_plain_enumerate_without_hits_ends_with_an_empty_pull(liste):
    first = liste.enumerate(PARTNER_DIALECT, Name="Qxzyvw")
    last = liste.pull(_context(first))
    assert [etree.QName(c).localname for c in _answer(last)] == ["EndOfSequence", "BiPROVersion", "Status"]
    assert last.status_id == "OK"


def test_answers_use_only_w3c_elements_in_the_frame(liste):
    first = liste.enumerate(VERTRAG_DIALECT, 4)
    response = _answer(first)
    assert [etree.QName(c).text for c in response] == [
        q(ENU, "EnumerationContext"), q(NAC, "BiPROVersion"), q(NAC, "Status"), q(LISTE, "Items")]
    assert len(_hits(first)) == 4
    for literal in (b"<wsen:EnumerateResponse", b"<wsen:EnumerationContext>", b"<liste:Items>",
                    b"<liste:Ergebniseintrag><vert:Vertrag", b"<nac:BiPROVersion>2.6.1.1.0<"):
        assert literal in first.body
    second = liste.pull(_context(first), max_elements=2)
    assert [etree.QName(c).text for c in _answer(second)] == [
        q(ENU, "EnumerationContext"), q(ENU, "Items"), q(NAC, "BiPROVersion"), q(NAC, "Status")]
    assert b"<wsen:PullResponse><wsen:EnumerationContext>" in second.body
    assert b"<wsen:Items><liste:Ergebniseintrag><vert:Vertrag" in second.body


def test_pull_may_change_the_page_size(liste, gateway):
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    first = liste.enumerate(PARTNER_DIALECT, 2, Name=last_name.upper())
    second = liste.pull(_context(first), max_elements=1000)
    assert _context(second) is None and _ended(second)
    assert set(_numbers([first, second])) == expected


def test_contract_search_by_partner_number_is_exact(liste, gateway):
    """Partner 1's contracts only: not those of 10, 11 or 100, whose numbers contain "1"."""
    with gateway.db.session() as s:
        holder = s.scalars(select(Customer).where(Customer.broker_id == 1).order_by(Customer.id)).first()
        expected = set(s.scalars(select(Contract.policy_number).join(Customer, Customer.id == Contract.customer_id)
                                 .where(Contract.broker_id == 1,
                                        Customer.partner_number == holder.partner_number)))
    assert expected
    first = liste.enumerate(VERTRAG_DIALECT, 1, Partnernummer=holder.partner_number)
    found = _numbers(_all_pages(liste, first))
    assert sorted(found) == sorted(expected) and len(found) == len(set(found))


def test_partner_search_by_policy_number_fits_one_page(liste, gateway):
    with gateway.db.session() as s:
        contract, number = s.execute(select(Contract, Customer.partner_number)
                                     .join(Customer, Customer.id == Contract.customer_id)
                                     .where(Contract.broker_id == 1).order_by(Contract.id)).first()
    result = liste.enumerate(PARTNER_DIALECT, 10, Versicherungsscheinnummer=contract.policy_number)
    assert _numbers_of(result) == [number]
    # all in the first page: an empty context (the W3C schema requires the element) and the end marker
    assert _answer(result).find(q(ENU, "EnumerationContext")) is not None
    assert _context(result) is None and _ended(result)
    assert _answer(result)[-1].tag == q(LISTE, "EndOfSequence")


def test_context_is_stored_hashed_for_user_and_broker(liste, gateway):
    context = _context(liste.enumerate(PARTNER_DIALECT, 5))
    with gateway.db.session() as s:
        row = s.scalars(select(EnumerationContext).where(
            EnumerationContext.context_hash == context_hash(context))).one()
        assert row.broker_id == 1 and row.position == 5
        assert context not in row.query and context != row.context_hash
        assert row.expires_at > utcnow() + dt.timedelta(minutes=gateway.settings.enumeration_minutes - 1)


def _pull_fault(liste, context) -> list[tuple[str, str]]:
    answer = liste.pull(context)
    assert answer.is_fault
    return [(m.findtext(q(NAC, "MeldungID")), m.findtext(q(NAC, "Text")) or "")
            for m in answer.tree.iter(q(NAC, "Meldung"))]


def test_expired_context_is_refused(liste, gateway):
    context = _context(liste.enumerate(PARTNER_DIALECT, 5))
    with gateway.db.session() as s:
        s.execute(update(EnumerationContext)
                  .where(EnumerationContext.context_hash == context_hash(context))
                  .values(expires_at=dt.datetime(2000, 1, 1)))
    [(code, text)] = _pull_fault(liste, context)
    assert code == "00001" and "abgelaufen" in text


@pytest.mark.parametrize("other", ["colleague", "demo2"])
def test_another_users_context_is_refused_like_an_unknown_one(base_url, liste, tokens, other):
    context = _context(liste.enumerate(PARTNER_DIALECT, 5))
    stranger = Liste(base_url, tokens[other])
    [(code, text)] = _pull_fault(stranger, context)
    assert code == "00001" and "unbekannt" in text
    assert _pull_fault(stranger, "enu:" + "x" * 43) == [(code, text)]
    # the owner still pages on from where the stranger could not
    assert len(_numbers_of(liste.pull(context))) == 5


def test_foreign_broker_search_sees_only_its_own(base_url, gateway, tokens):
    demo2 = Liste(base_url, tokens["demo2"])
    first = demo2.enumerate(PARTNER_DIALECT, 1000)
    with gateway.db.session() as s:
        expected = set(s.scalars(select(Customer.partner_number).where(Customer.broker_id == 2)))
    assert set(_numbers_of(first)) == expected and _ended(first)


def test_release_ends_the_context(liste):
    context = _context(liste.enumerate(PARTNER_DIALECT, 5))
    released = liste.release(context)
    assert released.status_id == "OK" and released.meldung_ids == ["01100"]
    assert [etree.QName(c).text for c in _answer(released)] == [q(NAC, "BiPROVersion"), q(NAC, "Status")]
    assert _answer(released).tag == q(ENU, "ReleaseResponse")
    [(code, _)] = _pull_fault(liste, context)
    assert code == "00001"


def test_context_ends_with_the_last_page(liste):
    first = liste.enumerate(PARTNER_DIALECT, 100)
    last = liste.pull(_context(first))
    assert _ended(last) and _context(last) is None and len(_numbers([first, last])) == 140
    [(code, _)] = _pull_fault(liste, _context(first))
    assert code == "00001"


def test_no_hits_is_an_empty_last_page(liste):
    result = liste.enumerate(PARTNER_DIALECT, 5, Name="Qxzyvw")
    assert _numbers_of(result) == [] and _ended(result)
    assert _context(result) is None and result.status_id == "OK"


@pytest.mark.parametrize("dialect, fields", [
    ("http://www.bipro.net/namespace/kontext/schaden", {}),
    (VERTRAG_DIALECT, {"Name": "Meier"}),
])
def test_bad_filters_are_refused(liste, dialect, fields):
    answer = liste.enumerate(dialect, **fields)
    assert answer.is_fault and answer.meldung_ids == ["00001"]


@pytest.mark.parametrize("max_items", ["0", "abc", "-3"])
def test_bad_max_items_is_refused(base_url, tokens, liste, max_items):
    assert liste.enumerate(PARTNER_DIALECT, max_items).meldung_ids == ["00001"]
    body = (f'<Enumerate xmlns="{ENU}"><Filter Dialect="{PARTNER_DIALECT}"/>'
            f"<MaxItems>{max_items}</MaxItems></Enumerate>")
    answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(body, soapraw.sct_header(tokens["demo"])))
    assert answer.is_fault and answer.meldung_ids == ["00001"]


def test_plain_ws_enumeration_without_request_and_version(base_url, gateway, tokens):
    """An older client that sends NewContext and MaxItems directly, no prefixes, no BiPROVersion."""
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    body = (f'<Enumerate xmlns="{ENU}"><NewContext/><Filter Dialect="{PARTNER_DIALECT}">'
            f'<Name xmlns="urn:any-client">{last_name.lower()}</Name></Filter><MaxItems>3</MaxItems></Enumerate>')
    header = soapraw.sct_header(tokens["demo"])
    answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(body, header),
                          soap_action='"http://www.w3.org/2011/03/ws-enu/Enumerate"')
    assert answer.status == 200 and answer.meldung_ids == ["01100"]
    found = [e.text for e in answer.tree.iter(q(PART, "Partnernummer"))]
    assert len(found) == 3
    context = answer.tree.findtext(f".//{q(ENU, 'EnumerationContext')}")
    while context:
        pull = f'<w:Pull xmlns:w="{ENU}"><w:EnumerationContext>{context}</w:EnumerationContext></w:Pull>'
        answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(pull, header, prefix="s"))
        assert answer.status == 200
        found += [e.text for e in answer.tree.iter(q(PART, "Partnernummer"))]
        context = answer.tree.findtext(f".//{q(ENU, 'EnumerationContext')}")
    assert answer.tree.find(f".//{q(ENU, 'EndOfSequence')}") is not None
    assert sorted(found) == sorted(expected)


def test_older_request_form_is_still_accepted(base_url, gateway, tokens):
    """The form clients generated from the earlier WSDL: a Request element, BiPROVersion, wsen:MaxItems."""
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    header = soapraw.sct_header(tokens["demo"])

    def call(operation, fields):
        body = (f'<wsen:{operation} xmlns:wsen="{ENU}" xmlns:nac="{NAC}" xmlns:liste="{LISTE}"><wsen:Request>'
                f"<nac:BiPROVersion>2.6.1.1.0</nac:BiPROVersion>{fields}</wsen:Request></wsen:{operation}>")
        answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(body, header))
        assert answer.status == 200, answer.body[:800]
        assert_valid(answer.body, SCHEMA)
        return answer

    first = call("Enumerate", f'<wsen:NewContext/><wsen:Filter Dialect="{PARTNER_DIALECT}">'
                              f"<liste:Name>{last_name}</liste:Name></wsen:Filter><wsen:MaxItems>4</wsen:MaxItems>")
    pages = [first]
    while _context(pages[-1]):
        pages.append(call("Pull", f"<wsen:EnumerationContext>{_context(pages[-1])}</wsen:EnumerationContext>"))
    assert len(_numbers_of(first)) == 4
    assert set(_numbers(pages)) == expected and _ended(pages[-1])
    without_size = call("Enumerate", f'<wsen:Filter Dialect="{PARTNER_DIALECT}"><liste:Name>{last_name}'
                                     "</liste:Name></wsen:Filter>")
    assert set(_numbers_of(without_size)) == expected  # the first page (up to 100) at once, as before
    context = _context(call("Enumerate", f'<wsen:Filter Dialect="{PARTNER_DIALECT}"/>'
                                         "<wsen:MaxItems>2</wsen:MaxItems>"))
    assert call("Release", f"<wsen:EnumerationContext>{context}</wsen:EnumerationContext>").meldung_ids == ["01100"]


class _ContextText(Plugin):
    """Puts the context's text into the (mixed-content) wsen:EnumerationContext zeep sends."""

    value = ""

    def egress(self, envelope, http_headers, operation, binding_options):
        for node in envelope.iter(q(ENU, "EnumerationContext")):
            node.text = self.value
        return envelope, http_headers


def test_zeep_reads_the_wsdl_and_pages(base_url, gateway, tokens):
    """A schema-generated client: zeep builds the W3C Enumerate and Pull from our WSDL alone.

    zeep drops the text of the W3C's mixed EnumerationContextType, so the
    context is read from the raw answer and written into the request by a
    plugin, as users of such clients do it.
    """
    client = service_client(base_url, LISTE_PATH, tokens["demo"])
    history, context_text = HistoryPlugin(), _ContextText()
    client.plugins += [history, context_text]
    name, size = (client.get_element(q(LISTE, n)) for n in ("Name", "MaxElements"))
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    first = client.service.Enumerate(Filter={"Dialect": PARTNER_DIALECT,
                                             "_value_1": [xsd.AnyObject(name, last_name)]},
                                     _value_1=[xsd.AnyObject(size, 3)])
    version, status, items = first._value_1
    assert version == "2.6.1.1.0" and status.StatusID == "OK"
    found = [entry.Partner.Partnernummer for entry in items.Ergebniseintrag]
    assert len(found) == 3
    context = history.last_received["envelope"].findtext(f".//{q(ENU, 'EnumerationContext')}")
    while context:
        context_text.value = context
        page = client.service.Pull(EnumerationContext={}, MaxElements=2)
        found += [next(iter(item.values())).Partner.Partnernummer for item in page.Items._value_1]
        context = history.last_received["envelope"].findtext(f".//{q(ENU, 'EnumerationContext')}")
    assert sorted(found) == sorted(expected)


def test_fault_validates(liste):
    answer = soapraw.post(liste.url, soapraw.envelope(
        f'<wsen:Pull xmlns:wsen="{ENU}"><wsen:EnumerationContext>enu:unknown</wsen:EnumerationContext></wsen:Pull>',
        liste.header))
    exception = assert_valid(answer.body, SCHEMA)
    assert exception.tag == q(NAC, "BiproException")
    assert exception.findtext(f".//{q(NAC, 'Quelle')}") == "EnumerationContext"

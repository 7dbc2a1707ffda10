"""Norm 480: WS-Enumeration searches page through every hit once, contexts are private and expire."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from lxml import etree
from sqlalchemy import func, select, update
from zeep.exceptions import Fault
from zeep.plugins import HistoryPlugin

from bipro.core.accounts import create_user
from bipro.core.enumeration import context_hash
from bipro.soap.namespaces import ENU, NAC, PART, q
from store.base import utcnow
from store.models import Contract, Customer, EnumerationContext
from tests.support import soapraw
from tests.support.bipro_client import request_token, service_client
from tests.support.portfolio_services import assert_valid, fault_meldungen

LISTE_PATH = "/bipro/480_Liste/Service_2.6.1.1.0"
PARTNER_DIALECT = "http://www.bipro.net/namespace/kontext/partner"
VERTRAG_DIALECT = "http://www.bipro.net/namespace/kontext/vertrag"


@pytest.fixture(scope="module")
def tokens(base_url, gateway):
    with gateway.db.session() as s:
        _, password = create_user(s, gateway.settings, "100100", "Zweite Kollegin", "zwei@example.org",
                                  login="demo-zweite")
    return {"demo": request_token(base_url, "demo"), "demo2": request_token(base_url, "demo2"),
            "colleague": request_token(base_url, "demo-zweite", password)}


@pytest.fixture(scope="module")
def client(base_url, tokens):
    return _client(base_url, tokens["demo"])


def _client(base_url, token):
    """A zeep client that keeps the last answer: zeep shows an empty EndOfSequence as None."""
    client = service_client(base_url, LISTE_PATH, token)
    client.history = HistoryPlugin()
    client.plugins.append(client.history)
    return client


def _ended(client) -> bool:
    """Whether the client's last answer carried wsen:EndOfSequence."""
    return client.history.last_received["envelope"].find(f".//{q(ENU, 'EndOfSequence')}") is not None


def _filter(dialect, **fields):
    """zeep's form of wsen:Filter: the Dialect attribute and liste: fields."""
    return {"Dialect": dialect, **fields}


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


def _all_pages(client, first):
    """Partner numbers or policy numbers of every page, following the context to the end."""
    pages = [first]
    while pages[-1].EnumerationContext:
        assert not _ended(client)
        pages.append(client.service.Pull(Request={"EnumerationContext": pages[-1].EnumerationContext}))
    assert _ended(client)
    return pages


def _numbers(pages):
    found = []
    for page in pages:
        for item in (page.Items._value_1 if page.Items is not None else None) or []:
            hit = next(iter(item.values()))
            found.append(hit.Partnernummer if hasattr(hit, "Anschrift") else
                         hit.Vertragsnummer.Versicherungsscheinnummer)
    return found


def test_surname_search_pages_through_every_match_once(client, gateway):
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    assert len(expected) > 6  # at least three pages of three
    first = client.service.Enumerate(Request={"NewContext": {}, "Filter": _filter(PARTNER_DIALECT, Name=last_name),
                                              "MaxItems": 3})
    pages = _all_pages(client, first)
    found = _numbers(pages)
    assert len(pages) == -(-len(expected) // 3)
    assert all(len(_numbers([p])) == 3 for p in pages[:-1])
    assert not [n for n, count in Counter(found).items() if count > 1]
    assert set(found) == expected
    assert found == sorted(found, key=int)  # the stable order: by Partnernummer
    assert all(m.MeldungID == "01100" for p in pages for m in p.Status.Meldung)


def test_pull_may_change_the_page_size(client, gateway):
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    first = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT, Name=last_name.upper()),
                                              "MaxItems": 2})
    second = client.service.Pull(Request={"EnumerationContext": first.EnumerationContext, "MaxItems": 1000})
    assert second.EnumerationContext is None and _ended(client)
    assert set(_numbers([first, second])) == expected


def test_contract_search_by_partner_number_is_exact(client, gateway):
    """Partner 1's contracts only: not those of 10, 11 or 100, whose numbers contain "1"."""
    with gateway.db.session() as s:
        holder = s.scalars(select(Customer).where(Customer.broker_id == 1).order_by(Customer.id)).first()
        expected = set(s.scalars(select(Contract.policy_number).join(Customer, Customer.id == Contract.customer_id)
                                 .where(Contract.broker_id == 1,
                                        Customer.partner_number == holder.partner_number)))
    assert expected
    first = client.service.Enumerate(Request={"Filter": _filter(VERTRAG_DIALECT,
                                                                Partnernummer=holder.partner_number),
                                              "MaxItems": 1})
    found = _numbers(_all_pages(client, first))
    assert sorted(found) == sorted(expected) and len(found) == len(set(found))


def test_partner_search_by_policy_number(client, gateway):
    with gateway.db.session() as s:
        contract, number = s.execute(select(Contract, Customer.partner_number)
                                     .join(Customer, Customer.id == Contract.customer_id)
                                     .where(Contract.broker_id == 1).order_by(Contract.id)).first()
    result = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT,
                                                                 Versicherungsscheinnummer=contract.policy_number)})
    assert _numbers([result]) == [number]
    assert result.EnumerationContext is None and _ended(client)


def test_pages_validate_against_the_schema(base_url, gateway, tokens):
    raw = service_client(base_url, LISTE_PATH, tokens["demo"], raw=True)
    answer = raw.service.Enumerate(Request={"Filter": _filter(VERTRAG_DIALECT), "MaxItems": 4})
    element = assert_valid(answer.content, "ws-enumeration.xsd")
    response = element.find(q(ENU, "Response"))
    assert [etree.QName(c).localname for c in response] == ["BiPROVersion", "Status", "EnumerationContext",
                                                            "Items"]
    assert len(response.find(q(ENU, "Items"))) == 4
    assert b"<wsen:Items>" in answer.content and b"<vert:Vertrag>" in answer.content
    context = response.findtext(q(ENU, "EnumerationContext"))
    with gateway.db.session() as s:
        total = s.scalar(select(func.count()).select_from(Contract).where(Contract.broker_id == 1))
    last = raw.service.Pull(Request={"EnumerationContext": context, "MaxItems": total})
    element = assert_valid(last.content, "ws-enumeration.xsd")
    response = element.find(q(ENU, "Response"))
    assert response.find(q(ENU, "EndOfSequence")) is not None
    assert response.find(q(ENU, "EnumerationContext")) is None
    assert len(response.find(q(ENU, "Items"))) == total - 4


def test_context_is_stored_hashed_for_user_and_broker(client, gateway):
    first = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT), "MaxItems": 5})
    with gateway.db.session() as s:
        row = s.scalars(select(EnumerationContext).where(
            EnumerationContext.context_hash == context_hash(first.EnumerationContext))).one()
        assert row.broker_id == 1 and row.position == 5
        assert first.EnumerationContext not in row.query and first.EnumerationContext != row.context_hash
        assert row.expires_at > utcnow() + dt.timedelta(minutes=gateway.settings.enumeration_minutes - 1)


def _pull_fault(client, context):
    with pytest.raises(Fault) as info:
        client.service.Pull(Request={"EnumerationContext": context})
    return fault_meldungen(info.value.detail)


def test_expired_context_is_refused(client, gateway):
    first = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT), "MaxItems": 5})
    with gateway.db.session() as s:
        s.execute(update(EnumerationContext)
                  .where(EnumerationContext.context_hash == context_hash(first.EnumerationContext))
                  .values(expires_at=dt.datetime(2000, 1, 1)))
    [(code, text)] = _pull_fault(client, first.EnumerationContext)
    assert code == "00001" and "abgelaufen" in text


@pytest.mark.parametrize("other", ["colleague", "demo2"])
def test_another_users_context_is_refused_like_an_unknown_one(base_url, client, tokens, other):
    first = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT), "MaxItems": 5})
    stranger = service_client(base_url, LISTE_PATH, tokens[other])
    [(code, text)] = _pull_fault(stranger, first.EnumerationContext)
    assert code == "00001" and "unbekannt" in text
    assert _pull_fault(stranger, "enu:" + "x" * 43) == [(code, text)]
    # the owner still pages on from where the stranger could not
    second = client.service.Pull(Request={"EnumerationContext": first.EnumerationContext})
    assert len(_numbers([second])) == 5


def test_foreign_broker_search_sees_only_its_own(base_url, gateway, tokens):
    demo2 = _client(base_url, tokens["demo2"])
    first = demo2.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT), "MaxItems": 1000})
    with gateway.db.session() as s:
        expected = set(s.scalars(select(Customer.partner_number).where(Customer.broker_id == 2)))
    assert set(_numbers([first])) == expected and _ended(demo2)


def test_release_ends_the_context(client):
    first = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT), "MaxItems": 5})
    released = client.service.Release(Request={"EnumerationContext": first.EnumerationContext})
    assert released.Status.StatusID == "OK"
    assert_valid(etree.tostring(client.history.last_received["envelope"]), "ws-enumeration.xsd")
    [(code, _)] = _pull_fault(client, first.EnumerationContext)
    assert code == "00001"


def test_context_ends_with_the_last_page(client):
    first = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT), "MaxItems": 100})
    last = client.service.Pull(Request={"EnumerationContext": first.EnumerationContext})
    assert _ended(client) and last.EnumerationContext is None and len(_numbers([first, last])) == 140
    [(code, _)] = _pull_fault(client, first.EnumerationContext)
    assert code == "00001"


def test_no_hits_is_an_empty_last_page(client):
    result = client.service.Enumerate(Request={"Filter": _filter(PARTNER_DIALECT, Name="Qxzyvw")})
    assert _numbers([result]) == [] and _ended(client)
    assert result.EnumerationContext is None and result.Status.StatusID == "OK"


@pytest.mark.parametrize("request_body, code", [
    ({"Filter": {"Dialect": "http://www.bipro.net/namespace/kontext/schaden"}}, "00001"),
    ({"Filter": {"Dialect": VERTRAG_DIALECT, "Name": "Meier"}}, "00001"),
])
def test_bad_filters_are_refused(client, request_body, code):
    with pytest.raises(Fault) as info:
        client.service.Enumerate(Request=request_body)
    assert [m for m, _ in fault_meldungen(info.value.detail)] == [code]


@pytest.mark.parametrize("max_items, meldung", [("0", "00001"), ("abc", "00001"), ("-3", "00001")])
def test_bad_max_items_is_refused(base_url, tokens, max_items, meldung):
    body = (f'<Enumerate xmlns="{ENU}"><Filter Dialect="{PARTNER_DIALECT}"/>'
            f"<MaxItems>{max_items}</MaxItems></Enumerate>")
    answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(body, soapraw.sct_header(tokens["demo"])))
    assert answer.is_fault and answer.meldung_ids == [meldung]


def test_plain_ws_enumeration_without_request_and_version(base_url, gateway, tokens):
    """A client that sends the WS-Enumeration fields directly, no prefixes, no BiPROVersion."""
    last_name = _common_last_name(gateway)
    expected = _expected_partner_numbers(gateway, 1, last_name)
    body = (f'<Enumerate xmlns="{ENU}"><NewContext/><Filter Dialect="{PARTNER_DIALECT}">'
            f'<Name xmlns="urn:any-client">{last_name.lower()}</Name></Filter><MaxItems>3</MaxItems></Enumerate>')
    header = soapraw.sct_header(tokens["demo"])
    answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(body, header),
                          soap_action='"http://www.w3.org/2011/03/ws-enu/Enumerate"')
    assert answer.status == 200 and answer.meldung_ids == ["01100"]
    found = [e.text for e in answer.tree.iter(q(PART, "Partnernummer"))]
    context = answer.tree.findtext(f".//{q(ENU, 'EnumerationContext')}")
    while context:
        pull = f'<w:Pull xmlns:w="{ENU}"><w:EnumerationContext>{context}</w:EnumerationContext></w:Pull>'
        answer = soapraw.post(base_url + LISTE_PATH, soapraw.envelope(pull, header, prefix="s"))
        assert answer.status == 200
        found += [e.text for e in answer.tree.iter(q(PART, "Partnernummer"))]
        context = answer.tree.findtext(f".//{q(ENU, 'EnumerationContext')}")
    assert answer.tree.find(f".//{q(ENU, 'EndOfSequence')}") is not None
    assert sorted(found) == sorted(expected)


def test_fault_validates(base_url, tokens):
    raw = service_client(base_url, LISTE_PATH, tokens["demo"], raw=True)
    answer = raw.service.Pull(Request={"EnumerationContext": "enu:unknown"})
    exception = assert_valid(answer.content, "ws-enumeration.xsd")
    assert exception.tag == q(NAC, "BiproException")
    assert exception.findtext(f".//{q(NAC, 'Quelle')}") == "EnumerationContext"

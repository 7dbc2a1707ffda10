"""Every portal address the core writes leads to the portal view it means.

The Norm 440 links and the reset mails are built from ``bipro.core.portal_paths``,
and the portal declares its routes with the same rules; these tests resolve
the written addresses against the portal's URL map, so a route that moves
away from its links fails here, not in a broker's mailbox.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from bipro.core import portal_paths
from bipro.core.identity.password_reset import reset_link
from bipro.core.search.portal_links import contract_url, customer_url
from store.models import Contract, Customer
from tests.support.portal import log_in

PUBLIC_URL = "https://makler.docura.example"

# rule -> (the link the core writes for a value, the portal endpoint, its variable, values to try)
LINKS = {
    portal_paths.CUSTOMER: (customer_url, "customers.show", "partner_number",
                            ("1", "4711", "K 0815", "Müller-07", "K/0815")),
    portal_paths.CONTRACT: (contract_url, "contracts.show", "policy_number",
                            ("130-00000001", "VS 12.345 ä", "AB/12345/2020")),
    portal_paths.RESET_PASSWORD: (reset_link, "auth.reset_password", "token",
                                  ("Zx8_-q1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab",)),
}


def test_every_rule_the_core_links_to_is_checked_here():
    rules = {value for name, value in vars(portal_paths).items()
             if name.isupper() and isinstance(value, str) and value.startswith("/")}
    assert rules == set(LINKS)


@pytest.mark.parametrize("rule", list(LINKS))
@pytest.mark.parametrize("public_url", [PUBLIC_URL, PUBLIC_URL + "/"])
def test_each_link_the_core_writes_resolves_to_its_portal_view(app, rule, public_url):
    build, endpoint, variable, values = LINKS[rule]
    adapter = app.url_map.bind(urlsplit(PUBLIC_URL).netloc, url_scheme="https")
    for value in values:
        link = build(public_url, value)
        assert link.startswith(PUBLIC_URL + "/") and "//" not in link[len("https://"):]
        # The server hands the view the decoded path, as WSGI's PATH_INFO.
        assert adapter.match(unquote(urlsplit(link).path), method="GET") == (endpoint, {variable: value})


@pytest.mark.parametrize("rule", list(LINKS))
def test_the_portal_builds_the_same_address_as_the_core(app, rule):
    build, endpoint, variable, values = LINKS[rule]
    with app.test_request_context(base_url=PUBLIC_URL):
        for value in values:
            assert PUBLIC_URL + url_for(endpoint, **{variable: value}) == build(PUBLIC_URL, value)


def test_the_addresses_are_the_published_ones():
    """A fixed contract: brokers' programs store these links."""
    assert customer_url(PUBLIC_URL, "4711") == f"{PUBLIC_URL}/kunden/4711"
    assert contract_url(PUBLIC_URL, "130-1") == f"{PUBLIC_URL}/vertraege/130-1"
    assert contract_url(PUBLIC_URL, "A/B 1") == f"{PUBLIC_URL}/vertraege/A/B%201"
    assert reset_link(PUBLIC_URL, "abc") == f"{PUBLIC_URL}/passwort-zuruecksetzen/abc"


def test_numbers_with_a_slash_open_their_pages(app, gateway):
    """Insurers write policy numbers like AB/12345/2020: the link, the view and the edit page work."""
    with gateway.db.session() as session:
        contract = session.scalar(select(Contract).join(Customer).where(Contract.broker_id == 1)
                                  .order_by(Contract.id.desc()))
        customer = contract.customer
        old = (contract.policy_number, customer.partner_number)
        contract.policy_number, customer.partner_number = "AB/4711/2020", "K/0815"
        session.commit()
    try:
        client = app.test_client()
        assert log_in(client).status_code == 302
        for link in (contract_url(PUBLIC_URL, "AB/4711/2020"), customer_url(PUBLIC_URL, "K/0815")):
            page = client.get(urlsplit(link).path)
            assert page.status_code == 200, link
            assert "AB/4711/2020" in page.get_data(as_text=True)
        assert client.get("/kunden/K/0815/bearbeiten").status_code == 200
        assert client.get("/vertraege/AB/4711").status_code == 404  # a prefix is no number
    finally:
        with gateway.db.session() as session:
            row = session.get(Contract, contract.id)
            row.policy_number, row.customer.partner_number = old
            session.commit()


NUMBERS = {portal_paths.CUSTOMER: ("customers.show", "partner_number"),
           portal_paths.CONTRACT: ("contracts.show", "policy_number")}


@pytest.mark.parametrize("rule", list(NUMBERS))
def test_a_number_naming_a_page_beside_its_own_is_unlinkable(app, rule):
    """Every route beside a customer's or contract's page gives a number that must be refused."""
    endpoint, variable = NUMBERS[rule]
    prefix = rule.partition("<")[0]  # "/kunden/"
    beside = []
    for route in app.url_map.iter_rules():
        path = route.rule
        if path.startswith(prefix) and route.endpoint != endpoint:
            rest = path[len(prefix):]
            beside.append(rest.replace(f"<path:{variable}>", "K-1"))
    assert beside  # the list's data and exports at least
    for number in beside:
        assert portal_paths.unlinkable(number), number


@pytest.mark.parametrize("rule", list(NUMBERS))
def test_a_number_the_rule_allows_opens_its_own_page(app, rule):
    build = LINKS[rule][0]
    endpoint, variable = NUMBERS[rule]
    adapter = app.url_map.bind(urlsplit(PUBLIC_URL).netloc, url_scheme="https")
    tricky = ["daten-1", "pdf/2020", "2020/csv", "bearbeiten", "AB/bearbeiten/1", "A.B/..C", "K 1/%2F",
              "daten", "K-1/bearbeiten", "A//B", "/A", "A/", "A/./B", "A/../B", ".", ".."]
    for number in tricky:
        if portal_paths.unlinkable(number):
            continue
        path = unquote(urlsplit(build(PUBLIC_URL, number)).path)
        assert adapter.match(path, method="GET") == (endpoint, {variable: number}), number
    assert [n for n in tricky if portal_paths.unlinkable(n)] == [
        "daten", "K-1/bearbeiten", "A//B", "/A", "A/", "A/./B", "A/../B", ".", ".."]

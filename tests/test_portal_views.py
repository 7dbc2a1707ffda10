"""Kundenansicht and Vertragsansicht: what the pages show, compared with plain SQL.

Both brokers look at their own customers and contracts; every id of the other
broker (and every unknown one) is a 404, whichever way round.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bipro.core.formatting import format_date, format_money
from bipro.core.portfolio.code_names import payment_frequency_name, salutation_name, sparte_name
from tests.support.customers import sql
from tests.support.pages import facts, links, parse, section, table_rows
from tests.support.portal import BROKERS

PER_YEAR = {1: 1, 2: 2, 4: 4, 8: 12}
STATUS = {1: "lebend", 4: "storniert"}


def day(value) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def money(value) -> str:
    return format_money(Decimal(str(value)))


def busiest_customer(gateway, broker_id: int) -> str:
    """The broker's customer with the most claims, then documents, then contracts."""
    return sql(gateway, """
        SELECT c.partner_number FROM customers c WHERE c.broker_id = :b
        ORDER BY (SELECT count(*) FROM claims s JOIN contracts k ON k.id = s.contract_id
                  WHERE k.customer_id = c.id) DESC,
                 (SELECT count(*) FROM shipments h WHERE h.customer_id = c.id) DESC,
                 (SELECT count(*) FROM contracts k WHERE k.customer_id = c.id) DESC, c.id
        LIMIT 1""", b=broker_id)[0][0]


def contract_with_claims_and_documents(gateway, broker_id: int) -> str:
    return sql(gateway, """
        SELECT k.policy_number FROM contracts k WHERE k.broker_id = :b
        ORDER BY (SELECT count(*) FROM claims s WHERE s.contract_id = k.id) DESC,
                 (SELECT count(*) FROM shipments h WHERE h.contract_id = k.id) DESC, k.id
        LIMIT 1""", b=broker_id)[0][0]


@pytest.mark.parametrize("login", BROKERS)
def test_customer_view_shows_the_stored_customer(gateway, clients, login):
    number = busiest_customer(gateway, BROKERS[login])
    row = sql(gateway, "SELECT id, salutation, title, first_name, last_name, birth_date, street, "
                       "postcode, town, email, phone FROM customers WHERE partner_number = :p",
              p=number)[0]
    response = clients[login].get(f"/kunden/{number}")
    assert response.status_code == 200
    doc = parse(response)
    assert facts(doc, "persoenliche-daten") == {
        "Partnernummer": number, "Anrede": salutation_name(row.salutation),
        "Titel": row.title or "–", "Vorname": row.first_name or "–", "Name": row.last_name,
        "Geburtsdatum": format_date(day(row.birth_date)) or "–"}
    assert facts(doc, "anschrift") == {
        "Straße": row.street, "PLZ / Ort": f"{row.postcode} {row.town}", "Land": "Deutschland",
        "E-Mail": row.email or "–", "Telefon": row.phone or "–"}

    contracts = sql(gateway, "SELECT k.policy_number, k.sparte, p.name, k.status, k.start_date, "
                             "k.payment_frequency, k.gross_premium FROM contracts k "
                             "JOIN products p ON p.code = k.product_code "
                             "WHERE k.customer_id = :c ORDER BY k.start_date, k.id", c=row.id)
    assert contracts
    assert table_rows(doc, '//table[@id="vertragstabelle"]') == [
        [c.policy_number, sparte_name(c.sparte), c.name, STATUS[c.status],
         format_date(day(c.start_date)), payment_frequency_name(c.payment_frequency),
         money(c.gross_premium), "Vertrag öffnen"] for c in contracts]
    assert links(doc.get_element_by_id("vertragstabelle")) == [
        f"/vertraege/{c.policy_number}" for c in contracts]

    claims = sql(gateway, "SELECT s.number, s.description, k.policy_number, s.occurred_on, "
                          "s.is_open, s.amount FROM claims s JOIN contracts k "
                          "ON k.id = s.contract_id WHERE k.customer_id = :c "
                          "ORDER BY s.occurred_on DESC, s.id DESC", c=row.id)
    assert table_rows(section(doc, "schaeden"), ".//table") == [
        [f"{s.number} {s.description}".strip(), s.policy_number, format_date(day(s.occurred_on)),
         "offen" if s.is_open else "geschlossen", money(s.amount)] for s in claims]

    documents = sql(gateway, "SELECT d.id FROM documents d JOIN shipments h "
                             "ON h.id = d.shipment_id WHERE h.customer_id = :c "
                             "ORDER BY d.created_at DESC, d.id DESC", c=row.id)
    assert links(section(doc, "dokumente")) == [f"/posteingang/{d.id}" for d in documents]
    if login == "demo":  # the busiest demo customer has both
        assert claims and documents


@pytest.mark.parametrize("login", BROKERS)
def test_contract_view_shows_the_stored_contract(gateway, clients, login):
    policy = contract_with_claims_and_documents(gateway, BROKERS[login])
    c = sql(gateway, "SELECT k.id, k.sparte, p.name, k.status, k.start_date, k.end_date, k.cancelled_on, "
                     "k.main_due_date, k.stand, k.payment_frequency, k.net_premium, "
                     "k.gross_premium, u.partner_number, u.first_name, u.last_name, b.number "
                     "FROM contracts k JOIN products p ON p.code = k.product_code "
                     "JOIN customers u ON u.id = k.customer_id JOIN brokers b "
                     "ON b.id = k.broker_id WHERE k.policy_number = :p", p=policy)[0]
    doc = parse(clients[login].get(f"/vertraege/{policy}"))
    assert facts(doc, "vertrag") == {
        "Versicherungsscheinnummer": policy, "Sparte": sparte_name(c.sparte), "Produkt": c.name,
        "Status": STATUS[c.status], "Beginn": format_date(day(c.start_date)),
        "Ablauf": format_date(day(c.end_date)) or "–",
        **({"Abgangsdatum": format_date(day(c.cancelled_on))} if c.cancelled_on else {}),
        "Hauptfälligkeit": format_date(day(c.main_due_date)) or "–",
        "Stand": format_date(day(c.stand)), "Vermittlernummer": c.number}
    gross = Decimal(str(c.gross_premium))
    assert facts(doc, "beitragsdaten") == {
        "Zahlungsweise": payment_frequency_name(c.payment_frequency),
        "Nettobeitrag je Zahlung": money(c.net_premium),
        "Bruttobeitrag je Zahlung": money(gross),
        "Bruttojahresbeitrag": format_money(gross * PER_YEAR[c.payment_frequency])}
    assert facts(doc, "versicherungsnehmer") == {
        "Name": f"{c.first_name} {c.last_name}", "Partnernummer": c.partner_number}
    assert f"/kunden/{c.partner_number}" in links(section(doc, "vn"))
    claims = sql(gateway, "SELECT number, description, occurred_on, is_open, amount FROM claims "
                          "WHERE contract_id = :k ORDER BY occurred_on DESC, id DESC", k=c.id)
    assert claims
    assert table_rows(section(doc, "schaeden"), ".//table") == [
        [f"{s.number} {s.description}".strip(), format_date(day(s.occurred_on)),
         "offen" if s.is_open else "geschlossen", money(s.amount)] for s in claims]
    documents = sql(gateway, "SELECT d.id FROM documents d JOIN shipments h "
                             "ON h.id = d.shipment_id WHERE h.contract_id = :k "
                             "ORDER BY d.created_at DESC, d.id DESC", k=c.id)
    assert documents and links(section(doc, "dokumente")) == [
        f"/posteingang/{d.id}" for d in documents]


def test_cancelled_contract_shows_storniert_its_end_and_abgangsdatum(gateway, clients):
    policy, end, cancelled = sql(gateway, "SELECT policy_number, end_date, cancelled_on FROM contracts "
                                          "WHERE broker_id = 1 AND status = 4 AND end_date IS NOT NULL "
                                          "ORDER BY id LIMIT 1")[0]
    page = facts(parse(clients["demo"].get(f"/vertraege/{policy}")), "vertrag")
    assert page["Status"] == "storniert" and page["Ablauf"] == format_date(day(end))
    assert cancelled is not None and page["Abgangsdatum"] == format_date(day(cancelled))
    active = sql(gateway, "SELECT policy_number FROM contracts WHERE broker_id = 1 AND status = 1 "
                          "ORDER BY id LIMIT 1")[0][0]
    assert "Abgangsdatum" not in facts(parse(clients["demo"].get(f"/vertraege/{active}")), "vertrag")


def test_customer_and_contract_link_each_other(gateway, clients):
    number = busiest_customer(gateway, 1)
    customer_page = parse(clients["demo"].get(f"/kunden/{number}"))
    for href in links(customer_page.get_element_by_id("vertragstabelle")):
        contract_page = parse(clients["demo"].get(href))
        assert f"/kunden/{number}" in links(contract_page)


def test_opening_a_document_from_the_customer_view_marks_it_read(gateway, clients):
    doc_id, number = sql(gateway, "SELECT d.id, c.partner_number FROM documents d JOIN shipments h "
                                  "ON h.id = d.shipment_id JOIN customers c ON c.id = h.customer_id "
                                  "WHERE d.broker_id = 1 AND d.read_at IS NULL ORDER BY d.id "
                                  "LIMIT 1")[0]
    docs = section(parse(clients["demo"].get(f"/kunden/{number}")), "dokumente")
    item = docs.xpath(f'.//a[@href="/posteingang/{doc_id}"]/..')[0]
    assert "neu" in item.text_content()
    opened = clients["demo"].get(f"/posteingang/{doc_id}")
    assert opened.status_code == 200 and opened.data.startswith(b"%PDF")
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=doc_id)[0][0] is not None
    docs = section(parse(clients["demo"].get(f"/kunden/{number}")), "dokumente")
    item = docs.xpath(f'.//a[@href="/posteingang/{doc_id}"]/..')[0]
    assert "neu" not in item.text_content()


@pytest.mark.parametrize("login, other", [("demo", "demo2"), ("demo2", "demo")])
def test_the_other_brokers_ids_are_not_found(gateway, clients, login, other):
    customer = busiest_customer(gateway, BROKERS[other])
    policy = contract_with_claims_and_documents(gateway, BROKERS[other])
    client = clients[login]
    for path in (f"/kunden/{customer}", f"/kunden/{customer}/bearbeiten", f"/vertraege/{policy}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<h1>Nicht gefunden</h1>" in response.get_data(as_text=True)
    # The owner sees them: the 404 is about ownership, not about the numbers.
    assert clients[other].get(f"/kunden/{customer}").status_code == 200
    assert clients[other].get(f"/vertraege/{policy}").status_code == 200


@pytest.mark.parametrize("path", ["/kunden/999999999", "/vertraege/999-99999999",
                                  "/kunden/999999999/bearbeiten", "/kunden/%20"])
def test_unknown_ids_are_not_found(clients, path):
    assert clients["demo"].get(path).status_code == 404


def test_views_need_a_login(app, gateway):
    number = busiest_customer(gateway, 1)
    anonymous = app.test_client()
    for path in (f"/kunden/{number}", f"/kunden/{number}/bearbeiten", "/vertraege/x"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]

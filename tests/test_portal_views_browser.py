"""Kundenansicht and Vertragsansicht in a real browser: open, edit the address, see the history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in, output_dir
from tests.support.customers import customers_with_contracts

pytestmark = pytest.mark.browser


def test_edit_the_address_and_see_it_in_the_history(page, browser_gateway):
    number = customers_with_contracts(browser_gateway, 1, 1)[0]
    log_in(page)
    page.goto(f"/kunden/{number}")
    expect(page.get_by_role("heading", name="Persönliche Daten")).to_be_visible()
    expect(page.locator("#historie ~ p.empty")).to_have_text(
        "Die Kundendaten wurden bisher nicht geändert.")
    old_street = page.locator("#anschrift dd").first.inner_text()

    page.get_by_role("link", name="Daten ändern", exact=True).click()
    expect(page.get_by_role("heading", name="Anschrift und Kontakt ändern")).to_be_visible()
    page.get_by_label("Straße und Hausnummer").fill("Kastanienweg 12")
    page.get_by_label("PLZ").fill("44801")
    page.get_by_label("Ort").fill("Bochum-Querenburg")
    page.get_by_role("button", name="Speichern").click()

    page.wait_for_url(f"**/kunden/{number}")
    expect(page.get_by_role("status")).to_have_text("Die Kundendaten wurden gespeichert.")
    expect(page.locator("#anschrift")).to_contain_text("Kastanienweg 12")
    expect(page.locator("#anschrift")).to_contain_text("44801 Bochum-Querenburg")
    first_change = page.locator("#historientabelle tbody tr").first
    expect(first_change).to_contain_text("Straße")
    expect(first_change).to_contain_text(old_street)
    expect(first_change).to_contain_text("Kastanienweg 12")
    expect(first_change).to_contain_text("Martina Sonnenschein")
    page.screenshot(path=str(output_dir() / "portal-customer.png"), full_page=True)

    page.locator("#vertragstabelle a").first.click()
    expect(page.get_by_role("heading", name="Vertragsdaten")).to_be_visible()
    page.screenshot(path=str(output_dir() / "portal-contract.png"), full_page=True)
    page.get_by_role("link", name="Zum Kunden").click()
    page.wait_for_url(f"**/kunden/{number}")
    assert page.console_errors == []


def test_validation_messages_in_the_browser(page, browser_gateway):
    number = customers_with_contracts(browser_gateway, 1, 1, offset=1)[0]
    log_in(page)
    page.goto(f"/kunden/{number}/bearbeiten")
    page.get_by_label("PLZ").fill("123")
    page.get_by_label("E-Mail").fill("keine-adresse")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#postcode-fehler")).to_have_text("Die PLZ muss aus genau fünf Ziffern bestehen.")
    expect(page.locator("#email-fehler")).to_contain_text("gültige E-Mail-Adresse")
    page.screenshot(path=str(output_dir() / "portal-customer-edit.png"), full_page=True)
    assert page.console_errors == []


def test_two_brokers_saving_the_same_customer_see_the_conflict(browser, portal_url,
                                                               browser_gateway):
    number = customers_with_contracts(browser_gateway, 1, 1, offset=2)[0]
    tabs = []
    for _ in range(2):
        context = browser.new_context(base_url=portal_url, locale="de-DE",
                                      viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        log_in(tab)
        tab.goto(f"/kunden/{number}/bearbeiten")
        tabs.append(tab)
    first, second = tabs
    first.get_by_label("Telefon").fill("0234 111111")
    first.get_by_role("button", name="Speichern").click()
    first.wait_for_url(f"**/kunden/{number}")
    second.get_by_label("Telefon").fill("0234 222222")
    second.get_by_role("button", name="Speichern").click()
    expect(second.locator("#konflikt")).to_have_text(
        "Der Kunde wurde inzwischen von einem anderen Benutzer geändert. Bitte prüfen Sie die "
        "aktuellen Daten und speichern Sie erneut.")
    expect(second.locator("#aktuelle-daten")).to_contain_text("0234 111111")
    expect(second.get_by_label("Telefon")).to_have_value("0234 222222")
    second.screenshot(path=str(output_dir() / "portal-customer-conflict.png"), full_page=True)
    second.get_by_role("button", name="Speichern").click()
    second.wait_for_url(f"**/kunden/{number}")
    expect(second.locator("#anschrift")).to_contain_text("0234 222222")
    for tab in tabs:
        tab.context.close()

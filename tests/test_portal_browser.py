"""The portal in a real browser: login, dashboard, a birthday customer, password change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

# The fixtures live in tests/support/browser.py so other browser tests share them.
from tests.support.browser import log_in, output_dir

pytestmark = pytest.mark.browser


def test_login_and_dashboard(page):
    log_in(page)
    expect(page.get_by_role("heading", name="Startseite")).to_be_visible()
    for heading in ("Neuigkeiten", "Produktwelt", "Bestand", "Beitrag", "Schäden",
                    "Nächste Geburtstage"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert page.locator("svg.chart rect.chart-bar").count() >= 3
    assert page.locator("#geburtstage ~ table tbody tr").count() == 7
    page.screenshot(path=str(output_dir() / "portal-dashboard.png"), full_page=True)
    assert page.console_errors == []


def test_wrong_password_shows_the_german_message(page):
    page.goto("/login")
    page.get_by_label("Login-Name").fill("demo")
    page.get_by_label("Passwort", exact=True).fill("ganz-falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Anmeldung fehlgeschlagen: Login-Name oder Passwort ist falsch.")


def test_birthday_link_opens_the_customer(page):
    log_in(page)
    link = page.locator("#geburtstage ~ table tbody a").first
    href = link.get_attribute("href")
    assert href.startswith("/kunden/")
    link.click()
    page.wait_for_url(f"**{href}")
    expect(page.get_by_role("heading", name="Persönliche Daten")).to_be_visible()


def test_menu_opens_without_javascript_help_and_logs_out(browser, portal_url):
    context = browser.new_context(base_url=portal_url, java_script_enabled=False)
    tab = context.new_page()
    log_in(tab)
    tab.locator("details.usermenu summary").click()
    expect(tab.get_by_role("link", name="Mein Vermittlerprofil")).to_be_visible()
    tab.get_by_role("button", name="Abmelden").click()
    tab.wait_for_url("**/login")
    tab.goto("/")
    assert tab.url.endswith("/login?next=/")
    context.close()


def test_keyboard_reaches_the_login_form(page):
    page.goto("/login")
    assert page.evaluate("document.activeElement.id") == "login"
    page.keyboard.type("demo")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-passwort")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")


def test_change_password_and_log_in_with_the_new_one(page):
    log_in(page, "demo2")
    page.locator("details.usermenu summary").click()
    page.get_by_role("link", name="Passwort ändern").click()
    page.wait_for_url("**/passwort-aendern")
    expect(page.get_by_text("Maklerverwaltungsprogramm").first).to_be_visible()
    page.get_by_label("Bisheriges Passwort").fill("demo-passwort")
    page.get_by_label("Neues Passwort", exact=True).fill("Winter-Sonne-2031")
    page.get_by_label("Neues Passwort wiederholen").fill("Winter-Sonne-2031")
    page.get_by_role("button", name="Passwort ändern").click()
    expect(page.get_by_text("Ihr Passwort wurde geändert.")).to_be_visible()
    page.locator("details.usermenu summary").click()
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/login")
    log_in(page, "demo2", "Winter-Sonne-2031")
    expect(page.get_by_role("heading", name="Startseite")).to_be_visible()

"""The Tarifrechner in a real browser: a Hausrat quote through the form and its offer PDF."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from bipro.core.formatting import format_money
from bipro.core.tariff import quote
from bipro.core.tariff.quotes import today

# The fixtures live in tests/support/browser.py so every browser test shares them.
from tests.support.browser import log_in, output_dir

pytestmark = pytest.mark.browser

HAUSRAT = {"living_area": "72.5", "postcode": "44789", "natural_hazards": "ja",
           "deductible": "300"}


def test_hausrat_quote_through_the_form_and_offer_download(page):
    log_in(page)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Tarifrechner").click()
    page.wait_for_url("**/tarifrechner")
    page.screenshot(path=str(output_dir() / "portal-tarifrechner.png"), full_page=True)
    page.get_by_role("link", name="Beitrag berechnen").and_(
        page.locator('[href="/tarifrechner/HR-KOMFORT"]')).click()
    expect(page.get_by_role("heading", name="Hausrat Komfort", level=1)).to_be_visible()

    # A first try without the required answers: German errors beside the fields.
    page.get_by_role("button", name="Beitrag berechnen").click()
    expect(page.locator("#frage-living_area-fehler")).to_have_text("Wohnfläche fehlt")
    expect(page.locator("#frage-postcode-fehler")).to_have_text("Postleitzahl fehlt")
    expect(page.locator("#beitragstabelle")).to_have_count(0)
    page.screenshot(path=str(output_dir() / "portal-tarifrechner-fehler.png"), full_page=True)

    page.get_by_label("Wohnfläche").fill("72,5")  # typed the German way
    page.get_by_label("Postleitzahl").fill(HAUSRAT["postcode"])
    page.get_by_label("Elementarschäden").check()
    page.get_by_label("Selbstbeteiligung").select_option(label="300 €")
    page.get_by_role("button", name="Beitrag berechnen").click()

    expected = quote("HR-KOMFORT", HAUSRAT, on=today())
    table = page.locator("#beitragstabelle")
    expect(table).to_be_visible()
    monthly = table.locator("tbody tr", has_text="monatlich")
    expect(monthly.locator('td[data-key="gross"]')).to_have_text(
        format_money(expected.line("8").gross))
    expect(table.locator("tbody tr", has_text="jährlich").first.locator(
        'td[data-key="annual_gross"]')).to_have_text(format_money(expected.line("1").annual_gross))
    expect(page.locator("#berechnete-angaben")).to_contain_text("72,5 m²")
    page.screenshot(path=str(output_dir() / "portal-tarifrechner-hausrat.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("button", name="Angebot als PDF herunterladen").click()
    download = info.value
    assert download.suggested_filename == f"Angebot_HR-KOMFORT_{today().isoformat()}.pdf"
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert format_money(expected.line("1").gross) in text
    assert format_money(expected.line("8").gross) in text
    assert page.console_errors == []


def test_the_calculator_works_without_javascript(browser, portal_url):
    context = browser.new_context(base_url=portal_url, java_script_enabled=False,
                                  locale="de-DE")
    tab = context.new_page()
    log_in(tab)
    tab.goto("/tarifrechner/RS-BAUSTEIN")
    tab.get_by_role("button", name="Beitrag berechnen").click()
    expect(tab.get_by_role("alert")).to_contain_text("Bitte mindestens einen Baustein wählen")
    tab.get_by_label("Verkehr").check()
    tab.get_by_role("button", name="Beitrag berechnen").click()
    expected = quote("RS-BAUSTEIN", {"traffic": "ja"}, on=today())
    expect(tab.locator('#beitragstabelle tbody tr:first-child td[data-key="gross"]')).to_have_text(
        format_money(expected.line("1").gross))
    context.close()

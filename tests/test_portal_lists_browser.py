"""The lists in a real browser: search, shift-click sorting, paging, exports, clipboard, filter."""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from bipro.core.exports import tsv_text
from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, iter_rows
from portal.list_screens import CUSTOMERS
from tests.support.browser import log_in, output_dir
from tests.support.callers import of_broker

pytestmark = pytest.mark.browser


def core_rows(gateway, spec, **query):
    with gateway.db.session() as session:
        return [list(spec.display(row))
                for row in iter_rows(session, of_broker(1), spec, ListQuery(limit=None, **query))]


def shown_rows(tab) -> list[list[str]]:
    return tab.eval_on_selector_all(
        "#liste tbody tr:not(.empty-row)",
        "rows => rows.map(r => [...r.cells].slice(0, -1).map(c => c.textContent.trim()))")


def url_args(tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.url).query)


def test_search_sort_with_shift_and_page_forward(page, browser_gateway):
    log_in(page)
    page.get_by_role("link", name="Kundenübersicht").click()
    expect(page.locator("#list-info")).to_have_text("1 bis 10 von 140 Einträgen")

    page.get_by_label("Suchen").fill("Max 1980")
    page.get_by_label("Suchen").press("Enter")
    page.wait_for_url(re.compile(r"q=Max\+1980"))
    expect(page.locator("#list-info")).to_contain_text("(gefiltert von 140 Einträgen)")
    assert shown_rows(page) == core_rows(browser_gateway, CUSTOMER_LIST, search="Max 1980")

    page.get_by_label("Suchen").fill("")
    page.get_by_label("Suchen").press("Enter")
    page.wait_for_url(re.compile(r"/kunden\?q=$"))
    page.locator("#liste th a[data-key=last_name]").click()
    page.wait_for_url(re.compile(r"sort=last_name"))
    page.locator("#liste th a[data-key=birth_date]").click(modifiers=["Shift"])
    page.wait_for_url(re.compile(r"birth_date"))
    assert url_args(page)["sort"] == ["last_name:asc,birth_date:asc"]
    order = [("last_name", "asc"), ("birth_date", "asc")]
    assert shown_rows(page) == core_rows(browser_gateway, CUSTOMER_LIST, order=order)[:10]
    expect(page.locator("#liste th[aria-sort]")).to_have_count(2)

    # Shift-click on a sort key flips its direction and keeps the others.
    page.locator("#liste th a[data-key=birth_date]").click(modifiers=["Shift"])
    page.wait_for_url(re.compile(r"birth_date:desc"))
    assert url_args(page)["sort"] == ["last_name:asc,birth_date:desc"]
    order = [("last_name", "asc"), ("birth_date", "desc")]
    everything = core_rows(browser_gateway, CUSTOMER_LIST, order=order)
    assert shown_rows(page) == everything[:10]
    page.screenshot(path=str(output_dir() / "portal-kundenliste.png"), full_page=True)

    page.get_by_role("link", name="Nächste").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("#list-info")).to_have_text("11 bis 20 von 140 Einträgen")
    assert shown_rows(page) == everything[10:20]
    assert url_args(page)["sort"] == ["last_name:asc,birth_date:desc"]

    page.go_back()  # the state is in the URL: back is the first page again
    expect(page.locator("#list-info")).to_have_text("1 bis 10 von 140 Einträgen")

    page.get_by_label("Einträge anzeigen").select_option("25")
    page.wait_for_url(re.compile(r"size=25"))
    expect(page.locator("#liste tbody tr")).to_have_count(25)
    expect(page.get_by_role("button", name="Anzeigen")).to_be_hidden()  # the select submits itself
    assert page.console_errors == []


def test_csv_download(page, browser_gateway, tmp_path):
    log_in(page)
    page.goto("/kunden?q=e&sort=town:desc")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert re.fullmatch(r"Kundenuebersicht_\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:3] == ["ID", "VORNAME", "NAME"]
    assert rows[1:] == core_rows(browser_gateway, CUSTOMER_LIST, search="e", order=[("town", "desc")])
    assert page.console_errors == []


def test_kopieren_puts_the_rows_on_the_clipboard(browser, portal_url, browser_gateway):
    context = browser.new_context(base_url=portal_url, locale="de-DE",
                                  permissions=["clipboard-read", "clipboard-write"],
                                  viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        log_in(tab)
        tab.goto("/kunden?q=Max")
        tab.get_by_role("link", name="Kopieren").click()
        rows = core_rows(browser_gateway, CUSTOMER_LIST, search="Max")
        expect(tab.locator("[data-copy-status]")).to_have_text(
            f"{len(rows)} Zeilen in die Zwischenablage kopiert")
        assert tab.url.endswith("/kunden?q=Max")  # stayed on the list
        copied = tab.evaluate("navigator.clipboard.readText()")
        lines = copied.splitlines()
        assert lines[0].split("\t") == ["ID", "VORNAME", "NAME", "STRASSE", "PLZ", "ORT", "GEBURTSDATUM"]
        assert [line.split("\t") for line in lines[1:]] == rows
        with browser_gateway.db.session() as session:
            values = [CUSTOMERS.export_values(r.values) for r in
                      iter_rows(session, of_broker(1), CUSTOMER_LIST, ListQuery(search="Max", limit=None))]
        assert copied == tsv_text(CUSTOMERS.export_columns, values)
    finally:
        context.close()


def test_contract_filter_and_screenshots(page, browser_gateway):
    log_in(page)
    page.get_by_role("link", name="Bestandsverträge").click()
    page.get_by_label("Status").select_option("storniert")
    page.wait_for_url(re.compile(r"status=storniert"))
    expected = core_rows(browser_gateway, CONTRACT_LIST, filters={"status": "storniert"})
    expect(page.locator("#list-info")).to_contain_text(f"von {len(expected)} Einträgen (gefiltert von")
    assert shown_rows(page) == expected[:10]

    page.get_by_label("Sparte").select_option(label="Hausrat")
    page.wait_for_url(re.compile(r"sparte=130"))
    assert url_args(page)["status"] == ["storniert"]
    expected = core_rows(browser_gateway, CONTRACT_LIST, filters={"status": "storniert", "sparte": "130"})
    assert shown_rows(page) == expected[:10]
    assert {row[4] for row in shown_rows(page)} <= {"Hausrat"}

    page.get_by_label("Status").select_option("alle")
    page.wait_for_url(re.compile(r"status=alle"))
    page.get_by_label("Sparte").select_option("")
    page.wait_for_url(re.compile(r"sparte=(&|$)"))
    expect(page.locator("#list-info")).not_to_contain_text("gefiltert")
    page.screenshot(path=str(output_dir() / "portal-vertragsliste.png"), full_page=True)
    page.set_viewport_size({"width": 820, "height": 1100})
    page.screenshot(path=str(output_dir() / "portal-vertragsliste-tablet.png"), full_page=True)
    # On a tablet the table scrolls inside its frame; the page itself does not.
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    assert page.evaluate("document.querySelector('.table-wrap').scrollWidth > "
                         "document.querySelector('.table-wrap').clientWidth")
    assert page.console_errors == []


def test_print_page_opens_the_print_dialog(page, browser_gateway):
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    log_in(page)
    page.goto("/kunden?q=Max")
    page.get_by_role("link", name="Drucken").click()
    page.wait_for_url(re.compile(r"/kunden/drucken\?q=Max"))
    page.wait_for_function("window.printed === 1")
    rows = core_rows(browser_gateway, CUSTOMER_LIST, search="Max")
    expect(page.locator("#druckliste tbody tr")).to_have_count(len(rows))
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    assert page.console_errors == []


def test_keyboard_reaches_the_sort_links_with_visible_focus(page):
    log_in(page)
    page.goto("/kunden")
    page.locator("#liste th a[data-key=first_name]").focus()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=first_name:asc"))

"""The portal by keyboard alone: log in, search, sort by two more keys, open and edit a
customer, open a document from the Posteingang, log out. Never a mouse event; every
focused control shows its focus."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.support.browser import output_dir

pytestmark = pytest.mark.browser

FOCUS_SHOWN = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
}"""


def tab_to(page, selector: str, limit: int = 80, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab *backwards*) until the focus is on *selector*; it must be visible there."""
    key = "Shift+Tab" if backwards else "Tab"
    for attempt in range(limit):
        if attempt or not page.evaluate("s => document.activeElement.matches(s)", selector):
            page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_SHOWN), f"focus on {selector} is not visible"
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page, select: str, label: str) -> None:
    """Pick an option of a focused select with the arrow keys (no mouse, no script)."""
    for _ in range(40):
        if page.evaluate("s => document.querySelector(s).selectedOptions[0].text", select) == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} not among the options of {select}")


def test_a_whole_visit_by_keyboard(browser, portal_url, browser_gateway):
    context = browser.new_context(base_url=portal_url, locale="de-DE",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/login")
    tab_to(page, "#login")
    page.keyboard.type("demo")
    tab_to(page, "#password")
    page.keyboard.type("demo-passwort")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")

    # Search the customer list.
    tab_to(page, 'nav[aria-label="Hauptnavigation"] a[href="/kunden"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/kunden")
    tab_to(page, "#suche")
    page.keyboard.type("Bochum")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/kunden\?q=Bochum$"))

    # Sort by NAME, then add VORNAME and PLZ as further keys.
    tab_to(page, "#sortierung")
    choose(page, "#sortierung", "NAME aufsteigend")
    tab_to(page, ".sort-form button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=last_name(:|%3A)asc$"))
    for label in ("VORNAME absteigend", "PLZ aufsteigend"):
        tab_to(page, "#weitere-sortierung")
        choose(page, "#weitere-sortierung", label)
        page.keyboard.press("Tab")  # to "Hinzufügen"
        with page.expect_navigation():
            page.keyboard.press("Enter")
    address = unquote(page.url)
    assert "sort=last_name:asc,first_name:desc,postcode:asc" in address and "q=Bochum" in address
    expect(page.locator("#sortierung-aktuell")).to_have_text(
        "Sortiert nach NAME aufsteigend, dann VORNAME absteigend, dann PLZ aufsteigend")
    expect(page.locator('#liste th[aria-sort="descending"]')).to_contain_text("VORNAME")
    expect(page.locator("#liste caption")).to_contain_text("sortiert nach NAME aufsteigend, dann VORNAME")
    names = page.locator("#liste tbody tr td:nth-child(3)").all_inner_texts()
    assert names == sorted(names, key=str.casefold) and names

    # Open the first customer and change the phone number.
    tab_to(page, "#liste tbody tr:first-child a.icon-link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/kunden/\d+$"))
    number = page.url.rsplit("/", 1)[1]
    tab_to(page, f'a[href="/kunden/{number}/bearbeiten"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kunden/{number}/bearbeiten")
    tab_to(page, "#phone")
    page.keyboard.press("Control+a")
    page.keyboard.type("0234 987654")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kunden/{number}")
    expect(page.get_by_role("status")).to_have_text("Die Kundendaten wurden gespeichert.")
    expect(page.locator("#anschrift")).to_contain_text("0234 987654")

    # Open the newest unread document from the Posteingang.
    tab_to(page, 'nav[aria-label="Hauptnavigation"] a[href="/posteingang"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/posteingang")
    first = page.locator("#posteingang-tabelle tbody tr.is-unread a.button-open").first
    document = int(first.get_attribute("href").rsplit("/", 1)[1])
    tab_to(page, f'a[href="/posteingang/{document}"]')
    # Documents are downloads (an attachment with its type), never pages of the portal.
    with page.expect_download() as download, \
            page.expect_event("response", lambda r: r.url.endswith(f"/posteingang/{document}")) as opened:
        page.keyboard.press("Enter")
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
    assert download.value.suggested_filename.endswith(".pdf")
    with browser_gateway.db.engine.connect() as conn:
        read_at = conn.execute(text("SELECT read_at FROM documents WHERE id = :d"), {"d": document}).scalar()
    assert read_at is not None

    # Log out through the Vermittlermenü, from the Posteingang the download left in place.
    page.wait_for_url("**/posteingang")
    tab_to(page, "details.usermenu summary", backwards=True)  # back up from the table to the header
    page.keyboard.press("Enter")
    tab_to(page, '.usermenu-panel button[type="submit"]')
    page.screenshot(path=str(output_dir() / "portal-keyboard-menu.png"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/login*")
    expect(page.get_by_label("Login-Name")).to_be_visible()
    context.close()

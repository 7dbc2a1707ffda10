"""Every portal page at phone, tablet and laptop width: no sideways scrolling, reachable
actions, and no serious or critical axe-core violation of WCAG 2.1 AA.

The tour (``tests/support/portal_tour.py``) opens each page in each state at
390, 768 and 1366 px, once per width for every check, and saves a screenshot of
each to the test output folder (``responsive/``) and the axe report to
``axe-<width>.json``. Print layouts keep their paper width and are left out of
the width check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from tests.support.browser import output_dir
from tests.support.portal_tour import NOT_PAGES, WIDTHS, new_tab, page_width_overflow, stops, visit

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

AXE_WIDTHS = (1366, 390)  # laptop, and phone where tables turn into cards
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


@dataclass
class Tour:
    """What one pass over every page at one width found."""

    width: int
    too_wide: list[str] = field(default_factory=list)
    axe_blocking: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def tour(request, browser, portal_url, browser_gateway, axe) -> Tour:
    """Every stop visited once at the width (the test's parameter), each check made on the way."""
    found = Tour(request.param)
    tabs = {public: new_tab(browser, portal_url, found.width, logged_in=not public) for public in (True, False)}
    folder = output_dir() / "responsive"
    folder.mkdir(exist_ok=True)
    report = {}
    for stop in stops(browser_gateway):
        tab = tabs[stop.public]
        visit(tab, stop)
        tab.screenshot(path=str(folder / f"{stop.name}-{found.width}.png"), full_page=True)
        if not stop.paper:
            overflow = page_width_overflow(tab)
            if overflow > 0:
                found.too_wide.append(f"{stop.name}: {overflow} px too wide")
            found.too_wide += cut_texts(tab, stop.name)
        if found.width in AXE_WIDTHS:
            violations = axe.run(tab, options=WCAG_21_AA).response["violations"]
            report[stop.name] = violations
            found.axe_blocking += [f"{stop.name}: {v['impact']} {v['id']} ({v['help']}) at "
                                   f"{[node['target'] for node in v['nodes']][:3]}"
                                   for v in violations if v["impact"] in BLOCKING]
    for tab in tabs.values():
        tab.context.close()
    if found.width in AXE_WIDTHS:
        (output_dir() / f"axe-{found.width}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return found


def test_the_tour_covers_every_page_of_the_portal(browser_gateway):
    from portal import create_app

    app = create_app(browser_gateway, {"TESTING": True})
    toured = {stop.endpoint for stop in stops(browser_gateway)}
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert sorted(pages - toured - NOT_PAGES) == []


@pytest.mark.parametrize("tour", WIDTHS, indirect=True)
def test_no_page_scrolls_sideways(tour):
    assert tour.too_wide == []


@pytest.mark.parametrize("tour", AXE_WIDTHS, indirect=True)
def test_every_page_passes_axe(tour):
    assert tour.axe_blocking == []


def cut_texts(tab, name: str) -> list[str]:
    """Tariff facts squeezed to a sliver, column names without room, selects too narrow."""
    found = tab.evaluate(CUT_TEXTS)
    return [f"{name}: {problem}" for problem in found]


EXPORTS = ("Drucken", "Kopieren", "Excel", "CSV", "PDF")


@pytest.mark.parametrize("path, table, actions, exports", [
    ("/kunden", "#liste", ["Kunde"], EXPORTS),
    ("/vertraege", "#liste", ["Kunde", "Vertrag"], EXPORTS),
    ("/posteingang?status=gelesen", "#posteingang-tabelle", ["Als ungelesen", "Öffnen"], ()),
])
def test_on_a_phone_lists_show_open_actions_and_exports(browser, portal_url, path, table,
                                                        actions, exports):
    tab = new_tab(browser, portal_url, 390)
    tab.goto(path)
    window = 390
    for name in exports:
        button = tab.get_by_role("link", name=name, exact=True)
        expect(button).to_be_visible()
        button.click(trial=True)  # visible, enabled, not covered
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= window
    expect(tab.get_by_role("searchbox", name="Suchen")).to_be_visible()
    expect(tab.get_by_role("button", name="Suchen")).to_be_in_viewport()
    card = tab.locator(f"{table} tbody tr").first
    for kind in actions:
        link = card.locator("a, button").filter(has_text=kind)
        expect(link).to_be_visible()
        box, row = link.bounding_box(), card.bounding_box()
        assert box["width"] >= row["width"] * 0.8, "the open action is a full-width tap target"
        assert box["height"] >= 44
        link.click(trial=True)
    # Every column of the row can be read: a cell with its column's name, none cut off.
    cells = card.locator("td[data-label]")
    assert cells.count() >= 6
    for i in range(cells.count()):
        cell = cells.nth(i)
        expect(cell).to_be_visible()
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth")
    # The open action works.
    with tab.expect_response(lambda r: r.request.is_navigation_request()) as opened:
        card.locator("a").filter(has_text=actions[-1]).click()
    assert opened.value.status == 200
    assert opened.value.url.rsplit("/", 2)[-2] in ("kunden", "vertraege", "posteingang")
    tab.context.close()


@pytest.mark.parametrize("width", (1280, 1440, 1920))
def test_tariff_facts_on_wide_screens(browser, portal_url, browser_gateway, width):
    """The widths where the facts once ran one character per line (390, 768, 1366: the tour)."""
    tab = new_tab(browser, portal_url, width)
    for stop in stops(browser_gateway):
        if stop.name.endswith("-ergebnis"):
            visit(tab, stop)
            assert cut_texts(tab, stop.name) == []
    tab.context.close()


# One pass over the page (one round trip):
# * each fact of the tariff result stacked under its label at the list's full width,
#   never one character per line;
# * cards on a phone: a cell that shows its column's name leaves it the room it takes;
# * a select is wide enough for its longest option in its own font (the padding holds
#   the arrow).
CUT_TEXTS = """() => {
  const problems = [];
  const facts = document.querySelector('#berechnete-angaben');
  if (facts) {
    const full = facts.getBoundingClientRect().width;
    for (const dd of facts.querySelectorAll('dd')) {
      if (dd.getBoundingClientRect().width < full - 1 || dd.scrollWidth > dd.clientWidth)
        problems.push(`fact ${dd.textContent.trim()} squeezed`);
    }
  }
  for (const td of document.querySelectorAll('td[data-label]')) {
    const label = getComputedStyle(td, '::before');
    if (label.content === 'none' || label.content === 'normal' || !td.offsetParent) continue;
    if (parseFloat(getComputedStyle(td).paddingLeft) < parseFloat(label.width))
      problems.push(`the column name of ${td.textContent.trim()} has no room`);
  }
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!select.offsetParent) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const needed = Math.ceil(Math.max(...[...select.options].map(o => canvas.measureText(o.text).width)));
    const room = Math.floor(select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
    if (needed > room) problems.push(`select ${select.name}: ${needed} > ${room} px`);
  }
  return problems.slice(0, 5);
}"""

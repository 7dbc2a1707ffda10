"""axe-core over every page of the portal: no serious or critical violation of WCAG 2.1 AA.

The tour (``tests/support/portal_tour.py``) covers each page logged in as demo
with data, with an empty search and with a form error, and the public pages.
Phone width too, where tables turn into cards.
"""

from __future__ import annotations

import json

import pytest

from tests.support.browser import output_dir
from tests.support.portal_tour import new_tab, stops, visit

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("width", (1366, 390))
def test_every_page_passes_axe(browser, portal_url, browser_gateway, axe, width):
    tabs = {public: new_tab(browser, portal_url, width, logged_in=not public) for public in (True, False)}
    found, report = [], {}
    for stop in stops(browser_gateway):
        tab = tabs[stop.public]
        visit(tab, stop)
        violations = axe.run(tab, options=WCAG_21_AA).response["violations"]
        report[stop.name] = violations
        found += [f"{stop.name}: {v['impact']} {v['id']} ({v['help']}) at "
                  f"{[node['target'] for node in v['nodes']][:3]}"
                  for v in violations if v["impact"] in BLOCKING]
    for tab in tabs.values():
        tab.context.close()
    (output_dir() / f"axe-{width}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    assert found == []

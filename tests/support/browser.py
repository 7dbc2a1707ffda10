"""Playwright fixtures driving Debian's Chromium, shared by every browser test module.

The fixtures reach every test module through ``pytest_plugins`` in
tests/conftest.py (import only the helpers such as ``log_in``). ``portal_url`` serves a demo gateway
(SQLite) over real HTTP; ``browser`` is one Chromium per module; ``page`` a
fresh context per test, so cookies never leak between tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bipro.wsgi import GatewayApplication
from tests.support.server import served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]


def output_dir() -> Path:
    """Where screenshots go: ``BIPRO_TEST_OUTPUT`` or ``test-output/`` in the repository."""
    folder = Path(os.environ.get("BIPRO_TEST_OUTPUT") or ROOT / "test-output")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def require_chromium() -> None:
    """Fail in CI when Chromium is missing (the suite must not go green silently), else skip."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser_gateway(sqlite_gateway):
    """The module's own SQLite demo gateway, so browser tests may change passwords freely."""
    return sqlite_gateway


@pytest.fixture(scope="module")
def portal_url(browser_gateway):
    """The whole gateway (portal and BiPRO) served over HTTP."""
    with served(GatewayApplication(browser_gateway)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, portal_url):
    """A fresh browser context (no cookies) with its base URL set to the portal."""
    context = browser.new_context(base_url=portal_url, locale="de-DE",
                                  viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.console_errors = errors
    yield tab
    context.close()


def log_in(page, login: str = "demo", password: str = "demo-passwort") -> None:
    """Fill in the login form and wait for the Startseite."""
    page.goto("/login")
    page.get_by_label("Login-Name").fill(login)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/")

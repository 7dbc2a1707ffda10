"""Helpers and fixtures for portal tests with Flask's test client, CSRF protection switched on.

The fixtures (``app``, ``clients``, ``client``, ``auth``) reach every test
module through ``pytest_plugins`` in tests/conftest.py; import only helpers.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from bipro.core.identity.accounts import create_user
from portal import create_app
from tests.support.callers import STAFF

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def form_post(client, path: str, data: dict, *, form_page: str | None = None, **kwargs):
    """GET the form page for a fresh CSRF token, then POST *data* with it."""
    page = client.get(form_page or path, follow_redirects=True)
    return client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data},
                       **kwargs)


def log_in(client, login: str = "demo", password: str = "demo-passwort", **extra):
    return form_post(client, "/login", {"login": login, "password": password, **extra})


def log_out(client):
    page = client.get("/")
    return client.post("/abmelden", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def new_user(gateway, broker_number: str = "100100", email: str = "neu@makler.example"):
    """A fresh login of a demo broker with its random first password."""
    with gateway.db.session() as session:
        user, password = create_user(session, gateway.identity_policy, broker_number, "Test Nutzer", email, by=STAFF)
        return user.login, password


DISPOSITION_PARAMETER = re.compile(r';\s*([A-Za-z*]+)=("(?:[^"\\]|\\.)*"|[^;]*)')


def download_names(header: str) -> tuple[str, str | None]:
    """The plain ``filename`` of an attachment's Content-Disposition and its ``filename*``
    (RFC 6266: the one a browser prefers; None when absent), decoded."""
    assert header.startswith("attachment;"), header
    parameters = {key.lower(): value for key, value in DISPOSITION_PARAMETER.findall(header)}
    plain = re.sub(r"\\(.)", r"\1", parameters["filename"].strip('"'))
    extended = parameters.get("filename*")
    if extended is not None:
        charset, _language, encoded = extended.split("'", 2)
        assert charset == "UTF-8", header
        extended = unquote(encoded, encoding="utf-8", errors="strict")
    return plain, extended


BROKERS = {"demo": 1, "demo2": 2}  # login -> broker id in the demo data


@pytest.fixture(scope="module")
def app(gateway):
    """The portal over the module's demo gateway."""
    return create_app(gateway, {"TESTING": True})


@pytest.fixture(scope="module")
def clients(app):
    """One logged-in test client per demo broker."""
    logged_in = {}
    for login in BROKERS:
        client = app.test_client()
        assert log_in(client, login).status_code == 302
        logged_in[login] = client
    return logged_in


@pytest.fixture
def client(app):
    """A fresh test client of the module's portal, not logged in."""
    return app.test_client()


class AuthActions:
    """Logs the test's ``client`` in and out."""

    def __init__(self, client) -> None:
        self._client = client

    def login(self, login: str = "demo", password: str = "demo-passwort", **extra):
        return log_in(self._client, login, password, **extra)

    def logout(self):
        return log_out(self._client)


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)

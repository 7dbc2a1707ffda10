"""Portal hardening across every route: security headers on pages, errors and downloads,
open redirects, and no way around autoescaping in templates or views."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal import create_app
from portal.headers import CONTENT_SECURITY_POLICY, HEADERS
from tests.support import isolation
from tests.support.portal import log_in

PORTAL = Path(__file__).resolve().parents[1] / "portal"


def _assert_headers(answer, what: str) -> None:
    for name, value in HEADERS.items():
        if name == "Referrer-Policy" and answer.headers.get(name) == "no-referrer":
            continue  # stricter still (the reset page)
        assert answer.headers.get(name) == value, f"{what}: {name}"
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_security_headers_on_every_route_error_and_download(app, gateway):
    client = app.test_client()
    log_in(client)
    with gateway.db.session() as session:
        own = isolation.ids_of(session, 1)
    seen = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in isolation.PORTAL_EXEMPT:
            continue
        url = isolation.route_url(rule, own) if rule.arguments else rule.rule
        answer = client.get(url)
        assert answer.status_code in (200, 302), url
        _assert_headers(answer, url)
        answer.close()  # streamed exports end inside their request context
        seen += 1
    assert seen >= 8
    download = client.get(f"/posteingang/{own['document']}")
    assert download.mimetype != "text/html" and "no-store" in download.headers["Cache-Control"]
    _assert_headers(download, "download")
    errors = {
        "404": client.get("/gibt-es-nicht"),
        "405": client.post("/profil"),
        "400 csrf": client.post("/passwort-aendern", data={}),
        "static": client.get("/static/portal.css"),
        "reset link": app.test_client().get("/passwort-zuruecksetzen/ungueltig"),
        "anonymous": app.test_client().get("/"),
    }
    for what, answer in errors.items():
        _assert_headers(answer, what)
    assert errors["reset link"].headers["Referrer-Policy"] == "no-referrer"


def test_server_error_page_has_the_headers(gateway):
    app = create_app(gateway, {"TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/kaputt")
    def broken():
        raise RuntimeError("absichtlich")

    answer = app.test_client().get("/kaputt")
    assert answer.status_code == 500 and "absichtlich" not in answer.get_data(as_text=True)
    _assert_headers(answer, "500")


@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/%2F/evil.example", "https:evil.example", "\\\\evil.example",
    "//evil.example/%2F..", " //evil.example", "/\x00/evil.example",
])
def test_next_never_leaves_the_site(app, target):
    answer = log_in(app.test_client(), next=target)
    if "\x00" in target:  # refused whole at the door: no field may hold a NUL byte
        assert answer.status_code == 400 and "Nullzeichen" in answer.get_data(as_text=True)
        return
    location = answer.headers["Location"]
    assert answer.status_code == 302 and location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location.split("?")[0].lstrip("/").split("/")[0]


def test_nothing_bypasses_autoescaping():
    """No template marks text safe or switches escaping off; no view builds markup by hand."""
    offenders = []
    for path in sorted(PORTAL.rglob("*")):
        if path.suffix not in (".html", ".py") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\|\s*safe\b", r"autoescape\s+false", r"\bMarkup\(", r"render_template_string"):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(PORTAL)}: {pattern}")
    assert offenders == []

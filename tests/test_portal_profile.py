"""Vermittlermenü: profiles, password change (ending BiPRO tokens), logout, the main navigation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bipro.core.errors import TokenInvalid
from bipro.core.identity.tokens import resolve_token
from bipro.soap.namespaces import TRAN
from portal import create_app
from tests.support.bipro_client import request_token
from tests.support.portal import form_post, log_in, new_user
from tests.support.soapraw import envelope, post, sct_header

TRANSFER_PATH = "/bipro/430_Transfer/Service_2.6.1.1.0"


def list_shipments(base: str, token: str):
    """A secured BiPRO call: Transfer listShipments with the token."""
    body = f'<t:listShipments xmlns:t="{TRAN}"><t:Request/></t:listShipments>'
    return post(base + TRANSFER_PATH, envelope(body, sct_header(token)))


def test_user_profile(client):
    log_in(client)
    page = client.get("/profil").get_data(as_text=True)
    assert "Mein Benutzerprofil" in page and '<span class="readonly" id="login-name">demo</span>' in page
    assert "Ihr Benutzername ist ebenfalls der Benutzername für alle BiPRO Services der DOCURA." in page
    assert "nicht ändern" in page and "Martina Sonnenschein" in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    # nothing editable but the transfer format (two radio buttons and the form's CSRF token)
    assert main.count("<input") == 3 and main.count('type="radio"') == 2


def test_broker_profile(client, gateway):
    log_in(client, "demo2")
    page = client.get("/vermittlerprofil").get_data(as_text=True)
    number, name, town, phone = gateway.db.engine.connect().execute(text(
        "SELECT number, name, town, phone FROM brokers WHERE id = 2")).one()
    assert "Vermittlernummer" in page and f"<strong>{number}</strong>" in page
    assert name in page and town in page and phone in page


def test_menu_lists_the_manual_entries(client):
    log_in(client)
    page = client.get("/").get_data(as_text=True)
    menu = page.split('<details class="usermenu">', 1)[1].split("</details>", 1)[0]
    for entry in ("Mein Benutzerprofil", "Mein Vermittlerprofil", "Passwort ändern",
                  "Tarifrechner", "Abmelden"):
        assert entry in menu
    assert '<form method="post" action="/abmelden">' in menu and 'name="csrf_token"' in menu
    nav = page.split('aria-label="Hauptnavigation"', 1)[1].split("</nav>", 1)[0]
    for href, label in (("/", "Startseite"), ("/kunden", "Kundenübersicht"),
                        ("/vertraege", "Bestandsverträge"), ("/tarifrechner", "Tarifrechner")):
        assert f'href="{href}"' in nav and label in nav


@pytest.mark.parametrize("path, heading", [
    ("/kunden", "Kundenliste: Übersicht über alle Kunden in Ihrem Bestand"),
    ("/vertraege", "Bestandsverträge: Übersicht über alle Verträge in Ihrem Bestand")])
def test_lists_need_login_and_show_their_heading(client, path, heading):
    assert client.get(path).status_code == 302
    log_in(client)
    assert heading in client.get(path).get_data(as_text=True)


def test_placeholder_contract_view_is_scoped(client, gateway):
    log_in(client, "demo2")
    own, foreign = (gateway.db.engine.connect().execute(text(
        f"SELECT policy_number FROM contracts WHERE broker_id = {b} LIMIT 1")).scalar()
        for b in (2, 1))
    assert client.get(f"/vertraege/{own}").status_code == 200
    assert client.get(f"/vertraege/{foreign}").status_code == 404


def test_password_page_explains_the_mvp(client):
    log_in(client)
    page = client.get("/passwort-aendern").get_data(as_text=True)
    assert "Maklerverwaltungsprogramm" in page
    for label in ("Bisheriges Passwort", "Neues Passwort", "Neues Passwort wiederholen"):
        assert f">{label}</label>" in page


@pytest.mark.parametrize("data, message", [
    ({"old_password": "falsch-falsch", "new_password": "Herbst-Wind-2031",
      "repeat_password": "Herbst-Wind-2031"}, "Das bisherige Passwort ist nicht korrekt."),
    ({"new_password": "Herbst-Wind-2031", "repeat_password": "Herbst-Wind-2032"},
     "Die beiden neuen Passwörter stimmen nicht überein."),
    ({"new_password": "kurz", "repeat_password": "kurz"}, "mindestens 10 Zeichen"),
    ({"new_password": "", "repeat_password": ""}, "Bitte füllen Sie dieses Feld aus."),
])
def test_password_change_form_errors(client, gateway, data, message):
    login, password = new_user(gateway)
    log_in(client, login, password)
    page = form_post(client, "/passwort-aendern", {"old_password": password, **data})
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert log_in(client, login, password).headers["Location"] == "/"  # unchanged


def test_password_change_ends_bipro_tokens(client, gateway, base_url):
    login, password = new_user(gateway)
    token = request_token(base_url, login, password)
    assert list_shipments(base_url, token).status == 200
    other_browser = create_app(gateway, {"TESTING": True}).test_client()
    log_in(other_browser, login, password)
    log_in(client, login, password)
    answer = form_post(client, "/passwort-aendern", {
        "old_password": password, "new_password": "Herbst-Wind-2031",
        "repeat_password": "Herbst-Wind-2031"})
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Ihr Passwort wurde geändert." in page and "1 aktive BiPRO-Sitzung" in page
    with gateway.db.session() as session, pytest.raises(TokenInvalid):
        resolve_token(session, token)
    assert list_shipments(base_url, token).meldung_ids == ["00962"]
    # This browser stays logged in; the other one, still on the old password, is out.
    assert client.get("/").status_code == 200
    assert other_browser.get("/").status_code == 302
    assert request_token(base_url, login, "Herbst-Wind-2031").startswith("bipro:")
    new_client = create_app(gateway, {"TESTING": True}).test_client()
    assert "falsch" in log_in(new_client, login, password).get_data(as_text=True)
    assert log_in(new_client, login, "Herbst-Wind-2031").headers["Location"] == "/"


def test_logout_needs_post(client):
    log_in(client)
    assert client.get("/abmelden").status_code == 405
    assert client.get("/").status_code == 200

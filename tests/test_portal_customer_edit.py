"""The edit form of the Kundenansicht: CSRF, German messages, saving, history, conflicts.

Every refusal is checked against the database: nothing of the edit is written.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bipro.core.portfolio import contact_rules as rules
from bipro.core.portfolio.customer_edit import CONFLICT
from tests.support.customers import (
    VALID,
    customers_with_contracts,
    snapshot,
    stored_changes,
    stored_contract_texts,
    stored_customer,
)
from tests.support.pages import facts, field_errors, input_value, parse, table_rows
from tests.support.portal import csrf_token, log_in

SAVED = "Die Kundendaten wurden gespeichert."


@pytest.fixture(autouse=True)
def logged_in(auth):
    """Every test here starts with ``client`` logged in as the demo broker."""
    assert auth.login().status_code == 302


@pytest.fixture(scope="module")
def numbers(gateway):
    return iter(customers_with_contracts(gateway, 1, 10, offset=30))


def edit_path(number: str) -> str:
    return f"/kunden/{number}/bearbeiten"


def open_form(client, number: str) -> dict:
    """The form as the browser gets it: token, version and the stored values."""
    doc = parse(client.get(edit_path(number)))
    return {name: input_value(doc, name) for name in ("csrf_token", "version", *rules.CONTACT_FIELDS)}


def test_the_form_is_filled_with_the_stored_data(gateway, client, numbers):
    number = next(numbers)
    stored = stored_customer(gateway, number)
    form = open_form(client, number)
    assert {f: form[f] for f in rules.CONTACT_FIELDS} == {f: stored[f] for f in rules.CONTACT_FIELDS}
    assert form["version"] == str(stored["version"]) and form["csrf_token"]


def test_saving_changes_the_customer_and_shows_the_history(gateway, client, numbers):
    number = next(numbers)
    before = stored_customer(gateway, number)
    form = open_form(client, number)
    response = client.post(edit_path(number), data={**form, "street": "  Am Ring 3a ",
                                                    "postcode": "50667", "town": "Köln"})
    assert response.status_code == 302 and response.headers["Location"] == f"/kunden/{number}"

    after = stored_customer(gateway, number)
    assert (after["street"], after["postcode"], after["town"]) == ("Am Ring 3a", "50667", "Köln")
    assert after["version"] == before["version"] + 1
    assert "am ring 3a" in after["search_text"] and "köln" in after["search_text"]
    assert all("köln" in t for t in stored_contract_texts(gateway, before["id"]).values())
    assert stored_changes(gateway, before["id"]) == [
        ("street", before["street"], "Am Ring 3a", 1, 1),
        ("postcode", before["postcode"], "50667", 1, 1),
        ("town", before["town"], "Köln", 1, 1)]

    page = client.get(f"/kunden/{number}")
    text = page.get_data(as_text=True)
    assert SAVED in text
    doc = parse(page)
    assert facts(doc, "anschrift")["Straße"] == "Am Ring 3a"
    assert facts(doc, "anschrift")["PLZ / Ort"] == "50667 Köln"
    history = table_rows(doc, '//table[@id="historientabelle"]')
    assert [row[1:] for row in history] == [
        ["Martina Sonnenschein (demo)", "Straße", before["street"], "Am Ring 3a"],
        ["Martina Sonnenschein (demo)", "PLZ", before["postcode"], "50667"],
        ["Martina Sonnenschein (demo)", "Ort", before["town"], "Köln"]]
    assert all(len(row[0]) == len("27.11.2026 12:34") for row in history)


def test_saving_unchanged_data_records_nothing(gateway, client, numbers):
    number = next(numbers)
    state = snapshot(gateway, number)
    response = client.post(edit_path(number), data=open_form(client, number),
                           follow_redirects=True)
    assert "Es wurden keine Daten geändert." in response.get_data(as_text=True)
    assert snapshot(gateway, number) == state


@pytest.mark.parametrize("field, value, message", [
    ("street", "", rules.REQUIRED["street"]),
    ("postcode", "", rules.REQUIRED["postcode"]),
    ("town", " ", rules.REQUIRED["town"]),
    ("postcode", "1234", rules.POSTCODE_DIGITS),
    ("street", "Ohne Nummer", rules.NO_HOUSE_NUMBER),
    ("street", "S" * 79 + " 1", rules.TOO_LONG["street"]),
    ("town", "12345", rules.TOWN_LETTERS),
    ("email", "name@", rules.EMAIL_FORMAT),
    # exactly one address, and no longer than BiPRO's Kommunikationsadresse (60)
    ("email", "eva@makler.de, fremd@evil.example", rules.EMAIL_FORMAT),
    ("email", "Eva <eva@makler.de>", rules.EMAIL_FORMAT),
    ("email", "m" * 49 + "@beispiel.de", rules.TOO_LONG["email"]),
    ("phone", "0234-ABC", rules.PHONE_CHARACTERS),
    ("phone", "110", rules.PHONE_DIGITS),
    ("title", "Dr.<script>", rules.TITLE_CHARACTERS),
    # control and invisible characters: zero-width space, right-to-left override, C1, NEL
    ("town", "Bo\u200bchum", rules.CONTROL_CHARACTERS),
    ("street", "Hauptstr. \u202e21", rules.CONTROL_CHARACTERS),
    ("town", "Bochum\x9b", rules.CONTROL_CHARACTERS),
    ("street", "Am Ring\x853", rules.CONTROL_CHARACTERS),
    ("title", "Dr.\u2066", rules.CONTROL_CHARACTERS),
])
def test_invalid_input_shows_the_german_message_and_writes_nothing(gateway, client, field, value,
                                                                   message):
    number = customers_with_contracts(gateway, 1, 1, offset=45)[0]
    state = snapshot(gateway, number)
    response = client.post(edit_path(number), data={**open_form(client, number), **VALID,
                                                    field: value})
    assert response.status_code == 200
    doc = parse(response)
    assert field_errors(doc, field) == [message]
    assert doc.xpath(f'//input[@name="{field}"]')[0].get("aria-invalid") == "true"
    assert input_value(doc, field) == value  # the entry stays for correcting
    assert snapshot(gateway, number) == state


def test_a_decomposed_umlaut_is_stored_composed_found_either_way_and_exported(gateway, client, numbers):
    """``u`` and a combining diaeresis, as pasted from a Mac, are the ``ü`` a keyboard types."""
    number = next(numbers)
    response = client.post(edit_path(number), data={**open_form(client, number), "street": "Mu\u0308hlenweg 3"})
    assert response.status_code == 302
    after = stored_customer(gateway, number)
    assert after["street"] == "Mühlenweg 3" and "mühlenweg 3" in after["search_text"]
    for typed in ("Mühlenweg", "Mu\u0308hlenweg"):
        pdf = client.get("/kunden/pdf", query_string={"q": f"{typed} {after['last_name']}"})
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
        assert "Mühlenweg 3" in text and "Mu?hlenweg" not in text, typed


def test_an_email_address_of_60_characters_is_saved(gateway, client, numbers):
    number = next(numbers)
    address = "m" * 48 + "@beispiel.de"
    response = client.post(edit_path(number), data={**open_form(client, number), "email": address})
    assert response.status_code == 302
    assert stored_customer(gateway, number)["email"] == address


def test_csrf_is_refused(gateway, client, numbers):
    number = next(numbers)
    state = snapshot(gateway, number)
    form = open_form(client, number)
    for token in ("", "falsch", None):
        data = {**form, "street": "Gefälscht 1"}
        if token is None:
            data.pop("csrf_token")
        else:
            data["csrf_token"] = token
        response = client.post(edit_path(number), data=data)
        assert response.status_code == 400
        assert "Formular abgelaufen" in response.get_data(as_text=True)
    assert snapshot(gateway, number) == state


def test_a_form_from_another_browser_session_is_refused(gateway, app, client, numbers):
    """The CSRF token is bound to the session: another login's token does not fit."""
    number = next(numbers)
    state = snapshot(gateway, number)
    other = app.test_client()
    log_in(other)
    foreign_token = csrf_token(other.get(edit_path(number)).get_data(as_text=True))
    response = client.post(edit_path(number), data={**open_form(client, number), **VALID,
                                                    "csrf_token": foreign_token})
    assert response.status_code == 400
    assert snapshot(gateway, number) == state


def test_second_save_from_the_same_version_is_refused_with_the_current_data(gateway, app,
                                                                             numbers):
    number = next(numbers)
    first, second = app.test_client(), app.test_client()
    log_in(first)
    log_in(second)
    form_first, form_second = open_form(first, number), open_form(second, number)
    assert form_first["version"] == form_second["version"]
    original_street = stored_customer(gateway, number)["street"]

    saved = first.post(edit_path(number), data={**form_first, "street": "Erster Weg 1"})
    assert saved.status_code == 302
    state = snapshot(gateway, number)

    refused = second.post(edit_path(number), data={**form_second, "street": "Zweiter Weg 2",
                                                   "town": "Witten"})
    assert refused.status_code == 409
    doc = parse(refused)
    assert doc.get_element_by_id("konflikt").text_content().strip() == CONFLICT
    current = facts(doc, "aktuelle-daten")
    assert current["Straße und Hausnummer"] == "Erster Weg 1"
    # The second broker's entries stay in the form, now with the current version.
    assert input_value(doc, "street") == "Zweiter Weg 2" and input_value(doc, "town") == "Witten"
    assert input_value(doc, "version") == str(state[0]["version"])
    assert snapshot(gateway, number) == state  # nothing of the second save was written

    # Saving again after looking at the current data goes through.
    retry = second.post(edit_path(number), data={"csrf_token": input_value(doc, "csrf_token"),
                                                 "version": input_value(doc, "version"),
                                                 **{f: input_value(doc, f)
                                                    for f in rules.CONTACT_FIELDS}})
    assert retry.status_code == 302
    after = stored_customer(gateway, number)
    assert (after["street"], after["town"]) == ("Zweiter Weg 2", "Witten")
    streets = [(old, new) for field, old, new, *_ in stored_changes(gateway, after["id"])
               if field == "street"]
    assert streets == [(original_street, "Erster Weg 1"), ("Erster Weg 1", "Zweiter Weg 2")]


@pytest.mark.parametrize("version", ["", "abc", "0", "-1"])
def test_a_missing_or_forged_version_is_a_conflict(gateway, client, numbers, version):
    number = customers_with_contracts(gateway, 1, 1, offset=46)[0]
    state = snapshot(gateway, number)
    response = client.post(edit_path(number), data={**open_form(client, number), **VALID,
                                                    "version": version})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert snapshot(gateway, number) == state


def test_posting_to_another_brokers_customer_is_not_found(gateway, client):
    foreign = customers_with_contracts(gateway, 2, 1)[0]
    state = snapshot(gateway, foreign)
    own_form = open_form(client, customers_with_contracts(gateway, 1, 1, offset=47)[0])
    response = client.post(edit_path(foreign), data={**own_form, **VALID,
                                                     "version": str(state[0]["version"])})
    assert response.status_code == 404
    assert snapshot(gateway, foreign) == state

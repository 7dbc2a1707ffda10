"""The core use case: changing a customer's address and contact data.

Checked against the database with plain SQL: what a successful edit writes
(customer, history, audit, search texts of the customer and its contracts),
that every refusal writes nothing, and that two edits from the same version,
one after the other or at the same moment, let exactly one through.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from bipro.core.errors import Conflict, NotFound, ValidationFailed
from bipro.core.portfolio import contact_rules as rules
from bipro.core.portfolio.customer_edit import CONFLICT, FieldChange, update_customer_contact
from bipro.core.portfolio.records import get_customer
from bipro.core.portfolio.related import change_history
from store.search_text import SEPARATOR
from tests.support.customers import (
    CALLERS,
    VALID,
    audit_events,
    customers_with_contracts,
    snapshot,
    sql,
    stored_changes,
    stored_contract_texts,
    stored_customer,
)

DEMO = CALLERS["demo"]


def edit(gateway, partner_number, version, changes, caller=DEMO):
    with gateway.db.session() as session:
        return update_customer_contact(session, caller, partner_number, version, changes)


@pytest.fixture(scope="module")
def numbers(gateway):
    """Distinct demo customers (with contracts) so tests never share one."""
    return iter(customers_with_contracts(gateway, 1, 12))


def test_successful_edit_writes_customer_history_audit_and_search_texts(gateway, numbers):
    number = next(numbers)
    before = stored_customer(gateway, number)
    contracts_before = stored_contract_texts(gateway, before["id"])
    assert len(contracts_before) >= 2
    changes = {"title": "  Dr. ", "street": " Lindenallee   7 ", "postcode": "01067",
               "town": "Wattenscheid", "email": before["email"], "phone": before["phone"]}

    result = edit(gateway, number, before["version"], changes)

    assert result == [FieldChange("title", before["title"], "Dr."),
                      FieldChange("street", before["street"], "Lindenallee 7"),
                      FieldChange("postcode", before["postcode"], "01067"),
                      FieldChange("town", before["town"], "Wattenscheid")]
    after = stored_customer(gateway, number)
    assert (after["title"], after["street"], after["postcode"], after["town"]) == (
        "Dr.", "Lindenallee 7", "01067", "Wattenscheid")
    assert (after["email"], after["phone"]) == (before["email"], before["phone"])
    assert after["version"] == before["version"] + 1
    birth = dt.date.fromisoformat(str(after["birth_date"])) if after["birth_date"] else None
    assert after["search_text"].split(SEPARATOR) == [
        number, after["first_name"].lower(), after["last_name"].lower(), "lindenallee 7",
        "01067", "wattenscheid", f"{birth:%d.%m.%Y}" if birth else ""]
    assert (after["street_sort"], after["town_sort"]) == ("lindenallee 7", "wattenscheid")
    # Every contract of the customer now carries the new town, and only that changed.
    contracts_after = stored_contract_texts(gateway, before["id"])
    assert contracts_after.keys() == contracts_before.keys()
    for policy, old_text in contracts_before.items():
        old_parts, new_parts = old_text.split(SEPARATOR), contracts_after[policy].split(SEPARATOR)
        assert before["town"].lower() in old_parts and "wattenscheid" in new_parts
        assert [p for p in old_parts if p != before["town"].lower()] == \
               [p for p in new_parts if p != "wattenscheid"]
    assert stored_changes(gateway, before["id"]) == [
        ("title", before["title"], "Dr.", 1, 1),
        ("street", before["street"], "Lindenallee 7", 1, 1),
        ("postcode", before["postcode"], "01067", 1, 1),
        ("town", before["town"], "Wattenscheid", 1, 1)]
    assert audit_events(gateway, number) == [
        ("demo", 1, 1, "portal", f"Kunde {number}: title, street, postcode, town")]


def test_the_search_index_finds_the_new_town(gateway, numbers):
    """The trigram index follows the search text (SQLite FTS5 trigger / pg_trgm)."""
    number = next(numbers)
    before = stored_customer(gateway, number)
    edit(gateway, number, before["version"], {**VALID, "town": "Quakenbrück"})
    if gateway.db.is_sqlite:
        found = sql(gateway, "SELECT rowid FROM customers_fts WHERE customers_fts MATCH :q",
                    q='"quakenbrück"')
    else:
        found = sql(gateway, "SELECT id FROM customers WHERE search_text LIKE :q",
                    q="%quakenbrück%")
    assert [r[0] for r in found] == [before["id"]]


def test_unchanged_values_write_nothing(gateway, numbers):
    number = next(numbers)
    before = stored_customer(gateway, number)
    same = {f: before[f] for f in rules.CONTACT_FIELDS}
    state = snapshot(gateway, number)
    assert edit(gateway, number, before["version"], same) == []
    assert snapshot(gateway, number) == state


def test_history_newest_first_through_the_core(gateway, numbers):
    number = next(numbers)
    version = stored_customer(gateway, number)["version"]
    edit(gateway, number, version, {**VALID, "phone": "0211 111111"})
    edit(gateway, number, version + 1, {**VALID, "phone": "0211 222222"})
    with gateway.db.session() as session:
        customer = get_customer(session, DEMO, number)
        history = change_history(session, DEMO, customer.id)
    phones = [(h.old_value, h.new_value) for h in history if h.field == "phone"]
    assert phones[0] == ("0211 111111", "0211 222222")
    assert phones[1][1] == "0211 111111"
    assert history[0].login == "demo" and history[0].user_name == "Martina Sonnenschein"
    assert customer.version == version + 2


@pytest.mark.parametrize("field, value, message", [
    ("street", "", rules.REQUIRED["street"]),
    ("street", "   ", rules.REQUIRED["street"]),
    ("postcode", "", rules.REQUIRED["postcode"]),
    ("town", "", rules.REQUIRED["town"]),
    ("postcode", "4478", rules.POSTCODE_DIGITS),
    ("postcode", "447890", rules.POSTCODE_DIGITS),
    ("postcode", "44a89", rules.POSTCODE_DIGITS),
    ("postcode", "４４７８９", rules.POSTCODE_DIGITS),  # full-width digits are no postcode
    ("street", "Lindenallee", rules.NO_HOUSE_NUMBER),
    ("street", "Lindenallee " + "x" * 70 + " 7", rules.TOO_LONG["street"]),
    ("town", "4711", rules.TOWN_LETTERS),
    ("town", "B" * 61, rules.TOO_LONG["town"]),
    ("email", "kein-at-zeichen.de", rules.EMAIL_FORMAT),
    ("email", "zwei@@beispiel.de", rules.EMAIL_FORMAT),
    ("email", "name@beispiel", rules.EMAIL_FORMAT),
    ("email", "na me@beispiel.de", rules.EMAIL_FORMAT),
    ("email", "a" * 110 + "@beispiel.de", rules.TOO_LONG["email"]),
    ("email", "a" * 49 + "@beispiel.de", rules.TOO_LONG["email"]),  # 61: above Kommunikationsadresse
    ("email", "eva@makler.de, fremd@evil.example", rules.EMAIL_FORMAT),
    ("email", "eva@makler.de;fremd@evil.example", rules.EMAIL_FORMAT),
    ("email", "Eva <eva@makler.de>", rules.EMAIL_FORMAT),
    ("phone", "0234 12345x", rules.PHONE_CHARACTERS),
    ("phone", "0234+12345", rules.PHONE_CHARACTERS),
    ("phone", "12 34", rules.PHONE_DIGITS),
    ("phone", "0" * 41, rules.TOO_LONG["phone"]),
    ("title", "Dr.1", rules.TITLE_CHARACTERS),
    ("title", "D" * 41, rules.TOO_LONG["title"]),
    ("town", "Bo\x00chum", rules.CONTROL_CHARACTERS),
])
def test_each_rule_refuses_with_its_german_message_and_writes_nothing(gateway, field, value,
                                                                       message):
    number = customers_with_contracts(gateway, 1, 1, offset=20)[0]
    state = snapshot(gateway, number)
    with pytest.raises(ValidationFailed) as refused:
        edit(gateway, number, state[0]["version"], {**VALID, field: value})
    assert [(p.field, p.message) for p in refused.value.problems] == [(field, message)]
    assert snapshot(gateway, number) == state


def test_every_problem_is_listed_at_once(gateway):
    number = customers_with_contracts(gateway, 1, 1, offset=20)[0]
    with pytest.raises(ValidationFailed) as refused:
        edit(gateway, number, 1, {"street": "", "postcode": "1", "town": "", "email": "x",
                                  "phone": "abc", "title": ""})
    assert [p.field for p in refused.value.problems] == ["street", "postcode", "town", "email",
                                                         "phone"]


def test_valid_forms_are_accepted(gateway, numbers):
    number = next(numbers)
    version = stored_customer(gateway, number)["version"]
    edit(gateway, number, version, {"title": "Prof. Dr.-Ing.", "street": "Straße des 17. Juni 135",
                                    "postcode": "10623", "town": "Berlin-Charlottenburg",
                                    "email": "a.b+c@sub.beispiel.de", "phone": "+49 (30) 123/456-7"})
    after = stored_customer(gateway, number)
    assert (after["title"], after["street"], after["phone"]) == (
        "Prof. Dr.-Ing.", "Straße des 17. Juni 135", "+49 (30) 123/456-7")
    edit(gateway, number, version + 1, {"email": "", "phone": "", "title": ""})  # optional
    cleared = stored_customer(gateway, number)
    assert (cleared["email"], cleared["phone"], cleared["title"]) == ("", "", "")


def test_second_edit_from_the_same_version_is_a_conflict_and_writes_nothing(gateway, numbers):
    number = next(numbers)
    version = stored_customer(gateway, number)["version"]
    edit(gateway, number, version, {**VALID, "street": "Erste Straße 1"})
    state = snapshot(gateway, number)
    with pytest.raises(Conflict) as refused:
        edit(gateway, number, version, {**VALID, "street": "Zweite Straße 2", "town": "Essen"})
    assert refused.value.message == CONFLICT
    assert snapshot(gateway, number) == state
    assert state[0]["street"] == "Erste Straße 1" and state[0]["version"] == version + 1


def test_a_conflict_inside_a_larger_transaction_leaves_it_usable(gateway, numbers):
    """The refused edit does not spoil the caller's transaction: other work still commits."""
    first, second = next(numbers), next(numbers)
    v1 = stored_customer(gateway, first)["version"]
    v2 = stored_customer(gateway, second)["version"]
    with gateway.db.session() as session:
        with pytest.raises(Conflict):
            update_customer_contact(session, DEMO, first, v1 + 5, VALID)
        update_customer_contact(session, DEMO, second, v2, {**VALID, "town": "Herne"})
    assert stored_customer(gateway, first)["version"] == v1
    assert stored_customer(gateway, second)["town"] == "Herne"


def test_another_brokers_customer_is_not_found(gateway):
    foreign = customers_with_contracts(gateway, 2, 1)[0]
    state = snapshot(gateway, foreign)
    with pytest.raises(NotFound):
        edit(gateway, foreign, state[0]["version"], VALID)  # demo edits demo2's customer
    with pytest.raises(NotFound):
        edit(gateway, "999999999", 1, VALID)
    assert snapshot(gateway, foreign) == state
    own = customers_with_contracts(gateway, 1, 1, offset=21)[0]
    with pytest.raises(NotFound):
        edit(gateway, own, 1, VALID, caller=CALLERS["demo2"])


def test_unknown_fields_are_a_programming_error(gateway):
    with pytest.raises(ValueError):
        edit(gateway, "1", 1, {"last_name": "Neu"})


@pytest.mark.parametrize("round_", range(3))
def test_two_threads_saving_at_once_exactly_one_wins(gateway, numbers, round_):
    number = next(numbers)
    before = stored_customer(gateway, number)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(town: str) -> None:
        try:
            with gateway.db.session() as session:
                barrier.wait()
                outcomes[town] = update_customer_contact(
                    session, DEMO, number, before["version"], {**VALID, "town": town})
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[town] = exc

    threads = [threading.Thread(target=save, args=(town,)) for town in ("Dortmund", "Hagen")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [t for t, o in outcomes.items() if isinstance(o, list)]
    losers = [t for t, o in outcomes.items() if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    after = stored_customer(gateway, number)
    assert after["town"] == winners[0] and after["version"] == before["version"] + 1
    towns = [c[2] for c in stored_changes(gateway, before["id"]) if c[0] == "town"]
    assert towns == [winners[0]]
    texts = stored_contract_texts(gateway, before["id"]).values()
    assert all(winners[0].lower() in t.split(SEPARATOR) for t in texts)

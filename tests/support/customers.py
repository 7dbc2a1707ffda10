"""Picking demo customers for edit tests and reading their stored state with plain SQL."""

from __future__ import annotations

from sqlalchemy import text

from bipro.core.caller import Caller

CALLERS = {
    "demo": Caller(user_id=1, broker_id=1, login="demo", remote_addr="127.0.0.1", channel="portal"),
    "demo2": Caller(user_id=2, broker_id=2, login="demo2", remote_addr="127.0.0.1",
                    channel="portal"),
}

VALID = {"title": "", "street": "Lindenallee 7", "postcode": "44789", "town": "Bochum",
         "email": "neu@beispiel.de", "phone": "0234 123456"}


def sql(gateway, query: str, **params):
    with gateway.db.engine.connect() as conn:
        return conn.execute(text(query), params).all()


def customers_with_contracts(gateway, broker_id: int, count: int, offset: int = 0) -> list[str]:
    """Partner numbers of the broker's customers holding at least two contracts."""
    rows = sql(gateway, "SELECT c.partner_number FROM customers c WHERE c.broker_id = :b AND "
                        "(SELECT count(*) FROM contracts k WHERE k.customer_id = c.id) >= 2 "
                        "ORDER BY c.id", b=broker_id)
    numbers = [r[0] for r in rows][offset:offset + count]
    assert len(numbers) == count, "the demo portfolio has too few customers for this test"
    return numbers


def stored_customer(gateway, partner_number: str) -> dict:
    row = sql(gateway, "SELECT id, title, street, postcode, town, email, phone, version, "
                       "search_text, street_sort, town_sort, first_name, last_name, birth_date FROM customers "
                       "WHERE partner_number = :p", p=partner_number)[0]
    return dict(row._mapping)


def stored_contract_texts(gateway, customer_id: int) -> dict[str, str]:
    return dict(sql(gateway, "SELECT policy_number, search_text FROM contracts "
                             "WHERE customer_id = :c", c=customer_id))


def stored_changes(gateway, customer_id: int) -> list[tuple]:
    return [tuple(r) for r in sql(
        gateway, "SELECT field, old_value, new_value, user_id, broker_id FROM customer_changes "
                 "WHERE customer_id = :c ORDER BY id", c=customer_id)]


def audit_events(gateway, partner_number: str) -> list[tuple]:
    return [tuple(r) for r in sql(
        gateway, "SELECT login, user_id, broker_id, channel, detail FROM audit_events "
                 "WHERE event = 'customer_changed' AND detail LIKE :d ORDER BY id",
        d=f"Kunde {partner_number}:%")]


def snapshot(gateway, partner_number: str) -> tuple:
    """Everything an edit may write, to prove a refused edit wrote nothing."""
    customer = stored_customer(gateway, partner_number)
    return (customer, stored_contract_texts(gateway, customer["id"]),
            stored_changes(gateway, customer["id"]), audit_events(gateway, partner_number))

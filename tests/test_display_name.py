"""A customer's name reads the same everywhere: title, first name, last name.

The contract list and the Posteingang once left the title out while the
customer page showed it.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bipro.core.caller import Caller
from bipro.core.portfolio.customer_edit import update_customer_contact
from bipro.core.portfolio.records import get_customer
from bipro.core.search import CONTRACT_LIST
from bipro.core.shipments.inbox_pages import InboxQuery, inbox_page
from store.models import Customer, Shipment
from tests.support.lists import core_rows

DEMO = Caller(user_id=1, broker_id=1, login="demo", channel="portal")


def test_title_in_the_contract_list_the_inbox_and_the_customer_page(gateway):
    with gateway.db.session() as session:
        customer = session.scalars(
            select(Customer).join(Shipment, Shipment.customer_id == Customer.id)
            .where(Customer.broker_id == 1).order_by(Customer.id).limit(1)).one()
        session.execute(update(Customer).where(Customer.id == customer.id).values(title="Dr."))
        session.commit()
        customer_id, partner_number = customer.id, customer.partner_number
        first, last = customer.first_name, customer.last_name
    shown = f"Dr. {first} {last}"

    with gateway.db.session() as session:
        assert get_customer(session, DEMO, partner_number).full_name == shown
        documents = [d for d in inbox_page(session, DEMO, InboxQuery(search=last)).documents
                     if d.customer_id == customer_id]
        assert documents and {d.customer_name for d in documents} == {shown}
        holders = {row[1] for row in core_rows(gateway, CONTRACT_LIST, search=partner_number)
                   if row[0] == partner_number}  # ID, KUNDE, ...
        assert holders == {shown}

    # An edit refreshes the contracts' search text with the name as shown, so it is found.
    with gateway.db.session() as session:
        version = get_customer(session, DEMO, partner_number).version
        update_customer_contact(session, DEMO, partner_number, version, {"town": "Dortmund"})
        session.commit()
    found = core_rows(gateway, CONTRACT_LIST, search=f"dr. {first} {last}")
    assert found and {(row[0], row[1]) for row in found} == {(partner_number, shown)}

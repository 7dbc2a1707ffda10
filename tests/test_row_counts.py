"""The per-broker row counts follow every write, on every database, in the writer's transaction."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, text, update

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, fetch_page
from store import row_counts
from store.models import Contract, Customer
from tests.support.callers import of_broker
from tests.support.row_counts import assert_counts_are_right, kept_counts

ACTIVE, CANCELLED = 1, 4


def new_contract(customer: Customer, policy: str, *, sparte: str = "130", status: int = ACTIVE) -> Contract:
    day = dt.date(2026, 1, 1)
    return Contract(broker_id=customer.broker_id, customer_id=customer.id, policy_number=policy, sparte=sparte,
                    product_code="HR-KOMPAKT", status=status, start_date=day, net_premium=Decimal("10.00"),
                    gross_premium=Decimal("11.90"), stand=day)


def new_customer(broker_id: int, number: str) -> Customer:
    return Customer(broker_id=broker_id, partner_number=number, last_name="Zähler")


def first_customer(session, broker_id: int) -> Customer:
    return session.scalars(select(Customer).where(Customer.broker_id == broker_id).order_by(Customer.id)).first()


def contract_count(conn, broker_id: int, status: int, sparte: str) -> int:
    return kept_counts(conn)["contracts"].get((broker_id, status, sparte), 0)


def test_the_demo_is_counted(gateway):
    counts = assert_counts_are_right(gateway.db.engine)
    assert sum(counts["customers"].values()) > 0 and len(counts["contracts"]) > 5


def test_every_kind_of_write_moves_the_counts(gateway):
    with gateway.db.engine.connect() as conn:
        before = kept_counts(conn)
    with gateway.db.session() as session:
        holder = first_customer(session, 1)
        added = new_customer(1, "RC-1")
        session.add(added)
        session.flush()
        session.add_all([new_contract(added, "RC-1-A"), new_contract(added, "RC-1-B", sparte="010"),
                         new_contract(holder, "RC-1-C")])
        session.flush()
        # Status and Sparte change, and a contract changes broker with its holder.
        session.execute(update(Contract).where(Contract.policy_number == "RC-1-A").values(status=CANCELLED))
        session.execute(update(Contract).where(Contract.policy_number == "RC-1-B").values(sparte="040"))
        session.execute(update(Customer).where(Customer.id == added.id).values(broker_id=2))
        session.execute(update(Contract).where(Contract.customer_id == added.id).values(broker_id=2))
        # An update that moves no count, and a delete.
        session.execute(update(Contract).where(Contract.policy_number == "RC-1-C").values(net_premium=1))
        session.execute(delete(Contract).where(Contract.policy_number == "RC-1-C"))
        session.commit()
    with gateway.db.engine.connect() as conn:
        after = assert_counts_are_right(conn)
    changed = {key: after["contracts"].get(key, 0) - before["contracts"].get(key, 0)
               for key in {*before["contracts"], *after["contracts"]}}
    assert {key: delta for key, delta in changed.items() if delta} == {
        (2, CANCELLED, "130"): 1, (2, ACTIVE, "040"): 1}
    assert after["customers"][(2,)] == before["customers"][(2,)] + 1
    assert after["customers"][(1,)] == before["customers"][(1,)]


def test_a_rollback_takes_the_counts_back(gateway):
    with gateway.db.engine.connect() as conn:
        before = kept_counts(conn)
    with gateway.db.session() as session:
        holder = first_customer(session, 1)
        session.add(new_contract(holder, "RC-2-A"))
        session.execute(update(Contract).where(Contract.broker_id == 2).values(status=CANCELLED))
        session.flush()
        assert kept_counts(session.connection()) != before  # counted inside the transaction ...
        session.rollback()
    with gateway.db.engine.connect() as conn:
        assert kept_counts(conn) == before  # ... and gone with it


COPY_BROKER_2 = text(
    "INSERT INTO contracts (broker_id, customer_id, policy_number, sparte, product_code, status, start_date, "
    "end_date, cancelled_on, main_due_date, payment_frequency, net_premium, gross_premium, stand, search_text, "
    "updated_at) SELECT broker_id, customer_id, 'RC-' || policy_number, '110', product_code, status, start_date, "
    "end_date, cancelled_on, main_due_date, payment_frequency, net_premium, gross_premium, stand, search_text, "
    "updated_at FROM contracts WHERE broker_id = 2")


def counted_110(conn) -> int:
    return contract_count(conn, 2, ACTIVE, "110") + contract_count(conn, 2, CANCELLED, "110")


def test_statements_of_many_rows_are_counted_once_each(gateway):
    with gateway.db.engine.begin() as conn:
        copied = conn.execute(COPY_BROKER_2).rowcount
        assert copied > 1 and counted_110(conn) == copied
        conn.execute(text("UPDATE contracts SET status = 4 WHERE policy_number LIKE 'RC-%' AND sparte = '110'"))
        assert contract_count(conn, 2, CANCELLED, "110") == copied
        conn.execute(text("DELETE FROM contracts WHERE policy_number LIKE 'RC-%' AND sparte = '110'"))
        assert counted_110(conn) == 0
        assert_counts_are_right(conn)


def test_a_bulk_load_counts_once_at_the_end(gateway):
    with gateway.db.engine.begin() as conn:
        before = kept_counts(conn)
        row_counts.pause_sync(conn)
        copied = conn.execute(COPY_BROKER_2).rowcount
        assert kept_counts(conn) == before  # paused: nothing follows the rows
        row_counts.resume_sync(conn)
        assert counted_110(conn) == copied > 1
        assert_counts_are_right(conn)
        conn.rollback()
    with gateway.db.engine.connect() as conn:
        assert kept_counts(conn) == before
    # The rollback took the rows and the counts back, and kept the triggers: a write is counted again.
    with gateway.db.session() as session:
        session.add(new_contract(first_customer(session, 2), "RC-4-A", sparte="140"))
        session.commit()
    assert_counts_are_right(gateway.db.engine)


def test_a_paused_sync_that_rolls_back_keeps_its_triggers(gateway):
    with gateway.db.engine.begin() as conn:
        row_counts.pause_sync(conn)
        conn.rollback()
    with gateway.db.session() as session:
        session.add(new_contract(first_customer(session, 1), "RC-5-A", sparte="140"))
        session.commit()
    assert_counts_are_right(gateway.db.engine)


def test_truncate_empties_the_counts(gateway):
    if gateway.db.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    with gateway.db.engine.begin() as conn:
        conn.execute(text("TRUNCATE claims, contracts, customers CASCADE"))
        assert kept_counts(conn) == {"customers": {}, "contracts": {}}
        conn.rollback()
    assert_counts_are_right(gateway.db.engine)


@pytest.mark.parametrize("sparte", ["130", "999"], ids=["existing count", "new count"])
def test_concurrent_writers_of_one_count_lose_nothing(gateway, sparte):
    """Two transactions add to the same count; the second waits for the first and adds on top."""
    if gateway.db.is_sqlite:
        pytest.skip("SQLite has one writer at a time")
    with gateway.db.engine.connect() as conn:
        before = contract_count(conn, 1, ACTIVE, sparte)
    with gateway.db.session() as first, gateway.db.session() as second:
        first.add(new_contract(first_customer(first, 1), f"RC-6-{sparte}-A", sparte=sparte))
        first.flush()  # holds the count row until it commits
        second_holder = first_customer(second, 1)
        done = threading.Event()

        def write_second():
            second.add(new_contract(second_holder, f"RC-6-{sparte}-B", sparte=sparte))
            second.commit()
            done.set()

        writer = threading.Thread(target=write_second)
        writer.start()
        assert not done.wait(0.5), "the second writer should wait for the first"
        first.commit()
        writer.join(10)
        assert done.is_set()
    with gateway.db.engine.connect() as conn:
        assert contract_count(conn, 1, ACTIVE, sparte) == before + 2
    assert_counts_are_right(gateway.db.engine)


def test_the_lists_count_from_the_kept_counts(gateway):
    """The pager's total and the Status and Sparte counts are the kept ones (changed here behind the rows' back)."""
    with gateway.db.engine.begin() as conn:
        conn.execute(text("UPDATE customer_counts SET row_count = row_count + 1000 WHERE broker_id = 1"))
        conn.execute(text("UPDATE contract_counts SET row_count = row_count + 1000 "
                          "WHERE broker_id = 1 AND status = 1 AND sparte = '130'"))
    try:
        with gateway.db.session() as session:
            rows = session.scalar(select(func.count()).select_from(Customer).where(Customer.broker_id == 1))
            customers = fetch_page(session, of_broker(1), CUSTOMER_LIST, ListQuery(limit=10))
            assert customers.total == rows + 1000
            hausrat = fetch_page(session, of_broker(1), CONTRACT_LIST,
                                 ListQuery(limit=10, filters={"status": "lebend", "sparte": "130"}))
            real = session.scalar(select(func.count()).select_from(Contract).where(
                Contract.broker_id == 1, Contract.status == ACTIVE, Contract.sparte == "130"))
            assert hausrat.filtered == real + 1000 and not hausrat.more
            # A filter the counts do not know (a Partnernummer) counts the rows themselves.
            holder = first_customer(session, 1)
            own = fetch_page(session, of_broker(1), CONTRACT_LIST, ListQuery(
                limit=10, filters={"status": "lebend", "partner_number": holder.partner_number}))
            assert own.filtered == session.scalar(select(func.count()).select_from(Contract).where(
                Contract.customer_id == holder.id, Contract.status == ACTIVE)) > 0
    finally:
        with gateway.db.engine.begin() as conn:
            row_counts.recount(conn)
    assert_counts_are_right(gateway.db.engine)

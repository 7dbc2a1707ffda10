"""GDV round trip: the demo broker exported, imported into an empty database, exported again."""

from __future__ import annotations

from sqlalchemy import select

from bipro.core.portfolio.gdv_import import import_gdv_file
from bipro.core.shipments import export_portfolio
from store.models import Broker, Contract, Customer
from tests.support.callers import STAFF

DEMO_BROKER = 1
CUSTOMER_FIELDS = ("partner_number", "salutation", "last_name", "first_name", "street", "postcode", "town",
                   "country", "birth_date", "search_text", "first_name_sort", "last_name_sort",
                   "street_sort", "town_sort", "birthday_mmdd")
# Every contract field a GDV file carries, the Stand (as Aenderungsdatum),
# the cancellation date (as Abgangsdatum)
# and the gross premium the import derives (the demo taxes every Sparte at 19 %).
CONTRACT_FIELDS = ("policy_number", "sparte", "status", "start_date", "end_date", "main_due_date",
                   "payment_frequency", "net_premium", "gross_premium", "stand", "cancelled_on",
                   "search_text")


def portfolio(gateway, broker_number: str):
    with gateway.db.session() as session:
        broker = session.scalars(select(Broker).where(Broker.number == broker_number)).one()
        customers = [tuple(getattr(c, f) for f in CUSTOMER_FIELDS) for c in session.scalars(
            select(Customer).where(Customer.broker_id == broker.id).order_by(Customer.partner_number))]
        contracts = [tuple(getattr(c, f) for f in CONTRACT_FIELDS) + (c.customer.partner_number,)
                     for c in session.scalars(select(Contract).where(Contract.broker_id == broker.id)
                                              .order_by(Contract.policy_number))]
    return (broker.number, broker.name), customers, contracts


def export(gateway, broker_number: str, out_dir) -> list[str]:
    with gateway.db.session() as session:
        broker_id = session.scalar(select(Broker.id).where(Broker.number == broker_number))
        result = export_portfolio(session, broker_id, out_dir, by=STAFF)
    return result.path.read_bytes().decode("latin-1").split("\r\n")


def without_dates_of_creation(lines: list[str]) -> list[str]:
    """0001 without the creation date (246-253) and the period (70-85), which name the day of export."""
    header = lines[0]
    return [header[:69] + header[85:245] + header[253:], *lines[1:]]


def test_export_import_export_gives_the_same_portfolio_and_records(gateway, empty_gateway, tmp_path):
    first = export(gateway, "100100", tmp_path / "first")
    path = tmp_path / "first" / "bestand.gdv"
    path.write_bytes("\r\n".join(first).encode("latin-1"))

    with empty_gateway.db.session() as session:
        report = import_gdv_file(session, path, by=STAFF)
    assert report.ok and report.contracts_created == 210 and report.brokers_created == 1

    original, imported = portfolio(gateway, "100100"), portfolio(empty_gateway, "100100")
    assert imported[0] == original[0]
    assert len(imported[1]) == len(original[1]) and len(imported[2]) == 210
    for got, want in zip(imported[1], original[1]):
        assert dict(zip(CUSTOMER_FIELDS, got)) == dict(zip(CUSTOMER_FIELDS, want))
    for got, want in zip(imported[2], original[2]):
        assert dict(zip(CONTRACT_FIELDS, got)) == dict(zip(CONTRACT_FIELDS, want))

    second = export(empty_gateway, "100100", tmp_path / "second")
    assert without_dates_of_creation(second) == without_dates_of_creation(first)

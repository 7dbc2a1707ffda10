"""``gdv-export`` and ``publish``: the files arrive as shipments and read back to the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from bipro.cli import main
from bipro.core.gdv import GdvContract, GdvPerson
from bipro.core.shipments import GdvExportRefused, export_portfolio
from store.base import utcnow
from store.models import AuditEvent, Broker, Contract, Customer, Document, GdvExport, Shipment
from tests.gdvreader import read_gdv
from tests.support.bipro_client import request_token, service_client
from tests.support.callers import STAFF
from tests.support.transfer import TRANSFER_PATH


@pytest.fixture
def cli(monkeypatch, database_url, gateway, capsys):
    """Run ``bipro-gateway`` in-process against the module's database."""
    monkeypatch.setenv("BIPRO_DATABASE_URL", database_url)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(gateway.settings.instance_path))
    monkeypatch.setenv("BIPRO_BCRYPT_ROUNDS", "4")

    def run(*args):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture(scope="module")
def transfer_client(base_url):
    return service_client(base_url, TRANSFER_PATH, request_token(base_url, "demo"))


def portfolio(gateway, broker_id: int, contract_ids=None) -> list[tuple[GdvPerson, GdvContract]]:
    """The broker's contracts as the GDV reader should see them, straight from the database."""
    with gateway.db.session() as session:
        query = (select(Contract, Customer).join(Customer, Customer.id == Contract.customer_id)
                 .where(Contract.broker_id == broker_id).order_by(Contract.id))
        if contract_ids is not None:
            query = query.where(Contract.id.in_(contract_ids))
        records = []
        for contract, customer in session.execute(query):
            person = GdvPerson(customer.partner_number, customer.salutation, customer.last_name,
                               customer.first_name, customer.street, customer.postcode, customer.town,
                               customer.country, customer.birth_date)
            records.append((person, GdvContract(
                contract.policy_number, int(contract.sparte), contract.status, contract.start_date,
                contract.end_date, contract.main_due_date, contract.payment_frequency,
                contract.net_premium, "EUR", person)))
        return records


def audited_as_staff(gateway, public_id: str) -> tuple[int, str]:
    """The broker and channel of the one audit entry that names shipment *public_id*."""
    with gateway.db.session() as session:
        entry, = session.scalars(select(AuditEvent).where(AuditEvent.detail.startswith(f"Lieferung {public_id}:")))
    assert entry.event == "documents_received" and entry.user_id is None and entry.login == ""
    return entry.broker_id, entry.channel


def fetch_data_file(transfer_client, category: str):
    listed = transfer_client.service.listShipments(Request={"KategorieDerLieferung": category}).Lieferung
    assert len(listed) == 1
    shipment = listed[0]
    assert shipment.EnthaeltNurDaten is True and shipment.Sparte is None
    answer = transfer_client.service.getShipment(Request={"ID": shipment.ID})
    datei, = answer.Lieferung.Transfer[0].Datei
    assert datei.Dateityp == "Nettodaten"
    assert datei.Daten.contentType == "text/plain; charset=ISO-8859-1"
    assert datei.Pruefsumme.Wert == hashlib.sha1(datei.Daten._value_1).hexdigest()
    transfer_client.service.acknowledgeShipment(Request={"ID": shipment.ID})
    return datei


def test_full_export_reads_back_to_the_database(cli, transfer_client, gateway):
    code, out, err = cli("gdv-export", "--broker", "demo")
    assert code == 0, err
    assert "210 Verträge" in out and "GDV_100100_" in out
    datei = fetch_data_file(transfer_client, "999010010")
    assert datei.Dateiname.startswith("GDV_100100_") and datei.Dateiname.endswith(".gdv")
    data = datei.Daten._value_1
    parsed = read_gdv(data)
    assert parsed.records == portfolio(gateway, 1)
    assert parsed.header.broker_number == "100100"
    assert parsed.trailer.record_count == parsed.line_count
    assert parsed.trailer.total_premium_cents == sum(int(c.net_premium * 100) for _p, c in parsed.records)
    path = out.split(", ")[1].split(" (")[0]
    with open(path, "rb") as stored:
        assert stored.read() == data
    public_id = out.split("Lieferung ")[1].split()[0]
    assert audited_as_staff(gateway, public_id) == (1, "cli")


@pytest.mark.clock
def test_change_export_holds_only_changed_contracts(cli, transfer_client, gateway):
    assert cli("gdv-export", "--broker", "demo")[0] == 0
    full, = transfer_client.service.listShipments(Request={"KategorieDerLieferung": "999010010"}).Lieferung
    transfer_client.service.acknowledgeShipment(Request={"ID": full.ID})
    with gateway.db.session() as session:
        changed = list(session.scalars(select(Contract.id).where(Contract.broker_id == 1)
                                       .order_by(Contract.id).limit(2)))
        session.execute(update(Contract).where(Contract.id.in_(changed))
                        .values(net_premium=Decimal("42.42"), updated_at=utcnow() + dt.timedelta(seconds=1)))
    code, out, err = cli("gdv-export", "--broker", "demo", "--changes")
    assert code == 0, err
    assert "Vermittler 100100: 2 Verträge" in out
    datei = fetch_data_file(transfer_client, "999010020")
    parsed = read_gdv(datei.Daten._value_1)
    assert parsed.records == portfolio(gateway, 1, changed)
    assert {c.net_premium for _p, c in parsed.records} == {Decimal("42.42")}
    with gateway.db.session() as session:
        kinds = session.scalars(select(GdvExport.category).where(GdvExport.broker_id == 1)
                                .order_by(GdvExport.id)).all()
    assert kinds[-1] == "999010020"


def test_export_without_broker_covers_every_broker(cli, gateway):
    code, out, _err = cli("gdv-export")
    assert code == 0
    assert "Vermittler 100100: 210 Verträge" in out and "Vermittler 100200: 38 Verträge" in out


def test_publish_adds_a_document_shipment(cli, transfer_client, gateway, tmp_path):
    letter = tmp_path / "Anschreiben.pdf"
    letter.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    code, out, err = cli("publish", "--broker", "demo", "--category", "120010000", str(letter))
    assert code == 0, err
    shipment_id = out.split()[1]
    with gateway.db.session() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.public_id == shipment_id))
        assert shipment.broker_id == 1 and shipment.category == "120010000"
        assert shipment.available_until - shipment.created_at == dt.timedelta(days=90)
    datei = transfer_client.service.getShipment(Request={"ID": shipment_id}).Lieferung.Transfer[0].Datei[0]
    assert datei.Daten._value_1 == letter.read_bytes()
    assert datei.Daten.contentType == "application/pdf"
    assert audited_as_staff(gateway, shipment_id) == (1, "cli")


@pytest.mark.parametrize("on_disk, stored", [
    ("Brief\x01Kunde.pdf", "BriefKunde.pdf"),
    ("Brief\nKunde.pdf", "Brief Kunde.pdf"),
    ("Brief\u202egpj.pdf", "Briefgpj.pdf"),
    (os.fsdecode(b"Gr\xfc\xdfe.pdf"), "Gre.pdf"),  # not UTF-8: the bytes that are no characters go
    ("B" * 246 + ".pdf", "B" * 196 + ".pdf"),  # at most 200 characters, the extension kept
])
def test_publish_stores_a_clean_file_name(cli, transfer_client, gateway, tmp_path, on_disk, stored):
    letter = tmp_path / on_disk
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, out, err = cli("publish", "--broker", "demo", "--category", "120010000", str(letter))
    assert code == 0, err
    datei = transfer_client.service.getShipment(Request={"ID": out.split()[1]}).Lieferung.Transfer[0].Datei[0]
    assert (datei.Dateiname, datei.Bezeichnung) == (stored, stored)
    assert datei.Daten._value_1 == letter.read_bytes()


@pytest.mark.parametrize("args, message", [
    (("--broker", "demo", "--category", "12001"), "neun Ziffern"),
    (("--broker", "niemand", "--category", "120010000"), "keinen Benutzer"),
])
def test_publish_refuses_bad_input_in_german(cli, tmp_path, args, message):
    letter = tmp_path / "brief.txt"
    letter.write_text("Hallo")
    code, _out, err = cli("publish", *args, str(letter))
    assert code == 1 and message in err


def test_publish_uses_shipment_days_from_the_environment(cli, monkeypatch, gateway, tmp_path):
    monkeypatch.setenv("BIPRO_SHIPMENT_DAYS", "7")
    letter = tmp_path / "Rechnung.txt"
    letter.write_text("Beitragsrechnung")
    code, out, _err = cli("publish", "--broker", "demo2", "--category", "140013000", str(letter))
    assert code == 0
    with gateway.db.session() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.public_id == out.split()[1]))
    assert shipment.broker_id == 2 and shipment.available_until - shipment.created_at == dt.timedelta(days=7)


def test_unusual_broker_numbers_are_exported_or_refused_and_the_others_go_on(cli, gateway):
    """Runs last: it adds brokers that every later export of all brokers would meet.

    The CLI takes at most 10 characters now; a longer number stored before
    that rule is written straight into the database.
    """
    assert cli("broker", "create", "AB/1", "--name", "Makler mit Schrägstrich")[0] == 0
    assert cli("broker", "create", "12345678901", "--name", "Makler mit langer Nummer")[0] == 1
    with gateway.db.session() as session:
        session.add(Broker(number="12345678901", name="Makler mit langer Nummer"))
        session.commit()
    out_dir = gateway.settings.instance_path / "gdv"

    code, out, err = cli("gdv-export")
    assert code == 1
    assert ("Vermittler 12345678901 (Makler mit langer Nummer): Die Vermittlernummer hat 11 Zeichen, "
            "im GDV-Format sind höchstens 10 möglich.") in err
    assert "1 von 4 Vermittlern nicht exportiert." in err
    assert "Vermittler 100100: 210 Verträge" in out and "Vermittler 100200: 38 Verträge" in out
    assert "Vermittler AB/1: 0 Verträge" in out

    written, = out_dir.glob("GDV_AB%2F1_*.gdv")
    assert str(written) in out and not (out_dir / "GDV_AB").exists()
    assert read_gdv(written.read_bytes()).header.broker_number == "AB/1"
    assert not list(out_dir.glob("*.part")) and not list(out_dir.glob("*12345678901*"))
    with gateway.db.session() as session:
        shipped = dict(session.execute(select(Broker.number, func.count(Shipment.id))
                                       .outerjoin(Shipment, Shipment.broker_id == Broker.id)
                                       .where(Broker.number.in_(["AB/1", "12345678901"]))
                                       .group_by(Broker.number)).all())
        names = session.scalars(select(Document.file_name).join(Broker, Broker.id == Document.broker_id)
                                .where(Broker.number == "AB/1")).all()
    assert shipped == {"AB/1": 1, "12345678901": 0}
    assert names == [written.name]


def test_a_value_too_wide_for_its_gdv_field_refuses_that_broker_in_german(gateway, tmp_path):
    with gateway.db.session() as session:
        contract = session.scalar(select(Contract).where(Contract.broker_id == 2).order_by(Contract.id).limit(1))
        original, contract.policy_number = contract.policy_number, "VS-" + "9" * 20  # the field holds 17
    try:
        with gateway.db.session() as session:
            before = session.scalar(select(func.count()).select_from(Shipment))
            with pytest.raises(GdvExportRefused) as refused:
                export_portfolio(session, 2, tmp_path, by=STAFF)
            assert refused.value.message.startswith("Vermittler 100200 (")
            assert "Es wurde keine GDV-Datei erstellt." in refused.value.message
            assert session.scalar(select(func.count()).select_from(Shipment)) == before
        assert list(tmp_path.iterdir()) == []
    finally:
        with gateway.db.session() as session:
            session.execute(update(Contract).where(Contract.id == contract.id).values(policy_number=original))

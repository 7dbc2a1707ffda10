"""``import-gdv``: GDV files into an empty or filled database, on every backend."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, inspect, select, text, update

from bench._gdvfile import write_synthetic_file
from bench._memory import MIB, RssSampler
from bipro.cli import main
from bipro.core.gdv import GdvContract, GdvHeader, GdvPerson, GdvWriter, render_record
from bipro.core.gdv.reader import GdvReader
from bipro.core.gdv.records import ADDRESS_0100, CONTRACT_0200_PART2
from bipro.core.portfolio.gdv_import import applier, bulk_load, file_digest, import_gdv_file, reading
from store.models import AuditEvent, Broker, Claim, Contract, Customer, GdvImportRun
from store.search_text import contract_search_text, customer_search_text, person_name
from store.sort_keys import customer_sort_keys
from tests.support.callers import STAFF
from tests.support.gateways import empty_gateway_in
from tests.support.row_counts import assert_counts_are_right

TODAY = dt.date(2026, 11, 2)
HEADER = GdvHeader(vu_number="47110", sender="Docura VVaG", addressee="Maklerbüro Weiß",
                   created=TODAY, period_from=TODAY, period_to=TODAY, broker_number="100100")


def person(number: str, last: str = "Müller", **changes) -> GdvPerson:
    values = dict(partner_number=number, salutation_code=1, last_name=last, first_name="Jürgen",
                  street="Große Straße 12a", postcode="80331", town="München", country="D",
                  birth_date=dt.date(1970, 2, 3))
    values.update(changes)
    return GdvPerson(**values)


def contract(policy: str, holder: GdvPerson, sparte: int = 130, **changes) -> GdvContract:
    values = dict(policy_number=policy, sparte=sparte, status_code=1, start=dt.date(2020, 1, 1),
                  end=None, main_due_date=dt.date(2021, 1, 1), payment_frequency_code=8,
                  net_premium=Decimal("12.34"), currency="EUR", holder=holder)
    values.update(changes)
    return GdvContract(**values)


CONTRACTS = [
    contract("HR-0001", person("P-1")),
    contract("HR-0002", person("P-1")),                      # a second contract of the same holder
    contract("LV-0003", person("P-2", "Özdemir", first_name="Aylin", salutation_code=2), sparte=10,
             net_premium=Decimal("100.00"), payment_frequency_code=1),
    contract("PHV-0004", person("P-3", "Schmidt GmbH", first_name="", salutation_code=3, birth_date=None),
             sparte=40, net_premium=Decimal("5.00"), end=dt.date(2030, 1, 1)),
]


def gdv_bytes(contracts, header=HEADER, line_end=b"\r\n") -> bytes:
    out = io.BytesIO()
    writer = GdvWriter(out, header)
    for c in contracts:
        writer.write_contract(c)
    writer.close()
    return out.getvalue().replace(b"\r\n", line_end)


def lines_of(data: bytes) -> list[str]:
    return data.decode("latin-1").split("\r\n")[:-1]


def join(lines) -> bytes:
    return "".join(line + "\r\n" for line in lines).encode("latin-1")


def put(line: str, start: int, value: str) -> str:
    return line[:start - 1] + value + line[start - 1 + len(value):]


@pytest.fixture
def gw(empty_gateway):
    """The module's database, emptied of portfolio rows before each test."""
    with empty_gateway.db.session() as session:
        for model in (AuditEvent, Claim, Contract, Customer, Broker, GdvImportRun):
            session.execute(delete(model))
    return empty_gateway


@pytest.fixture
def run(gw, monkeypatch, capsys):
    monkeypatch.setenv("BIPRO_DATABASE_URL", gw.settings.database_url)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(gw.settings.instance_path))

    def run(*args):
        code = main(["import-gdv", *map(str, args)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def write(tmp_path: Path, data: bytes, name: str = "bestand.gdv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def snapshot(gw) -> dict:
    """Every portfolio row, every column."""
    with gw.db.engine.connect() as conn:
        return {model.__tablename__: [tuple(row) for row in conn.execute(
            select(model.__table__).order_by(model.__table__.c.id))]
                for model in (Broker, Customer, Contract, Claim)}


def contracts_by_policy(gw) -> dict[str, Contract]:
    with gw.db.session() as session:
        return {c.policy_number: c for c in session.scalars(select(Contract))}


def customers_by_number(gw) -> dict[str, Customer]:
    with gw.db.session() as session:
        return {c.partner_number: c for c in session.scalars(select(Customer))}


def test_a_file_with_every_record_kind_we_read(run, gw, tmp_path):
    lines = lines_of(gdv_bytes(CONTRACTS))
    # Contract 1 (lines 1-3) gets a 0200 part 2 with its gross premium, a
    # second person (Adresskennzeichen 02), Sparte records we don't read,
    # and blanks where the other contracts have zeros.
    key = {"vu_number": "47110", "sparte": 130, "policy_number": "HR-0001", "broker_number": "100100"}
    gross_line = render_record(CONTRACT_0200_PART2, {**key, "gross_premium": Decimal("14.70")})
    other_person = render_record(ADDRESS_0100, {**key, "last_name": "Beitragszahler", "address_kind": "02"})
    sparte_line = put(lines[3], 1, "0210")
    general = lines[3]
    for start, end in ((31, 32), (72, 79), (90, 97), (99, 103), (195, 208)):
        general = put(general, start, " " * (end - start + 1))
    lines = [lines[0], other_person, lines[1], lines[2], general, gross_line, sparte_line,
             put(sparte_line, 1, "0220"), *lines[4:-1], put(lines[-1], 1, "0001")[:255] + "2",
             lines[-1]]
    path = write(tmp_path, join(lines).replace(b"\r\n", b"\n"))  # LF only: accepted too

    code, out, err = run(path)

    assert code == 0, err
    assert "4 Verträge gelesen: 4 neu" in out and "Kunden 3 neu" in out and "Vermittler 1 neu" in out
    assert "0210: 1" in out and "0220: 1" in out and "0100 (weitere Person): 1" in out
    with gw.db.session() as session:
        broker, = session.scalars(select(Broker)).all()
    assert (broker.number, broker.name) == ("100100", "Maklerbüro Weiß")
    customers = customers_by_number(gw)
    assert set(customers) == {"P-1", "P-2", "P-3"}
    for c in CONTRACTS:
        p, stored = c.holder, customers[c.holder.partner_number]
        assert (stored.broker_id, stored.salutation, stored.last_name, stored.first_name, stored.street,
                stored.postcode, stored.town, stored.country, stored.birth_date) == (
            broker.id, p.salutation_code, p.last_name, p.first_name, p.street, p.postcode, p.town,
            p.country, p.birth_date)
        assert stored.search_text == customer_search_text(p.partner_number, p.first_name, p.last_name,
                                                          p.street, p.postcode, p.town, p.birth_date)
        assert {k: getattr(stored, k) for k in customer_sort_keys("", "", "", "")} == customer_sort_keys(
            p.first_name, p.last_name, p.street, p.town)
        assert stored.birthday_mmdd == (p.birth_date.strftime("%m%d") if p.birth_date else None)
    contracts = contracts_by_policy(gw)
    for c in CONTRACTS:
        stored = contracts[c.policy_number]
        assert (stored.broker_id, stored.customer_id, stored.sparte, stored.status, stored.start_date,
                stored.end_date, stored.main_due_date, stored.payment_frequency, stored.net_premium) == (
            broker.id, customers[c.holder.partner_number].id, "%03d" % c.sparte, c.status_code, c.start,
            c.end, c.main_due_date, c.payment_frequency_code, c.net_premium)
        assert stored.search_text == contract_search_text(
            c.holder.partner_number, person_name(c.holder.first_name, c.holder.last_name), c.holder.town,
            c.policy_number, stored.sparte, stored.status, stored.net_premium, stored.gross_premium,
            stored.stand)
    # Gross: from the 0200 part 2; otherwise net plus the Sparte's tax (19 %, Leben none).
    assert contracts["HR-0001"].gross_premium == Decimal("14.70")
    assert contracts["HR-0002"].gross_premium == Decimal("14.68")
    assert contracts["LV-0003"].gross_premium == Decimal("100.00")
    assert contracts["PHV-0004"].gross_premium == Decimal("5.95")


def test_a_broken_line_writes_nothing_and_is_named(run, gw, tmp_path):
    lines = lines_of(gdv_bytes(CONTRACTS))
    lines[6] = put(lines[6], 44, "31022020")          # 0200 of the second contract: no such day
    lines[8] = lines[8][:200]                          # a cut line
    path = write(tmp_path, join(lines), "kaputt.gdv")

    code, out, err = run(path)

    assert code == 1 and out == ""
    assert "kaputt.gdv: 2 Fehler, nichts übernommen." in err
    assert "kaputt.gdv, Zeile 7, Feld Vertragsbeginn: '31022020' ist kein gültiger Wert" in err
    assert "kaputt.gdv, Zeile 9, Feld Satzlänge: 200 statt 256 Zeichen" in err
    assert snapshot(gw) == {"brokers": [], "customers": [], "contracts": [], "claims": []}


def test_a_control_character_in_a_text_field_is_an_error_not_a_crash(run, gw, tmp_path):
    """PostgreSQL refuses a NUL byte in any text: the reader names it like any bad value."""
    lines = lines_of(gdv_bytes(CONTRACTS))
    lines[1] = put(lines[1], 44, "M\x00ller")        # Name 1 of the first holder
    code, _out, err = run(write(tmp_path, join(lines), "nul.gdv"))
    assert code == 1
    assert "nul.gdv, Zeile 2, Feld Name 1: " in err and "ist kein gültiger Wert (Spalten 44-73)" in err
    assert snapshot(gw)["contracts"] == []


@pytest.mark.parametrize(("policy", "partner", "field", "problem"), [
    ("daten", "K-1", "Versicherungsschein-Nummer", "'daten' „daten“ ist der Name einer Portalseite"),
    ("X/../Y", "K-1", "Versicherungsschein-Nummer", "'X/../Y' darf keinen leeren Teil"),
    ("HR-1", "K-1/bearbeiten", "Kundennummer des Versicherers",
     "'K-1/bearbeiten' darf nicht auf „/bearbeiten“ enden"),
])
def test_a_number_that_would_open_another_portal_page_is_refused(run, gw, tmp_path, policy, partner, field,
                                                                  problem):
    """Its link would lead to the list's data, another customer's edit form or another contract."""
    path = write(tmp_path, gdv_bytes([contract(policy, person(partner))]), "nummern.gdv")
    code, _out, err = run(path)
    assert code == 1 and f"Feld {field}: {problem}" in err
    assert snapshot(gw)["contracts"] == []


def test_a_file_without_trailer_or_holder_is_refused(run, gw, tmp_path):
    lines = lines_of(gdv_bytes(CONTRACTS[:2]))
    code, _out, err = run(write(tmp_path, join(lines[:-1]), "abgeschnitten.gdv"))
    assert code == 1 and "Zeile 7, Feld Satzart: der Nachsatz 9999 fehlt" in err
    code, _out, err = run(write(tmp_path, join([lines[0], lines[3], *lines[4:]]), "ohne-vn.gdv"))
    assert code == 1 and "Zeile 2, Feld Satzart: Vertrag HR-0001 ohne Versicherungsnehmer" in err
    assert snapshot(gw)["contracts"] == []


def test_the_same_file_twice_changes_nothing(run, gw, tmp_path):
    path = write(tmp_path, gdv_bytes(CONTRACTS))
    assert run(path)[0] == 0
    before = snapshot(gw)
    code, out, _err = run(path)
    assert code == 0
    assert "0 neu, 0 geändert (0 storniert, 0 zu anderem Vermittler), 4 unverändert" in out
    assert "Kunden 0 neu, 0 geändert" in out
    assert snapshot(gw) == before


def test_an_update_file_changes_what_differs_and_deletes_nothing(run, gw, tmp_path):
    assert run(write(tmp_path, gdv_bytes(CONTRACTS)))[0] == 0
    long_ago = dt.datetime(2026, 1, 1, 6, 0)
    with gw.db.session() as session:
        session.execute(update(Contract).values(updated_at=long_ago))
    moved_holder = person("P-1", "Müller-Lüdenscheidt", street="Neue Gasse 1", town="Köln")
    later = [contract("HR-0001", moved_holder, net_premium=Decimal("20.00"),
                      changed_on=dt.date(2026, 10, 1)),
             contract("HR-0002", moved_holder),
             CONTRACTS[2],
             contract("HR-0005", person("P-4", "Neumann"))]          # PHV-0004 is absent
    code, out, err = run(write(tmp_path, gdv_bytes(later), "aenderung.gdv"))
    assert code == 0, err
    assert "4 Verträge gelesen: 1 neu, 1 geändert" in out and "Kunden 1 neu, 1 geändert" in out
    after = contracts_by_policy(gw)
    assert set(after) == {"HR-0001", "HR-0002", "LV-0003", "PHV-0004", "HR-0005"}
    assert after["HR-0001"].net_premium == Decimal("20.00")
    assert after["HR-0001"].gross_premium == Decimal("23.80")
    assert after["HR-0001"].stand == dt.date(2026, 10, 1)
    assert after["HR-0001"].updated_at > long_ago    # the next change export carries it
    for unchanged in ("LV-0003", "PHV-0004"):
        assert after[unchanged].updated_at == long_ago
    customer = customers_by_number(gw)["P-1"]
    assert (customer.last_name, customer.street, customer.town, customer.version) == (
        "Müller-Lüdenscheidt", "Neue Gasse 1", "Köln", 2)
    assert customer.last_name_sort == "muller-ludenscheidt"
    # The contract list shows the holder: its search text follows the new name and town.
    assert "müller-lüdenscheidt" in after["HR-0002"].search_text and "köln" in after["HR-0002"].search_text


def test_status_4_cancels(run, gw, tmp_path):
    assert run(write(tmp_path, gdv_bytes(CONTRACTS)))[0] == 0
    cancelled = replace(CONTRACTS[0], status_code=4, end=dt.date(2026, 10, 31),
                        cancelled_on=dt.date(2026, 10, 31))
    code, out, _err = run(write(tmp_path, gdv_bytes([cancelled]), "storno.gdv"))
    assert code == 0 and "1 geändert (1 storniert" in out
    stored = contracts_by_policy(gw)["HR-0001"]
    assert (stored.status, stored.end_date, stored.cancelled_on) == (4, dt.date(2026, 10, 31),
                                                                     dt.date(2026, 10, 31))
    assert "storniert" in stored.search_text
    counts = assert_counts_are_right(gw.db.engine)["contracts"]
    assert counts[(stored.broker_id, 4, "130")] == 1 and counts[(stored.broker_id, 1, "130")] == 1


def test_a_contract_under_another_broker_moves_there_audited(run, gw, tmp_path):
    assert run(write(tmp_path, gdv_bytes(CONTRACTS)))[0] == 0
    with gw.db.session() as session:
        contract_id = session.scalar(select(Contract.id).where(Contract.policy_number == "PHV-0004"))
        old_broker = session.scalar(select(Contract.broker_id).where(Contract.id == contract_id))
        session.add(Claim(broker_id=old_broker, contract_id=contract_id, number="S-1",
                          occurred_on=dt.date(2025, 1, 1), amount=Decimal("100.00")))
    other = replace(HEADER, broker_number="100200", addressee="Finanzkontor Nord")
    code, out, err = run(write(tmp_path, gdv_bytes([CONTRACTS[3]], header=other), "neu.gdv"))
    assert code == 0, err
    assert "1 zu anderem Vermittler" in out and "Vermittler 1 neu" in out
    with gw.db.session() as session:
        new_broker = session.scalar(select(Broker.id).where(Broker.number == "100200"))
        moved = session.get(Contract, contract_id)
        assert moved.broker_id == new_broker
        assert session.get(Customer, moved.customer_id).broker_id == new_broker
        assert session.scalar(select(Claim.broker_id).where(Claim.number == "S-1")) == new_broker
        # The old broker no longer sees it: every tenant query filters by broker_id.
        assert session.scalar(select(func.count()).select_from(Contract).where(
            Contract.broker_id == old_broker, Contract.policy_number == "PHV-0004")) == 0
        events = session.execute(select(AuditEvent.broker_id, AuditEvent.detail)
                                 .where(AuditEvent.event == "contract_moved")).all()
    detail = "Vertrag PHV-0004: von Vermittler 100100 zu Vermittler 100200 (GDV-Import)"
    assert sorted(events) == sorted([(old_broker, detail), (new_broker, detail)])
    counts = assert_counts_are_right(gw.db.engine)
    assert counts["contracts"][(new_broker, 1, "040")] == 1 and (old_broker, 1, "040") not in counts["contracts"]


def test_dry_run_reports_without_writing(run, gw, tmp_path):
    code, out, _err = run(write(tmp_path, gdv_bytes(CONTRACTS)), "--dry-run")
    assert code == 0
    assert "würde übernehmen (Probelauf, nichts gespeichert): 4 Verträge gelesen: 4 neu" in out
    assert snapshot(gw) == {"brokers": [], "customers": [], "contracts": [], "claims": []}
    with gw.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_import_is_audited_as_a_system_action(run, gw, tmp_path):
    assert run(write(tmp_path, gdv_bytes(CONTRACTS)))[0] == 0
    with gw.db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.event == "portfolio_imported")).one()
    assert (event.login, event.user_id, event.broker_id, event.channel) == ("", None, None, "cli")
    assert event.detail.startswith("GDV-Import bestand.gdv: 4 Verträge gelesen: 4 neu")


def fts_triggers(gw) -> set[str]:
    with gw.db.engine.connect() as conn:
        return set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'")))


def fts_hits(gw, table: str, term: str) -> int:
    with gw.db.engine.connect() as conn:
        return conn.scalar(text(f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH :term"),
                           {"term": f'"{term}"'})


@pytest.fixture
def bulk_from_the_first_batch(monkeypatch):
    """The bulk path of large files, for a file of four contracts."""
    monkeypatch.setattr(bulk_load.BulkLoad, "MIN_CONTRACTS", 0)
    monkeypatch.setattr(reading, "BATCH", 2)


def index_names(gw) -> set[str]:
    """The indexes and foreign keys of both tables."""
    inspector = inspect(gw.db.engine)
    return {index["name"] for table in ("customers", "contracts")
            for index in [*inspector.get_indexes(table), *inspector.get_foreign_keys(table)]}


def test_a_bulk_load_leaves_the_text_index_right(gw, tmp_path, bulk_from_the_first_batch):
    triggers_before = fts_triggers(gw) if gw.db.is_sqlite else set()
    indexes_before = index_names(gw)
    with gw.db.session() as session:
        report = import_gdv_file(session, write(tmp_path, gdv_bytes(CONTRACTS)), by=STAFF)
    assert report.ok and report.contracts_created == 4
    # The lists' sort indexes (and on PostgreSQL the customer key), dropped for the load, are all back.
    assert index_names(gw) == indexes_before
    assert {"ix_contracts_broker_stand", "fk_contracts_customer_id_customers"} <= indexes_before
    assert assert_counts_are_right(gw.db.engine)["contracts"]  # counted once at the end
    if not gw.db.is_sqlite:
        return  # PostgreSQL's trigram index follows every row by itself
    assert fts_triggers(gw) == triggers_before and len(triggers_before) == 6
    assert fts_hits(gw, "contracts", "münchen") == 4 and fts_hits(gw, "customers", "özdemir") == 1
    # Afterwards the index follows row by row again.
    renamed = [contract("HR-0001", person("P-1", "Zander"))]
    with gw.db.session() as session:
        assert import_gdv_file(session, write(tmp_path, gdv_bytes(renamed), "neu.gdv"), by=STAFF).ok
    assert fts_hits(gw, "contracts", "zander") == 2 and fts_hits(gw, "customers", "zander") == 1
    assert_counts_are_right(gw.db.engine)


def test_a_failed_bulk_load_writes_nothing_and_keeps_the_index(gw, tmp_path, bulk_from_the_first_batch):
    triggers_before = fts_triggers(gw) if gw.db.is_sqlite else set()
    lines = lines_of(gdv_bytes(CONTRACTS))
    lines[12] = put(lines[12], 116, "12,34       ")   # the last contract's net premium
    with gw.db.session() as session:
        report = import_gdv_file(session, write(tmp_path, join(lines)), by=STAFF)
    assert not report.ok and str(report.errors[0]).startswith("bestand.gdv, Zeile 13, Feld Gesamtbeitrag (Netto)")
    assert report.contracts_read == 3
    assert snapshot(gw) == {"brokers": [], "customers": [], "contracts": [], "claims": []}
    assert assert_counts_are_right(gw.db.engine) == {"customers": {}, "contracts": {}}
    if gw.db.is_sqlite:
        assert fts_triggers(gw) == triggers_before


@pytest.mark.heavy
def test_200000_contracts_in_constant_memory(backend, tmp_path):
    # A database of its own, dropped afterwards: deleting 200,000 contracts for the next test costs more.
    path = write_synthetic_file(tmp_path / "gross.gdv", 200_000)
    with empty_gateway_in(backend, tmp_path) as gw:
        with RssSampler() as memory, gw.db.session() as session:
            report = import_gdv_file(session, path, by=STAFF)
        assert report.ok and report.contracts_created == 200_000 and report.customers_created == 50_000
        assert memory.peak_growth < 50 * MIB, f"RSS grew by {memory.peak_growth / MIB:.1f} MiB"
        with gw.db.session() as session:
            assert session.scalar(select(func.count()).select_from(Contract)) == 200_000


def portfolio(gw) -> dict:
    """Every portfolio row by the insurer's numbers, without ids and timestamps."""
    with gw.db.engine.connect() as conn:
        brokers = dict(conn.execute(select(Broker.id, Broker.number)).all())
        partners = dict(conn.execute(select(Customer.id, Customer.partner_number)).all())
        skip = {"id", "broker_id", "customer_id", "updated_at"}
        customers = {row.partner_number: (brokers[row.broker_id], *[
            value for name, value in row._mapping.items() if name not in skip])
            for row in conn.execute(select(Customer.__table__))}
        contracts = {row.policy_number: (brokers[row.broker_id], partners[row.customer_id], *[
            value for name, value in row._mapping.items() if name not in skip])
            for row in conn.execute(select(Contract.__table__))}
        names = sorted(conn.execute(select(Broker.number, Broker.name)).all())
    return {"brokers": names, "customers": customers, "contracts": contracts}


def import_run(gw) -> GdvImportRun | None:
    with gw.db.session() as session:
        return session.scalars(select(GdvImportRun)).one_or_none()


def test_in_batches_a_run_that_stops_half_way_continues_where_it_stopped(gw, tmp_path, monkeypatch):
    """Batches of whole contracts are committed with the progress; a re-run continues after the last one."""
    path = write_synthetic_file(tmp_path / "gross.gdv", 1000)
    with gw.db.session() as session:
        assert import_gdv_file(session, path, by=STAFF).ok
    expected = portfolio(gw)
    for model in (AuditEvent, Contract, Customer, Broker):
        with gw.db.session() as session:
            session.execute(delete(model))

    monkeypatch.setattr(reading, "BATCH", 100)
    applied = applier.BatchApplier.apply
    calls = []

    def crash_in_the_fourth_batch(self, batch):
        calls.append(len(batch))
        applied(self, batch)
        if len(calls) == 4:
            raise ConnectionError("Verbindung verloren")

    monkeypatch.setattr(applier.BatchApplier, "apply", crash_in_the_fourth_batch)
    with pytest.raises(ConnectionError), gw.db.session() as session:
        import_gdv_file(session, path, by=STAFF, resumable=True)
    # Three batches committed, the fourth rolled back whole: 300 contracts with their customers.
    run = import_run(gw)
    assert (run.contracts_done, run.line_done, run.finished_at) == (300, 1 + 3 * 300, None)
    assert run.file_name == "gross.gdv" and run.file_sha256 == file_digest(path)
    half = portfolio(gw)
    assert sorted(half["contracts"]) == sorted(expected["contracts"])[:300]
    assert {c[1] for c in half["contracts"].values()} == set(half["customers"])

    monkeypatch.setattr(applier.BatchApplier, "apply", applied)
    with gw.db.session() as session:
        report = import_gdv_file(session, path, by=STAFF, resumable=True)
    assert report.ok and report.contracts_resumed == 300 and report.contracts_read == 1000
    assert report.contracts_created == 700 and report.batches_committed == 7
    assert "(fortgesetzt: die ersten 300 waren schon übernommen)" in report.summary()
    assert portfolio(gw) == expected
    assert import_run(gw).finished_at is not None and import_run(gw).contracts_done == 1000


def test_in_batches_a_file_with_a_problem_writes_nothing(run, gw, tmp_path, monkeypatch):
    """The whole file is checked before the first batch is committed."""
    monkeypatch.setattr(reading, "BATCH", 1)
    lines = lines_of(gdv_bytes(CONTRACTS))
    lines[12] = put(lines[12], 44, "31022020")     # the last contract's start: no such day
    code, out, err = run(write(tmp_path, join(lines), "kaputt.gdv"), "--in-batches")
    assert code == 1 and out == "" and "kaputt.gdv, Zeile 13, Feld Vertragsbeginn" in err
    assert snapshot(gw) == {"brokers": [], "customers": [], "contracts": [], "claims": []}
    assert import_run(gw) is None


def test_in_batches_from_the_command_line_and_again(run, gw, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "BATCH", 3)
    path = write(tmp_path, gdv_bytes(CONTRACTS))
    code, out, err = run(path, "--in-batches")
    assert code == 0, err
    assert "übernommen: 4 Verträge gelesen: 4 neu" in out
    first = snapshot(gw)
    assert import_run(gw).finished_at is not None
    # A finished file given again starts afresh: nothing changes.
    code, out, _err = run(path, "--in-batches")
    assert code == 0 and "4 Verträge gelesen: 0 neu, 0 geändert (0 storniert, 0 zu anderem Vermittler), " \
                         "4 unverändert" in out
    assert snapshot(gw) == first
    # --dry-run with --in-batches writes nothing at all.
    code, out, _err = run(write(tmp_path, gdv_bytes(CONTRACTS[:1]), "probe.gdv"), "--in-batches", "--dry-run")
    assert code == 0 and "Probelauf" in out
    assert [r.file_name for r in [import_run(gw)]] == ["bestand.gdv"]


def test_our_own_export_with_invisible_characters_in_names_is_imported(run, gw, tmp_path):
    """A soft hyphen in the broker's name (the 0001's addressee) once made the import refuse the file."""
    header = replace(HEADER, addressee="Makler\u00adbüro Weiß")
    holder = person("P-1", "Mül\u00adler", town="Mün\u200bchen", street="Große\u2028Straße 12a")
    code, out, err = run(write(tmp_path, gdv_bytes([contract("HR-0001", holder)], header)))
    assert code == 0, err
    assert "1 Verträge gelesen: 1 neu" in out
    with gw.db.session() as session:
        assert session.scalars(select(Broker.name)).all() == ["Maklerbüro Weiß"]
    stored = customers_by_number(gw)["P-1"]
    assert (stored.last_name, stored.town, stored.street) == ("Müller", "München", "Große Straße 12a")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_the_reader_accepts_every_line_the_writer_writes(addressee, name):
    holder = person("P-1", "Müller" + name, first_name=name, street=name, town=name)
    data = gdv_bytes([contract("HR-0001", holder)], replace(HEADER, addressee=addressee))
    reader = GdvReader(io.BytesIO(data), "probe.gdv")
    assert len(list(reader.contracts())) == 1
    assert reader.errors == []


def test_the_readers_quick_control_character_check_is_the_text_rule():
    from bipro.core.gdv.reader import _CONTROL_CHARACTER
    from bipro.core.text_rules import has_forbidden_characters

    for code in range(256):
        character = chr(code)
        assert (_CONTROL_CHARACTER.search(character) is not None) == has_forbidden_characters(character), code

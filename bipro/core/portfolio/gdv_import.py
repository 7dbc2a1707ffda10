"""Import the insurer's portfolio from GDV VU-Vermittler files.

Brokers, customers and contracts are keyed by the insurer's numbers
(Vermittlernummer, Kundennummer des Versicherers = Partnernummer,
Versicherungsscheinnummer), so importing the same file twice changes
nothing and a later file changes only what differs:

* a broker unknown so far is created (named after the 0001's addressee when
  the file is addressed to it, otherwise "Vermittler <Nummer>");
* a customer or contract is created, or updated where a field differs;
  contracts absent from a file are left alone (never deleted); status 4
  cancels;
* a contract under another broker moves there with its claims and its
  holder, audited; the old broker no longer sees it.

A file is applied in the caller's transaction, whole or not at all, in one
pass and in batches of ``BATCH`` contracts with Core statements, so memory
stays flat for any file size (the ORM's identity map is never filled). At
the first problem writing stops, reading goes on so the report names every
problem with line and field, and the transaction is rolled back.

Search text, sort keys and the birthday column are written with every row,
as the portal's lists need them; the text index follows row by row, or, for
a large first load, is built once at the end (``_BulkLoad``).

Gross premiums: from the file's 0200 part 2 where it has one, otherwise net
plus the Sparte's Versicherungsteuer (``bipro.core.gdv.insurance_tax``);
when the file has none and the net premium and Sparte are unchanged, the
stored gross premium stays.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from bipro.core.clock import to_local
from bipro.core.gdv.insurance_tax import gross_premium
from bipro.core.gdv.layout import LINE_LENGTH
from bipro.core.gdv.reader import GdvReader, GdvReadError, ImportedContract, ImportedPerson, open_gdv
from bipro.core.identity import audit
from store import search_index
from store.base import utcnow
from store.db import begin_write
from store.models import STATUS_CANCELLED, AuditEvent, Broker, Claim, Contract, Customer
from store.progress import Progress, silent
from store.search_text import contract_search_text, customer_search_text, person_name
from store.sort_keys import customer_sort_keys

BATCH = 1000
MAX_REPORTED_ERRORS = 100
PORTFOLIO_IMPORTED = "portfolio_imported"
CONTRACT_MOVED = "contract_moved"

# The customer and contract columns a GDV file carries.
PERSON_FIELDS = ("salutation", "last_name", "first_name", "street", "postcode", "town", "country",
                 "birth_date")
CONTRACT_FIELDS = ("sparte", "status", "start_date", "end_date", "main_due_date", "payment_frequency",
                   "net_premium", "gross_premium", "stand", "cancelled_on")


@dataclass
class ImportReport:
    """What one file did (or, with errors or a dry run, would have done)."""

    file: str
    contracts_read: int = 0
    errors: list[GdvReadError] = field(default_factory=list)
    error_count: int = 0
    skipped: Counter = field(default_factory=Counter)
    brokers_created: int = 0
    customers_created: int = 0
    customers_changed: int = 0
    contracts_created: int = 0
    contracts_changed: int = 0
    contracts_unchanged: int = 0
    contracts_cancelled: int = 0
    contracts_moved: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def summary(self) -> str:
        return (f"{self.contracts_read} Verträge gelesen: {self.contracts_created} neu, "
                f"{self.contracts_changed} geändert ({self.contracts_cancelled} storniert, "
                f"{self.contracts_moved} zu anderem Vermittler), {self.contracts_unchanged} unverändert; "
                f"Kunden {self.customers_created} neu, {self.customers_changed} geändert; "
                f"Vermittler {self.brokers_created} neu")


def import_gdv_file(session: Session, path: Path, *, progress: Progress = silent,
                    now: dt.datetime | None = None) -> ImportReport:
    """Apply the file in *session*'s transaction (the caller commits), or report its problems.

    One pass: batches are written as the file is read; at the first problem
    writing stops, reading goes on to name every further problem, and the
    transaction is rolled back, so a file with any problem changes nothing.
    A dry run is this followed by a rollback.
    """
    report = ImportReport(str(path))
    now = (now or utcnow()).replace(microsecond=0)
    begin_write(session)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Every lookup here is by a unique key, but tables that grew in this
        # load (or were never analyzed) look small to the planner, which
        # then scans them once per batch: a million times too slow at scale.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        # Building the text index once at the end of a first load takes
        # longer than a web request may; this transaction is no request.
        conn.execute(text("SET LOCAL statement_timeout = 0"))
    applier = _Applier(conn, report, today=to_local(now).date(), now=now)
    with open_gdv(path) as stream, \
            progress(f"GDV-Import {path.name}", path.stat().st_size, "B") as shown:
        reader = GdvReader(stream, path.name)
        applier.reader = reader
        batch: list[ImportedContract] = []
        shown_bytes = 0
        bulk = _BulkLoad(conn, path.stat().st_size)
        for contract in reader.contracts():
            report.contracts_read += 1
            if reader.errors:
                batch.clear()  # nothing more is written; the transaction is rolled back below
                continue
            batch.append(contract)
            if len(batch) >= BATCH:
                applier.apply(batch)
                bulk.after_batch(report, len(batch))
                batch.clear()
                shown.update(reader.bytes_read - shown_bytes)
                shown_bytes = reader.bytes_read
        if batch and not reader.errors:
            applier.apply(batch)
        shown.update(reader.bytes_read - shown_bytes)
        if not reader.errors:
            bulk.finish()
    report.error_count = len(reader.errors)
    report.errors = reader.errors[:MAX_REPORTED_ERRORS]
    report.skipped = reader.skipped
    if not report.ok:
        session.rollback()
        return report
    audit.record(session, PORTFOLIO_IMPORTED, channel="cli",
                 detail=f"GDV-Import {path.name}: {report.summary()}"[:500])
    return report


class _BulkLoad:
    """A large load of mostly new rows builds its text index once at the end.

    Decided after the first batch: when nearly all of it was new and the
    file (estimated from its size) is at least as large as the contracts
    already stored, the text index (SQLite FTS5, PostgreSQL pg_trgm) stops
    following row by row and is built once when the file is through, which
    halves the time of a first load; afterwards PostgreSQL analyzes both
    tables.
    An update file keeps the row-by-row index (and the tables unlocked).
    """

    MIN_CONTRACTS = 10_000
    BYTES_PER_CONTRACT = 3 * (LINE_LENGTH + 2)  # 0100 twice and 0200, CRLF

    def __init__(self, conn: Connection, file_size: int):
        self.conn, self.estimate = conn, file_size // self.BYTES_PER_CONTRACT
        self.decided = self.bulk = False

    def after_batch(self, report: ImportReport, size: int) -> None:
        if self.decided:
            return
        self.decided = True
        if self.estimate < self.MIN_CONTRACTS or report.contracts_created < 0.9 * size:
            return
        stored = self.conn.scalar(select(func.count()).select_from(Contract))
        if self.estimate >= stored:
            self.bulk = True
            search_index.pause_sync(self.conn)

    def finish(self) -> None:
        if self.bulk:
            search_index.resume_sync(self.conn)
            if self.conn.dialect.name == "postgresql":
                # Fresh statistics, so the lists' queries plan for the new size at once.
                self.conn.execute(text("ANALYZE customers"))
                self.conn.execute(text("ANALYZE contracts"))


class _Applier:
    """Writes batches of contracts; remembers only the broker ids between batches."""

    def __init__(self, conn: Connection, report: ImportReport, *, today: dt.date, now: dt.datetime):
        self.conn, self.report, self.today, self.now = conn, report, today, now
        self.reader: GdvReader | None = None
        self.brokers: dict[str, int] = {}
        self.renamed: list[int] = []

    def apply(self, batch: list[ImportedContract]) -> None:
        # The last statement of a contract or customer in the file wins.
        contracts = {c.policy_number: c for c in batch}
        broker_ids = self._brokers({c.broker_number for c in contracts.values()})
        holders: dict[str, tuple[ImportedPerson, int]] = {}
        for c in contracts.values():
            holders[c.holder.partner_number] = (c.holder, broker_ids[c.broker_number])
        customers = self._customers(holders)
        self._contracts(contracts.values(), broker_ids, customers)

    # -- brokers ---------------------------------------------------------------

    def _brokers(self, numbers: set[str]) -> dict[str, int]:
        missing = numbers - self.brokers.keys()
        if missing:
            for number, broker_id in self.conn.execute(
                    select(Broker.number, Broker.id).where(Broker.number.in_(missing))):
                self.brokers[number] = broker_id
            for number in sorted(missing - self.brokers.keys()):
                header = self.reader.header if self.reader else None
                name = (header.addressee if header and header.broker_number == number and header.addressee
                        else f"Vermittler {number}")
                self.brokers[number] = self.conn.execute(
                    insert(Broker).values(number=number, name=name, created_at=self.now)
                    .returning(Broker.id)).scalar_one()
                self.report.brokers_created += 1
        return self.brokers

    # -- customers -------------------------------------------------------------

    def _customers(self, holders: dict[str, tuple[ImportedPerson, int]]) -> dict[str, int]:
        """Customer id per partner number; remembers whose name or town changed."""
        existing = {row.partner_number: row for row in self.conn.execute(
            select(Customer.id, Customer.partner_number, Customer.broker_id,
                   *[getattr(Customer, name) for name in PERSON_FIELDS])
            .where(Customer.partner_number.in_(holders)))}
        result: dict[str, int] = {}
        self.renamed: list[int] = []
        new_rows, changed_rows = [], []
        for number, (person, broker_id) in holders.items():
            values = {name: getattr(person, name) for name in PERSON_FIELDS}
            row = existing.get(number)
            if row is None:
                new_rows.append(self._customer_row(number, values, broker_id))
                continue
            differs = any(getattr(row, name) != value for name, value in values.items())
            result[number] = row.id
            if not differs and row.broker_id == broker_id:
                continue
            if (row.first_name, row.last_name, row.town) != (person.first_name, person.last_name,
                                                              person.town):
                self.renamed.append(row.id)  # the contract list shows these
            changed = self._customer_row(number, values, broker_id)
            changed["b_id"] = row.id
            changed_rows.append(changed)
        if new_rows:
            # A plain executemany and one lookup: several times faster on
            # PostgreSQL than INSERT ... RETURNING for a thousand rows.
            self.conn.execute(insert(Customer), new_rows)
            numbers = [row["partner_number"] for row in new_rows]
            result.update((number, customer_id) for number, customer_id in self.conn.execute(
                select(Customer.partner_number, Customer.id).where(Customer.partner_number.in_(numbers))))
            self.report.customers_created += len(new_rows)
        if changed_rows:
            self.conn.execute(
                update(Customer).where(Customer.id == bindparam("b_id"))
                .values(version=Customer.version + 1),
                changed_rows)
            self.report.customers_changed += len(changed_rows)
        return result

    def _customer_row(self, number: str, values: dict, broker_id: int) -> dict:
        birth = values["birth_date"]
        return {"partner_number": number, "broker_id": broker_id, **values,
                "birthday_mmdd": birth.strftime("%m%d") if birth else None,
                "search_text": customer_search_text(number, values["first_name"], values["last_name"],
                                                    values["street"], values["postcode"], values["town"],
                                                    birth),
                **customer_sort_keys(values["first_name"], values["last_name"], values["street"],
                                     values["town"]),
                "updated_at": self.now}

    # -- contracts -------------------------------------------------------------

    def _contracts(self, contracts: Iterable[ImportedContract], broker_ids: dict[str, int],
                   customers: dict[str, int]) -> None:
        contracts = list(contracts)
        existing = {row.policy_number: row for row in self.conn.execute(
            select(Contract.id, Contract.policy_number, Contract.broker_id, Contract.customer_id,
                   *[getattr(Contract, name) for name in CONTRACT_FIELDS])
            .where(Contract.policy_number.in_([c.policy_number for c in contracts])))}
        new_rows, changed_rows, moved = [], [], []
        for c in contracts:
            broker_id = broker_ids[c.broker_number]
            customer_id = customers[c.holder.partner_number]
            row = existing.get(c.policy_number)
            values = self._contract_values(c, row)
            if row is None:
                values.update(policy_number=c.policy_number, broker_id=broker_id, customer_id=customer_id,
                              product_code="", updated_at=self.now,
                              search_text=self._search_text(c, values))
                new_rows.append(values)
                continue
            if (row.broker_id == broker_id and row.customer_id == customer_id
                    and all(getattr(row, name) == value for name, value in values.items())):
                self.report.contracts_unchanged += 1
                continue
            if c.changed_on is None:
                values["stand"] = self.today
            self.report.contracts_changed += 1
            if values["status"] == STATUS_CANCELLED and row.status != STATUS_CANCELLED:
                self.report.contracts_cancelled += 1
            if row.broker_id != broker_id:
                moved.append((row, c))
            values.update(b_id=row.id, broker_id=broker_id, customer_id=customer_id, updated_at=self.now,
                          search_text=self._search_text(c, values))
            changed_rows.append(values)
        if new_rows:
            self.conn.execute(insert(Contract), new_rows)
            self.report.contracts_created += len(new_rows)
        if changed_rows:
            self.conn.execute(update(Contract).where(Contract.id == bindparam("b_id")), changed_rows)
        for row, c in moved:
            self._moved(row, c)
        if self.renamed:
            self._refresh_contract_texts(self.renamed)

    def _refresh_contract_texts(self, customer_ids: list[int]) -> None:
        """The contract list shows the holder's name and town: their search text follows."""
        rows = self.conn.execute(
            select(Contract.id, Contract.policy_number, Contract.sparte, Contract.status,
                   Contract.net_premium, Contract.gross_premium, Contract.stand, Customer.partner_number,
                   Customer.first_name, Customer.last_name, Customer.title, Customer.town)
            .join(Customer, Customer.id == Contract.customer_id)
            .where(Contract.customer_id.in_(customer_ids))).all()
        texts = [{"b_id": r.id, "search_text": contract_search_text(
            r.partner_number, person_name(r.first_name, r.last_name, r.title), r.town, r.policy_number, r.sparte,
            r.status, r.net_premium, r.gross_premium, r.stand)} for r in rows]
        if texts:
            self.conn.execute(update(Contract).where(Contract.id == bindparam("b_id")), texts)

    def _contract_values(self, c: ImportedContract, row) -> dict:
        gross = c.gross_premium
        if gross is None:
            keep = row is not None and row.net_premium == c.net_premium and row.sparte == c.sparte
            gross = row.gross_premium if keep else gross_premium(c.net_premium, c.sparte)
        values = {"sparte": c.sparte, "status": c.status, "start_date": c.start, "end_date": c.end,
                  "main_due_date": c.main_due_date, "payment_frequency": c.payment_frequency,
                  "net_premium": c.net_premium, "gross_premium": gross,
                  "stand": c.changed_on or (row.stand if row is not None else self.today),
                  "cancelled_on": c.cancelled_on}
        return values

    def _search_text(self, c: ImportedContract, values: dict) -> str:
        h = c.holder
        return contract_search_text(h.partner_number, person_name(h.first_name, h.last_name), h.town,
                                    c.policy_number, c.sparte, values["status"], values["net_premium"],
                                    values["gross_premium"], values["stand"])

    def _moved(self, row, c: ImportedContract) -> None:
        """Claims follow their contract; both brokers find the move in their audit log."""
        new_id = self.brokers[c.broker_number]
        self.conn.execute(update(Claim).where(Claim.contract_id == row.id).values(broker_id=new_id))
        old = self.conn.scalar(select(Broker.number).where(Broker.id == row.broker_id))
        detail = f"Vertrag {c.policy_number}: von Vermittler {old} zu Vermittler {c.broker_number} (GDV-Import)"
        self.conn.execute(insert(AuditEvent), [
            {"at": self.now, "event": CONTRACT_MOVED, "broker_id": broker_id, "channel": "cli",
             "detail": detail} for broker_id in (row.broker_id, new_id)])
        audit.log.info("%s %s", CONTRACT_MOVED, detail)
        self.report.contracts_moved += 1

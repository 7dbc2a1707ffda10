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
pass and in batches of ``BATCH`` contracts, so memory stays flat for any
file size (no ORM objects, nothing kept between batches but the broker
ids). At the first problem writing stops, reading goes on so the report
names every problem with line and field, and the transaction is rolled back.

A file too large for one transaction goes in resumable batches
(``resumable=True``, ``import-gdv --in-batches``): the whole file is checked
first (a problem anywhere writes nothing), then every batch of whole
contracts is committed together with how far the file got
(``gdv_import_runs``, keyed by the file's SHA-256), so a run that stopped
half-way (a crash, a lost connection) continues after its last committed
batch when started again with the same file.

Each batch costs a handful of statements whatever its size: one lookup of
the customers and one of the contracts it names (by the insurer's numbers),
the new rows in one go (PostgreSQL ``COPY``, SQLite ``executemany`` of
plain tuples, customer ids drawn beforehand), the changed rows in one
``executemany``; the next batch is read from the file by a thread of its
own meanwhile (``_read_ahead``). Search text, sort keys and the birthday
column are written with every row, as the portal's lists need them; the
text index follows row by row, or, for a large first load in one
transaction, is built once at the end together with the lists' sort
indexes (``_BulkLoad``).

Gross premiums: from the file's 0200 part 2 where it has one, otherwise net
plus the Sparte's Versicherungsteuer (``bipro.core.gdv.insurance_tax``);
when the file has none and the net premium and Sparte are unchanged, the
stored gross premium stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from bipro.core.caller import SystemCaller
from bipro.core.clock import to_local
from bipro.core.gdv.insurance_tax import gross_premium
from bipro.core.gdv.layout import LINE_LENGTH
from bipro.core.gdv.reader import GdvReader, GdvReadError, ImportedContract, ImportedPerson, open_gdv
from bipro.core.identity import audit
from store import search_index
from store.base import utcnow
from store.db import begin_write
from store.models import STATUS_CANCELLED, AuditEvent, Broker, Claim, Contract, Customer, GdvImportRun
from store.progress import Progress, silent
from store.search_text import contract_search_text, customer_search_text, person_name
from store.sort_keys import german_sort_key

BATCH = 1000
MAX_REPORTED_ERRORS = 100
PORTFOLIO_IMPORTED = "portfolio_imported"
CONTRACT_MOVED = "contract_moved"

# The customer and contract columns a GDV file carries.
PERSON_FIELDS = ("salutation", "last_name", "first_name", "street", "postcode", "town", "country",
                 "birth_date")
CONTRACT_FIELDS = ("sparte", "status", "start_date", "end_date", "main_due_date", "payment_frequency",
                   "net_premium", "gross_premium", "stand", "cancelled_on")
CUSTOMER_LOOKUP = ("id", "partner_number", "broker_id", *PERSON_FIELDS)
CONTRACT_LOOKUP = ("id", "policy_number", "broker_id", "customer_id", *CONTRACT_FIELDS)
# What a new row gets from the file (and the import); every other column its default.
CUSTOMER_INSERT = ("id", "partner_number", "broker_id", *PERSON_FIELDS, "birthday_mmdd", "search_text",
                   "first_name_sort", "last_name_sort", "street_sort", "town_sort", "updated_at")
CONTRACT_INSERT = ("policy_number", "broker_id", "customer_id", *CONTRACT_FIELDS, "product_code",
                   "search_text", "updated_at")

# Names, streets and towns repeat all over a portfolio: their sort keys are kept.
_sort_key = lru_cache(maxsize=20_000)(german_sort_key)


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
    contracts_resumed: int = 0   # committed by an earlier run of the same file (in batches)
    batches_committed: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def summary(self) -> str:
        resumed = (f" (fortgesetzt: die ersten {self.contracts_resumed} waren schon übernommen)"
                   if self.contracts_resumed else "")
        return (f"{self.contracts_read} Verträge gelesen{resumed}: {self.contracts_created} neu, "
                f"{self.contracts_changed} geändert ({self.contracts_cancelled} storniert, "
                f"{self.contracts_moved} zu anderem Vermittler), {self.contracts_unchanged} unverändert; "
                f"Kunden {self.customers_created} neu, {self.customers_changed} geändert; "
                f"Vermittler {self.brokers_created} neu")


def import_gdv_file(session: Session, path: Path, *, by: SystemCaller, progress: Progress = silent,
                    now: dt.datetime | None = None, resumable: bool = False) -> ImportReport:
    """Apply the file in *session*'s transaction (the caller commits), or report its problems.

    One pass: batches are written as the file is read; at the first problem
    writing stops, reading goes on to name every further problem, and the
    transaction is rolled back, so a file with any problem changes nothing.
    A dry run is this followed by a rollback.

    ``resumable``: check the whole file first, then commit batch by batch
    with the progress, continuing after the last batch an earlier run of
    the same file committed (see the module's description).
    """
    if resumable:
        return _import_in_batches(session, path, by=by, progress=progress, now=now)
    report = ImportReport(str(path))
    now = (now or utcnow()).replace(microsecond=0)
    begin_write(session)
    conn = session.connection()
    _prepare(conn)
    applier = _Applier(conn, report, today=to_local(now).date(), now=now)
    bulk = _BulkLoad(conn, path.stat().st_size)
    with open_gdv(path) as stream, \
            progress(f"GDV-Import {path.name}", path.stat().st_size, "B") as shown:
        reader = GdvReader(stream, path.name)
        applier.reader = reader
        for batch in _read_ahead(_batches(reader, report, shown)):
            applier.apply(batch)
            bulk.after_batch(report, len(batch))
        if not reader.errors:
            bulk.finish()
    if not _close_report(report, reader):
        session.rollback()
        return report
    audit.record(session, PORTFOLIO_IMPORTED, by=by,
                 detail=f"GDV-Import {path.name}: {report.summary()}"[:500])
    return report


def _batches(reader: GdvReader, report: ImportReport, shown, skip: int = 0) -> Iterator[list[ImportedContract]]:
    """Whole contracts in batches of ``BATCH``, until the first problem; the rest is read for the report.

    The first *skip* contracts (committed by an earlier run) are read and passed over.
    """
    batch: list[ImportedContract] = []
    shown_bytes = 0
    for contract in reader.contracts():
        report.contracts_read += 1
        if reader.errors:
            batch.clear()  # nothing more is written
            continue
        if report.contracts_read <= skip:
            continue
        batch.append(contract)
        if len(batch) >= BATCH:
            yield batch
            batch = []
            shown.update(reader.bytes_read - shown_bytes)
            shown_bytes = reader.bytes_read
    if batch and not reader.errors:
        yield batch
    shown.update(reader.bytes_read - shown_bytes)


def _read_ahead(batches: Iterator[list[ImportedContract]], depth: int = 2) -> Iterator[list[ImportedContract]]:
    """*batches*, read by a thread of their own while the ones before are written.

    The file is parsed while the database (SQLite's library, which lets go
    of Python's lock while it works, or the PostgreSQL server) writes the
    batch before: on two cores a good part of the one hides behind the
    other. At most *depth* batches wait, so memory stays flat. A problem in
    the reading thread is raised here; when writing stops, reading stops.
    """
    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
            hand_over(done)
        except BaseException as exc:  # handed to the writing thread, which raises it
            hand_over(exc)

    reader = threading.Thread(target=read, name="gdv-import-reader", daemon=True)
    reader.start()
    try:
        while (item := waiting.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def _close_report(report: ImportReport, reader: GdvReader) -> bool:
    report.error_count = len(reader.errors)
    report.errors = reader.errors[:MAX_REPORTED_ERRORS]
    report.skipped = reader.skipped
    return report.ok


def _prepare(conn: Connection, *, committed_per_batch: bool = False) -> None:
    """Settings of an import transaction."""
    if conn.dialect.name == "postgresql":
        if committed_per_batch:
            # A commit need not wait for the disk: a batch lost in a server
            # crash loses its progress with it, and the re-run writes it again.
            conn.execute(text("SET LOCAL synchronous_commit = off"))
        # Every lookup here is by a unique key, but tables that grew in this
        # load (or were never analyzed) look small to the planner, which
        # then scans them once per batch: a million times too slow at scale.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        # Building the indexes once at the end of a first load takes longer
        # than a web request may; this transaction is no request.
        conn.execute(text("SET LOCAL statement_timeout = 0"))
        conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))


# -- in resumable batches ------------------------------------------------------


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _import_in_batches(session: Session, path: Path, *, by: SystemCaller, progress: Progress,
                       now: dt.datetime | None) -> ImportReport:
    """Check the whole file, then commit batch by batch with how far the file got."""
    report = ImportReport(str(path))
    now = (now or utcnow()).replace(microsecond=0)
    digest = file_digest(path)
    run = session.execute(select(GdvImportRun.id, GdvImportRun.contracts_done, GdvImportRun.finished_at)
                          .where(GdvImportRun.file_sha256 == digest)).one_or_none()
    session.rollback()
    if run is None or run.finished_at is not None:
        # A fresh run: nothing is written before the whole file has been read without a problem.
        check = ImportReport(str(path))
        with open_gdv(path) as stream, \
                progress(f"GDV-Prüfung {path.name}", path.stat().st_size, "B") as shown:
            reader = GdvReader(stream, path.name)
            for _batch in _batches(reader, check, shown):
                pass
        if not _close_report(check, reader):
            return check
        begin_write(session)
        session.execute(delete(GdvImportRun).where(GdvImportRun.file_sha256 == digest))
        session.execute(insert(GdvImportRun).values(
            file_sha256=digest, file_name=path.name[:255], contracts_done=0, line_done=0, started_at=now,
            updated_at=now))
        session.commit()
        run = session.execute(select(GdvImportRun.id, GdvImportRun.contracts_done, GdvImportRun.finished_at)
                              .where(GdvImportRun.file_sha256 == digest)).one()
        session.rollback()
    skip = report.contracts_resumed = run.contracts_done
    run_id = run.id
    today = to_local(now).date()
    applier = _Applier(None, report, today=today, now=now)
    with open_gdv(path) as stream, \
            progress(f"GDV-Import {path.name}", path.stat().st_size, "B") as shown:
        reader = GdvReader(stream, path.name)
        applier.reader = reader
        for batch in _read_ahead(_batches(reader, report, shown, skip=skip)):
            begin_write(session)
            applier.conn = session.connection()
            _prepare(applier.conn, committed_per_batch=True)
            applier.apply(batch)
            session.execute(update(GdvImportRun).where(GdvImportRun.id == run_id).values(
                contracts_done=GdvImportRun.contracts_done + len(batch), line_done=batch[-1].line,
                updated_at=utcnow()))
            session.commit()
            report.batches_committed += 1
    if not _close_report(report, reader):
        # The file changed under us (it was checked whole before): what is committed stays, resumable.
        return report
    begin_write(session)
    session.execute(update(GdvImportRun).where(GdvImportRun.id == run_id).values(
        finished_at=utcnow(), updated_at=utcnow()))
    audit.record(session, PORTFOLIO_IMPORTED, by=by,
                 detail=f"GDV-Import {path.name} in Teilen: {report.summary()}"[:500])
    return report


# -- a first load: indexes built once ------------------------------------------


class _BulkLoad:
    """A large load of mostly new rows builds its indexes once at the end.

    Decided after the first batch: when nearly all of it was new and the
    file (estimated from its size) is at least as large as the contracts
    already stored, the text index (SQLite FTS5, PostgreSQL pg_trgm) and the
    lists' sort indexes stop following row by row and are built once when
    the file is through, which is several times faster than keeping a dozen
    indexes in step with a million inserts; afterwards PostgreSQL analyzes
    both tables. The unique keys the import looks rows up by stay, and so
    does the contracts' customer index (a renamed holder's contracts are
    found by it). On PostgreSQL the contracts' foreign key to customers is
    dropped too and added again at the end, where it checks every row in
    one join instead of one lookup per inserted contract. DDL is
    transactional on both databases: a rollback brings every index and
    constraint back by itself. An update file keeps the row-by-row indexes
    (and the tables unlocked).
    """

    MIN_CONTRACTS = 10_000
    BYTES_PER_CONTRACT = 3 * (LINE_LENGTH + 2)  # 0100 twice and 0200, CRLF
    KEPT_INDEXES = frozenset({"ix_contracts_customer_id"})

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
            for index in self._sort_indexes():
                index.drop(self.conn)
            for constraint in self._checked_at_the_end():
                self.conn.execute(DropConstraint(constraint))

    def finish(self) -> None:
        if self.bulk:
            for constraint in self._checked_at_the_end():
                self.conn.execute(AddConstraint(constraint))
            for index in self._sort_indexes():
                index.create(self.conn)
            search_index.resume_sync(self.conn)
            if self.conn.dialect.name == "postgresql":
                # Fresh statistics, so the lists' queries plan for the new size at once.
                self.conn.execute(text("ANALYZE customers"))
                self.conn.execute(text("ANALYZE contracts"))

    def _checked_at_the_end(self) -> list:
        if self.conn.dialect.name != "postgresql":
            return []  # SQLite cannot drop a constraint; its check per row is cheap
        return [fk for fk in Contract.__table__.foreign_key_constraints
                if fk.referred_table is Customer.__table__]

    def _sort_indexes(self):
        return [index for table in (Customer.__table__, Contract.__table__)
                for index in sorted(table.indexes, key=lambda i: i.name)
                if not index.unique and index.name not in self.KEPT_INDEXES]


# -- rows in and out, without the ORM --------------------------------------------


class _Rows:
    """Plain tuples in and out of one table on the driver's own cursor.

    SQLite stores dates, timestamps and amounts as SQLAlchemy does (its
    column types convert them, the same functions as for any statement);
    psycopg takes and gives Python's types as they are. New rows go into
    PostgreSQL by ``COPY``; every column the import does not fill gets the
    model's default.
    """

    def __init__(self, conn: Connection, table: Table, lookup: tuple[str, ...], key: str,
                 filled: tuple[str, ...]):
        dialect = conn.dialect
        self.postgres = dialect.name == "postgresql"
        self.table, self.lookup, self.key = table.name, lookup, key
        defaults = {c.name: c.default.arg for c in table.columns
                    if c.name not in filled and c.default is not None and c.default.is_scalar}
        self.columns = (*filled, *defaults)
        self.defaults = tuple(defaults.values())
        self.to_db, self.from_db = [], []
        if not self.postgres:
            self.to_db = [(i, _memo(table.c[name].type.dialect_impl(dialect).bind_processor(dialect)))
                          for i, name in enumerate(self.columns)]
            self.from_db = [(i, table.c[name].type.dialect_impl(dialect).result_processor(dialect, None))
                            for i, name in enumerate(lookup)]
            self.to_db = [(i, p) for i, p in self.to_db if p is not None]
            self.from_db = [(i, p) for i, p in self.from_db if p is not None]
        names = ", ".join(self.columns)
        self.insert_sql = (f"COPY {table.name} ({names}) FROM STDIN" if self.postgres else
                           f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(self.columns))})")

    def find(self, conn: Connection, keys: list[str]) -> dict[str, dict]:
        """The stored rows with these keys, by key, as dicts of Python values."""
        if not keys:
            return {}
        cursor = conn.connection.driver_connection.cursor()
        try:
            columns = ", ".join(self.lookup)
            if self.postgres:
                cursor.execute(f"SELECT {columns} FROM {self.table} WHERE {self.key} = ANY(%s)", (keys,))
            else:
                cursor.execute(f"SELECT {columns} FROM {self.table} WHERE {self.key} IN "
                               f"({', '.join('?' * len(keys))})", keys)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        found = {}
        names, convert, at_key = self.lookup, self.from_db, self.lookup.index(self.key)
        for row in rows:
            if convert:
                row = list(row)
                for i, process in convert:
                    row[i] = process(row[i])
            found[row[at_key]] = dict(zip(names, row))
        return found

    def insert(self, conn: Connection, rows: list[tuple]) -> None:
        """*rows* in the order of the filled columns."""
        if self.defaults:
            rows = [row + self.defaults for row in rows]
        driver = conn.connection.driver_connection
        if self.postgres:
            with driver.cursor() as cursor, cursor.copy(self.insert_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if self.to_db:
            converted = []
            for row in rows:
                row = list(row)
                for i, process in self.to_db:
                    value = row[i]
                    if value is not None:
                        row[i] = process(value)
                converted.append(row)
            rows = converted
        cursor = driver.cursor()
        try:
            cursor.executemany(self.insert_sql, rows)
        finally:
            cursor.close()


def _memo(process: Callable | None) -> Callable | None:
    """A type's conversion, remembered for values that repeat (dates, the import's timestamp)."""
    if process is None:
        return None
    return lru_cache(maxsize=4096)(process)


class _Applier:
    """Writes batches of contracts; remembers only the broker ids between batches."""

    def __init__(self, conn: Connection | None, report: ImportReport, *, today: dt.date, now: dt.datetime):
        self.conn, self.report, self.today, self.now = conn, report, today, now
        self.reader: GdvReader | None = None
        self.brokers: dict[str, int] = {}
        self.renamed: list[int] = []
        self._customers_table: _Rows | None = None
        self._contracts_table: _Rows | None = None

    def apply(self, batch: list[ImportedContract]) -> None:
        if self._customers_table is None:
            self._customers_table = _Rows(self.conn, Customer.__table__, CUSTOMER_LOOKUP, "partner_number",
                                          CUSTOMER_INSERT)
            self._contracts_table = _Rows(self.conn, Contract.__table__, CONTRACT_LOOKUP, "policy_number",
                                          CONTRACT_INSERT)
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
        existing = self._customers_table.find(self.conn, list(holders))
        result: dict[str, int] = {}
        self.renamed = []
        new, changed_rows = [], []
        for number, (person, broker_id) in holders.items():
            row = existing.get(number)
            if row is None:
                new.append((number, person, broker_id))
                continue
            result[number] = row["id"]
            if row["broker_id"] == broker_id and all(row[name] == getattr(person, name)
                                                     for name in PERSON_FIELDS):
                continue
            if (row["first_name"], row["last_name"], row["town"]) != (person.first_name, person.last_name,
                                                                       person.town):
                self.renamed.append(row["id"])  # the contract list shows these
            values = dict(zip(CUSTOMER_INSERT[1:], self._customer_row(number, person, broker_id)))
            values["b_id"] = row["id"]
            changed_rows.append(values)
        if new:
            ids = self._new_customer_ids(len(new))
            rows = []
            for customer_id, (number, person, broker_id) in zip(ids, new):
                rows.append((customer_id, *self._customer_row(number, person, broker_id)))
                result[number] = customer_id
            self._customers_table.insert(self.conn, rows)
            self.report.customers_created += len(new)
        if changed_rows:
            self.conn.execute(
                update(Customer).where(Customer.id == bindparam("b_id"))
                .values(version=Customer.version + 1),
                changed_rows)
            self.report.customers_changed += len(changed_rows)
        return result

    def _new_customer_ids(self, count: int) -> list[int]:
        """Ids for new customers, so contracts can point at them without reading them back."""
        if self.conn.dialect.name == "postgresql":
            return list(self.conn.scalars(text(
                "SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, :n)"),
                {"n": count}))
        # The import holds SQLite's write lock (BEGIN IMMEDIATE): nobody else draws ids meanwhile.
        first = self.conn.scalar(select(func.coalesce(func.max(Customer.id), 0))) + 1
        return list(range(first, first + count))

    def _customer_row(self, number: str, p: ImportedPerson, broker_id: int) -> tuple:
        """The columns of ``CUSTOMER_INSERT`` after the id."""
        birth = p.birth_date
        return (number, broker_id, p.salutation, p.last_name, p.first_name, p.street, p.postcode, p.town,
                p.country, birth, birth.strftime("%m%d") if birth else None,
                customer_search_text(number, p.first_name, p.last_name, p.street, p.postcode, p.town, birth),
                _sort_key(p.first_name), _sort_key(p.last_name), _sort_key(p.street), _sort_key(p.town),
                self.now)

    # -- contracts -------------------------------------------------------------

    def _contracts(self, contracts: Iterable[ImportedContract], broker_ids: dict[str, int],
                   customers: dict[str, int]) -> None:
        contracts = list(contracts)
        existing = self._contracts_table.find(self.conn, [c.policy_number for c in contracts])
        new_rows, changed_rows, moved = [], [], []
        for c in contracts:
            broker_id = broker_ids[c.broker_number]
            customer_id = customers[c.holder.partner_number]
            row = existing.get(c.policy_number)
            values = self._contract_values(c, row)
            if row is None:
                new_rows.append((c.policy_number, broker_id, customer_id, *values, "",
                                 self._search_text(c, values[7], values[8], values[1]), self.now))
                continue
            if (row["broker_id"] == broker_id and row["customer_id"] == customer_id
                    and all(row[name] == value for name, value in zip(CONTRACT_FIELDS, values))):
                self.report.contracts_unchanged += 1
                continue
            values = dict(zip(CONTRACT_FIELDS, values))
            if c.changed_on is None:
                values["stand"] = self.today
            self.report.contracts_changed += 1
            if values["status"] == STATUS_CANCELLED and row["status"] != STATUS_CANCELLED:
                self.report.contracts_cancelled += 1
            if row["broker_id"] != broker_id:
                moved.append((row, c))
            values.update(b_id=row["id"], broker_id=broker_id, customer_id=customer_id, updated_at=self.now,
                          search_text=self._search_text(c, values["gross_premium"], values["stand"],
                                                        values["status"]))
            changed_rows.append(values)
        if new_rows:
            self._contracts_table.insert(self.conn, new_rows)
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

    def _contract_values(self, c: ImportedContract, row: dict | None) -> tuple:
        """The values of ``CONTRACT_FIELDS``."""
        gross = c.gross_premium
        if gross is None:
            keep = row is not None and row["net_premium"] == c.net_premium and row["sparte"] == c.sparte
            gross = row["gross_premium"] if keep else gross_premium(c.net_premium, c.sparte)
        return (c.sparte, c.status, c.start, c.end, c.main_due_date, c.payment_frequency, c.net_premium, gross,
                c.changed_on or (row["stand"] if row is not None else self.today), c.cancelled_on)

    def _search_text(self, c: ImportedContract, gross, stand: dt.date, status: int) -> str:
        h = c.holder
        return contract_search_text(h.partner_number, person_name(h.first_name, h.last_name), h.town,
                                    c.policy_number, c.sparte, status, c.net_premium, gross, stand)

    def _moved(self, row: dict, c: ImportedContract) -> None:
        """Claims follow their contract; both brokers find the move in their audit log."""
        new_id = self.brokers[c.broker_number]
        self.conn.execute(update(Claim).where(Claim.contract_id == row["id"]).values(broker_id=new_id))
        old = self.conn.scalar(select(Broker.number).where(Broker.id == row["broker_id"]))
        detail = f"Vertrag {c.policy_number}: von Vermittler {old} zu Vermittler {c.broker_number} (GDV-Import)"
        self.conn.execute(insert(AuditEvent), [
            {"at": self.now, "event": CONTRACT_MOVED, "broker_id": broker_id, "channel": "cli",
             "detail": detail} for broker_id in (row["broker_id"], new_id)])
        audit.log.info("%s %s", CONTRACT_MOVED, detail)
        self.report.contracts_moved += 1

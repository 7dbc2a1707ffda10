"""Writes batches of imported contracts: brokers, customers and contracts, created, changed or moved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, bindparam, func, insert, select, text, update

from bipro.core.gdv.insurance_tax import gross_premium
from bipro.core.gdv.reader import GdvReader, ImportedContract, ImportedPerson
from bipro.core.identity import audit
from bipro.core.portfolio.gdv_import.report import ImportReport
from store.models import STATUS_CANCELLED, AuditEvent, Broker, Claim, Contract, Customer
from store.search_text import contract_search_text, customer_search_text, person_name
from store.sort_keys import german_sort_key
from store.table_rows import TableRows

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


class BatchApplier:
    """Writes batches of contracts; remembers only the broker ids between batches."""

    def __init__(self, conn: Connection | None, report: ImportReport, *, today: dt.date, now: dt.datetime):
        self.conn, self.report, self.today, self.now = conn, report, today, now
        self.reader: GdvReader | None = None
        self.brokers: dict[str, int] = {}
        self.renamed: list[int] = []
        self._customers_table: TableRows | None = None
        self._contracts_table: TableRows | None = None

    def apply(self, batch: list[ImportedContract]) -> None:
        if self._customers_table is None:
            self._customers_table = TableRows(self.conn, Customer.__table__, CUSTOMER_LOOKUP, "partner_number",
                                          CUSTOMER_INSERT)
            self._contracts_table = TableRows(self.conn, Contract.__table__, CONTRACT_LOOKUP, "policy_number",
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

"""Bulk loading of the demo portfolio into an empty database."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from store import row_counts, search_index
from store.base import utcnow
from store.db import Database
from store.demo import generator
from store.demo.catalogue import NEWS, PRODUCTS, SHIPMENT_KINDS
from store.demo.names import BROKER_FIRMS
from store.demo.pdf import letter_pdf
from store.german import person_name
from store.models import Broker, Claim, Contract, Customer, Document, NewsItem, Product, Shipment, User
from store.progress import Progress, silent

BATCH = 5000
DEMO_LOGINS = (("demo", "100100", "Martina Sonnenschein"), ("demo2", "100200", "Hauke Petersen"))
SECOND_BROKER_CUSTOMERS = 25
SECOND_BROKER_CONTRACTS = 38


class DemoError(Exception):
    """The demo cannot be loaded (for example: the database is not empty)."""


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    contracts: int
    claims: int
    shipments: int
    seconds: float


def holds_data(db: Database) -> bool:
    """True when the database has a broker already: the demo goes only into an empty one."""
    with db.engine.connect() as conn:
        return _has_brokers(conn)


def _has_brokers(conn) -> bool:
    return bool(conn.execute(select(func.count()).select_from(Broker)).scalar_one())


def load_demo(db: Database, password_hash: str, *, customers: int = 140,
              contracts: int | None = None, seed: int = 1, today: dt.date | None = None,
              progress: Progress = silent) -> DemoSummary:
    """Load brokers ``demo`` and ``demo2`` with their portfolios; the database must be empty.

    *progress* (store.progress) shows each table's rows as they go in.
    """
    started = time.monotonic()
    today = today or utcnow().date()
    contracts = contracts if contracts is not None else customers * 3 // 2
    if contracts < customers:
        raise DemoError("Es muss mindestens so viele Verträge wie Kunden geben.")
    with db.engine.begin() as conn:
        if _has_brokers(conn):  # asked again inside the transaction that loads
            raise DemoError("Die Datenbank enthält bereits Daten; die Demo wird nur in eine leere Datenbank geladen.")
        _load_fixed(conn, password_hash, today)
    specs = [
        generator.PortfolioSpec(1, customers, contracts, 1, 1, seed, today, showcase=True),
        generator.PortfolioSpec(2, SECOND_BROKER_CUSTOMERS, SECOND_BROKER_CONTRACTS,
                                customers + 1, contracts + 1, seed, today, showcase=True),
    ]
    totals = {"customers": 0, "contracts": 0, "claims": 0, "shipments": 0}
    bulk = customers > 10_000
    with db.engine.begin() as conn:
        if not db.is_sqlite:
            # Building a trigram index over a million rows outlasts the
            # statement timeout meant for requests.
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        if bulk:
            # One index rebuild at the end is far cheaper than a trigger per row.
            search_index.drop_search_indexes(conn)
            row_counts.pause_sync(conn)
        next_claim = 1
        for spec in specs:
            lookup = []
            rows = _remember(generator.customers(spec), lookup)
            who = f"Vermittler {spec.broker_id}: "
            totals["customers"] += _insert(conn, Customer, rows, progress(who + "Kunden", spec.customers))
            contract_starts: list[tuple[int, dt.date]] = []
            crow = generator.contracts(
                spec, customer_lookup=lambda cid, s=spec, known=lookup: known[cid - s.first_customer_id])
            crow = _track(crow, contract_starts)
            totals["contracts"] += _insert(conn, Contract, crow, progress(who + "Verträge", spec.contracts))
            claim_rows = list(generator.claims(spec, contract_starts, next_claim))
            next_claim += len(claim_rows)
            totals["claims"] += _insert(conn, Claim, claim_rows, progress(who + "Schäden", len(claim_rows)))
            totals["shipments"] += _load_shipments(conn, spec, 36 if spec.broker_id == 1 else 10)
        if bulk:
            with progress("Suchindex", 2, "Schritte") as steps:
                search_index.create_search_indexes(conn)
                steps.update(1)
                search_index.rebuild(conn)
                row_counts.resume_sync(conn)
                steps.update(1)
    if not db.is_sqlite:
        _advance_sequences(db)
    return DemoSummary(seconds=round(time.monotonic() - started, 1), **totals)


def _load_fixed(conn, password_hash: str, today: dt.date) -> None:
    for broker_id, ((login, number, person), firm) in enumerate(zip(DEMO_LOGINS, BROKER_FIRMS), 1):
        name, street, postcode, town = firm
        conn.execute(insert(Broker), [{
            "id": broker_id, "number": number, "name": name, "street": street,
            "postcode": postcode, "town": town, "phone": f"0234 55{broker_id}0{broker_id}",
            "email": f"{login}@makler.example", "created_at": dt.datetime(2020, 1, 1),
        }])
        conn.execute(insert(User), [{
            "id": broker_id, "broker_id": broker_id, "login": login, "password_hash": password_hash,
            "full_name": person, "email": f"{login}@makler.example", "failed_logins": 0,
            "password_changed_at": dt.datetime(2026, 1, 1), "created_at": dt.datetime(2020, 1, 1),
        }])
    conn.execute(insert(Product), [
        {"code": code, "sparte": sparte, "name": name, "description": desc, "on_offer": True}
        for code, sparte, name, desc, _range in PRODUCTS
    ])
    conn.execute(insert(NewsItem), [
        {"kind": kind, "title": title, "body": body, "published_on": today - dt.timedelta(days=7 * i)}
        for i, (kind, title, body) in enumerate(NEWS)
    ])


def _remember(rows: Iterable[dict], lookup: list) -> Iterator[dict]:
    for row in rows:
        name = person_name(row["first_name"], row["last_name"], row["title"])
        lookup.append((row["partner_number"], name, row["town"]))
        yield row


def _track(rows: Iterable[dict], seen: list) -> Iterator[dict]:
    for row in rows:
        seen.append((row["id"], row["start_date"]))
        yield row


def _insert(conn, model, rows: Iterable[dict], shown) -> int:
    """Insert *rows* in batches, counting them on the opened progress display *shown*."""
    count = 0
    iterator = iter(rows)
    with shown as counter:
        while batch := list(itertools.islice(iterator, BATCH)):
            conn.execute(insert(model), batch)
            count += len(batch)
            counter.update(len(batch))
    return count


def _load_shipments(conn, spec: generator.PortfolioSpec, count: int) -> int:
    """Document shipments on the broker's first contracts, some read, some acknowledged."""
    rng = random.Random(f"shipments-{spec.seed}-{spec.broker_id}")
    rows = conn.execute(
        select(Contract.id, Contract.customer_id, Contract.policy_number, Contract.sparte)
        .where(Contract.broker_id == spec.broker_id).order_by(Contract.id).limit(count)
    ).all()
    first_id = 1 if spec.broker_id == 1 else 1000
    for n, (contract_id, customer_id, policy, sparte) in enumerate(rows):
        category, kind, doc_type, title = SHIPMENT_KINDS[n % len(SHIPMENT_KINDS)]
        created = dt.datetime.combine(spec.yesterday, dt.time(7, 30)) - dt.timedelta(days=n, minutes=13 * n)
        shipment_id = first_id + n
        conn.execute(insert(Shipment), [{
            "id": shipment_id, "public_id": f"L{spec.broker_id}{shipment_id:08d}",
            "broker_id": spec.broker_id, "category": category, "kind": kind,
            "data_only": False, "periodic": category in ("140013000",), "sparte": sparte,
            "event_number": f"V{shipment_id:07d}", "customer_id": customer_id,
            "contract_id": contract_id, "created_at": created,
            "available_until": created + dt.timedelta(days=90),
            "acknowledged_at": created + dt.timedelta(hours=2) if n % 3 == 2 else None,
        }])
        for part in range(1 + (n % 5 == 0)):
            text = f"{title} zum Vertrag {policy}" + (" (Anlage)" if part else "")
            pdf = letter_pdf(text, [
                f"Versicherungsscheinnummer: {policy}",
                "Sehr geehrte Damen und Herren,",
                f"anbei erhalten Sie das Dokument '{title}' zu Ihrem Kunden.",
                "Mit freundlichen Grüßen", "Ihre Docura VVaG",
            ], created)
            conn.execute(insert(Document), [{
                "shipment_id": shipment_id, "broker_id": spec.broker_id,
                "file_id": f"D{shipment_id:07d}{part}", "file_name": f"{doc_type}_{policy}_{part + 1}.pdf",
                "media_type": "application/pdf", "file_type": "Dokument",
                "document_type": doc_type, "title": text, "created_at": created,
                "size": len(pdf), "sha1": hashlib.sha1(pdf).hexdigest(), "content": pdf,
                "read_at": created + dt.timedelta(hours=5) if rng.random() < 0.4 else None,
            }])
    return len(rows)


def _advance_sequences(db: Database) -> None:
    """Explicit ids bypass PostgreSQL's sequences; move them past the loaded rows."""
    from sqlalchemy import text

    with db.engine.begin() as conn:
        for model in (Broker, User, Product, NewsItem, Customer, Contract, Claim, Shipment, Document):
            table = model.__tablename__
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))

"""The demo portfolio: counts, determinism, the manual's examples."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from store.db import Database
from store.demo.loader import DemoError, load_demo
from store.migrate import upgrade
from store.models import Broker, Claim, Contract, Customer, Document, NewsItem, Shipment, User
from tests.support.databases import fresh_database

TODAY = dt.date(2026, 11, 27)


def _load(url, **options):
    db = Database(url)
    upgrade(db.engine)
    load_demo(db, "$2b$04$invalidhashforteststhatisnotused.abcdefghijklmnopqrstu", today=TODAY, **options)
    return db


def _snapshot(db):
    with db.session() as s:
        customers = s.execute(select(Customer.partner_number, Customer.first_name, Customer.last_name,
                                     Customer.street, Customer.postcode, Customer.birth_date)
                              .order_by(Customer.id)).all()
        contracts = s.execute(select(Contract.policy_number, Contract.customer_id, Contract.sparte,
                                     Contract.status, Contract.net_premium, Contract.gross_premium)
                              .order_by(Contract.id)).all()
        docs = s.execute(select(Document.file_name, Document.sha1).order_by(Document.id)).all()
    return customers, contracts, docs


def test_counts_and_contents(database_url):
    db = _load(database_url)
    try:
        with db.session() as s:
            demo = s.scalar(select(User).where(User.login == "demo"))
            demo2 = s.scalar(select(User).where(User.login == "demo2"))
            assert demo.broker_id != demo2.broker_id

            def count(model, broker):
                return s.scalar(select(func.count()).select_from(model).where(model.broker_id == broker))

            assert count(Customer, demo.broker_id) == 140
            assert 0 < count(Customer, demo2.broker_id) < 140
            assert count(Contract, demo.broker_id) >= 140
            spartes = set(s.scalars(select(Contract.sparte).distinct()))
            assert spartes == {"130", "040", "030", "070", "140"}
            assert s.scalar(select(func.count()).select_from(Contract).where(Contract.status == 4)) > 0
            assert {True, False} == set(s.scalars(select(Claim.is_open).distinct()))
            assert count(Shipment, demo.broker_id) >= 24
            assert s.scalar(select(func.count()).select_from(NewsItem)) > 0
            assert s.scalar(select(func.count()).select_from(Broker)) == 2
            # The manual's examples and the birthday cases are in the data.
            maxes = s.scalars(select(Customer).where(Customer.first_name == "Max",
                                                     Customer.broker_id == demo.broker_id)).all()
            assert any(c.birth_date.year == 1980 for c in maxes)
            bochum_july = s.scalars(select(Customer).where(Customer.postcode == "44789")).all()
            assert any(c.birth_date.month == 7 for c in bochum_july)
            assert s.scalar(select(Customer).where(Customer.birthday_mmdd == "0229")) is not None
            soon = {(TODAY + dt.timedelta(days=d)).strftime("%m%d") for d in range(30)}
            upcoming = s.scalars(select(Customer.birthday_mmdd).where(Customer.broker_id == demo.broker_id)).all()
            assert sum(1 for mmdd in upcoming if mmdd in soon) >= 7
            # Documents are real PDFs.
            content = s.scalar(select(Document.content).limit(1))
            assert content.startswith(b"%PDF-")
    finally:
        db.dispose()


def test_same_seed_same_data(tmp_path):
    with fresh_database("sqlite", tmp_path) as first_url, fresh_database("sqlite", tmp_path) as second_url:
        first, second = _load(first_url), _load(second_url)
        try:
            assert _snapshot(first) == _snapshot(second)
        finally:
            first.dispose()
            second.dispose()


def test_other_seed_other_data(tmp_path):
    with fresh_database("sqlite", tmp_path) as first_url, fresh_database("sqlite", tmp_path) as second_url:
        first, second = _load(first_url), _load(second_url, seed=2)
        try:
            assert _snapshot(first)[0] != _snapshot(second)[0]
        finally:
            first.dispose()
            second.dispose()


def test_refuses_non_empty_database(tmp_path):
    with fresh_database("sqlite", tmp_path) as url:
        db = _load(url)
        try:
            with pytest.raises(DemoError):
                load_demo(db, "x", today=TODAY)
        finally:
            db.dispose()


def test_scaled_portfolio_search_index_rebuilt(tmp_path):
    """Above the bulk threshold the trigram index is rebuilt once at the end."""
    with fresh_database("sqlite", tmp_path) as url:
        db = _load(url, customers=12_000, contracts=15_000)
        try:
            with db.engine.connect() as conn:
                from sqlalchemy import text
                hits = conn.execute(text(
                    "SELECT count(*) FROM customers_fts WHERE search_text LIKE '%bochum%'")).scalar()
                direct = conn.execute(text(
                    "SELECT count(*) FROM customers WHERE search_text LIKE '%bochum%'")).scalar()
            assert hits == direct > 0
        finally:
            db.dispose()

"""Time at the edges: the demo never lies in the future, "today" is the German day.

Each test sets the clock itself with time-machine, so they hold at any hour;
``.ci/run`` also runs them (``-m clock``) with the whole run's clock moved to
the moments in ``tests.support.clock.MOMENTS``.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import DateTime, func, select, update

from bipro.config import Settings
from bipro.core.caller import Caller
from bipro.core.clock import local_midnight, local_today, to_local, wire_utc
from bipro.core.errors import ShipmentExpired
from bipro.core.identity import tokens
from bipro.core.shipments import export_portfolio
from bipro.core.shipments.queries import get_shipment
from bipro.core.tariff import quote
from bipro.core.tariff.quotes import today
from bipro.soap.namespaces import WSU
from store.base import Base, utcnow
from store.db import Database
from store.demo.loader import load_demo
from store.migrate import upgrade
from store.models import Contract, Shipment, User
from tests.support.callers import STAFF
from tests.support.clock import MOMENTS, moment
from tests.support.databases import fresh_database
from tests.support.gateways import DEMO_PASSWORD, demo_gateway
from tests.support.portal import form_post, log_in
from tests.support.processes import GatewayProcess, gateway_env, prepared_database
from tests.support.soapraw import sts_login

pytestmark = pytest.mark.clock

HASH = "$2b$04$invalidhashforteststhatisnotused.abcdefghijklmnopqrstu"
# Deadlines lie in the future by design; every other timestamp records something that happened.
DEADLINES = {"available_until", "expires_at", "locked_until"}


def event_columns():
    import store.models  # noqa: F401  (fills the metadata)

    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, DateTime) and column.name not in DEADLINES:
                yield column


def latest_timestamps(db: Database) -> dict[str, dt.datetime]:
    """The latest value of every event timestamp column that has one, by ``table.column``."""
    latest = {}
    with db.engine.connect() as conn:
        for column in event_columns():
            value = conn.execute(select(func.max(column))).scalar()
            if value is not None:
                latest[f"{column.table.name}.{column.name}"] = value
    return latest


def loaded_demo(url: str, **options) -> Database:
    db = Database(url)
    upgrade(db.engine)
    load_demo(db, HASH, **options)
    return db


def test_a_fresh_demo_holds_no_timestamp_later_than_its_load(backend, tmp_path):
    """At the machine's (or the shifted run's) hour, on SQLite and PostgreSQL."""
    with fresh_database(backend, tmp_path) as url:
        db = loaded_demo(url)
        loaded = utcnow()
        try:
            latest = latest_timestamps(db)
            assert {"contracts.updated_at", "customers.updated_at", "shipments.created_at",
                    "documents.read_at"} <= set(latest)
            midnight = dt.datetime.combine(loaded.date(), dt.time())
            late = {name: value for name, value in latest.items() if value >= midnight}
            assert not late, f"demo timestamps not before 00:00 UTC of the load day: {late}"
            with db.session() as session:
                assert session.scalar(select(func.max(Contract.stand))) < loaded.date()
        finally:
            db.dispose()


@pytest.mark.parametrize("when", list(MOMENTS.values()), ids=list(MOMENTS))
def test_demo_loaded_at_the_edges_of_a_day_lies_in_the_past(tmp_path, when):
    at = moment(when)
    with time_machine.travel(at, tick=False), fresh_database("sqlite", tmp_path) as url:
        db = loaded_demo(url)
        try:
            latest = latest_timestamps(db)
        finally:
            db.dispose()
    midnight = dt.datetime.combine(at.date(), dt.time())
    assert max(latest.values()) < midnight


def test_the_demo_is_the_same_at_any_hour_of_its_day(tmp_path):
    def snapshot(when: str):
        with time_machine.travel(moment(when), tick=False), fresh_database("sqlite", tmp_path) as url:
            db = loaded_demo(url)
            try:
                with db.engine.connect() as conn:
                    return [conn.execute(select(*table.columns).order_by(*table.primary_key.columns)).all()
                            for table in (Contract.__table__, Shipment.__table__)]
            finally:
                db.dispose()

    assert snapshot("2026-11-29T00:00:01Z") == snapshot("2026-11-29T23:59:59Z")


def test_a_change_export_right_after_a_full_one_at_night_is_empty(tmp_path):
    """The original fault: at 01:45 UTC the demo's contracts looked changed 'in the future'."""
    with time_machine.travel(moment("2026-11-29T01:45:00Z"), tick=True):
        with fresh_database("sqlite", tmp_path) as url:
            db = loaded_demo(url)
            try:
                with db.session() as session:
                    export_portfolio(session, 1, tmp_path / "gdv", by=STAFF)
                    session.commit()
                    changes = export_portfolio(session, 1, tmp_path / "gdv", changes=True, by=STAFF)
                    session.commit()
                assert changes.contract_count == 0
            finally:
                db.dispose()


@pytest.mark.parametrize("utc, german_day", [
    ("2026-11-28T22:59:59Z", dt.date(2026, 11, 28)),
    ("2026-11-28T23:00:00Z", dt.date(2026, 11, 29)),  # winter: UTC+1
    ("2026-07-31T21:59:59Z", dt.date(2026, 7, 31)),
    ("2026-07-31T22:00:00Z", dt.date(2026, 8, 1)),    # summer: UTC+2
    ("2026-12-31T23:30:00Z", dt.date(2027, 1, 1)),
])
def test_today_is_the_german_calendar_day(utc, german_day):
    with time_machine.travel(moment(utc), tick=False):
        assert local_today() == today() == german_day
        assert local_midnight(german_day) <= dt.datetime.now(dt.timezone.utc)


@pytest.mark.parametrize("utc, local", [
    (dt.datetime(2026, 3, 29, 0, 59, 59), dt.datetime(2026, 3, 29, 1, 59, 59)),
    (dt.datetime(2026, 3, 29, 1, 0, 0), dt.datetime(2026, 3, 29, 3, 0, 0)),    # 02:00 never happens
    (dt.datetime(2026, 10, 25, 0, 30, 0), dt.datetime(2026, 10, 25, 2, 30, 0)),  # 02:30 summer time
    (dt.datetime(2026, 10, 25, 1, 30, 0), dt.datetime(2026, 10, 25, 2, 30, 0)),  # 02:30 winter time
    (dt.datetime(2026, 12, 31, 23, 0, 0), dt.datetime(2027, 1, 1, 0, 0, 0)),
])
def test_stored_utc_becomes_german_local_time_on_the_clock_change_days(utc, local):
    assert to_local(utc) == local


def test_a_german_midnight_is_22_or_23_utc_the_day_before():
    assert local_midnight(dt.date(2026, 3, 29)).astimezone(dt.timezone.utc).hour == 23
    assert local_midnight(dt.date(2026, 3, 30)).astimezone(dt.timezone.utc).hour == 22
    assert local_midnight(dt.date(2026, 10, 26)).astimezone(dt.timezone.utc).hour == 23


def test_the_tariff_age_counts_the_german_birthday():
    """At 00:30 German time on the birthday the customer is already a year older."""
    answers = {"family_status": "family", "sum_insured": "20000000", "deductible": "250",
               "birth_date": "1990-08-01"}
    with time_machine.travel(moment("2026-07-31T22:30:00Z"), tick=False):
        rated = quote("PHV-KLASSIK", answers)
    assert rated.on == dt.date(2026, 8, 1)
    assert rated.derived["age"] == 36
    with time_machine.travel(moment("2026-07-31T21:30:00Z"), tick=False):
        assert quote("PHV-KLASSIK", answers).derived["age"] == 35


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    """A SQLite demo gateway for the module (the lifetimes below do not depend on the backend)."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("db")) as url:
        gw = demo_gateway(tmp_path_factory.mktemp("instance"), url)
        yield gw
        gw.db.dispose()


def test_a_token_lives_its_seconds_across_the_clock_change(gateway):
    """One hour after 01:30 UTC on 29 March is 02:30 UTC, though German clocks jumped two hours."""
    with gateway.db.session() as session, time_machine.travel(moment("2026-03-29T00:30:00Z"), tick=False):
        user = session.scalar(select(User).where(User.login == "demo"))
        issued = tokens.issue_token(session, user, 3600)
        session.commit()
        assert wire_utc(issued.expires) == "2026-03-29T01:30:00Z"
    with gateway.db.session() as session:
        with time_machine.travel(moment("2026-03-29T01:29:59Z"), tick=False):
            assert tokens.resolve_token(session, issued.identifier).login == "demo"
        with time_machine.travel(moment("2026-03-29T01:30:00Z"), tick=False):
            with pytest.raises(tokens.TokenInvalid):
                tokens.resolve_token(session, issued.identifier)


def test_verfuegbar_bis_is_told_in_german_time(gateway):
    """A shipment available until 23:30 UTC on New Year's Eve is available until 00:30 on 1 January."""
    caller = Caller(user_id=1, broker_id=1, login="demo", remote_addr="", channel="bipro")
    with gateway.db.session() as session:
        public_id = session.scalar(select(Shipment.public_id).where(Shipment.broker_id == 1)
                                   .order_by(Shipment.id).limit(1))
        session.execute(update(Shipment).where(Shipment.public_id == public_id)
                        .values(available_until=dt.datetime(2026, 12, 31, 23, 30)))
        session.commit()
        with pytest.raises(ShipmentExpired, match=r"bis 01\.01\.2027 00:30 Uhr"):
            get_shipment(session, caller, public_id, now=dt.datetime(2027, 1, 1, 0, 0))


def test_the_dashboard_stand_and_birthdays_follow_the_german_day(app):
    """At 23:30 UTC the Startseite already shows tomorrow, German time."""
    with time_machine.travel(moment("2026-11-28T23:30:00Z"), tick=True):
        client = app.test_client()
        assert log_in(client).status_code == 302
        page = client.get("/").get_data(as_text=True)
    assert "Stand 29.11.2026" in page


def test_an_offer_made_just_after_german_midnight_is_not_dated_in_the_future(app):
    form = {"living_area": "85.5", "postcode": "44789", "glass": "ja", "bicycle_theft": "ja",
            "deductible": "150"}
    with time_machine.travel(moment("2026-11-28T23:30:00Z"), tick=True):
        client = app.test_client()
        assert log_in(client).status_code == 302
        response = form_post(client, "/tarifrechner/HR-KOMFORT/angebot", form,
                             form_page="/tarifrechner/HR-KOMFORT")
        now = dt.datetime.now(dt.timezone.utc)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "2026-11-29" in response.headers["Content-Disposition"]
    created = PdfReader(io.BytesIO(response.data)).metadata.creation_date
    assert created <= now
    assert to_local(created.astimezone(dt.timezone.utc).replace(tzinfo=None)).date() == dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    """init-db and the demo, loaded by the CLI in child processes."""
    env = gateway_env(tmp_path_factory.mktemp("cli"))
    prepared_database(env)
    return env


def test_the_demo_loaded_by_the_cli_lies_before_the_day(cli_env):
    """Under a shifted run the CLI's clock is shifted too (libfaketime), so this holds at every moment."""
    db = Database(Settings.from_env(cli_env).database_url)
    try:
        latest = latest_timestamps(db)
    finally:
        db.dispose()
    assert max(latest.values()) < dt.datetime.combine(utcnow().date(), dt.time())


def test_a_served_gateway_keeps_the_test_runs_clock(cli_env):
    """The STS lifetime gunicorn's workers give starts now, by this process's clock.

    gunicorn rather than waitress: its arbiter sleeps and forks, the harder
    case for a shifted clock.
    """
    with GatewayProcess(cli_env, "--workers", "2", "--threads", "2") as served_gateway:
        answer = sts_login(served_gateway.base_url, "demo", DEMO_PASSWORD)
    created = answer.tree.find(f".//{{{WSU}}}Created").text
    told = dt.datetime.fromisoformat(created.removesuffix("Z"))
    assert abs(told - utcnow()) < dt.timedelta(minutes=2), (created, utcnow())

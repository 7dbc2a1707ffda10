"""Several gateway processes on one PostgreSQL database share every piece of state.

Two ``python -m bipro serve`` processes (and a gunicorn run with two workers)
on one fresh database: a token issued by one is accepted by the other, a
lockout caused on one holds on the other. PostgreSQL only, because that is
the production set-up with several processes.
"""

from __future__ import annotations

import concurrent.futures

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bipro.core.identity.accounts import create_user
from bipro.gateway import Gateway
from bipro.soap.namespaces import TRAN
from store.db import Database
from tests.support.bipro_client import request_token
from tests.support.callers import STAFF
from tests.support.databases import fresh_database, postgres_admin_url
from tests.support.gateways import test_settings as settings_for_tests
from tests.support.processes import GatewayProcess, gateway_env, prepared_database
from tests.support.soapraw import envelope, post, sct_header, sts_login

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres_admin_url(), reason="needs BIPRO_TEST_POSTGRES_URL"),
]

TRANSFER_PATH = "/bipro/430_Transfer/Service_2.6.1.1.0"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """One fresh PostgreSQL database, migrated and with the demo data, for every process."""
    with fresh_database("postgresql", tmp_path_factory.mktemp("db")) as url:
        prepared_database(gateway_env(tmp_path_factory.mktemp("setup"), url))
        yield url


@pytest.fixture(scope="module")
def core_gateway(database_url, tmp_path_factory):
    """This test's own view of the shared database, for setting up users and checking state."""
    gateway = Gateway.from_settings(settings_for_tests(tmp_path_factory.mktemp("core"), database_url))
    yield gateway
    gateway.db.dispose()


@pytest.fixture(scope="module")
def two_gateways(database_url, tmp_path_factory):
    """Processes A and B: separate interpreters, separate pools, one database."""
    a = GatewayProcess(gateway_env(tmp_path_factory.mktemp("a"), database_url))
    b = GatewayProcess(gateway_env(tmp_path_factory.mktemp("b"), database_url))
    try:
        a.wait_healthy()
        b.wait_healthy()
        yield a, b
    finally:
        codes = a.stop(), b.stop()
    assert codes == (0, 0), a.output + b.output


def list_shipments(base_url: str, token: str):
    body = f'<tran:listShipments xmlns:tran="{TRAN}"><tran:Request/></tran:listShipments>'
    return post(base_url + TRANSFER_PATH, envelope(body, sct_header(token)))


def new_user(core_gateway) -> tuple[str, str]:
    with core_gateway.db.session() as session:
        user, password = create_user(session, core_gateway.identity_policy, "100200", "Test Nutzer", "t@example.org",
                                     by=STAFF)
        return user.login, password


def test_both_processes_are_separate_and_healthy(two_gateways):
    a, b = two_gateways
    assert a.process.pid != b.process.pid
    for process in (a, b):
        health = process.health()
        assert health["database"] == "ok" and health["backend"] == "postgresql"
        assert health["pool"]["size"] == 5  # BIPRO_DB_POOL_SIZE's default, per process


def test_token_issued_by_a_works_on_b(two_gateways):
    a, b = two_gateways
    token = request_token(a.base_url)
    answer = list_shipments(b.base_url, token)
    assert answer.status == 200 and not answer.is_fault, answer.body
    assert answer.status_id == "OK"
    made_up = list_shipments(b.base_url, "bipro:" + "A" * 43)
    assert made_up.is_fault and made_up.meldung_ids == ["00962"]


def test_lockout_caused_on_a_holds_on_b(two_gateways, core_gateway):
    a, b = two_gateways
    login, password = new_user(core_gateway)
    codes = [sts_login(a.base_url, login, "falsch").meldung_ids for _ in range(5)]
    assert codes == [["00961"]] * 4 + [["00965"]]
    locked = sts_login(b.base_url, login, password)
    assert locked.is_fault and locked.meldung_ids == ["00964"]


def test_failures_on_a_and_b_count_together(two_gateways, core_gateway):
    a, b = two_gateways
    login, password = new_user(core_gateway)
    codes = [sts_login(server.base_url, login, "falsch").meldung_ids[0] for server in (a, b, a, b, a)]
    assert codes == ["00961"] * 4 + ["00965"]
    assert sts_login(b.base_url, login, password).meldung_ids == ["00964"]


@pytest.mark.heavy  # a worker pool
def test_gunicorn_with_two_workers(database_url, tmp_path_factory):
    env = gateway_env(tmp_path_factory.mktemp("gunicorn"), database_url)
    with GatewayProcess(env, "--workers", "2", "--threads", "2") as server:
        assert "Server:    gunicorn, 2 Prozess(e)" in server.output
        assert server.output.count("Booting worker") == 2
        for _ in range(6):
            assert server.health()["database"] == "ok"
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: sts_login(server.base_url, "demo", "demo-passwort"), range(8)))
        assert all(answer.status == 200 for answer in answers), [a.body for a in answers]
        tokens = {answer.tree.find(".//{*}Identifier").text for answer in answers}
        assert len(tokens) == 8
        exit_code = server.stop()
    assert exit_code == 0, server.output


# --- pool and statement timeout ----------------------------------------------------

def test_statement_timeout_and_pool_settings_reach_postgresql(database_url):
    db = Database(database_url, pool_size=3, max_overflow=2, statement_timeout_ms=1500)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "1500ms"
        assert (db.engine.pool.size(), db.engine.pool._max_overflow) == (3, 2)
    finally:
        db.dispose()


def test_statement_timeout_cancels_a_long_query(database_url):
    db = Database(database_url, statement_timeout_ms=100)
    try:
        with pytest.raises(OperationalError, match="statement timeout"):
            with db.engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(5)"))
    finally:
        db.dispose()


def test_settings_from_the_environment_reach_the_engine(database_url, tmp_path):
    from bipro.config import Settings

    settings = Settings.from_env({"BIPRO_DATABASE_URL": database_url, "BIPRO_INSTANCE_PATH": str(tmp_path),
                                  "BIPRO_DB_POOL_SIZE": "2", "BIPRO_DB_MAX_OVERFLOW": "1",
                                  "BIPRO_DB_STATEMENT_TIMEOUT_MS": "4321"})
    gateway = Gateway.from_settings(settings)
    try:
        with gateway.db.session() as session:
            assert session.execute(text("SHOW statement_timeout")).scalar() == "4321ms"
        assert gateway.db.pool_status() == {"size": 2, "in_use": 0, "idle": 1, "overflow": 0}
    finally:
        gateway.db.dispose()

"""Eight clients fetch and acknowledge the same 200 shipments at once, against four gunicorn
workers on one PostgreSQL database: each acknowledgement is recorded exactly once."""

from __future__ import annotations

import random
import threading

import pytest
import requests

from bipro.gateway import Gateway
from tests.support.bipro_client import request_token
from tests.support.databases import fresh_database, postgres_admin_url
from tests.support.gateways import test_settings as settings_for_tests
from tests.support.processes import GatewayProcess, gateway_env, prepared_database
from tests.support.stress import acknowledgement_problems, publish_many, transfer_call

pytestmark = [
    pytest.mark.heavy,  # a worker pool under load, like tests/test_intake_load.py
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres_admin_url(), reason="needs BIPRO_TEST_POSTGRES_URL"),
]

CLIENTS = 8
SHIPMENTS = 200


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    with fresh_database("postgresql", tmp_path_factory.mktemp("db")) as url:
        prepared_database(gateway_env(tmp_path_factory.mktemp("setup"), url))
        yield url


def test_eight_clients_acknowledge_200_shipments_exactly_once(database_url, tmp_path_factory):
    core = Gateway.from_settings(settings_for_tests(tmp_path_factory.mktemp("core"), database_url))
    shipment_ids = publish_many(core, 1, SHIPMENTS, tmp_path_factory.mktemp("files"))
    env = gateway_env(tmp_path_factory.mktemp("gunicorn"), database_url)
    errors: list[str] = []
    start = threading.Barrier(CLIENTS)

    def client(number: int, base_url: str, token: str) -> None:
        http = requests.Session()
        order = shipment_ids[:]
        random.Random(number).shuffle(order)
        start.wait(timeout=120)  # a stuck client breaks the barrier for all instead of hanging the run
        for shipment_id in order:
            for operation in ("getShipment", "acknowledgeShipment"):
                answer = transfer_call(http, base_url, token, operation, shipment_id)
                if answer.status_code != 200:
                    errors.append(f"{operation} {shipment_id}: {answer.status_code} {answer.text[:300]}")

    with GatewayProcess(env, "--workers", "4", "--threads", "4") as server:
        assert server.output.count("Booting worker") == 4
        # Logged in first: a login that fails fails the test here, before any thread waits for it.
        tokens = [request_token(server.base_url) for _ in range(CLIENTS)]
        threads = [threading.Thread(target=client, args=(n, server.base_url, tokens[n])) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        exit_code = server.stop()
    try:
        assert errors == []
        assert acknowledgement_problems(core, shipment_ids, answered=set(shipment_ids)) == []
        assert exit_code == 0, server.output
    finally:
        core.db.dispose()

"""50 parallel wrong logins against four gunicorn workers on PostgreSQL check only the threshold.

The passwords checked against the stored hash are counted through the audit
log (one ``login_failed`` row per checked wrong password), since the checks
happen in other processes.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from bipro.core.identity import audit
from bipro.core.identity.accounts import create_user
from bipro.gateway import Gateway
from store.models import AuditEvent
from tests.support.callers import STAFF
from tests.support.databases import fresh_database, postgres_admin_url
from tests.support.gateways import test_settings as settings_for_tests
from tests.support.processes import GatewayProcess, gateway_env, prepared_database
from tests.support.soapraw import sts_login

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.heavy,
    pytest.mark.skipif(not postgres_admin_url(), reason="needs BIPRO_TEST_POSTGRES_URL"),
]

ATTEMPTS = 50


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    with fresh_database("postgresql", tmp_path_factory.mktemp("db")) as url:
        prepared_database(gateway_env(tmp_path_factory.mktemp("setup"), url))
        yield url


def test_a_burst_on_four_workers_checks_only_the_threshold(database_url, tmp_path_factory):
    core = Gateway.from_settings(settings_for_tests(tmp_path_factory.mktemp("core"), database_url))
    threshold = core.settings.lockout_threshold
    with core.db.session() as session:
        user, password = create_user(session, core.identity_policy, "100200", "Ziel Nutzer", "", by=STAFF)
        login = user.login
    env = gateway_env(tmp_path_factory.mktemp("gunicorn"), database_url)
    start = threading.Barrier(ATTEMPTS)

    def wrong_login(_number: int):
        start.wait()
        return sts_login(server.base_url, login, "falsch")

    try:
        with GatewayProcess(env, "--workers", "4", "--threads", "4") as server:
            assert server.output.count("Booting worker") == 4
            with concurrent.futures.ThreadPoolExecutor(ATTEMPTS) as pool:
                answers = list(pool.map(wrong_login, range(ATTEMPTS)))
            correct = [sts_login(server.base_url, login, password) for _ in range(2)]
            exit_code = server.stop()
        assert exit_code == 0, server.output

        assert Counter(a.meldung_ids[0] for a in answers) == {
            "00961": threshold - 1, "00965": 1, "00964": ATTEMPTS - threshold}
        with core.db.session() as session:
            events = dict(session.execute(
                select(AuditEvent.event, func.count()).where(AuditEvent.login == login)
                .group_by(AuditEvent.event)).all())
        assert events.get(audit.LOGIN_FAILED) == threshold  # passwords checked
        assert events.get(audit.LOGIN_WHILE_LOCKED) == ATTEMPTS - threshold + 2
        assert events.get(audit.LOGIN) is None and events.get(audit.TOKEN_ISSUED) is None
        # The correct password got no token, and did not lift the lock for the next one.
        assert [answer.meldung_ids for answer in correct] == [["00964"], ["00964"]]
    finally:
        core.db.dispose()

"""A gateway killed with SIGKILL mid-work leaves a consistent database, and a new one serves.

Threads acknowledge shipments over BiPRO, change passwords and edit customers
in the portal while the process is killed. Afterwards every shipment is
acknowledged with one timestamp and one audit row, or not at all; every
password change is whole (new hash, one change row, one revocation row) or
absent; every customer edit is whole (new street, one history row, one audit
row, next version, search text) or absent; whatever was answered as done is
stored. On SQLite the write-ahead log left behind by the kill is recovered by
the next process.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import make_url, select

from bipro.core.identity.accounts import create_user
from bipro.gateway import Gateway
from store.models import Customer
from tests.support.bipro_client import request_token
from tests.support.callers import STAFF
from tests.support.gateways import test_settings as settings_for_tests
from tests.support.processes import GatewayProcess, gateway_env, prepared_database
from tests.support.stress import (
    acknowledgement_problems,
    change_password_in_portal,
    customer_edit_problems,
    edit_street_in_portal,
    password_problems,
    portal_session,
    publish_many,
    transfer_call,
)

SHIPMENTS = 300
ACK_THREADS = 6
PASSWORD_USERS = 24
KILL_AFTER = 60  # acknowledgements answered before the kill
EDITED_CUSTOMERS = [str(n) for n in range(30, 90)]  # partner numbers of broker demo


@pytest.fixture(scope="module")
def crash_setup(database_url, tmp_path_factory):
    """A migrated demo database of its own (the gateway fixture's is in use by nobody here)."""
    prepared_database(gateway_env(tmp_path_factory.mktemp("setup"), database_url))
    core = Gateway.from_settings(settings_for_tests(tmp_path_factory.mktemp("core"), database_url))
    shipments = publish_many(core, 1, SHIPMENTS, tmp_path_factory.mktemp("files"))
    users = {}
    with core.db.session() as session:
        for n in range(PASSWORD_USERS):
            user, password = create_user(session, core.identity_policy, "100100", f"Nutzer {n}", f"n{n}@example.org",
                                         by=STAFF)
            users[user.login] = (password, f"Neu-Passwort-{n:02d}-xyz")
        edits = {number: (street, f"Absturzweg {number}") for number, street in session.execute(
            select(Customer.partner_number, Customer.street)
            .where(Customer.partner_number.in_(EDITED_CUSTOMERS)))}
    yield core, shipments, users, edits
    core.db.dispose()


def _sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" else None


def test_sigkill_mid_work_leaves_the_database_consistent(crash_setup, database_url, tmp_path_factory):
    core, shipments, users, edits = crash_setup
    env = gateway_env(tmp_path_factory.mktemp("victim"), database_url)
    answered_acks: set[str] = set()
    answered_passwords: set[str] = set()
    answered_edits: set[str] = set()
    stop = threading.Event()
    victim = GatewayProcess(env, "--threads", "8")
    victim.wait_healthy()
    token = request_token(victim.base_url)
    # Logged in before the clock starts, so the edits race the acknowledgements from the start.
    editor = portal_session(victim.base_url, "demo", "demo-passwort", timeout=30)
    assert editor.get(victim.base_url + "/", allow_redirects=False, timeout=30).status_code == 200

    def acknowledge(chunk: list[str]) -> None:
        http = requests.Session()
        for shipment_id in chunk:
            if stop.is_set():
                return
            try:
                if transfer_call(http, victim.base_url, token, "acknowledgeShipment", shipment_id,
                                 timeout=10).status_code == 200:
                    answered_acks.add(shipment_id)
            except requests.RequestException:
                return  # the server is gone

    def change_passwords(logins: list[str]) -> None:
        for login in logins:
            old, new = users[login]
            try:
                if change_password_in_portal(victim.base_url, login, old, new, timeout=10):
                    answered_passwords.add(login)
            except requests.RequestException:
                return

    def edit_customers() -> None:
        try:
            for number, (_old, new) in edits.items():
                if stop.is_set():
                    return
                if edit_street_in_portal(editor, victim.base_url, number, new, timeout=10):
                    answered_edits.add(number)
        except requests.RequestException:
            return

    chunks = [shipments[i::ACK_THREADS] for i in range(ACK_THREADS)]
    logins = list(users)
    threads = [threading.Thread(target=acknowledge, args=(c,)) for c in chunks]
    threads += [threading.Thread(target=change_passwords, args=(logins[i::2],)) for i in range(2)]
    threads.append(threading.Thread(target=edit_customers))
    for thread in threads:
        thread.start()
    # The kill waits until every kind of work has been answered at least once, so
    # each check below has something to hold on to, however slow the machine.
    deadline = time.monotonic() + 60
    while (len(answered_acks) < KILL_AFTER or not answered_edits or not answered_passwords) \
            and time.monotonic() < deadline:
        time.sleep(0.01)
    victim.process.kill()  # SIGKILL: no cleanup, no graceful stop
    victim.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    victim.stop()

    done = len(answered_acks)
    assert KILL_AFTER <= done < SHIPMENTS, "the kill should land in the middle of the work"
    sqlite_file = _sqlite_path(database_url)
    if sqlite_file is not None:
        assert Path(f"{sqlite_file}-wal").exists(), "a killed SQLite writer leaves its WAL behind"
        with sqlite3.connect(sqlite_file) as conn:  # opening it recovers the WAL
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert acknowledgement_problems(core, shipments, answered_acks) == []
    assert password_problems(core, users, answered_passwords) == [], sorted(answered_passwords)
    assert customer_edit_problems(core, edits, answered_edits) == []
    assert answered_edits, "some customer edits should have been answered before the kill"
    assert answered_passwords, "some password changes should have been answered before the kill"

    # A new process starts on the same database and carries on.
    with GatewayProcess(gateway_env(tmp_path_factory.mktemp("after"), database_url)) as fresh:
        assert fresh.health()["database"] == "ok"
        token = request_token(fresh.base_url)
        rest = [s for s in shipments if s not in answered_acks]
        http = requests.Session()
        for shipment_id in itertools.islice(rest, 20):
            assert transfer_call(http, fresh.base_url, token, "acknowledgeShipment", shipment_id).status_code == 200
        login = next(iter(users))
        old, new = users[login]
        current = new if login in answered_passwords else None
        assert current is None or request_token(fresh.base_url, login, current)
    assert acknowledgement_problems(core, shipments, answered_acks | set(rest[:20])) == []

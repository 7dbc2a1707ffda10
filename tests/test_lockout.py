"""The lockout holds under concurrency; the owner is told; "Passwort ändern" is counted too.

Parallel STS logins against one served gateway (a thread pool per request)
on each backend: however many arrive at once, only ``lockout_threshold``
passwords are compared with the stored hash, and a correct password does
not lift a lock set by wrong ones.
"""

from __future__ import annotations

import concurrent.futures
import email
from collections import Counter

import pytest
from sqlalchemy import func, select

from bipro.core import mail
from bipro.core.errors import AccountLocked, AuthenticationFailed
from bipro.core.identity import audit
from bipro.core.identity.auth import authenticate, unlock
from bipro.wsgi import GatewayApplication
from portal import create_app
from store.models import AuditEvent, User
from tests.support.bcrypt_spy import Gate, counted_bcrypt_checks
from tests.support.callers import STAFF
from tests.support.portal import form_post, log_in, new_user
from tests.support.server import served
from tests.support.soapraw import sts_login


@pytest.fixture(scope="module")
def base_url(gateway):
    with served(GatewayApplication(gateway), threads=12) as url:
        yield url


def burst(base_url: str, login: str, passwords: list[str]):
    with concurrent.futures.ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(lambda password: sts_login(base_url, login, password), passwords))


def stored_hash(gateway, login: str) -> str:
    with gateway.db.session() as session:
        return session.scalar(select(User.password_hash).where(User.login == login))


def audit_count(gateway, login: str, event: str) -> int:
    with gateway.db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.login == login, AuditEvent.event == event))


def test_a_burst_checks_exactly_the_threshold_and_a_correct_password_then_gets_nothing(
        base_url, gateway):
    threshold = gateway.settings.lockout_threshold
    login, password = new_user(gateway, email="")
    with counted_bcrypt_checks() as checks:
        answers = burst(base_url, login, ["falsch"] * 24)
    assert checks.against(stored_hash(gateway, login)) == threshold
    assert len(checks) == 24  # every refusal cost one check all the same
    assert Counter(a.meldung_ids[0] for a in answers) == {
        "00961": threshold - 1, "00965": 1, "00964": 24 - threshold}
    assert audit_count(gateway, login, audit.LOGIN_FAILED) == threshold

    with counted_bcrypt_checks() as checks:
        assert sts_login(base_url, login, password).meldung_ids == ["00964"]
    assert checks.against(stored_hash(gateway, login)) == 0
    assert sts_login(base_url, login, password).meldung_ids == ["00964"]  # the lock stays


def test_a_correct_password_in_flight_when_the_lock_falls_does_not_lift_it(base_url, gateway):
    login, password = new_user(gateway, email="")
    gate = Gate(password)
    with counted_bcrypt_checks(gate), concurrent.futures.ThreadPoolExecutor(1) as pool:
        in_flight = pool.submit(sts_login, base_url, login, password)
        assert gate.entered.wait(30)  # the correct password is being checked now
        codes = []
        while "00965" not in codes and len(codes) < gateway.settings.lockout_threshold:
            codes.append(sts_login(base_url, login, "falsch").meldung_ids[0])
        assert codes[-1] == "00965"
        gate.opened.set()
        in_flight.result()
    # Whatever the early check answered, the lock set meanwhile holds.
    assert sts_login(base_url, login, password).meldung_ids == ["00964"]


def test_the_owner_is_mailed_of_a_lock_at_most_once_an_hour(gateway):
    address = "gesperrt@makler.example"
    login, _password = new_user(gateway, email=address)
    for _round in range(2):
        with gateway.db.session() as session:
            unlock(session, login, by=STAFF)
        for attempt in range(gateway.settings.lockout_threshold):
            with gateway.db.session() as session, pytest.raises(AuthenticationFailed if attempt < 4
                                                                else AccountLocked):
                authenticate(session, gateway.identity_policy, login, "falsch", channel="portal")
    mail.wait_for_background()
    mails = [email.message_from_bytes(path.read_bytes())
             for path in gateway.settings.outbox_path.glob("*.eml")]
    notices = [m for m in mails if m["To"] == address]
    assert len(notices) == 1
    assert "gesperrt" in notices[0]["Subject"]
    body = notices[0].get_payload(decode=True).decode("utf-8")
    assert login in body and f"{gateway.settings.lockout_threshold}-mal hintereinander" in body


def test_wrong_current_passwords_in_passwort_aendern_lock_and_are_audited(base_url, gateway):
    login, password = new_user(gateway, email="")
    client = create_app(gateway, {"TESTING": True}).test_client()
    assert log_in(client, login, password).status_code == 302
    form = {"new_password": "Sommer-Regen-2031", "repeat_password": "Sommer-Regen-2031"}
    threshold = gateway.settings.lockout_threshold
    for attempt in range(1, threshold + 1):
        page = form_post(client, "/passwort-aendern", {"old_password": "geraten-123", **form})
        assert ("gesperrt" if attempt == threshold else "nicht korrekt") in page.get_data(as_text=True)
    assert audit_count(gateway, login, audit.PASSWORD_CHANGE_FAILED) == threshold
    assert audit_count(gateway, login, audit.LOCKED_OUT) == 1
    # Locked now: not even the right current password changes it, and the STS refuses too.
    with counted_bcrypt_checks() as checks:
        page = form_post(client, "/passwort-aendern", {"old_password": password, **form})
    assert "gesperrt" in page.get_data(as_text=True)
    assert checks.against(stored_hash(gateway, login)) == 0
    assert sts_login(base_url, login, password).meldung_ids == ["00964"]

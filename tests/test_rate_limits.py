"""Rate limits kept in the database: failed logins per address, "Passwort vergessen" per login
and per address; login names trimmed alike at both doors."""

from __future__ import annotations

import datetime as dt
import email

import pytest
from sqlalchemy import delete, update

from bipro.core import mail
from bipro.core.identity import lockout, rate_limits
from bipro.wsgi import GatewayApplication
from portal import create_app
from store.base import utcnow
from store.models import LoginFailure, RateLimitHit
from tests.support.bcrypt_spy import counted_bcrypt_checks
from tests.support.portal import form_post, log_in, new_user
from tests.support.server import served
from tests.support.soapraw import sts_login

SAME_ANSWER = "Wenn der Login-Name bei uns bekannt ist"
TOO_MANY = "Zu viele Anfragen"


@pytest.fixture(scope="module")
def base_url(gateway):
    with served(GatewayApplication(gateway)) as url:
        yield url


@pytest.fixture(scope="module")
def app(gateway):
    return create_app(gateway, {"TESTING": True})


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def set_failed_logins(gateway, address: str, hits: int) -> None:
    """The address's failed-login count in the current window, as if it had failed *hits* times."""
    with gateway.db.session() as session:
        hit = rate_limits.take(session, rate_limits.FAILED_LOGINS_PER_ADDRESS, address)
        session.execute(update(RateLimitHit).where(RateLimitHit.bucket == hit.bucket)
                        .values(hits=hits))


def test_a_window_counts_hits_and_refuses_past_the_limit(gateway):
    limit = rate_limits.Limit("test", 2, dt.timedelta(minutes=10))
    with gateway.db.session() as session:
        assert [rate_limits.take(session, limit, "k").allowed for _ in range(3)] == [True, True, False]
        assert rate_limits.take(session, limit, "other").allowed


def test_portal_refuses_an_address_past_300_failed_logins_with_429(app, gateway):
    login, password = new_user(gateway)
    set_failed_logins(gateway, "203.0.113.9", 300)
    flooded = client_from(app, "203.0.113.9")
    with counted_bcrypt_checks() as checks:
        answer = log_in(flooded, login, password)
    assert answer.status_code == 429 and TOO_MANY in answer.get_data(as_text=True)
    assert len(checks) == 0  # nothing was checked
    assert log_in(client_from(app, "203.0.113.10"), login, password).status_code == 302


def test_successful_logins_do_not_use_up_the_address_limit(app, gateway):
    login, password = new_user(gateway)
    set_failed_logins(gateway, "203.0.113.11", 299)
    client = client_from(app, "203.0.113.11")
    for _ in range(3):
        assert log_in(client, login, password).status_code == 302
    assert log_in(client, login, "falsch-falsch").status_code == 200  # the 300th failure
    assert log_in(client, login, password).status_code == 429


def test_sts_refuses_an_address_past_the_limit_with_00940(base_url, gateway):
    set_failed_logins(gateway, "127.0.0.1", 300)
    try:
        answer = sts_login(base_url, "demo", "demo-passwort")
        assert answer.is_fault and answer.meldung_ids == ["00940"]
    finally:
        with gateway.db.session() as session:
            session.execute(delete(RateLimitHit).where(RateLimitHit.bucket.like("login-addr:127.0.0.1")))
    assert sts_login(base_url, "demo", "demo-passwort").status == 200


def reset_mails_to(gateway, address: str) -> int:
    mail.wait_for_background()
    return sum(1 for path in gateway.settings.outbox_path.glob("*.eml")
               if email.message_from_bytes(path.read_bytes())["To"] == address)


def test_passwort_vergessen_mails_a_login_at_most_three_times_an_hour(app, gateway):
    login, _password = new_user(gateway, email="drei@makler.example")
    for number in range(5):
        client = client_from(app, f"198.51.100.{number + 1}")
        page = form_post(client, "/passwort-vergessen", {"login": login})
        assert page.status_code == 200 and SAME_ANSWER in page.get_data(as_text=True)
    assert reset_mails_to(gateway, "drei@makler.example") == 3


def test_passwort_vergessen_takes_30_requests_per_address_and_hour(app, gateway):
    client = client_from(app, "198.51.100.77")
    for number in range(30):
        page = form_post(client, "/passwort-vergessen", {"login": f"niemand-{number}"})
        assert page.status_code == 200, number
    refused = form_post(client, "/passwort-vergessen", {"login": "niemand"})
    assert refused.status_code == 429 and TOO_MANY in refused.get_data(as_text=True)
    other = form_post(client_from(app, "198.51.100.78"), "/passwort-vergessen", {"login": "niemand"})
    assert other.status_code == 200


def test_login_names_are_trimmed_alike_at_both_doors(app, base_url, gateway):
    login, password = new_user(gateway)
    assert log_in(client_from(app, "192.0.2.1"), f"  {login} ", password).status_code == 302
    assert sts_login(base_url, f" {login}  ", password).status == 200
    # Failures under either spelling count into the same name.
    client = client_from(app, "192.0.2.2")
    for spelling in (f" {login}", f"{login} ", login, f"  {login}  "):
        log_in(client, spelling, "falsch-falsch")
    assert sts_login(base_url, f"\t{login} ", "falsch").meldung_ids == ["00965"]


def test_stale_counts_are_purged_by_later_attempts(gateway):
    old = utcnow() - dt.timedelta(days=2)
    with gateway.db.session() as session:
        session.add(RateLimitHit(bucket="login-addr:192.0.2.99", window_start=old, hits=7))
        session.add(LoginFailure(login="vorgestern", failures=3, last_failure_at=old))
    with gateway.db.session() as session:
        rate_limits.take(session, rate_limits.FAILED_LOGINS_PER_ADDRESS, "192.0.2.100")
        lockout.reserve(session, gateway.identity_policy, "heute")
    with gateway.db.session() as session:
        assert session.get(RateLimitHit, ("login-addr:192.0.2.99", old)) is None
        assert session.get(LoginFailure, "vorgestern") is None
        assert session.get(LoginFailure, "heute").failures == 1

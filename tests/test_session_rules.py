"""The core's session rules: a new password ends every token and session; sessions age out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro import cli
from bipro.core.errors import TokenInvalid
from bipro.core.identity import portal_login
from bipro.core.identity.portal_sessions import session_hash
from bipro.core.identity.tokens import issue_token, resolve_token
from portal import create_app
from portal.login_session import SESSION_KEY
from store.base import utcnow
from store.models import PortalSession, User
from tests.support.gateways import TEST_BCRYPT_ROUNDS
from tests.support.portal import log_in, new_user


@pytest.fixture(scope="module")
def app(gateway):
    return create_app(gateway, {"TESTING": True})


def logged_in(app, login, password):
    client = app.test_client()
    assert log_in(client, login, password).status_code == 302
    assert client.get("/").status_code == 200
    return client


def bipro_token(gateway, login) -> str:
    with gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == login))
        return issue_token(session, user, 600).identifier


def test_cli_reset_password_ends_portal_sessions_and_tokens(app, gateway, monkeypatch, tmp_path, capsys):
    login, password = new_user(gateway)
    browsers = [logged_in(app, login, password) for _ in range(2)]
    token = bipro_token(gateway, login)
    monkeypatch.setenv("BIPRO_DATABASE_URL", gateway.settings.database_url)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BIPRO_BCRYPT_ROUNDS", str(TEST_BCRYPT_ROUNDS))
    assert cli.main(["user", "reset-password", login]) == 0
    assert "1 BiPRO-Token beendet" in capsys.readouterr().out
    for browser in browsers:
        assert browser.get("/").status_code == 302
    with gateway.db.session() as session, pytest.raises(TokenInvalid):
        resolve_token(session, token)


def session_of(client) -> str:
    with client.session_transaction() as cookie:
        return cookie[SESSION_KEY]


def age_session(gateway, session_id: str, hours: float) -> None:
    now = utcnow()
    with gateway.db.session() as session:
        session.execute(update(PortalSession)
                        .where(PortalSession.session_hash == session_hash(session_id))
                        .values(created_at=now - dt.timedelta(hours=hours), last_seen_at=now))


def test_a_busy_session_still_ends_after_the_absolute_lifetime(app, gateway):
    login, password = new_user(gateway)
    client = logged_in(app, login, password)
    limit = gateway.settings.session_max_hours
    assert limit == 12  # BIPRO_SESSION_MAX_HOURS's default
    age_session(gateway, session_of(client), limit - 0.5)
    assert client.get("/").status_code == 200
    age_session(gateway, session_of(client), limit + 0.5)
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"nach {limit} Stunden abgelaufen" in page
    assert client.get("/").status_code == 302  # ended for good, not just this once


def test_the_absolute_lifetime_is_configurable():
    from bipro.config import Settings

    assert Settings.from_env({"BIPRO_SESSION_MAX_HOURS": "3"}).session_max_hours == 3
    assert Settings.from_env({}).session_max_hours == 12


def ended_at(gateway, *session_ids: str) -> list:
    with gateway.db.session() as session:
        ended = dict(session.execute(select(PortalSession.session_hash, PortalSession.ended_at)).all())
    return [ended[session_hash(session_id)] for session_id in session_ids]


def test_a_portal_login_ends_the_browsers_old_session_and_stores_the_new_one_itself(gateway):
    """The login's steps and its transaction are the core's: the adapter commits nothing."""
    login, password = new_user(gateway)
    with Session(gateway.db.engine, expire_on_commit=False) as session:
        first = portal_login.with_password(session, gateway.identity_policy, login, password)
        second = portal_login.with_password(session, gateway.identity_policy, login, password,
                                            replacing=first.session_id)
        session.rollback()  # nothing is left for the caller to commit
    assert not second.code_due and not second.second_factor_missing
    first_ended, second_ended = ended_at(gateway, first.session_id, second.session_id)
    assert first_ended is not None and second_ended is None
    with Session(gateway.db.engine, expire_on_commit=False) as session:
        assert portal_login.log_out(session, second.session_id) is True
        session.rollback()
        assert portal_login.log_out(session, second.session_id) is False
    assert ended_at(gateway, second.session_id) != [None]

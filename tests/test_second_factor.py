"""The portal's second factor (TOTP): setup, the login's second step, recovery codes, lockout."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select
from zeep.exceptions import Fault

from bipro import cli
from bipro.core.errors import AuthenticationFailed
from bipro.core.identity.auth import authenticate
from bipro.core.identity.secret_box import open_sealed
from bipro.gateway import Gateway
from bipro.soap.namespaces import NAC, q
from portal import create_app
from store.models import AuditEvent, RecoveryCode, User
from tests.support.bipro_client import request_token
from tests.support.gateways import TEST_BCRYPT_ROUNDS
from tests.support.portal import form_post, log_in, log_out, new_user
from tests.support.totp import RECOVERY, next_code, secret_on


@pytest.fixture(scope="module")
def app(gateway):
    return create_app(gateway, {"TESTING": True})


def set_up(app, gateway):
    """A fresh broker login with the second factor on: (login, password, secret, recovery codes, client)."""
    login, password = new_user(gateway)
    client = app.test_client()
    assert log_in(client, login, password).status_code == 302
    page = client.get("/anmeldung-absichern").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = secret_on(page)
    assert client.get("/anmeldung-absichern").get_data(as_text=True).count(secret[:4]) >= 1
    wrong = form_post(client, "/anmeldung-absichern", {"code": "000000" if next_code(gateway, login, secret)
                                                       != "000000" else "111111"})
    assert wrong.status_code == 400 and "passt nicht" in wrong.get_data(as_text=True)
    done = form_post(client, "/anmeldung-absichern", {"code": next_code(gateway, login, secret)})
    codes = RECOVERY.findall(done.get_data(as_text=True))
    assert done.status_code == 200 and len(set(codes)) == 10
    return login, password, secret, codes, client


def code_step(client, code):
    return form_post(client, "/anmeldung/code", {"code": code})


def test_login_asks_for_the_code_and_refuses_a_used_one(app, gateway):
    login, password, secret, _codes, client = set_up(app, gateway)
    log_out(client)
    answer = log_in(client, login, password)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/anmeldung/code")
    assert client.get("/").status_code == 302  # not logged in yet
    assert code_step(client, "123 456").status_code == 400
    code = next_code(gateway, login, secret)
    assert code_step(client, code).status_code == 302
    assert client.get("/").status_code == 200
    # The same code a second time, in another browser, is refused.
    other = app.test_client()
    assert log_in(other, login, password).status_code == 302
    refused = code_step(other, code)
    assert refused.status_code == 400 and "bereits verwendet" in refused.get_data(as_text=True)
    with gateway.db.session() as session:
        events = session.scalars(select(AuditEvent.event).where(AuditEvent.login == login)).all()
    assert "second_factor_enabled" in events and "second_factor_failed" in events
    assert events.count("login") == 2  # the first password and the completed login, not the half one


def test_recovery_code_works_once(app, gateway):
    login, password, _secret, codes, _client = set_up(app, gateway)
    first = app.test_client()
    log_in(first, login, password)
    assert code_step(first, codes[3].upper()).status_code == 302
    assert first.get("/").status_code == 200
    second = app.test_client()
    log_in(second, login, password)
    assert code_step(second, codes[3]).status_code == 400
    page = first.get("/anmeldung-absichern").get_data(as_text=True)
    assert "Unbenutzte Wiederherstellungscodes: 9" in page


def test_turning_off_needs_password_and_code(app, gateway):
    login, password, secret, _codes, client = set_up(app, gateway)
    path = "/anmeldung-absichern/ausschalten"
    bad = form_post(client, path, {"password": "falsch", "code": next_code(gateway, login, secret)},
                    form_page="/anmeldung-absichern")
    assert bad.status_code == 400 and "Passwort ist nicht korrekt" in bad.get_data(as_text=True)
    bad = form_post(client, path, {"password": password, "code": "000001"}, form_page="/anmeldung-absichern")
    assert bad.status_code == 400
    ok = form_post(client, path, {"password": password, "code": next_code(gateway, login, secret)},
                   form_page="/anmeldung-absichern")
    assert ok.status_code == 302
    with gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == login))
        assert user.totp_secret is None
        assert session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    log_out(client)
    assert log_in(client, login, password).headers["Location"].endswith("/")


def meldung(call) -> str:
    with pytest.raises(Fault) as caught:
        call()
    return next(caught.value.detail.iter(q(NAC, "MeldungID"))).text


def test_wrong_codes_count_with_wrong_passwords_at_both_doors(app, base_url, gateway):
    login, password, secret, _codes, _client = set_up(app, gateway)
    assert gateway.settings.lockout_threshold == 5
    for _ in range(2):
        assert meldung(lambda: request_token(base_url, login, "falsch")) == "00961"
    client = app.test_client()
    log_in(client, login, password)  # right, but it does not clear the two failures
    for _ in range(2):
        assert code_step(client, "000000" if next_code(gateway, login, secret) != "000000"
                         else "999999").status_code == 400
    locked = log_in(app.test_client(), login, "falsch")
    assert "vorübergehend gesperrt" in locked.get_data(as_text=True)
    assert meldung(lambda: request_token(base_url, login, password)) == "00964"
    # A code during the lock is refused too, and the login step starts over.
    answer = code_step(client, next_code(gateway, login, secret))
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login")


def test_database_holds_no_totp_secret_or_recovery_code_in_clear(app, gateway, backend):
    if backend != "sqlite":
        pytest.skip("reads the SQLite file")
    login, _password, secret, codes, _client = set_up(app, gateway)
    with gateway.db.session() as session:
        stored = session.scalar(select(User.totp_secret).where(User.login == login))
    assert open_sealed(gateway.identity_policy, stored) == secret  # it is there, encrypted
    gateway.db.engine.dispose()
    path = Path(gateway.db.engine.url.database)
    content = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert content
    for clear in [secret, secret.lower(), *codes, *(c.replace("-", "") for c in codes)]:
        assert clear.encode() not in content, clear


def test_required_second_factor(gateway):
    strict = Gateway(settings=dataclasses.replace(gateway.settings, require_2fa=True), db=gateway.db)
    app = create_app(strict, {"TESTING": True})
    login, password = new_user(gateway)
    client = app.test_client()
    answer = log_in(client, login, password)
    assert answer.headers["Location"].endswith("/anmeldung-absichern")
    assert client.get("/kunden").headers["Location"].endswith("/anmeldung-absichern")
    page = client.get("/anmeldung-absichern")
    assert page.status_code == 200
    secret = secret_on(page.get_data(as_text=True))
    assert form_post(client, "/anmeldung-absichern", {"code": next_code(gateway, login, secret)}).status_code == 200
    assert client.get("/kunden").status_code == 200
    # With a second factor the personal login no longer gets BiPRO tokens.
    assert "Vorgeschrieben" in client.get("/bipro-zugaenge").get_data(as_text=True)
    with strict.db.session() as session:
        with pytest.raises(AuthenticationFailed, match="BiPRO-Zugänge"):
            authenticate(session, strict.identity_policy, login, password, channel="bipro")


def test_cli_resets_the_second_factor_audited(app, gateway, monkeypatch, tmp_path, capsys):
    login, password, _secret, _codes, _client = set_up(app, gateway)
    monkeypatch.setenv("BIPRO_DATABASE_URL", gateway.settings.database_url)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BIPRO_SECRET_KEY", gateway.settings.secret_key)
    monkeypatch.setenv("BIPRO_BCRYPT_ROUNDS", str(TEST_BCRYPT_ROUNDS))
    assert cli.main(["user", "reset-2fa", login]) == 0
    assert "entfernt" in capsys.readouterr().out
    assert cli.main(["user", "reset-2fa", "gibt-es-nicht"]) == 1
    client = app.test_client()
    assert log_in(client, login, password).headers["Location"].endswith("/")
    with gateway.db.session() as session:
        assert session.scalar(select(AuditEvent.channel).where(AuditEvent.event == "second_factor_reset",
                                                               AuditEvent.login == login)) == "cli"

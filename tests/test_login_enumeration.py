"""Which logins exist cannot be told from a failed login, at either door.

A known and an unknown login get, attempt by attempt, the same status, the
same body (apart from the name itself, ids, times and the CSRF token) and
exactly one bcrypt check each: short, long and over-72-byte passwords,
before and after the fifth failure locks the name.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bipro.core.errors import AuthenticationFailed
from bipro.core.identity.auth import authenticate
from bipro.core.identity.password_reset import request_reset
from bipro.wsgi import GatewayApplication
from portal import create_app
from store.models import AuditEvent
from tests.support.bcrypt_spy import counted_bcrypt_checks
from tests.support.portal import form_post, new_user
from tests.support.server import served
from tests.support.soapraw import sts_login

PASSWORDS = ["falsch", "ein-falsches-aber-langes-passwort-mit-vielen-zeichen", "ä" * 40]  # 80 bytes
ATTEMPTS = 7  # four plain failures, the locking fifth, two while locked
EXPECTED_CODES = ["00961"] * 4 + ["00965"] + ["00964"] * 2
PROCESS_ID = re.compile(r"(ProzessID>)[0-9a-f]+<")
TIME = re.compile(r"\d{1,2}[:.]\d{2}(:\d{2})?")
CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+|(value=")[^"]+("[^>]*name="csrf_token")')


@pytest.fixture(scope="module")
def base_url(gateway):
    with served(GatewayApplication(gateway)) as url:
        yield url


def comparable(body: str, login: str) -> str:
    body = PROCESS_ID.sub(r"\1ID<", body.replace(login, "LOGIN"))
    body = CSRF.sub(lambda m: (m.group(1) or m.group(2)) + "X" + (m.group(3) or ""), body)
    return TIME.sub("HH:MM", body)


def test_passwords_cover_the_cases():
    assert len(PASSWORDS[2].encode("utf-8")) > 72


def test_sts_answers_known_and_unknown_logins_alike(base_url, gateway):
    known, _password = new_user(gateway)
    unknown = "100100-77"
    codes = []
    for attempt in range(ATTEMPTS):
        password = PASSWORDS[attempt % len(PASSWORDS)]
        answers = {}
        for login in (known, unknown):
            with counted_bcrypt_checks() as checks:
                answers[login] = sts_login(base_url, login, password)
            assert len(checks) == 1, (login, attempt)
        a, b = answers[known], answers[unknown]
        assert a.status == b.status == 500
        assert a.meldung_ids == b.meldung_ids
        assert comparable(a.body.decode(), known) == comparable(b.body.decode(), unknown)
        codes.append(a.meldung_ids[0])
    assert codes == EXPECTED_CODES


def test_portal_answers_known_and_unknown_logins_alike(gateway):
    app = create_app(gateway, {"TESTING": True})
    known, _password = new_user(gateway)
    unknown = "100100-78"
    clients = {known: app.test_client(), unknown: app.test_client()}
    for attempt in range(ATTEMPTS):
        password = PASSWORDS[attempt % len(PASSWORDS)]
        answers = {}
        for login, client in clients.items():
            with counted_bcrypt_checks() as checks:
                answers[login] = form_post(client, "/login", {"login": login, "password": password})
            assert len(checks) == 1, (login, attempt)
        a, b = answers[known], answers[unknown]
        assert a.status_code == b.status_code == 200
        assert (comparable(a.get_data(as_text=True), known)
                == comparable(b.get_data(as_text=True), unknown))
        expected = "vorübergehend gesperrt" if attempt >= 4 else "Login-Name oder Passwort ist falsch"
        assert expected in a.get_data(as_text=True)


@pytest.mark.parametrize("login", ["\x00", "demo\x00", "de\u202emo", "demo\u200b"])
def test_a_login_with_a_control_character_is_refused_like_an_unknown_one(gateway, login):
    """Counted, audited and answered on every backend (PostgreSQL refuses a NUL byte in any text)."""
    with gateway.db.session() as session:
        with pytest.raises(AuthenticationFailed):
            authenticate(session, gateway.identity_policy, login, "demo-passwort", channel="bipro")
        assert request_reset(session, gateway.identity_policy, login) is None
        session.commit()
        shown = session.scalars(select(AuditEvent.login).order_by(AuditEvent.id.desc()).limit(2)).all()
    assert shown and all("\ufffd" in typed and "\x00" not in typed for typed in shown)

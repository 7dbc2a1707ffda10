"""Portal login, sessions, logout, CSRF, headers; lockout shared with the STS."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from bipro.core.identity.portal_sessions import session_hash
from portal import create_app
from portal.headers import CONTENT_SECURITY_POLICY
from store.base import utcnow
from store.models import PortalSession, User
from tests.support.bipro_client import STS_PATH, request_token
from tests.support.portal import csrf_token, log_in, log_out, new_user
from tests.support.soapraw import envelope, post

WRONG = "Login-Name oder Passwort ist falsch"
LOCKED = "vorübergehend gesperrt"


def test_login_page_follows_the_manual(client):
    page = client.get("/login").get_data(as_text=True)
    for text in ("Willkommen bei uns", "Login-Name", "Passwort", "Anmelden", "Passwort vergessen?",
                 "Docura VVaG"):
        assert text in page
    assert '<label for="login">' in page and '<label for="password">' in page
    assert 'href="/passwort-vergessen"' in page


def test_pages_need_a_login(client):
    for path in ("/", "/profil", "/vermittlerprofil", "/passwort-aendern", "/kunden",
                 "/kunden/1", "/vertraege", "/vertraege/x", "/tarifrechner", "/posteingang/1"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/login?next=")


def test_login_lands_on_the_dashboard(client):
    answer = log_in(client)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Startseite" in page and "Martina Sonnenschein" in page


def test_unknown_user_and_wrong_password_read_the_same(client):
    unknown = log_in(client, "niemand", "demo-passwort").get_data(as_text=True)
    wrong = log_in(client, "demo2", "falsch-falsch").get_data(as_text=True)
    message = re.compile(r'<div class="alert alert-error" role="alert">(.*?)</div>', re.S)
    assert message.search(unknown).group(1) == message.search(wrong).group(1)
    assert WRONG in message.search(unknown).group(1)
    assert client.get("/").status_code == 302


def test_post_without_csrf_token_is_refused(client, gateway):
    client.get("/login")
    answer = client.post("/login", data={"login": "demo", "password": "demo-passwort"})
    assert answer.status_code == 400
    assert "Formular" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 302
    log_in(client)
    for path, data in (("/abmelden", {}), ("/passwort-aendern", {"old_password": "x"}),
                       ("/passwort-vergessen", {"login": "demo"})):
        assert client.post(path, data=data).status_code == 400, path
        assert client.post(path, data={**data, "csrf_token": "falsch"}).status_code == 400, path
    assert client.get("/").status_code == 200  # still logged in: logout was refused


def test_login_creates_a_new_session_row_and_cookie(client, gateway):
    client.get("/login")
    before = client.get_cookie("docura_extranet").value
    log_in(client)
    first = client.get_cookie("docura_extranet")
    assert first.value != before
    assert first.http_only and first.same_site == "Lax"
    log_in(client)  # logging in again renews the id
    with gateway.db.session() as session:
        rows = session.scalars(select(PortalSession).where(PortalSession.user_id == 1)
                               .order_by(PortalSession.id.desc()).limit(2)).all()
    assert len(rows) == 2 and rows[0].session_hash != rows[1].session_hash


def test_cookie_carries_only_a_session_id(client, app):
    log_in(client)
    serializer = app.session_interface.get_signing_serializer(app)
    content = serializer.loads(client.get_cookie("docura_extranet").value)
    assert set(content) <= {"sid", "csrf_token", "_permanent", "_flashes"}
    with app.extensions["gateway"].db.session() as session:
        stored = session.scalar(select(PortalSession.session_hash)
                                .where(PortalSession.session_hash == session_hash(content["sid"])))
    assert stored is not None and content["sid"] not in stored


def test_secure_cookie_over_https(app):
    client = app.test_client()
    client.get("/login", base_url="https://portal.example")
    page = client.get("/login", base_url="https://portal.example").get_data(as_text=True)
    client.post("/login", base_url="https://portal.example",
                data={"csrf_token": csrf_token(page), "login": "demo", "password": "demo-passwort"})
    assert client.get_cookie("docura_extranet", domain="portal.example").secure


def test_logout_ends_the_session_server_side(client, gateway):
    log_in(client)
    stolen = client.get_cookie("docura_extranet").value
    answer = log_out(client)
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    client.set_cookie("docura_extranet", stolen)  # replaying the old cookie fails
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    notice = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Sitzung ist beendet" in notice


@pytest.mark.clock
def test_idle_session_expires(client, gateway):
    log_in(client)
    assert client.get("/profil").status_code == 200
    idle = gateway.settings.session_idle_minutes
    with gateway.db.session() as session:
        session.execute(update(PortalSession).where(PortalSession.ended_at.is_(None))
                        .values(last_seen_at=utcnow() - dt.timedelta(minutes=idle, seconds=5)))
    answer = client.get("/profil")
    assert answer.status_code == 302 and answer.headers["Location"] == "/login?next=/profil"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "wegen Inaktivität abgelaufen" in page


def test_active_session_survives_just_under_the_limit(client, gateway):
    log_in(client)
    idle = gateway.settings.session_idle_minutes
    with gateway.db.session() as session:
        session.execute(update(PortalSession).where(PortalSession.ended_at.is_(None))
                        .values(last_seen_at=utcnow() - dt.timedelta(minutes=idle - 1)))
    assert client.get("/profil").status_code == 200
    with gateway.db.session() as session:  # the visit counted as activity
        seen = session.scalar(select(PortalSession.last_seen_at)
                              .where(PortalSession.ended_at.is_(None))
                              .order_by(PortalSession.id.desc()).limit(1))
    assert utcnow() - seen < dt.timedelta(minutes=1)


@pytest.mark.parametrize("target, expected", [
    ("/profil", "/profil"),
    ("/kunden?suche=Max%201980", "/kunden?suche=Max%201980"),
    ("//evil.example/", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_next_is_followed_only_to_local_paths(client, target, expected):
    answer = log_in(client, next=target)
    assert answer.status_code == 302
    assert answer.headers["Location"] == expected


def test_next_survives_the_login_redirect(client):
    answer = client.get("/vermittlerprofil")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'value="/vermittlerprofil"' in page
    assert log_in(client, next="/vermittlerprofil").headers["Location"] == "/vermittlerprofil"


def test_security_headers_on_every_response(client):
    log_in(client)
    for path in ("/login", "/", "/profil", "/static/portal.css", "/gibt-es-nicht", "/kunden/999999"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style(client):
    log_in(client)
    for path in ("/login", "/", "/profil", "/vermittlerprofil", "/passwort-aendern"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path


def test_user_data_is_escaped(client, gateway):
    with gateway.db.session() as session:
        session.execute(update(User).where(User.login == "demo2")
                        .values(full_name="<script>alert(1)</script>"))
    try:
        log_in(client, "demo2")
        page = client.get("/").get_data(as_text=True)
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    finally:
        with gateway.db.session() as session:
            session.execute(update(User).where(User.login == "demo2")
                            .values(full_name="Hauke Petersen"))


# --- lockout shared with the STS --------------------------------------------------

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
TEXT = ("http://docs.oasis-open.org/wss/2004/01/"
        "oasis-200401-wss-username-token-profile-1.0#PasswordText")


def sts_login(base_url: str, login: str, password: str):
    from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, TOKEN_TYPE_SCT, WST

    header = (f'<wsse:Security xmlns:wsse="{WSSE}"><wsse:UsernameToken>'
              f"<wsse:Username>{login}</wsse:Username>"
              f'<wsse:Password Type="{TEXT}">{password}</wsse:Password>'
              "</wsse:UsernameToken></wsse:Security>")
    body = (f'<wst:RequestSecurityToken xmlns:wst="{WST}"><wst:TokenType>{TOKEN_TYPE_SCT}'
            f"</wst:TokenType><wst:RequestType>{REQUEST_TYPE_ISSUE}</wst:RequestType>"
            "</wst:RequestSecurityToken>")
    return post(base_url + STS_PATH, envelope(body, header))


def test_failures_at_the_sts_lock_the_portal(client, gateway, base_url):
    login, password = new_user(gateway)
    threshold = gateway.settings.lockout_threshold
    for _ in range(threshold - 1):
        assert sts_login(base_url, login, "falsch-falsch").meldung_ids == ["00961"]
    # The last failure comes through the portal and locks the account.
    assert LOCKED in log_in(client, login, "falsch-falsch").get_data(as_text=True)
    page = log_in(client, login, password).get_data(as_text=True)
    assert LOCKED in page and "Uhr erneut" in page
    assert client.get("/").status_code == 302
    assert sts_login(base_url, login, password).meldung_ids == ["00964"]


def test_failures_at_the_portal_lock_the_sts(client, gateway, base_url):
    login, password = new_user(gateway)
    threshold = gateway.settings.lockout_threshold
    for _ in range(threshold - 1):
        assert WRONG in log_in(client, login, "falsch-falsch").get_data(as_text=True)
    assert sts_login(base_url, login, "falsch-falsch").meldung_ids == ["00965"]
    assert sts_login(base_url, login, password).meldung_ids == ["00964"]
    assert LOCKED in log_in(client, login, password).get_data(as_text=True)


def test_zeep_token_and_portal_login_share_the_credentials(client, gateway, base_url):
    login, password = new_user(gateway)
    assert request_token(base_url, login, password).startswith("bipro:")
    assert log_in(client, login, password).headers["Location"] == "/"


def test_https_public_url_marks_the_cookie_secure(gateway):
    import dataclasses

    from bipro.gateway import Gateway

    https = Gateway(settings=dataclasses.replace(gateway.settings, public_url="https://x.example"),
                    db=gateway.db)
    assert create_app(https).config["SESSION_COOKIE_SECURE"] is True
    assert create_app(gateway).config["SESSION_COOKIE_SECURE"] is False
    assert create_app(gateway).permanent_session_lifetime == dt.timedelta(
        minutes=gateway.settings.session_idle_minutes)


def test_without_a_gateway_the_app_reads_the_environment(gateway, monkeypatch, tmp_path):
    monkeypatch.setenv("BIPRO_DATABASE_URL", gateway.db.url)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BIPRO_SESSION_IDLE_MINUTES", "7")
    monkeypatch.setenv("BIPRO_BCRYPT_ROUNDS", "4")
    app = create_app(test_config={"TESTING": True})
    try:
        assert app.extensions["gateway"].settings.session_idle_minutes == 7
        assert app.permanent_session_lifetime == dt.timedelta(minutes=7)
        client = app.test_client()
        assert log_in(client, "demo2").headers["Location"] == "/"
    finally:
        app.extensions["gateway"].db.dispose()

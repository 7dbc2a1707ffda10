"""Isolation between users: reset links and portal session cookies speak for one user only."""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from bipro.core.identity import password_reset
from bipro.core.identity.passwords import verify_password
from bipro.core.identity.portal_sessions import session_hash
from store.models import PortalSession, User
from tests.support.portal import csrf_token, form_post, log_in, new_user

COOKIE = "docura_extranet"
NEW_PASSWORD = "Neues-Passwort-2024"


def issue_link(gateway, login: str) -> str:
    with gateway.db.session() as session:
        return password_reset.request_reset(session, gateway.identity_policy, login).token


def password_of(gateway, login: str) -> str:
    with gateway.db.session() as session:
        return session.scalar(select(User.password_hash).where(User.login == login))


def test_reset_link_changes_only_its_own_users_password(app, gateway):
    mine, my_password = new_user(gateway, "100100", "a@makler.example")
    theirs, their_password = new_user(gateway, "100200", "b@makler.example")
    my_link, their_link = issue_link(gateway, mine), issue_link(gateway, theirs)
    client = app.test_client()
    assert log_in(client, theirs, their_password).status_code == 302  # logged in as the other user
    path = f"/passwort-zuruecksetzen/{my_link}"
    page = client.get(path).get_data(as_text=True)
    assert mine in page  # the form names the link's user, whoever is logged in
    answer = client.post(path, data={"csrf_token": csrf_token(page), "new_password": NEW_PASSWORD,
                                     "repeat_password": NEW_PASSWORD, "login": theirs, "user_id": "2"})
    assert answer.status_code == 302
    assert verify_password(NEW_PASSWORD, password_of(gateway, mine))
    assert verify_password(their_password, password_of(gateway, theirs))
    # The other user's own link still works, and only for them.
    with gateway.db.session() as session:
        assert password_reset.verify_reset(session, their_link).login == theirs


def test_a_reset_link_is_not_its_stored_hash(app, gateway):
    login, _ = new_user(gateway, "100100", "c@makler.example")
    link = issue_link(gateway, login)
    answer = app.test_client().get(f"/passwort-zuruecksetzen/{password_reset.token_hash(link)}")
    assert answer.status_code == 404


def _sid(app, client) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie(COOKIE).value)["sid"]


def _cookie(app, content: dict, secret_key: str | None = None) -> str:
    signer_app = app
    if secret_key is not None:
        signer_app = type("Keyed", (), {"secret_key": secret_key, "config": app.config})()
    return SecureCookieSessionInterface().get_signing_serializer(signer_app).dumps(content)


def test_each_cookie_shows_its_own_user(app):
    first, second = app.test_client(), app.test_client()
    log_in(first, "demo")
    log_in(second, "demo2")
    assert "Martina Sonnenschein" in first.get("/profil").get_data(as_text=True)
    assert "Martina Sonnenschein" not in second.get("/profil").get_data(as_text=True)
    assert _sid(app, first) != _sid(app, second)


def test_forged_cookies_are_refused(app, gateway):
    owner = app.test_client()
    log_in(owner, "demo")
    sid = _sid(app, owner)
    with gateway.db.session() as session:
        stored = session.scalar(select(PortalSession.session_hash)
                                .where(PortalSession.session_hash == session_hash(sid)))
    forged = {
        "stored hash instead of the id": _cookie(app, {"sid": stored, "_permanent": True}),
        "real id, wrong signing key": _cookie(app, {"sid": sid, "_permanent": True}, "ein-anderer-schluessel"),
        "a user id instead of a session": _cookie(app, {"user_id": 1, "_permanent": True}),
    }
    for why, value in forged.items():
        intruder = app.test_client()
        intruder.set_cookie(COOKIE, value)
        answer = intruder.get("/profil")
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), why


def test_login_over_a_live_session_ends_the_old_one(app):
    client = app.test_client()
    log_in(client, "demo")
    old_cookie = client.get_cookie(COOKIE).value
    old_sid = _sid(app, client)
    assert form_post(client, "/login", {"login": "demo2", "password": "demo-passwort"},
                     form_page="/passwort-aendern").status_code == 302
    assert _sid(app, client) != old_sid
    assert "Martina Sonnenschein" not in client.get("/profil").get_data(as_text=True)
    replay = app.test_client()
    replay.set_cookie(COOKIE, old_cookie)
    assert replay.get("/profil").status_code == 302

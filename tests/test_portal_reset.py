"""Passwort vergessen: a one-time link by e-mail through a real SMTP server on loopback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import logging
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core import mail
from bipro.core.errors import TokenInvalid
from bipro.core.identity import password_reset
from bipro.core.identity.tokens import issue_token, resolve_token
from bipro.gateway import Gateway
from portal import create_app
from store.base import utcnow
from store.models import PasswordResetToken, User
from tests.support.portal import form_post, log_in, new_user

SAME_ANSWER = "Wenn der Login-Name bei uns bekannt ist"
LINK = re.compile(r"(http://portal\.example/passwort-zuruecksetzen/[A-Za-z0-9_-]+)")


class Mailbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mail_gateway(gateway, mailbox):
    _box, port = mailbox
    settings = dataclasses.replace(gateway.settings, smtp_url=f"smtp://127.0.0.1:{port}",
                                   public_url="http://portal.example")
    return Gateway(settings=settings, db=gateway.db)


@pytest.fixture(scope="module")
def app(mail_gateway):
    """The portal over the gateway that mails (tests/support/portal.py's ``client`` uses it)."""
    return create_app(mail_gateway, {"TESTING": True})


def request_link(client, mailbox, login: str) -> str:
    box, _port = mailbox
    before = len(box.messages)
    page = form_post(client, "/passwort-vergessen", {"login": login}).get_data(as_text=True)
    assert SAME_ANSWER in page
    mail.wait_for_background()
    assert len(box.messages) == before + 1
    message = box.messages[-1]
    return LINK.search(message.get_payload(decode=True).decode("utf-8")).group(1)


def path_of(link: str) -> str:
    return link.removeprefix("http://portal.example")


def test_the_reset_use_case_stores_its_link_before_the_mail_leaves(mailbox, mail_gateway):
    """Its own unit of work: the link in the mail works though the caller commits nothing."""
    login, _password = new_user(mail_gateway, email="eigen@example.org")
    box, _port = mailbox
    with Session(mail_gateway.db.engine, expire_on_commit=False) as session:
        password_reset.mail_reset_link(session, mail_gateway.identity_policy, login)
        session.rollback()
    mail.wait_for_background()
    assert box.messages[-1]["To"] == "eigen@example.org"
    link = LINK.search(box.messages[-1].get_payload(decode=True).decode("utf-8")).group(1)
    with mail_gateway.db.session() as session:
        assert password_reset.verify_reset(session, link.rsplit("/", 1)[1]).login == login


def test_forgot_page_has_a_labelled_field(client):
    page = client.get("/passwort-vergessen").get_data(as_text=True)
    assert '<label for="login">Login-Name</label>' in page
    assert client.get("/login").get_data(as_text=True).count('href="/passwort-vergessen"') == 1


def test_reset_end_to_end(client, mailbox, mail_gateway):
    login, old_password = new_user(mail_gateway, email="makler@example.org")
    log_in(client, login, old_password)
    with mail_gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == login))
        bipro_token = issue_token(session, user, 600).identifier
    other_browser = create_app(mail_gateway, {"TESTING": True}).test_client()
    log_in(other_browser, login, old_password)

    box, _port = mailbox
    link = request_link(client, mailbox, login)
    message = box.messages[-1]
    assert message["To"] == "makler@example.org"
    assert message["From"] == mail_gateway.settings.mail_from
    text = message.get_payload(decode=True).decode("utf-8")
    assert f"{mail_gateway.settings.reset_token_minutes} Minuten" in text
    assert "Maklerverwaltungsprogramm" in text

    token = link.rsplit("/", 1)[1]
    with mail_gateway.db.session() as session:  # only the hash is stored
        hashes = session.scalars(select(PasswordResetToken.token_hash)).all()
    assert token not in hashes and len(hashes) >= 1

    form = client.get(path_of(link)).get_data(as_text=True)
    assert "Neues Passwort" in form and login in form
    mismatch = form_post(client, path_of(link), {"new_password": "Sommer-Regen-2031",
                                                 "repeat_password": "Sommer-Regen-2032"})
    assert "stimmen nicht überein" in mismatch.get_data(as_text=True)
    weak = form_post(client, path_of(link), {"new_password": "kurz", "repeat_password": "kurz"})
    assert "mindestens 10 Zeichen" in weak.get_data(as_text=True)

    done = form_post(client, path_of(link), {"new_password": "Sommer-Regen-2031",
                                             "repeat_password": "Sommer-Regen-2031"})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "neues Passwort ist gespeichert" in client.get("/login").get_data(as_text=True)

    # Single use: the link is spent.
    again = client.get(path_of(link))
    assert again.status_code == 404 and "ungültig" in again.get_data(as_text=True)
    # The new password works, the old one does not; BiPRO tokens and portal sessions ended.
    assert "falsch" in log_in(client, login, old_password).get_data(as_text=True)
    assert log_in(client, login, "Sommer-Regen-2031").headers["Location"] == "/"
    assert other_browser.get("/").status_code == 302
    with mail_gateway.db.session() as session:
        with pytest.raises(TokenInvalid):
            resolve_token(session, bipro_token)


def test_unknown_login_gets_the_same_answer_and_no_mail(client, mailbox):
    box, _port = mailbox
    before = len(box.messages)
    known = form_post(client, "/passwort-vergessen", {"login": "demo2"}).get_data(as_text=True)
    unknown = form_post(client, "/passwort-vergessen",
                        {"login": "gibt-es-nicht"}).get_data(as_text=True)
    mail.wait_for_background()
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert len(box.messages) == before + 1  # only demo2 got one


def test_only_the_newest_link_works(client, mailbox, mail_gateway):
    login, _password = new_user(mail_gateway)
    first = request_link(client, mailbox, login)
    second = request_link(client, mailbox, login)
    assert client.get(path_of(first)).status_code == 404
    assert client.get(path_of(second)).status_code == 200


@pytest.mark.clock
def test_expired_link_is_refused(client, mailbox, mail_gateway):
    login, _password = new_user(mail_gateway)
    link = request_link(client, mailbox, login)
    with mail_gateway.db.session() as session:
        session.execute(update(PasswordResetToken)
                        .where(PasswordResetToken.used_at.is_(None))
                        .values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    answer = form_post(client, path_of(link), {"new_password": "Sommer-Regen-2031",
                                               "repeat_password": "Sommer-Regen-2031"},
                       form_page="/passwort-vergessen")
    assert answer.status_code == 404


def test_made_up_link_is_refused(client):
    assert client.get("/passwort-zuruecksetzen/ausgedacht").status_code == 404


def test_link_lifetime_follows_the_setting(client, mailbox, mail_gateway):
    login, _password = new_user(mail_gateway)
    request_link(client, mailbox, login)
    with mail_gateway.db.session() as session:
        row = session.scalars(select(PasswordResetToken)
                              .order_by(PasswordResetToken.id.desc()).limit(1)).one()
    assert row.expires_at - row.created_at == dt.timedelta(
        minutes=mail_gateway.settings.reset_token_minutes)


def test_without_smtp_the_mail_goes_to_the_outbox(gateway, tmp_path, caplog):
    settings = dataclasses.replace(gateway.settings, smtp_url="", instance_path=tmp_path)
    client = create_app(Gateway(settings=settings, db=gateway.db), {"TESTING": True}).test_client()
    login, _password = new_user(gateway, email="outbox@example.org")
    with caplog.at_level(logging.INFO, logger="bipro.mail"):
        page = form_post(client, "/passwort-vergessen", {"login": login}).get_data(as_text=True)
        mail.wait_for_background()
    assert SAME_ANSWER in page
    files = list(settings.outbox_path.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes())
    assert message["To"] == "outbox@example.org"
    assert "/passwort-zuruecksetzen/" in message.get_payload(decode=True).decode("utf-8")
    assert str(files[0]) in caplog.text


def test_unreachable_smtp_server_does_not_change_the_answer(gateway, caplog):
    settings = dataclasses.replace(gateway.settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    client = create_app(Gateway(settings=settings, db=gateway.db), {"TESTING": True}).test_client()
    with caplog.at_level(logging.ERROR, logger="bipro.mail"):
        page = form_post(client, "/passwort-vergessen", {"login": "demo2"}).get_data(as_text=True)
        mail.wait_for_background()
    assert SAME_ANSWER in page
    assert "could not be sent" in caplog.text



@pytest.mark.parametrize("address", ["eva@makler.de, fremd@evil.example", "eva@makler.de;fremd@evil.example",
                                     "Eva <eva@makler.de>", "eva@makler.de fremd@evil.example", ""])
def test_a_mail_goes_to_exactly_one_address(mail_gateway, address):
    with pytest.raises(ValueError):
        mail.compose(mail_gateway.settings.mail, address, "Betreff", "Text")
    message = mail.compose(mail_gateway.settings.mail, "eva@müller.example", "Betreff", "Text")
    assert [a.addr_spec for a in message["To"].addresses] == ["eva@xn--mller-kva.example"]


def test_a_stored_value_of_two_addresses_gets_no_reset_link(client, mailbox, mail_gateway):
    """Refused at input now; a row from before that rule must still never mail a live link twice."""
    login, _password = new_user(mail_gateway)
    with mail_gateway.db.session() as session:
        session.execute(update(User).where(User.login == login)
                        .values(email="eva@makler.de, fremd@evil.example"))
    box, _port = mailbox
    before = len(box.messages)
    page = form_post(client, "/passwort-vergessen", {"login": login}).get_data(as_text=True)
    mail.wait_for_background()
    assert SAME_ANSWER in page and len(box.messages) == before
    with mail_gateway.db.session() as session:
        user_id = session.scalar(select(User.id).where(User.login == login))
        assert session.scalar(select(PasswordResetToken.id).where(PasswordResetToken.user_id == user_id)) is None

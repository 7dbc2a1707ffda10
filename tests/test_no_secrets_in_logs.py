"""No password, token identifier, reset link or session id in any log line or audit row.

Everything the bipro, portal, spyne, sqlalchemy and waitress loggers emit at
DEBUG is captured while the flows run over real HTTP: STS login with a wrong
and a right password, a secured call with the token, portal login, password
change, reset request (the mail goes to the outbox) and reset. The capture
writes every record twice, as text and as the JSON lines of
``BIPRO_LOG_FORMAT=json`` (with the line per request and its fields).
"""

from __future__ import annotations

import dataclasses
import email
import io
import json
import logging
import re
import sys

import pytest
import requests
from sqlalchemy import select

from bipro.core import mail as outgoing_mail
from bipro.gateway import Gateway
from bipro.observability.logs import JsonFormatter, RequestIdFilter
from bipro.serving import access_logged, redact_path
from bipro.soap.namespaces import TRAN
from bipro.wsgi import GatewayApplication
from store.models import AuditEvent
from tests.support import soapraw
from tests.support.bipro_client import request_token
from tests.support.portal import csrf_token, new_user
from tests.support.server import served
from tests.support.soapraw import sts_login

LOGGERS = ("bipro", "portal", "spyne", "sqlalchemy", "waitress")
TRANSFER = "/bipro/430_Transfer/Service_2.6.1.1.0"
WRONG = "Falsch-Geheim-4711"
CHANGED = "Geaendert-Geheim-0815"
RESET = "Zurueck-Geheim-2342"
LINK = re.compile(r"/passwort-zuruecksetzen/([A-Za-z0-9_-]+)")


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    as_json = logging.StreamHandler(stream)
    as_json.setLevel(logging.DEBUG)
    as_json.addFilter(RequestIdFilter())
    as_json.setFormatter(JsonFormatter())
    saved = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        logger.addHandler(as_json)
    yield stream
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(handler)
        logging.getLogger(name).removeHandler(as_json)
        logging.getLogger(name).setLevel(saved[name])


@pytest.fixture
def outbox_gateway(gateway, tmp_path):
    settings = dataclasses.replace(gateway.settings, smtp_url="", instance_path=tmp_path)
    return Gateway(settings=settings, db=gateway.db)


def portal_post(http, url, path, data):
    page = http.get(url + path).text
    return http.post(url + path, data={"csrf_token": csrf_token(page), **data}, allow_redirects=False)


def test_no_secret_reaches_a_log_or_the_audit_table(outbox_gateway, captured):
    gateway = outbox_gateway
    login, password = new_user(gateway, "100100", "geheim@makler.example")
    secrets = [password, WRONG, CHANGED, RESET]
    with served(GatewayApplication(gateway)) as url:
        assert sts_login(url, login, WRONG).meldung_ids == ["00961"]
        token = request_token(url, login, password)
        body = f'<t:listShipments xmlns:t="{TRAN}"><t:Request/></t:listShipments>'
        assert soapraw.post(url + TRANSFER, soapraw.envelope(body, soapraw.sct_header(token))).status == 200
        secrets += [token, token.removeprefix("bipro:")]
        http = requests.Session()
        assert portal_post(http, url, "/login", {"login": login, "password": password}).status_code == 302
        secrets.append(http.cookies.get("docura_extranet"))
        answer = portal_post(http, url, "/passwort-aendern", {
            "old_password": password, "new_password": CHANGED, "repeat_password": CHANGED})
        assert answer.status_code in (200, 302)
        anonymous = requests.Session()
        portal_post(anonymous, url, "/passwort-vergessen", {"login": login})
        outgoing_mail.wait_for_background()  # reset mails leave in the background
        [mail] = list(gateway.settings.outbox_path.glob("*.eml"))
        text_of_mail = email.message_from_bytes(mail.read_bytes()).get_payload(decode=True).decode("utf-8")
        link = LINK.search(text_of_mail).group(1)
        secrets.append(link)
        assert portal_post(anonymous, url, f"/passwort-zuruecksetzen/{link}",
                           {"new_password": RESET, "repeat_password": RESET}).status_code == 302
        assert sts_login(url, login, RESET).status == 200
    text = captured.getvalue()
    assert "login" in text and len(text) > 1000  # the capture really saw the flows
    request_lines = [json.loads(line) for line in text.splitlines()
                     if line.startswith("{") and '"logger": "bipro.request"' in line]
    paths = {entry["path"] for entry in request_lines}
    assert "/passwort-zuruecksetzen/***" in paths and "/passwort-aendern" in paths
    assert any(entry["login"] == login for entry in request_lines)
    with gateway.db.session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.login == login)).all()
    audit_text = "\n".join(f"{r.event} {r.login} {r.channel} {r.remote_addr} {r.detail}" for r in rows)
    assert len(rows) >= 8
    for secret in secrets:
        assert secret and secret not in text, f"a secret ({len(secret)} chars) is in the log"
        assert secret not in audit_text, "a secret is in audit_events"


def test_the_access_log_does_not_show_reset_links(monkeypatch):
    link = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b""]

    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    access_logged(app)({"REQUEST_METHOD": "GET", "PATH_INFO": f"/passwort-zuruecksetzen/{link}",
                        "REMOTE_ADDR": "127.0.0.1"}, lambda *a: None)
    assert "/passwort-zuruecksetzen/" in stream.getvalue() and link not in stream.getvalue()
    assert redact_path("/kunden/1000001") == "/kunden/1000001"

"""Personal data stays private at rest and in transit caches.

Files with secrets (the SQLite database, outbox mails with live reset links)
are created 0600 in a 0700 folder whatever the umask; every response with
personal data (pages, JSON, downloads, SOAP answers) says ``Cache-Control: no-store``.
"""

from __future__ import annotations

import os
import stat

import pytest
import requests

from bipro.config import Settings
from bipro.core.mail import compose, send
from bipro.gateway import Gateway
from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, TOKEN_TYPE_SCT, WST
from store.migrate import upgrade
from tests.support.bipro_client import STS_PATH
from tests.support.portal import log_in
from tests.support.soapraw import envelope

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)  # the common default: new files world-readable
    yield
    os.umask(previous)


def test_the_sqlite_database_and_its_folder_are_the_owners_alone(tmp_path, open_umask):
    instance = tmp_path / "instance"
    gateway = Gateway.from_settings(Settings.from_env({"BIPRO_INSTANCE_PATH": str(instance)}))
    try:
        upgrade(gateway.db.engine)
        with gateway.db.engine.connect() as connection:  # WAL and SHM exist while connected
            connection.exec_driver_sql("SELECT count(*) FROM users").all()
            files = sorted(p.name for p in instance.iterdir())
            assert "bipro.db" in files
            assert {name: mode(instance / name) for name in files} == {name: 0o600 for name in files}
        assert mode(instance) == 0o700
    finally:
        gateway.db.dispose()


def test_an_existing_world_readable_database_is_tightened(tmp_path, open_umask):
    database = tmp_path / "old.db"
    database.write_bytes(b"")
    database.chmod(0o644)
    gateway = Gateway.from_settings(Settings(instance_path=tmp_path, database_url=f"sqlite:///{database}"))
    gateway.db.dispose()
    assert mode(database) == 0o600


def test_outbox_mails_are_the_owners_alone(tmp_path, open_umask):
    outgoing = Settings(instance_path=tmp_path / "instance").mail
    where = send(outgoing, compose(outgoing, "makler@example.de", "Passwort", "https://x/passwort-zuruecksetzen/t"))
    assert mode(where) == 0o600
    assert mode(outgoing.outbox_path) == 0o700


@pytest.fixture(scope="module")
def demo(app):
    client = app.test_client()
    assert log_in(client).status_code == 302
    return client


def argument_free_get_routes(flask_app):
    for rule in flask_app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule.rule


def test_every_portal_response_but_static_files_is_not_stored(app, demo):
    paths = sorted(set(argument_free_get_routes(app)))
    assert "/kunden/daten" in paths and "/kunden/csv" in paths
    for path in [*paths, "/kunden/99999", "/gibt-es-nicht"]:
        response = demo.get(path)
        assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)
        response.close()
    static = demo.get("/static/portal.css")
    assert "no-store" not in (static.headers.get("Cache-Control") or "")
    static.close()


def test_json_answers_are_not_stored(demo):
    response = demo.get("/kunden/daten", query_string={"draw": "1", "start": "0", "length": "10"})
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"


def test_soap_answers_are_not_stored(base_url):
    login = (f'<wsse:Security xmlns:wsse="{WSSE_NS}"><wsse:UsernameToken><wsse:Username>demo</wsse:Username>'
             "<wsse:Password>demo-passwort</wsse:Password></wsse:UsernameToken></wsse:Security>")
    rst = (f'<wst:RequestSecurityToken xmlns:wst="{WST}"><wst:TokenType>{TOKEN_TYPE_SCT}</wst:TokenType>'
           f"<wst:RequestType>{REQUEST_TYPE_ISSUE}</wst:RequestType></wst:RequestSecurityToken>")
    issued = requests.post(base_url + STS_PATH, data=envelope(rst, login).encode(), timeout=10,
                           headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})
    assert issued.status_code == 200 and b"bipro:" in issued.content
    assert issued.headers["Cache-Control"] == "no-store"
    for body in (envelope("<x/>"), "kein XML"):
        answer = requests.post(base_url + STS_PATH, data=body.encode(), timeout=10,
                               headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})
        assert answer.status_code >= 400 and answer.headers["Cache-Control"] == "no-store"

"""Transfer format per login: MTOM or inline base64 for getShipment, set by CLI or portal.

suds (no MTOM support) downloads a shipment for a login set to base64; zeep
and a prefix-reading client keep getting MTOM; a request that itself comes
as MTOM is answered with MTOM whatever the login chose.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import subprocess
import sys
import uuid
from dataclasses import replace

import pytest
from lxml import etree
from sqlalchemy import select
from suds.client import Client as SudsClient
from suds.sax.element import Element as SudsElement
from suds.wsse import Security, UsernameToken

from bipro.core.errors import NotFound, ValidationFailed
from bipro.core.identity import audit
from bipro.core.shipments import transfer_format
from bipro.soap.namespaces import ALLG, TRAN, WSC, WSSE, XOP, q
from store.models import AuditEvent, User
from tests.support import soapraw
from tests.support.bipro_client import STS_PATH, request_token, service_client
from tests.support.callers import STAFF, caller_of
from tests.support.portal import form_post, log_in, new_user
from tests.support.transfer import TRANSFER_PATH, assert_valid_body, decode_mtom, publish_bytes, random_pdf

DEMO = 1
MTOM_TYPE = 'multipart/related; type="application/xop+xml"'


@pytest.fixture(scope="module")
def files():
    return {"Police.pdf": random_pdf(50_000), "Anlage 1.txt": "Grüße aus Bochum\r\n".encode("utf-8")}


@pytest.fixture(scope="module")
def shipment_id(gateway, tmp_path_factory, files):
    return publish_bytes(gateway, tmp_path_factory.mktemp("files"), DEMO, files)


@pytest.fixture(scope="module")
def base64_login(gateway):
    """A login of the demo broker set to base64 through the core use case."""
    login, password = new_user(gateway)
    with gateway.db.session() as s:
        transfer_format.set_transfer_format(s, gateway.settings.mtom, caller_of(gateway, login), "base64")
    return login, password


def _get_shipment_body(shipment_id: str) -> str:
    return f'<t:getShipment xmlns:t="{TRAN}"><t:Request><t:ID>{shipment_id}</t:ID></t:Request></t:getShipment>'


def test_default_follows_the_server_setting_and_choice_is_kept(gateway):
    login, _ = new_user(gateway)
    caller = caller_of(gateway, login)
    with gateway.db.session() as s:
        assert gateway.settings.mtom and transfer_format.transfer_format(s, gateway.settings.mtom, caller) == "mtom"
        assert transfer_format.transfer_format(s, False, caller) == "base64"
        assert transfer_format.set_transfer_format(s, gateway.settings.mtom, caller, " BASE64 ") == "base64"
    with gateway.db.session() as s:
        assert transfer_format.transfer_format(s, gateway.settings.mtom, caller) == "base64"
        assert not transfer_format.uses_mtom(s, gateway.settings.mtom, caller)
        assert transfer_format.set_transfer_format_of(s, gateway.settings.mtom, login, "mtom", by=STAFF) == "mtom"
    with gateway.db.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.user_id == caller.user_id,
                                                    AuditEvent.event == audit.TRANSFER_FORMAT_CHANGED)
                           .order_by(AuditEvent.id)).all()
        assert [(e.channel, e.detail) for e in events] == [("portal", "mtom -> base64"), ("cli", "base64 -> mtom")]


def test_another_brokers_login_is_not_found_and_unchanged(gateway):
    """A caller reaches only its own login: a user id of another broker is "not found"."""
    login, _ = new_user(gateway)
    own = caller_of(gateway, login)
    stranger = replace(caller_of(gateway, "demo2"), user_id=own.user_id)
    with gateway.db.session() as s:
        with pytest.raises(NotFound):
            transfer_format.set_transfer_format(s, gateway.settings.mtom, stranger, "base64")
        with pytest.raises(NotFound):
            transfer_format.transfer_format(s, gateway.settings.mtom, stranger)
    with gateway.db.session() as s:
        assert s.get(User, own.user_id).transfer_format is None


@pytest.mark.parametrize("value", ["", "zip", "swa"])
def test_unknown_format_is_refused_and_changes_nothing(gateway, value):
    login, _ = new_user(gateway)
    caller = caller_of(gateway, login)
    with gateway.db.session() as s:
        with pytest.raises(ValidationFailed) as info:
            transfer_format.set_transfer_format(s, gateway.settings.mtom, caller, value)
        assert "MTOM" in info.value.message
        with pytest.raises(ValidationFailed):
            transfer_format.set_transfer_format_of(s, gateway.settings.mtom, login, value, by=STAFF)
    with gateway.db.session() as s:
        assert s.get(User, caller.user_id).transfer_format is None


def test_base64_login_gets_inline_files(base_url, base64_login, shipment_id, files):
    token = request_token(base_url, *base64_login)
    answer = soapraw.post(base_url + TRANSFER_PATH, soapraw.envelope(_get_shipment_body(shipment_id),
                                                                    soapraw.sct_header(token)))
    assert answer.status == 200 and answer.content_type == "text/xml; charset=utf-8"
    assert not list(answer.tree.iter(q(XOP, "Include")))
    received = {d.findtext(q(ALLG, "Dateiname")): base64.b64decode(d.findtext(q(ALLG, "Daten")))
                for d in answer.tree.iter(q(ALLG, "Datei"))}
    assert received == files
    assert_valid_body(answer.tree)


def test_mtom_request_is_answered_with_mtom_even_for_a_base64_login(base_url, base64_login, shipment_id,
                                                                      files):
    token = request_token(base_url, *base64_login)
    boundary, root = "MIMEBoundary_" + uuid.uuid4().hex, "root.request@client.example"
    body = (f"--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\n"
            "Content-Transfer-Encoding: binary\r\n"
            f"Content-ID: <{root}>\r\n\r\n"
            + soapraw.envelope(_get_shipment_body(shipment_id), soapraw.sct_header(token))
            + f"\r\n--{boundary}--\r\n")
    content_type = (f'multipart/related; type="application/xop+xml"; start="<{root}>"; '
                    f'start-info="text/xml"; boundary="{boundary}"')
    answer = soapraw.post(base_url + TRANSFER_PATH, body, content_type=content_type)
    assert answer.status == 200 and answer.content_type.startswith(MTOM_TYPE)
    mtom = decode_mtom(answer.content_type, answer.body)
    assert sorted(data for _type, data in mtom.parts.values()) == sorted(files.values())
    assert_valid_body(mtom.reconstructed())


def _multipart(envelope: str, boundary: str, *, start: str | None = "root@client.example") -> tuple[str, str]:
    message = (f"--{boundary}\r\nContent-Type: application/xop+xml; type=\"text/xml\"\r\n"
               f"Content-ID: <root@client.example>\r\n\r\n{envelope}\r\n--{boundary}--\r\n")
    start_param = f' start="<{start}>";' if start else ""
    return message, f'multipart/related; type="application/xop+xml";{start_param} boundary={boundary}'


def test_mtom_request_with_a_dangling_include_is_refused(base_url, shipment_id):
    token = request_token(base_url, "demo")
    body = _get_shipment_body(f'<xop:Include xmlns:xop="{XOP}" href="cid:fehlt@client.example"/>')
    message, content_type = _multipart(soapraw.envelope(body, soapraw.sct_header(token)), "b-1")
    answer = soapraw.post(base_url + TRANSFER_PATH, message, content_type=content_type)
    assert answer.is_fault and answer.meldung_ids == ["00931"] and "fehlenden Teil" in answer.body.decode()


@pytest.mark.parametrize("message, content_type", [
    ("--x\r\nContent-Type: text/plain\r\n\r\nhallo\r\n--x--\r\n", "multipart/related; boundary=x"),
    ("no parts at all", 'multipart/related; type="application/xop+xml"; boundary=none-here'),
    _multipart("<kein-envelope/>", "b-2"),
    _multipart("<a/>", "b-3", start="anders@client.example"),
])
def test_broken_mtom_request_is_a_clean_fault(base_url, message, content_type):
    answer = soapraw.post(base_url + TRANSFER_PATH, message, content_type=content_type)
    assert answer.is_fault and answer.meldung_ids == ["00931"]


def test_mtom_logins_keep_mtom_for_zeep_and_prefix_readers(base_url, shipment_id, files):
    token = request_token(base_url, "demo")
    answer = service_client(base_url, TRANSFER_PATH, token).service.getShipment(Request={"ID": shipment_id})
    received = {d.Dateiname: d.Daten._value_1 for d in answer.Lieferung.Transfer[0].Datei}
    assert received == files
    raw = soapraw.post(base_url + TRANSFER_PATH, soapraw.envelope(_get_shipment_body(shipment_id),
                                                                 soapraw.sct_header(token)))
    assert raw.content_type.startswith(MTOM_TYPE)
    for literal in (b"<tran:Lieferung", b"<tran:ID>", b"<allg:Datei>", b"<allg:Daten xmime:contentType=",
                    b'<xop:Include href="cid:'):
        assert literal in raw.body


# -- suds: a client without MTOM support ------------------------------------------------------------

def _suds(url: str, **options) -> SudsClient:
    logging.getLogger("suds").setLevel(logging.ERROR)
    return SudsClient(url, cache=None, timeout=30, **options)


def _suds_token(base_url: str, login: str, password: str) -> str:
    security = Security()
    security.tokens.append(UsernameToken(login, password))
    sts = _suds(f"{base_url}{STS_PATH}?wsdl", wsse=security)
    answer = sts.service.RequestSecurityToken(
        TokenType="http://schemas.xmlsoap.org/ws/2005/02/sc/sct",
        RequestType="http://schemas.xmlsoap.org/ws/2005/02/trust/Issue")
    return str(answer.RequestedSecurityToken.SecurityContextToken.Identifier)


def _sct_header(token: str) -> SudsElement:
    security = SudsElement("Security", ns=("wsse", WSSE))
    context = SudsElement("SecurityContextToken", ns=("wsc", WSC))
    context.append(SudsElement("Identifier", ns=("wsc", WSC)).setText(token))
    return security.append(context)


def test_suds_logs_in_lists_and_downloads_for_a_base64_login(base_url, base64_login, shipment_id, files):
    token = _suds_token(base_url, *base64_login)
    assert token.startswith("bipro:")
    transfer = _suds(f"{base_url}{TRANSFER_PATH}?wsdl", soapheaders=_sct_header(token))
    listed = transfer.service.listShipments()
    assert shipment_id in {str(lieferung.ID) for lieferung in listed.Lieferung}
    answer = transfer.service.getShipment(Request={"ID": shipment_id})
    assert str(answer.Status.Meldung[0].MeldungID) == "04000"
    datei_list = [d for t in answer.Lieferung.Transfer for d in t.Datei]
    assert {str(d.Dateiname) for d in datei_list} == set(files)
    for datei in datei_list:
        data = base64.b64decode(str(datei.Daten.value if hasattr(datei.Daten, "value") else datei.Daten))
        assert data == files[str(datei.Dateiname)]
        checksum, = datei.Pruefsumme if isinstance(datei.Pruefsumme, list) else [datei.Pruefsumme]
        assert str(checksum.Typ) == "SHA1" and str(checksum.Wert) == hashlib.sha1(data).hexdigest()


# -- CLI and portal -----------------------------------------------------------------------------------

def test_cli_sets_the_format(gateway, cli_env_for):
    login, _ = new_user(gateway)
    done = subprocess.run([sys.executable, "-m", "bipro", "user", "transfer-format", login, "base64"],
                          env=cli_env_for(gateway), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Dokumentabruf über BiPRO für {login}: eingebettet (Base64)."
    with gateway.db.session() as s:
        assert s.scalar(select(User.transfer_format).where(User.login == login)) == "base64"
    bad = subprocess.run([sys.executable, "-m", "bipro", "user", "transfer-format", login, "zip"],
                         env=cli_env_for(gateway), capture_output=True, text=True, timeout=120)
    unknown = subprocess.run([sys.executable, "-m", "bipro", "user", "transfer-format", "niemand", "mtom"],
                             env=cli_env_for(gateway), capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and unknown.returncode == 1 and "unbekannt" in unknown.stderr
    with gateway.db.session() as s:
        assert s.scalar(select(User.transfer_format).where(User.login == login)) == "base64"


@pytest.fixture
def cli_env_for():
    def env(gateway):
        values = dict(os.environ)
        values.update(BIPRO_INSTANCE_PATH=str(gateway.settings.instance_path),
                      BIPRO_DATABASE_URL=gateway.settings.database_url, BIPRO_BCRYPT_ROUNDS="4")
        return values

    return env


def test_portal_profile_shows_and_changes_the_format(app, gateway):
    login, password = new_user(gateway)
    client = app.test_client()
    log_in(client, login, password)
    page = client.get("/profil").get_data(as_text=True)
    assert "Dokumentabruf über BiPRO" in page
    assert "MTOM (empfohlen)" in page and "eingebettet (Base64)" in page
    assert _checked(page) == "mtom"
    answer = form_post(client, "/profil", {"transfer_format": "base64"}, follow_redirects=True)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Dokumentabruf über BiPRO: eingebettet (Base64)." in page and _checked(page) == "base64"
    with gateway.db.session() as s:
        user = s.scalar(select(User).where(User.login == login))
        assert user.transfer_format == "base64"
        event = s.scalars(select(AuditEvent).where(AuditEvent.user_id == user.id,
                                                   AuditEvent.event == audit.TRANSFER_FORMAT_CHANGED)).one()
        assert event.channel == "portal"


def test_portal_refuses_an_unknown_format(app, gateway):
    login, password = new_user(gateway)
    client = app.test_client()
    log_in(client, login, password)
    answer = form_post(client, "/profil", {"transfer_format": "zip"})
    assert answer.status_code == 400
    assert "Bitte wählen Sie MTOM oder eingebettet (Base64)." in answer.get_data(as_text=True)
    with gateway.db.session() as s:
        assert s.scalar(select(User.transfer_format).where(User.login == login)) is None


def _checked(page: str) -> str | None:
    """The value of the checked transfer_format radio button."""
    tree = etree.HTML(page)
    checked = tree.xpath('//input[@name="transfer_format"][@checked]/@value')
    return checked[0] if len(checked) == 1 else None

"""BiPRO-Zugänge: technical logins that work only at the STS, within their scope."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from zeep.exceptions import Fault

from bipro.core.errors import NotFound
from bipro.core.identity import bipro_access
from bipro.core.identity.accounts import change_password
from bipro.soap.namespaces import NAC, q
from portal import create_app
from store.models import AuditEvent, Customer, User
from tests.support.bipro_client import request_token, service_client
from tests.support.callers import caller_of
from tests.support.portal import form_post, log_in, new_user

TRANSFER = "/bipro/430_Transfer/Service_2.6.1.1.0"
PARTNER = "/bipro/501_Partner/Service_2.6.1.1.0"
DEMO_BROKER = "100100"


@pytest.fixture(scope="module")
def app(gateway):
    return create_app(gateway, {"TESTING": True})


def new_access(gateway, owner: str, scope: str = "bestand", name: str = "MVP Büro") -> tuple[str, str]:
    with gateway.db.session() as session:
        return bipro_access.create_access(session, gateway.identity_policy, caller_of(gateway, owner), name, scope)


def accesses(gateway, owner: str):
    with gateway.db.session() as session:
        return bipro_access.list_accesses(session, caller_of(gateway, owner))


def access_id(gateway, login: str) -> int:
    with gateway.db.session() as session:
        return session.scalar(select(User.id).where(User.login == login))


def meldung_ids(fault: Fault) -> list[str]:
    return [e.text for e in fault.detail.iter(q(NAC, "MeldungID"))]


def refused(call) -> list[str]:
    with pytest.raises(Fault) as caught:
        call()
    return meldung_ids(caught.value)


def test_broker_creates_an_access_shown_once(app, gateway):
    owner, password = new_user(gateway)
    client = app.test_client()
    assert log_in(client, owner, password).status_code == 302
    page = client.get("/bipro-zugaenge").get_data(as_text=True)
    assert "BiPRO-Zugang anlegen" in page and "noch keinen BiPRO-Zugang" in page
    answer = form_post(client, "/bipro-zugaenge", {"name": "Maklerverwaltungsprogramm Büro",
                                                    "scope": "transfer"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    login = re.search(r'id="zugang-login">([^<]+)<', html).group(1)
    secret = re.search(r'id="zugang-passwort">([^<]+)<', html).group(1)
    assert login == f"{owner}-bipro1" and len(secret) >= 20
    assert answer.headers["Cache-Control"] == "no-store"
    later = client.get("/bipro-zugaenge").get_data(as_text=True)
    assert login in later and "Maklerverwaltungsprogramm Büro" in later and secret not in later
    assert "noch nie" in later
    bad = form_post(client, "/bipro-zugaenge", {"name": "", "scope": "alles"})
    assert bad.status_code == 400 and "Bitte wählen Sie den Umfang" in bad.get_data(as_text=True)
    # The second access gets the next number.
    assert new_access(gateway, owner)[0] == f"{owner}-bipro2"


def test_access_gets_a_token_and_lists_the_brokers_shipments(base_url, gateway):
    owner, _password = new_user(gateway)
    login, secret = new_access(gateway, owner, "bestand")
    token = request_token(base_url, login, secret)
    mine = service_client(base_url, TRANSFER, token).service.listShipments(Request={})
    demo = service_client(base_url, TRANSFER, request_token(base_url, "demo")).service.listShipments(Request={})
    assert mine.Lieferung and {s.ID for s in mine.Lieferung} == {s.ID for s in demo.Lieferung}
    with gateway.db.session() as session:
        access = session.scalar(select(User).where(User.login == login))
        assert access.last_token_at is not None
        issued = session.scalars(select(AuditEvent.login).where(AuditEvent.event == "token_issued",
                                                                AuditEvent.user_id == access.id)).all()
        assert issued == [login]
    listed = accesses(gateway, owner)
    assert [a.login for a in listed] == [login] and listed[0].last_token_at is not None


def test_access_limited_to_transfer_gets_00920_on_partner(base_url, gateway):
    owner, _password = new_user(gateway)
    login, secret = new_access(gateway, owner, "transfer")
    token = request_token(base_url, login, secret)
    with gateway.db.session() as session:
        partner_number = session.scalar(select(Customer.partner_number).where(Customer.broker_id == 1).limit(1))
    partner = service_client(base_url, PARTNER, token)
    assert refused(lambda: partner.service.getData(Request={"Partnernummer": partner_number})) == ["00920"]
    assert service_client(base_url, TRANSFER, token).service.listShipments(Request={}).Lieferung
    # "Bestand" may read the partner.
    wide = request_token(base_url, *new_access(gateway, owner, "bestand"))
    answer = service_client(base_url, PARTNER, wide).service.getData(Request={"Partnernummer": partner_number})
    assert answer.Partner.Partnernummer == partner_number


def test_revoked_access_gets_00961_and_its_token_00962(base_url, gateway):
    owner, _password = new_user(gateway)
    login, secret = new_access(gateway, owner)
    token = request_token(base_url, login, secret)
    with gateway.db.session() as session:
        bipro_access.revoke_access(session, caller_of(gateway, owner), access_id(gateway, login))
    assert refused(lambda: request_token(base_url, login, secret)) == ["00961"]
    transfer = service_client(base_url, TRANSFER, token)
    assert refused(lambda: transfer.service.listShipments(Request={})) == ["00962"]
    assert accesses(gateway, owner) == []


def test_renewed_password_replaces_the_old_one_and_ends_its_tokens(base_url, gateway):
    owner, _password = new_user(gateway)
    login, old = new_access(gateway, owner)
    token = request_token(base_url, login, old)
    with gateway.db.session() as session:
        same, new = bipro_access.renew_password(session, gateway.identity_policy, caller_of(gateway, owner),
                                                access_id(gateway, login))
    assert same == login and new != old
    assert refused(lambda: request_token(base_url, login, old)) == ["00961"]
    assert refused(lambda: service_client(base_url, TRANSFER, token).service.listShipments(Request={})) == ["00962"]
    assert request_token(base_url, login, new)


def test_access_cannot_log_into_the_portal(app, gateway):
    owner, _password = new_user(gateway)
    login, secret = new_access(gateway, owner)
    client = app.test_client()
    answer = log_in(client, login, secret)
    assert answer.status_code == 200
    assert "Login-Name oder Passwort ist falsch" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_owner_password_change_keeps_accesses(base_url, gateway):
    owner, password = new_user(gateway)
    login, secret = new_access(gateway, owner)
    token = request_token(base_url, login, secret)
    with gateway.db.session() as session:
        change_password(session, gateway.identity_policy, caller_of(gateway, owner), password,
                        "ein-ganz-neues-Passwort-1")
    transfer = service_client(base_url, TRANSFER, token)
    assert transfer.service.listShipments(Request={}).Status.StatusID == "OK"
    assert request_token(base_url, login, secret)


def test_other_broker_cannot_touch_an_access(gateway):
    owner, _password = new_user(gateway)
    login, _secret = new_access(gateway, owner)
    stranger = caller_of(gateway, "demo2")
    with gateway.db.session() as session:
        with pytest.raises(NotFound):
            bipro_access.revoke_access(session, stranger, access_id(gateway, login))
        with pytest.raises(NotFound):
            bipro_access.renew_password(session, gateway.identity_policy, stranger, access_id(gateway, login))
        # Not even the owner's colleague of the same broker.
        colleague = caller_of(gateway, new_user(gateway)[0])
        with pytest.raises(NotFound):
            bipro_access.revoke_access(session, colleague, access_id(gateway, login))


def test_bipro_only_closes_the_sts_for_the_personal_login(app, base_url, gateway):
    owner, password = new_user(gateway)
    login, secret = new_access(gateway, owner)
    own_token = request_token(base_url, owner, password)
    client = app.test_client()
    assert log_in(client, owner, password).status_code == 302
    form_post(client, "/bipro-zugaenge/nur-zugaenge", {"bipro_only": "1"}, form_page="/bipro-zugaenge")
    assert "Eingeschaltet" in client.get("/bipro-zugaenge").get_data(as_text=True)
    assert refused(lambda: request_token(base_url, owner, password)) == ["00961"]
    assert refused(lambda: service_client(base_url, TRANSFER, own_token).service.listShipments(Request={})) \
        == ["00962"]
    assert request_token(base_url, login, secret)
    assert client.get("/").status_code == 200  # the portal stays open
    with gateway.db.session() as session:
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.event == "sts_closed",
                                                          AuditEvent.login == owner))


def test_lockout_counts_accesses_apart(app, base_url, gateway):
    owner, password = new_user(gateway)
    login, secret = new_access(gateway, owner)
    threshold = gateway.settings.lockout_threshold
    # A stranger locks the broker's own login ...
    codes = [refused(lambda: request_token(base_url, owner, "falsch"))[0] for _ in range(threshold)]
    assert codes[-1] == "00965"
    # ... and keeps guessing the access's name at the portal, where it never works.
    for _ in range(threshold + 1):
        log_in(app.test_client(), login, "falsch")
    assert request_token(base_url, login, secret)
    # Guesses on the access at the STS lock only the access.
    other, other_secret = new_access(gateway, owner)
    for _ in range(threshold):
        refused(lambda: request_token(base_url, other, "falsch"))
    assert refused(lambda: request_token(base_url, other, other_secret)) == ["00964"]
    assert request_token(base_url, login, secret)

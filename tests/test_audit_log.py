"""The audit log: every security event is written by the core, and the Protokoll page shows
a broker their own events only, newest first, in German."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import delete, select

from bipro.core.caller import SystemCaller
from bipro.core.identity import audit, auth, password_reset
from bipro.core.identity.audit_pages import LABELS, NOTHING_REVOKED
from store.models import AuditEvent
from tests.support import isolation, soapraw
from tests.support.bipro_client import request_token
from tests.support.callers import STAFF
from tests.support.portal import form_post, log_in, log_out, new_user
from tests.support.soapraw import sts_login

TRANSFER = "/bipro/430_Transfer/Service_2.6.1.1.0"
NEW_PASSWORD = "Ganz-Neues-Passwort-7"


def events_of(gateway, login: str) -> list[str]:
    with gateway.db.session() as session:
        return list(session.scalars(select(AuditEvent.event).where(AuditEvent.login == login)
                                    .order_by(AuditEvent.id)))


def test_every_security_event_is_recorded(app, gateway, base_url):
    login, password = new_user(gateway, "100200", "protokoll@makler.example")
    assert sts_login(base_url, login, "falsch").meldung_ids == ["00961"]
    token = request_token(base_url, login, password)
    with gateway.db.session() as session:
        shipment = isolation.ids_of(session, 2)["shipment"]
    from bipro.soap.namespaces import TRAN

    body = (f'<t:acknowledgeShipment xmlns:t="{TRAN}"><t:Request><t:ID>{shipment}</t:ID></t:Request>'
            '</t:acknowledgeShipment>')
    assert soapraw.post(base_url + TRANSFER, soapraw.envelope(body, soapraw.sct_header(token))).status == 200
    client = app.test_client()
    log_in(client, login, password)
    assert form_post(client, "/passwort-aendern", {"old_password": password, "new_password": NEW_PASSWORD,
                                                   "repeat_password": NEW_PASSWORD}).status_code in (200, 302)
    log_out(client)
    form_post(client, "/passwort-vergessen", {"login": login})
    with gateway.db.session() as session:
        link = password_reset.request_reset(session, gateway.identity_policy, login).token
    form_post(client, f"/passwort-zuruecksetzen/{link}",
              {"new_password": NEW_PASSWORD + "x", "repeat_password": NEW_PASSWORD + "x"})
    for _ in range(gateway.settings.lockout_threshold):
        sts_login(base_url, login, "falsch")
    assert sts_login(base_url, login, NEW_PASSWORD + "x").meldung_ids == ["00964"]
    with gateway.db.session() as session:
        auth.unlock(session, login, by=STAFF)
    recorded = events_of(gateway, login)
    expected = [audit.USER_CREATED, audit.LOGIN_FAILED, audit.LOGIN, audit.TOKEN_ISSUED,
                audit.SHIPMENT_ACKNOWLEDGED, audit.LOGIN, audit.TOKENS_REVOKED, audit.PASSWORD_CHANGED,
                audit.LOGOUT, audit.PASSWORD_RESET_REQUESTED, audit.PASSWORD_RESET_REQUESTED,
                audit.TOKENS_REVOKED, audit.PASSWORD_RESET]
    assert recorded[:len(expected)] == expected
    rest = recorded[len(expected):]
    assert rest.count(audit.LOGIN_FAILED) == gateway.settings.lockout_threshold
    assert rest[-3:] == [audit.LOCKED_OUT, audit.LOGIN_WHILE_LOCKED, audit.UNLOCKED]
    with gateway.db.session() as session:
        channels = set(session.execute(select(AuditEvent.event, AuditEvent.channel)
                                       .where(AuditEvent.login == login)))
    assert (audit.TOKEN_ISSUED, "bipro") in channels and (audit.LOGOUT, "portal") in channels
    assert (audit.SHIPMENT_ACKNOWLEDGED, "bipro") in channels


def test_every_event_has_a_german_label():
    names = {value for name, value in vars(audit).items() if name.isupper() and isinstance(value, str)}
    assert names <= LABELS.keys()


# --- the Protokoll page ------------------------------------------------------------

MARK = dt.datetime(2099, 1, 1, 10, 0, 0)  # in the future, so these rows come first


@pytest.fixture
def marked_rows(gateway):
    rows = [AuditEvent(at=MARK, event=audit.LOGIN, login="demo", broker_id=1, user_id=1, channel="portal",
                       remote_addr="198.51.100.10"),
            AuditEvent(at=MARK + dt.timedelta(hours=1), event=audit.SHIPMENT_ACKNOWLEDGED, login="demo",
                       broker_id=1, user_id=1, channel="bipro", remote_addr="198.51.100.11",
                       detail="Lieferung LTEST"),
            AuditEvent(at=MARK + dt.timedelta(hours=2), event=audit.LOGIN, login="demo2", broker_id=2,
                       user_id=2, channel="portal", remote_addr="203.0.113.99")]
    with gateway.db.session() as session:
        session.add_all(rows)
    yield
    with gateway.db.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.at >= MARK))


def cells(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_protokoll_shows_the_own_events_newest_first_in_german(app, marked_rows):
    client = app.test_client()
    log_in(client)
    page = client.get("/protokoll").get_data(as_text=True)
    rows = cells(page)
    assert rows[0] == ["01.01.2099 12:00:00", "Lieferung quittiert", "demo", "BiPRO", "198.51.100.11",
                       "Lieferung LTEST"]
    assert rows[1] == ["01.01.2099 11:00:00", "Anmeldung", "demo", "Extranet", "198.51.100.10", ""]
    assert "Protokoll" in page.split('<details class="usermenu">', 1)[1].split("</details>", 1)[0]


def test_protokoll_never_shows_another_brokers_events(app, gateway, marked_rows):
    client = app.test_client()
    log_in(client)
    first = client.get("/protokoll").get_data(as_text=True)
    pages = int(re.search(r"Seite 1 von (\d+)", first).group(1))
    seen = []
    for number in range(1, pages + 1):
        seen += cells(client.get(f"/protokoll?seite={number}").get_data(as_text=True))
    with gateway.db.session() as session:
        own = session.scalar(select(AuditEvent.id).where(AuditEvent.broker_id == 1).order_by(AuditEvent.id.desc()))
        total = len(session.scalars(select(AuditEvent.id).where(
            AuditEvent.broker_id == 1, ~NOTHING_REVOKED)).all())
    assert own and len(seen) == total
    assert all(row[2] != "demo2" and "203.0.113.99" not in row for row in seen)
    other = app.test_client()
    log_in(other, "demo2")
    assert "203.0.113.99" in other.get("/protokoll").get_data(as_text=True)
    assert "198.51.100.11" not in other.get("/protokoll").get_data(as_text=True)


def test_protokoll_paging_tolerates_odd_page_numbers(app, marked_rows):
    client = app.test_client()
    log_in(client)
    for query in ("seite=abc", "seite=-3", "seite=0"):
        assert "01.01.2099 12:00:00" in client.get(f"/protokoll?{query}").get_data(as_text=True), query
    last = client.get("/protokoll?seite=99999")
    assert last.status_code == 200 and "01.01.2099 12:00:00" not in last.get_data(as_text=True) \
        or "Seite 1 von 1" in last.get_data(as_text=True)


def test_protokoll_needs_a_login(app):
    answer = app.test_client().get("/protokoll")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")


def test_protokoll_leaves_out_revocations_that_found_no_token(app, gateway, marked_rows):
    with gateway.db.session() as session:
        session.add_all([
            AuditEvent(at=MARK + dt.timedelta(hours=3), event=audit.TOKENS_REVOKED, login="demo",
                       broker_id=1, user_id=1, channel="portal", detail="0 Token: Passwort geändert"),
            AuditEvent(at=MARK + dt.timedelta(hours=4), event=audit.TOKENS_REVOKED, login="demo",
                       broker_id=1, user_id=1, channel="portal", detail="2 Token: Passwort geändert")])
    client = app.test_client()
    log_in(client)
    page = client.get("/protokoll").get_data(as_text=True)
    assert "2 Token: Passwort geändert" in page
    assert "0 Token" not in page
    assert cells(page)[1][0] == "01.01.2099 12:00:00"  # the no-op row does not take a place


def test_staff_work_is_audited_as_the_system_not_as_a_broker(app, gateway, caplog):
    """The broker sees "Verwaltung"; only the operations log names who at the insurer it was."""
    login, password = new_user(gateway, "100200", "verwaltung@makler.example")
    operator = SystemCaller("sachbearbeiterin.kunz")
    with caplog.at_level("INFO", logger="bipro.audit"), gateway.db.session() as session:
        auth.unlock(session, login, by=operator)
        session.commit()
        row = session.scalars(select(AuditEvent).where(AuditEvent.login == login)
                              .order_by(AuditEvent.id.desc())).first()
    assert (row.event, row.channel, row.remote_addr) == (audit.UNLOCKED, "cli", "")
    assert any("operator=sachbearbeiterin.kunz" in r.getMessage() for r in caplog.records)
    client = app.test_client()
    log_in(client, login, password)
    page = client.get("/protokoll").get_data(as_text=True)
    assert "Verwaltung" in page and "sachbearbeiterin" not in page

"""Helpers for the concurrency and crash tests: many shipments, raw Transfer calls, the
portal's password change over plain HTTP, and the consistency checks afterwards."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import requests
from sqlalchemy import func, select

from bipro.core.identity import audit
from bipro.core.identity.passwords import verify_password
from bipro.core.shipments import NewFile, publish_shipment
from bipro.soap.namespaces import TRAN
from store.models import AuditEvent, Customer, CustomerChange, Shipment, User
from tests.support.callers import STAFF
from tests.support.portal import csrf_token
from tests.support.soapraw import envelope, sct_header

TRANSFER = "/bipro/430_Transfer/Service_2.6.1.1.0"
DETAIL = re.compile(r"Lieferung (L[0-9A-F]+)")


def publish_many(gateway, broker_id: int, count: int, folder: Path) -> list[str]:
    """*count* fresh shipments of one small PDF each, through the core's publish."""
    pdf = folder / "anschreiben.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% Testdokument\n%%EOF\n")
    ids = []
    with gateway.db.session() as session:
        for _ in range(count):
            ids.append(publish_shipment(session, broker_id, "100001000", [NewFile(pdf)],
                                        available_days=30, by=STAFF).public_id)
    return ids


def transfer_call(http: requests.Session, base_url: str, token: str, operation: str, shipment_id: str,
                  timeout: float = 30) -> requests.Response:
    body = (f'<t:{operation} xmlns:t="{TRAN}"><t:Request><t:ID>{shipment_id}</t:ID></t:Request>'
            f"</t:{operation}>")
    return http.post(base_url + TRANSFER, data=envelope(body, sct_header(token)).encode("utf-8"),
                     headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}, timeout=timeout)


def change_password_in_portal(base_url: str, login: str, old: str, new: str, timeout: float = 30) -> bool:
    """Log in and change the password through the portal's forms; True when it was accepted."""
    http = requests.Session()
    page = http.get(base_url + "/login", timeout=timeout).text
    http.post(base_url + "/login", data={"csrf_token": csrf_token(page), "login": login, "password": old},
              allow_redirects=False, timeout=timeout)
    page = http.get(base_url + "/passwort-aendern", timeout=timeout).text
    answer = http.post(base_url + "/passwort-aendern", allow_redirects=False, timeout=timeout, data={
        "csrf_token": csrf_token(page), "old_password": old, "new_password": new, "repeat_password": new})
    return answer.status_code == 302


def acknowledgement_problems(gateway, shipment_ids: list[str], answered: set[str] = frozenset()) -> list[str]:
    """Every shipment acknowledged once with one audit row, or not at all; answered ones stored."""
    with gateway.db.session() as session:
        stamps = dict(session.execute(select(Shipment.public_id, Shipment.acknowledged_at)
                                      .where(Shipment.public_id.in_(shipment_ids))).all())
        details = session.scalars(select(AuditEvent.detail)
                                  .where(AuditEvent.event == audit.SHIPMENT_ACKNOWLEDGED)).all()
    audits = Counter(m.group(1) for m in map(DETAIL.search, details) if m)
    problems = []
    for shipment_id in shipment_ids:
        stamped, rows = stamps[shipment_id] is not None, audits.get(shipment_id, 0)
        if (stamped, rows) not in ((True, 1), (False, 0)):
            problems.append(f"{shipment_id}: acknowledged={stamped}, audit rows={rows}")
        if shipment_id in answered and not stamped:
            problems.append(f"{shipment_id}: acknowledgement answered OK but not stored")
    return problems


def password_problems(gateway, users: dict[str, tuple[str, str]], answered: set[str] = frozenset()) -> list[str]:
    """Each user has the old password and no change recorded, or the new one with one of each row."""
    problems = []
    with gateway.db.session() as session:
        for login, (old, new) in users.items():
            stored = session.scalar(select(User.password_hash).where(User.login == login))
            counts = dict(session.execute(select(AuditEvent.event, func.count()).where(
                AuditEvent.login == login, AuditEvent.event.in_([audit.PASSWORD_CHANGED, audit.TOKENS_REVOKED]))
                .group_by(AuditEvent.event)).all())
            changed = counts.get(audit.PASSWORD_CHANGED, 0)
            if verify_password(new, stored):
                ok = changed == 1 and counts.get(audit.TOKENS_REVOKED, 0) == 1
            else:
                ok = verify_password(old, stored) and changed == 0 and login not in answered
            if not ok:
                problems.append(f"{login}: half-written password change {counts}")
    return problems


def portal_session(base_url: str, login: str, password: str, timeout: float = 30) -> requests.Session:
    """A logged-in portal client over plain HTTP."""
    http = requests.Session()
    page = http.get(base_url + "/login", timeout=timeout).text
    http.post(base_url + "/login", data={"csrf_token": csrf_token(page), "login": login, "password": password},
              allow_redirects=False, timeout=timeout)
    return http


def edit_street_in_portal(http: requests.Session, base_url: str, partner_number: str, street: str,
                          timeout: float = 30) -> bool:
    """Change one customer's street through the edit form; True when the save was accepted."""
    url = f"{base_url}/kunden/{partner_number}/bearbeiten"
    page = http.get(url, timeout=timeout).text
    fields = {name: value for name, value in re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', page)}
    fields.update(street=street, csrf_token=csrf_token(page))
    answer = http.post(url, data=fields, allow_redirects=False, timeout=timeout)
    return answer.status_code == 302


def customer_edit_problems(gateway, edits: dict[str, tuple[str, str]], answered: set[str] = frozenset()) -> list[str]:
    """Each customer has the old street and no trace of a change, or the new one with exactly
    one change row, one audit row, version + 1 and a search text that knows the new street."""
    problems = []
    with gateway.db.session() as session:
        for number, (old, new) in edits.items():
            customer = session.scalar(select(Customer).where(Customer.partner_number == number))
            changes = session.scalar(select(func.count()).select_from(CustomerChange)
                                     .where(CustomerChange.customer_id == customer.id))
            audits = session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.event == audit.CUSTOMER_CHANGED, AuditEvent.detail.contains(f"Kunde {number}:")))
            if customer.street == new:
                ok = (changes, audits, customer.version) == (1, 1, 2) and new.lower() in customer.search_text
            else:
                ok = (customer.street, changes, audits, customer.version) == (old, 0, 0, 1) \
                    and number not in answered
            if not ok:
                problems.append(f"{number}: street={customer.street!r} changes={changes} audits={audits} "
                                f"version={customer.version}")
    return problems

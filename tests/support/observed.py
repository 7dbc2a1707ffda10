"""A known sequence of calls against a served gateway, and what /metrics must say after it.

Logins through both doors (wrong, right, locked), faults, a shipment list
and download, a portal list page, a document from the Posteingang and a
password change that ends the BiPRO token. The gateway must run with
``BIPRO_LOCKOUT_THRESHOLD=2`` on a fresh demo database.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import requests
from lxml import etree
from prometheus_client.parser import text_string_to_metric_families

from bipro.soap.namespaces import TRAN
from tests.support import soapraw
from tests.support.portal import csrf_token
from tests.support.soapraw import sts_login
from tests.support.transfer import decode_mtom

TRANSFER = "/bipro/430_Transfer/Service_2.6.1.1.0"
STS = "410_STS"
DOCUMENT_LINK = re.compile(r'href="/posteingang/(\d+)"')
NEW_PASSWORD = "Neues-Geheim-4711"


@dataclass
class Sequence:
    """What the sequence did, as the metrics must count it."""

    soap_document_bytes: int = 0
    soap_documents: int = 0
    portal_document_bytes: int = 0
    request_ids: list[str] = field(default_factory=list)
    prozess_ids: list[tuple[str, str]] = field(default_factory=list)  # (request id, ProzessID)

    def expected(self) -> dict[tuple, float]:
        return {
            ("bipro_logins_total", (("door", "soap"), ("outcome", "failed"))): 3,
            ("bipro_logins_total", (("door", "soap"), ("outcome", "locked"))): 1,
            ("bipro_logins_total", (("door", "soap"), ("outcome", "ok"))): 1,
            ("bipro_logins_total", (("door", "portal"), ("outcome", "ok"))): 1,
            ("bipro_lockouts_total", (("door", "soap"),)): 1,
            ("bipro_tokens_issued_total", ()): 1,
            ("bipro_tokens_revoked_total", ()): 1,
            ("bipro_faults_total", (("meldung", "00961"), ("service", STS))): 2,
            ("bipro_faults_total", (("meldung", "00965"), ("service", STS))): 1,
            ("bipro_faults_total", (("meldung", "00964"), ("service", STS))): 1,
            ("bipro_faults_total", (("meldung", "04003"), ("service", "430_Transfer"))): 1,
            ("bipro_faults_total", (("meldung", "00962"), ("service", "430_Transfer"))): 1,
            ("bipro_requests_total", (("door", "soap"), ("operation", "RequestSecurityToken"),
                                      ("service", STS), ("status", "500"))): 4,
            ("bipro_requests_total", (("door", "soap"), ("operation", "RequestSecurityToken"),
                                      ("service", STS), ("status", "200"))): 1,
            ("bipro_requests_total", (("door", "soap"), ("operation", "listShipments"),
                                      ("service", "430_Transfer"), ("status", "200"))): 1,
            ("bipro_requests_total", (("door", "soap"), ("operation", "listShipments"),
                                      ("service", "430_Transfer"), ("status", "500"))): 1,
            ("bipro_requests_total", (("door", "soap"), ("operation", "getShipment"),
                                      ("service", "430_Transfer"), ("status", "200"))): 1,
            ("bipro_requests_total", (("door", "soap"), ("operation", "getShipment"),
                                      ("service", "430_Transfer"), ("status", "500"))): 1,
            ("bipro_requests_total", (("door", "portal"), ("operation", "customers.index"),
                                      ("service", "customers"), ("status", "200"))): 1,
            ("bipro_request_duration_seconds_count", (("door", "soap"), ("operation", "getShipment"),
                                                      ("service", "430_Transfer"))): 2,
            ("bipro_documents_delivered_total", (("door", "soap"),)): self.soap_documents,
            ("bipro_document_bytes_delivered_total", (("door", "soap"),)): self.soap_document_bytes,
            ("bipro_documents_delivered_total", (("door", "portal"),)): 1,
            ("bipro_document_bytes_delivered_total", (("door", "portal"),)): self.portal_document_bytes,
            ("bipro_portal_list_query_seconds_count", (("list", "customers"), ("plan", "sorted"))): 1,
        }


def _shipment_body(operation: str, shipment_id: str = "") -> str:
    inner = f"<tran:ID>{shipment_id}</tran:ID>" if shipment_id else ""
    return f'<tran:{operation} xmlns:tran="{TRAN}"><tran:Request>{inner}</tran:Request></tran:{operation}>'


def _soap(base_url: str, body: str, token: str) -> requests.Response:
    data = soapraw.envelope(body, soapraw.sct_header(token)).encode("utf-8")
    return requests.post(base_url + TRANSFER, data=data, timeout=30,
                         headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})


def _prozess_id(body: bytes) -> str:
    return etree.fromstring(body).findtext(".//{*}Status/{*}ProzessID")


def run_sequence(base_url: str) -> Sequence:
    done = Sequence()
    # STS: a wrong password, the right one; demo2 locked out and tried once more.
    assert sts_login(base_url, "demo", "falsch").meldung_ids == ["00961"]
    answer = sts_login(base_url, "demo", "demo-passwort")
    assert answer.status == 200
    token = answer.tree.findtext(".//{*}Identifier")
    assert sts_login(base_url, "demo2", "falsch").meldung_ids == ["00961"]
    assert sts_login(base_url, "demo2", "falsch").meldung_ids == ["00965"]
    assert sts_login(base_url, "demo2", "demo-passwort").meldung_ids == ["00964"]
    # Transfer: the list, one shipment with its files, a shipment that does not exist.
    listed = _soap(base_url, _shipment_body("listShipments"), token)
    assert listed.status_code == 200
    done.prozess_ids.append((listed.headers["X-Request-ID"], _prozess_id(listed.content)))
    shipment_id = etree.fromstring(listed.content).findtext(".//{*}Lieferung/{*}ID")
    fetched = _soap(base_url, _shipment_body("getShipment", shipment_id), token)
    assert fetched.status_code == 200
    parts = decode_mtom(fetched.headers["Content-Type"], fetched.content).parts
    done.soap_documents = len(parts)
    done.soap_document_bytes = sum(len(data) for _type, data in parts.values())
    assert done.soap_documents >= 1
    missing = _soap(base_url, _shipment_body("getShipment", "gibt-es-nicht"), token)
    assert missing.status_code == 500
    done.prozess_ids.append((missing.headers["X-Request-ID"], _prozess_id(missing.content)))
    # Portal: login, the customer list, a document, a password change (ends the token).
    http = requests.Session()
    page = http.get(base_url + "/login", timeout=30).text
    assert http.post(base_url + "/login", data={"csrf_token": csrf_token(page), "login": "demo",
                                                "password": "demo-passwort"},
                     allow_redirects=False, timeout=30).status_code == 302
    dashboard = http.get(base_url + "/", timeout=30).text
    assert http.get(base_url + "/kunden", timeout=30).status_code == 200
    document_id = DOCUMENT_LINK.search(dashboard).group(1)
    document = http.get(f"{base_url}/posteingang/{document_id}", timeout=30)
    assert document.status_code == 200
    done.portal_document_bytes = len(document.content)
    form = http.get(base_url + "/passwort-aendern", timeout=30).text
    changed = http.post(base_url + "/passwort-aendern", timeout=30, allow_redirects=False, data={
        "csrf_token": csrf_token(form), "old_password": "demo-passwort",
        "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})
    assert changed.status_code == 302
    assert _soap(base_url, _shipment_body("listShipments"), token).status_code == 500  # token ended
    return done


def scrape(base_url: str, token: str = "") -> dict[tuple, float]:
    """Every sample of /metrics by (name, sorted labels)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = requests.get(base_url + "/metrics", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def assert_counts(base_url: str, expected: dict[tuple, float], token: str = "",
                  timeout: float = 5) -> None:
    """The scrape shows exactly *expected*; retried briefly, because a request is
    counted when the server closes it, just after its last byte reached the client."""
    deadline = time.monotonic() + timeout
    while True:
        samples = scrape(base_url, token)
        wrong = {key: (samples.get(key), value) for key, value in expected.items()
                 if samples.get(key) != value}
        if not wrong:
            return
        assert time.monotonic() < deadline, f"(found, expected): {wrong}"
        time.sleep(0.1)

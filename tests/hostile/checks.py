"""Send a corpus case over HTTP and judge the answer, the database and the traps."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from lxml import etree

from bipro.core.identity import lockout
from bipro.soap.namespaces import NAC, SOAPENV
from tests.hostile import snapshot
from tests.hostile.case import Case
from tests.hostile.traps import Traps
from tests.support.schemas import assert_valid

# The bound for every answer, as the HTTP client's timeout: generous, not a benchmark.
# A parser that hangs or goes quadratic takes minutes; an answer on a busy
# 2-core machine (300,000 elements parsed while other tests run) can take 1.5 s.
TIMEOUT = 3.0
NS = {"soapenv": SOAPENV, "nac": NAC}
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes


def send(base_url: str, case: Case, *, timeout: float = TIMEOUT) -> Answer:
    headers = {"SOAPAction": '""', **case.headers}
    if case.content_type:
        headers["Content-Type"] = case.content_type
    data = case.body() if callable(case.body) else case.body
    url = base_url + (case.path or "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0")
    response = requests.request(case.method, url, data=data, headers=headers, timeout=timeout)
    return Answer(response.status_code, response.headers.get("Content-Type", ""), response.content)


def problems_with_answer(case: Case, answer: Answer) -> list[str]:
    """What is wrong with the answer to *case* (empty when it is right)."""
    found = []
    if b"Traceback" in answer.body or b"<html" in answer.body.lower():
        found.append("stack trace or HTML in the answer")
    if case.status is not None:
        if answer.status != case.status:
            found.append(f"HTTP {answer.status}, expected {case.status}")
        return found
    if not answer.content_type.startswith("text/xml"):
        return found + [f"Content-Type {answer.content_type!r}, status {answer.status}"]
    try:
        tree = etree.fromstring(answer.body, _SAFE)
    except etree.XMLSyntaxError as exc:
        return found + [f"answer is not XML: {exc}"]
    fault = tree.find("soapenv:Body/soapenv:Fault", NS)
    if fault is None:
        if case.answer_ok and answer.status == 200 and tree.find(".//nac:Status/nac:StatusID", NS) is not None:
            return found
        return found + [f"no SOAP Fault (HTTP {answer.status}): {answer.body[:300]!r}"]
    if answer.status != 500:
        found.append(f"fault with HTTP {answer.status}")
    exception = fault.find("detail/nac:BiproException", NS)
    if exception is None or fault.findtext("faultcode") is None or fault.findtext("faultstring") is None:
        return found + [f"fault without faultcode/faultstring/BiproException: {answer.body[:300]!r}"]
    try:
        assert_valid(exception, "nachrichten.xsd")
    except AssertionError as exc:
        found.append(str(exc))
    codes = [e.text for e in exception.iterfind(".//nac:Meldung/nac:MeldungID", NS)]
    if not codes:
        found.append("BiproException without Meldung")
    elif case.codes and not set(codes) & case.codes:
        found.append(f"Meldungen {codes}, expected one of {sorted(case.codes)}")
    if case.faultcode and fault.findtext("faultcode") != case.faultcode:
        found.append(f"faultcode {fault.findtext('faultcode')}, expected {case.faultcode}")
    return found


def problems_with_database(db, case: Case, before: snapshot.Snapshot) -> list[str]:
    """Nothing changed, except the one ``login_failed`` row a case reaching the login may leave."""
    after = snapshot.take(db)
    changed = before.changed_tables(after)
    if case.login is None:
        return [f"database changed: {changed}"] if changed else []
    found = [f"database changed: {[t for t in changed if t != 'audit_events']}"] \
        if set(changed) - {"audit_events"} else []
    rows = snapshot.audit_rows_after(db, before.last_audit_id)
    if [(r.event, r.login) for r in rows] != [("login_failed", case.login[:60])]:
        found.append(f"audit rows {[(r.event, r.login) for r in rows]}, expected one login_failed "
                     f"for {case.login[:60]!r}")
    return found


def problems_with_traps(traps: Traps, answer: Answer | None) -> list[str]:
    found = []
    if traps.fifo_opened():
        found.append("the FIFO was opened for reading")
    if traps.accepted_connections():
        found.append("an outbound connection reached the listener")
    if answer is not None and traps.leaked(answer.body):
        found.append("the secret marker came back in the answer")
    return found


def health_problems(base_url: str) -> list[str]:
    try:
        response = requests.get(base_url + "/health", timeout=TIMEOUT)
    except requests.RequestException as exc:
        return [f"health check failed: {exc}"]
    if response.status_code != 200 or response.json().get("status") != "ok":
        return [f"health check answered {response.status_code} {response.text[:100]}"]
    return []


def run_case(base_url: str, db, traps: Traps, case: Case) -> list[str]:
    """Every problem of one case: the answer, the database, the traps, the health afterwards."""
    before = snapshot.take(db)
    try:
        answer = send(base_url, case)
    except requests.RequestException as exc:
        answer, found = None, [f"no answer within {TIMEOUT}s: {type(exc).__name__}: {exc}"]
    else:
        found = problems_with_answer(case, answer)
    found += problems_with_traps(traps, answer)
    found += problems_with_database(db, case, before)
    found += health_problems(base_url)
    if case.login is not None:
        # Unknown names lock like real ones; every case starts from a clean count.
        with db.session() as session:
            lockout.unlock(session, case.login)
    return found

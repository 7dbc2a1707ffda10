"""Norm 410: how many tokens the STS issues per second, and what the SCT check adds to a call.

* Token issue is bcrypt-bound by design: the baseline is a bare
  ``bcrypt.checkpw`` at the same cost, so the ratio shows what the gateway
  adds around the hash (HTTP, XML, the database, the audit row).
* The SCT check is one indexed query by the token's SHA-256; target under
  1 ms. Measured in the core (``resolve_token`` vs an empty query on the
  same warm session) and over HTTP (a secured echo vs the same echo without
  security, both through the gateway's guard and envelope builder, served
  by a gateway process of its own as ``bipro-gateway serve`` runs: a server
  in a thread of the measuring process would share its interpreter lock
  with the client, a cost no deployment has).
"""

from __future__ import annotations

import time

import bcrypt
import requests
from sqlalchemy import text

from bench import Options, Result, time_result
from bench._echo import ECHO_PATH, gateway_with_echo, request_bytes
from bench._serve import BenchServer
from bench._setup import DEMO_PASSWORD, demo_gateway, fresh_database, served_in_thread
from bipro.core.identity.tokens import resolve_token

STS_PATH = "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0"
PRODUCTION_COST = 12
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WST_NS = "http://schemas.xmlsoap.org/ws/2005/02/trust"
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}


def run(options: Options) -> list[Result]:
    backend = "postgresql" if options.postgres_url else "sqlite"
    cost = 10 if options.quick else PRODUCTION_COST
    with fresh_database(options, backend) as url:
        gateway = demo_gateway(options, url, bcrypt_rounds=cost)
        try:
            with served_in_thread(gateway_with_echo(gateway)) as base:
                results = token_issue(options, base, cost, backend)
                token = login(requests.Session(), base)
                results += sct_check_core(options, gateway, token, backend)
            with BenchServer("gateway", 1, url) as server:
                results += sct_check_http(options, server.base, token, backend)
        finally:
            gateway.db.dispose()
    return results


def login_request(user: str = "demo") -> bytes:
    return (f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
            f'<wsse:Security xmlns:wsse="{WSSE_NS}"><wsse:UsernameToken><wsse:Username>{user}</wsse:Username>'
            f"<wsse:Password>{DEMO_PASSWORD}</wsse:Password></wsse:UsernameToken></wsse:Security>"
            f'</soapenv:Header><soapenv:Body><wst:RequestSecurityToken xmlns:wst="{WST_NS}">'
            "<wst:TokenType>http://schemas.xmlsoap.org/ws/2005/02/sc/sct</wst:TokenType>"
            "<wst:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</wst:RequestType>"
            "</wst:RequestSecurityToken></soapenv:Body></soapenv:Envelope>").encode()


def login(session: requests.Session, base: str, user: str = "demo") -> str:
    response = session.post(base + STS_PATH, data=login_request(user), headers=HEADERS, timeout=30)
    if response.status_code != 200:
        raise RuntimeError(f"STS login failed: {response.status_code} {response.text[:300]}")
    start = response.text.index("bipro:")
    return response.text[start:response.text.index("<", start)]


def token_issue(options: Options, base: str, cost: int, backend: str) -> list[Result]:
    count = options.scale(40, 10)
    session = requests.Session()
    login(session, base)  # warm up
    stored = bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt(cost))
    issue_times, hash_times = [], []
    for _ in range(count):  # interleaved, so load from elsewhere hits both alike
        started = time.perf_counter()
        login(session, base)
        issue_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        bcrypt.checkpw(DEMO_PASSWORD.encode(), stored)
        hash_times.append(time.perf_counter() - started)
    result = time_result(f"STS token issue over HTTP (bcrypt cost {cost})", issue_times,
                         baseline=f"bcrypt.checkpw, cost {cost}", baseline_seconds=hash_times)
    per_second = 1000 / result.median
    result.note = (f"{per_second:.1f} tokens/s per core in sequence ({backend}); "
                   f"bcrypt alone {1000 / result.baseline_median:.1f}/s")
    return [result]


def sct_check_core(options: Options, gateway, token: str, backend: str) -> list[Result]:
    count = options.scale(5000, 500)
    with gateway.db.session() as session:
        resolve_token(session, token)  # warm: connection, statement cache
        session.execute(text("SELECT 1"))
        resolve_times, empty_times = [], []
        for _ in range(count):
            started = time.perf_counter()
            resolve_token(session, token)
            resolve_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            session.execute(text("SELECT 1")).scalar()
            empty_times.append(time.perf_counter() - started)
    result = time_result("SCT check in the core (resolve_token)", resolve_times, unit="µs",
                         baseline="SELECT 1 on the same session", baseline_seconds=empty_times)
    extra = result.median - result.baseline_median
    verdict = "within" if result.median < 1000 else "OVER"
    result.note = f"extra {extra:.0f} µs over an empty query; {verdict} the target of 1 ms ({backend})"
    return [result]


def sct_check_http(options: Options, base: str, token: str, backend: str) -> list[Result]:
    count = options.scale(2000, 200)
    session = requests.Session()
    secured, unsecured = request_bytes(token), request_bytes(None)

    def call(path: str, body: bytes) -> float:
        started = time.perf_counter()
        response = session.post(base + path, data=body, headers=HEADERS, timeout=30)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"echo failed: {response.status_code} {response.text[:300]}")
        return elapsed

    for _ in range(20):  # warm up both
        call(ECHO_PATH, secured)
        call(ECHO_PATH + "/open", unsecured)
    secured_times, open_times = [], []
    for _ in range(count):  # interleaved, so drift hits both alike
        secured_times.append(call(ECHO_PATH, secured))
        open_times.append(call(ECHO_PATH + "/open", unsecured))
    result = time_result("secured echo over HTTP (SCT check), gateway process", secured_times,
                         baseline="same echo without security", baseline_seconds=open_times)
    extra = result.median - result.baseline_median
    verdict = "within" if extra < 1.0 else "OVER"
    result.note = f"the SCT check adds {extra:.2f} ms per call; {verdict} the target of 1 ms ({backend})"
    return [result]
